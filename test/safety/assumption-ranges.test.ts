// The projection assumptions' ranges (issue 11): one table (src/model/assumption-ranges.ts) that
// the loader checks files against — a value outside is refused with the key, the range and the
// file's line — that the Monte Carlo holds its draws in, and that the page's editor reads. Inside
// the ranges no count can go negative: every extreme is projected. Before, a mortality of 200 %
// gave −346 459 retirees and an entry rate of −500 % negative insured.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { EDIT_SPECS } from "../../src/components/projection-files.ts";
import * as browserModel from "../../src/components/projection-model.ts";
import { ASSUMPTIONS_DIR, loadAssumptions } from "../../src/loaders/assumptions.ts";
import { loadFinance } from "../../src/loaders/finance.ts";
import { loadPolicy } from "../../src/loaders/policies.ts";
import { cityModel, generateChunk } from "../../src/loaders/population/index.ts";
import { ASSUMPTION_RANGES, clampToRange, displayRange, inRange, maxSd, rangeText } from "../../src/model/assumption-ranges.ts";
import { dayFromCivil } from "../../src/model/dates.ts";
import { type EngineClaims, type EnginePersons, NO_DAY } from "../../src/model/engine.ts";
import { cohortPath } from "../../src/model/projection/demography.ts";
import { structureOfModel } from "../../src/model/projection/structure.ts";
import { goalSeekLever, LEVERS } from "../../src/model/projection/goal-seek.ts";
import { drawParams } from "../../src/model/projection/monte-carlo.ts";
import { PARAM_KEYS, type ProjectionParams, zeroParams } from "../../src/model/projection/params.ts";
import { NATIONAL_RETIREMENT, prepareProjection, projectScheme } from "../../src/model/projection/project.ts";
import type { BaseSample } from "../../src/model/projection/year-sample.ts";
import { cityIds, cityRegistry } from "../../src/loaders/cities.ts";

const dir = mkdtempSync(join(tmpdir(), "fundsim-ranges-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const entry = (value: string | number, extra: Record<string, unknown> = {}) => ({ value, source: "test", rating: "E", note: "test", ...extra });
const problem = (f: () => unknown): string => {
  try {
    f();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("the table", () => {
  it("gives every parameter a range, a unit and a reason", () => {
    expect(Object.keys(ASSUMPTION_RANGES).sort()).toEqual([...PARAM_KEYS].sort());
    for (const k of PARAM_KEYS) {
      const r = ASSUMPTION_RANGES[k];
      expect(r.min, k).toBeLessThan(r.max);
      expect(r.why.length, k).toBeGreaterThan(20);
    }
    expect(rangeText("retireeMortality")).toBe("0% to 50%");
    expect(rangeText("wageGrowth")).toBe("-20% to 30%");
    expect(rangeText("elasticityVisitsActive")).toBe("-1 to 0");
    expect(rangeText("openingReserveMonths")).toBe("0 to 120 months");
    expect(displayRange("levelShift")).toEqual({ min: 0, max: 100, unit: "%" });
  });

  it("holds every city's assumptions (value and distribution)", () => {
    for (const c of cityIds()) {
      const a = loadAssumptions(c);
      for (const k of PARAM_KEYS) expect(inRange(k, a.params[k]), `${c} ${k}`).toBe(true);
      for (const [k, d] of Object.entries(a.dists)) {
        const key = k as (typeof PARAM_KEYS)[number];
        if (d!.dist === "normal") expect(d!.sd).toBeLessThanOrEqual(maxSd(key));
        else expect(inRange(key, d!.min) && inRange(key, d!.max), `${c} ${k}`).toBe(true);
      }
    }
  });

  it("is the one the page's editor and the browser bundle use", () => {
    // The editor imports the model's module (Framework serves the .ts as .js) — not a copy.
    const edit = readFileSync(join(import.meta.dirname, "../../src/components/projection-edit.js"), "utf8");
    expect(edit).toMatch(/import \{[^}]*ASSUMPTION_RANGES[^}]*\} from "\.\.\/model\/assumption-ranges\.js"/);
    expect(edit).toMatch(/min: range\.min, max: range\.max/);
    // The projection model's bundle exports the same table.
    expect(browserModel.ASSUMPTION_RANGES).toBe(ASSUMPTION_RANGES);
    // Every parameter the editor edits has a range (and no other).
    expect(Object.keys(EDIT_SPECS).sort()).toEqual([...PARAM_KEYS].sort());
    // The module the page loads has no runtime import (Framework serves it alone).
    const src = readFileSync(join(import.meta.dirname, "../../src/model/assumption-ranges.ts"), "utf8");
    expect(src.match(/^import (?!type ).*$/gm)).toBeNull();
  });
});

describe("the loader refuses a value outside its range, naming the key, the range and the line", () => {
  it("mortality 200 % (it gave −346 459 retirees)", () => {
    const f = write("mortality.yaml", stringify({ city: "lanzhou", retireeMortality: entry("200%") }));
    expect(problem(() => loadAssumptions("lanzhou", { file: f }))).toMatch(
      /mortality\.yaml: 3:\d+: retireeMortality\.value: expected retireeMortality from 0% to 50% \(its range: docs\/projection\.md, Ranges\), got 200%/,
    );
  });

  it("entry −500 % (it gave negative insured)", () => {
    const f = write("entry.yaml", stringify({ city: "lanzhou", entryRate: entry(-5) }));
    expect(problem(() => loadAssumptions("lanzhou", { file: f }))).toMatch(/entry\.yaml: 3:\d+: entryRate\.value: expected entryRate from 0% to 50% .*got -500%/);
  });

  it("a distribution's min or max outside, and a normal's sd wider than the range", () => {
    const f = write("dist.yaml", stringify({ city: "lanzhou", retirementRate: entry("3%", { dist: { dist: "triangular", min: "-1%", max: "60%" } }) }));
    const p = problem(() => loadAssumptions("lanzhou", { file: f }));
    expect(p).toMatch(/retirementRate\.dist\.min: expected retirementRate from 0% to 50% .*got -1%/);
    expect(p).toMatch(/retirementRate\.dist\.max: expected retirementRate from 0% to 50% .*got 60%/);
    const g = write("sd.yaml", stringify({ city: "lanzhou", costTrend: entry("4%", { dist: { dist: "normal", sd: "60%" } }) }));
    expect(problem(() => loadAssumptions("lanzhou", { file: g }))).toMatch(/costTrend\.dist\.sd: expected an sd of costTrend from 0 to 50% \(the width of its range -20% to 30%\), got 60%/);
  });

  it("elasticities, the cost ratio and the opening reserve", () => {
    const f = write("more.yaml", stringify({ city: "lanzhou", elasticityVisitsActive: entry(-3), levelCostRatio: entry(0), openingReserveMonths: { value: 500, source: "t", rating: "O" } }));
    const p = problem(() => loadAssumptions("lanzhou", { file: f }));
    expect(p).toMatch(/elasticityVisitsActive\.value: expected elasticityVisitsActive from -1 to 0 .*got -3/);
    expect(p).toMatch(/levelCostRatio\.value: expected levelCostRatio from 0\.1 to 2 .*got 0/);
    expect(p).toMatch(/openingReserveMonths\.value: expected openingReserveMonths from 0 to 120 months .*got 500 months/);
  });

  it("in the project's own files too, naming that file and line", () => {
    // A copy of the assumptions directory with a bad national value.
    for (const c of ["national", ...cityRegistry().filter((e) => e.builtin).map((e) => e.id)]) write(`${c}.yaml`, readFileSync(join(ASSUMPTIONS_DIR, `${c}.yaml`), "utf8"));
    const national = readFileSync(join(ASSUMPTIONS_DIR, "national.yaml"), "utf8");
    write("national.yaml", national.replace(/retireeMortality:\n  value: 3%/, "retireeMortality:\n  value: 200%"));
    const line = national.split("\n").findIndex((l) => l.startsWith("retireeMortality:")) + 2;
    expect(problem(() => loadAssumptions("lanzhou", { dir }))).toMatch(new RegExp(`national\\.yaml: ${line}:\\d+: retireeMortality\\.value: expected retireeMortality from 0% to 50%`));
  });

  it("the edges themselves are accepted", () => {
    const f = write("edges.yaml", stringify({ city: "lanzhou", retireeMortality: entry("50%"), entryRate: entry(0), wageGrowth: entry("-20%", { dist: { dist: "uniform", min: "-20%", max: "30%" } }) }));
    const a = loadAssumptions("lanzhou", { file: f });
    expect(a.params.retireeMortality).toBe(0.5);
    expect(a.params.wageGrowth).toBe(-0.2);
  });
});

describe("inside the ranges no count goes negative", () => {
  // The cohort cells (issue 13) of a city's base year: every cell stays ≥ 0 and finite.
  const cells0 = structureOfModel(cityModel("lanzhou", 2023), 1e6);
  const cellsOk = (rates: { entryRate: number; flexibleEntryRate: number; earlyRetirementRate: number; mortalityScale: number }, years: number) =>
    cohortPath(cells0, 2023, years, rates, { rules: NATIONAL_RETIREMENT }).every((y) => y.cells.every((x) => x >= 0 && Number.isFinite(x)));
  it("the population path, at the worst extremes, for 50 years", () => {
    // retireeMortality 50 % is a scale of the life table far above 1: each cell's q is held at 1.
    expect(cellsOk({ entryRate: 0, flexibleEntryRate: 0, earlyRetirementRate: 0.5, mortalityScale: 50 }, 50)).toBe(true);
  });

  it("the population path, at random values inside the ranges", () => {
    const inRangeOf = (k: "entryRate" | "retirementRate" | "retireeMortality") => fc.double({ min: ASSUMPTION_RANGES[k].min, max: ASSUMPTION_RANGES[k].max, noNaN: true });
    fc.assert(
      fc.property(inRangeOf("entryRate"), inRangeOf("retirementRate"), inRangeOf("retireeMortality"), (e, r, m) =>
        cellsOk({ entryRate: e, flexibleEntryRate: e, earlyRetirementRate: r, mortalityScale: m / 0.03 }, 12),
      ),
      { seed: 11, numRuns: 60 },
    );
  });

  it("a projection at every extreme of the table (one at a time, and all the adverse ones together) has no negative count", () => {
    const city = "lanzhou";
    const policy = loadPolicy(city);
    const { finance } = loadFinance(city);
    const { persons, claims } = generateChunk(cityModel(city, 2023), 1, 0, 400);
    const prep = prepareProjection({ sample: { persons, claims }, baseYear: 2023, years: 10, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance });
    const central = loadAssumptions(city).params;
    const cases: Array<[string, ProjectionParams]> = [];
    for (const k of PARAM_KEYS) for (const end of ["min", "max"] as const) cases.push([`${k} ${end}`, { ...central, [k]: ASSUMPTION_RANGES[k][end] }]);
    cases.push(["adverse", { ...central, entryRate: 0, retirementRate: 0.5, retireeMortality: 0, costTrend: 0.3, utilisationTrend: 0.3, wageGrowth: -0.2, pensionGrowth: 0.3 }]);
    cases.push(["shrinking", { ...central, entryRate: 0, retirementRate: 0.5, retireeMortality: 0.5, costTrend: -0.2, utilisationTrend: -0.2 }]);
    for (const [name, q] of cases) {
      for (const si of [0, 1]) {
        const s = projectScheme(prep, q, si);
        for (const y of s.years) {
          for (const x of [y.active, y.retired, y.flexible, y.insured, y.flows.claims, y.flows.persons]) {
            expect(Number.isFinite(x) && x >= 0, `${name}, ${s.scheme} ${y.year}: ${x}`).toBe(true);
          }
          for (const x of [y.flows.spendingFen, y.flows.pooledOutflowFen, y.flows.pooledIncomeFen, y.reserveClosingFen]) expect(Number.isFinite(x), `${name} ${y.year}`).toBe(true);
          expect(y.flows.spendingFen).toBeGreaterThanOrEqual(0);
        }
      }
    }
  }, 60_000);
});

describe("draws, goal-seek and scaled amounts stay bounded", () => {
  it("a Monte Carlo draw from a normal's tail is held within the range", () => {
    const params = { ...zeroParams(12), entryRate: 0.01, retireeMortality: 0.49 };
    const a = { params, dists: { entryRate: { dist: "normal" as const, sd: 0.5 }, retireeMortality: { dist: "normal" as const, sd: 0.5 } } };
    for (let d = 0; d < 200; d++) {
      const q = drawParams(a, 7, d);
      expect(inRange("entryRate", q.entryRate) && inRange("retireeMortality", q.retireeMortality)).toBe(true);
    }
    expect(clampToRange("retireeMortality", 2)).toBe(0.5);
  });

  it("goal-seek's range must lie within the lever's widest (what the scenario schema accepts)", () => {
    const policy = loadPolicy("lanzhou");
    const input = {} as Parameters<typeof goalSeekLever>[2]; // refused before it is read
    expect(LEVERS.cap.max).toBe(10_000_000);
    expect(LEVERS.rate.min).toBe(-100);
    expect(() => goalSeekLever(policy, null, input, zeroParams(12), { lever: "cap", target: 6, lo: 0, hi: 30_000_000 })).toThrow(/cap lever's range must lie within 0 to 10000000 \(yuan\), got 0–30000000/);
    expect(() => goalSeekLever(policy, null, input, zeroParams(12), { lever: "rate", target: 6, lo: -150, hi: 0 })).toThrow(/rate lever's range must lie within -100 to 100/);
    expect(() => goalSeekLever(policy, null, input, zeroParams(12), { lever: "active-credit", target: 6, lo: 0, hi: 1e400 })).toThrow(/active-credit lever's range/);
  });

  it("a claim amount scaled past 2^31 fen stops the projection with the year and the index (it wrapped)", () => {
    const policy = loadPolicy("lanzhou");
    const { finance } = loadFinance("lanzhou");
    const persons: EnginePersons = {
      count: 1, status: Uint8Array.of(0), birthDay: Int32Array.of(dayFromCivil(1980, 1, 1)), retiredOnDay: Int32Array.of(NO_DAY), hasAccount: Uint8Array.of(1),
      oldWorker: Uint8Array.of(0), twoDiseases: Uint8Array.of(0), contributionBaseFen: Int32Array.of(500_000), pensionFen: Int32Array.of(0), claimStart: Uint32Array.of(0, 1),
      chronic: Uint8Array.of(0),
    };
    const claims: EngineClaims = {
      length: 1, day: Int32Array.of(dayFromCivil(2023, 3, 1)), kind: Uint8Array.of(5), level: Uint8Array.of(2), setting: Uint8Array.of(0), area: Uint8Array.of(0),
      amountFen: Int32Array.of(900_000_000), eligibleFen: Int32Array.of(900_000_000), designated: Uint8Array.of(1), emergency: Uint8Array.of(0), prescription: Uint8Array.of(1),
      facility: Uint32Array.of(0),
    };
    const sample: BaseSample = { persons, claims };
    const prep = prepareProjection({ sample, baseYear: 2023, years: 6, schemes: [policy.reform], baseline: policy.baseline, finance });
    const q = { ...zeroParams(12), costTrend: 0.3 };
    // 9 000 000 yuan × 1.3^3 = 19 773 000 yuan fits; × 1.3^4 does not.
    expect(projectScheme(prep, q, 0, 4).years).toHaveLength(4);
    expect(() => projectScheme(prep, q, 0, 6)).toThrow(/2027: a claim amount of 9,000,000 yuan × 2\.856 \(the year's growth index\): 2,570,490,000 is outside what the engine holds/);
  });
});
