// Reading and checking a microdata directory's two files in DuckDB (../microdata.ts opens them).
//
// Each file is DIR/<name>.parquet or DIR/<name>.csv. A CSV is read all as text; a Parquet column may
// be text too (a bureau's extract often is). Each column is first *typed* — a view over the file with
// the format's value of every column (format.ts): integers, codes (an integer or one of the code's
// labels), flags (0/1, true/false, a BOOLEAN), dates (DATE or YYYY-MM-DD), money (`<name>_fen` whole
// fen, or `<name>_yuan` with at most two decimals, converted to fen exactly as a decimal: never
// through a binary float) — then *checked*: ranges, codes, dates within the year, and the rows
// against each other (a person id once, each claim's person present and born by the claim,
// retired_on only for status retired, …). Every problem names the file, the column and the row
// (counted from 1, the header not counted); the first 20 are reported, then how many in all.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { INT32_MAX, MAX_AMOUNT_FEN, MAX_AMOUNT_TEXT, showText } from "../../model/limits.ts";
import { KINDS, SETTINGS, STATUSES } from "../../model/types.ts";
import { ageBandCode } from "../population/columns.ts";
import { codesText, type Kind, type MicroColumn, MicrodataError, yuanName } from "./format.ts";

/** The most problems listed; the rest are counted. */
export const MAX_PROBLEMS = 20;

const INTEGER_TYPES = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];
const TYPE_TEXT: Record<Kind | "yuan", string> = {
  id: "an integer type or text", code: "an integer type or text (a code or its label)", mask: "an integer type or text",
  flag: "BOOLEAN, an integer type (0/1) or text", date: "DATE or text (YYYY-MM-DD)", fen: "an integer type (fen) or text",
  yuan: "DECIMAL, DOUBLE, an integer type or text (yuan)",
};

function typeOk(kind: Kind | "yuan", type: string): boolean {
  if (type === "VARCHAR") return true;
  if (INTEGER_TYPES.includes(type)) return kind !== "date";
  if (kind === "date") return type === "DATE";
  if (kind === "flag") return type === "BOOLEAN";
  if (kind === "yuan") return type === "DOUBLE" || type === "FLOAT" || /^DECIMAL\(\d+,\d+\)$/.test(type);
  return false;
}

export const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
export const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const v = (expr: string) => `CAST(${expr} AS VARCHAR)`;
/** A text value shown in quotes (a CSV's "12.3.4", a label that is not one). */
const quoted = (expr: string) => `'"' || ${expr} || '"'`;

/** A format column as the file has it: under its own name or (money) as `<name>_yuan`. */
export interface Present {
  c: MicroColumn;
  /** The file's column name (in messages). */
  raw: string;
  type: string;
  yuan: boolean;
}

/** One of the two files, opened. `typed`: the view with the format's columns (by the format's
 *  names) and `file_row_number`. */
export interface Source {
  name: string;
  /** e.g. persons.csv */
  file: string;
  /** DIR/persons.csv as shown in messages. */
  shown: string;
  typed: string;
  cols: Present[];
}

const WHOLE = `'-?[0-9]{1,30}'`;
/** Yuan: at most two decimals (trailing zeros beyond them are exact: 12.340 is 12.34). */
const YUAN = `'-?[0-9]{1,16}(\\.[0-9]{0,2}0*)?'`;
const YUAN_ANY = `'-?[0-9]{1,16}\\.[0-9]+'`;

/** The typed value of a column, why it cannot be typed (NULL: it can), and how to show it. */
function typing(p: Present): { typed: string; parse: string; show: string } {
  const x = q(p.raw);
  const text = p.type === "VARCHAR";
  const none = { parse: "NULL", show: v(x) };
  const shown = { show: v(x) };
  if (p.yuan) {
    if (INTEGER_TYPES.includes(p.type)) return { typed: `CAST(${x} AS HUGEINT) * 100`, parse: "NULL", show: `${v(x)} || ' yuan'` };
    // DECIMAL and DOUBLE through their text (a DOUBLE's shortest decimal: 12.34 stays 12.34), then
    // parsed as a decimal: exact to the fen.
    const t = v(x);
    return {
      typed: `CASE WHEN regexp_full_match(${t}, ${YUAN}) THEN CAST(CAST(${t} AS DECIMAL(38,10)) * 100 AS HUGEINT) END`,
      parse: `CASE WHEN ${x} IS NULL OR regexp_full_match(${t}, ${YUAN}) THEN NULL
                   WHEN regexp_full_match(${t}, ${YUAN_ANY}) THEN ${t} || ' yuan has more than two decimals (a fen is 0.01 yuan)'
                   ELSE ${quoted(t)} || ' is not an amount in yuan (digits, a point and at most two decimals)' END`,
      show: `${t} || ' yuan'`,
    };
  }
  switch (p.c.kind) {
    case "id": case "mask": case "fen":
      if (!text) return { typed: x, ...none };
      return {
        typed: `CASE WHEN regexp_full_match(${x}, ${WHOLE}) THEN CAST(${x} AS HUGEINT) END`,
        parse: `CASE WHEN ${x} IS NOT NULL AND NOT regexp_full_match(${x}, ${WHOLE}) THEN ${quoted(x)} || ' is not a whole number' END`,
        ...shown,
      };
    case "code": {
      if (!text) return { typed: x, ...none };
      const label = `CASE lower(${x}) ${p.c.labels!.flatMap((ts, i) => ts.map((t) => `WHEN ${sqlString(t.toLowerCase())} THEN ${i}`)).join(" ")} END`;
      return {
        typed: `CASE WHEN regexp_full_match(${x}, ${WHOLE}) THEN CAST(${x} AS HUGEINT) ELSE ${label} END`,
        parse: `CASE WHEN ${x} IS NOT NULL AND NOT regexp_full_match(${x}, ${WHOLE}) AND ${label} IS NULL THEN ${quoted(x)} || ' is not a code or label (${codesText(p.c.labels!)})' END`,
        ...shown,
      };
    }
    case "flag": {
      if (p.type === "BOOLEAN") return { typed: `CAST(${x} AS UTINYINT)`, ...none };
      const typed = text ? `CASE lower(${x}) WHEN '1' THEN 1 WHEN 'true' THEN 1 WHEN '0' THEN 0 WHEN 'false' THEN 0 END` : `CASE WHEN ${x} = 0 OR ${x} = 1 THEN CAST(${x} AS UTINYINT) END`;
      return { typed, parse: `CASE WHEN ${x} IS NOT NULL AND ${typed} IS NULL THEN ${v(x)} || ' is not 0/1 or a boolean' END`, show: v(x) };
    }
    case "date": {
      if (!text) return { typed: x, ...none };
      const typed = `CASE WHEN regexp_full_match(${x}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(${x} AS DATE) END`;
      return { typed, parse: `CASE WHEN ${x} IS NOT NULL AND ${typed} IS NULL THEN ${quoted(x)} || ' is not a date (YYYY-MM-DD)' END`, ...shown };
    }
  }
}

/** Finds DIR/<name>.parquet or DIR/<name>.csv, reads its columns and makes the typed view.
 *  Returns the schema problems (a missing or mistyped column) instead of the source if any. */
export async function openSource(conn: DuckDBConnection, dir: string, name: string, spec: MicroColumn[]): Promise<Source | string[]> {
  const [parquet, csv] = [`${name}.parquet`, `${name}.csv`].map((f) => (existsSync(join(dir, f)) ? f : undefined));
  const both = `the data are DIR/persons.parquet or .csv and DIR/claims.parquet or .csv`;
  if (parquet && csv) return [`${showText(join(dir, name), 200)}: both ${parquet} and ${csv} (${both}: give one)`];
  const file = parquet ?? csv;
  if (!file) return [`${showText(dir, 200)}: no ${name}.parquet or ${name}.csv (${both})`];
  const shown = showText(join(dir, file), 200);
  const path = sqlString(join(dir, file));
  let from: string;
  try {
    if (parquet) {
      from = `read_parquet(${path}, file_row_number = true)`;
      await conn.run(`DESCRIBE SELECT * FROM ${from}`);
    } else {
      // Copied once, all as text (the checks type each column): rowid is then the file's row order.
      await conn.run(`CREATE TABLE raw_${name} AS SELECT * FROM read_csv(${path}, all_varchar = true, header = true)`);
      from = `(SELECT *, rowid AS file_row_number FROM raw_${name})`;
    }
  } catch (e) {
    return [`${shown}: not a ${parquet ? "Parquet" : "CSV"} file DuckDB can read (${showText(String((e as Error).message).split("\n")[0], 160)})`];
  }
  const types = new Map(((await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJS() as Array<Record<string, unknown>>).map((r) => [String(r.column_name), String(r.column_type)]));
  const problems: string[] = [];
  const cols: Present[] = [];
  for (const c of spec) {
    const asYuan = c.kind === "fen" && types.has(yuanName(c));
    if (asYuan && types.has(c.name)) {
      problems.push(`${shown}, columns ${c.name} and ${yuanName(c)}: give one of them`);
      continue;
    }
    const raw = asYuan ? yuanName(c) : c.name;
    const type = types.get(raw);
    if (type === undefined) {
      if (c.required) problems.push(`${shown}, column ${c.name}: missing (required: ${c.doc})`);
    } else if (!typeOk(asYuan ? "yuan" : c.kind, type)) problems.push(`${shown}, column ${raw}: type ${type}, must be ${TYPE_TEXT[asYuan ? "yuan" : c.kind]}`);
    else cols.push({ c, raw, type, yuan: asYuan });
  }
  if (problems.length) return problems;
  const typed = `typed_${name}`;
  await conn.run(
    `CREATE VIEW ${typed} AS SELECT file_row_number, ${cols
      .map((p) => {
        const t = typing(p);
        // Only what a column needs: a view's columns are computed for every row.
        return [`${t.typed} AS ${q(p.c.name)}`, ...(t.parse !== "NULL" ? [`${t.parse} AS ${q(`${p.c.name}!parse`)}`] : []), ...(p.yuan ? [`${t.show} AS ${q(`${p.c.name}!show`)}`] : [])].join(", ");
      })
      .join(", ")} FROM ${from}`,
  );
  return { name, file, shown, typed, cols };
}

/** The ages where a new age band starts (after the first), from columns.ts ageBandCode. */
const BAND_STARTS = Array.from({ length: 131 }, (_, a) => a).filter((a) => a > 0 && ageBandCode(a) !== ageBandCode(a - 1));
/** The age band code (AGE_BANDS index) of an age, in SQL: how many bands start at or below it. */
const ageBandSql = (age: string) => `(${BAND_STARTS.map((l) => `CASE WHEN ${age} >= ${l} THEN 1 ELSE 0 END`).join(" + ")})`;

const RETIRED = STATUSES.indexOf("retired");
const PHARMACY = SETTINGS.indexOf("pharmacy");
const STAYS = [KINDS.indexOf("inpatient"), KINDS.indexOf("day_surgery")];

/** SQL over the typed view: NULL when the value is good, else why it is not (the message's tail). */
function badValue(p: Present, s: Source, year: number): string {
  const c = p.c;
  const x = q(c.name);
  const has = (name: string) => s.cols.some((o) => o.c.name === name);
  const of = (name: string) => s.cols.find((o) => o.c.name === name)!;
  const rawOf = (name: string) => of(name).raw;
  /** A value as the file has it (a yuan amount as given, with its unit). */
  const showOf = (o: Present) => (o.yuan ? q(`${o.c.name}!show`) : v(q(o.c.name)));
  const show = showOf(p);
  const parse = typing(p).parse !== "NULL" ? [`WHEN ${q(`${c.name}!parse`)} IS NOT NULL THEN ${q(`${c.name}!parse`)}`] : [];
  const parts: string[] = [...parse, `WHEN ${x} IS NULL THEN ${c.nullable ? "NULL" : `'is empty (NULL)'`}`];
  const yearStart = `DATE '${year}-01-01'`, yearEnd = `DATE '${year}-12-31'`;
  switch (c.kind) {
    case "id":
      parts.push(`WHEN ${x} < 0 OR ${x} > 4294967295 THEN ${show} || ' is not an id from 0 to 4294967295'`);
      break;
    case "code":
      parts.push(`WHEN ${x} < 0 OR ${x} > ${c.labels!.length - 1} THEN ${show} || ' is not a code (${codesText(c.labels!)})'`);
      break;
    case "mask":
      parts.push(`WHEN ${x} < 0 OR ${x} > ${c.max} THEN ${show} || ' is not from 0 to ${c.max}'`);
      break;
    case "flag": // typed or not: the parse check
      break;
    case "fen":
      parts.push(`WHEN ${x} < 0 THEN ${show} || ' is negative'`);
      parts.push(`WHEN ${x} > ${MAX_AMOUNT_FEN} THEN ${show}${p.yuan ? "" : " || ' fen'"} || ' is above the limit of one amount (${MAX_AMOUNT_TEXT} yuan)'`);
      break;
    case "date":
      if (c.name === "date") parts.push(`WHEN ${x} < ${yearStart} OR ${x} > ${yearEnd} THEN ${v(x)} || ' is outside the run year ${year}'`);
      else if (c.name === "birth_date") parts.push(`WHEN ${x} > ${yearEnd} OR year(${x}) < ${year - 130} THEN ${v(x)} || ' is not a birth date for ${year} (after the year, or over 130)'`);
      else if (c.name === "retired_on") {
        parts.push(`WHEN ${x} > ${yearEnd} THEN ${v(x)} || ' is after the run year (not retired by year end: leave it empty)'`);
        parts.push(`WHEN ${x} < birth_date THEN ${v(x)} || ' is before the birth date'`);
        // The engine's and the calculator's convention (docs/calculation.md, "Status on a claim's
        // date"): retired_on is the day retiree benefits start, whatever the status, so a person
        // retiring during the year may be given as active or flexible (before it) or retired (as
        // fundsim simulate writes). Retired before the year and not status retired is a contradiction.
        parts.push(`WHEN ${x} < ${yearStart} AND status <> ${RETIRED} THEN ${v(x)} || ' is before ${year} (retired all year) but status is ' || ${showOf(of("status"))} || ': give status retired'`);
      }
      break;
  }
  if (c.name === "eligible_fen") parts.push(`WHEN ${x} > amount_fen THEN ${show} || ' is above ${rawOf("amount_fen")} ' || ${showOf(of("amount_fen"))}`);
  if (c.name === "age") parts.push(`WHEN ${x} <> ${year} - year(birth_date) THEN ${show} || ' is not the age reached in ${year} by birth date ' || ${v("birth_date")}`);
  if (c.name === "age_band") parts.push(`WHEN ${x} <> ${ageBandSql(`${year} - year(birth_date)`)} THEN ${show} || ' is not the age band of age ' || ${v(`${year} - year(birth_date)`)}`);
  if (c.name === "two_diseases" && has("diseases")) {
    parts.push(`WHEN diseases BETWEEN 0 AND 3 AND (CAST(${x} AS INTEGER) & ~CAST(diseases AS INTEGER)) <> 0 THEN ${show} || ' registers a condition ${rawOf("diseases")} ' || ${showOf(of("diseases"))} || ' does not have'`);
  }
  if (c.name === "setting") parts.push(`WHEN ${x} = ${PHARMACY} AND kind IN (${STAYS.join(", ")}) THEN 'pharmacy for a kind ' || ${showOf(of("kind"))} || ' claim (inpatient and day surgery are at a facility)'`);
  return `CASE ${parts.join(" ")} ELSE NULL END`;
}

/** Every problem of both files, as lines naming the file, the column and the row: the first
 *  MAX_PROBLEMS in file, row and column order, then a count. Empty: the data are good. */
export async function checkRows(conn: DuckDBConnection, persons: Source, claims: Source, year: number): Promise<string[]> {
  await conn.run(`CREATE TEMP TABLE problems (f INTEGER, r BIGINT, k INTEGER, col VARCHAR, why VARCHAR)`);
  for (const [f, s] of [persons, claims].entries()) {
    // One scan per file; the (normally no) bad rows are kept, then one problem per bad cell.
    const w = s.cols.map((p) => badValue(p, s, year));
    await conn.run(
      `CREATE TEMP TABLE bad_${s.name} AS SELECT * FROM (SELECT file_row_number AS r, ${w.map((b, k) => `${b} AS w${k}`).join(", ")} FROM ${s.typed})
       WHERE ${w.map((_, k) => `w${k} IS NOT NULL`).join(" OR ")}`,
    );
    for (const [k, p] of s.cols.entries()) await conn.run(`INSERT INTO problems SELECT ${f}, r, ${k}, ${sqlString(p.raw)}, w${k} FROM bad_${s.name} WHERE w${k} IS NOT NULL`);
  }
  const k = (s: Source, name: string) => s.cols.findIndex((p) => p.c.name === name);
  const raw = (s: Source, name: string) => sqlString(s.cols[k(s, name)].raw);
  await conn.run(
    `INSERT INTO problems SELECT 0, file_row_number, ${k(persons, "person")}, 'person', 'person id ' || ${v("person")} || ' appears more than once'
     FROM (SELECT person, file_row_number, row_number() OVER (PARTITION BY person ORDER BY file_row_number) AS n FROM ${persons.typed} WHERE person IS NOT NULL) WHERE n > 1`,
  );
  await conn.run(
    `INSERT INTO problems SELECT 1, c.file_row_number, CASE WHEN p.person IS NULL THEN ${k(claims, "person")} ELSE ${k(claims, "date")} END,
       CASE WHEN p.person IS NULL THEN 'person' ELSE 'date' END,
       CASE WHEN p.person IS NULL THEN 'person id ' || ${v("c.person")} || ' is not in ${persons.file}'
            ELSE ${v('c."date"')} || ' is before the person''s birth date ' || ${v("p.birth_date")} END
     FROM ${claims.typed} c LEFT JOIN (SELECT person, min(birth_date) AS birth_date FROM ${persons.typed} GROUP BY person) p ON c.person = p.person
     WHERE c.person IS NOT NULL AND (p.person IS NULL OR c."date" < p.birth_date)`,
  );
  // The engine holds a person's year of amounts in 32-bit integers.
  await conn.run(
    `INSERT INTO problems SELECT 1, min(file_row_number), ${k(claims, "amount_fen")}, ${raw(claims, "amount_fen")},
       'person ' || ${v("person")} || '''s claims total ' || ${v("sum(amount_fen)")} || ' fen, above what the engine holds for one person (2,147,483,647 fen)'
     FROM ${claims.typed} WHERE person IS NOT NULL AND amount_fen BETWEEN 0 AND ${MAX_AMOUNT_FEN} GROUP BY person HAVING sum(amount_fen) > ${INT32_MAX}`,
  );
  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
  const [{ n }] = await rows(`SELECT count(*) AS n FROM problems`);
  const first = await rows(`SELECT f, r, col, why FROM problems ORDER BY f, r, k LIMIT ${MAX_PROBLEMS}`);
  const lines = first.map((p) => `${(Number(p.f) === 0 ? persons : claims).shown}, column ${p.col}, row ${Number(p.r) + 1}: ${showText(String(p.why), 200)}`);
  if (Number(n) > first.length) lines.push(`… and ${Number(n) - first.length} more (${Number(n)} problems in all)`);
  return lines;
}

/** The problems as one error: one line alone, else a head line and one line each. */
export function problemsError(dir: string, lines: string[]): MicrodataError {
  if (lines.length === 1) return new MicrodataError(lines[0]);
  const counted = /\((\d+) problems in all\)$/.exec(lines[lines.length - 1]);
  const n = counted ? Number(counted[1]) : lines.length;
  return new MicrodataError(`${showText(dir, 200)}: ${n} problems in the data${counted ? `, the first ${MAX_PROBLEMS}` : ""}:\n${lines.join("\n")}`);
}
