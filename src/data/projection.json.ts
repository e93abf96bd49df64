// The projection page's data (精算预测, src/projection.md): for each of the five cities, the
// ten-year projection of the pooled fund under the reform and the baseline, with Monte Carlo
// 5–95 % bands, a tornado, the utilisation response switched off for comparison, one goal-seek
// (the most generous general outpatient cap that keeps ≥ 6 months of reserve in the last year:
// the goal-seek form's first answer, before the reader runs one in the browser), the levers the
// form offers, and the assumptions with their sources, ratings and distributions. Runs in-process
// with the same functions as `fundsim project` (src/cli/project-run.ts, project-seeds.ts) on the reference sample the
// page's worker recomputes on (src/loaders/projection-page.ts), at a size that builds in well under
// a minute; the sizes are written into the output and shown on the page. Run by Framework via tsx.
import { stringify } from "yaml";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { PAGE_BASE_YEAR, PAGE_PERSONS, PAGE_SAMPLE_PERSONS, PAGE_SAMPLES, PAGE_SEED, PAGE_YEARS, pageDrawSample, pageSample } from "../loaders/projection-page.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import { goalSeekLever, LEVER_IDS, LEVERS } from "../model/projection/goal-seek.ts";
import { projectDraws, varianceDecomposition } from "../model/projection/monte-carlo.ts";
import type { ProjectionParams } from "../model/projection/params.ts";
import { prepareProjection, projectScheme } from "../model/projection/project.ts";
import { pagePaths, pathRows } from "../model/projection/rows.ts";
import { tornadoByRatio } from "../model/projection/tornado.ts";
import { type CityId } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";
import { seedSpread } from "../cli/project-seeds.ts";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
/** Persons in the reference sample (the deterministic paths and the goal-seek). */
const PERSONS = PAGE_PERSONS;
/** Monte Carlo draws per city, and the population draws they run on. */
const DRAWS = env("FUNDSIM_PROJECTION_DRAWS", 150);
const SAMPLES = PAGE_SAMPLES;
const SAMPLE_PERSONS = PAGE_SAMPLE_PERSONS;
const BASE_YEAR = PAGE_BASE_YEAR;
const YEARS = PAGE_YEARS;
const SEED = PAGE_SEED;
const GOAL = { lever: "cap" as const, target: 6 };
/** Reference samples (seeds SEED …) the page's own sampling error is measured on. */
const SPREAD_SEEDS = env("FUNDSIM_PROJECTION_SPREAD_SEEDS", 5);

const wan = (fen: number) => fen / 1_000_000;
const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Utilisation response off: the four price elasticities and the level shift at zero. */
const noResponse = (q: ProjectionParams): ProjectionParams => ({
  ...q, elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0,
});

function runCity(city: CityId) {
  const t0 = performance.now();
  const policy = loadPolicy(city);
  const scenario = policy.reform;
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const reference = pageSample(city);
  // The city's cohort cells and retirement rule, as `fundsim project` has them; written out for the worker.
  const cohorts = cityCohorts(city, BASE_YEAR, finance.insured);
  const base = { sample: reference, baseYear: BASE_YEAR, years: YEARS, baseline: policy.baseline, finance, ...cohorts };
  const prep = prepareProjection({ ...base, schemes: [scenario, policy.baseline] });
  // The central paths exactly as the page's worker recomputes them (pagePaths on the same sample).
  const central = pagePaths(prep, a.params);
  const reformOff = projectScheme(prep, noResponse(a.params), 0);

  const samples = Array.from({ length: SAMPLES }, (_, i) => pageDrawSample(city, i));
  const drawsInput = { reference, samples, baseYear: BASE_YEAR, years: YEARS, scheme: scenario, baseline: policy.baseline, finance, assumptions: a, draws: DRAWS, seed: SEED, ...cohorts };
  const draws = projectDraws(drawsInput);
  // What the band holds, and each source's share of the last year's variance (issue 13).
  const variance = varianceDecomposition(drawsInput, draws);
  const refPrep = prepareProjection({ ...base, schemes: [scenario] });
  const preps = samples.slice(0, 3).map((sample) => prepareProjection({ ...base, sample, schemes: [scenario] }));
  const tor = tornadoByRatio(refPrep, preps, a);

  // The page's own sampling error (issue 13 item 4): its sample is smaller than the command line's
  // default, so the spread of the last year's months over reference samples of other seeds, at the
  // page's size, is measured and shown beside the paths.
  const spread = seedSpread({ city, baseYear: BASE_YEAR, years: YEARS, persons: PERSONS, seed: SEED, seeds: SPREAD_SEEDS, schemes: [scenario, policy.baseline], baseline: policy.baseline, finance, params: a.params }, central.schemes);

  const L = LEVERS[GOAL.lever];
  const g = goalSeekLever(policy, null, base, a.params, GOAL);
  const lastYear = BASE_YEAR + YEARS - 1;
  const status = g.value === null ? "not-reachable" : g.wholeRange ? "not-needed" : "found";
  const yaml = g.scenario === null ? null
    : `# fundsim project --goal-seek ${GOAL.lever}: months of reserve in ${g.year} ≥ ${GOAL.target} (achieved ${g.achieved.toFixed(2)}).\n` + stringify(g.scenario);

  return {
    city,
    scenario: scenario.name,
    baseline: policy.baseline.name,
    paths: [...central.paths, ...pathRows(reformOff, "reformNoResponse")],
    bands: draws.bands.map((b) => ({
      year: b.year, t: b.t,
      balanceP5Wan: wan(b.balanceP5Fen), balanceP50Wan: wan(b.balanceP50Fen), balanceP95Wan: wan(b.balanceP95Fen),
      monthsP5: finite(b.monthsP5), monthsP50: finite(b.monthsP50), monthsP95: finite(b.monthsP95),
      shareExhausted: b.shareExhausted, shareLow: b.shareLow,
    })),
    cohorts: { structure: Array.from(cohorts.structure), rules: cohorts.rules },
    seedSpread: { persons: spread.persons, seeds: spread.seeds, year: spread.year, cliPersons: a.referencePersons, schemes: spread.schemes.map((s) => ({ scheme: s.scheme, sd: finite(s.sd), mean: finite(s.mean) })) },
    uncertainty: draws.sources,
    variance: { year: variance.year, total: finite(variance.total), sumAlone: finite(variance.sumAlone), shares: variance.shares.map((x) => ({ source: x.source, variance: finite(x.variance), share: finite(x.share) })) },
    firstDeficitYear: { ...central.firstDeficitYear, reformNoResponse: reformOff.firstDeficitYear },
    firstExhaustedYear: { ...central.firstExhaustedYear, reformNoResponse: reformOff.firstExhaustedYear },
    prices: { baseline: prep.pBase, reform: prep.prices[0] },
    tornado: {
      year: lastYear,
      centralMonths: finite(tor.central.months),
      centralBalanceWan: wan(tor.central.balanceFen),
      bars: tor.bars.map((b) => ({
        key: b.key, low: b.low, high: b.high, monthsAtLow: finite(b.monthsAtLow), monthsAtHigh: finite(b.monthsAtHigh),
        balanceAtLowWan: wan(b.balanceAtLowFen), balanceAtHighWan: wan(b.balanceAtHighFen), swing: finite(b.swing),
      })),
    },
    goalSeek: {
      lever: GOAL.lever, path: L.path, unit: L.unit, step: L.step, lo: g.lo, hi: g.hi, target: GOAL.target, year: g.year, status,
      value: g.value, achieved: finite(g.achieved), wholeRange: g.wholeRange, yaml,
      evaluations: g.evaluations.map((e) => ({ x: e.x, y: finite(e.y) })),
    },
    assumptions: a.rows.map((r) => ({ key: r.key, value: r.value, source: r.source, rating: r.rating, note: r.note ?? null, dist: r.dist ?? null, city: r.city })),
    levers: leverNow(policy),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Each lever's parameter in the reform as in force at the end of its period (the rules kept after
 *  it), which the goal-seek form shows beside a value found: the cap [active, retired] in yuan;
 *  deductibles (yuan) and rates (%, uplifts included) by level [active, retired]; the credit rules
 *  (fen and basis points, as src/model/policy-schema.ts has them). null: the reform has none. */
function leverNow(policy: ReturnType<typeof loadPolicy>) {
  const last = policy.reform.segments[policy.reform.segments.length - 1];
  const g = last.benefits.general;
  const byLevel = (cells: number[], f: number) => [0, 1, 2].map((l) => [cells[l * 2] / f, cells[l * 2 + 1] / f]);
  return {
    cap: last.generalCapFen ? [last.generalCapFen[0] / 100, last.generalCapFen[1] / 100] : null,
    deductible: g ? byLevel(g.deductibleFen, 100) : null,
    rate: g ? byLevel(g.rateBp, 100) : null,
    "retiree-credit": last.accounts.retired,
    "active-credit": last.accounts.active,
  };
}

const t0 = performance.now();
const cities = Object.fromEntries(cityIds().map((c) => [c, runCity(c)]));
process.stdout.write(
  JSON.stringify({
    baseYear: BASE_YEAR, years: YEARS, lastYear: BASE_YEAR + YEARS - 1, persons: PERSONS, draws: DRAWS, samples: SAMPLES, samplePersons: SAMPLE_PERSONS, seed: SEED,
    levers: Object.fromEntries(LEVER_IDS.map((id) => [id, { path: LEVERS[id].path, unit: LEVERS[id].unit, step: LEVERS[id].step, lo: LEVERS[id].lo, hi: LEVERS[id].hi }])),
    seconds: (performance.now() - t0) / 1000,
    cities,
  }),
);
