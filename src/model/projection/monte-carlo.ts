// Monte Carlo over the uncertain assumptions and the population draw: parameters drawn from their
// distributions, each draw's path by a ratio estimator on small samples, percentile bands per year.
import { clampToRange } from "../assumption-ranges.ts";
import type { Finance } from "../finance.ts";
import { bulletinSpending, monthsOfReserve } from "../fund.ts";
import type { Scheme } from "../policy.ts";
import { type Assumptions, type Distribution, PARAM_KEYS, type ProjectionParams } from "./params.ts";
import { type PreparedProjection, prepareProjection, projectScheme, RESERVE_LOW_MONTHS, type SchemeProjection } from "./project.ts";
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

/** Draw `draw`'s parameters: each uncertain one at an independent hash-uniform quantile. */
export function drawParams(a: Assumptions, seed: number, draw: number): ProjectionParams {
  const out = { ...a.params };
  PARAM_KEYS.forEach((k, i) => {
    const d = a.dists[k];
    // Held within the key's range (a normal's far tail could leave it: a negative entry rate).
    if (d) out[k] = clampToRange(k, quantileOf(d, a.params[k], Math.min(1 - 1e-12, Math.max(1e-12, hashUniform(seed, draw, 100 + i)))));
  });
  return out;
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
  onProgress?: (done: number, total: number) => void;
}

export interface DrawsResult {
  bands: BandYear[];
  /** The reference sample's central projection (the deterministic result). */
  central: SchemeProjection;
  /** Per draw: its sample, the last year's balance and months, the first exhausted year. */
  draws: Array<{ draw: number; sample: number; balanceFen: number; months: number; firstExhaustedYear: number | null; params: ProjectionParams }>;
}

/** The reference's path under `params`: its central income and outflow scaled, year by year, by
 *  the ratio of `params` to the central parameters on a (small) sample; the balance carried from
 *  the reference's opening reserve. With sample = reference this is the projection itself. */
export function ratioPath(ref: PreparedProjection, refCentral: SchemeProjection, prep: PreparedProjection, prepCentral: SchemeProjection, params: ProjectionParams) {
  const r = projectScheme(prep, params, 0, refCentral.years.length);
  const Y = refCentral.years.length;
  const balanceFen = new Float64Array(Y), months = new Float64Array(Y), incomeFen = new Float64Array(Y), outflowFen = new Float64Array(Y);
  let b = (params.openingReserveMonths * ref.baseSpendingFen) / 12;
  let firstExhaustedYear: number | null = null;
  for (let t = 0; t < Y; t++) {
    const c = prepCentral.years[t].flows, x = r.years[t].flows, R = refCentral.years[t].flows;
    incomeFen[t] = R.pooledIncomeFen * (c.pooledIncomeFen !== 0 ? x.pooledIncomeFen / c.pooledIncomeFen : 1);
    outflowFen[t] = R.pooledOutflowFen * (c.pooledOutflowFen !== 0 ? x.pooledOutflowFen / c.pooledOutflowFen : 1);
    b += incomeFen[t] - outflowFen[t];
    balanceFen[t] = b;
    // Months on the bulletin basis: the reference's share of outflow that is pooled spending there.
    months[t] = monthsOfReserve(b, outflowFen[t] * (R.pooledOutflowFen !== 0 ? bulletinSpending(R) / R.pooledOutflowFen : 1));
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
  const prepOf = (sample: BaseSample) =>
    prepareProjection({ sample, baseYear: input.baseYear, years: input.years, schemes: [input.scheme], baseline: input.baseline, finance: input.finance, insured: input.insured });
  const a = input.assumptions;
  const ref = prepOf(input.reference);
  const central = projectScheme(ref, a.params, 0);
  const preps = input.samples.length ? input.samples.map(prepOf) : [ref];
  const centrals = input.samples.length ? preps.map((p) => projectScheme(p, a.params, 0)) : [central];
  const Y = input.years, D = input.draws;
  const balance = Array.from({ length: Y }, () => new Float64Array(D));
  const months = Array.from({ length: Y }, () => new Float64Array(D));
  const draws: DrawsResult["draws"] = [];
  for (let d = 0; d < D; d++) {
    const params = drawParams(a, input.seed, d);
    const si = d % preps.length;
    const path = ratioPath(ref, central, preps[si], centrals[si], params);
    for (let t = 0; t < Y; t++) {
      balance[t][d] = path.balanceFen[t];
      months[t][d] = path.months[t];
    }
    draws.push({ draw: d, sample: si, balanceFen: balance[Y - 1][d], months: months[Y - 1][d], firstExhaustedYear: path.firstExhaustedYear, params });
    input.onProgress?.(d + 1, D);
  }
  const bands: BandYear[] = [];
  for (let t = 0; t < Y; t++) {
    let exhausted = 0, low = 0;
    for (let d = 0; d < D; d++) {
      if (draws[d].firstExhaustedYear !== null && draws[d].firstExhaustedYear! <= input.baseYear + t) exhausted++;
      if (months[t][d] < RESERVE_LOW_MONTHS) low++;
    }
    bands.push({
      year: input.baseYear + t, t,
      balanceP5Fen: quantile(balance[t], 0.05), balanceP50Fen: quantile(balance[t], 0.5), balanceP95Fen: quantile(balance[t], 0.95),
      monthsP5: quantile(months[t], 0.05), monthsP50: quantile(months[t], 0.5), monthsP95: quantile(months[t], 0.95),
      shareExhausted: exhausted / D, shareLow: low / D,
    });
  }
  return { bands, central, draws };
}
