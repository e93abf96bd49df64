// The base-year sample and what it becomes in a projection year: days shifted, money scaled by the
// trends, claims thinned or duplicated for utilisation and the price response (against the
// outpatient price below), visits moved to level 1. Separate: every projection year re-adjudicates it.
import { civilFromDay, dayFromCivil } from "../dates.ts";
import { type ChunkOutcome, type EngineClaims, type EnginePersons, NO_DAY } from "../engine.ts";
import { assertInt32, groupDigits } from "../limits.ts";
import { KINDS } from "../types.ts";

/** The base-year sample: the engine's person columns (status: STATUSES codes) and their claims. */
export interface BaseSample {
  persons: EnginePersons;
  claims: EngineClaims;
  /** Person ids (for the deterministic thinning of claims); default the row index. */
  ids?: Uint32Array;
  /** Sex (0 male, 1 female) for the cohort cells; absent: cells by status and age only. */
  sex?: Uint8Array;
}

/** A sample decoded from the what-if binary (src/model/sample-codec.ts decodeSample) as a projection's
 *  base sample: person ids run from the sample's first id, as the generator numbered them (the
 *  deterministic thinning of claims hashes them). */
export function baseSampleOf(sample: { meta: { firstId: number }; persons: EnginePersons & { sex?: Uint8Array }; claims: EngineClaims }): BaseSample {
  const n = sample.persons.count;
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = sample.meta.firstId + i;
  return { persons: sample.persons, claims: sample.claims, ids, sex: sample.persons.sex };
}

/** A uniform number in [0, 1) from two integers (a 32-bit integer hash; deterministic). */
export function hashUniform(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(salt + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export const OUTPATIENT_KINDS = new Set(["general", "tcm", "two_disease", "special_exam"].map((k) => KINDS.indexOf(k as (typeof KINDS)[number])));
/** The same as a lookup by kind code (read per claim per year). */
const IS_OUTPATIENT = Uint8Array.from(KINDS, (_, i) => (OUTPATIENT_KINDS.has(i) ? 1 : 0));
const STATUS_RETIRED = 1;

/** Out-of-pocket price of outpatient care by status [active/flexible, retired]: 1 − the pooled
 *  fund's share of eligible outpatient spending, from a base-year adjudication. */
export function outpatientPrice(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): [number, number] {
  const elig = [0, 0], fund = [0, 0];
  for (let p = 0; p < persons.count; p++) {
    const s = persons.status[p] === STATUS_RETIRED ? 1 : 0;
    for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) {
      if (!OUTPATIENT_KINDS.has(claims.kind[j])) continue;
      elig[s] += claims.eligibleFen[j];
      fund[s] += o.fundFen[j];
    }
  }
  return [0, 1].map((s) => (elig[s] > 0 ? Math.max(0.01, 1 - fund[s] / elig[s]) : 1)) as [number, number];
}

export interface YearTransform {
  year: number;
  t: number;
  /** Cumulative cost indices [outpatient, inpatient and other kinds][active/flexible, retired]. */
  costIndex: [[number, number], [number, number]];
  wageIndex: number;
  pensionIndex: number;
  utilIndex: number;
  /** Per status group [active/flexible, retired]: visit and cost multipliers of outpatient claims. */
  visitResponse: [number, number];
  costResponse: [number, number];
  levelShift: number;
  levelCostRatio: number;
}

/** The same calendar day `dy` years later (29 February → 28 February in a common year). */
export function shiftYears(day: number, dy: number): number {
  if (dy === 0) return day;
  const c = civilFromDay(day);
  const y = c.year + dy;
  const d = c.month === 2 && c.day === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 28 : c.day;
  return dayFromCivil(y, c.month, d);
}

/** What every projection year of a sample reuses (a projection re-transforms the same sample for
 *  every year of every draw): each claim's two fixed uniforms, and the days shifted by dy years. */
interface SampleMemo {
  keep: Float64Array;
  move: Float64Array;
  days: Map<number, { claimDay: Int32Array; birthDay: Int32Array; retiredOnDay: Int32Array }>;
}
const MEMO = new WeakMap<BaseSample, SampleMemo>();

function memoOf(sample: BaseSample): SampleMemo {
  let m = MEMO.get(sample);
  if (m) return m;
  const P = sample.persons, C = sample.claims;
  const keep = new Float64Array(C.length), move = new Float64Array(C.length);
  for (let p = 0; p < P.count; p++) {
    const id = sample.ids ? sample.ids[p] : p;
    for (let j = P.claimStart[p], k = 0; j < P.claimStart[p + 1]; j++, k++) {
      keep[j] = hashUniform(id, k, 1);
      move[j] = hashUniform(id, k, 2);
    }
  }
  MEMO.set(sample, (m = { keep, move, days: new Map() }));
  return m;
}

function shiftedDays(sample: BaseSample, dy: number) {
  const memo = memoOf(sample);
  let d = memo.days.get(dy);
  if (d) return d;
  const P = sample.persons, C = sample.claims;
  memo.days.set(dy, (d = { claimDay: shiftColumn(C.day, C.length, dy), birthDay: shiftColumn(P.birthDay, P.count, dy), retiredOnDay: shiftColumn(P.retiredOnDay, P.count, dy) }));
  return d;
}

/** A day column shifted by `dy` years (NO_DAY stays). The days of a column span a few years (claims:
 *  the base year; births: a century) against millions of rows: each distinct day is shifted once,
 *  through a table over the column's range — the same days as shiftYears row by row. */
function shiftColumn(src: Int32Array, n: number, dy: number): Int32Array {
  const out = new Int32Array(n);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    if (x === NO_DAY) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo > hi) return out.fill(NO_DAY);
  if (hi - lo > 4 * n + 1024) {
    for (let i = 0; i < n; i++) out[i] = src[i] === NO_DAY ? NO_DAY : shiftYears(src[i], dy);
    return out;
  }
  const table = new Int32Array(hi - lo + 1);
  for (let x = lo; x <= hi; x++) table[x - lo] = shiftYears(x, dy);
  for (let i = 0; i < n; i++) {
    const x = src[i];
    out[i] = x === NO_DAY ? NO_DAY : table[x - lo];
  }
  return out;
}

/** Claim columns lent from one projection year to the next (a projection holds one year's claims
 *  at a time): at a million persons, fresh columns every year cost page faults and collections, a
 *  third of the transform. The columns of a transform made with them are valid until the next. */
export interface ClaimBuffers {
  capacity: number;
  columns: Omit<EngineClaims, "length"> | null;
}
export const claimBuffers = (): ClaimBuffers => ({ capacity: 0, columns: null });

const claimColumns = (n: number): Omit<EngineClaims, "length"> => ({
  day: new Int32Array(n), kind: new Uint8Array(n), level: new Uint8Array(n), setting: new Uint8Array(n), area: new Uint8Array(n), amountFen: new Int32Array(n),
  eligibleFen: new Int32Array(n), designated: new Uint8Array(n), emergency: new Uint8Array(n), prescription: new Uint8Array(n), facility: new Uint32Array(n),
});

/** Columns for `n` claims: new ones, or views of the lent buffers (grown with room for the trend's growth). */
function columnsFor(n: number, buffers?: ClaimBuffers): Omit<EngineClaims, "length"> {
  if (!buffers) return claimColumns(n);
  if (!buffers.columns || buffers.capacity < n) {
    buffers.capacity = Math.ceil(n * 1.1);
    buffers.columns = claimColumns(buffers.capacity);
  }
  const c = buffers.columns;
  return {
    day: c.day.subarray(0, n), kind: c.kind.subarray(0, n), level: c.level.subarray(0, n), setting: c.setting.subarray(0, n), area: c.area.subarray(0, n),
    amountFen: c.amountFen.subarray(0, n), eligibleFen: c.eligibleFen.subarray(0, n), designated: c.designated.subarray(0, n), emergency: c.emergency.subarray(0, n),
    prescription: c.prescription.subarray(0, n), facility: c.facility.subarray(0, n),
  };
}

/** The sample as it stands in year `tr.year`: shifted days, scaled money, thinned/duplicated claims
 *  (in `buffers` when given: valid until the next transform with them). */
export function transformSample(sample: BaseSample, baseYear: number, tr: YearTransform, opening: Int32Array | null, buffers?: ClaimBuffers): { persons: EnginePersons; claims: EngineClaims } {
  const P = sample.persons, C = sample.claims;
  const n = P.count;
  const dy = tr.year - baseYear;
  const memo = memoOf(sample), days = shiftedDays(sample, dy);
  const keep = memo.keep, move = memo.move, status = P.status, baseStart = P.claimStart;
  const kind = C.kind, level0 = C.level, facility0 = C.facility, amount0 = C.amountFen, eligible0 = C.eligibleFen;
  // Per status group [active/flexible, retired]: the copies' multiplier and the cost factor of an
  // outpatient claim and of any other claim (the products as the per-claim formula forms them).
  const mOut = [tr.utilIndex * tr.visitResponse[0], tr.utilIndex * tr.visitResponse[1]], mOther = tr.utilIndex * 1;
  const fOut = [tr.costIndex[0][0] * tr.costResponse[0], tr.costIndex[0][1] * tr.costResponse[1]], fOther = [tr.costIndex[1][0], tr.costIndex[1][1]];
  const levelShift = tr.levelShift, levelCostRatio = tr.levelCostRatio;
  // Copies of each claim: floor(m) + (u < frac(m)), u fixed per claim — so a claim kept at a lower
  // multiplier stays kept at a higher one (smooth in the parameters).
  // (The multiplier takes three values: its whole and fractional parts are taken once.)
  const wholeOf = (m: number) => Math.floor(m), fracOf = (m: number) => m - Math.floor(m);
  const wholeOut = mOut.map(wholeOf), fracOut = mOut.map(fracOf), wholeOther = wholeOf(mOther), fracOther = fracOf(mOther);
  const copies = new Uint8Array(C.length);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const g = status[p] === STATUS_RETIRED ? 1 : 0;
    const wo = wholeOut[g], fo = fracOut[g];
    for (let j = baseStart[p], end = baseStart[p + 1]; j < end; j++) {
      const out = IS_OUTPATIENT[kind[j]] === 1;
      const c = Math.min(255, (out ? wo : wholeOther) + (keep[j] < (out ? fo : fracOther) ? 1 : 0));
      copies[j] = c;
      total += c;
    }
  }
  // The year's claims: each base claim's copies, its money scaled once. Every column is read and
  // written through a local (one fused loop, no property loads per claim).
  const claimDay = days.claimDay, setting0 = C.setting, area0 = C.area, designated0 = C.designated, emergency0 = C.emergency, prescription0 = C.prescription;
  const { day, kind: kindOut, level, setting, area, amountFen, eligibleFen, designated, emergency, prescription, facility } = columnsFor(total, buffers);
  const claimStart = new Uint32Array(n + 1);
  let w = 0;
  for (let p = 0; p < n; p++) {
    claimStart[p] = w;
    const g = status[p] === STATUS_RETIRED ? 1 : 0;
    const fo = fOut[g], fx = fOther[g];
    for (let j = baseStart[p], end = baseStart[p + 1]; j < end; j++) {
      const c = copies[j];
      if (c === 0) continue;
      const op = IS_OUTPATIENT[kind[j]] === 1;
      let f = op ? fo : fx;
      let lv = level0[j], fac = facility0[j];
      // A share of level-2/3 outpatient visits moves to level 1 (at levelCostRatio of the cost).
      if (op && levelShift > 0 && lv > 0 && move[j] < levelShift) {
        f *= levelCostRatio;
        lv = 0;
        // Facility ids carry their level in the millions block (columns.ts): move to level 1's.
        if (fac >= 1_000_000 && fac < 4_000_000) fac = 1_000_000 + (fac % 1_000_000);
      }
      const amount = roundHalfUp(amount0[j] * f);
      // Scaled amounts enter Int32 columns: decades of a steep cost trend could pass 2^31 fen.
      if ((amount | 0) !== amount) scaledOverflow("a claim amount", amount0[j], f, tr.year);
      const eligible = Math.min(amount, roundHalfUp(eligible0[j] * f));
      const d = claimDay[j], k = kind[j], st = setting0[j], ar = area0[j], de = designated0[j], em = emergency0[j], pr = prescription0[j];
      for (let r = 0; r < c; r++, w++) {
        day[w] = d; kindOut[w] = k; level[w] = lv; setting[w] = st; area[w] = ar; amountFen[w] = amount; eligibleFen[w] = eligible;
        designated[w] = de; emergency[w] = em; prescription[w] = pr; facility[w] = fac;
      }
    }
  }
  const claims: EngineClaims = { length: total, day, kind: kindOut, level, setting, area, amountFen, eligibleFen, designated, emergency, prescription, facility };
  claimStart[n] = w;
  const { birthDay, retiredOnDay } = days;
  const base = new Int32Array(n), pension = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const b = roundHalfUp(P.contributionBaseFen[p] * tr.wageIndex), q = roundHalfUp(P.pensionFen[p] * tr.pensionIndex);
    if ((b | 0) !== b) scaledOverflow("a contribution base", P.contributionBaseFen[p], tr.wageIndex, tr.year);
    if ((q | 0) !== q) scaledOverflow("a pension", P.pensionFen[p], tr.pensionIndex, tr.year);
    base[p] = b;
    pension[p] = q;
  }
  const persons: EnginePersons = {
    ...P, birthDay, retiredOnDay, contributionBaseFen: base, pensionFen: pension, claimStart,
    openingBalanceFen: opening ?? P.openingBalanceFen,
  };
  // The expected inpatient cost of a person of that status and age (the inpatient fund line's
  // basis when the sample has it) moves with the inpatient cost and the utilisation trends.
  if (P.inpatientExpectedFen) {
    const e = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const f = tr.costIndex[1][P.status[p] === STATUS_RETIRED ? 1 : 0] * tr.utilIndex;
      const x = roundHalfUp(P.inpatientExpectedFen[p] * f);
      if ((x | 0) !== x) scaledOverflow("an expected inpatient cost", P.inpatientExpectedFen[p], f, tr.year);
      e[p] = x;
    }
    persons.inpatientExpectedFen = e;
  }
  return { persons, claims };
}

/** Math.round(x), exactly, faster for what the transform rounds (scaled fen, 0 ≤ x < 2^31; V8's
 *  Math.round was a third of the transform): floor(x + ½) by truncation, one less where the sum
 *  x + ½ rounded up to the next integer (t − ½ > x, exact: x = 0.49999999999999994). */
export function roundHalfUp(x: number): number {
  if (!(x >= 0 && x < 2147483647)) return Math.round(x);
  const t = (x + 0.5) | 0;
  return t - 0.5 > x ? t - 1 : t;
}

/** An amount scaled by a year's index past what an Int32 column holds: a clear stop, not a wrap. */
function scaledOverflow(what: string, fen: number, index: number, year: number): never {
  assertInt32(Math.round(fen * index), `${year}: ${what} of ${groupDigits(fen / 100)} yuan × ${index.toPrecision(4)} (the year's growth index)`);
  throw new RangeError(`${year}: ${what} is not a whole number of fen`);
}
