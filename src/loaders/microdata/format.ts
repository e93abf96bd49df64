// The microdata format (`fundsim run --data DIR`, `fundsim calibrate --from DIR`): the columns of a
// bureau's persons and claims files, their kinds, codes and the labels a code may be written as.
// One table, read by the checks (checks.ts), the reader (../microdata.ts), `fundsim run --help`
// (formatTable) and docs/data.md (markdownTable, written by scripts/doc-figures.ts).
//
// The columns are those `fundsim simulate` writes (src/loaders/population/columns.ts). A bureau's
// extract may also write a code as its label (status `retired`, or 退休) and money in yuan with at
// most two decimals (`amount_yuan` for `amount_fen`), converted exactly to fen (checks.ts).
import { AREAS, CLAIM_FLAGS, KINDS, LEVELS, SETTINGS, STATUSES } from "../../model/types.ts";
import { MAX_AMOUNT_TEXT } from "../../model/limits.ts";
import { SEXES } from "../population/columns.ts";

/** A bad microdata file: the problems, each naming the file, the column and the row. */
export class MicrodataError extends Error {}

export type Kind = "id" | "code" | "mask" | "flag" | "date" | "fen";

/** One column of the microdata format. `fallback`: the SQL value when the column is absent
 *  (undefined: required, or — for `absent` columns without one — the engine's own default). */
export interface MicroColumn {
  name: string;
  kind: Kind;
  /** Codes: the texts each code may be written as (index = code), the first its label. */
  labels?: readonly (readonly string[])[];
  /** Masks: the largest value. */
  max?: number;
  required: boolean;
  /** NULL allowed (retired_on: not retired by year end). */
  nullable?: boolean;
  fallback?: string;
  /** What an absent optional column means (the help's table). */
  absent?: string;
  doc: string;
}

/** A code's texts: its label from types.ts, and a Chinese name only where one name is the usual
 *  one in bureau extracts (人员类别 在职/退休/灵活就业, 性别 男/女). Claim kinds, areas and settings
 *  have no single Chinese wording across bureaus: their English labels or codes. */
const texts = (labels: readonly (string | number)[], zh?: readonly string[]) => labels.map((l, i) => [String(l), ...(zh ? [zh[i]] : [])]);
const STATUS_TEXTS = texts(STATUSES, ["在职", "退休", "灵活就业"]);
const SEX_TEXTS = texts(SEXES, ["男", "女"]);
// Levels' labels are numbers (1, 2, 3), which would read as codes (0, 1, 2): written level1 … level3
// (the policy files' keys); a digit is always a code.
const LEVEL_TEXTS = LEVELS.map((l) => [`level${l}`]);

/** "0 active 在职, 1 retired 退休, …" */
export const codesText = (labels: readonly (readonly string[])[]) => labels.map((t, i) => `${i} ${t.join(" ")}`).join(", ");

export const MICRO_PERSONS: MicroColumn[] = [
  { name: "person", kind: "id", required: true, doc: "person id, unique (0 … 4294967295)" },
  { name: "status", kind: "code", labels: STATUS_TEXTS, required: true, doc: `status: ${codesText(STATUS_TEXTS)} (retired before the year: retired; see retired_on)` },
  { name: "birth_date", kind: "date", required: true, doc: "date of birth" },
  { name: "contribution_base_fen", kind: "fen", required: true, doc: "monthly contribution base, fen (0 for retirees)" },
  { name: "pension_fen", kind: "fen", required: true, doc: "monthly pension, fen (0 if none)" },
  { name: "retired_on", kind: "date", nullable: true, required: false, fallback: "CAST(NULL AS DATE)", absent: "every retiree retired all year, no one retiring in it", doc: "first day of retiree benefits (before the year: status retired; in it: any status, as before retiring); empty = not retired by year end (a retiree without it: retired all year)" },
  { name: "has_account", kind: "flag", required: false, fallback: "1", absent: "true", doc: "has an individual account (false: flexible worker, pool-only)" },
  { name: "old_worker", kind: "flag", required: false, fallback: "0", absent: "false", doc: "建国前老工人 (Jinan)" },
  { name: "two_diseases", kind: "mask", max: 3, required: false, fallback: "0", absent: "0", doc: "registered for the two-disease benefit: bitmask 1 hypertension, 2 diabetes (within diseases, if given)" },
  { name: "chronic", kind: "flag", required: false, fallback: "0", absent: "false", doc: "registered chronic/special-disease patient (门诊慢特病)" },
  { name: "inpatient_expected_fen", kind: "fen", required: false, absent: "the inpatient fund line is built from the realised inpatient and day-surgery claims", doc: "expected in-catalogue inpatient + day-surgery cost of the year, fen (a synthetic population's)" },
  { name: "opening_balance_fen", kind: "fen", required: false, absent: "from the baseline's credits (the city's accountOpeningMonths), as for a generated population", doc: "individual-account balance on 1 January, fen" },
  { name: "sex", kind: "code", labels: SEX_TEXTS, required: false, fallback: "0", absent: "0 (unused)", doc: `sex: ${codesText(SEX_TEXTS)} (checked; the rules do not read it)` },
  { name: "diseases", kind: "mask", max: 3, required: false, fallback: "two_diseases", absent: "two_diseases", doc: "conditions present: bitmask 1 hypertension, 2 diabetes (calibrate only)" },
  { name: "registered_elsewhere", kind: "flag", required: false, fallback: "0", absent: "false", doc: "filed long-term residence elsewhere (checked; the rules read the claims' area)" },
  { name: "age", kind: "mask", max: 255, required: false, absent: "year − birth year", doc: "age reached in the year: if given, must equal year − birth year" },
  { name: "age_band", kind: "mask", max: 6, required: false, absent: "from the age", doc: "age band code of that age (if given, must agree)" },
];

const KIND_TEXTS = texts(KINDS);
const SETTING_TEXTS = texts(SETTINGS);
const AREA_TEXTS = texts(AREAS);

export const MICRO_CLAIMS: MicroColumn[] = [
  { name: "person", kind: "id", required: true, doc: "person id (in the persons file)" },
  { name: "date", kind: "date", required: true, doc: "date of the claim, within the run year" },
  { name: "kind", kind: "code", labels: KIND_TEXTS, required: true, doc: `kind: ${codesText(KIND_TEXTS)}` },
  { name: "level", kind: "code", labels: LEVEL_TEXTS, required: true, doc: `facility level: ${codesText(LEVEL_TEXTS)} (level 1 and below, 2, 3)` },
  { name: "setting", kind: "code", labels: SETTING_TEXTS, required: true, doc: `setting: ${codesText(SETTING_TEXTS)} (inpatient and day surgery: facility)` },
  { name: "area", kind: "code", labels: AREA_TEXTS, required: true, doc: `area: ${codesText(AREA_TEXTS)}` },
  { name: "amount_fen", kind: "fen", required: true, doc: `cost, fen (at most ${MAX_AMOUNT_TEXT} yuan)` },
  { name: "eligible_fen", kind: "fen", required: true, doc: "policy-scope (in-catalogue) part of the cost, fen, at most amount_fen" },
  { name: "designated", kind: "flag", required: false, fallback: "1", absent: "true", doc: "designated facility or pharmacy" },
  { name: "emergency", kind: "flag", required: false, fallback: "0", absent: "false", doc: "emergency/rescue" },
  { name: "prescription", kind: "flag", required: false, fallback: "0", absent: "false", doc: "pharmacy purchase with an external prescription" },
  { name: "facility", kind: "id", required: false, fallback: "0", absent: "0 (not given)", doc: "facility id (per-facility deductibles); 0 = not given" },
  { name: "flags", kind: "mask", max: (1 << CLAIM_FLAGS.length) - 1, required: false, absent: "no flags", doc: `not-payable flags, bitmask: ${CLAIM_FLAGS.map((f, i) => `${1 << i} ${f}`).join(", ")}` },
  { name: "not_chosen_facility", kind: "flag", required: false, absent: "false (at the chosen facility)", doc: "away from the person's chosen or signed facility (选定/签约定点)" },
];

/** A money column's other spelling: `amount_fen` may be given as `amount_yuan`. */
export const yuanName = (c: MicroColumn) => c.name.replace(/_fen$/, "_yuan");

/** The two files of a microdata directory, each `<name>.parquet` or `<name>.csv`. */
export const MICRO_FILES = [
  { name: "persons", spec: MICRO_PERSONS },
  { name: "claims", spec: MICRO_CLAIMS },
] as const;

const typeText = (c: MicroColumn) =>
  c.kind === "date" ? "date" : c.kind === "flag" ? "boolean or 0/1" : c.kind === "fen" ? "integer fen, or yuan" : c.kind === "code" ? "integer code or label" : "integer";

/** The format as `fundsim run --help` shows it. */
export function formatTable(): string {
  const line = (c: MicroColumn) => `  ${c.name.padEnd(24)}${typeText(c).padEnd(24)}${c.doc}${c.required ? "" : `; absent: ${c.absent}`}`;
  const block = (file: string, cols: MicroColumn[]) =>
    `${file}, required:\n${cols.filter((c) => c.required).map(line).join("\n")}\n${file}, optional:\n${cols.filter((c) => !c.required).map(line).join("\n")}`;
  return `${block("persons", MICRO_PERSONS)}\n${block("claims", MICRO_CLAIMS)}\nA money column <name>_fen may be given instead as <name>_yuan (at most two decimals).`;
}

/** The format as docs/data.md shows it (between its `<!-- table:microdata -->` markers). */
export function markdownTable(): string {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const name = (c: MicroColumn) => (c.kind === "fen" ? `\`${c.name}\` or \`${yuanName(c)}\`` : `\`${c.name}\``);
  const table = (file: string, cols: MicroColumn[]) =>
    [`| ${file} | type | required | meaning; if absent |`, "|---|---|---|---|", ...cols.map((c) => `| ${name(c)} | ${typeText(c)} | ${c.required ? "yes" : ""} | ${cell(c.doc)}${c.required ? "" : `; absent: ${cell(c.absent!)}`} |`)].join("\n");
  return `${table("persons", MICRO_PERSONS)}\n\n${table("claims", MICRO_CLAIMS)}`;
}
