// The projection page's data (精算预测, src/projection.md): for each of the five cities, the
// ten-year projection of the pooled fund under the reform and the baseline, with Monte Carlo
// 5–95 % bands, a tornado, the utilisation response switched off for comparison, one goal-seek
// (the most generous general outpatient cap that keeps ≥ 6 months of reserve in the last year),
// and the assumptions with their sources, ratings and distributions. Runs in-process with the
// same functions as `fundsim project` (src/cli/project.ts), at a size that builds in well under a
// minute; the sizes are written into the output and shown on the page. Run by Framework via tsx.
import { stringify } from "yaml";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { cityModel, generateChunk } from "../loaders/population/index.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import {
  type BaseSample, goalSeek, LEVERS, leverScenario, prepareProjection, projectDraws, projectScheme, type ProjectionParams,
  type SchemeProjection, tornadoByRatio,
} from "../model/projection.ts";
import { CITIES, type CityId } from "../model/types.ts";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
/** Persons in the reference sample (the deterministic paths and the goal-seek). */
const PERSONS = env("FUNDSIM_PROJECTION_PERSONS", 5_000);
/** Monte Carlo draws per city, and the population draws they run on. */
const DRAWS = env("FUNDSIM_PROJECTION_DRAWS", 150);
const SAMPLES = env("FUNDSIM_PROJECTION_SAMPLES", 5);
const SAMPLE_PERSONS = env("FUNDSIM_PROJECTION_SAMPLE_PERSONS", 500);
const BASE_YEAR = 2023;
const YEARS = 10;
const SEED = 1;
const GOAL = { lever: "cap" as const, target: 6 };

const wan = (fen: number) => fen / 1_000_000;
const finite = (x: number) => (Number.isFinite(x) ? x : null);

function sampleOf(city: CityId, seed: number, persons: number): BaseSample {
  const { persons: p, claims } = generateChunk(cityModel(city, BASE_YEAR), seed, 0, persons);
  return { persons: p, claims, ids: p.id };
}

/** Utilisation response off: the four price elasticities and the level shift at zero. */
const noResponse = (q: ProjectionParams): ProjectionParams => ({
  ...q, elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0,
});

function pathRows(s: SchemeProjection, role: string) {
  return s.years.map((y) => ({
    role, year: y.year, t: y.t,
    incomeWan: wan(y.flows.pooledIncomeFen), outflowWan: wan(y.flows.pooledOutflowFen), netWan: wan(y.netFen),
    openingWan: wan(y.reserveOpeningFen), balanceWan: wan(y.reserveClosingFen), months: finite(y.monthsOfReserve), flag: y.flag,
    insured: y.insured, supportRatio: finite(y.supportRatio),
  }));
}

function runCity(city: CityId) {
  const t0 = performance.now();
  const policy = loadPolicy(city);
  const scenario = policy.reform;
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const reference = sampleOf(city, SEED, PERSONS);
  const base = { sample: reference, baseYear: BASE_YEAR, years: YEARS, baseline: policy.baseline, finance };
  const prep = prepareProjection({ ...base, schemes: [scenario, policy.baseline] });
  const [reform, baseline] = [0, 1].map((i) => projectScheme(prep, a.params, i));
  const reformOff = projectScheme(prep, noResponse(a.params), 0);

  const samples = Array.from({ length: SAMPLES }, (_, i) => sampleOf(city, SEED + 1 + i, SAMPLE_PERSONS));
  const draws = projectDraws({
    reference, samples, baseYear: BASE_YEAR, years: YEARS, scheme: scenario, baseline: policy.baseline, finance, assumptions: a, draws: DRAWS, seed: SEED,
  });
  const refPrep = prepareProjection({ ...base, schemes: [scenario] });
  const preps = samples.slice(0, 3).map((sample) => prepareProjection({ ...base, sample, schemes: [scenario] }));
  const tor = tornadoByRatio(refPrep, preps, a);

  const L = LEVERS[GOAL.lever];
  const evaluate = (x: number) => {
    const s = resolveScheme(policy, leverScenario(GOAL.lever, x, null, city), "goal-seek");
    return projectScheme(prepareProjection({ ...base, schemes: [s] }), a.params, 0).years[YEARS - 1].monthsOfReserve;
  };
  const g = goalSeek(evaluate, L.lo, L.hi, L.step, GOAL.target);
  const lastYear = BASE_YEAR + YEARS - 1;
  const status = g.value === null ? "not-reachable" : g.wholeRange ? "not-needed" : "found";
  const yaml = g.value === null ? null
    : `# fundsim project --goal-seek ${GOAL.lever}: months of reserve in ${lastYear} ≥ ${GOAL.target} (achieved ${g.achieved.toFixed(2)}).\n` +
      stringify(leverScenario(GOAL.lever, g.value, null, city));
  const currentCap = evaluateCurrentCap(policy);

  return {
    city,
    scenario: reform.scheme,
    baseline: baseline.scheme,
    paths: [...pathRows(reform, "reform"), ...pathRows(baseline, "baseline"), ...pathRows(reformOff, "reformNoResponse")],
    bands: draws.bands.map((b) => ({
      year: b.year, t: b.t,
      balanceP5Wan: wan(b.balanceP5Fen), balanceP50Wan: wan(b.balanceP50Fen), balanceP95Wan: wan(b.balanceP95Fen),
      monthsP5: finite(b.monthsP5), monthsP50: finite(b.monthsP50), monthsP95: finite(b.monthsP95),
      shareExhausted: b.shareExhausted, shareLow: b.shareLow,
    })),
    firstDeficitYear: { reform: reform.firstDeficitYear, baseline: baseline.firstDeficitYear, reformNoResponse: reformOff.firstDeficitYear },
    firstExhaustedYear: { reform: reform.firstExhaustedYear, baseline: baseline.firstExhaustedYear, reformNoResponse: reformOff.firstExhaustedYear },
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
      lever: GOAL.lever, path: L.path, lo: L.lo, hi: L.hi, target: GOAL.target, year: lastYear, status,
      value: g.value, achieved: finite(g.achieved), wholeRange: g.wholeRange, currentCap, yaml,
      evaluations: g.evaluations.map((e) => ({ x: e.x, y: finite(e.y) })),
    },
    assumptions: a.rows.map((r) => ({ key: r.key, value: r.value, source: r.source, rating: r.rating, note: r.note ?? null, dist: r.dist ?? null, city: r.city })),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The reform's general outpatient cap [active, retired] in yuan, as in force at the end of its
 *  period (the rules kept after it), for comparison with the goal-seek value; null: no cap. */
function evaluateCurrentCap(policy: ReturnType<typeof loadPolicy>): [number, number] | null {
  const segs = policy.reform.segments;
  const cap = segs[segs.length - 1]?.generalCapFen;
  return cap ? [cap[0] / 100, cap[1] / 100] : null;
}

const t0 = performance.now();
const cities = Object.fromEntries(CITIES.map((c) => [c, runCity(c)]));
process.stdout.write(
  JSON.stringify({
    baseYear: BASE_YEAR, years: YEARS, lastYear: BASE_YEAR + YEARS - 1, persons: PERSONS, draws: DRAWS, samples: SAMPLES, samplePersons: SAMPLE_PERSONS, seed: SEED,
    seconds: (performance.now() - t0) / 1000,
    cities,
  }),
);
