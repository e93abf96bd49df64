// Differential test: for random person-years (fixed seeds, so every run sees the same cases), the
// real calculator (in process, through the command's own entry `runCalc`) and the independent
// oracle (test/oracle/oracle.ts) give exactly the same fund / deductible / outOfPocket for every
// claim, and the same totals. A failure prints the shrunk input and both results.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCalc } from "../src/cli/calc.ts";
import { CITY_IDS, contractInput, type ContractInput } from "./arbitraries.ts";
import { hasOracle, noOracleTitle, oracle } from "./oracle/oracle.ts";

const RUNS = 300;
// Every city found is listed; one the oracle does not transcribe is a skipped test saying so.
const SEED_CITIES: Record<string, number> = { lanzhou: 7001, jinan: 7002, neijiang: 7003, lvliang: 7004, ganzhou: 7005 };
const SEEDS: Record<string, number> = Object.fromEntries(CITY_IDS.map((c, i) => [c, SEED_CITIES[c] ?? 7010 + i]));
const ORACLE_CITY_IDS = CITY_IDS.filter(hasOracle);
const skipUntranscribed = () => {
  for (const city of CITY_IDS.filter((c) => !hasOracle(c))) it.skip(noOracleTitle(city), () => {});
};

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
  skipUntranscribed();
  for (const city of ORACLE_CITY_IDS) {
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
    for (const city of ORACLE_CITY_IDS.filter((c) => c !== "jinan")) {
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

// Issue 14: inpatient stays (Lanzhou 第八条), arrears credits (Ganzhou 第六条（四）) and the year's
// account credits (Neijiang 第四条（二）: provisional months only in 2023) — real = oracle.
describe("real calculator = oracle with stays, arrears and the year's account credits", () => {
  const withExtras = (city: string) =>
    fc
      .record({
        input: contractInput(city, { maxClaims: 15 }),
        stays: fc.array(fc.record({ start: fc.integer({ min: 0, max: 364 }), length: fc.integer({ min: 0, max: 20 }) }), { maxLength: 3 }),
        base: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined, freq: 4 }),
        year: fc.option(fc.constantFrom(2023, 2024), { nil: undefined }),
        arrears: fc.array(fc.record({ day: fc.integer({ min: 0, max: 364 }), months: fc.integer({ min: 1, max: 600 }) }), { maxLength: 2 }),
      })
      .map(({ input, stays, base, year, arrears }) => {
        const y = year ?? 2023;
        const iso = (y0: number, d: number) => new Date(Date.UTC(y0, 0, 1 + d)).toISOString().slice(0, 10);
        return {
          ...input,
          ...(year !== undefined ? { year } : {}),
          person: {
            ...input.person,
            ...(stays.length ? { stays: stays.map((s) => ({ from: iso(2023, s.start), to: iso(2023, s.start + s.length) })) } : {}),
            ...(base !== undefined ? { contributionBase: (base / 100).toFixed(2) } : {}),
            ...(arrears.length ? { arrears: arrears.map((a) => ({ paidOn: iso(y, a.day), months: a.months })) } : {}),
          },
        };
      });
  skipUntranscribed();
  for (const city of ORACLE_CITY_IDS) {
    it(`${city}: 200 random person-years with stays and arrears (seed ${SEEDS[city] + 200})`, () => {
      fc.assert(
        fc.property(withExtras(city), (input) => {
          const r = real(input as ContractInput);
          const o = oracle(input);
          expect(figures(r)).toEqual(figures(o));
          // the oracle tabulates the account credits of every city but Jinan
          if (city !== "jinan" && (input.scenario ?? "reform") === "reform") {
            const acc = (a: any) => a && { year: a.year, total: a.total, fromPooledFund: a.fromPooledFund, months: a.months.map((m: any) => ({ month: m.month, status: m.status, credit: m.credit })) };
            expect(acc(r.accounts)).toEqual(acc(o.accounts));
          }
        }),
        { seed: SEEDS[city] + 200, numRuns: 200 },
      );
    });
  }
});

// Issue 14 item 3: claim flags (Lüliang 不予支付 1–4, 9, 13, 14; 社会保险法第三十条 elsewhere), the
// chronic-scheme registration of two-disease patients (Neijiang 第十一条, Ganzhou 第五条（四）) and
// non-designated facilities by area (Lüliang 9/11) — real = oracle, exclusion codes included.
describe("real calculator = oracle with claim flags and chronic registration", () => {
  const FLAGS = ["work_injury", "third_party", "public_health", "wellness", "no_card", "arrears_period", "other_not_payable"];
  const withFlags = (city: string) =>
    fc
      .record({
        input: contractInput(city, { maxClaims: 15, baseline: true }),
        chronic: fc.option(fc.boolean(), { nil: undefined }),
        flags: fc.array(fc.option(fc.subarray(FLAGS, { maxLength: 2 }), { nil: undefined, freq: 2 }), { minLength: 15, maxLength: 15 }),
      })
      .map(({ input, chronic, flags }) => ({
        ...input,
        person: { ...input.person, ...(chronic !== undefined ? { chronic } : {}) },
        claims: input.claims.map((c, i) => (flags[i] ? { ...c, flags: flags[i] } : c)),
      }));
  const outcome = (o: any) => (o.claims as any[]).map((c) => c.exclusion ?? null);
  skipUntranscribed();
  for (const city of ORACLE_CITY_IDS) {
    it(`${city}: 200 random person-years with flags and chronic registration (seed ${SEEDS[city] + 300})`, () => {
      fc.assert(
        fc.property(withFlags(city), (input) => {
          const r = real(input as ContractInput);
          const o = oracle(input);
          expect(figures(r)).toEqual(figures(o));
          // the oracle's baselines are plain "no pooling": compare reasons under the reform only
          if ((input.scenario ?? "reform") === "reform") expect(outcome(r)).toEqual(outcome(o));
        }),
        { seed: SEEDS[city] + 300, numRuns: 200 },
      );
    });
  }
});
