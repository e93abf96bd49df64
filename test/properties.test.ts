// Properties of the real calculator (in process, through the command's entry `runCalc`) that hold
// whatever the rule figures are: money is conserved, payments stay within eligible cost, caps and
// deductibles are never exceeded, claims come back in input order, the result does not depend on
// the input order, and raising a rate or a cap (scenario overrides) never lowers what the fund pays.
// Fixed seeds: every run checks the same cases.
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCalc } from "../src/cli/calc.ts";
import { CITY_IDS, contractInput, yuan, type CityName, type ContractInput } from "./arbitraries.ts";
import { hasOracle, rulesFor } from "./oracle/oracle.ts";
import { benefitLabels, limitsFor, reformMaxima } from "./rule-limits.ts";

// Every city found (CITY_IDS), the seed cities' figures from the oracle's transcription, any other
// city's from its own policy file (test/rule-limits.ts).
const RUNS = 120;
const seed = (city: CityName, n: number) => 9000 + 100 * CITY_IDS.indexOf(city) + n;

type Scenario = "reform" | "baseline" | { base: string; set: Record<string, unknown> };

function calc(input: ContractInput | (Omit<ContractInput, "scenario"> & { scenario?: Scenario })): any {
  const r = runCalc(JSON.stringify(input));
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const dec = (x: unknown) => new Decimal(String(x ?? 0));
const toFen = (x: unknown) => dec(x).times(100).toNumber();

/** Status the rules read on a date (flexible reads the active column). */
const statusOn = (input: ContractInput, date: string): "active" | "retired" =>
  input.person.status === "retired" && (input.person.retiredOn === undefined || date >= input.person.retiredOn) ? "retired" : "active";

describe("properties of the real calculator", () => {
  for (const city of CITY_IDS) {
    describe(city, () => {
      const inputs = contractInput(city, { baseline: city === "jinan" });

      it("each claim splits exactly: fund + outOfPocket (+ account) = amount; totals are the sums of the claims", () => {
        fc.assert(
          fc.property(inputs, (input) => {
            const out = calc(input);
            let amount = new Decimal(0);
            let fund = new Decimal(0);
            let oop = new Decimal(0);
            for (const c of out.claims) {
              expect(dec(c.fund).plus(dec(c.outOfPocket)).plus(dec(c.account)).toFixed(2)).toBe(dec(c.amount).toFixed(2));
              amount = amount.plus(dec(c.amount));
              fund = fund.plus(dec(c.fund));
              oop = oop.plus(dec(c.outOfPocket));
            }
            expect([out.totals.amount, out.totals.fund, out.totals.outOfPocket]).toEqual([amount.toFixed(2), fund.toFixed(2), oop.toFixed(2)]);
          }),
          { seed: seed(city, 1), numRuns: RUNS },
        );
      });

      it("0 ≤ deductible ≤ eligible and 0 ≤ fund ≤ eligible − deductible", () => {
        fc.assert(
          fc.property(inputs, (input) => {
            const out = calc(input);
            for (const c of out.claims) {
              const [f, d, e] = [toFen(c.fund), toFen(c.deductible), toFen(c.eligible)];
              expect(d).toBeGreaterThanOrEqual(0);
              expect(d).toBeLessThanOrEqual(e);
              expect(f).toBeGreaterThanOrEqual(0);
              expect(f).toBeLessThanOrEqual(e - d);
            }
          }),
          { seed: seed(city, 2), numRuns: RUNS },
        );
      });

      it("claims come back in input order, with the input's date, amount and eligible cost", () => {
        fc.assert(
          fc.property(inputs, (input) => {
            const out = calc(input);
            expect(out.claims).toHaveLength(input.claims.length);
            input.claims.forEach((c, i) => {
              expect(out.claims[i].date).toBe(c.date);
              expect(out.claims[i].amount).toBe(yuan(toFen(c.amount)));
              expect(out.claims[i].eligible).toBe(yuan(toFen(c.eligible ?? c.amount)));
            });
          }),
          { seed: seed(city, 3), numRuns: RUNS },
        );
      });

      it("in each calendar year the fund never pays more than the cap of the person's status (general, TCM and shared two-disease payments together), nor more than a two-disease sub-cap", () => {
        fc.assert(
          fc.property(inputs, (input) => {
            const out = calc(input);
            // which benefit each claim falls under (the oracle's reading of the kind where it transcribes the city)
            const rules = benefitLabels(input, out);
            const scenario = input.scenario ?? "reform";
            const years = new Map<string, { general: number; two: number; lastDate: string }>();
            input.claims.forEach((c, i) => {
              const y = c.date.slice(0, 4);
              const acc = years.get(y) ?? { general: 0, two: 0, lastDate: c.date };
              if (c.date > acc.lastDate) acc.lastDate = c.date;
              const L = limitsFor(city, scenario, c.date);
              const f = toFen(out.claims[i].fund);
              if (rules[i] === "general" || rules[i] === "tcm") acc.general += f;
              if (rules[i] === "two_disease") {
                acc.two += f;
                if (L.twoDisease?.sharesGeneralCap) acc.general += f;
              }
              years.set(y, acc);
            });
            for (const acc of years.values()) {
              // statuses only go active → retired within a year, and the retiree cap is never lower
              const L = limitsFor(city, scenario, acc.lastDate);
              expect(acc.general).toBeLessThanOrEqual(L.capFen[statusOn(input, acc.lastDate)]);
              if (L.twoDisease) expect(acc.two).toBeLessThanOrEqual(L.twoDisease.capFen);
            }
          }),
          { seed: seed(city, 4), numRuns: RUNS },
        );
      });

      it("the deductible part never exceeds the per-visit deductible, nor (summed over a year) the annual one", () => {
        fc.assert(
          fc.property(inputs, (input) => {
            const out = calc(input);
            const scenario = input.scenario ?? "reform";
            const sums = new Map<string, number>();
            input.claims.forEach((c, i) => {
              const L = limitsFor(city, scenario, c.date);
              const D = L.deductible;
              const d = toFen(out.claims[i].deductible);
              const level = c.setting === "pharmacy" && L.pharmacyLevel ? L.pharmacyLevel : c.level;
              if ("perVisitFen" in D) {
                expect(d).toBeLessThanOrEqual(D.perVisitFen[level]);
              } else {
                const isTcmPool = (c.kind ?? "general") === "tcm" && D.tcmAnnualFen !== null;
                const limit = isTcmPool ? D.tcmAnnualFen! : D.annualFen;
                const key = `${c.date.slice(0, 4)}|${isTcmPool ? "tcm" : "general"}|${D.perFacility ? (c.facility ?? "") : ""}`;
                const sum = (sums.get(key) ?? 0) + d;
                sums.set(key, sum);
                expect(sum).toBeLessThanOrEqual(limit);
              }
            });
          }),
          { seed: seed(city, 5), numRuns: RUNS },
        );
      });

      it("with distinct dates, the result for each claim does not depend on the order the claims are listed in", () => {
        const withOrder = contractInput(city, { distinctDates: true, baseline: city === "jinan" }).chain((input) =>
          fc.tuple(fc.constant(input), fc.array(fc.integer(), { minLength: input.claims.length, maxLength: input.claims.length })),
        );
        fc.assert(
          fc.property(withOrder, ([input, keys]) => {
            const perm = input.claims.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
            const shuffled = { ...input, claims: perm.map((i) => input.claims[i]) };
            const a = calc(input);
            const b = calc(shuffled);
            const fig = (c: any) => ({ date: c.date, fund: c.fund, deductible: c.deductible, outOfPocket: c.outOfPocket });
            perm.forEach((orig, j) => expect(fig(b.claims[j])).toEqual(fig(a.claims[orig])));
            expect(b.totals).toEqual(a.totals);
          }),
          { seed: seed(city, 6), numRuns: RUNS },
        );
      });
    });
  }
});

// ---- monotonicity through scenario overrides -------------------------------------------------
// `scenario: { base: "reform", set: { "<path>": value } }`, paths into src/policies/<city>.yaml
// under `reform:`. Rates are written like the policy files ("55%"), money in yuan.

/** An override that raises every general cap of the city by `d` yuan (never lowers one). */
function capRaise(city: CityName, d: number): Record<string, unknown> {
  if (!hasOracle(city)) {
    // Above the highest cap on any date, written the way the file's general cap is (one figure, or by status).
    const m = reformMaxima(city).capFen!;
    return { "caps.general": m.active === m.retired ? m.active / 100 + d : { active: m.active / 100 + d, retired: m.retired / 100 + d } };
  }
  const y23 = rulesFor(city, "reform", "2023-06-01").cap;
  switch (city) {
    case "lanzhou":
      return { "caps.general": y23.active + d }; // one cap for all (第七条)
    case "jinan":
      return { "caps.general": 6000 + d }; // replaces 4500 (2023) and 6000 (2024) by one higher figure
    default:
      return { "caps.general": { active: y23.active + d, retired: y23.retired + d } };
  }
}

/** An override that raises the active general rate at `level` by `d` points (capped at 100%). */
function rateRaise(city: CityName, level: 1 | 2 | 3, d: number): Record<string, unknown> {
  const now = hasOracle(city) ? rulesFor(city, "reform", "2023-06-01").rate[level].active : reformMaxima(city).activeRate[level];
  return { [`benefits.general.rate.level${level}.active`]: `${Math.min(100, now + d)}%` };
}

/** An override that raises the two-disease sub-caps by `d` yuan (Neijiang, Ganzhou, any city found with such caps). */
function twoDiseaseCapRaise(city: CityName, d: number): Record<string, unknown> {
  const m = hasOracle(city) ? null : reformMaxima(city).twoDiseaseCapFen!;
  const c = hasOracle(city) ? rulesFor(city, "reform", "2023-06-01").twoDisease!.caps : { hypertension: m![0] / 100, diabetes: m![1] / 100, both: m![2] / 100 };
  return { "caps.twoDisease": { hypertension: c.hypertension + d, diabetes: c.diabetes + d, both: c.both + d } };
}

const totalFund = (out: any) => toFen(out.totals.fund);

describe("scenario overrides bite (so the monotonicity checks below are not vacuous)", () => {
  it("Lanzhou: with the cap raised to 3000 the retiree of the cap case is paid 1820 + 700 + 30", () => {
    const input = {
      city: "lanzhou" as const,
      person: { status: "retired" as const },
      claims: [
        { date: "2023-03-01", kind: "general", level: 2 as const, amount: "3000.00" },
        { date: "2023-05-01", kind: "general", level: 1 as const, amount: "1000.00" },
        { date: "2023-06-01", kind: "general", level: 3 as const, amount: "50.00" },
      ],
    };
    expect(calc(input).totals.fund).toBe("2500.00");
    expect(calc({ ...input, scenario: { base: "reform", set: capRaise("lanzhou", 500) } }).totals.fund).toBe("2550.00");
  });

  it("Lanzhou: with the active level-1 rate raised to 80%, 1200 after a 200 deductible pays 800", () => {
    const input = { city: "lanzhou" as const, person: { status: "active" as const }, claims: [{ date: "2023-03-01", level: 1 as const, amount: "1200.00" }] };
    expect(calc(input).claims[0].fund).toBe("650.00");
    expect(calc({ ...input, scenario: { base: "reform", set: rateRaise("lanzhou", 1, 15) } }).claims[0].fund).toBe("800.00");
  });

  it("Jinan: one cap of 7000 for 2023 and 2024 replaces 4500 and 6000", () => {
    const input = {
      city: "jinan" as const,
      person: { status: "active" as const },
      claims: [
        { date: "2023-03-01", level: 2 as const, amount: "20000.00" },
        { date: "2024-03-01", level: 2 as const, amount: "20000.00" },
      ],
    };
    expect(calc(input).claims.map((c: any) => c.fund)).toEqual(["4500.00", "6000.00"]);
    expect(calc({ ...input, scenario: { base: "reform", set: capRaise("jinan", 1000) } }).claims.map((c: any) => c.fund)).toEqual(["7000.00", "7000.00"]);
  });

  it("Neijiang: two-disease sub-caps raised by 100 let a hypertensive's 400 at 70% pay 280 instead of 200", () => {
    const input = {
      city: "neijiang" as const,
      person: { status: "active" as const, twoDiseases: ["hypertension" as const] },
      claims: [{ date: "2023-01-10", kind: "two_disease", level: 2 as const, amount: "400.00" }],
    };
    expect(calc(input).claims[0].fund).toBe("200.00");
    expect(calc({ ...input, scenario: { base: "reform", set: twoDiseaseCapRaise("neijiang", 100) } }).claims[0].fund).toBe("280.00");
  });
});

describe("raising a rate or a cap never lowers what the fund pays in the year", () => {
  for (const city of CITY_IDS) {
    const inputs = contractInput(city, { maxClaims: 25 }).map((i) => ({ ...i, scenario: undefined }));

    const noGeneralCap = !hasOracle(city) && reformMaxima(city).capFen === null;
    (noGeneralCap ? it.skip : it)(`${city}: a higher general cap${noGeneralCap ? " (none: the city's policy has no general cap)" : ""}`, () => {
      fc.assert(
        fc.property(inputs, fc.integer({ min: 0, max: 5000 }), (input, d) => {
          const before = totalFund(calc(input));
          const after = totalFund(calc({ ...input, scenario: { base: "reform", set: capRaise(city, d) } }));
          expect(after).toBeGreaterThanOrEqual(before);
        }),
        { seed: seed(city, 7), numRuns: 80 },
      );
    });

    it(`${city}: a higher active general rate at one level`, () => {
      fc.assert(
        fc.property(inputs, fc.constantFrom<1 | 2 | 3>(1, 2, 3), fc.integer({ min: 0, max: 40 }), (input, level, d) => {
          const before = totalFund(calc(input));
          const after = totalFund(calc({ ...input, scenario: { base: "reform", set: rateRaise(city, level, d) } }));
          expect(after).toBeGreaterThanOrEqual(before);
        }),
        { seed: seed(city, 8), numRuns: 80 },
      );
    });

    if (city === "neijiang" || city === "ganzhou" || (!hasOracle(city) && reformMaxima(city).twoDiseaseCapFen !== null)) {
      it(`${city}: higher two-disease sub-caps`, () => {
        fc.assert(
          fc.property(inputs, fc.integer({ min: 0, max: 2000 }), (input, d) => {
            const before = totalFund(calc(input));
            const after = totalFund(calc({ ...input, scenario: { base: "reform", set: twoDiseaseCapRaise(city, d) } }));
            expect(after).toBeGreaterThanOrEqual(before);
          }),
          { seed: seed(city, 9), numRuns: 80 },
        );
      });
    }
  }
});
