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
  const claimDay = new Int32Array(C.length), birthDay = new Int32Array(P.count), retiredOnDay = new Int32Array(P.count);
  for (let j = 0; j < C.length; j++) claimDay[j] = shiftYears(C.day[j], dy);
  for (let p = 0; p < P.count; p++) {
    birthDay[p] = shiftYears(P.birthDay[p], dy);
    retiredOnDay[p] = P.retiredOnDay[p] === NO_DAY ? NO_DAY : shiftYears(P.retiredOnDay[p], dy);
  }
  memo.days.set(dy, (d = { claimDay, birthDay, retiredOnDay }));
  return d;
}

/** The sample as it stands in year `tr.year`: shifted days, scaled money, thinned/duplicated claims. */
export function transformSample(sample: BaseSample, baseYear: number, tr: YearTransform, opening: Int32Array | null): { persons: EnginePersons; claims: EngineClaims } {
  const P = sample.persons, C = sample.claims;
  const n = P.count;
  const dy = tr.year - baseYear;
  const memo = memoOf(sample), days = shiftedDays(sample, dy);
  // Copies of each claim: floor(m) + (u < frac(m)), u fixed per claim — so a claim kept at a lower
  // multiplier stays kept at a higher one (smooth in the parameters).
  const copies = new Uint8Array(C.length);
  const levelMove = new Uint8Array(C.length);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const g = P.status[p] === STATUS_RETIRED ? 1 : 0;
    for (let j = P.claimStart[p]; j < P.claimStart[p + 1]; j++) {
      const op = IS_OUTPATIENT[C.kind[j]] === 1;
      const m = tr.utilIndex * (op ? tr.visitResponse[g] : 1);
      const whole = Math.floor(m);
      const c = Math.min(255, whole + (memo.keep[j] < m - whole ? 1 : 0));
      copies[j] = c;
      total += c;
      if (op && tr.levelShift > 0 && C.level[j] > 0 && memo.move[j] < tr.levelShift) levelMove[j] = 1;
    }
  }
  const claims: EngineClaims = {
    length: total,
    day: new Int32Array(total), kind: new Uint8Array(total), level: new Uint8Array(total), setting: new Uint8Array(total), area: new Uint8Array(total),
    amountFen: new Int32Array(total), eligibleFen: new Int32Array(total), designated: new Uint8Array(total), emergency: new Uint8Array(total),
    prescription: new Uint8Array(total), facility: new Uint32Array(total),
  };
  const claimStart = new Uint32Array(n + 1);
  let w = 0;
  for (let p = 0; p < n; p++) {
    claimStart[p] = w;
    const g = P.status[p] === STATUS_RETIRED ? 1 : 0;
    for (let j = P.claimStart[p]; j < P.claimStart[p + 1]; j++) {
      const c = copies[j];
      if (c === 0) continue;
      const op = IS_OUTPATIENT[C.kind[j]] === 1;
      let f = tr.costIndex[op ? 0 : 1][g] * (op ? tr.costResponse[g] : 1);
      let level = C.level[j], facility = C.facility[j];
      if (levelMove[j]) {
        f *= tr.levelCostRatio;
        level = 0;
        // Facility ids carry their level in the millions block (columns.ts): move to level 1's.
        if (facility >= 1_000_000 && facility < 4_000_000) facility = 1_000_000 + (facility % 1_000_000);
      }
      const amount = Math.round(C.amountFen[j] * f);
      // Scaled amounts enter Int32 columns: decades of a steep cost trend could pass 2^31 fen.
      if ((amount | 0) !== amount) scaledOverflow("a claim amount", C.amountFen[j], f, tr.year);
      const eligible = Math.min(amount, Math.round(C.eligibleFen[j] * f));
      const d = days.claimDay[j];
      for (let r = 0; r < c; r++, w++) {
        claims.day[w] = d; claims.kind[w] = C.kind[j]; claims.level[w] = level; claims.setting[w] = C.setting[j]; claims.area[w] = C.area[j];
        claims.amountFen[w] = amount; claims.eligibleFen[w] = eligible; claims.designated[w] = C.designated[j]; claims.emergency[w] = C.emergency[j];
        claims.prescription[w] = C.prescription[j]; claims.facility[w] = facility;
      }
    }
  }
  claimStart[n] = w;
  const { birthDay, retiredOnDay } = days;
  const base = new Int32Array(n), pension = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const b = Math.round(P.contributionBaseFen[p] * tr.wageIndex), q = Math.round(P.pensionFen[p] * tr.pensionIndex);
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
      const x = Math.round(P.inpatientExpectedFen[p] * f);
      if ((x | 0) !== x) scaledOverflow("an expected inpatient cost", P.inpatientExpectedFen[p], f, tr.year);
      e[p] = x;
    }
    persons.inpatientExpectedFen = e;
  }
  return { persons, claims };
}

/** An amount scaled by a year's index past what an Int32 column holds: a clear stop, not a wrap. */
function scaledOverflow(what: string, fen: number, index: number, year: number): never {
  assertInt32(Math.round(fen * index), `${year}: ${what} of ${groupDigits(fen / 100)} yuan × ${index.toPrecision(4)} (the year's growth index)`);
  throw new RangeError(`${year}: ${what} is not a whole number of fen`);
}
