// A bureau's own microdata: its insured persons and their claims for one year, as DIR/persons.parquet
// and DIR/claims.parquet in the columns `fundsim simulate` writes (src/loaders/population/columns.ts),
// read with DuckDB, checked column by column, and handed to the pipeline chunk by chunk in the
// generator's layout (persons in id order; each person's claims in date order, ties in file order).
//
// Checking: every problem is reported as the first bad row of one file and column, with the value
// and why (MicrodataError): a missing or mistyped column, a value out of range or not a code, a
// claim outside the run year or before its person's birth, a claim whose person is not in
// persons.parquet, a repeated person id, eligible above the amount, amounts beyond the single-amount
// limit of src/model/limits.ts.
//
// Memory: the files are copied once into a DuckDB working database (limit 1 GB, spilling to a
// temporary directory of its own, removed on close), ordered for the chunk reads; a chunk is read by
// copying DuckDB's vectors' bytes into typed arrays (the mirror of parquet.ts's writer).

import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import duckdb from "@duckdb/node-bindings";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { AREAS, CLAIM_FLAGS, KINDS, LEVELS, SETTINGS, STATUSES } from "../model/types.ts";
import { INT32_MAX, MAX_AMOUNT_FEN, MAX_AMOUNT_TEXT, showText } from "../model/limits.ts";
import { ageBandCode, type ClaimColumns, NO_DAY, type PersonColumns, SEXES } from "./population/columns.ts";

/** A bad microdata file: one line naming the file, the column and the first bad row. */
export class MicrodataError extends Error {}

type Kind = "id" | "code" | "mask" | "flag" | "date" | "fen";

/** One column of the microdata format. `fallback`: the SQL value when the column is absent
 *  (undefined: required, or — for `absentIs` columns — the engine's own default for a missing column). */
export interface MicroColumn {
  name: string;
  kind: Kind;
  /** Codes: their labels (value = index). Masks: the largest value. */
  labels?: readonly (string | number)[];
  max?: number;
  required: boolean;
  /** NULL allowed (retired_on: not retired by year end). */
  nullable?: boolean;
  fallback?: string;
  /** What an absent optional column means (the help's table). */
  absent?: string;
  doc: string;
}

const codes = (labels: readonly (string | number)[]) => labels.map((l, i) => `${i} ${l}`).join(", ");

export const MICRO_PERSONS: MicroColumn[] = [
  { name: "person", kind: "id", required: true, doc: "person id, unique (0 … 4294967295)" },
  { name: "status", kind: "code", labels: STATUSES, required: true, doc: `status: ${codes(STATUSES)}` },
  { name: "birth_date", kind: "date", required: true, doc: "date of birth" },
  { name: "contribution_base_fen", kind: "fen", required: true, doc: "monthly contribution base, fen (0 for retirees)" },
  { name: "pension_fen", kind: "fen", required: true, doc: "monthly pension, fen (0 if none)" },
  { name: "retired_on", kind: "date", nullable: true, required: false, fallback: "CAST(NULL AS DATE)", absent: "every retiree retired all year, no one retiring in it", doc: "first day of retiree benefits; NULL = not retired by year end (a retiree without it: retired all year)" },
  { name: "has_account", kind: "flag", required: false, fallback: "1", absent: "true", doc: "has an individual account (false: flexible worker, pool-only)" },
  { name: "old_worker", kind: "flag", required: false, fallback: "0", absent: "false", doc: "建国前老工人 (Jinan)" },
  { name: "two_diseases", kind: "mask", max: 3, required: false, fallback: "0", absent: "0", doc: "registered for the two-disease benefit: bitmask 1 hypertension, 2 diabetes" },
  { name: "chronic", kind: "flag", required: false, fallback: "0", absent: "false", doc: "registered chronic/special-disease patient (门诊慢特病)" },
  { name: "inpatient_expected_fen", kind: "fen", required: false, absent: "the inpatient fund line is built from the realised inpatient and day-surgery claims", doc: "expected in-catalogue inpatient + day-surgery cost of the year, fen (a synthetic population's)" },
  { name: "opening_balance_fen", kind: "fen", required: false, absent: "from the baseline's credits (the city's accountOpeningMonths), as for a generated population", doc: "individual-account balance on 1 January, fen" },
  { name: "sex", kind: "code", labels: SEXES, required: false, fallback: "0", absent: "0 (unused)", doc: `sex: ${codes(SEXES)} (checked; the rules do not read it)` },
  { name: "diseases", kind: "mask", max: 3, required: false, fallback: "two_diseases", absent: "two_diseases", doc: "conditions present: bitmask 1 hypertension, 2 diabetes (calibrate only)" },
  { name: "registered_elsewhere", kind: "flag", required: false, fallback: "0", absent: "false", doc: "filed long-term residence elsewhere (checked; the rules read the claims' area)" },
  { name: "age", kind: "mask", max: 255, required: false, absent: "year − birth year", doc: "age reached in the year: if given, must equal year − birth year" },
  { name: "age_band", kind: "mask", max: 6, required: false, absent: "from the age", doc: "age band code of that age (if given, must agree)" },
];

export const MICRO_CLAIMS: MicroColumn[] = [
  { name: "person", kind: "id", required: true, doc: "person id (in persons.parquet)" },
  { name: "date", kind: "date", required: true, doc: "date of the claim, within the run year" },
  { name: "kind", kind: "code", labels: KINDS, required: true, doc: `kind: ${codes(KINDS)}` },
  { name: "level", kind: "code", labels: LEVELS, required: true, doc: "facility level: 0 = level 1, 1 = level 2, 2 = level 3" },
  { name: "setting", kind: "code", labels: SETTINGS, required: true, doc: `setting: ${codes(SETTINGS)}` },
  { name: "area", kind: "code", labels: AREAS, required: true, doc: `area: ${codes(AREAS)}` },
  { name: "amount_fen", kind: "fen", required: true, doc: `cost, fen (at most ${MAX_AMOUNT_TEXT} yuan)` },
  { name: "eligible_fen", kind: "fen", required: true, doc: "policy-scope (in-catalogue) part of the cost, fen, at most amount_fen" },
  { name: "designated", kind: "flag", required: false, fallback: "1", absent: "true", doc: "designated facility or pharmacy" },
  { name: "emergency", kind: "flag", required: false, fallback: "0", absent: "false", doc: "emergency/rescue" },
  { name: "prescription", kind: "flag", required: false, fallback: "0", absent: "false", doc: "pharmacy purchase with an external prescription" },
  { name: "facility", kind: "id", required: false, fallback: "0", absent: "0 (not given)", doc: "facility id (per-facility deductibles); 0 = not given" },
  { name: "flags", kind: "mask", max: (1 << CLAIM_FLAGS.length) - 1, required: false, absent: "no flags", doc: `not-payable flags, bitmask: ${CLAIM_FLAGS.map((f, i) => `${1 << i} ${f}`).join(", ")}` },
  { name: "not_chosen_facility", kind: "flag", required: false, absent: "false (at the chosen facility)", doc: "away from the person's chosen or signed facility (选定/签约定点)" },
];

const INTEGER_TYPES = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];
const TYPE_TEXT: Record<Kind, string> = { id: "an integer type", code: "an integer type", mask: "an integer type", flag: "BOOLEAN or an integer type (0/1)", date: "DATE", fen: "an integer type (fen)" };

function typeOk(kind: Kind, type: string): boolean {
  if (kind === "date") return type === "DATE";
  if (kind === "flag") return type === "BOOLEAN" || INTEGER_TYPES.includes(type);
  return INTEGER_TYPES.includes(type);
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const q = (name: string) => `"${name}"`;
const v = (expr: string) => `CAST(${expr} AS VARCHAR)`;

/** SQL: NULL when the value is good, else why it is not (the message's tail). */
function badValue(c: MicroColumn, year: number): string {
  const x = q(c.name);
    const nul = c.nullable ? "NULL" : `'is empty (NULL)'`;
  const parts: string[] = [`WHEN ${x} IS NULL THEN ${nul}`];
  const yearStart = `DATE '${year}-01-01'`, yearEnd = `DATE '${year}-12-31'`;
  switch (c.kind) {
    case "id":
      parts.push(`WHEN ${x} < 0 OR ${x} > 4294967295 THEN ${v(x)} || ' is not an id from 0 to 4294967295'`);
      break;
    case "code":
      parts.push(`WHEN ${x} < 0 OR ${x} > ${c.labels!.length - 1} THEN ${v(x)} || ' is not a code (${codes(c.labels!)})'`);
      break;
    case "mask":
      parts.push(`WHEN ${x} < 0 OR ${x} > ${c.max} THEN ${v(x)} || ' is not from 0 to ${c.max}'`);
      break;
    case "flag":
      // As text: no cast of a huge integer can fail.
      parts.push(`WHEN ${v(x)} NOT IN ('0', '1', 'true', 'false') THEN ${v(x)} || ' is not 0/1 or a boolean'`);
      break;
    case "fen":
      parts.push(`WHEN ${x} < 0 THEN ${v(x)} || ' is negative'`);
      parts.push(`WHEN ${x} > ${MAX_AMOUNT_FEN} THEN ${v(x)} || ' fen is above the limit of one amount (${MAX_AMOUNT_TEXT} yuan)'`);
      break;
    case "date":
      if (c.name === "date") parts.push(`WHEN ${x} < ${yearStart} OR ${x} > ${yearEnd} THEN ${v(x)} || ' is outside the run year ${year}'`);
      else if (c.name === "birth_date") parts.push(`WHEN ${x} > ${yearEnd} OR year(${x}) < ${year - 130} THEN ${v(x)} || ' is not a birth date for ${year} (after the year, or over 130)'`);
      else if (c.name === "retired_on") {
        parts.push(`WHEN ${x} > ${yearEnd} THEN ${v(x)} || ' is after the run year (not retired by year end: leave it empty)'`);
        parts.push(`WHEN ${x} < birth_date THEN ${v(x)} || ' is before the birth date'`);
      }
      break;
  }
  if (c.name === "eligible_fen") parts.push(`WHEN ${x} > amount_fen THEN ${v(x)} || ' is above amount_fen ' || ${v("amount_fen")}`);
  if (c.name === "age") parts.push(`WHEN ${x} <> ${year} - year(birth_date) THEN ${v(x)} || ' is not the age reached in ${year} by birth date ' || ${v("birth_date")}`);
  if (c.name === "age_band") parts.push(`WHEN ${x} <> ${ageBandSql(`${year} - year(birth_date)`)} THEN ${v(x)} || ' is not the age band of age ' || ${v(`${year} - year(birth_date)`)}`);
  return `CASE ${parts.join(" ")} ELSE NULL END`;
}

/** The ages where a new age band starts (after the first), from columns.ts ageBandCode. */
const BAND_STARTS = Array.from({ length: 131 }, (_, a) => a).filter((a) => a > 0 && ageBandCode(a) !== ageBandCode(a - 1));

/** The age band code (AGE_BANDS index) of an age, in SQL: how many bands start at or below it. */
function ageBandSql(age: string): string {
  const lower = BAND_STARTS;
  return `(${lower.map((l) => `CASE WHEN ${age} >= ${l} THEN 1 ELSE 0 END`).join(" + ")})`;
}

/** The persons and claims of a chunk, in the generator's layout: `claims.person` is the person's
 *  position in id order (firstId + chunk index), `persons.id` the bureau's own id. */
export interface MicrodataChunk {
  persons: Omit<PersonColumns, "inpatientExpectedFen"> & { inpatientExpectedFen?: Int32Array; openingBalanceFen?: Int32Array };
  claims: ClaimColumns & { flags?: Uint8Array; notChosenFacility?: Uint8Array };
}

type Ctor = Uint8ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor;
interface Read {
  key: string;
  sql: string;
  type: "UTINYINT" | "INTEGER" | "UINTEGER";
}
const CTOR: Record<Read["type"], Ctor> = { UTINYINT: Uint8Array, INTEGER: Int32Array, UINTEGER: Uint32Array };

/** An opened, checked microdata directory. */
export class Microdata {
  private constructor(
    private readonly db: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly removeSpill: () => void,
    /** Display names of the files. */
    readonly dir: string,
    readonly year: number,
    readonly persons: number,
    readonly claims: number,
    private readonly personReads: Read[],
    private readonly claimReads: Read[],
  ) {}

  /** Opens DIR, checks both files and prepares the chunk reads. `year`: the run year; undefined =
   *  the claims' year (all claims must then be in one year, one the rules cover). */
  static async open(dir: string, year: number | undefined, years: { min: number; max: number }): Promise<Microdata> {
    const show = (f: string) => showText(join(dir, f), 200);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MicrodataError(`${showText(dir, 200)}: not a directory (the data are DIR/persons.parquet and DIR/claims.parquet)`);
    for (const f of ["persons.parquet", "claims.parquet"]) {
      if (!existsSync(join(dir, f))) throw new MicrodataError(`${show(f)}: missing (the data are DIR/persons.parquet and DIR/claims.parquet)`);
    }
    const spill = mkdtempSync(join(tmpdir(), "fundsim-microdata-"));
    // An interrupted run (the output's signal handler exits the process) leaves no spill behind.
    const removeSpill = () => rmSync(spill, { recursive: true, force: true });
    process.once("exit", removeSpill);
    const db = await DuckDBInstance.create(":memory:", { threads: "2", memory_limit: "1GB", temp_directory: spill });
    const conn = await db.connect();
    try {
      const P = `read_parquet(${sqlString(join(dir, "persons.parquet"))}, file_row_number = true)`;
      const C = `read_parquet(${sqlString(join(dir, "claims.parquet"))}, file_row_number = true)`;
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
      const describe = async (f: string, from: string, spec: MicroColumn[]) => {
        let types: Map<string, string>;
        try {
          types = new Map((await rows(`DESCRIBE SELECT * FROM ${from}`)).map((r) => [String(r.column_name), String(r.column_type)]));
        } catch (e) {
          throw new MicrodataError(`${show(f)}: not a Parquet file DuckDB can read (${showText(String((e as Error).message).split("\n")[0], 160)})`);
        }
        for (const c of spec) {
          const t = types.get(c.name);
          if (t === undefined) {
            if (c.required) throw new MicrodataError(`${show(f)}, column ${c.name}: missing (required: ${c.doc})`);
          } else if (!typeOk(c.kind, t)) throw new MicrodataError(`${show(f)}, column ${c.name}: type ${t}, must be ${TYPE_TEXT[c.kind]}`);
        }
        return spec.filter((c) => types.has(c.name));
      };
      const pCols = await describe("persons.parquet", P, MICRO_PERSONS);
      const cCols = await describe("claims.parquet", C, MICRO_CLAIMS);
      const has = (cols: MicroColumn[], name: string) => cols.some((c) => c.name === name);

      if (year === undefined) {
        const [r] = await rows(`SELECT min(year("date")) AS lo, max(year("date")) AS hi FROM ${C}`);
        if (r.lo === null) throw new MicrodataError(`${show("claims.parquet")}: no claims to take the year from: give --year`);
        if (r.lo !== r.hi) throw new MicrodataError(`${show("claims.parquet")}, column date: claims from ${r.lo} to ${r.hi}; a run covers one year: give --year`);
        else year = Number(r.lo);
        if (year < years.min || year > years.max) throw new MicrodataError(`${show("claims.parquet")}, column date: the claims are of ${year}; the rules cover ${years.min}–${years.max}`);
      }
      const Y = year;

      /** The first row (by position in the file) where `why` is not NULL. */
      const firstBad = async (f: string, from: string, cols: string, why: string, extra = "") => {
        const [r] = await rows(`SELECT file_row_number AS r, ${cols} AS col, ${why} AS why FROM ${from} ${extra} WHERE ${why} IS NOT NULL ORDER BY file_row_number LIMIT 1`);
        if (r) throw new MicrodataError(`${show(f)}, column ${r.col}, row ${Number(r.r) + 1}: ${showText(String(r.why), 200)}`);
      };
      const rowChecks = async (f: string, from: string, cols: MicroColumn[]) => {
        // One scan: the first bad row, and in it the first bad column (in the format's order).
        const bads = cols.map((c) => badValue(c, Y));
        const col = `CASE ${bads.map((b, i) => `WHEN (${b}) IS NOT NULL THEN '${cols[i].name}'`).join(" ")} END`;
        await firstBad(f, from, col, `COALESCE(${bads.join(", ")})`);
      };
      await rowChecks("persons.parquet", P, pCols);
      await firstBad(
        "persons.parquet",
        `(SELECT person, file_row_number, row_number() OVER (PARTITION BY person ORDER BY file_row_number) AS n FROM ${P})`,
        "'person'",
        `CASE WHEN n > 1 THEN 'person id ' || ${v("person")} || ' appears more than once' END`,
      );
      await rowChecks("claims.parquet", C, cCols);
      await firstBad(
        "claims.parquet",
        `(SELECT c.file_row_number, c.person, p.person AS known, c."date", p.birth_date FROM ${C} c LEFT JOIN ${P} p ON c.person = p.person)`,
        "CASE WHEN known IS NULL THEN 'person' ELSE 'date' END",
        `CASE WHEN known IS NULL THEN 'person id ' || ${v("person")} || ' is not in persons.parquet'
              WHEN "date" < birth_date THEN ${v('"date"')} || ' is before the person''s birth date ' || ${v("birth_date")} END`,
      );
      // The engine holds a person's year of amounts in 32-bit integers.
      const [tot] = await rows(`SELECT person, sum(amount_fen) AS total, min(file_row_number) AS r FROM ${C} GROUP BY person HAVING sum(amount_fen) > ${INT32_MAX} ORDER BY r LIMIT 1`);
      if (tot) throw new MicrodataError(`${show("claims.parquet")}, column amount_fen, row ${Number(tot.r) + 1}: person ${tot.person}'s claims total ${tot.total} fen, above what the engine holds for one person (2,147,483,647 fen)`);

      // The working copy, ordered for the chunk reads.
      const expr = (cols: MicroColumn[], spec: MicroColumn[], name: string) => (has(cols, name) ? q(name) : spec.find((c) => c.name === name)!.fallback!);
      const pe = (name: string) => expr(pCols, MICRO_PERSONS, name);
      const ce = (name: string) => expr(cCols, MICRO_CLAIMS, name);
      const personReads: Read[] = [
        { key: "id", sql: "person", type: "UINTEGER" },
        { key: "status", sql: "status", type: "UTINYINT" },
        { key: "sex", sql: pe("sex"), type: "UTINYINT" },
        { key: "birthDay", sql: `birth_date - DATE '1970-01-01'`, type: "INTEGER" },
        { key: "retiredOnDay", sql: `COALESCE(${pe("retired_on")} - DATE '1970-01-01', ${NO_DAY})`, type: "INTEGER" },
        { key: "hasAccount", sql: pe("has_account"), type: "UTINYINT" },
        { key: "oldWorker", sql: pe("old_worker"), type: "UTINYINT" },
        { key: "twoDiseases", sql: pe("two_diseases"), type: "UTINYINT" },
        { key: "diseases", sql: has(pCols, "diseases") ? "diseases" : pe("two_diseases"), type: "UTINYINT" },
        { key: "chronic", sql: pe("chronic"), type: "UTINYINT" },
        { key: "registeredElsewhere", sql: pe("registered_elsewhere"), type: "UTINYINT" },
        { key: "contributionBaseFen", sql: "contribution_base_fen", type: "INTEGER" },
        { key: "pensionFen", sql: "pension_fen", type: "INTEGER" },
        { key: "age", sql: `${Y} - year(birth_date)`, type: "UTINYINT" },
        ...(has(pCols, "inpatient_expected_fen") ? [{ key: "inpatientExpectedFen", sql: "inpatient_expected_fen", type: "INTEGER" } as Read] : []),
        ...(has(pCols, "opening_balance_fen") ? [{ key: "openingBalanceFen", sql: "opening_balance_fen", type: "INTEGER" } as Read] : []),
      ];
      const claimReads: Read[] = [
        { key: "person", sql: "idx", type: "UINTEGER" },
        { key: "day", sql: `"date" - DATE '1970-01-01'`, type: "INTEGER" },
        { key: "kind", sql: "kind", type: "UTINYINT" },
        { key: "level", sql: "level", type: "UTINYINT" },
        { key: "setting", sql: "setting", type: "UTINYINT" },
        { key: "area", sql: "area", type: "UTINYINT" },
        { key: "amountFen", sql: "amount_fen", type: "INTEGER" },
        { key: "eligibleFen", sql: "eligible_fen", type: "INTEGER" },
        { key: "designated", sql: ce("designated"), type: "UTINYINT" },
        { key: "emergency", sql: ce("emergency"), type: "UTINYINT" },
        { key: "prescription", sql: ce("prescription"), type: "UTINYINT" },
        { key: "facility", sql: ce("facility"), type: "UINTEGER" },
        ...(has(cCols, "flags") ? [{ key: "flags", sql: "flags", type: "UTINYINT" } as Read] : []),
        ...(has(cCols, "not_chosen_facility") ? [{ key: "notChosenFacility", sql: "not_chosen_facility", type: "UTINYINT" } as Read] : []),
      ];
      const typed = (r: Read) => `CAST(${r.sql} AS ${r.type}) AS ${q(r.key)}`;
      await conn.run(
        `CREATE TABLE mp AS SELECT CAST(row_number() OVER (ORDER BY person) - 1 AS UINTEGER) AS idx, ${personReads.map(typed).join(", ")}
         FROM ${P} ORDER BY person`,
      );
      // Each person's claims in date order, ties in file order (the engine's order).
      await conn.run(
        `CREATE TABLE mc AS SELECT row_number() OVER (ORDER BY mp.idx, c."date", c.file_row_number) AS ord, ${claimReads.map(typed).join(", ")}
         FROM (SELECT * EXCLUDE (person), person AS pid FROM ${C}) c JOIN (SELECT idx, id FROM mp) mp ON c.pid = mp.id ORDER BY ord`,
      );
      const [counts] = await rows(`SELECT (SELECT count(*) FROM mp) AS p, (SELECT count(*) FROM mc) AS c`);
      if (Number(counts.p) === 0) throw new MicrodataError(`${show("persons.parquet")}: no persons`);
      return new Microdata(db, conn, removeSpill, dir, Y, Number(counts.p), Number(counts.c), personReads, claimReads);
    } catch (e) {
      conn.closeSync();
      db.closeSync();
      removeSpill();
      process.off("exit", removeSpill);
      if (e instanceof MicrodataError) throw e;
      // A file DuckDB cannot read past its schema (a damaged row group …): its first line.
      throw new MicrodataError(`${showText(dir, 200)}: DuckDB could not read the data (${showText(String((e as Error).message).split("\n")[0], 200)})`);
    }
  }

  /** Persons firstId … firstId + count − 1 (in id order) and their claims. */
  async read(firstId: number, count: number): Promise<MicrodataChunk> {
    const where = `WHERE idx >= ${firstId} AND idx < ${firstId + count}`;
    const p = await this.columns(`SELECT ${this.personReads.map((r) => q(r.key)).join(", ")} FROM mp ${where} ORDER BY idx`, this.personReads, count);
    const [{ n }] = (await this.conn.runAndReadAll(`SELECT count(*) AS n FROM mc WHERE person >= ${firstId} AND person < ${firstId + count}`)).getRowObjectsJS() as { n: bigint }[];
    const length = Number(n);
    const c = await this.columns(
      `SELECT ${this.claimReads.map((r) => q(r.key)).join(", ")} FROM mc WHERE person >= ${firstId} AND person < ${firstId + count} ORDER BY ord`,
      this.claimReads,
      length,
    );
    const ageBand = new Uint8Array(count);
    const age = p.age as Uint8Array;
    for (let i = 0; i < count; i++) ageBand[i] = ageBandCode(age[i]);
    const claimStart = new Uint32Array(count + 1);
    const person = c.person as Uint32Array;
    for (let j = 0; j < length; j++) claimStart[person[j] - firstId + 1]++;
    for (let i = 0; i < count; i++) claimStart[i + 1] += claimStart[i];
    return {
      persons: { ...(p as unknown as MicrodataChunk["persons"]), firstId, count, ageBand, claimStart },
      claims: { ...(c as unknown as MicrodataChunk["claims"]), length },
    };
  }

  /** A query's columns as typed arrays, from the bytes of DuckDB's vectors (the types are cast in
   *  the working copy, and nothing there is NULL). */
  private async columns(sql: string, reads: Read[], rows: number): Promise<Record<string, Uint8Array | Int32Array | Uint32Array>> {
    const out: Record<string, Uint8Array | Int32Array | Uint32Array> = {};
    for (const r of reads) out[r.key] = new CTOR[r.type](rows);
    const result = await this.conn.run(sql);
    let at = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const n = chunk.rowCount;
      if (at + n > rows) throw new Error(`microdata: more rows than counted (${at + n} > ${rows})`);
      reads.forEach((r, k) => {
        const a = out[r.key];
        const width = a.BYTES_PER_ELEMENT;
        const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, k), n * width);
        new Uint8Array(a.buffer, a.byteOffset + at * width, n * width).set(bytes);
      });
      at += n;
    }
    if (at !== rows) throw new Error(`microdata: ${at} rows read, ${rows} counted`);
    return out;
  }

  close(): void {
    try {
      this.conn.closeSync();
      this.db.closeSync();
    } finally {
      this.removeSpill();
      process.off("exit", this.removeSpill);
    }
  }
}

/** The format as `fundsim run --help` and the README show it. */
export function formatTable(): string {
  const line = (c: MicroColumn) => `  ${c.name.padEnd(24)}${(c.kind === "date" ? "DATE" : c.kind === "flag" ? "BOOLEAN" : c.kind === "fen" ? "integer, fen" : "integer").padEnd(14)}${c.doc}${c.required ? "" : `; absent: ${c.absent}`}`;
  const block = (file: string, cols: MicroColumn[]) =>
    `${file}, required:\n${cols.filter((c) => c.required).map(line).join("\n")}\n${file}, optional:\n${cols.filter((c) => !c.required).map(line).join("\n")}`;
  return `${block("persons.parquet", MICRO_PERSONS)}\n${block("claims.parquet", MICRO_CLAIMS)}`;
}
