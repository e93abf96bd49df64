// Differential test: for random person-years (fixed seeds, so every run sees the same cases), the
// real calculator (in process, through the command's own entry `runCalc`) and the independent
// oracle (test/oracle/oracle.ts) give exactly the same fund / deductible / outOfPocket for every
// claim, and the same totals. A failure prints the shrunk input and both results.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCalc } from "../src/cli/calc.ts";
import { CITY_IDS, contractInput, type ContractInput } from "./arbitraries.ts";
import { oracle } from "./oracle/oracle.ts";

const RUNS = 300;
const SEEDS: Record<string, number> = { lanzhou: 7001, jinan: 7002, neijiang: 7003, lvliang: 7004, ganzhou: 7005 };

const figures = (o: any) => ({
  claims: (o.claims as any[]).map((c) => ({ fund: c.fund, deductible: c.deductible, outOfPocket: c.outOfPocket })),
  totals: { amount: o.totals.amount, fund: o.totals.fund, outOfPocket: o.totals.outOfPocket },
});

function real(input: ContractInput) {
  const r = runCalc(JSON.stringify(input));
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("real calculator = oracle, claim by claim", () => {
  for (const city of CITY_IDS) {
    it(`${city}: ${RUNS} random person-years (seed ${SEEDS[city]})`, () => {
      fc.assert(
        fc.property(contractInput(city, { baseline: city === "jinan" }), (input) => {
          expect(figures(real(input))).toEqual(figures(oracle(input)));
        }),
        { seed: SEEDS[city], numRuns: RUNS },
      );
    });
  }

  it("baseline of the cities without pre-reform outpatient pooling pays nothing", () => {
    for (const city of CITY_IDS.filter((c) => c !== "jinan")) {
      fc.assert(
        fc.property(contractInput(city, { maxClaims: 10 }), (input) => {
          const b = { ...input, scenario: "baseline" as const };
          expect(figures(real(b))).toEqual(figures(oracle(b)));
        }),
        { seed: SEEDS[city] + 100, numRuns: 60 },
      );
    }
  });
});
