// The what-if page's computation, pure (runs in the browser's worker and in Node tests):
//   - a compact binary codec for a sample of persons and their claims (the engine's columns);
//   - `runBoth`: a chunk under a scenario and the baseline, with the baseline's opening balances —
//     the same steps as the pipeline's chunk task (src/pipeline/chunk-task.ts);
//   - `prepareWhatIf` / `evaluateWhatIf`: the baseline once, then any scenario against it: fund and
//     account flows (fund.ts), the pooled reserve and winners/losers with the definitions of
//     src/pipeline/summaries.ts (ntile spending deciles, quantile_cont), here exactly on the sample's
//     persons (the pipeline, which keeps no row per person, gets them from binned gains);
//   - the tunable parameters of a city's scheme, derived from its policy data, and the scenario an
//     analyst's edits make (the same `set` / `amend` format `fundsim run --scenario` reads).
import { policyCard } from "./card.ts";
import { dayFromCivil, parseIsoDay } from "./dates.ts";
import { type ChunkOutcome, type EngineClaims, type EnginePersons, openingBalances, runChunk } from "./engine.ts";
import type { Finance } from "./finance.ts";
import { addChunk, emptyFlows, type FundFlows } from "./fund.ts";
import { type Policy, type Scheme, valueAt } from "./policy.ts";
import type { Param, Scenario } from "./policy-schema.ts";
import { showValue } from "./limits.ts";
import { defineOwn } from "./scenario-path.ts";
import { CITIES, type CityId, STATUSES } from "./types.ts";

// ---- the sample codec ---------------------------------------------------------------------------

/** Persons of a sample: what the engine reads, plus the age band (for winners and losers). */
export interface SamplePersons extends EnginePersons {
  ageBand: Uint8Array;
  chronic: Uint8Array;
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
 * claim to a level-1 facility by its id's level block (src/model/projection.ts), so its sample keeps
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
  const col = <T extends ColType>(name: string): InstanceType<(typeof ARRAYS)[T]> => {
    const e = header.columns.find((c) => c.name === name);
    if (!e) throw new Error(`what-if sample: column ${name} is missing`);
    return new ARRAYS[e.type](buf.buffer as ArrayBuffer, body + e.offset, e.length) as InstanceType<(typeof ARRAYS)[T]>;
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
  if (!CITIES.includes(meta.city)) throw new Error(`what-if sample: unknown city ${meta.city}`);
  return { meta, persons, claims };
}

// ---- one chunk under a scenario and the baseline ------------------------------------------------

/** The pipeline's steps for a chunk: opening balances from the baseline (the same for both
 *  schemes), then the scenario and the baseline. */
export function runBoth(
  scenario: Scheme,
  baseline: Scheme,
  persons: EnginePersons,
  claims: EngineClaims,
  year: number,
  finance: Finance,
): { eng: EnginePersons; r: ChunkOutcome; b: ChunkOutcome } {
  const eng = { ...persons, openingBalanceFen: openingBalances(baseline, persons, year, finance.accountOpeningMonths) };
  return { eng, r: runChunk(scenario, eng, claims, year, finance), b: runChunk(baseline, eng, claims, year, finance) };
}

// ---- what-if: the baseline once, any scenario against it ---------------------------------------

export interface Reserve {
  /** The same opening under both schemes: openingReserveMonths of the baseline's outflow. */
  openingFen: number;
  incomeFen: number;
  outflowFen: number;
  netFen: number;
  closingFen: number;
  /** Months of this scheme's outflow the closing balance pays for (可支付月数). */
  monthsClosing: number;
}

export interface WinnerRow {
  /** "all" | "status" | "age_band" | "two_disease" | "spending_decile". */
  dimension: string;
  /** The group's code (STATUSES / AGE_BANDS index, 0/1, decile 1–10; 0 for all). */
  code: number;
  persons: number;
  meanGainYuan: number;
  shareGaining: number;
  shareLosing: number;
  p10Yuan: number;
  p50Yuan: number;
  p90Yuan: number;
}

export interface WhatIfResult {
  city: CityId;
  year: number;
  persons: number;
  claims: number;
  /** City totals = sample totals × scale (insured / sample persons). */
  scale: number;
  scenario: FundFlows;
  baseline: FundFlows;
  reserve: { scenario: Reserve; baseline: Reserve };
  winners: WinnerRow[];
  /** Milliseconds spent in the rules engine and in the summaries. */
  ms: { engine: number; summaries: number };
}

export interface Prepared {
  sample: Sample;
  finance: Finance;
  baselineScheme: Scheme;
  eng: EnginePersons;
  b: ChunkOutcome;
  baselineFlows: FundFlows;
  /** Per person, baseline: pooled payments for their claims + second payment + credits (fen). */
  baselineBenefitFen: Float64Array;
  /** Per person: total spending decile 1–10 (ntile over spending, then person order). */
  decile: Uint8Array;
  /** The winners-and-losers groups: each person's group code by dimension. */
  groups: Array<{ dimension: string; keys: Uint8Array; size: number }>;
}

/** Run the baseline on a sample once; scenarios are then evaluated against it. */
export function prepareWhatIf(sample: Sample, baseline: Scheme, finance: Finance): Prepared {
  const { persons, claims, meta } = sample;
  const eng = { ...persons, openingBalanceFen: openingBalances(baseline, persons, meta.year, finance.accountOpeningMonths) };
  const b = runChunk(baseline, eng, claims, meta.year, finance);
  const baselineFlows = addChunk(emptyFlows(), eng, claims, b);
  const n = persons.count;
  const spending = new Float64Array(n);
  for (let p = 0; p < n; p++) for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) spending[p] += claims.amountFen[j];
  // ntile(10) OVER (ORDER BY spending_fen, person): the first n % 10 tiles hold one more person.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => spending[x] - spending[y] || x - y);
  const decile = new Uint8Array(n);
  const small = Math.floor(n / 10);
  const extra = n % 10;
  let r = 0;
  for (let t = 0; t < 10; t++) {
    const size = small + (t < extra ? 1 : 0);
    for (let k = 0; k < size; k++) decile[order[r++]] = t + 1;
  }
  const twoDisease = new Uint8Array(n);
  let bands = 7;
  for (let p = 0; p < n; p++) {
    twoDisease[p] = persons.twoDiseases[p] > 0 ? 1 : 0;
    if (persons.ageBand[p] >= bands) bands = persons.ageBand[p] + 1;
  }
  const groups = [
    { dimension: "all", keys: new Uint8Array(n), size: 1 },
    { dimension: "status", keys: persons.status, size: STATUSES.length },
    { dimension: "age_band", keys: persons.ageBand, size: bands },
    { dimension: "two_disease", keys: twoDisease, size: 2 },
    { dimension: "spending_decile", keys: decile, size: 11 },
  ];
  return { sample, finance, baselineScheme: baseline, eng, b, baselineFlows, baselineBenefitFen: personBenefit(eng, claims, b), decile, groups };
}

function personBenefit(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): Float64Array {
  const out = new Float64Array(persons.count);
  for (let p = 0; p < persons.count; p++) {
    let f = 0;
    for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) f += o.fundFen[j];
    out[p] = f + o.secondPaymentFen[p] + o.creditFen[p];
  }
  return out;
}

/** The pooled reserve as summaries.ts computes it (`reserve` table). */
export function reserveOf(flows: FundFlows, baselineFlows: FundFlows, finance: Finance): Reserve {
  const openingFen = (finance.openingReserveMonths * baselineFlows.pooledOutflowFen) / 12;
  const netFen = flows.pooledIncomeFen - flows.pooledOutflowFen;
  const closingFen = openingFen + netFen;
  return {
    openingFen: Math.round(openingFen),
    incomeFen: flows.pooledIncomeFen,
    outflowFen: flows.pooledOutflowFen,
    netFen,
    closingFen: Math.round(closingFen),
    monthsClosing: flows.pooledOutflowFen > 0 ? closingFen / (flows.pooledOutflowFen / 12) : Infinity,
  };
}

/** quantile_cont: linear interpolation between the order statistics. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/** Evaluate a scenario against the prepared baseline. */
export function evaluateWhatIf(prep: Prepared, scheme: Scheme): WhatIfResult {
  const { sample, finance, eng, baselineFlows } = prep;
  const { claims, persons, meta } = sample;
  const t0 = performance.now();
  const r = runChunk(scheme, eng, claims, meta.year, finance);
  const t1 = performance.now();
  const flows = addChunk(emptyFlows(), eng, claims, r);
  const benefit = personBenefit(eng, claims, r);
  const n = persons.count;
  const gain = new Float64Array(n);
  for (let p = 0; p < n; p++) gain[p] = (benefit[p] - prep.baselineBenefitFen[p]) / 100;

  // Winners and losers by the groups of summaries.ts: one counting sort per dimension, then a
  // numeric sort of each group's gains for the quantiles.
  const winners: WinnerRow[] = [];
  const values = new Float64Array(n);
  for (const { dimension, keys, size } of prep.groups) {
    const counts = new Uint32Array(size);
    for (let p = 0; p < n; p++) counts[keys[p]]++;
    const fill = new Uint32Array(size);
    for (let g = 1; g < size; g++) fill[g] = fill[g - 1] + counts[g - 1];
    const starts = fill.slice();
    for (let p = 0; p < n; p++) values[fill[keys[p]]++] = gain[p];
    for (let g = 0; g < size; g++) {
      if (counts[g] === 0) continue;
      const v = values.subarray(starts[g], starts[g] + counts[g]);
      let sum = 0, up = 0, down = 0;
      for (let i = 0; i < v.length; i++) {
        sum += v[i];
        if (v[i] > 0.005) up++;
        else if (v[i] < -0.005) down++;
      }
      v.sort();
      winners.push({
        dimension,
        code: g,
        persons: v.length,
        meanGainYuan: sum / v.length,
        shareGaining: up / v.length,
        shareLosing: down / v.length,
        p10Yuan: quantile(v, 0.1),
        p50Yuan: quantile(v, 0.5),
        p90Yuan: quantile(v, 0.9),
      });
    }
  }
  const t2 = performance.now();
  return {
    city: meta.city,
    year: meta.year,
    persons: n,
    claims: claims.length,
    scale: finance.insured / n,
    scenario: flows,
    baseline: baselineFlows,
    reserve: { scenario: reserveOf(flows, baselineFlows, finance), baseline: reserveOf(baselineFlows, baselineFlows, finance) },
    winners,
    ms: { engine: t1 - t0, summaries: t2 - t1 },
  };
}

// ---- tunable parameters -------------------------------------------------------------------------

export type TunableKind = "yuan" | "percent" | "choice";

export interface Tunable {
  /** The dotted path a scenario's `set` names (the parameter's path plus any part inside its value). */
  path: string;
  /** The parameter's own path and the keys inside its value. */
  param: string;
  inner: string[];
  kind: TunableKind;
  /** For "choice": the allowed values. */
  options?: Array<{ value: string; zh: string; en: string }>;
  /** A yuan amount that may also be "none" (no cap). */
  allowNone?: boolean;
  min?: number;
  max?: number;
  step?: number;
  group: string;
  groupZh: string;
  groupEn: string;
  labelZh: string;
  labelEn: string;
  ref: string;
  assumption: boolean;
  note?: string;
  /** The parameter has dated values: an edit applies from 1 January of the simulated year. */
  dated: boolean;
}

const GROUPS: Array<[RegExp, string, string, string]> = [
  [/^benefits\.general\./, "general", "普通门诊统筹", "General outpatient pooling"],
  [/^benefits\.tcm\./, "tcm", "中医门诊", "TCM outpatient"],
  [/^benefits\.two_disease\./, "two_disease", "两病用药", "Hypertension & diabetes drugs"],
  [/^benefits\.special_exam\./, "special_exam", "门诊特殊检查治疗", "Special examinations"],
  [/^caps\./, "caps", "年度最高支付限额", "Annual caps"],
  [/^secondPayment\./, "secondPayment", "大额医疗费用二次支付", "Second payment"],
  [/^accounts\./, "accounts", "个人账户划入", "Individual-account crediting"],
  [/^coverage\./, "coverage", "支付范围", "Coverage"],
];

const INNER_WORDS: Record<string, [string, string]> = {
  active: ["在职", "active"],
  retired: ["退休", "retired"],
  level1: ["一级及以下", "level 1"],
  level2: ["二级", "level 2"],
  level3: ["三级", "level 3"],
  hypertension: ["高血压", "hypertension"],
  diabetes: ["糖尿病", "diabetes"],
  both: ["两病均有", "both diseases"],
  percentOfBase: ["缴费基数比例", "% of contribution base"],
  employerPercentOfBase: ["单位缴费划入比例", "employer part, % of base"],
  percentOfOwnPension: ["本人养老金比例", "% of own pension"],
  percentOfAveragePension: ["平均养老金比例", "% of average pension"],
  averagePension: ["平均养老金（元/月）", "average pension (yuan/month)"],
  provisionalAveragePension: ["暂按平均养老金（元/月）", "provisional average pension (yuan/month)"],
  fixed: ["定额（元/月）", "fixed (yuan/month)"],
  rateAdjustment: ["比例调整", "rate adjustment"],
  threshold: ["可共济的余额门槛（元）", "balance kept back (yuan)"],
};

const CHOICES: Array<[RegExp, string[]]> = [
  [/^coverage\.flexibleWithoutAccount$/, ["covered", "excluded"]],
  [/^coverage\.nonDesignated$/, ["emergency_only", "excluded"]],
  [/^coverage\.chronicOverflow$/, ["general", "excluded"]],
  [/^coverage\.pharmacy\.level$/, ["prescribing", "level1", "level2", "level3"]],
  [/^coverage\.pharmacy\.withoutPrescription$/, ["excluded", "paid"]],
  [/^coverage\.areas\.\w+$/, ["same", "excluded"]],
  [/^benefits\.\w+\.deductible\.scope$/, ["combined", "per_facility"]],
  [/^accounts\.retireeCreditStarts$/, ["next_month", "same_month"]],
];

const CHOICE_WORDS: Record<string, [string, string]> = {
  covered: ["享受", "covered"],
  excluded: ["不予支付", "not paid"],
  emergency_only: ["仅急诊抢救", "emergencies only"],
  general: ["纳入普通门诊统筹", "general pooling"],
  prescribing: ["按开具处方机构级别", "prescribing facility's level"],
  level1: ["按一级", "as level 1"],
  level2: ["按二级", "as level 2"],
  level3: ["按三级", "as level 3"],
  paid: ["支付", "paid"],
  same: ["与本地一致", "as local"],
  combined: ["合并计算", "combined"],
  per_facility: ["按定点机构分别计算", "per facility"],
  next_month: ["退休次月起", "from the next month"],
  same_month: ["退休当月起", "from the same month"],
};

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isRawParam = (x: unknown): x is Record<string, unknown> => isObj(x) && ("value" in x || "values" in x) && "ref" in x;

/** Keys inside a raw value that hold numbers (or "55%"), as paths. */
function leaves(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v === "number" || (typeof v === "string" && /%$/.test(v.trim()))) return [prefix];
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
  return [];
}

/** A round step for a slider reaching `max`. */
function niceStep(max: number): number {
  const raw = max / 200;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}
const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

function numberOf(raw: unknown): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "string") return Number(raw.trim().replace(/%$/, ""));
  return NaN;
}

/**
 * The tunable parameters of a city's scheme, from its policy data: every amount and rate (inside a
 * parameter's value as the file writes it: by level, by status, by disease, by credit formula), and
 * the coverage choices. Labels come from the policy card; ranges from the kind and the current value.
 */
export function deriveTunables(policy: Policy, schemeName: "reform" | "baseline" = "reform"): Tunable[] {
  const raw = policy.raw[schemeName] as Record<string, unknown>;
  const period = (raw.period ?? {}) as { from?: string; until?: string };
  const card = new Map(policyCard(policy, schemeName, period.from ?? "2023-01-01").map((r) => [r.key, r]));
  const out: Tunable[] = [];
  const walk = (node: unknown, path: string) => {
    if (!isObj(node)) return;
    if (isRawParam(node)) return visit(path, node);
    for (const [k, v] of Object.entries(node)) if (k !== "label" && k !== "period") walk(v, path ? `${path}.${k}` : k);
  };
  // A benefit's rows sit under the benefit's heading: drop the card's "普通门诊统筹·" prefix.
  let inBenefit = false;
  const own = (label: string, lang: "zh" | "en") => (!inBenefit ? label : lang === "zh" ? label.replace(/^[^·]+·/, "") : label.replace(/^[^:]+: /, ""));
  const visit = (param: string, node: Record<string, unknown>) => {
    inBenefit = param.startsWith("benefits.");
    const group = GROUPS.find(([re]) => re.test(param));
    if (!group) return; // kinds.* (which benefit pays a claim kind) are structure, not amounts
    const values: unknown[] = isObj(node.values) ? Object.values(node.values) : [node.value];
    const dated = isObj(node.values) && Object.keys(node.values).length > 1;
    const row = card.get(param);
    const common = {
      param,
      group: group[1],
      groupZh: group[2],
      groupEn: group[3],
      ref: String(node.ref),
      assumption: node.assumption === true,
      note: typeof node.note === "string" ? node.note : undefined,
      dated,
    };
    const choice = CHOICES.find(([re]) => re.test(param));
    if (choice && values.every((v) => typeof v === "string")) {
      out.push({
        ...common,
        path: param,
        inner: [],
        kind: "choice",
        options: choice[1].map((value) => ({ value, zh: CHOICE_WORDS[value]?.[0] ?? value, en: CHOICE_WORDS[value]?.[1] ?? value })),
        labelZh: own(row?.labelZh ?? param, "zh"),
        labelEn: own(row?.labelEn ?? param, "en"),
      });
      return;
    }
    if (/\.(mechanism|pool|sameAs)$/.test(param) || /\.caps$/.test(param) || /trueUpMonth/.test(param)) return;
    // Leaves: the union over the dated values (Jinan's credit formulas change shape in 2024).
    const seen = new Map<string, { inner: string[]; current: number[]; percent: boolean }>();
    for (const v of values) {
      for (const inner of leaves(v)) {
        if (inner.includes("trueUpMonth")) continue;
        const key = inner.join(".");
        let x: unknown = v;
        for (const k of inner) x = (x as Record<string, unknown>)[k];
        const e = seen.get(key) ?? { inner, current: [], percent: typeof x === "string" };
        e.current.push(numberOf(x));
        seen.set(key, e);
      }
    }
    const isCap = /^secondPayment\.cap$/.test(param);
    if (isCap && !seen.size) seen.set("", { inner: [], current: [0], percent: false });
    for (const { inner, current, percent } of seen.values()) {
      const last = inner[inner.length - 1] ?? param.split(".").pop()!;
      const cur = Math.max(0, ...current.filter(Number.isFinite).map(Math.abs));
      let min = 0, max: number, step: number;
      if (percent) {
        if (/Uplift$|^uplift$/.test(last) || /\.rate\.(retireeUplift|oldWorkerUplift|uplift)$/.test(param)) [max, step] = [30, 1];
        else if (last === "rateAdjustment") [min, max, step] = [-50, 50, 1];
        else if (/PercentOfBase|percentOf/.test(last)) [max, step] = [Math.max(10, roundUp(cur * 2, 1)), 0.1];
        else [max, step] = [100, 1];
      } else if (/Pension$|^fixed$/.test(last)) {
        max = last === "fixed" ? Math.max(300, roundUp(cur * 3, 50)) : Math.max(10000, roundUp(cur * 2, 1000));
        step = last === "fixed" ? 1 : 10;
      } else if (/deductible/.test(param)) {
        // A per-visit deductible is tens of yuan; an annual one hundreds.
        const benefit = param.split(".")[1];
        const mech = (raw.benefits as Record<string, { deductible?: { mechanism?: { value?: unknown; values?: Record<string, unknown> } } }>)?.[benefit]?.deductible?.mechanism;
        const perVisit = [mech?.value, ...Object.values(mech?.values ?? {})].includes("per_visit");
        [max, step] = perVisit ? [Math.max(300, roundUp(cur * 3, 50)), 5] : [Math.max(1500, roundUp(cur * 3, 100)), 10];
      } else if (/^secondPayment\.threshold$/.test(param) || isCap) {
        max = Math.max(20000, roundUp(cur * 2, 1000));
        step = 100;
      } else {
        max = Math.max(5000, roundUp(cur * 3, 1000));
        step = niceStep(max) < 10 ? 10 : niceStep(max);
      }
      const words = inner.map((k) => INNER_WORDS[k] ?? [k, k]);
      out.push({
        ...common,
        path: [param, ...inner].join("."),
        inner,
        kind: percent ? "percent" : "yuan",
        ...(isCap ? { allowNone: true } : {}),
        min,
        max,
        step,
        labelZh: [own(row?.labelZh ?? param, "zh"), ...words.map((w) => w[0])].join("·"),
        labelEn: [own(row?.labelEn ?? param, "en"), ...words.map((w) => w[1])].join(", "),
      });
    }
  };
  walk(raw, "");
  return out;
}

// ---- reading a scheme's values, writing a scenario -----------------------------------------------

/** The parameter at a dotted path in a compiled scheme's data. */
function paramAt(data: unknown, path: string): Param<unknown> | undefined {
  let node: unknown = data;
  for (const k of path.split(".")) {
    if (!isObj(node)) return undefined;
    node = node[k];
  }
  return isObj(node) && Array.isArray(node.values) ? (node as unknown as Param<unknown>) : undefined;
}

/** Walk a compiled value (by-level arrays of [active, retired], rate cells, credit objects) by the
 *  file's keys. */
function pick(v: unknown, inner: string[]): unknown {
  let x = v;
  for (const k of inner) {
    if (Array.isArray(x)) {
      const level = /^level([123])$/.exec(k);
      if (level && x.length === 3) x = x[Number(level[1]) - 1];
      else if (k === "active" || k === "retired") x = (Array.isArray(x[0]) ? x[0] : x)[k === "active" ? 0 : 1];
      else return undefined;
    } else if (isObj(x)) x = x[k];
    else return undefined;
  }
  // A one-value notation reads as the first (level 1, active) cell.
  while (Array.isArray(x)) x = x[0];
  if (isObj(x) && "active" in x) x = x.active;
  return x;
}

/** A tunable's value in force on `isoDate` in a scheme, in the file's units: yuan, percent points
 *  (55 for "55%"), a choice's string, or null for "none". */
export function tunableValue(scheme: Scheme, t: Tunable, isoDate: string): number | string | null | undefined {
  const day = parseIsoDay(isoDate);
  if (day === null) throw new Error(`not a date: ${isoDate}`);
  const p = paramAt(scheme.data, t.param);
  if (!p) return undefined;
  const at = Math.max(day, scheme.fromDay);
  const inForce = valueAt(p, at);
  // An area rule compiles to {excluded, adjustBp}: "same" / "excluded" or a rate adjustment.
  if (isObj(inForce) && "excluded" in inForce && "adjustBp" in inForce) {
    const a = inForce as { excluded: boolean; adjustBp: number };
    if (t.kind === "choice") return a.excluded ? "excluded" : a.adjustBp === 0 ? "same" : undefined;
    return a.excluded ? undefined : a.adjustBp / 100;
  }
  const v = pick(inForce, t.inner);
  if (t.kind === "choice") return typeof v === "string" ? v : undefined;
  if (v === "none") return null;
  if (typeof v !== "number") return undefined;
  return v / 100; // fen → yuan, basis points → percent points
}

/** The value as a scenario file writes it: 600, "55%", "none", "excluded". */
export function scenarioValue(t: Tunable, v: number | string | null): number | string {
  if (t.kind === "choice") return String(v);
  if (v === null) return "none";
  const n = Math.round(Number(v) * 100) / 100;
  if (t.kind === "percent") return `${n}%`;
  return n;
}

export interface Edits {
  /** Tunable path → value in the file's units (see tunableValue). */
  [path: string]: number | string | null;
}

/**
 * The scenario an analyst's edits make on top of a base scenario (a loaded file, or none): edits of
 * parameters with one value go to `set`; edits of dated parameters to an amendment from 1 January of
 * the simulated year, so the other years keep their own values.
 */
export function scenarioFromEdits(
  tunables: Tunable[],
  edits: Edits,
  year: number,
  base: Scenario | null,
  meta: { city: CityId; name?: string; description?: string },
): Scenario {
  // Paths are copied as own keys (defineOwn), never by assignment or Object.assign, which would
  // reach Object.prototype's `__proto__` setter for a key of that name; scenario-path.ts refuses such
  // a path when the scenario is applied.
  const copy = (o: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) defineOwn(out, k, v);
    return out;
  };
  const set = copy(base?.set ?? {});
  const amend = (base?.amend ?? []).map((a) => ({ ...a, set: copy(a.set) }));
  const dated: Record<string, unknown> = {};
  const byPath = new Map(tunables.map((t) => [t.path, t]));
  for (const [path, v] of Object.entries(edits)) {
    const t = byPath.get(path);
    if (!t) continue;
    const value = scenarioValue(t, v);
    if (t.kind === "choice" && /^coverage\.areas\./.test(t.param) && value !== "same" && value !== "excluded") continue;
    defineOwn(t.dated ? dated : set, path, value);
  }
  const from = `${year}-01-01`;
  if (Object.keys(dated).length) {
    const own = amend.find((a) => a.from === from && a.ref === WHATIF_REF);
    if (own) for (const [k, v] of Object.entries(dated)) defineOwn(own.set, k, v);
    else amend.push({ from, ref: WHATIF_REF, set: dated });
  }
  const out: Scenario = {
    ...(meta.name ?? base?.name ? { name: meta.name ?? base?.name } : {}),
    ...(meta.description ?? base?.description ? { description: meta.description ?? base?.description } : {}),
    city: meta.city,
    base: "reform",
  } as Scenario;
  if (Object.keys(set).length) out.set = set;
  if (amend.length) out.amend = amend;
  return out;
}

/** The `ref` of the amendment the what-if page writes for dated parameters. */
export const WHATIF_REF = "情景分析 what-if";

// ---- a scenario in a URL ------------------------------------------------------------------------

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A scenario (without its city, which the URL carries) as a URL-safe string. */
export function encodeScenarioParam(s: Scenario): string {
  const { city: _city, base, ...rest } = s;
  const compact = base === "reform" ? rest : { base, ...rest };
  return toBase64Url(new TextEncoder().encode(JSON.stringify(compact)));
}

/** The longest scenario a link may carry (the `s=` parameter's text): 64 KiB. A scenario the page
 *  writes is a few hundred characters. */
export const MAX_SCENARIO_PARAM_CHARS = 64 * 1024;

/** The scenario object a URL string holds (validate it with parseScenario, which refuses a path
 *  through `__proto__`: JSON.parse makes such a key an own property, harmless until assigned). */
export function decodeScenarioParam(text: string): unknown {
  if (text.length > MAX_SCENARIO_PARAM_CHARS) {
    throw new Error(`the scenario in the link is ${text.length} characters long; a link may carry at most ${MAX_SCENARIO_PARAM_CHARS}`);
  }
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the scenario in the link is not base64url text");
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(text));
  } catch {
    throw new Error("the scenario in the link cannot be decoded (not base64url-encoded UTF-8)");
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`the scenario in the link is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(value)) throw new Error(`the scenario in the link must be an object, got ${showValue(value)}`);
  return value;
}
