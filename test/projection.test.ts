// The actuarial projection (issue 7): a hand-computed two-year case, zero trends reproducing the
// base year, dated rule changes, rules continued past a period's end, the utilisation response,
// the assumptions files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../src/loaders/policies.ts";
import { dayFromCivil } from "../src/model/dates.ts";
import { type EngineClaims, type EnginePersons, NO_DAY, runChunk } from "../src/model/engine.ts";
import type { Finance } from "../src/model/finance.ts";
import { addChunk, emptyFlows } from "../src/model/fund.ts";
import {
  type BaseSample, goalSeek, type LeverId, leverScenario, prepareProjection, project, projectDraws, type ProjectionParams, projectScheme, quantileOf,
  ratioPath, reserveFlag, tornadoByRatio, zeroParams,
} from "../src/model/projection.ts";
import { CITIES, KINDS } from "../src/model/types.ts";

// Lanzhou's finance with 8 % contributions, no other income, no chronic spending, no opening reserve, two enrollees.
const FINANCE: Finance = {
  ...loadFinance("lanzhou").finance,
  employerBp: 600, employeeBp: 200, chronicFundPerEnrolleeFen: 0, openingReserveMonths: 0, accountOpeningMonths: 0, insured: 2, otherIncomeShareBp: 0, familyUseShareBp: 0,
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

const sampleOf = (city: (typeof CITIES)[number], n: number, seed = 1): BaseSample => {
  const { persons, claims } = generateChunk(cityModel(city, 2023), seed, 0, n);
  return { persons, claims, ids: persons.id };
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
    expect(y1.monthsOfReserve).toBeCloseTo(201_500 / (286_500 / 12), 10);
    expect(y1.flag).toBe("ok");
    expect(r.schemes[0].firstDeficitYear).toBeNull();
  });

  it("population flows: entry, retirement and mortality move the weights", () => {
    const q = { ...params, entryRate: 0.1, retirementRate: 0.05, retireeMortality: 0.02 };
    const s = project({ sample: twoPersons(), baseYear: 2023, years: 2, schemes: [policy.reform], baseline: policy.baseline, finance: FINANCE, params: q });
    const z1 = s.schemes[0].years[1];
    expect(z1.active).toBeCloseTo(1.05, 12);
    expect(z1.retired).toBeCloseTo(0.98 + 0.05, 12);
    expect(z1.flows.pooledIncomeFen).toBeCloseTo(396_000 * 1.05, 6);
    expect(z1.flows.pooledOutflowFen).toBeCloseTo(58_500 * 1.05 + (120_000 + 108_000) * 1.03, 6);
  });
});

describe("zero trends and zero elasticities reproduce the base year", () => {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const sample = sampleOf(city, 1500);
  const r = project({ sample, baseYear: 2023, years: 10, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params: zeroParams(finance.openingReserveMonths) });

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

  it("the opening reserve is openingReserveMonths of the baseline's base-year outflow", () => {
    const b = r.schemes[1].years[0];
    expect(b.reserveOpeningFen).toBeCloseTo((finance.openingReserveMonths * b.flows.pooledOutflowFen) / 12, 0);
    expect(r.schemes[0].years[0].reserveOpeningFen).toBe(b.reserveOpeningFen);
  });
});

describe("dated rules", () => {
  it("Jinan's 2024 step applies from 2024, then stays (zero trends)", () => {
    const policy = loadPolicy("jinan");
    const { finance } = loadFinance("jinan");
    const r = project({ sample: sampleOf("jinan", 1500), baseYear: 2023, years: 4, schemes: [policy.reform], baseline: policy.baseline, finance, params: zeroParams(12) });
    const out = r.schemes[0].years.map((y) => y.flows.pooledOutflowFen);
    expect(out[1]).not.toBeCloseTo(out[0], -2);
    expect(out[2]).toBeCloseTo(out[1], 0);
    expect(out[3]).toBeCloseTo(out[1], 0);
  });

  it("Ganzhou's reform (2023–2024) continues on its last rules to any horizon", () => {
    const policy = loadPolicy("ganzhou");
    const { finance } = loadFinance("ganzhou");
    const r = project({ sample: sampleOf("ganzhou", 800), baseYear: 2023, years: 6, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params: zeroParams(12) });
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

describe("assumptions files", () => {
  it("every city loads, every value sourced, distributions contain their central value", () => {
    for (const c of CITIES) {
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
    expect(loadAssumptions("lvliang").params.retirementRate).toBe(0.03);
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
    const scheme = resolveScheme(policy, leverScenario(lever, x, null, city));
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

  it("reports no value when no value in range reaches the target", () => {
    const g = goalSeek((x) => x / 100, 0, 100, 1, 5);
    expect(g.value).toBeNull();
    // Both ends keep it: the end nearer the target (the more generous one) is returned.
    const h = goalSeek((x) => 10 - x / 100, 0, 100, 1, 5);
    expect(h).toMatchObject({ value: 100, wholeRange: true, achieved: 9 });
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
    const names = ["projection", "projection_flows", "assumptions", "tornado", "draws"];
    expect(readdirSync(out).sort()).toEqual([...names.flatMap((n) => [`${n}.csv`, `${n}.parquet`]), "goal-seek-scenario.yaml", "projection.json"].sort());
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const rows = (await c.runAndReadAll(`SELECT year, scheme, role, months_of_reserve, months_p5, months_p95, pooled_income_wan FROM '${out}/projection.parquet' ORDER BY role DESC, year`)).getRowObjectsJS();
    c.closeSync();
    expect(rows).toHaveLength(8);
    expect(rows.filter((x) => x.role === "scenario").every((x) => x.months_p5 !== null)).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, "projection.json"), "utf8"));
    expect(meta.goalSeek.lever).toBe("deductible");
    const scenario = loadScenarioFile(join(out, "goal-seek-scenario.yaml"));
    expect(scenario.set!["benefits.general.deductible.amount"]).toBe(meta.goalSeek.value);
  });

  it("refuses a bad option with one message and exit 2, leaving nothing behind", () => {
    const out = join(dir, "bad");
    const r = fundsim("--city", "paris", "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--city/);
    expect(existsSync(out)).toBe(false);
    expect(fundsim("--city", "jinan", "--goal-seek", "nonsense", "--out", out).status).toBe(2);
  });
});
