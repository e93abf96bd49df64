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
}

/** A sample decoded from the what-if binary (src/model/sample-codec.ts decodeSample) as a projection's
 *  base sample: person ids run from the sample's first id, as the generator numbered them (the
 *  deterministic thinning of claims hashes them). */
export function baseSampleOf(sample: { meta: { firstId: number }; persons: EnginePersons; claims: EngineClaims }): BaseSample {
  const n = sample.persons.count;
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = sample.meta.firstId + i;
  return { persons: sample.persons, claims: sample.claims, ids };
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

const OUTPATIENT_KINDS = new Set(["general", "tcm", "two_disease", "special_exam"].map((k) => KINDS.indexOf(k as (typeof KINDS)[number])));
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
  costIndex: number;
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

/** The sample as it stands in year `tr.year`: shifted days, scaled money, thinned/duplicated claims. */
export function transformSample(sample: BaseSample, baseYear: number, tr: YearTransform, opening: Int32Array | null): { persons: EnginePersons; claims: EngineClaims } {
  const P = sample.persons, C = sample.claims;
  const n = P.count;
  const dy = tr.year - baseYear;
  const ids = sample.ids;
  // Copies of each claim: floor(m) + (u < frac(m)), u fixed per claim — so a claim kept at a lower
  // multiplier stays kept at a higher one (smooth in the parameters).
  const copies = new Uint8Array(C.length);
  const levelMove = new Uint8Array(C.length);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const g = P.status[p] === STATUS_RETIRED ? 1 : 0;
    const id = ids ? ids[p] : p;
    for (let j = P.claimStart[p], k = 0; j < P.claimStart[p + 1]; j++, k++) {
      const op = OUTPATIENT_KINDS.has(C.kind[j]);
      const m = tr.utilIndex * (op ? tr.visitResponse[g] : 1);
      const whole = Math.floor(m);
      const c = Math.min(255, whole + (hashUniform(id, k, 1) < m - whole ? 1 : 0));
      copies[j] = c;
      total += c;
      if (op && tr.levelShift > 0 && C.level[j] > 0 && hashUniform(id, k, 2) < tr.levelShift) levelMove[j] = 1;
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
      const op = OUTPATIENT_KINDS.has(C.kind[j]);
      let f = tr.costIndex * (op ? tr.costResponse[g] : 1);
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
      const d = shiftYears(C.day[j], dy);
      for (let r = 0; r < c; r++, w++) {
        claims.day[w] = d; claims.kind[w] = C.kind[j]; claims.level[w] = level; claims.setting[w] = C.setting[j]; claims.area[w] = C.area[j];
        claims.amountFen[w] = amount; claims.eligibleFen[w] = eligible; claims.designated[w] = C.designated[j]; claims.emergency[w] = C.emergency[j];
        claims.prescription[w] = C.prescription[j]; claims.facility[w] = facility;
      }
    }
  }
  claimStart[n] = w;
  const birthDay = new Int32Array(n), retiredOnDay = new Int32Array(n), base = new Int32Array(n), pension = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    birthDay[p] = shiftYears(P.birthDay[p], dy);
    retiredOnDay[p] = P.retiredOnDay[p] === NO_DAY ? NO_DAY : shiftYears(P.retiredOnDay[p], dy);
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
  return { persons, claims };
}

/** An amount scaled by a year's index past what an Int32 column holds: a clear stop, not a wrap. */
function scaledOverflow(what: string, fen: number, index: number, year: number): never {
  assertInt32(Math.round(fen * index), `${year}: ${what} of ${groupDigits(fen / 100)} yuan × ${index.toPrecision(4)} (the year's growth index)`);
  throw new RangeError(`${year}: ${what} is not a whole number of fen`);
}
