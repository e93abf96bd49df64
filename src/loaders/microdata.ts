// A bureau's own microdata: its insured persons and their claims for one year, as DIR/persons and
// DIR/claims (each .parquet or .csv) in the columns `fundsim simulate` writes — the format in
// microdata/format.ts, documented in docs/data.md — read with DuckDB, checked (microdata/checks.ts:
// every problem named by file, column and row, the first 20 then a count), and handed to the
// pipeline chunk by chunk in the generator's layout (persons in id order; each person's claims in
// date order, ties in file order).
//
// Memory: the files are copied once into a DuckDB working database (limit 1 GB, spilling to a
// temporary directory of its own, removed on close), ordered for the chunk reads; a chunk is read by
// copying DuckDB's vectors' bytes into typed arrays (the mirror of parquet.ts's writer).

import { mkdtempSync, rmSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import duckdb from "@duckdb/node-bindings";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { showText } from "../model/limits.ts";
import { ageBandCode, type ClaimColumns, NO_DAY, type PersonColumns } from "./population/columns.ts";
import { checkRows, openSource, problemsError, q, type Source } from "./microdata/checks.ts";
import { MICRO_CLAIMS, MICRO_PERSONS, type MicroColumn, MicrodataError } from "./microdata/format.ts";

export { formatTable, markdownTable, MICRO_CLAIMS, MICRO_PERSONS, type MicroColumn, MicrodataError } from "./microdata/format.ts";

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
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MicrodataError(`${showText(dir, 200)}: not a directory (the data are DIR/persons.parquet or .csv and DIR/claims.parquet or .csv)`);
    const spill = mkdtempSync(join(tmpdir(), "fundsim-microdata-"));
    // An interrupted run (the output's signal handler exits the process) leaves no spill behind.
    const removeSpill = () => rmSync(spill, { recursive: true, force: true });
    process.once("exit", removeSpill);
    const db = await DuckDBInstance.create(":memory:", { threads: "2", memory_limit: "1GB", temp_directory: spill });
    const conn = await db.connect();
    try {
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
      // Both files' columns first: every missing or mistyped column of either, together.
      const ps = await openSource(conn, dir, "persons", MICRO_PERSONS);
      const cs = await openSource(conn, dir, "claims", MICRO_CLAIMS);
      if (Array.isArray(ps) || Array.isArray(cs)) throw problemsError(dir, [...(Array.isArray(ps) ? ps : []), ...(Array.isArray(cs) ? cs : [])]);
      const P: Source = ps, C: Source = cs;

      if (year === undefined) {
        const [r] = await rows(`SELECT min(year("date")) AS lo, max(year("date")) AS hi FROM ${C.typed}`);
        if (r.lo === null) throw new MicrodataError(`${C.shown}: no claims to take the year from: give --year`);
        if (r.lo !== r.hi) throw new MicrodataError(`${C.shown}, column date: claims from ${r.lo} to ${r.hi}; a run covers one year: give --year`);
        else year = Number(r.lo);
        if (year < years.min || year > years.max) throw new MicrodataError(`${C.shown}, column date: the claims are of ${year}; the rules cover ${years.min}–${years.max}`);
      }
      const Y = year;
      const problems = await checkRows(conn, P, C, Y);
      if (problems.length) throw problemsError(dir, problems);

      // The working copy, ordered for the chunk reads (from the typed views: codes as codes, money in fen).
      const has = (s: Source, name: string) => s.cols.some((p) => p.c.name === name);
      const expr = (s: Source, spec: MicroColumn[], name: string) => (has(s, name) ? q(name) : spec.find((c) => c.name === name)!.fallback!);
      const pe = (name: string) => expr(P, MICRO_PERSONS, name);
      const ce = (name: string) => expr(C, MICRO_CLAIMS, name);
      const personReads: Read[] = [
        { key: "id", sql: "person", type: "UINTEGER" },
        { key: "status", sql: "status", type: "UTINYINT" },
        { key: "sex", sql: pe("sex"), type: "UTINYINT" },
        { key: "birthDay", sql: `birth_date - DATE '1970-01-01'`, type: "INTEGER" },
        { key: "retiredOnDay", sql: `COALESCE(${pe("retired_on")} - DATE '1970-01-01', ${NO_DAY})`, type: "INTEGER" },
        { key: "hasAccount", sql: pe("has_account"), type: "UTINYINT" },
        { key: "oldWorker", sql: pe("old_worker"), type: "UTINYINT" },
        { key: "twoDiseases", sql: pe("two_diseases"), type: "UTINYINT" },
        { key: "diseases", sql: has(P, "diseases") ? "diseases" : pe("two_diseases"), type: "UTINYINT" },
        { key: "chronic", sql: pe("chronic"), type: "UTINYINT" },
        { key: "registeredElsewhere", sql: pe("registered_elsewhere"), type: "UTINYINT" },
        { key: "contributionBaseFen", sql: "contribution_base_fen", type: "INTEGER" },
        { key: "pensionFen", sql: "pension_fen", type: "INTEGER" },
        { key: "age", sql: `${Y} - year(birth_date)`, type: "UTINYINT" },
        ...(has(P, "inpatient_expected_fen") ? [{ key: "inpatientExpectedFen", sql: "inpatient_expected_fen", type: "INTEGER" } as Read] : []),
        ...(has(P, "opening_balance_fen") ? [{ key: "openingBalanceFen", sql: "opening_balance_fen", type: "INTEGER" } as Read] : []),
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
        ...(has(C, "flags") ? [{ key: "flags", sql: "flags", type: "UTINYINT" } as Read] : []),
        ...(has(C, "not_chosen_facility") ? [{ key: "notChosenFacility", sql: "not_chosen_facility", type: "UTINYINT" } as Read] : []),
      ];
      const typed = (r: Read) => `CAST(${r.sql} AS ${r.type}) AS ${q(r.key)}`;
      await conn.run(
        `CREATE TABLE mp AS SELECT CAST(row_number() OVER (ORDER BY person) - 1 AS UINTEGER) AS idx, ${personReads.map(typed).join(", ")}
         FROM ${P.typed} ORDER BY person`,
      );
      // Each person's claims in date order, ties in file order (the engine's order): stored in that
      // order, which a scan keeps (preserve_insertion_order, DuckDB's default; read() checks it).
      await conn.run(
        `CREATE TABLE mc AS SELECT ${claimReads.map(typed).join(", ")}
         FROM (SELECT * EXCLUDE (person), person AS pid FROM ${C.typed}) c JOIN (SELECT idx, id FROM mp) mp ON c.pid = mp.id ORDER BY mp.idx, c."date", c.file_row_number`,
      );
      // The raw text of CSV files is no longer needed.
      for (const s of [P, C]) if (s.file.endsWith(".csv")) await conn.run(`DROP VIEW ${s.typed}; DROP TABLE raw_${s.name}`);
      const [counts] = await rows(`SELECT (SELECT count(*) FROM mp) AS p, (SELECT count(*) FROM mc) AS c`);
      if (Number(counts.p) === 0) throw new MicrodataError(`${P.shown}: no persons`);
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
      `SELECT ${this.claimReads.map((r) => q(r.key)).join(", ")} FROM mc WHERE person >= ${firstId} AND person < ${firstId + count}`,
      this.claimReads,
      length,
    );
    const ageBand = new Uint8Array(count);
    const age = p.age as Uint8Array;
    for (let i = 0; i < count; i++) ageBand[i] = ageBandCode(age[i]);
    const claimStart = new Uint32Array(count + 1);
    const person = c.person as Uint32Array;
    const day = c.day as Int32Array;
    for (let j = 0; j < length; j++) {
      // The stored order, checked: a scan that did not keep it would mis-assign claims.
      if (j > 0 && (person[j] < person[j - 1] || (person[j] === person[j - 1] && day[j] < day[j - 1]))) throw new Error(`microdata: claims out of order at ${j} of chunk ${firstId}`);
      claimStart[person[j] - firstId + 1]++;
    }
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
