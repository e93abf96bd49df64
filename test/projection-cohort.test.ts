// Issue 13 (a projection an actuary can sign): the cohort-component population, the open-cohort
// accounts, the band's sources of uncertainty and goal-seek on the band.
import { describe, expect, it } from "vitest";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { loadPolicy, resolveScheme } from "../src/loaders/policies.ts";
import { AGES } from "../src/model/projection/ages.ts";
import { CELLS, cellOf, cohortPath, STATUS_ACTIVE, STATUS_RETIRED } from "../src/model/projection/demography.ts";
import { goalSeekLever } from "../src/model/projection/goal-seek.ts";
import { censusLifeTable, lifeExpectancy } from "../src/model/projection/life-table.ts";
import { projectDraws, quantile, varianceDecomposition } from "../src/model/projection/monte-carlo.ts";
import { UNCERTAINTY_SOURCES, zeroParams } from "../src/model/projection/params.ts";
import { NATIONAL_RETIREMENT, project } from "../src/model/projection/project.ts";
import { structureOfModel } from "../src/model/projection/structure.ts";
import type { BaseSample } from "../src/model/projection/year-sample.ts";
import { retirementMonth } from "../src/model/retirement.ts";

const sampleOf = (n: number, seed = 1): BaseSample => {
  const { persons, claims } = generateChunk(cityModel("lanzhou", 2023), seed, 0, n);
  return { persons, claims, ids: persons.id, sex: persons.sex };
};

describe("the life table and the retirement rule", () => {
  it("the table's life expectancy at birth is the 2020 census's, by sex", () => {
    const q = censusLifeTable();
    expect(lifeExpectancy(q.subarray(0, AGES))).toBeCloseTo(75.37, 1);
    expect(lifeExpectancy(q.subarray(AGES))).toBeCloseTo(80.88, 1);
  });
  it("the 2025 raise: a man born in January 1965 retires a month late, one born in January 1966 five months late", () => {
    // orig 2025-01 → +1 (floor(0/4) + 1); orig 2026-01 → +floor(12/4) + 1 = 4.
    expect(retirementMonth(NATIONAL_RETIREMENT, 0, 1965 * 12) - (1965 * 12 + 720)).toBe(1);
    expect(retirementMonth(NATIONAL_RETIREMENT, 0, 1966 * 12) - (1966 * 12 + 720)).toBe(4);
    expect(retirementMonth(NATIONAL_RETIREMENT, 0, 1964 * 12)).toBe(1964 * 12 + 720);
  });
});

describe("a hand-computed two-year cohort case", () => {
  // 1 000 active men aged 59 in 2024 (born 1965) and 100 retired women aged 80; a life table with
  // q = 10 % for men at 59, 20 % for women at 80, 0 elsewhere.
  const base = new Float64Array(CELLS);
  base[cellOf(STATUS_ACTIVE, 0, 59)] = 1000;
  base[cellOf(STATUS_RETIRED, 1, 80)] = 100;
  const q = new Float64Array(2 * AGES);
  q[59] = 0.1;
  q[AGES + 80] = 0.2;
  q[AGES - 1] = q[2 * AGES - 1] = 1;
  const path = cohortPath(base, 2024, 3, { entryRate: 0, flexibleEntryRate: 0, mortalityScale: 1, earlyRetirementRate: 0 }, { rules: NATIONAL_RETIREMENT, lifeTable: q });

  it("2025: 100 men die at 59; of the 900 aged 60, those born January–August (8/12) draw a pension by December (retirement delayed 1–3 months)", () => {
    // Born in month m (0 = January): retires in 2025-01 + m + floor(m/4) + 1; the pension starts a
    // month later, within 2025 for m + floor(m/4) + 2 ≤ 11, i.e. m ≤ 7.
    const c = path[1].cells;
    expect(c[cellOf(STATUS_ACTIVE, 0, 60)]).toBeCloseTo(300, 9);
    expect(c[cellOf(STATUS_RETIRED, 0, 60)]).toBeCloseTo(600, 9);
    expect(c[cellOf(STATUS_RETIRED, 1, 81)]).toBeCloseTo(80, 9);
    expect(path[1].deaths).toBeCloseTo(120, 9);
    expect(path[1].retirements).toBeCloseTo(600, 9);
  });
  it("2026: the remaining 300 retire (born September–December, pensions from January–April 2026); nobody dies", () => {
    const c = path[2].cells;
    expect(c[cellOf(STATUS_ACTIVE, 0, 61)]).toBeCloseTo(0, 9);
    expect(c[cellOf(STATUS_RETIRED, 0, 61)]).toBeCloseTo(900, 9);
    expect(c[cellOf(STATUS_RETIRED, 1, 82)]).toBeCloseTo(80, 9);
  });
});

const city = "lanzhou";
const policy = loadPolicy(city);
const { finance } = loadFinance(city);
const a = loadAssumptions(city);
const structure = structureOfModel(cityModel(city, 2023), finance.insured);

describe("zero trends, zero mortality and zero retirements reproduce the base year (fund and accounts)", () => {
  const sample = sampleOf(1200);
  const r = project({
    sample, baseYear: 2023, years: 6, schemes: [policy.baseline], baseline: policy.baseline, finance, params: zeroParams(finance.openingReserveMonths),
    structure, rules: NATIONAL_RETIREMENT, demography: { stationary: true, retirements: false },
  });
  it("every year's pooled flows and account balances are the base year's", () => {
    const y0 = r.schemes[0].years[0];
    for (const y of r.schemes[0].years.slice(1)) {
      expect(y.flows.pooledIncomeFen).toBeCloseTo(y0.flows.pooledIncomeFen, 0);
      expect(y.flows.pooledOutflowFen).toBeCloseTo(y0.flows.pooledOutflowFen, 0);
      expect(y.flows.accountOpeningFen).toBeCloseTo(y0.flows.accountOpeningFen, 0);
      expect(y.flows.accountClosingFen).toBeCloseTo(y0.flows.accountClosingFen, 0);
    }
  });
  it("with ageing on (no deaths, retirements or entrants) the cohorts move: the enrollees stay, the retirees' ages rise", () => {
    const s = project({ sample, baseYear: 2023, years: 3, schemes: [policy.baseline], baseline: policy.baseline, finance, params: zeroParams(12), structure, rules: NATIONAL_RETIREMENT, demography: { retirements: false } });
    // Only those passing the table's last age (110) leave.
    expect(s.schemes[0].years[2].insured / s.schemes[0].years[0].insured).toBeCloseTo(1, 4);
    expect(s.schemes[0].years[2].flows.pooledOutflowFen).toBeGreaterThan(s.schemes[0].years[0].flows.pooledOutflowFen);
  });
});

describe("the band's sources", () => {
  const reference = sampleOf(1500, 1);
  const samples = [2, 3, 4].map((s) => sampleOf(300, s));
  const input = { reference, samples, baseYear: 2023, years: 5, scheme: policy.reform, baseline: policy.baseline, finance, assumptions: a, draws: 24, seed: 3, structure, rules: NATIONAL_RETIREMENT };
  const width = (sources: (typeof UNCERTAINTY_SOURCES)[number][]) => {
    const r = projectDraws({ ...input, sources });
    const last = r.draws.map((d) => d.monthsPath[4]);
    return quantile(last, 0.95) - quantile(last, 0.05);
  };
  const order = ["parameters", "process", "structural", "sampling"] as const;
  const widths = order.map((_, i) => width(order.slice(0, i) as unknown as (typeof UNCERTAINTY_SOURCES)[number][]));
  widths.push(width([...order]));

  it("with every source off the band is a line", () => {
    expect(widths[0]).toBe(0);
  });
  it("it widens as each source is added", () => {
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1]);
  });
  it("the variance decomposition's shares sum to 1, each source's alone variance positive", () => {
    const v = varianceDecomposition(input);
    expect(v.shares.map((s) => s.source)).toEqual([...UNCERTAINTY_SOURCES]);
    expect(v.shares.reduce((x, s) => x + s.share, 0)).toBeCloseTo(1, 12);
    for (const s of v.shares) expect(s.variance).toBeGreaterThan(0);
    expect(v.total).toBeGreaterThan(0);
  });
});

describe("goal-seek on a percentile", () => {
  const reference = sampleOf(800, 1);
  const samples = [2, 3].map((s) => sampleOf(250, s));
  const band = { kind: "percentile" as const, level: 10, assumptions: a, samples, draws: 16, seed: 7 };
  const input = { sample: reference, baseYear: 2023, years: 4, baseline: policy.baseline, finance, structure, rules: NATIONAL_RETIREMENT };
  it("the cap found, put back in, keeps the 10th percentile of the months at the target", () => {
    const r = goalSeekLever(policy, null, input, a.params, { lever: "cap", target: 12, year: 2026, lo: 0, hi: 8000, band });
    expect(r.value).not.toBeNull();
    const scheme = resolveScheme(policy, r.scenario!, "goal-seek");
    const d = projectDraws({ reference, samples, baseYear: 2023, years: 4, scheme, baseline: policy.baseline, finance, assumptions: a, draws: 16, seed: 7, structure, rules: NATIONAL_RETIREMENT });
    const p10 = quantile(d.draws.map((x) => x.monthsPath[3]), 0.1);
    expect(p10).toBeGreaterThanOrEqual(12);
    expect(p10).toBeCloseTo(r.achieved, 9);
  });
});
