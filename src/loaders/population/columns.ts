// Column layout of a generated population chunk and its claims, and the codecs between the
// Uint8 codes and the domain vocabulary of src/model/types.ts.
//
// Codes are the index of a value in the const arrays of types.ts: KINDS[kind] is the claim's
// kind, LEVELS[level] its facility level (code 0 = level 1, 1 = level 2, 2 = level 3),
// STATUSES[status], SETTINGS[setting], AREAS[area]. Disease bitmasks use DISEASES order
// (bit 0 = hypertension, bit 1 = diabetes). Days are day numbers (days since 1970-01-01).
// Money is integer fen. The rule engine reads these typed arrays directly.
//
// Persons of a chunk are ids firstId … firstId + count − 1; the claims of person i (chunk
// index) are rows claimStart[i] … claimStart[i + 1] − 1 of the claim columns, in date order
// (ties keep generation order).

import type { EngineClaims } from "../../model/engine-columns.ts";
import {
  AREAS,
  DISEASES,
  KINDS,
  LEVELS,
  SETTINGS,
  STATUSES,
  type Area,
  type Claim,
  type Disease,
  type Kind,
  type Level,
  type Person,
  type Setting,
  type Status,
} from "../../model/types.ts";

/** Sex codes (not in types.ts: only the population uses them). */
export const SEXES = ["male", "female"] as const;
export type Sex = (typeof SEXES)[number];

/** Age bands by age reached in the simulated year (year − birth year). */
export const AGE_BANDS = ["under_20", "20_44", "45_59", "60_64", "65_69", "70_79", "80_plus"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
const AGE_BAND_LOWER = [0, 20, 45, 60, 65, 70, 80];

/** Age band code of an age in years. */
export function ageBandCode(age: number): number {
  let b = 0;
  for (let i = 1; i < AGE_BAND_LOWER.length; i++) if (age >= AGE_BAND_LOWER[i]) b = i;
  return b;
}

/** Sentinel for "no day" (a person who is not retired and does not retire in the year). */
export const NO_DAY = -2147483648;

export const STATUS = { active: 0, retired: 1, flexible: 2 } as const;
export const KIND = { general: 0, tcm: 1, two_disease: 2, special_exam: 3, chronic_special: 4, inpatient: 5, day_surgery: 6 } as const;
export const SETTING = { facility: 0, pharmacy: 1 } as const;
export const AREA = { local: 0, in_province: 1, out_of_province: 2, registered_elsewhere: 3 } as const;
export const DISEASE_BIT = { hypertension: 1, diabetes: 2 } as const;

export const statusCode = (s: Status): number => STATUSES.indexOf(s);
export const kindCode = (k: Kind): number => KINDS.indexOf(k);
export const levelCode = (l: Level): number => LEVELS.indexOf(l);
export const settingCode = (s: Setting): number => SETTINGS.indexOf(s);
export const areaCode = (a: Area): number => AREAS.indexOf(a);

export function diseasesFromMask(mask: number): Disease[] {
  return DISEASES.filter((_, i) => (mask >> i) & 1);
}
export function maskFromDiseases(ds: readonly Disease[]): number {
  let m = 0;
  for (const d of ds) m |= 1 << DISEASES.indexOf(d);
  return m;
}

// Facility ids: level L facilities are L·1 000 000 + n, pharmacies 9 000 000 + n; an id at or
// above +500 000 within its block is a non-designated facility.
export const FACILITY_BLOCK = 1_000_000;
export const PHARMACY_BLOCK = 9 * FACILITY_BLOCK;
export const NON_DESIGNATED_OFFSET = 500_000;

/** Facility id → a readable label, e.g. "L3-0012", "PH-0107", "L2-X0003" (non-designated). Ids are never 0 (0 = not given in the calculator). */
export function facilityLabel(id: number): string {
  const block = Math.floor(id / FACILITY_BLOCK);
  const n = id % FACILITY_BLOCK;
  const nd = n >= NON_DESIGNATED_OFFSET ? "X" : "";
  const num = String(nd ? n - NON_DESIGNATED_OFFSET : n).padStart(4, "0");
  return (block === 9 ? "PH" : `L${block}`) + "-" + nd + num;
}

/** The persons of one chunk. */
export interface PersonColumns {
  firstId: number;
  count: number;
  id: Uint32Array;
  status: Uint8Array;
  sex: Uint8Array;
  birthDay: Int32Array;
  /** Day retiree benefits start; NO_DAY when not retired by the end of the year. */
  retiredOnDay: Int32Array;
  /** 0/1: individual account (统账结合); 0 only for flexible workers in the pool-only mode. */
  hasAccount: Uint8Array;
  /** 0/1: 建国前老工人 (Jinan). */
  oldWorker: Uint8Array;
  /** Bitmask (DISEASES order) of conditions registered for the two-disease benefit. */
  twoDiseases: Uint8Array;
  /** Bitmask (DISEASES order) of conditions present (diagnosed or not). */
  diseases: Uint8Array;
  /** 0/1: registered chronic/special-disease patient (门诊慢特病). */
  chronic: Uint8Array;
  /** 0/1: filed long-term residence elsewhere (异地长期居住备案). */
  registeredElsewhere: Uint8Array;
  contributionBaseFen: Int32Array;
  pensionFen: Int32Array;
  /** Expected in-catalogue inpatient + day-surgery cost of the year at the person's status, age and
   *  conditions, fen (expected-inpatient.ts): the pooled fund's inpatient line is built from it. */
  inpatientExpectedFen: Int32Array;
  /** Age reached in the simulated year (year − birth year). */
  age: Uint8Array;
  ageBand: Uint8Array;
  /** count + 1 offsets into the claim columns. */
  claimStart: Uint32Array;
}

/** The claims of one chunk, `length` rows (arrays may be longer: use only [0, length)). */
export interface ClaimColumns extends EngineClaims {
  person: Uint32Array;
}

export interface Chunk {
  persons: PersonColumns;
  claims: ClaimColumns;
}

/** A typed array of `n` elements; on a SharedArrayBuffer when `shared` (a thread it is sent to then
 *  reads the same memory instead of a copy). */
function column<T>(C: { new (n: number): T; new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number, shared: boolean): T {
  return shared ? new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT)) : new C(n);
}

/** `shared`: the columns on SharedArrayBuffers (see column). */
export function allocPersons(firstId: number, count: number, shared = false): PersonColumns {
  return {
    firstId,
    count,
    id: column(Uint32Array, count, shared),
    status: column(Uint8Array, count, shared),
    sex: column(Uint8Array, count, shared),
    birthDay: column(Int32Array, count, shared),
    retiredOnDay: column(Int32Array, count, shared),
    hasAccount: column(Uint8Array, count, shared),
    oldWorker: column(Uint8Array, count, shared),
    twoDiseases: column(Uint8Array, count, shared),
    diseases: column(Uint8Array, count, shared),
    chronic: column(Uint8Array, count, shared),
    registeredElsewhere: column(Uint8Array, count, shared),
    contributionBaseFen: column(Int32Array, count, shared),
    pensionFen: column(Int32Array, count, shared),
    inpatientExpectedFen: column(Int32Array, count, shared),
    age: column(Uint8Array, count, shared),
    ageBand: column(Uint8Array, count, shared),
    claimStart: column(Uint32Array, count + 1, shared),
  };
}

export function allocClaims(capacity: number, shared = false): ClaimColumns {
  return {
    length: 0,
    person: column(Uint32Array, capacity, shared),
    day: column(Int32Array, capacity, shared),
    kind: column(Uint8Array, capacity, shared),
    level: column(Uint8Array, capacity, shared),
    setting: column(Uint8Array, capacity, shared),
    area: column(Uint8Array, capacity, shared),
    amountFen: column(Int32Array, capacity, shared),
    eligibleFen: column(Int32Array, capacity, shared),
    designated: column(Uint8Array, capacity, shared),
    emergency: column(Uint8Array, capacity, shared),
    prescription: column(Uint8Array, capacity, shared),
    facility: column(Uint32Array, capacity, shared),
  };
}

/** A copy with at least `capacity` rows, keeping the first `length`. */
export function growClaims(c: ClaimColumns, capacity: number): ClaimColumns {
  const n = allocClaims(capacity);
  n.length = c.length;
  for (const k of CLAIM_ARRAY_KEYS) (n[k] as Uint8Array).set((c[k] as Uint8Array).subarray(0, c.length));
  return n;
}

/** The claim columns trimmed to their length (views, no copy). */
export function trimClaims(c: ClaimColumns): ClaimColumns {
  const out = { length: c.length } as ClaimColumns;
  for (const k of CLAIM_ARRAY_KEYS) (out as unknown as Record<string, unknown>)[k] = (c[k] as Uint8Array).subarray(0, c.length);
  return out;
}

/**
 * Consecutive chunks (the first's persons, then the next's, …) as one chunk: the columns
 * concatenated and the claim offsets shifted — the same columns as generating all their persons in
 * one chunk (a person's draws do not depend on chunk boundaries), so chunks generated on several
 * threads join into the sample one thread would have generated. `shared`: the joined columns on
 * SharedArrayBuffers, for a sample that threads read at once (never written once generated).
 */
export function joinChunks(chunks: readonly Chunk[], { shared = false } = {}): Chunk {
  const firstId = chunks.length > 0 ? chunks[0].persons.firstId : 0;
  let count = 0, rows = 0;
  for (const c of chunks) {
    if (c.persons.firstId !== firstId + count) throw new RangeError(`chunks to join must be consecutive: persons from ${firstId + count} expected, got ${c.persons.firstId}`);
    count += c.persons.count;
    rows += c.claims.length;
  }
  const persons = allocPersons(firstId, count, shared), claims = allocClaims(rows, shared);
  claims.length = rows;
  let p = 0, r = 0;
  for (const { persons: cp, claims: cc } of chunks) {
    for (const k of PERSON_ARRAY_KEYS) (persons[k] as Uint8Array).set(cp[k] as Uint8Array, p);
    for (let i = 1; i <= cp.count; i++) persons.claimStart[p + i] = r + cp.claimStart[i];
    for (const k of CLAIM_ARRAY_KEYS) (claims[k] as Uint8Array).set((cc[k] as Uint8Array).subarray(0, cc.length), r);
    p += cp.count;
    r += cc.length;
  }
  return { persons, claims };
}

export const CLAIM_ARRAY_KEYS = [
  "person", "day", "kind", "level", "setting", "area", "amountFen", "eligibleFen", "designated", "emergency", "prescription", "facility",
] as const satisfies readonly (keyof ClaimColumns)[];

export const PERSON_ARRAY_KEYS = [
  "id", "status", "sex", "birthDay", "retiredOnDay", "hasAccount", "oldWorker", "twoDiseases", "diseases", "chronic",
  "registeredElsewhere", "contributionBaseFen", "pensionFen", "inpatientExpectedFen", "age", "ageBand",
] as const satisfies readonly (keyof PersonColumns)[];

/** How each column is written to Parquet: column name, DuckDB type of the in-memory bytes, and
 *  the SQL expression (over the loaded column) that gives the stored value. */
export interface ColumnSpec<K extends string> {
  key: K;
  name: string;
  /** DuckDB type matching the typed array's bytes. */
  loadType: "UTINYINT" | "INTEGER" | "UINTEGER";
  /** Expression for the Parquet column; `$` is the loaded column. */
  store: string;
  /** Labels of the codes (index = code), when the column is a code. */
  labels?: readonly (string | number)[];
  doc: string;
}

const dayExpr = "(DATE '1970-01-01' + $)";
export const PERSON_PARQUET: ColumnSpec<(typeof PERSON_ARRAY_KEYS)[number]>[] = [
  { key: "id", name: "person", loadType: "UINTEGER", store: "$", doc: "person id (unique within a run)" },
  { key: "status", name: "status", loadType: "UTINYINT", store: "$", labels: STATUSES, doc: "status code (STATUSES index)" },
  { key: "sex", name: "sex", loadType: "UTINYINT", store: "$", labels: SEXES, doc: "sex code (0 male, 1 female)" },
  { key: "birthDay", name: "birth_date", loadType: "INTEGER", store: dayExpr, doc: "date of birth" },
  { key: "retiredOnDay", name: "retired_on", loadType: "INTEGER", store: `CASE WHEN $ = ${NO_DAY} THEN NULL ELSE ${dayExpr} END`, doc: "first day of retiree benefits; NULL if not retired by year end" },
  { key: "hasAccount", name: "has_account", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "has an individual account" },
  { key: "oldWorker", name: "old_worker", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "建国前老工人 (Jinan)" },
  { key: "twoDiseases", name: "two_diseases", loadType: "UTINYINT", store: "$", doc: "bitmask registered for the two-disease benefit: 1 hypertension, 2 diabetes" },
  { key: "diseases", name: "diseases", loadType: "UTINYINT", store: "$", doc: "bitmask of conditions present: 1 hypertension, 2 diabetes" },
  { key: "chronic", name: "chronic", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "registered chronic/special-disease patient" },
  { key: "registeredElsewhere", name: "registered_elsewhere", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "filed long-term residence elsewhere" },
  { key: "contributionBaseFen", name: "contribution_base_fen", loadType: "INTEGER", store: "$::BIGINT", doc: "monthly contribution base, fen (0 for retirees before the year)" },
  { key: "pensionFen", name: "pension_fen", loadType: "INTEGER", store: "$::BIGINT", doc: "monthly pension, fen (retirees)" },
  { key: "inpatientExpectedFen", name: "inpatient_expected_fen", loadType: "INTEGER", store: "$::BIGINT", doc: "expected in-catalogue inpatient and day-surgery cost of the year at the person's status, age and conditions, fen" },
  { key: "age", name: "age", loadType: "UTINYINT", store: "$", doc: "age reached in the year (year − birth year)" },
  { key: "ageBand", name: "age_band", loadType: "UTINYINT", store: "$", labels: AGE_BANDS, doc: "age band code (AGE_BANDS index), age reached in the year" },
];

export const CLAIM_PARQUET: ColumnSpec<(typeof CLAIM_ARRAY_KEYS)[number]>[] = [
  { key: "person", name: "person", loadType: "UINTEGER", store: "$", doc: "person id" },
  { key: "day", name: "date", loadType: "INTEGER", store: dayExpr, doc: "date of the claim" },
  { key: "kind", name: "kind", loadType: "UTINYINT", store: "$", labels: KINDS, doc: "kind code (KINDS index)" },
  { key: "level", name: "level", loadType: "UTINYINT", store: "$", labels: LEVELS, doc: "level code (LEVELS index: 0 = level 1, 1 = level 2, 2 = level 3)" },
  { key: "setting", name: "setting", loadType: "UTINYINT", store: "$", labels: SETTINGS, doc: "setting code (SETTINGS index)" },
  { key: "area", name: "area", loadType: "UTINYINT", store: "$", labels: AREAS, doc: "area code (AREAS index)" },
  { key: "amountFen", name: "amount_fen", loadType: "INTEGER", store: "$::BIGINT", doc: "cost, fen" },
  { key: "eligibleFen", name: "eligible_fen", loadType: "INTEGER", store: "$::BIGINT", doc: "policy-scope part of the cost, fen" },
  { key: "designated", name: "designated", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "designated facility or pharmacy" },
  { key: "emergency", name: "emergency", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "emergency/rescue" },
  { key: "prescription", name: "prescription", loadType: "UTINYINT", store: "$::BOOLEAN", doc: "pharmacy purchase with an external prescription" },
  { key: "facility", name: "facility", loadType: "UINTEGER", store: "$", doc: "facility id (facilityLabel gives the string)" },
];

const dayToIso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);
export { dayToIso };

/** Person i of a chunk as the calculator's Person (for tests, examples and the what-if sample). */
export function personAt(p: PersonColumns, i: number): Person {
  return {
    status: STATUSES[p.status[i]],
    birthDay: p.birthDay[i],
    oldWorker: p.oldWorker[i] === 1,
    twoDiseases: diseasesFromMask(p.twoDiseases[i]),
    retiredOnDay: p.retiredOnDay[i] === NO_DAY ? undefined : p.retiredOnDay[i],
    hasAccount: p.hasAccount[i] === 1,
    contributionBaseFen: p.contributionBaseFen[i],
    pensionFen: p.pensionFen[i],
  };
}

/** Claim row j as the calculator's Claim. */
export function claimAt(c: ClaimColumns, j: number): Claim {
  return {
    day: c.day[j],
    kind: KINDS[c.kind[j]],
    level: LEVELS[c.level[j]],
    amountFen: c.amountFen[j],
    eligibleFen: c.eligibleFen[j],
    setting: SETTINGS[c.setting[j]],
    area: AREAS[c.area[j]],
    designated: c.designated[j] === 1,
    emergency: c.emergency[j] === 1,
    prescription: c.prescription[j] === 1,
    facility: c.facility[j],
  };
}
