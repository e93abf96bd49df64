// The what-if sample format: a city-year's sample of persons and claims (the engine's columns) in
// one compact binary, written by the build's data loaders and read by the pages' workers and tests.
// Separate because it is a file format — the what-if and the projection both read it.
import { dayFromCivil } from "./dates.ts";
import type { EngineClaims, EnginePersons } from "./engine.ts";
import { CITY_ID_PATTERN, type CityId } from "./types.ts";

/** Persons of a sample: what the engine reads, plus the age band (for winners and losers). */
export interface SamplePersons extends EnginePersons {
  ageBand: Uint8Array;
  chronic: Uint8Array;
  /** Sex (0 male, 1 female): the projection's cohort cells read it; absent in older samples. */
  sex?: Uint8Array;
}

export interface SampleMeta {
  city: CityId;
  year: number;
  seed: number;
  /** The first person id (ids run firstId … firstId + persons − 1, as generateChunk makes them). */
  firstId: number;
  persons: number;
  claims: number;
}

export interface Sample {
  meta: SampleMeta;
  persons: SamplePersons;
  claims: EngineClaims;
}

/** The person and claim columns the codec reads (a structural subset of the generator's). */
export interface SampleSource {
  persons: Omit<SamplePersons, "openingBalanceFen">;
  claims: EngineClaims;
}

const MAGIC = 0x46535731; // "FSW1"
const VERSION = 1;

// Claim codes packed in one byte: kind (3 bits) | level (2) | setting (1) | area (2).
// Flags in another: designated | emergency << 1 | prescription << 2.
type ColType = "u8" | "u16" | "i32" | "u32";
const ARRAYS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array } as const;
const SIZES: Record<ColType, number> = { u8: 1, u16: 2, i32: 4, u32: 4 };

interface ColumnEntry {
  name: string;
  type: ColType;
  offset: number;
  length: number;
}

/**
 * Encode a sample in one buffer: a 12-byte preamble (magic, version, header length), a JSON header
 * (meta and the column table) and the columns, each 8-byte aligned. Claim days are stored as
 * offsets from 1 January of the year before the sample's, claim codes packed in a byte, facility ids
 * renumbered densely (the rules only compare them) unless `keepFacilityIds` — the projection moves a
 * claim to a level-1 facility by its id's level block (src/model/projection/year-sample.ts), so its sample keeps
 * the generator's ids; person columns as the engine reads them.
 */
export function encodeSample(meta: Omit<SampleMeta, "persons" | "claims">, src: SampleSource, { keepFacilityIds = false } = {}): Uint8Array {
  const p = src.persons;
  const c = src.claims;
  const n = p.count;
  const m = c.length;
  const base = dayFromCivil(meta.year - 1, 1, 1);
  const claimCount = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const k = p.claimStart[i + 1] - p.claimStart[i];
    if (k > 65535) throw new RangeError(`person ${i} has ${k} claims (the codec stores at most 65535)`);
    claimCount[i] = k;
  }
  const day = new Uint16Array(m);
  const code = new Uint8Array(m);
  const flags = new Uint8Array(m);
  const facilityIds = new Map<number, number>();
  let maxFacility = 0;
  const facility = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    const d = c.day[j] - base;
    if (d < 0 || d > 65535) throw new RangeError(`claim ${j}: day ${c.day[j]} is outside the sample's years`);
    day[j] = d;
    code[j] = c.kind[j] | (c.level[j] << 3) | (c.setting[j] << 5) | (c.area[j] << 6);
    flags[j] = c.designated[j] | (c.emergency[j] << 1) | (c.prescription[j] << 2);
    const f = c.facility[j];
    let id = f === 0 || keepFacilityIds ? f : facilityIds.get(f);
    if (id === undefined) facilityIds.set(f, (id = facilityIds.size + 1));
    facility[j] = id;
    if (id > maxFacility) maxFacility = id;
  }
  const cols: Array<[string, ColType, ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }]> = [
    ["status", "u8", p.status],
    ["birthDay", "i32", p.birthDay],
    ["retiredOnDay", "i32", p.retiredOnDay],
    ["hasAccount", "u8", p.hasAccount],
    ["oldWorker", "u8", p.oldWorker],
    ["twoDiseases", "u8", p.twoDiseases],
    ["chronic", "u8", p.chronic],
    ["contributionBaseFen", "i32", p.contributionBaseFen],
    ["pensionFen", "i32", p.pensionFen],
    ["ageBand", "u8", p.ageBand],
    ...(p.sex ? [["sex", "u8", p.sex] as (typeof cols)[number]] : []),
    ...(p.inpatientExpectedFen ? [["inpatientExpectedFen", "i32", p.inpatientExpectedFen] as (typeof cols)[number]] : []),
    ["claimCount", "u16", claimCount],
    ["day", "u16", day],
    ["code", "u8", code],
    ["flags", "u8", flags],
    ["amountFen", "i32", c.amountFen],
    ["eligibleFen", "i32", c.eligibleFen],
    ["facility", maxFacility > 65535 ? "u32" : "u16", maxFacility > 65535 ? facility : Uint16Array.from(facility)],
  ];
  const fullMeta: SampleMeta = { ...meta, persons: n, claims: m };
  const table: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, type, arr] of cols) {
    table.push({ name, type, offset, length: arr.length });
    offset += Math.ceil((arr.length * SIZES[type]) / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ version: VERSION, dayBase: base, meta: fullMeta, columns: table }));
  const headerLen = Math.ceil((12 + header.length) / 8) * 8 - 12;
  const out = new Uint8Array(12 + headerLen + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, headerLen, true);
  out.set(header, 12);
  out.fill(0x20, 12 + header.length, 12 + headerLen); // pad the JSON with spaces
  const body = 12 + headerLen;
  cols.forEach(([, type, arr], i) => {
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.length * SIZES[type]);
    out.set(bytes, body + table[i].offset);
  });
  return out;
}

/** Decode a buffer made by encodeSample into the engine's columns. */
export function decodeSample(input: ArrayBuffer | Uint8Array): Sample {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  // Column views need aligned offsets: copy when the bytes do not start on an 8-byte boundary.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 12 || dv.getUint32(0, true) !== MAGIC) throw new Error("not a fundsim what-if sample (bad magic number)");
  if (dv.getUint32(4, true) !== VERSION) throw new Error(`what-if sample version ${dv.getUint32(4, true)}; this code reads version ${VERSION}`);
  const headerLen = dv.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + headerLen))) as {
    dayBase: number;
    meta: SampleMeta;
    columns: ColumnEntry[];
  };
  const body = buf.byteOffset + 12 + headerLen;
  const optionalCol = <T extends ColType>(name: string): InstanceType<(typeof ARRAYS)[T]> | undefined => {
    const e = header.columns.find((c) => c.name === name);
    return e ? (new ARRAYS[e.type](buf.buffer as ArrayBuffer, body + e.offset, e.length) as InstanceType<(typeof ARRAYS)[T]>) : undefined;
  };
  const col = <T extends ColType>(name: string): InstanceType<(typeof ARRAYS)[T]> => {
    const c = optionalCol<T>(name);
    if (!c) throw new Error(`what-if sample: column ${name} is missing`);
    return c;
  };
  const { meta, dayBase } = header;
  const n = meta.persons;
  const m = meta.claims;
  const claimCount = col<"u16">("claimCount");
  const claimStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) claimStart[i + 1] = claimStart[i] + claimCount[i];
  const persons: SamplePersons = {
    count: n,
    status: col<"u8">("status"),
    birthDay: col<"i32">("birthDay"),
    retiredOnDay: col<"i32">("retiredOnDay"),
    hasAccount: col<"u8">("hasAccount"),
    oldWorker: col<"u8">("oldWorker"),
    twoDiseases: col<"u8">("twoDiseases"),
    chronic: col<"u8">("chronic"),
    contributionBaseFen: col<"i32">("contributionBaseFen"),
    pensionFen: col<"i32">("pensionFen"),
    ageBand: col<"u8">("ageBand"),
    claimStart,
  };
  if (header.columns.some((c) => c.name === "sex")) persons.sex = col<"u8">("sex");
  const expected = optionalCol<"i32">("inpatientExpectedFen");
  if (expected) persons.inpatientExpectedFen = expected;
  const day16 = col<"u16">("day");
  const code = col<"u8">("code");
  const flags = col<"u8">("flags");
  const fac = col<"u16" | "u32">("facility");
  const claims: EngineClaims = {
    length: m,
    day: new Int32Array(m),
    kind: new Uint8Array(m),
    level: new Uint8Array(m),
    setting: new Uint8Array(m),
    area: new Uint8Array(m),
    amountFen: col<"i32">("amountFen"),
    eligibleFen: col<"i32">("eligibleFen"),
    designated: new Uint8Array(m),
    emergency: new Uint8Array(m),
    prescription: new Uint8Array(m),
    facility: fac instanceof Uint32Array ? fac : Uint32Array.from(fac),
  };
  for (let j = 0; j < m; j++) {
    claims.day[j] = dayBase + day16[j];
    const k = code[j];
    claims.kind[j] = k & 7;
    claims.level[j] = (k >> 3) & 3;
    claims.setting[j] = (k >> 5) & 1;
    claims.area[j] = (k >> 6) & 3;
    const f = flags[j];
    claims.designated[j] = f & 1;
    claims.emergency[j] = (f >> 1) & 1;
    claims.prescription[j] = (f >> 2) & 1;
  }
  if (typeof meta.city !== "string" || !CITY_ID_PATTERN.test(meta.city)) throw new Error(`what-if sample: not a city id: ${String(meta.city).slice(0, 40)}`);
  return { meta, persons, claims };
}
