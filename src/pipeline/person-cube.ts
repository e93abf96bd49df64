// The person cube: everything the summaries need from the persons, summed per chunk where they are
// adjudicated (a worker), so that no row per person is kept and the main thread only merges the
// threads' cubes at the end. All parts are fixed-size but the sparse spending × gain histogram,
// which grows far slower than the population and is bounded by the bin grid (≈ 0.43 M occupied
// pairs at 1 M persons, 0.95 M at 4 M: a 20 M-person run peaks ≈ 100 MB above a 2 M one). Pure.
//
// Per-person results reach the summaries in four parts (summaries.ts reads them as DuckDB tables):
//   cells      exact sums (fen, counts) per status × age band × two-disease registration (bitmask) ×
//              chronic registration: every person-level flow line of both schemes and the gain;
//   gain_hist  per cell, the count of persons in each gain bin (the gain = reform − baseline of the
//              pooled payments for the person's claims + second payment + account credits);
//   spend      per spending bin: persons, sum of gains, gainers, losers (exact);
//   joint      spending bin × gain bin → persons (sparse: only occupied pairs are stored).
// The spending deciles (ntile over all persons' spending) are only known once every chunk is in,
// which is why the gains are kept by spending bin; the cells need no spending dimension because no
// summary crosses a spending decile with status, age band or registration.
//
// Bins. Money is integer fen. A magnitude below 256 fen has a bin of its own (exact); above, each
// octave [2^e, 2^(e+1)) is cut into 128 equal bins, so a bin [min, max] has
// (max − min) / min < 1/128 (0.78%) — an HDR-histogram layout, computed with integer operations
// only, hence the same bin on every thread and platform. Gains are binned by sign and magnitude, so
// gainers (≥ 1 fen), losers (≤ −1 fen) and the unchanged (0) are separated exactly.
// Magnitudes are supported below 2^40 fen (≈ 11 billion yuan a person-year).
//
// Exact sums: cells and spend are Float64 sums of integers, exact while every partial sum stays
// within 2^53 fen (90 万亿元). They are checked after each chunk and each merge; the gain, the one
// signed measure, is also covered by Σ|gain| (absGainFen): every partial sum of a gain cell is at
// most Σ|gain| in size, so while that (checked) stays below 2^53 every gain sum is exact.
import type { ChunkOutcome, EngineClaims } from "../model/engine.ts";
import { checkExactTotal, checkExactTotals } from "../model/limits.ts";
import { DISEASES, STATUSES } from "../model/types.ts";
import { AGE_BAND_COUNT, mergeChecked } from "./cube.ts";

export const EXACT_BELOW = 256;
export const SUB_BINS = 128;
const FIRST_OCTAVE = Math.log2(EXACT_BELOW); // 8
const MAX_OCTAVE = 40;
/** Bins of a non-negative magnitude (also the spending bins). */
export const MAG_BINS = EXACT_BELOW + (MAX_OCTAVE - FIRST_OCTAVE) * SUB_BINS;
export const SPEND_BINS = MAG_BINS;
/** Signed gain bins: 0 … GAIN_ZERO − 1 losses (largest loss first), GAIN_ZERO no change, then gains. */
export const GAIN_BINS = 2 * MAG_BINS - 1;
export const GAIN_ZERO = MAG_BINS - 1;

/** The bin of a non-negative integer magnitude (fen). */
export function magBin(m: number): number {
  if (m < EXACT_BELOW) {
    if (!(m >= 0) || !Number.isInteger(m)) throw new RangeError(`bin of ${m}: expected a non-negative integer number of fen`);
    return m;
  }
  if (m < 2 ** 31) {
    if (!Number.isInteger(m)) throw new RangeError(`bin of ${m}: expected an integer number of fen`);
    const e = 31 - Math.clz32(m);
    return EXACT_BELOW + (e - FIRST_OCTAVE) * SUB_BINS + ((m >>> (e - 7)) - SUB_BINS);
  }
  if (!(m < 2 ** MAX_OCTAVE) || !Number.isInteger(m)) throw new RangeError(`bin of ${m} fen: outside the supported range (below 2^${MAX_OCTAVE} fen)`);
  // Beyond 32-bit integers: log2 may be off by one next to a power of two; exact comparisons fix it.
  let e = Math.floor(Math.log2(m));
  if (2 ** e > m) e--;
  else if (2 ** (e + 1) <= m) e++;
  return EXACT_BELOW + (e - FIRST_OCTAVE) * SUB_BINS + (Math.floor(m / 2 ** (e - 7)) - SUB_BINS);
}

/** The smallest and largest integer magnitude in a bin. */
export function magBinRange(b: number): [min: number, max: number] {
  if (b < EXACT_BELOW) return [b, b];
  const e = FIRST_OCTAVE + Math.floor((b - EXACT_BELOW) / SUB_BINS);
  const sub = (b - EXACT_BELOW) % SUB_BINS;
  const w = 2 ** (e - 7);
  return [(SUB_BINS + sub) * w, (SUB_BINS + sub + 1) * w - 1];
}

export function gainBin(g: number): number {
  return g >= 0 ? GAIN_ZERO + magBin(g) : GAIN_ZERO - magBin(-g);
}

/** The smallest and largest integer gain (fen) in a gain bin. */
export function gainBinRange(i: number): [min: number, max: number] {
  if (i >= GAIN_ZERO) return magBinRange(i - GAIN_ZERO);
  const [lo, hi] = magBinRange(GAIN_ZERO - i);
  return [-hi, -lo];
}

// ---- cells ---------------------------------------------------------------------------------------

const TWO_DISEASE_CODES = 1 << DISEASES.length;
const CD = [STATUSES.length, AGE_BAND_COUNT, TWO_DISEASE_CODES, 2];
export const PERSON_CELLS = CD.reduce((a, b) => a * b, 1);
export const CELL_DIMS = ["status", "age_band", "two_diseases", "chronic"] as const;

/** Per scheme (r_ = scenario, b_ = baseline): pooled payments for the person's claims under the
 *  outpatient rules, the second payment, account credits, the credits paid by the pool,
 *  contributions, what the account paid, cash, closing account balance, family use of the account. */
const SCHEME_MEASURES = ["fund_fen", "second_fen", "credit_fen", "credit_pool_fen", "contribution_fen", "account_fen", "cash_fen", "closing_fen", "family_fen"] as const;
export const PERSON_MEASURES = [
  "persons",
  "claims",
  "spending_fen",
  "opening_fen",
  /** Lines the same under both schemes: income that is not contributions, the reconciliation line,
   *  the maternity part of contributions, and the inpatient and maternity spending lines. */
  "non_contribution_income_fen",
  "reconciliation_fen",
  "maternity_contributions_fen",
  "inpatient_fund_fen",
  "maternity_fund_fen",
  /** Σ gain (fen), and the persons whose gain is ≥ 1 fen / ≤ −1 fen. */
  "gain_fen",
  "gainers",
  "losers",
  ...SCHEME_MEASURES.map((m) => `r_${m}`),
  ...SCHEME_MEASURES.map((m) => `b_${m}`),
] as const;
const M = Object.fromEntries(PERSON_MEASURES.map((m, i) => [m, i])) as Record<(typeof PERSON_MEASURES)[number], number>;
export const SPEND_MEASURES = ["persons", "gain_fen", "gainers", "losers"] as const;

export function personCellIndex(status: number, ageBand: number, twoDiseases: number, chronic: number): number {
  return ((status * CD[1] + ageBand) * CD[2] + twoDiseases) * CD[3] + chronic;
}

export function personCellCoordinates(cell: number): number[] {
  const out = new Array<number>(CD.length);
  for (let i = CD.length - 1; i >= 0; i--) {
    out[i] = cell % CD[i];
    cell = Math.floor(cell / CD[i]);
  }
  return out;
}

// ---- the sparse joint histogram --------------------------------------------------------------------

/** Open-addressing hash of integer keys (≥ 0) to counts, in typed arrays (−1 = empty slot). Its
 *  size is the number of occupied (spending bin, gain bin) pairs: it grows with the population
 *  only until the occupied part of the bin grid is seen (≈ 0.4 M pairs at 1 M persons). */
export interface CountMap {
  keys: Int32Array;
  counts: Uint32Array;
  size: number;
  /** 32 − log2(capacity): the slot is the top bits of a multiplicative hash. */
  shift: number;
}

export function emptyCountMap(log2Capacity = 16): CountMap {
  const n = 2 ** log2Capacity;
  return { keys: new Int32Array(n).fill(-1), counts: new Uint32Array(n), size: 0, shift: 32 - log2Capacity };
}

export function countMapAdd(map: CountMap, key: number, n: number): void {
  const mask = map.keys.length - 1;
  let i = Math.imul(key, 0x9e3779b1) >>> map.shift;
  const keys = map.keys;
  for (;;) {
    const k = keys[i];
    if (k === key) {
      map.counts[i] += n;
      return;
    }
    if (k === -1) break;
    i = (i + 1) & mask;
  }
  keys[i] = key;
  map.counts[i] = n;
  if (++map.size * 2 > keys.length) growCountMap(map);
}

function growCountMap(map: CountMap): void {
  const { keys, counts } = map;
  const grown = emptyCountMap(33 - map.shift);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) countMapAdd(grown, keys[i], counts[i]);
  map.keys = grown.keys;
  map.counts = grown.counts;
  map.shift = grown.shift;
}

/** Grow to at least 2^log2Capacity slots. */
export function reserveCountMap(map: CountMap, log2Capacity: number): void {
  while (32 - map.shift < log2Capacity) growCountMap(map);
}

/** The occupied entries, packed in slot order (what a worker sends), with the table's size. */
export function packCountMap(map: CountMap): { keys: Int32Array; counts: Uint32Array; log2Capacity: number } {
  const keys = new Int32Array(map.size);
  const counts = new Uint32Array(map.size);
  let r = 0;
  for (let i = 0; i < map.keys.length; i++) {
    if (map.keys[i] === -1) continue;
    keys[r] = map.keys[i];
    counts[r++] = map.counts[i];
  }
  return { keys, counts, log2Capacity: 32 - map.shift };
}

// ---- the cube ------------------------------------------------------------------------------------

export interface PersonCube {
  /** PERSON_CELLS × PERSON_MEASURES.length, cell-major (a person's sums are adjacent); exact sums
   *  of integers (below 2^53 fen, checked). */
  cells: Float64Array;
  /** PERSON_CELLS × GAIN_BINS persons, cell-major (counts stay far below 2^32: ≤ 50 M persons). */
  gainHist: Uint32Array;
  /** SPEND_MEASURES.length × SPEND_BINS, measure-major. */
  spend: Float64Array;
  /** key spendBin × GAIN_BINS + gainBin → persons. */
  joint: CountMap;
  /** Σ |gain| over every person added (fen): bounds every partial sum of the gain measures. */
  absGainFen: number;
}

/** A person cube as a worker sends it (the joint packed). */
export interface PackedPersonCube {
  cells: Float64Array;
  gainHist: Uint32Array;
  spend: Float64Array;
  joint: { keys: Int32Array; counts: Uint32Array; log2Capacity: number };
  absGainFen: number;
}

export function emptyPersonCube(): PersonCube {
  return {
    cells: new Float64Array(PERSON_MEASURES.length * PERSON_CELLS),
    gainHist: new Uint32Array(PERSON_CELLS * GAIN_BINS),
    spend: new Float64Array(SPEND_MEASURES.length * SPEND_BINS),
    joint: emptyCountMap(),
    absGainFen: 0,
  };
}

export function packPersonCube(c: PersonCube): PackedPersonCube {
  return { cells: c.cells, gainHist: c.gainHist, spend: c.spend, joint: packCountMap(c.joint), absGainFen: c.absGainFen };
}

export function mergePersonCube(into: PersonCube, from: PackedPersonCube): void {
  into.absGainFen = checkExactTotal(into.absGainFen + (from.absGainFen ?? 0), "person cube: Σ|gain|");
  mergeChecked(into.cells, from.cells, "person cube");
  for (let i = 0; i < into.gainHist.length; i++) into.gainHist[i] += from.gainHist[i];
  mergeChecked(into.spend, from.spend, "spending bins");
  // Entries in another table's slot order are in hash order: inserted into a smaller table they
  // pile up in runs and linear probing turns quadratic (seconds for 300 k entries). In a table at
  // least as large they land in order, as when a table grows.
  reserveCountMap(into.joint, from.joint.log2Capacity);
  for (let i = 0; i < from.joint.keys.length; i++) countMapAdd(into.joint, from.joint.keys[i], from.joint.counts[i]);
}

/** The persons of a chunk as the engine saw them (with the generator's grouping columns). */
export interface CubePersons {
  count: number;
  status: Uint8Array;
  ageBand: Uint8Array;
  twoDiseases: Uint8Array;
  chronic: Uint8Array;
  claimStart: Uint32Array;
  openingBalanceFen?: Int32Array;
}

/** Add a chunk's persons, adjudicated under the scenario (r) and the baseline (b). */
/** Offsets of SCHEME_MEASURES within one scheme's run of measures. */
const SM = Object.fromEntries(SCHEME_MEASURES.map((m, i) => [m, i])) as Record<(typeof SCHEME_MEASURES)[number], number>;

/** One scheme's person lines, at `at` = that scheme's first measure. */
function addSchemeLines(v: Float64Array, at: number, out: ChunkOutcome, p: number, fund: number, account: number, cash: number): void {
  v[at + SM.fund_fen] += fund;
  v[at + SM.second_fen] += out.secondPaymentFen[p];
  v[at + SM.credit_fen] += out.creditFen[p];
  v[at + SM.credit_pool_fen] += out.creditFromPoolFen[p];
  v[at + SM.contribution_fen] += out.contributionFen[p];
  v[at + SM.account_fen] += account;
  v[at + SM.cash_fen] += cash;
  v[at + SM.closing_fen] += out.closingBalanceFen[p];
  v[at + SM.family_fen] += out.familyUseFen[p];
}

export function addPersonsToCube(cube: PersonCube, persons: CubePersons, claims: EngineClaims, r: ChunkOutcome, b: ChunkOutcome): void {
  const v = cube.cells;
  const PM = PERSON_MEASURES.length;
  const S = SPEND_BINS;
  const opening = persons.openingBalanceFen;
  let absGain = 0;
  for (let p = 0; p < persons.count; p++) {
    let spend = 0, rf = 0, ra = 0, rc = 0, bf = 0, ba = 0, bc = 0;
    const s = persons.claimStart[p], e = persons.claimStart[p + 1];
    for (let j = s; j < e; j++) {
      const a = claims.amountFen[j];
      spend += a;
      rf += r.fundFen[j];
      ra += r.accountFen[j];
      rc += a - r.fundFen[j] - r.otherFundFen[j] - r.accountFen[j];
      bf += b.fundFen[j];
      ba += b.accountFen[j];
      bc += a - b.fundFen[j] - b.otherFundFen[j] - b.accountFen[j];
    }
    const gain = rf + r.secondPaymentFen[p] + r.creditFen[p] - (bf + b.secondPaymentFen[p] + b.creditFen[p]);
    const up = gain > 0 ? 1 : 0;
    const down = gain < 0 ? 1 : 0;
    absGain += gain < 0 ? -gain : gain;
    const cell = personCellIndex(persons.status[p], persons.ageBand[p], persons.twoDiseases[p], persons.chronic[p]);
    const o = cell * PM;
    v[o + M.persons] += 1;
    v[o + M.claims] += e - s;
    v[o + M.spending_fen] += spend;
    v[o + M.opening_fen] += opening ? opening[p] : 0;
    v[o + M.non_contribution_income_fen] += r.nonContributionIncomeFen[p];
    v[o + M.reconciliation_fen] += r.reconciliationFen[p];
    v[o + M.maternity_contributions_fen] += r.maternityContributionFen[p];
    v[o + M.inpatient_fund_fen] += r.inpatientFundFen[p];
    v[o + M.maternity_fund_fen] += r.maternityFundFen[p];
    v[o + M.gain_fen] += gain;
    v[o + M.gainers] += up;
    v[o + M.losers] += down;
    addSchemeLines(v, o + M.r_fund_fen, r, p, rf, ra, rc);
    addSchemeLines(v, o + M.b_fund_fen, b, p, bf, ba, bc);
    const gb = gainBin(gain);
    cube.gainHist[cell * GAIN_BINS + gb] += 1;
    const sb = magBin(spend);
    cube.spend[sb] += 1;
    cube.spend[S + sb] += gain;
    cube.spend[2 * S + sb] += up;
    cube.spend[3 * S + sb] += down;
    countMapAdd(cube.joint, sb * GAIN_BINS + gb, 1);
  }
  cube.absGainFen = checkExactTotal(cube.absGainFen + absGain, "person cube: Σ|gain|");
  checkExactTotals(v, "person cube");
  checkExactTotals(cube.spend, "spending bins");
}
