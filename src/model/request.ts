// The calculator's input (../shared/contract/calculator.md), checked field by field. Every problem
// is reported, each naming its field: `claims[2].amount: must be a non-negative amount with at
// most two decimals, got "-5"`. Every amount is bounded (MAX_AMOUNT_YUAN, src/model/limits.ts), a
// request holds at most MAX_CLAIMS claims, and a bad value is shown cut and escaped (showValue).
// Each problem is also said in Chinese (./field-problems.ts) for the calculator page. The valid
// city ids are the caller's: the policy files found at run time, or the page's policy data.
import { isoFromDay, parseIsoDay } from "./dates.ts";
import { type FieldProblem, ProblemList, showZh } from "./field-problems.ts";
import type { Scenario } from "./policy-schema.ts";
import { MAX_AMOUNT_TEXT, MAX_CLAIMS, showValue } from "./limits.ts";
import { parseYuan, yuanProblem } from "./money.ts";
import { AREAS, type CityId, type Claim, CLAIM_FLAGS, DISEASES, type Disease, FACILITY_TYPES, KINDS, type Person, SETTINGS, STATUSES } from "./types.ts";

export type ScenarioRef = { kind: "named"; name: "reform" | "baseline" } | { kind: "file"; path: string } | { kind: "inline"; scenario: unknown };

export interface CalcRequest {
  city: CityId;
  scenario: ScenarioRef;
  person: Person;
  claims: Claim[];
  /** Year for the account credits; default: the first claim's year. */
  year?: number;
}

/** `problems`: the command line's lines; `issues`: the same problems, structured and in both languages. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[]; issues: FieldProblem[] };

export interface RequestOptions {
  /** The valid city ids (the policies at hand). */
  cities: readonly string[];
}

/** A bad value as a message shows it: JSON-like, control characters escaped, at most ~80 characters. */
const show = showValue;
const zhShow = showZh;
type Problems = ProblemList;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

const TOP_KEYS = ["city", "scenario", "person", "claims", "year"];
const PERSON_KEYS = ["status", "birthDate", "oldWorker", "twoDiseases", "retiredOn", "hasAccount", "contributionBase", "pension", "accountBalance", "arrears", "stays", "chronic", "contributionYears"];
const ARREARS_KEYS = ["paidOn", "months"];
const STAY_KEYS = ["from", "to"];
/** At most this many arrears payments or stays in one request (a person-year has few). */
export const MAX_PERSON_ENTRIES = 366;
/** At most this many months of contributions paid back at once (50 years). */
export const MAX_ARREARS_MONTHS = 600;

/** A person's list input (arrears, stays): a list of at most MAX_PERSON_ENTRIES entries shaped as
 *  `shape`, or undefined with the problem named. */
function personEntries(v: unknown, field: string, shape: string, shapeZh: string, problems: Problems): unknown[] | undefined {
  if (!Array.isArray(v)) {
    problems.add(field, `must be a list of ${shape}, got ${show(v)}`, `应为由${shapeZh}组成的列表，实为 ${zhShow(v)}`);
    return undefined;
  }
  if (v.length > MAX_PERSON_ENTRIES) {
    problems.add(field, `at most ${MAX_PERSON_ENTRIES} entries, got ${v.length}`, `最多 ${MAX_PERSON_ENTRIES} 项，实有 ${v.length} 项`);
    return undefined;
  }
  return v;
}

/** person.arrears: [{paidOn, months}] (Ganzhou 第六条（四）补缴欠费). */
function arrearsList(v: unknown, problems: Problems): Array<{ day: number; months: number }> | undefined {
  if (v === undefined) return undefined;
  const field = "person.arrears";
  const list = personEntries(v, field, `{"paidOn": date, "months": whole number}`, `{"paidOn": 日期, "months": 整数}`, problems);
  if (!list) return undefined;
  const out: Array<{ day: number; months: number }> = [];
  list.forEach((a, i) => {
    const at = `${field}[${i}]`;
    if (!isObj(a)) return void problems.add(at, `must be an object {"paidOn": date, "months": whole number}, got ${show(a)}`, `应为对象 {"paidOn": 日期, "months": 整数}，实为 ${zhShow(a)}`);
    unknownKeys(a, ARREARS_KEYS, `${at}.`, problems);
    const day = date(a.paidOn, `${at}.paidOn`, problems, true);
    const m = a.months;
    const ok = typeof m === "number" && Number.isInteger(m) && m >= 1 && m <= MAX_ARREARS_MONTHS;
    if (!ok) problems.add(`${at}.months`, `must be a whole number of months from 1 to ${MAX_ARREARS_MONTHS}, got ${show(m)}`, `应为 1 至 ${MAX_ARREARS_MONTHS} 的整月数，实为 ${zhShow(m)}`);
    if (day !== undefined && ok) out.push({ day, months: m as number });
  });
  return out;
}

/** person.stays: [{from, to}] inpatient stays or day surgeries, both days included (Lanzhou 第八条). */
function staysList(v: unknown, problems: Problems): Array<{ from: number; to: number }> | undefined {
  if (v === undefined) return undefined;
  const field = "person.stays";
  const list = personEntries(v, field, `{"from": date, "to": date}`, `{"from": 日期, "to": 日期}`, problems);
  if (!list) return undefined;
  const out: Array<{ from: number; to: number }> = [];
  list.forEach((s, i) => {
    const at = `${field}[${i}]`;
    if (!isObj(s)) return void problems.add(at, `must be an object {"from": date, "to": date}, got ${show(s)}`, `应为对象 {"from": 日期, "to": 日期}，实为 ${zhShow(s)}`);
    unknownKeys(s, STAY_KEYS, `${at}.`, problems);
    const from = date(s.from, `${at}.from`, problems, true);
    const to = date(s.to, `${at}.to`, problems, true);
    if (from !== undefined && to !== undefined && to < from) problems.add(`${at}.to`, `must not be before from ${show(s.from)}, got ${show(s.to)}`, `不得早于起始日期 ${zhShow(s.from)}，实为 ${zhShow(s.to)}`);
    else if (from !== undefined && to !== undefined) out.push({ from, to });
  });
  return out;
}
const CLAIM_KEYS = ["date", "kind", "level", "amount", "eligible", "setting", "area", "designated", "emergency", "prescription", "facility", "flags", "chosenFacility", "facilityType"];

/** person.contributionYears: whole years of contributions, 0–80. */
function contributionYears(v: unknown, problems: Problems): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 80) return v;
  problems.add("person.contributionYears", `must be a whole number of years from 0 to 80, got ${show(v)}`, `应为 0 至 80 的整年数，实为 ${zhShow(v)}`);
  return 0;
}

/** claims[].flags: a list of CLAIM_FLAGS, each at most once → a bitmask (0 when absent). */
function flagList(v: unknown, field: string, problems: Problems): number {
  if (v === undefined) return 0;
  const expected = CLAIM_FLAGS.map((f) => `"${f}"`).join(", ");
  if (!Array.isArray(v)) {
    problems.add(field, `must be a list of any of ${expected}, got ${show(v)}`, `应为列表，每项取以下之一：${expected}，实为 ${zhShow(v)}`);
    return 0;
  }
  let mask = 0;
  v.forEach((f, i) => {
    const at = CLAIM_FLAGS.indexOf(f as (typeof CLAIM_FLAGS)[number]);
    if (typeof f !== "string" || at < 0) problems.add(`${field}[${i}]`, `must be one of ${expected}, got ${show(f)}`, `应为以下之一：${expected}，实为 ${zhShow(f)}`);
    else if (mask & (1 << at)) problems.add(`${field}[${i}]`, `must not repeat an earlier entry, got ${show(f)} again`, `与前面的项重复：${zhShow(f)}`);
    else mask |= 1 << at;
  });
  return mask;
}

function unknownKeys(o: Record<string, unknown>, allowed: string[], where: string, problems: Problems): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.add(`${where}${k}`, `unknown field (expected one of ${allowed.join(", ")})`, `不认识的字段（可用字段：${allowed.map((a) => `"${a}"`).join("、")}）`);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, problems: Problems, dflt?: T): T | undefined {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  const list = allowed.map((a) => `"${a}"`);
  problems.add(field, `must be one of ${list.join(", ")}, got ${show(v)}`, `应为以下之一：${list.join("、")}，实为 ${zhShow(v)}`);
  return undefined;
}

function bool(v: unknown, field: string, problems: Problems, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === "boolean") return v;
  problems.add(field, `must be true or false, got ${show(v)}`, `应为 true（是）或 false（否），实为 ${zhShow(v)}`);
  return dflt;
}

function date(v: unknown, field: string, problems: Problems, required: boolean): number | undefined {
  if (v === undefined && !required) return undefined;
  const d = parseIsoDay(v);
  if (d === null) problems.add(field, `must be a date YYYY-MM-DD, got ${show(v)}`, `应为日期（年-月-日，如 2023-03-02），实为 ${zhShow(v)}`);
  return d ?? undefined;
}

/** An amount in yuan → fen: at most two decimals, at most MAX_AMOUNT_YUAN, no padding spaces. */
function money(v: unknown, field: string, problems: Problems, required: boolean): number | undefined {
  if (v === undefined && !required) return undefined;
  const why = yuanProblem(v, false);
  if (why === "malformed") problems.add(field, `must be a non-negative amount with at most two decimals, got ${show(v)}`, `应为不小于0、最多两位小数的金额（元），实为 ${zhShow(v)}`);
  else if (why === "padded") problems.add(field, `must be an amount without spaces around it, got ${show(v)}`, `金额前后不能有空格，实为 ${zhShow(v)}`);
  else if (why === "above_limit") problems.add(field, `must be at most ${MAX_AMOUNT_TEXT} yuan (the largest single amount accepted), got ${show(v)}`, `不得超过 ${MAX_AMOUNT_TEXT} 元（单笔金额上限），实为 ${zhShow(v)}`);
  return why === null ? (parseYuan(v, false) as number) : undefined;
}

/** The request checked field by field against `options.cities`, the valid city ids. */
export function parseRequest(input: unknown, options: RequestOptions): Parsed<CalcRequest> {
  const problems = new ProblemList();
  const failed = (): Parsed<CalcRequest> => ({ ok: false, problems: problems.lines(), issues: problems.items });
  if (!isObj(input)) {
    problems.add("(input)", `must be a JSON object, got ${show(input)}`, `应为一个JSON对象，实为 ${zhShow(input)}`);
    return failed();
  }
  unknownKeys(input, TOP_KEYS, "", problems);
  const city = oneOf(input.city, options.cities, "city", problems);

  let scenario: ScenarioRef = { kind: "named", name: "reform" };
  const s = input.scenario;
  if (s === undefined || s === "reform" || s === "baseline") scenario = { kind: "named", name: (s ?? "reform") as "reform" | "baseline" };
  else if (typeof s === "string" && s.trim() !== "") scenario = { kind: "file", path: s };
  else if (isObj(s)) scenario = { kind: "inline", scenario: s as Scenario };
  else problems.add("scenario", `must be "reform", "baseline", a scenario file's path or a scenario object, got ${show(s)}`, `应为 "reform"（改革后）、"baseline"（改革前）、情景文件路径或情景对象，实为 ${zhShow(s)}`);

  let year: number | undefined;
  if (input.year !== undefined) {
    if (typeof input.year === "number" && Number.isInteger(input.year) && input.year >= 1990 && input.year <= 2100) year = input.year;
    else problems.add("year", `must be a whole year such as 2024, got ${show(input.year)}`, `应为年份整数，如 2024，实为 ${zhShow(input.year)}`);
  }

  // Person.
  let person: Person | undefined;
  const p = input.person;
  if (!isObj(p)) problems.add("person", `required, an object with at least "status", got ${show(p)}`, `必填，应为至少含 "status"（人员类别）的对象，实为 ${zhShow(p)}`);
  else {
    unknownKeys(p, PERSON_KEYS, "person.", problems);
    const status = oneOf(p.status, STATUSES, "person.status", problems);
    const twoDiseases: Disease[] = [];
    if (p.twoDiseases !== undefined) {
      if (!Array.isArray(p.twoDiseases)) problems.add("person.twoDiseases", `must be a list of "hypertension", "diabetes", got ${show(p.twoDiseases)}`, `应为列表，每项取 "hypertension"（高血压）或 "diabetes"（糖尿病），实为 ${zhShow(p.twoDiseases)}`);
      else
        p.twoDiseases.forEach((d, i) => {
          const v = oneOf(d, DISEASES, `person.twoDiseases[${i}]`, problems);
          if (v && twoDiseases.includes(v)) problems.add(`person.twoDiseases[${i}]`, `must not repeat an earlier entry, got ${show(d)} again`, `与前面的项重复：${zhShow(d)}`);
          else if (v) twoDiseases.push(v);
        });
    }
    const birthDay = date(p.birthDate, "person.birthDate", problems, false);
    const retiredOnDay = date(p.retiredOn, "person.retiredOn", problems, false);
    const arrears = arrearsList(p.arrears, problems);
    const stays = staysList(p.stays, problems);
    if (birthDay !== undefined && retiredOnDay !== undefined && retiredOnDay < birthDay) problems.add("person.retiredOn", `must not be before person.birthDate, got ${show(p.retiredOn)}`, `不得早于出生日期，实为 ${zhShow(p.retiredOn)}`);
    if (status) {
      person = {
        status,
        birthDay,
        oldWorker: bool(p.oldWorker, "person.oldWorker", problems, false),
        twoDiseases,
        retiredOnDay,
        hasAccount: bool(p.hasAccount, "person.hasAccount", problems, true),
        contributionBaseFen: money(p.contributionBase, "person.contributionBase", problems, false),
        pensionFen: money(p.pension, "person.pension", problems, false),
        accountBalanceFen: money(p.accountBalance, "person.accountBalance", problems, false),
        ...(arrears ? { arrears } : {}),
        ...(stays ? { stays } : {}),
        ...(p.chronic !== undefined ? { chronic: bool(p.chronic, "person.chronic", problems, false) } : {}),
        ...(p.contributionYears !== undefined ? { contributionYears: contributionYears(p.contributionYears, problems) } : {}),
      };
    }
  }

  // Claims.
  const claims: Claim[] = [];
  const facilities = new Map<string, number>();
  if (!Array.isArray(input.claims)) problems.add("claims", `required, a list of claims, got ${show(input.claims)}`, `必填，应为就诊记录的列表，实为 ${zhShow(input.claims)}`);
  else if (input.claims.length > MAX_CLAIMS) problems.add("claims", `at most ${MAX_CLAIMS} claims in one request, got ${input.claims.length}`, `每次最多 ${MAX_CLAIMS} 条就诊记录，实有 ${input.claims.length} 条`);
  else
    input.claims.forEach((c, i) => {
      const at = `claims[${i}].`;
      if (!isObj(c)) {
        problems.add(`claims[${i}]`, `must be an object, got ${show(c)}`, `应为一个对象，实为 ${zhShow(c)}`);
        return;
      }
      unknownKeys(c, CLAIM_KEYS, at, problems);
      const day = date(c.date, `${at}date`, problems, true);
      const kind = oneOf(c.kind, KINDS, `${at}kind`, problems, "general");
      let level: 1 | 2 | 3 | undefined;
      if (c.level === 1 || c.level === 2 || c.level === 3) level = c.level;
      else problems.add(`${at}level`, `must be 1, 2 or 3, got ${show(c.level)}`, `应为 1、2 或 3（一级及以下、二级、三级），实为 ${zhShow(c.level)}`);
      const amount = money(c.amount, `${at}amount`, problems, true);
      let eligible = money(c.eligible, `${at}eligible`, problems, false);
      if (eligible !== undefined && amount !== undefined && eligible > amount) {
        problems.add(`${at}eligible`, `must not exceed amount ${show(c.amount)}, got ${show(c.eligible)}`, `不得超过费用 ${zhShow(c.amount)}，实为 ${zhShow(c.eligible)}`);
        eligible = undefined;
      }
      const setting = oneOf(c.setting, SETTINGS, `${at}setting`, problems, "facility");
      const area = oneOf(c.area, AREAS, `${at}area`, problems, "local");
      const designated = bool(c.designated, `${at}designated`, problems, true);
      const emergency = bool(c.emergency, `${at}emergency`, problems, false);
      const prescription = bool(c.prescription, `${at}prescription`, problems, true);
      const flags = flagList(c.flags, `${at}flags`, problems);
      const chosen = bool(c.chosenFacility, `${at}chosenFacility`, problems, true);
      const facilityType = oneOf(c.facilityType, FACILITY_TYPES, `${at}facilityType`, problems, "hospital");
      let facility = 0;
      if (c.facility !== undefined) {
        if (typeof c.facility === "string" || typeof c.facility === "number") {
          const k = String(c.facility);
          if (!facilities.has(k)) facilities.set(k, facilities.size + 1);
          facility = facilities.get(k)!;
        } else problems.add(`${at}facility`, `must be a facility id (string or number), got ${show(c.facility)}`, `应为机构编号（文字或数字），实为 ${zhShow(c.facility)}`);
      }
      if (day !== undefined && kind && level && amount !== undefined && setting && area) {
        claims.push({ day, kind, level, amountFen: amount, eligibleFen: eligible ?? amount, setting, area, designated, emergency, prescription, facility, ...(flags ? { flags } : {}), ...(chosen ? {} : { notChosen: true }), ...(facilityType === "community" ? { community: true } : {}) });
      }
    });

  // Claims dated within an inpatient stay (Lanzhou 第八条 住院期间): the policy's data decides.
  if (person?.stays?.length) for (const c of claims) c.duringStay = person.stays.some((s) => s.from <= c.day && c.day <= s.to);

  // Born after a claim: no one claims before being born (a typo in a year, usually).
  if (person?.birthDay !== undefined && claims.length) {
    const first = claims.reduce((m, c) => Math.min(m, c.day), Infinity);
    if (person.birthDay > first) problems.add("person.birthDate", `must not be after the first claim's date ${isoFromDay(first)}, got ${show((p as Record<string, unknown>).birthDate)}`, `不得晚于最早一条就诊记录的日期 ${isoFromDay(first)}，实为 ${zhShow((p as Record<string, unknown>).birthDate)}`);
  }

  if (problems.length || !city || !person) return failed();
  return { ok: true, value: { city, scenario, person, claims, year } };
}
