// The whole pipeline for one or more city-years: generate and adjudicate chunks (on worker
// threads), each thread summing its chunks into fixed-size cubes (claims: cube.ts; persons:
// person-cube.ts); the merged cubes are loaded into DuckDB and the summaries — all SQL
// (summaries.ts) — written as Parquet (and CSV on request). No per-person row leaves a thread, so
// memory is bounded by the chunk size, and the main thread has nothing to do until the end.
// Outputs go to a temporary directory that is renamed into place only when complete.
import { rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type FundFlows, mergeFlows } from "../model/fund.ts";
import { cityIds } from "../loaders/cities.ts";
import type { EngineClaims } from "../model/engine.ts";
import { adjudicateChunk, type ChunkContext, type ChunkSums, newFlowsPair, runChunkTask, type TaskPersons } from "./chunk-task.ts";
import { buildContext, type RunSpec } from "./context.ts";
import { CUBE_CELLS, type Cube, cellCoordinates, emptyCube, EXCLUSION_CELLS, MEASURES, mergeCube } from "./cube.ts";
import { appendColumns, createTableFor, lit } from "./duckdb.ts";
import { writeAtomically } from "./output-dir.ts";
import type { OutputTarget } from "./output-target.ts";
import {
  CELL_DIMS, emptyPersonCube, GAIN_BINS, mergePersonCube, type PackedPersonCube, PERSON_CELLS, PERSON_MEASURES, type PersonCube,
  personCellCoordinates, SPEND_BINS, SPEND_MEASURES,
} from "./person-cube.ts";
import { writeSummaries } from "./summaries.ts";
import { workerSource } from "./worker-source.ts";
import type { WorkerMessage } from "./worker.ts";
import { loadFinance } from "../loaders/finance.ts";
import { openingMonthsIn } from "../model/finance.ts";
import { KINDS } from "../model/types.ts";

/** Persons given rather than generated: a bureau's microdata (src/loaders/microdata.ts), read on
 *  the main thread chunk by chunk, persons in a fixed order 0 … persons − 1. */
export interface PersonSource {
  persons: number;
  /** Display name (run.json). */
  dir: string;
  read(first: number, count: number): Promise<{ persons: TaskPersons; claims: EngineClaims }>;
}

export interface CityRunOptions extends RunSpec {
  /** Persons generated; with `data`, the data's persons. */
  persons: number;
  data?: PersonSource;
  chunkSize: number;
  /** Persons simulated so far, of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface CityRunResult {
  city: string;
  persons: number;
  claims: number;
  flows: [FundFlows, FundFlows];
  seconds: number;
}

/** Simulate one city-year into the DuckDB tables `cube`, `exclusions`, the person cube's
 *  `person_cells`, `gain_hist`, `spend_bins`, `spend_gain`, and `meta`. With a worker pool the
 *  chunks run on its threads, else on this one. */
export async function simulateCity(conn: DuckDBConnection, o: CityRunOptions, pool?: WorkerPool | Promise<WorkerPool>): Promise<CityRunResult> {
  const t0 = performance.now();
  const cityCode = cityIds().indexOf(o.city);
  let done = 0;
  const progress = (persons: number) => o.onProgress?.((done += persons), o.persons);
  const sums: ChunkSums = { cube: emptyCube(), persons: emptyPersonCube(), flows: newFlowsPair() };

  const ctx: ChunkContext = buildContext(o);
  if (!pool) {
    for (let first = 0; first < o.persons; first += o.chunkSize) {
      const count = Math.min(o.chunkSize, o.persons - first);
      if (o.data) {
        const { persons, claims } = await o.data.read(first, count);
        adjudicateChunk(ctx, persons, claims, sums);
      } else runChunkTask(ctx, first, count, sums);
      progress(count);
    }
  } else {
    // The pool may still be starting: the context above was built meanwhile.
    await (await pool).run(ctx, o, progress, (cube, persons, flows) => {
      mergeCube(sums.cube, cube);
      mergePersonCube(sums.persons, persons);
      for (let s = 0; s < 2; s++) mergeFlows(sums.flows[s], flows[s]);
    });
  }
  await loadCube(conn, cityCode, sums.cube);
  await loadPersonCube(conn, cityCode, sums.persons);
  const { finance } = loadFinance(o.city);
  await conn.run(`CREATE TABLE IF NOT EXISTS meta (city UTINYINT, city_id VARCHAR, scenario VARCHAR, year INTEGER, seed UBIGINT, persons INTEGER,
    insured INTEGER, chronic_fund_fen BIGINT, opening_reserve_months DOUBLE)`);
  const scenarioName = o.scenario?.name ?? "reform";
  await conn.run(
    `INSERT INTO meta VALUES (${cityCode}, ${lit(o.city)}, ${lit(scenarioName)}, ${o.year}, ${o.seed}, ${o.persons}, ${finance.insured}, ${finance.chronicFundPerEnrolleeFen}, ${openingMonthsIn(finance, o.year)})`,
  );
  return { city: o.city, persons: o.persons, claims: sums.flows[0].claims, flows: sums.flows, seconds: (performance.now() - t0) / 1000 };
}

/** The smallest chunk the guided scheduling hands out (~25 ms of work). */
const MIN_CHUNK = 4096;

type Merge = (cube: Cube, persons: PackedPersonCube, flows: [FundFlows, FundFlows]) => void;

/** Worker threads kept for a whole run, started from the bundled worker (worker-source.ts). */
export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  static async start(threads: number): Promise<WorkerPool> {
    const code = await workerSource();
    return new WorkerPool(Array.from({ length: threads }, () => new Worker(code, { eval: true })));
  }

  /** One city-year. Chunks are handed out one at a time to whichever worker is free, so a slow
   *  chunk does not hold up the others; near the end they shrink (guided scheduling: a share of
   *  what remains, down to MIN_CHUNK), so the workers finish together instead of one idling while
   *  the other ends a full chunk. The results do not depend on where chunks start (each person's
   *  draws depend only on the seed and their id; the cubes hold integer sums). Each worker keeps
   *  its own sums and sends them once, when the queue is empty. */
  async run(ctx: ChunkContext, o: CityRunOptions, progress: (persons: number) => void, merge: Merge): Promise<void> {
    let nextFirst = 0;
    const threads = this.workers.length;
    // Microdata chunks are read one at a time (one DuckDB connection), each posted to the worker
    // that asked as soon as it is read.
    let reading: Promise<void> = Promise.resolve();
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolvePromise, reject) => {
            let count = 0;
            const next = () => {
              const left = o.persons - nextFirst;
              if (left > 0) {
                const firstId = nextFirst;
                count = Math.min(left, o.chunkSize, Math.max(MIN_CHUNK, Math.ceil(left / threads)));
                nextFirst += count;
                const data = o.data;
                if (!data) w.postMessage({ type: "chunk", firstId, count } satisfies WorkerMessage);
                else {
                  reading = reading
                    .then(() => data.read(firstId, count))
                    .then(({ persons, claims }) => w.postMessage({ type: "data", persons, claims } satisfies WorkerMessage, transferList(persons, claims)), fail);
                }
              } else w.postMessage({ type: "finish" } satisfies WorkerMessage);
            };
            const onMessage = (m: { type: string; cube?: Cube; persons?: PackedPersonCube; flows?: [FundFlows, FundFlows]; message?: string }) => {
              if (m.type === "chunk-done") {
                progress(count);
                next();
              } else if (m.type === "done") {
                if (m.cube) merge(m.cube, m.persons!, m.flows!);
                settle();
                resolvePromise();
              } else if (m.type === "error") fail(new Error(m.message));
            };
            const onExit = (code: number) => fail(new Error(`worker exited with ${code}`));
            const fail = (e: Error) => {
              settle();
              reject(e);
            };
            const settle = () => {
              w.off("message", onMessage);
              w.off("error", fail);
              w.off("exit", onExit);
            };
            w.on("message", onMessage);
            w.on("error", fail);
            w.on("exit", onExit);
            w.postMessage({ type: "city", ctx } satisfies WorkerMessage);
            next();
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The buffers of a chunk's typed arrays, handed to the worker rather than copied. */
function transferList(...parts: object[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const part of parts) for (const a of Object.values(part)) if (ArrayBuffer.isView(a)) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}

async function loadCube(conn: DuckDBConnection, cityCode: number, cube: Cube): Promise<void> {
  const C = CUBE_CELLS;
  const cells: number[] = [];
  for (let i = 0; i < C; i++) if (cube.values[i] > 0) cells.push(i);
  const n = cells.length;
  const dims = ["scheme", "status", "age_band", "level", "kind", "month", "outcome"];
  const cols: Record<string, Uint8Array | Float64Array> = { city: new Uint8Array(n).fill(cityCode) };
  for (const d of dims) cols[d] = new Uint8Array(n);
  MEASURES.forEach((m) => (cols[m] = new Float64Array(n)));
  cells.forEach((cell, r) => {
    cellCoordinates(cell).forEach((v, i) => ((cols[dims[i]] as Uint8Array)[r] = v));
    MEASURES.forEach((m, k) => ((cols[m] as Float64Array)[r] = cube.values[k * C + cell]));
  });
  await createTableFor(conn, "cube", cols);
  await appendColumns(conn, "cube", cols, n);

  const ex = { city: new Uint8Array(0), scheme: new Uint8Array(0), exclusion: new Uint8Array(0), kind: new Uint8Array(0), claims: new Float64Array(0), amount_fen: new Float64Array(0) };
  const rows: number[] = [];
  for (let e = 0; e < EXCLUSION_CELLS; e++) if (cube.exclusions[e] > 0) rows.push(e);
  const m = rows.length;
  const exc = { city: new Uint8Array(m).fill(cityCode), scheme: new Uint8Array(m), exclusion: new Uint8Array(m), kind: new Uint8Array(m), claims: new Float64Array(m), amount_fen: new Float64Array(m) };
  rows.forEach((e, r) => {
    exc.kind[r] = e % KINDS.length;
    const rest = Math.floor(e / KINDS.length);
    exc.exclusion[r] = rest % 9;
    exc.scheme[r] = Math.floor(rest / 9);
    exc.claims[r] = cube.exclusions[e];
    exc.amount_fen[r] = cube.exclusions[EXCLUSION_CELLS + e];
  });
  await createTableFor(conn, "exclusions", ex);
  await appendColumns(conn, "exclusions", exc, m);
}

/** The person cube's four tables (occupied rows only); see person-cube.ts and summaries.ts. */
async function loadPersonCube(conn: DuckDBConnection, cityCode: number, pc: PersonCube): Promise<void> {
  const PM = PERSON_MEASURES.length;
  const occupied: number[] = [];
  for (let c = 0; c < PERSON_CELLS; c++) if (pc.cells[c * PM] > 0) occupied.push(c); // measure 0 is persons
  const dims = (cells: number[]) => {
    const cols: Record<string, Uint8Array> = { city: new Uint8Array(cells.length).fill(cityCode) };
    for (const d of CELL_DIMS) cols[d] = new Uint8Array(cells.length);
    cells.forEach((cell, r) => personCellCoordinates(cell).forEach((v, i) => (cols[CELL_DIMS[i]][r] = v)));
    return cols;
  };
  const cells: Record<string, Uint8Array | Uint16Array | Uint32Array | Float64Array> = dims(occupied);
  PERSON_MEASURES.forEach((m, k) => (cells[m] = Float64Array.from(occupied, (c) => pc.cells[c * PM + k])));
  await createTableFor(conn, "person_cells", cells);
  await appendColumns(conn, "person_cells", cells, occupied.length);

  const histCell: number[] = [];
  const histBin: number[] = [];
  for (const c of occupied) for (let g = 0; g < GAIN_BINS; g++) if (pc.gainHist[c * GAIN_BINS + g] > 0) (histCell.push(c), histBin.push(g));
  const hist: Record<string, Uint8Array | Uint16Array | Uint32Array> = {
    ...dims(histCell),
    gain_bin: Uint16Array.from(histBin),
    persons: Uint32Array.from(histCell, (c, r) => pc.gainHist[c * GAIN_BINS + histBin[r]]),
  };
  await createTableFor(conn, "gain_hist", hist);
  await appendColumns(conn, "gain_hist", hist, histCell.length);

  const bins: number[] = [];
  for (let b = 0; b < SPEND_BINS; b++) if (pc.spend[b] > 0) bins.push(b);
  const spend: Record<string, Uint8Array | Uint16Array | Float64Array> = { city: new Uint8Array(bins.length).fill(cityCode), spend_bin: Uint16Array.from(bins) };
  SPEND_MEASURES.forEach((m, k) => (spend[m] = Float64Array.from(bins, (b) => pc.spend[k * SPEND_BINS + b])));
  await createTableFor(conn, "spend_bins", spend);
  await appendColumns(conn, "spend_bins", spend, bins.length);

  const { keys: slots, counts: slotCounts, size } = pc.joint;
  const joint = { city: new Uint8Array(size).fill(cityCode), spend_bin: new Uint16Array(size), gain_bin: new Uint16Array(size), persons: new Uint32Array(size) };
  for (let i = 0, r = 0; i < slots.length; i++) {
    if (slots[i] === -1) continue;
    joint.spend_bin[r] = Math.floor(slots[i] / GAIN_BINS);
    joint.gain_bin[r] = slots[i] % GAIN_BINS;
    joint.persons[r++] = slotCounts[i];
  }
  await createTableFor(conn, "spend_gain", joint);
  await appendColumns(conn, "spend_gain", joint, size);
}

export interface PipelineOptions {
  cities: Array<string>;
  year: number;
  seed: number;
  /** Persons generated per city; with `data`, ignored (the data's persons). */
  persons: number;
  /** A bureau's persons instead of generated ones (one city). */
  data?: PersonSource;
  chunkSize?: number;
  threads?: number;
  scenario: RunSpec["scenario"];
  scenarioSource?: string;
  /** The output directory: a path, or `fundsim run`'s checked target (src/pipeline/output-target.ts). */
  out: string | OutputTarget;
  csv: boolean;
  /** DuckDB's memory limit (e.g. "1GB"). */
  memoryLimit?: string;
  /** Persons simulated so far in a city, of its total. */
  onProgress?: (city: string, done: number, total: number) => void;
}

/** Run the cities and write the summaries into `out` atomically. */
export interface Headline {
  city: string;
  income_wan: number;
  outflow_wan: number;
  net_wan: number;
  months_baseline: number;
  months_reform: number;
  /** The same on NHSA's bulletin basis (retiree credits are account income, not pooled outflow). */
  nhsa_income_wan: number;
  nhsa_spending_wan: number;
  nhsa_months_baseline: number;
  nhsa_months_reform: number;
}

export async function runPipeline(o: PipelineOptions): Promise<{ results: CityRunResult[]; files: string[]; headline: Headline[] }> {
  return writeAtomically(typeof o.out === "string" ? { out: o.out, command: "run" } : o.out, async (tmp) => {
  const chunkSize = o.chunkSize ?? 65_536;
  if (o.data && o.cities.length !== 1) throw new Error("runPipeline: microdata are one city's");
  const persons = o.data?.persons ?? o.persons;
  const threads = Math.min(o.threads ?? Math.min(2, cpus().length), Math.ceil(persons / chunkSize));
  // The workers start (bundle, then threads) while the database opens and the first context is built.
  let pool = threads > 1 ? WorkerPool.start(threads) : undefined;
  pool?.catch(() => {}); // a failure surfaces where the pool is awaited
  // An in-memory working database: it holds only the merged cubes (fixed-size, or for the sparse
  // spending × gain histogram a few million rows at most), never a row per person. The memory
  // limit and spill directory are a guard, not the normal path.
  let db: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  try {
    db = await DuckDBInstance.create(":memory:", {
      threads: String(o.threads ?? 2),
      memory_limit: o.memoryLimit ?? "1GB",
      temp_directory: join(tmp, "spill"),
    });
    conn = await db.connect();
    const results: CityRunResult[] = [];
    for (const city of o.cities) {
      results.push(
        await simulateCity(
          conn,
          {
            city,
            year: o.year,
            seed: o.seed,
            scenario: o.scenario,
            scenarioSource: o.scenarioSource,
            persons,
            data: o.data,
            chunkSize,
            onProgress: (d, t) => o.onProgress?.(city, d, t),
          },
          pool,
        ),
      );
    }
    await closePool(pool);
    pool = undefined;
    const files = await writeSummaries(conn, tmp, o.csv);
    const headline = (
      await conn.runAndReadAll(`
        SELECT r.city, i.delta_city_wan AS income_wan, o.delta_city_wan AS outflow_wan, n.delta_city_wan AS net_wan,
          b.months_closing AS months_baseline, r.months_closing AS months_reform,
          ni.delta_city_wan AS nhsa_income_wan, ns.delta_city_wan AS nhsa_spending_wan,
          b.nhsa_months_closing AS nhsa_months_baseline, r.nhsa_months_closing AS nhsa_months_reform
        FROM reserve r JOIN reserve b ON r.city = b.city AND r.scheme = 'reform' AND b.scheme = 'baseline'
        JOIN impact i ON i.city = r.city AND i.line = 'pooled_income_fen'
        JOIN impact o ON o.city = r.city AND o.line = 'pooled_outflow_fen'
        JOIN impact n ON n.city = r.city AND n.line = 'pooled_net_fen'
        JOIN impact ni ON ni.city = r.city AND ni.line = 'nhsa_pooled_income_fen'
        JOIN impact ns ON ns.city = r.city AND ns.line = 'nhsa_pooled_spending_fen' ORDER BY r.city`)
    ).getRowObjectsJS() as unknown as Headline[];
    conn.closeSync();
    conn = undefined;
    db.closeSync();
    db = undefined;
    rmSync(join(tmp, "spill"), { recursive: true, force: true });
    writeFileSync(
      join(tmp, "run.json"),
      JSON.stringify(
        { year: o.year, seed: o.seed, persons, ...(o.data ? { data: o.data.dir } : {}), scenario: o.scenario?.name ?? "reform", cities: results.map((r) => ({ city: r.city, persons: r.persons, claims: r.claims, seconds: r.seconds })) },
        null,
        2,
      ) + "\n",
    );
    return { results, files: [...files, "run.json"], headline };
  } finally {
    await closePool(pool);
    conn?.closeSync();
    db?.closeSync();
  }
  });
}

async function closePool(pool: Promise<WorkerPool> | undefined): Promise<void> {
  await (await pool?.catch(() => undefined))?.close();
}
