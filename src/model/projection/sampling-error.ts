// The reference sample's sampling error (issue 13, the band's `sampling` source): how far the
// central path would move on another sample of the same size, estimated from the reference sample
// itself by a stratified bootstrap of its persons.
//
// Why not from the small population draws (the method before): their spread, scaled by
// √(small ÷ reference persons), is not the reference's error. A small sample is post-stratified to
// the same cells (status × sex × single age) with a person or two per cell, so its error need not
// follow 1/√n; S draws give only S values (with the (S − 1)/S bias of their own mean), so the SD
// depended on which samples were drawn — 1.5 to 2.3 months for one reference of 2 000 persons whose
// seed-to-seed SD is 1.8; one population draw gave no sampling error at all; and the opening
// reserve (months of the sample's own base-year spending) was held fixed.
//
// The method: the projected totals are post-stratified sums Σ_k N_k,t · mean_k(x_t), k the sample
// cells (prepareProjection), so persons are resampled within their cell, a person's whole path
// at once (years are correlated through the person). Rao & Wu's (1988) rescaled bootstrap with
// n_k − 1 draws from a cell of n_k persons, each drawn person's weight × n_k ÷ (n_k − 1): a cell's
// weighted persons are unchanged and the replicates' variance of a total is Σ_k N_k² s_k² ÷ n_k,
// the unbiased variance of a post-stratified total (s_k² with n_k − 1 below). A cell of one person
// cannot be resampled and adds no variance. Measured on Lanzhou against 16–32 reference seeds, the
// bootstrap's SD of the last year's months lies within ±20 % of the seed-to-seed SD from 1 000 to
// 20 000 persons, in both directions — the seeds' own noise (Ganzhou alike at 2 000 and 20 000);
// joining one-person cells to the next age instead overstated it by 13–24 % at 1 000–2 000
// (adjacent cells' weights differ). Each Monte Carlo draw gets its own replicate (a hash of seed,
// draw and position): as many values as draws, the same whichever population draws the band uses.
import { runChunk } from "../engine.ts";
import { addPersonFlows, bulletinSpending, emptyFlows, pooledIncome, pooledOutflow } from "../fund.ts";
import type { Scheme } from "../policy.ts";
import type { ProjectionParams } from "./params.ts";
import { applyStructural, type PreparedProjection, projectScheme, type SchemeProjection } from "./project.ts";
import { strataWeights } from "./structure.ts";
import { hashUniform } from "./year-sample.ts";

/** The reference's central path person by person: what the bootstrap resamples. */
export interface PersonPaths {
  years: number;
  persons: number;
  /** Persons grouped by sample cell: members[start[k] … start[k + 1] − 1] are cell k's. */
  members: Int32Array;
  start: Int32Array;
  /** Per person p, a row of LINES(years) values at p × LINES: weight × the person's own pooled
   *  income in years 0 … Y − 1, pooled outflow, bulletin-basis spending (fen), then their base-year
   *  bulletin-basis spending under the baseline (the opening reserve is months of it). */
  lines: Float64Array;
  /** The lines' sums over persons: the city's (the central path's). */
  totals: Float64Array;
}

/** Values per person in PersonPaths.lines: income, outflow and spending per year, and the base year's spending. */
export const LINES = (years: number) => 3 * years + 1;
/** Offsets of a year's lines in a person's row. */
export const lineOf = { income: (t: number) => t, outflow: (t: number, Y: number) => Y + t, spending: (t: number, Y: number) => 2 * Y + t, base: (Y: number) => 3 * Y };

/** Multipliers of the reference's lines in one bootstrap replicate (1: the reference itself). */
export interface SamplingLevel {
  income: Float64Array;
  outflow: Float64Array;
  /** Bulletin-basis spending (the months' denominator). */
  spending: Float64Array;
  /** The opening reserve (months of the base year's bulletin-basis spending). */
  opening: number;
}

/** One person's pooled lines from their own flows (the structural multipliers applied, as the
 *  projection applies them to the totals: every line is linear in persons). */
function personLines(f: ReturnType<typeof emptyFlows>, q: ProjectionParams) {
  f.pooledIncomeFen = pooledIncome(f);
  f.pooledOutflowFen = pooledOutflow(f);
  const g = applyStructural(f, q);
  return { income: g.pooledIncomeFen, outflow: g.pooledOutflowFen, spending: bulletinSpending(g) };
}

/**
 * The central projection of scheme `si` on `prep` with every person's weighted lines kept (the
 * path is projectScheme's, the same numbers); `baseline` is the scheme prep's opening reserve is
 * months of (prepareProjection's). Memory: (3 × years + 1) doubles a person (20 000 persons,
 * 10 years: 5 MB).
 */
export function personPaths(prep: PreparedProjection, q: ProjectionParams, baseline: Scheme, si = 0): { central: SchemeProjection; paths: PersonPaths } {
  const N = prep.base.persons.count, Y = prep.years, L = LINES(Y);
  const lines = new Float64Array(N * L);
  const central = projectScheme(prep, q, si, Y, undefined, ({ t, persons, claims, outcome, weights }) => {
    for (let p = 0; p < N; p++) {
      const l = personLines(addPersonFlows(emptyFlows(), persons, claims, outcome, p, 1), q);
      lines[p * L + lineOf.income(t)] = weights[p] * l.income;
      lines[p * L + lineOf.outflow(t, Y)] = weights[p] * l.outflow;
      lines[p * L + lineOf.spending(t, Y)] = weights[p] * l.spending;
    }
  });
  // The opening reserve's basis: the baseline's base year, weighted as prepareProjection weighs it.
  const { base, baseYear, finance } = prep;
  const b0 = runChunk(baseline, base.persons, base.claims, baseYear, finance);
  const w0 = strataWeights(prep, prep.cells0);
  for (let p = 0; p < N; p++) {
    const f = addPersonFlows(emptyFlows(), base.persons, base.claims, b0, p, 1);
    f.pooledIncomeFen = pooledIncome(f);
    f.pooledOutflowFen = pooledOutflow(f);
    lines[p * L + lineOf.base(Y)] = w0[p] * bulletinSpending(f);
  }
  const totals = new Float64Array(L);
  for (let p = 0; p < N; p++) for (let i = 0; i < L; i++) totals[i] += lines[p * L + i];
  return { central, paths: { years: Y, persons: N, ...bootstrapStrata(prep.personCell, prep.cellCount), lines, totals } };
}

/** The bootstrap's strata, the sample cells: persons listed cell by cell,
 *  members[start[k] … start[k + 1] − 1] (a counting sort on the cell). */
export function bootstrapStrata(personCell: Int32Array, cellCount: Float64Array): { members: Int32Array; start: Int32Array } {
  const K = cellCount.length;
  const start = new Int32Array(K + 1);
  for (let p = 0; p < personCell.length; p++) start[personCell[p] + 1]++;
  for (let k = 0; k < K; k++) start[k + 1] += start[k];
  const fill = start.slice(0, K), members = new Int32Array(personCell.length);
  for (let p = 0; p < personCell.length; p++) members[fill[personCell[p]]++] = p;
  return { members, start };
}

/** Salt of the bootstrap's uniforms: above the keys drawParams and drawShocks use (100 + i, 1000 + 2t). */
const BOOTSTRAP_SALT = 1 << 20;

/** Each person's multiplier in replicate `draw` (Rao–Wu: n − 1 draws within a cell of n persons,
 *  each draw × n ÷ (n − 1); a cell of one person keeps it at 1). */
export function bootstrapMultipliers(paths: PersonPaths, seed: number, draw: number): Float64Array {
  const m = new Float64Array(paths.persons);
  const { members, start } = paths;
  for (let k = 0; k + 1 < start.length; k++) {
    const a = start[k], n = start[k + 1] - a;
    if (n === 0) continue;
    if (n === 1) {
      m[members[a]] = 1;
      continue;
    }
    const each = n / (n - 1);
    for (let j = 0; j < n - 1; j++) m[members[a + Math.floor(hashUniform(seed, draw, BOOTSTRAP_SALT + a + j) * n)]] += each;
  }
  return m;
}

/** The reference's lines in replicate `draw`, as multipliers of its central path's. */
export function samplingLevel(paths: PersonPaths, seed: number, draw: number): SamplingLevel {
  const m = bootstrapMultipliers(paths, seed, draw);
  const Y = paths.years, L = LINES(Y), { lines, totals } = paths;
  const rep = new Float64Array(L);
  for (let p = 0; p < paths.persons; p++) {
    const w = m[p];
    if (w === 0) continue;
    for (let i = 0, o = p * L; i < L; i++) rep[i] += w * lines[o + i];
  }
  const ratio = (i: number) => (totals[i] !== 0 ? rep[i] / totals[i] : 1);
  const level: SamplingLevel = { income: new Float64Array(Y), outflow: new Float64Array(Y), spending: new Float64Array(Y), opening: ratio(lineOf.base(Y)) };
  for (let t = 0; t < Y; t++) {
    level.income[t] = ratio(lineOf.income(t));
    level.outflow[t] = ratio(lineOf.outflow(t, Y));
    level.spending[t] = ratio(lineOf.spending(t, Y));
  }
  return level;
}
