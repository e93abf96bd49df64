// The actuarial projection (issue 7): a hand-computed two-year case, zero trends reproducing the
// base year, dated rule changes, rules continued past a period's end, the utilisation response,
// the assumptions files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { assumptionsYaml, editedParams, scenarioYaml } from "../src/components/projection-files.ts";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { pageSample } from "../src/loaders/projection-page.ts";
import { cityCohorts } from "../src/loaders/projection-cohorts.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../src/loaders/policies.ts";
import { dayFromCivil, parseIsoDay } from "../src/model/dates.ts";
import { type EngineClaims, type EnginePersons, NO_DAY, runChunk } from "../src/model/engine.ts";
import type { Finance } from "../src/model/finance.ts";
import { addChunk, emptyFlows } from "../src/model/fund.ts";
import { rulesAt } from "../src/model/policy.ts";
import { goalSeek, goalSeekLever, type LeverId, leverScenario } from "../src/model/projection/goal-seek.ts";
import { projectDraws, quantileOf, ratioPath } from "../src/model/projection/monte-carlo.ts";
import { type ProjectionParams, zeroParams } from "../src/model/projection/params.ts";
import { prepareProjection, project, projectScheme, reserveFlag } from "../src/model/projection/project.ts";
import { pagePaths } from "../src/model/projection/rows.ts";
import { indexScheme } from "../src/model/projection/indexation.ts";
import { tornadoByRatio } from "../src/model/projection/tornado.ts";
import { type BaseSample, baseSampleOf } from "../src/model/projection/year-sample.ts";
import { decodeSample, encodeSample } from "../src/model/sample-codec.ts";
import { KINDS } from "../src/model/types.ts";
import { cityIds } from "../src/loaders/cities.ts";

// Lanzhou's finance with 8 % contributions, no other income, no chronic spending, no opening reserve, two enrollees.
const FINANCE: Finance = {
  ...loadFinance("lanzhou").finance,
  employerBp: 600, employeeBp: 200, chronicFundPerEnrolleeFen: 0, openingReserveMonths: 0, accountOpeningMonths: 0, insured: 2, nonContributionIncomeShareBp: 0, reconciliationShare: 0, maternityEmployerBp: 0, maternityPerActiveFen: 0, collectionBp: 10000, familyUseShareBp: 0,
};

/** One active (base 5 000 yuan a month, a 1 000-yuan level-1 visit) and one retiree (a 2 000-yuan level-3 visit). */
function twoPersons(): BaseSample {
  const persons: EnginePersons = {
    count: 2,
    status: Uint8Array.from([0, 1]),
    birthDay: Int32Array.from([dayFromCivil(1980, 3, 1), dayFromCivil(1955, 6, 1)]),
    retiredOnDay: Int32Array.from([NO_DAY, dayFromCivil(2015, 6, 1)]),
    hasAccount: Uint8Array.from([1, 1]),
    oldWorker: Uint8Array.from([0, 0]),
    twoDiseases: Uint8Array.from([0, 0]),
    contributionBaseFen: Int32Array.from([500_000, 0]),
    pensionFen: Int32Array.from([0, 300_000]),
    claimStart: Uint32Array.from([0, 1, 2]),
    chronic: Uint8Array.from([0, 0]),
  };
  const claims: EngineClaims = {
    length: 2,
    day: Int32Array.from([dayFromCivil(2023, 3, 1), dayFromCivil(2023, 5, 1)]),
    kind: Uint8Array.from([0, 0]),
    level: Uint8Array.from([0, 2]),
    setting: Uint8Array.from([0, 0]),
    area: Uint8Array.from([0, 0]),
    amountFen: Int32Array.from([100_000, 200_000]),
    eligibleFen: Int32Array.from([100_000, 200_000]),
    designated: Uint8Array.from([1, 1]),
    emergency: Uint8Array.from([0, 0]),
    prescription: Uint8Array.from([1, 1]),
    facility: Uint32Array.from([1_000_001, 3_000_001]),
  };
  return { persons, claims };
}

const sampleOf = (city: string, n: number, seed = 1): BaseSample => {
  const { persons, claims } = generateChunk(cityModel(city, 2023), seed, 0, n);
  return { persons, claims, ids: persons.id, sex: persons.sex };
};

describe("a hand-computed two-year case (Lanzhou reform)", () => {
  // Lanzhou: deductible 200 a year; level 1 active 65 %, level 3 retired 60 %; cap 2 500; actives
  // credited 2 % of the base from their 8 % contribution; retirees 90 yuan a month from the pool.
  const params: ProjectionParams = { ...zeroParams(0), wageGrowth: 0.1, costTrend: 0.1, pensionGrowth: 0.05 };
  const policy = loadPolicy("lanzhou");
  const r = project({ sample: twoPersons(), baseYear: 2023, years: 2, schemes: [policy.reform], baseline: policy.baseline, finance: FINANCE, params });
  const [y0, y1] = r.schemes[0].years;

  it("2023: income 4 800 − 1 200 = 3 600; outflow (1 000−200)×65 % + (2 000−200)×60 % + 12×90 = 2 680", () => {
    expect(y0.flows.pooledIncomeFen).toBe(360_000);
    expect(y0.flows.outpatientFundFen[0]).toBe(52_000 + 108_000);
    expect(y0.flows.retireeCreditsFen).toBe(108_000);
    expect(y0.flows.pooledOutflowFen).toBe(268_000);
    expect(y0.reserveClosingFen).toBe(92_000);
  });

  it("2024: wages +10 % → income 5 280 − 1 320 = 3 960; costs +10 % → (1 100−200)×65 % + (2 200−200)×60 % + 1 080 = 2 865", () => {
    expect(y1.year).toBe(2024);
    expect(y1.flows.pooledIncomeFen).toBe(396_000);
    expect(y1.flows.outpatientFundFen[0]).toBe(58_500 + 120_000);
    expect(y1.flows.retireeCreditsFen).toBe(108_000);
    expect(y1.flows.pooledOutflowFen).toBe(286_500);
    expect(y1.reserveOpeningFen).toBe(92_000);
    expect(y1.reserveClosingFen).toBe(92_000 + 109_500);
    // Months on NHSA's bulletin basis: the retiree credits (1 080) are account income there, not
    // pooled spending: 2 865 − 1 080 = 1 785.
    expect(y1.monthsOfReserve).toBeCloseTo(201_500 / ((286_500 - 108_000) / 12), 10);
    expect(y1.flag).toBe("ok");
    expect(r.schemes[0].firstDeficitYear).toBeNull();
  });

});

describe("zero trends and zero elasticities reproduce the base year (a stationary population)", () => {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const sample = sampleOf(city, 1500);
  const r = project({
    sample, baseYear: 2023, years: 10, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params: zeroParams(finance.openingReserveMonths),
    demography: { stationary: true },
  });

  it("year 0 is the engine's base year, scaled to the city", () => {
    // Opening account balances change only what accounts pay, not the pooled flows.
    const f = emptyFlows();
    const p = { ...sample.persons, openingBalanceFen: new Int32Array(sample.persons.count) };
    addChunk(f, p, sample.claims, runChunk(policy.reform, p, sample.claims, 2023, finance));
    const scale = finance.insured / sample.persons.count;
    const y0 = r.schemes[0].years[0].flows;
    expect(y0.pooledIncomeFen).toBeCloseTo(f.pooledIncomeFen * scale, 0);
    expect(y0.outpatientFundFen[0]).toBeCloseTo(f.outpatientFundFen[0] * scale, 0);
    expect(y0.inpatientFundFen).toBeCloseTo(f.inpatientFundFen * scale, 0);
  });

  it("every later year's pooled flows equal the base year's (rules past 2027 kept in force)", () => {
    for (const s of r.schemes) {
      const y0 = s.years[0];
      expect(s.years).toHaveLength(10);
      for (const y of s.years.slice(1)) {
        expect(y.insured).toBeCloseTo(y0.insured, 6);
        expect(y.flows.pooledIncomeFen).toBeCloseTo(y0.flows.pooledIncomeFen, 0);
        expect(y.flows.pooledOutflowFen).toBeCloseTo(y0.flows.pooledOutflowFen, 0);
        expect(y.flows.outpatientFundFen).toEqual(y0.flows.outpatientFundFen.map((x) => expect.closeTo(x, 0)));
        expect(y.flows.spendingFen).toBeCloseTo(y0.flows.spendingFen, 0);
        expect(y.netFen).toBeCloseTo(y0.netFen, 0);
      }
      // The balance moves by the same net every year.
      expect(s.years[9].reserveClosingFen - s.years[0].reserveOpeningFen).toBeCloseTo(10 * s.years[0].netFen, -2);
    }
  });

  it("the opening reserve is openingReserveMonths of the baseline's base-year pooled spending on NHSA's bulletin basis", () => {
    const b = r.schemes[1].years[0];
    expect(b.reserveOpeningFen).toBeCloseTo((finance.openingReserveMonths * (b.flows.pooledOutflowFen - b.flows.retireeCreditsFen)) / 12, 0);
    expect(r.schemes[0].years[0].reserveOpeningFen).toBe(b.reserveOpeningFen);
  });
});

describe("dated rules", () => {
  it("Jinan's 2024 step applies from 2024, then stays (zero trends)", () => {
    const policy = loadPolicy("jinan");
    const { finance } = loadFinance("jinan");
    const r = project({ sample: sampleOf("jinan", 1500), baseYear: 2023, years: 4, schemes: [policy.reform], baseline: policy.baseline, finance, params: zeroParams(12), demography: { stationary: true } });
    const out = r.schemes[0].years.map((y) => y.flows.pooledOutflowFen);
    expect(out[1]).not.toBeCloseTo(out[0], -2);
    expect(out[2]).toBeCloseTo(out[1], 0);
    expect(out[3]).toBeCloseTo(out[1], 0);
  });

  it("Ganzhou's reform (2023–2024) continues on its last rules to any horizon", () => {
    const policy = loadPolicy("ganzhou");
    const { finance } = loadFinance("ganzhou");
    const r = project({ sample: sampleOf("ganzhou", 800), baseYear: 2023, years: 6, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params: zeroParams(12), demography: { stationary: true } });
    for (const s of r.schemes) {
      expect(s.years.map((y) => y.year)).toEqual([2023, 2024, 2025, 2026, 2027, 2028]);
      expect(s.years[5].flows.pooledOutflowFen).toBeCloseTo(s.years[1].flows.pooledOutflowFen, 0);
    }
  });
});

describe("utilisation response", () => {
  const city = "neijiang";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const sample = sampleOf(city, 3000);
  const run = (params: ProjectionParams) =>
    project({ sample, baseYear: 2023, years: 1, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params });
  const outpatient = new Set(["general", "tcm", "two_disease", "special_exam"].map((k) => KINDS.indexOf(k as (typeof KINDS)[number])));
  let opClaims = 0;
  for (let j = 0; j < sample.claims.length; j++) if (outpatient.has(sample.claims.kind[j])) opClaims++;

  it("a negative visit elasticity raises outpatient claims under the reform by ≈ (p_reform / p_baseline)^ε, not under the baseline", () => {
    const off = run(zeroParams(12));
    const on = run({ ...zeroParams(12), elasticityVisitsActive: -0.2, elasticityVisitsRetired: -0.2 });
    const [pa, pr] = on.prices.schemes[0];
    expect(on.prices.baseline).toEqual([1, 1]);
    expect(pa).toBeLessThan(1);
    const expected = Math.pow(((pa + pr) / 2) / 1, -0.2);
    const extra = (on.schemes[0].years[0].flows.claims - off.schemes[0].years[0].flows.claims) / (off.schemes[0].years[0].flows.persons / sample.persons.count);
    expect(extra / opClaims).toBeGreaterThan((expected - 1) * 0.7);
    expect(extra / opClaims).toBeLessThan((expected - 1) * 1.3);
    expect(on.schemes[0].years[0].flows.pooledOutflowFen).toBeGreaterThan(off.schemes[0].years[0].flows.pooledOutflowFen);
    expect(on.schemes[1].years[0].flows.pooledOutflowFen).toBe(off.schemes[1].years[0].flows.pooledOutflowFen);
  });

  it("a cost elasticity raises spending; a level shift moves visits to level 1 and lowers spending", () => {
    const off = run(zeroParams(12)).schemes[0].years[0].flows;
    const cost = run({ ...zeroParams(12), elasticityCostActive: -0.1, elasticityCostRetired: -0.1 }).schemes[0].years[0].flows;
    expect(cost.spendingFen).toBeGreaterThan(off.spendingFen);
    const shift = run({ ...zeroParams(12), levelShift: 0.2, levelCostRatio: 0.6 }).schemes[0].years[0].flows;
    expect(shift.spendingFen).toBeLessThan(off.spendingFen);
    expect(shift.claims).toBeCloseTo(off.claims, 6);
  });
});

describe("the response's ramp and indexed caps (issue 12)", () => {
  const city = "neijiang";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const sample = sampleOf(city, 2000);
  const run = (params: ProjectionParams) =>
    project({ sample, baseYear: 2023, years: 4, schemes: [policy.reform], baseline: policy.baseline, finance, params }).schemes[0].years;
  const behaviour = { ...zeroParams(12), elasticityVisitsActive: -0.3, elasticityVisitsRetired: -0.3, elasticityCostActive: -0.1, elasticityCostRetired: -0.1, levelShift: 0.2, levelCostRatio: 0.6 };

  it("with a three-year ramp the response is partial in years 1–2 and whole from year 3, where it equals the immediate response", () => {
    const now = run({ ...behaviour, responseRampYears: 1 });
    const ramp = run({ ...behaviour, responseRampYears: 3 });
    const none = run(zeroParams(12));
    for (const t of [0, 1]) {
      expect(ramp[t].flows.claims).toBeGreaterThan(none[t].flows.claims);
      expect(ramp[t].flows.claims).toBeLessThan(now[t].flows.claims);
    }
    expect(ramp[0].flows.claims).toBeLessThan(ramp[1].flows.claims);
    // From year 3 the same claims and pooled payments (account balances carry the earlier years).
    for (const t of [2, 3]) {
      for (const k of ["claims", "spendingFen", "pooledIncomeFen", "pooledOutflowFen"] as const) expect(ramp[t].flows[k]).toBe(now[t].flows[k]);
      expect(ramp[t].flows.outpatientFundFen).toEqual(now[t].flows.outpatientFundFen);
    }
  });

  it("indexed caps and deductibles: off reproduces the texts' amounts; on, they grow with the share of wage growth, rounded to the yuan", () => {
    const base = { ...zeroParams(12), wageGrowth: 0.1 };
    const off = run(base);
    const on = run({ ...base, capIndexation: 1 });
    expect(on[0].flows).toEqual(off[0].flows); // year 0: index 1
    // Higher deductibles and caps: different outpatient payments from year 1 on, the same income.
    expect(on[2].flows.outpatientFundFen[0]).not.toBe(off[2].flows.outpatientFundFen[0]);
    expect(on[2].flows.pooledIncomeFen).toBe(off[2].flows.pooledIncomeFen);
    const r = rulesAt(indexScheme(policy.reform, 1.1 ** 2), parseIsoDay("2023-06-01")!)!;
    const r0 = rulesAt(policy.reform, parseIsoDay("2023-06-01")!)!;
    expect(r.generalCapFen).toEqual(r0.generalCapFen!.map((c) => Math.round((c * 1.21) / 100) * 100));
    expect(r.benefits.general!.deductibleFen).toEqual(r0.benefits.general!.deductibleFen.map((d) => Math.round((d * 1.21) / 100) * 100));
    expect(indexScheme(policy.reform, 1)).toBe(policy.reform);
  });
});

describe("assumptions files", () => {
  it("every city loads, every value sourced, distributions contain their central value", () => {
    for (const c of cityIds()) {
      const a = loadAssumptions(c);
      expect(a.params.openingReserveMonths).toBeGreaterThan(0);
      for (const row of a.rows) {
        expect(row.source.length).toBeGreaterThan(0);
        expect(["O", "S", "D", "E"]).toContain(row.rating);
      }
      for (const [k, d] of Object.entries(a.dists)) {
        const v = a.params[k as keyof ProjectionParams];
        expect(quantileOf(d!, v, 0.05)).toBeLessThanOrEqual(v);
        expect(quantileOf(d!, v, 0.95)).toBeGreaterThanOrEqual(v);
      }
    }
    // A city file overrides the national one (Neijiang's entry rate); the issue 13 keys load everywhere.
    expect(loadAssumptions("neijiang").params.entryRate).toBe(0.02);
    expect(loadAssumptions("lvliang").params.retirementRate).toBe(0.02);
    expect(loadAssumptions("lanzhou").params.wageCostCorrelation).toBe(0.5);
    expect(loadAssumptions("lanzhou").params.wageGrowth).toBe(0.05);
  });

  it("flags months of reserve below 6 and above 15", () => {
    expect([5.9, 6, 15, 15.1].map(reserveFlag)).toEqual(["low", "ok", "ok", "high"]);
  });
});

describe("Monte Carlo bands and the tornado", () => {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const reference = sampleOf(city, 2000, 1);
  const samples = [2, 3, 4].map((s) => sampleOf(city, 400, s));
  const r = projectDraws({ reference, samples, baseYear: 2023, years: 10, scheme: policy.reform, baseline: policy.baseline, finance, assumptions: a, draws: 60, seed: 5 });

  it("5–95 % bands widen with the horizon and hold the median", () => {
    const width = r.bands.map((b) => b.balanceP95Fen - b.balanceP5Fen);
    for (let t = 2; t < 10; t++) expect(width[t]).toBeGreaterThan(width[t - 1]);
    const mw = r.bands.map((b) => b.monthsP95 - b.monthsP5);
    expect(mw[9]).toBeGreaterThan(mw[4]);
    expect(mw[4]).toBeGreaterThan(mw[1]);
    for (const b of r.bands) {
      expect(b.balanceP5Fen).toBeLessThanOrEqual(b.balanceP50Fen);
      expect(b.balanceP50Fen).toBeLessThanOrEqual(b.balanceP95Fen);
    }
    expect(r.draws).toHaveLength(60);
  });

  it("a draw at the central parameters on the reference is the deterministic projection", () => {
    const prep = prepareProjection({ sample: reference, baseYear: 2023, years: 10, schemes: [policy.reform], baseline: policy.baseline, finance });
    const central = projectScheme(prep, a.params, 0);
    const path = ratioPath(prep, central, prep, central, a.params);
    expect(path.balanceFen[9]).toBeCloseTo(central.years[9].reserveClosingFen, -1);
    expect(r.central.years[9].reserveClosingFen).toBeCloseTo(central.years[9].reserveClosingFen, -1);
  });

  it("the tornado ranks parameters by swing; cost trend lowers the reserve, wage growth raises it", () => {
    const prep = (s: BaseSample) => prepareProjection({ sample: s, baseYear: 2023, years: 6, schemes: [policy.reform], baseline: policy.baseline, finance });
    const t = tornadoByRatio(prep(reference), samples.slice(0, 1).map(prep), a);
    expect(t.bars.length).toBe(Object.keys(a.dists).length);
    for (let i = 1; i < t.bars.length; i++) expect(t.bars[i - 1].swing).toBeGreaterThanOrEqual(t.bars[i].swing);
    const bar = (k: string) => t.bars.find((b) => b.key === k)!;
    expect(bar("costTrend").monthsAtHigh).toBeLessThan(bar("costTrend").monthsAtLow);
    expect(bar("wageGrowth").monthsAtHigh).toBeGreaterThan(bar("wageGrowth").monthsAtLow);
  });
});

describe("goal-seek", () => {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const sample = sampleOf(city, 1500, 1);
  const monthsWith = (lever: LeverId, x: number) => {
    const scheme = resolveScheme(policy, leverScenario(policy, lever, x, null));
    const prep = prepareProjection({ sample, baseYear: 2023, years: 5, schemes: [scheme], baseline: policy.baseline, finance });
    return projectScheme(prep, a.params, 0).years[4].monthsOfReserve;
  };

  it("the cap found, put back in as a scenario, keeps the target; one yuan more misses it", () => {
    const target = monthsWith("cap", 2500) - 1; // a little below the reform's own result: a higher cap
    const g = goalSeek((x) => monthsWith("cap", x), 0, 20_000, 1, target);
    expect(g.value).not.toBeNull();
    expect(g.value!).toBeGreaterThan(2500);
    const back = monthsWith("cap", g.value!);
    expect(back).toBeCloseTo(g.achieved, 10);
    expect(back).toBeGreaterThanOrEqual(target);
    expect(monthsWith("cap", g.value! + 1)).toBeLessThan(target);
  });

  it("the deductible for a target above the reform's: the lowest that keeps it", () => {
    const target = monthsWith("deductible", 200) + 0.5;
    const g = goalSeek((x) => monthsWith("deductible", x), 0, 5_000, 1, target);
    expect(g.value!).toBeGreaterThan(200);
    expect(monthsWith("deductible", g.value!)).toBeGreaterThanOrEqual(target);
    expect(monthsWith("deductible", g.value! - 1)).toBeLessThan(target);
  });

  it("the rate shift found, put back in as a scenario, keeps the target; 0.1 point more misses it", () => {
    const target = monthsWith("rate", 0) - 1; // below the reform's own result: rates can rise
    const g = goalSeek((x) => monthsWith("rate", x), -30, 30, 0.1, target);
    expect(g.value).not.toBeNull();
    expect(g.value!).toBeGreaterThan(0);
    const back = monthsWith("rate", g.value!);
    expect(back).toBeCloseTo(g.achieved, 10);
    expect(back).toBeGreaterThanOrEqual(target);
    expect(monthsWith("rate", g.value! + 0.1)).toBeLessThan(target);
  });

  it("goalSeekLever: the scenario it returns, run through the CLI's scenario loader, meets the target in the target year", () => {
    const input = { sample, baseYear: 2023, years: 6, baseline: policy.baseline, finance };
    const full = (scenario: Parameters<typeof resolveScheme>[1]) =>
      projectScheme(prepareProjection({ ...input, schemes: [resolveScheme(policy, scenario)] }), a.params, 0).years;
    const target = full("reform")[3].monthsOfReserve - 1.5;
    const g = goalSeekLever(policy, null, input, a.params, { lever: "rate", target, year: 2026 });
    expect(g).toMatchObject({ lever: "rate", year: 2026, lo: -30, hi: 30, step: 0.1, wholeRange: false });
    const dir = mkdtempSync(join(tmpdir(), "fundsim-seek-"));
    try {
      const file = join(dir, "s.yaml");
      writeFileSync(file, stringify(g.scenario));
      const years = full(loadScenarioFile(file));
      // The year the lever was sought for, in a projection running past it.
      expect(years[3].monthsOfReserve).toBeCloseTo(g.achieved, 10);
      expect(years[3].monthsOfReserve).toBeGreaterThanOrEqual(target);
      const more = leverScenario(policy, "rate", g.value! + 0.1, null);
      expect(full(more)[3].monthsOfReserve).toBeLessThan(target);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => goalSeekLever(policy, null, input, a.params, { lever: "rate", target, year: 2030 })).toThrow(/2023–2028/);
  });

  it("reports no value when no value in range reaches the target", () => {
    const g = goalSeek((x) => x / 100, 0, 100, 1, 5);
    expect(g.value).toBeNull();
    // Both ends keep it: the end nearer the target (the more generous one) is returned.
    const h = goalSeek((x) => 10 - x / 100, 0, 100, 1, 5);
    expect(h).toMatchObject({ value: 100, wholeRange: true, achieved: 9 });
  });
});

describe("the rate lever: every general outpatient rate cell moved by the same points", () => {
  /** The rate cells in force on a day: [level][active, retired] in basis points, uplifts included. */
  const cells = (scheme: ReturnType<typeof resolveScheme>, iso: string) => {
    const r = rulesAt(scheme, parseIsoDay(iso)!)!.benefits.general!.rateBp;
    return [0, 1, 2].map((l) => [r[l * 2], r[l * 2 + 1]]);
  };

  it("keeps the gradient by level and the retiree split or uplift the text sets", () => {
    const lz = loadPolicy("lanzhou");
    expect(leverScenario(lz, "rate", 2.5, null).set).toEqual({
      "benefits.general.rate.level1": { active: "67.5%", retired: "72.5%" },
      "benefits.general.rate.level2": { active: "62.5%", retired: "67.5%" },
      "benefits.general.rate.level3": { active: "57.5%", retired: "62.5%" },
    });
    const gz = loadPolicy("ganzhou"); // one rate per level, retirees + 5 points
    const s = resolveScheme(gz, leverScenario(gz, "rate", -10, null));
    expect(cells(s, "2023-06-01")).toEqual([[5000, 5500], [4500, 5000], [4000, 4500]]);
  });

  it("holds cells within 0–100 %", () => {
    const lz = loadPolicy("lanzhou");
    expect(cells(resolveScheme(lz, leverScenario(lz, "rate", 45, null)), "2024-01-01").flat()).toEqual([10000, 10000, 10000, 10000, 10000, 10000]);
    expect(cells(resolveScheme(lz, leverScenario(lz, "rate", -70, null)), "2024-01-01").flat()).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("shifts every dated value of a cell, a base scenario's amendments included (Jinan's dated retiree uplift kept)", () => {
    const gz = loadPolicy("ganzhou");
    const base = parseScenarioFor({ name: "x", amend: [{ from: "2024-07-01", set: { "benefits.general.rate.level1": "80%" } }] });
    const sc = leverScenario(gz, "rate", 5, base);
    expect(sc.amend?.map((a) => a.from)).toEqual(["2024-07-01", "2024-07-01"]);
    const s = resolveScheme(gz, sc);
    expect(cells(s, "2024-03-01")[0]).toEqual([6500, 7000]);
    expect(cells(s, "2024-08-01")[0]).toEqual([8500, 9000]);
    const jn = loadPolicy("jinan");
    const j = resolveScheme(jn, leverScenario(jn, "rate", 1, null));
    expect(cells(j, "2023-06-01")[0]).toEqual([7100, 7100]);
    expect(cells(j, "2024-06-01")[0]).toEqual([7100, 7600]);
  });
});

/** A scenario as a file would give it (base defaults to the reform). */
function parseScenarioFor(raw: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), "fundsim-sc-"));
  try {
    const file = join(dir, "s.yaml");
    writeFileSync(file, stringify(raw));
    return loadScenarioFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("assumptions files of one's own (--assumptions, the projection page's download)", () => {
  const dir = mkdtempSync(join(tmpdir(), "fundsim-assume-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it("replaces the entries it gives, the opening reserve included, and marks them", () => {
    const f = write("a.yaml", stringify({
      city: "lanzhou",
      costTrend: { value: "6%", source: "own", rating: "E", note: "higher", dist: { dist: "normal", sd: "1%" } },
      openingReserveMonths: { value: 9, source: "bureau", rating: "O" },
    }));
    const a = loadAssumptions("lanzhou", { file: f });
    expect(a.params.costTrend).toBe(0.06);
    expect(a.params.openingReserveMonths).toBe(9);
    expect(a.params.wageGrowth).toBe(loadAssumptions("lanzhou").params.wageGrowth);
    expect(a.dists.costTrend).toEqual({ dist: "normal", sd: 0.01 });
    expect(a.rows.filter((r) => r.file).map((r) => r.key).sort()).toEqual(["costTrend", "openingReserveMonths"]);
  });

  it("refuses a file for another city, and names the line of a bad entry", () => {
    const other = write("b.yaml", stringify({ city: "jinan" }));
    expect(() => loadAssumptions("lanzhou", { file: other })).toThrow(/for jinan, not lanzhou/);
    const bad = write("c.yaml", "city: lanzhou\ncostTrend:\n  value: 6%\n  source: own\n  rating: E\n  note: own\n  dist: { dist: triangular, min: 1%, max: 5% }\n");
    expect(() => loadAssumptions("lanzhou", { file: bad })).toThrow(/c\.yaml: 7:\d+: costTrend\.dist: the value must lie within/);
  });

  it("the page's file reads back as exactly the parameters the page projects with", () => {
    // The rows the page has (projection.json's assumptions), and edits as typed in the boxes.
    const rows = loadAssumptions("neijiang").rows.map((r) => ({ ...r, note: r.note ?? null, dist: r.dist ?? null }));
    const edits = { costTrend: 5.7, pensionGrowth: 4.6, elasticityVisitsActive: -0.35, levelShift: 12, openingReserveMonths: 11.5 };
    const params = editedParams(rows, edits);
    const a = loadAssumptions("neijiang", { file: write("page.yaml", assumptionsYaml("neijiang", rows, edits)) });
    expect(a.params).toEqual(params);
    expect(a.params.costTrend).toBe(0.057);
    // A triangular range moves with its edited central value (4.6 % is above the file's 1–4 %).
    expect(a.dists.pensionGrowth).toMatchObject({ dist: "triangular" });
    expect((a.dists.pensionGrowth as { min: number }).min).toBeCloseTo(0.031, 12);
    expect(a.rows.find((r) => r.key === "costTrend")).toMatchObject({ rating: "E", file: true });
    // With no edits the file is the files' assumptions.
    expect(loadAssumptions("neijiang", { file: write("same.yaml", assumptionsYaml("neijiang", rows, {})) }).params).toEqual(loadAssumptions("neijiang").params);
  });

  it("the page's goal-seek scenario file is a scenario the CLI reads", () => {
    const policy = loadPolicy("jinan");
    const sc = leverScenario(policy, "rate", 1.5, null);
    const text = scenarioYaml({ lever: "rate", value: 1.5, year: 2030, target: 6, achieved: 7.25, scenario: sc }, { city: "jinan", edited: true, persons: 5000 });
    expect(text).toMatch(/^# fundsim scenario/);
    expect(text).toContain("--assumptions");
    expect(loadScenarioFile(write("s.yaml", text))).toEqual(sc);
  });
});

describe("the page's worker projects the build's sample", () => {
  it("the sample as the page ships it (encoded, decoded) gives the build's central paths exactly", () => {
    // Jinan: its 2023 deductible is counted per facility, and the level shift moves claims to a
    // level-1 facility by id — the shipped sample must keep the generator's facility ids.
    const city = "jinan";
    const policy = loadPolicy(city);
    const { finance } = loadFinance(city);
    const a = loadAssumptions(city);
    const s = pageSample(city, 1200);
    const shipped = baseSampleOf(decodeSample(encodeSample({ city, year: 2023, seed: 1, firstId: 0 }, s, { keepFacilityIds: true })));
    // The cohort cells as the build writes them into projection.json and the worker reads them back.
    const cohorts = cityCohorts(city, 2023, finance.insured);
    const json = JSON.parse(JSON.stringify({ structure: Array.from(cohorts.structure), rules: cohorts.rules }));
    const paths = (sample: BaseSample, c: { structure: Float64Array; rules: typeof cohorts.rules }) =>
      pagePaths(prepareProjection({ sample, baseYear: 2023, years: 4, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, ...c }), a.params);
    expect(paths(shipped, { structure: Float64Array.from(json.structure), rules: json.rules })).toEqual(paths(s, cohorts));
    expect(shipped.sex).toEqual(s.sex);
    expect(Array.from(shipped.ids!.slice(0, 3))).toEqual([0, 1, 2]);
    expect(shipped.claims.facility).toEqual(s.claims.facility);
  });
});

describe("fundsim project", () => {
  const ROOT = join(import.meta.dirname, "..");
  const dir = mkdtempSync(join(tmpdir(), "fundsim-project-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fundsim = (...args: string[]) => spawnSync(process.execPath, ["bin/fundsim.js", "project", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TZ: "Asia/Shanghai" } });

  it("writes the projection, bands, tornado, draws and the goal-seek scenario as Parquet and CSV", async () => {
    const out = join(dir, "gz");
    const r = fundsim("--city", "ganzhou", "--years", "4", "--persons", "1500", "--draws", "12", "--samples", "2", "--sample-persons", "300", "--goal-seek", "deductible", "--target", "3", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("2026");
    const names = ["projection", "projection_flows", "assumptions", "tornado", "variance", "draws"];
    expect(readdirSync(out).sort()).toEqual([...names.flatMap((n) => [`${n}.csv`, `${n}.parquet`]), "goal-seek-scenario.yaml", "projection.json", ".fundsim-output.json"].sort());
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const rows = (await c.runAndReadAll(`SELECT year, scheme, role, months_of_reserve, months_p5, months_p95, pooled_income_wan FROM '${out}/projection.parquet' ORDER BY role DESC, year`)).getRowObjectsJS();
    c.closeSync();
    expect(rows).toHaveLength(8);
    expect(rows.filter((x) => x.role === "scenario").every((x) => x.months_p5 !== null)).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, "projection.json"), "utf8"));
    expect(meta.goalSeek.lever).toBe("deductible");
    // The band says what it holds, and each source's share of the variance (issue 13).
    expect(meta.uncertainty).toEqual(["parameters", "process", "structural", "sampling"]);
    expect(r.stdout).toContain("the band (p5–p95) holds: parameter uncertainty");
    expect(meta.varianceDecomposition.shares.map((x: { source: string }) => x.source)).toEqual(meta.uncertainty);
    expect(meta.varianceDecomposition.shares.reduce((a: number, x: { share: number }) => a + x.share, 0)).toBeCloseTo(1, 9);
    const scenario = loadScenarioFile(join(out, "goal-seek-scenario.yaml"));
    expect(scenario.set!["benefits.general.deductible.amount"]).toBe(meta.goalSeek.value);
  });

  it("goal-seeks the rate for a target year with an assumptions file; the scenario it writes meets the target", async () => {
    const assume = join(dir, "assume.yaml");
    writeFileSync(assume, stringify({ city: "lanzhou", costTrend: { value: "5%", source: "test", rating: "E", note: "test" } }));
    const out = join(dir, "rate");
    const r = fundsim("--city", "lanzhou", "--years", "5", "--persons", "1200", "--assumptions", assume, "--goal-seek", "rate", "--target", "12", "--target-year", "2026", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, "projection.json"), "utf8"));
    expect(meta.goalSeek).toMatchObject({ lever: "rate", year: 2026, target: 12 });
    expect(meta.assumptionsFile).toBe(assume);
    expect(readFileSync(join(out, "goal-seek-scenario.yaml"), "utf8")).toMatch(/months of reserve in 2026 ≥ 12 .*with the assumptions of/);
    const check = join(dir, "rate-check");
    const back = fundsim("--city", "lanzhou", "--years", "5", "--persons", "1200", "--assumptions", assume, "--scenario", join(out, "goal-seek-scenario.yaml"), "--out", check);
    expect(back.status, back.stderr).toBe(0);
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const rows = (await c.runAndReadAll(`SELECT months_of_reserve FROM '${check}/projection.parquet' WHERE role = 'scenario' AND year = 2026`)).getRowObjectsJS();
    const used = (await c.runAndReadAll(`SELECT value, file_override FROM '${check}/assumptions.parquet' WHERE key = 'costTrend'`)).getRowObjectsJS();
    c.closeSync();
    expect(Number(rows[0].months_of_reserve)).toBeCloseTo(meta.goalSeek.achieved, 8);
    expect(Number(rows[0].months_of_reserve)).toBeGreaterThanOrEqual(12);
    expect(used[0]).toMatchObject({ value: 0.05, file_override: true });
  });

  it("refuses a bad option with one message and exit 2, leaving nothing behind", () => {
    const out = join(dir, "bad");
    const r = fundsim("--city", "paris", "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--city/);
    expect(existsSync(out)).toBe(false);
    expect(fundsim("--city", "jinan", "--goal-seek", "nonsense", "--out", out).status).toBe(2);
    const year = fundsim("--city", "jinan", "--goal-seek", "rate", "--target-year", "2040", "--out", out);
    expect(year.status).toBe(2);
    expect(year.stderr).toMatch(/--target-year: must be a year projected, 2023–2032/);
    const alone = fundsim("--city", "jinan", "--target-year", "2030", "--out", out);
    expect(alone.stderr).toMatch(/--target-year: goes with --goal-seek/);
    for (const [args, msg] of [
      [["--goal-seek", "cap", "--target-percentile", "100"], /--target-percentile: must lie strictly between 0 and 100/],
      [["--goal-seek", "cap", "--target-probability", "1.5"], /--target-probability: must lie strictly between 0 and 1/],
      [["--target-probability", "0.1"], /--target-probability: goes with --goal-seek/],
      [["--uncertainty", "parameters,luck"], /--uncertainty: a comma-separated list of parameters, process, structural, sampling/],
    ] as Array<[string[], RegExp]>) {
      const x = fundsim("--city", "jinan", ...args, "--out", out);
      expect(x.status).toBe(2);
      expect(x.stderr).toMatch(msg);
    }
    const assume = fundsim("--city", "jinan", "--assumptions", join(dir, "missing.yaml"), "--out", out);
    expect(assume.status).toBe(2);
    expect(assume.stderr).toMatch(/missing\.yaml/);
    expect(existsSync(out)).toBe(false);
  });
});
