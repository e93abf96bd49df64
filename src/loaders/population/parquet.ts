// Writes generated persons and claims to Parquet through DuckDB. Chunks go into DuckDB tables
// by copying the typed arrays' bytes straight into DataChunk vectors (copy_data_to_vector, the
// fastest path measured), then one COPY per table writes Parquet with a fixed row order
// (insertion order, one thread) so the same seed gives byte-identical files. Files are written
// under temporary names in the target directory and renamed only when both are complete.

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import duckdb from "@duckdb/node-bindings";
import { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, INTEGER, UINTEGER, UTINYINT, type DuckDBType } from "@duckdb/node-api";
import { CLAIM_PARQUET, PERSON_PARQUET, type Chunk, type ColumnSpec } from "./columns.ts";

const VECTOR = 2048;
const LOAD_TYPES: Record<ColumnSpec<string>["loadType"], DuckDBType> = { UTINYINT, INTEGER, UINTEGER };

export interface WriterOptions {
  /** Key-value metadata written into both files (city, year, seed, generator version …). */
  metadata: Record<string, string>;
  /** Temporary-name suffix; the default includes the process id. */
  tmpSuffix?: string;
}

type Spec = ColumnSpec<string>;

/** Appends one table's rows from typed arrays via raw DataChunks. */
class TableLoader {
  private readonly chunk: DuckDBDataChunk;
  constructor(
    readonly table: string,
    readonly specs: Spec[],
    private readonly appender: { appendDataChunk(c: DuckDBDataChunk): void; flushSync(): void; closeSync(): void },
  ) {
    this.chunk = DuckDBDataChunk.create(specs.map((s) => LOAD_TYPES[s.loadType]));
  }

  append(columns: Record<string, ArrayBufferView>, rows: number): void {
    const raw = this.chunk.chunk;
    for (let start = 0; start < rows; start += VECTOR) {
      const n = Math.min(VECTOR, rows - start);
      duckdb.data_chunk_reset(raw);
      for (let k = 0; k < this.specs.length; k++) {
        const a = columns[this.specs[k].key] as Uint8Array;
        const width = a.BYTES_PER_ELEMENT;
        const vector = duckdb.data_chunk_get_vector(raw, k);
        duckdb.copy_data_to_vector(vector, 0, a.buffer as ArrayBuffer, a.byteOffset + start * width, n * width);
      }
      duckdb.data_chunk_set_size(raw, n);
      this.appender.appendDataChunk(this.chunk);
    }
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

function createTableSql(table: string, specs: Spec[]): string {
  return `CREATE TABLE ${table} (${specs.map((s) => `"${s.key}" ${s.loadType}`).join(", ")})`;
}

function selectSql(table: string, specs: Spec[]): string {
  return `SELECT ${specs.map((s) => `${s.store.replaceAll("$", `"${s.key}"`)} AS ${s.name}`).join(", ")} FROM ${table}`;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

function kvMetadata(meta: Record<string, string>, specs: Spec[]): string {
  const entries: Record<string, string> = { ...meta };
  for (const s of specs) entries[`column.${s.name}`] = s.doc + (s.labels ? `; codes: ${s.labels.map((l, i) => `${i}=${l}`).join(", ")}` : "");
  return `{${Object.entries(entries)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(", ")}}`;
}

/** A Parquet writer for one run: add chunks in person order, then finish (or abort). */
export class PopulationParquetWriter {
  readonly personsPath: string;
  readonly claimsPath: string;
  readonly tmpPaths: string[];
  private persons!: TableLoader;
  private claims!: TableLoader;
  private finished = false;
  personRows = 0;
  claimRows = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly dir: string,
    private readonly options: WriterOptions,
  ) {
    this.personsPath = join(dir, "persons.parquet");
    this.claimsPath = join(dir, "claims.parquet");
    const suffix = options.tmpSuffix ?? `.tmp-${process.pid}`;
    this.tmpPaths = [join(dir, `.persons.parquet${suffix}`), join(dir, `.claims.parquet${suffix}`)];
  }

  static async open(dir: string, options: WriterOptions): Promise<PopulationParquetWriter> {
    mkdirSync(dir, { recursive: true });
    // One thread and insertion order: the Parquet bytes depend only on the rows.
    const instance = await DuckDBInstance.create(":memory:", { threads: "1", preserve_insertion_order: "true" });
    const conn = await instance.connect();
    const w = new PopulationParquetWriter(instance, conn, dir, options);
    await conn.run(createTableSql("persons", PERSON_PARQUET as Spec[]));
    await conn.run(createTableSql("claims", CLAIM_PARQUET as Spec[]));
    w.persons = new TableLoader("persons", PERSON_PARQUET as Spec[], await conn.createAppender("persons"));
    w.claims = new TableLoader("claims", CLAIM_PARQUET as Spec[], await conn.createAppender("claims"));
    return w;
  }

  add(chunk: Chunk): void {
    this.persons.append(chunk.persons as unknown as Record<string, ArrayBufferView>, chunk.persons.count);
    this.claims.append(chunk.claims as unknown as Record<string, ArrayBufferView>, chunk.claims.length);
    this.personRows += chunk.persons.count;
    this.claimRows += chunk.claims.length;
  }

  /** Writes both files under temporary names, then renames them into place. */
  async finish(): Promise<void> {
    this.persons.close();
    this.claims.close();
    const [tmpPersons, tmpClaims] = this.tmpPaths;
    for (const p of this.tmpPaths) rmSync(p, { force: true });
    const opts = (specs: Spec[]) => `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1048576, KV_METADATA ${kvMetadata(this.options.metadata, specs)})`;
    await this.conn.run(`COPY (${selectSql("persons", PERSON_PARQUET as Spec[])}) TO ${sqlString(tmpPersons)} ${opts(PERSON_PARQUET as Spec[])}`);
    await this.conn.run(`COPY (${selectSql("claims", CLAIM_PARQUET as Spec[])}) TO ${sqlString(tmpClaims)} ${opts(CLAIM_PARQUET as Spec[])}`);
    this.close();
    renameSync(tmpPersons, this.personsPath);
    renameSync(tmpClaims, this.claimsPath);
    this.finished = true;
  }

  /** Stops a running COPY and removes temporary files (safe to call from a signal handler). */
  abort(): void {
    if (this.finished) return;
    try {
      this.conn.interrupt();
    } catch {
      // already closed
    }
    this.removeTemporaries();
  }

  removeTemporaries(): void {
    for (const p of this.tmpPaths) if (existsSync(p)) rmSync(p, { force: true });
  }

  close(): void {
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } catch {
      // already closed
    }
  }
}
