// Monte Carlo over the uncertain assumptions and the population draw: parameters drawn from their
// distributions, each draw's path by a ratio estimator on small samples, percentile bands per year.
import { clampToRange } from "../assumption-ranges.ts";
import type { Finance } from "../finance.ts";
import { bulletinSpending, monthsOfReserve } from "../fund.ts";
import type { Scheme } from "../policy.ts";
import { type Assumptions, type Distribution, PARAM_KEYS, type ProjectionParams, sourceOfKey, UNCERTAINTY_SOURCES, type UncertaintySource } from "./params.ts";
import { carryReserve, type PreparedProjection, prepareProjection, type ProjectionInput, projectScheme, RESERVE_LOW_MONTHS, type SchemeProjection, type YearShocks } from "./project.ts";
import { type PersonPaths, personPaths, type SamplingLevel, samplingLevel } from "./sampling-error.ts";
import { type BaseSample, hashUniform } from "./year-sample.ts";

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The u-quantile (0 < u < 1) of a parameter's distribution around its central value. */
export function quantileOf(d: Distribution, central: number, u: number): number {
  if (d.dist === "normal") return central + d.sd * normalQuantile(u);
  if (d.dist === "uniform") return d.min + u * (d.max - d.min);
  const { min: a, max: b } = d, c = central;
  if (b <= a) return c;
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

const clampU = (u: number) => Math.min(1 - 1e-12, Math.max(1e-12, u));
/** The standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2, t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Draw `draw`'s parameters: each uncertain one at a hash-uniform quantile, wage growth and the cost
 *  trend through a Gaussian copula with correlation wageCostCorrelation. Only the keys of the given
 *  sources are drawn (the others stay central). */
export function drawParams(a: Assumptions, seed: number, draw: number, sources: ReadonlySet<UncertaintySource> = new Set(UNCERTAINTY_SOURCES)): ProjectionParams {
  const out = { ...a.params };
  const u = (i: number) => clampU(hashUniform(seed, draw, 100 + i));
  const rho = a.params.wageCostCorrelation;
  PARAM_KEYS.forEach((k, i) => {
    const d = a.dists[k];
    if (!d || !sources.has(sourceOfKey(k))) return;
    let ui = u(i);
    if (k === "costTrend" && rho !== 0 && a.dists.wageGrowth) {
      const zw = normalQuantile(u(PARAM_KEYS.indexOf("wageGrowth"))), zc = normalQuantile(ui);
      ui = clampU(normalCdf(rho * zw + Math.sqrt(1 - rho * rho) * zc));
    }
    // Held within the key's range (a normal's far tail could leave it: a negative entry rate).
    out[k] = clampToRange(k, quantileOf(d, a.params[k], ui));
  });
  return out;
}

/** Draw `draw`'s year-to-year deviations of cost and wage growth (process variation), correlated. */
export function drawShocks(q: ProjectionParams, seed: number, draw: number, years: number): YearShocks {
  const cost = new Float64Array(years), wage = new Float64Array(years);
  const rho = q.wageCostCorrelation;
  for (let t = 1; t < years; t++) {
    const zw = normalQuantile(clampU(hashUniform(seed, draw, 1000 + 2 * t))), ze = normalQuantile(clampU(hashUniform(seed, draw, 1001 + 2 * t)));
    wage[t] = q.wageGrowthProcessSd * zw;
    cost[t] = q.costTrendProcessSd * (rho * zw + Math.sqrt(1 - rho * rho) * ze);
  }
  return { cost, wage };
}

/** The q-quantile (0–1) of values, linear between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Float64Array.from(values).sort();
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * q, lo = Math.floor(h), hi = Math.ceil(h);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

export interface BandYear {
  year: number;
  t: number;
  balanceP5Fen: number;
  balanceP50Fen: number;
  balanceP95Fen: number;
  monthsP5: number;
  monthsP50: number;
  monthsP95: number;
  /** Share of draws with a negative balance by this year's end, and with months below 6. */
  shareExhausted: number;
  shareLow: number;
}

export interface DrawsInput {
  /** The reference sample: its central projection sets the level of every draw. */
  reference: BaseSample;
  /** Population draws: small samples from other seeds on which each draw's parameters are run;
   *  draw d uses samples[d mod length]. Empty: the draws run on the reference itself. */
  samples: BaseSample[];
  baseYear: number;
  years: number;
  scheme: Scheme;
  baseline: Scheme;
  finance: Finance;
  insured?: number;
  assumptions: Assumptions;
  draws: number;
  seed: number;
  /** The sources of uncertainty in the band (default all: UNCERTAINTY_SOURCES). */
  sources?: readonly UncertaintySource[];
  /** The city's cohort cells and retirement rule (ProjectionInput). */
  structure?: ProjectionInput["structure"];
  rules?: ProjectionInput["rules"];
  onProgress?: (done: number, total: number) => void;
}

export interface DrawsResult {
  /** The sources of uncertainty the band holds. */
  sources: UncertaintySource[];
  bands: BandYear[];
  /** The reference sample's central projection (the deterministic result). */
  central: SchemeProjection;
  /** Per draw: its sample, the last year's balance and months, the first exhausted year. */
  draws: Array<{ draw: number; sample: number; balanceFen: number; months: number; firstExhaustedYear: number | null; params: ProjectionParams; monthsPath: number[]; balancePath: number[] }>;
}

/** The reference's path under `params`: its central income and outflow scaled, year by year, by
 *  the ratio of `params` (and the draw's yearly deviations) to the central parameters on a (small)
 *  sample, and by the reference's sampling error (`level`: a bootstrap replicate's multipliers of
 *  its income, outflow, bulletin-basis spending and opening reserve, sampling-error.ts); the
 *  balance carried from the reference's opening reserve with interest. With sample = reference
 *  this is the projection itself. */
export function ratioPath(
  ref: PreparedProjection, refCentral: SchemeProjection, prep: PreparedProjection, prepCentral: SchemeProjection, params: ProjectionParams,
  shocks?: YearShocks, level: SamplingLevel | null = null, known?: SchemeProjection,
) {
  const r = known ?? projectScheme(prep, params, 0, refCentral.years.length, shocks);
  const Y = refCentral.years.length;
  const balanceFen = new Float64Array(Y), months = new Float64Array(Y), incomeFen = new Float64Array(Y), outflowFen = new Float64Array(Y);
  let b = (params.openingReserveMonths * params.openingReserveFactor * ref.baseSpendingFen * (level ? level.opening : 1)) / 12;
  let firstExhaustedYear: number | null = null;
  for (let t = 0; t < Y; t++) {
    const c = prepCentral.years[t].flows, x = r.years[t].flows, R = refCentral.years[t].flows;
    incomeFen[t] = R.pooledIncomeFen * (c.pooledIncomeFen !== 0 ? x.pooledIncomeFen / c.pooledIncomeFen : 1) * (level ? level.income[t] : 1);
    outflowFen[t] = R.pooledOutflowFen * (c.pooledOutflowFen !== 0 ? x.pooledOutflowFen / c.pooledOutflowFen : 1) * (level ? level.outflow[t] : 1);
    b = carryReserve(b, incomeFen[t] - outflowFen[t], params.interestRate);
    balanceFen[t] = b;
    // Months on the bulletin basis: the reference's share of outflow that is pooled spending there
    // (a replicate's own share: its spending moves apart from its outflow by the retiree credits).
    const share = (R.pooledOutflowFen !== 0 ? bulletinSpending(R) / R.pooledOutflowFen : 1) * (level && level.outflow[t] !== 0 ? level.spending[t] / level.outflow[t] : 1);
    months[t] = monthsOfReserve(b, outflowFen[t] * share);
    if (b < 0 && firstExhaustedYear === null) firstExhaustedYear = ref.baseYear + t;
  }
  return { balanceFen, months, incomeFen, outflowFen, firstExhaustedYear };
}

/**
 * Monte Carlo over the trend and behaviour parameters and the population draw. Each draw runs its
 * parameters on a small sample and scales the reference's central income and outflow, year by
 * year, by the ratio of the draw to that small sample's own central run (a ratio estimator with
 * common random numbers): the level comes from the large reference sample, the response to the
 * parameters — and the differences between population draws in it — from the small one. The
 * pooled balance is then carried forward from the reference's opening reserve.
 */
export function projectDraws(input: DrawsInput): DrawsResult {
  const ctx = drawContext(input);
  const rows = drawRows(ctx, 0, input.draws, input.onProgress);
  return { sources: [...ctx.sources], bands: bandsOf(rows, input.baseYear, input.years), central: ctx.central, draws: rows };
}

/** What every draw of a Monte Carlo shares: the reference's and the population draws' prepared
 *  projections and central paths, and with the `sampling` source the reference's central path
 *  person by person (each draw resamples it). A worker thread builds its own. */
export interface DrawContext {
  input: DrawsInput;
  sources: Set<UncertaintySource>;
  ref: PreparedProjection;
  central: SchemeProjection;
  preps: PreparedProjection[];
  centrals: SchemeProjection[];
  sampling: PersonPaths | null;
}

export function drawContext(input: DrawsInput): DrawContext {
  const prepOf = (sample: BaseSample) =>
    prepareProjection({
      sample, baseYear: input.baseYear, years: input.years, schemes: [input.scheme], baseline: input.baseline, finance: input.finance, insured: input.insured,
      structure: input.structure, rules: input.rules,
    });
  const a = input.assumptions;
  const sources = new Set(input.sources ?? UNCERTAINTY_SOURCES);
  const ref = prepOf(input.reference);
  // With the sampling source the central path is projected once, keeping every person's lines.
  const withPaths = sources.has("sampling") ? personPaths(ref, a.params, input.baseline) : null;
  const central = withPaths ? withPaths.central : projectScheme(ref, a.params, 0);
  const preps = input.samples.length ? input.samples.map(prepOf) : [ref];
  const centrals = input.samples.length ? preps.map((p) => projectScheme(p, a.params, 0)) : [central];
  return { input, sources, ref, central, preps, centrals, sampling: withPaths ? withPaths.paths : null };
}

type DrawRow = DrawsResult["draws"][number];

/** Draws from … to − 1 of a Monte Carlo (each depends only on the seed and its index, so draws can
 *  be split between threads and merged). */
export function drawRows(ctx: DrawContext, from: number, to: number, onProgress?: (done: number, total: number) => void): DrawRow[] {
  const { input, sources, ref, central, preps, centrals, sampling } = ctx;
  const a = input.assumptions, Y = input.years;
  const drawsParams = sources.has("parameters") || sources.has("structural");
  const rows: DrawRow[] = [];
  for (let d = from; d < to; d++) {
    const params = drawsParams ? drawParams(a, input.seed, d, sources) : a.params;
    const si = d % preps.length;
    const shocks = sources.has("process") ? drawShocks(params, input.seed, d, Y) : undefined;
    // A draw with the central parameters and no yearly deviations is the sample's central run.
    const same = !shocks && params === a.params;
    // The reference's sampling error: this draw's bootstrap replicate of the reference.
    const level = sampling ? samplingLevel(sampling, input.seed, d) : null;
    const path = ratioPath(ref, central, preps[si], centrals[si], params, shocks, level, same ? centrals[si] : undefined);
    rows.push({ draw: d, sample: si, balanceFen: path.balanceFen[Y - 1], months: path.months[Y - 1], firstExhaustedYear: path.firstExhaustedYear, params, monthsPath: Array.from(path.months), balancePath: Array.from(path.balanceFen) });
    onProgress?.(d - from + 1, to - from);
  }
  return rows;
}

/** The percentile bands of a set of draws, year by year. */
export function bandsOf(rows: DrawRow[], baseYear: number, years: number): BandYear[] {
  const D = rows.length;
  const bands: BandYear[] = [];
  for (let t = 0; t < years; t++) {
    const balance = rows.map((r) => r.balancePath[t]), months = rows.map((r) => r.monthsPath[t]);
    let exhausted = 0, low = 0;
    for (const r of rows) {
      if (r.firstExhaustedYear !== null && r.firstExhaustedYear <= baseYear + t) exhausted++;
      if (r.monthsPath[t] < RESERVE_LOW_MONTHS) low++;
    }
    bands.push({
      year: baseYear + t, t,
      balanceP5Fen: quantile(balance, 0.05), balanceP50Fen: quantile(balance, 0.5), balanceP95Fen: quantile(balance, 0.95),
      monthsP5: quantile(months, 0.05), monthsP50: quantile(months, 0.5), monthsP95: quantile(months, 0.95),
      shareExhausted: exhausted / D, shareLow: low / D,
    });
  }
  return bands;
}

// ---- what the band holds ------------------------------------------------------------------------

export interface VarianceShare {
  source: UncertaintySource;
  /** Variance of the year's months of reserve with this source alone (the others off). */
  variance: number;
  /** Its share of the sum of the sources' variances alone. */
  share: number;
}

export interface VarianceDecomposition {
  year: number;
  /** Variance with every source in the band, and the sum of the sources alone: the difference is
   *  their interaction (and Monte Carlo noise). */
  total: number;
  sumAlone: number;
  shares: VarianceShare[];
}

const variance = (xs: ArrayLike<number>) => {
  const v = Array.from(xs).filter(Number.isFinite);
  const m = v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
  return v.length > 1 ? v.reduce((x, y) => x + (y - m) ** 2, 0) / (v.length - 1) : 0;
};

/** The decomposition from the full band's draws and each source's draws alone, at year index t. */
export function decompose(full: Pick<DrawsResult, "draws">, alone: Array<{ source: UncertaintySource; run: Pick<DrawsResult, "draws"> }>, year: number, t: number): VarianceDecomposition {
  const monthsAt = (r: Pick<DrawsResult, "draws">) => r.draws.map((d) => d.monthsPath[t]);
  const vs = alone.map((x) => ({ source: x.source, variance: variance(monthsAt(x.run)) }));
  const sumAlone = vs.reduce((x, y) => x + y.variance, 0);
  return { year, total: variance(monthsAt(full)), sumAlone, shares: vs.map((x) => ({ ...x, share: sumAlone > 0 ? x.variance / sumAlone : 0 })) };
}

/**
 * Each source's share of the variance of the months of reserve in `year` (default the last): the
 * Monte Carlo run with that source alone, against the same draws' seed, its variance as a share of
 * the sum over sources (first-order shares; the remainder to the full band's variance is the
 * sources' interaction, reported beside them). `all` is the full band's run, when at hand.
 */
export function varianceDecomposition(input: DrawsInput, all?: DrawsResult, year = input.baseYear + input.years - 1): VarianceDecomposition {
  const full = all ?? projectDraws(input);
  const alone = (input.sources ?? UNCERTAINTY_SOURCES).map((source) => ({ source, run: projectDraws({ ...input, sources: [source], onProgress: undefined }) }));
  return decompose(full, alone, year, year - input.baseYear);
}
