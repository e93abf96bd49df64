// The whole pipeline for one or more city-years: generate and adjudicate chunks (on worker
// threads), load the claim cube and the person rows into DuckDB, and write the summaries — all
// SQL (summaries.ts) — as Parquet (and CSV on request). Outputs go to a temporary directory that
// is renamed into place only when complete.
import { rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { FundFlows } from "../model/fund.ts";
import { CITIES } from "../model/types.ts";
import { type ChunkContext, newFlowsPair, type PersonRows, runChunkTask } from "./chunk-task.ts";
import { buildContext, type RunSpec } from "./context.ts";
import { CUBE_CELLS, type Cube, cellCoordinates, emptyCube, EXCLUSION_CELLS, MEASURES, mergeCube } from "./cube.ts";
import { appendColumns, createTableFor, lit } from "./duckdb.ts";
import { writeAtomically } from "./output-dir.ts";
import { writeSummaries } from "./summaries.ts";
import { loadFinance } from "../loaders/finance.ts";
import { KINDS } from "../model/types.ts";

export interface CityRunOptions extends RunSpec {
  persons: number;
  chunkSize: number;
  threads: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CityRunResult {
  city: string;
  persons: number;
  claims: number;
  flows: [FundFlows, FundFlows];
  seconds: number;
}


/** Simulate one city-year into the DuckDB tables `cube`, `exclusions`, `persons`, `meta`. */
export async function simulateCity(conn: DuckDBConnection, o: CityRunOptions): Promise<CityRunResult> {
  const t0 = performance.now();
  const cityCode = CITIES.indexOf(o.city);
  const tasks: Array<{ firstId: number; count: number }> = [];
  for (let first = 0; first < o.persons; first += o.chunkSize) tasks.push({ firstId: first, count: Math.min(o.chunkSize, o.persons - first) });
  let done = 0;
  const cube = emptyCube();
  const flows = newFlowsPair();
  let claims = 0;
  let personsTableReady = false;

  const ingest = async (rows: PersonRows) => {
    const cols = { city: new Uint8Array(rows.count).fill(cityCode), ...columnsOf(rows) };
    if (!personsTableReady) {
      await createTableFor(conn, "persons", cols);
      personsTableReady = true;
    }
    await appendColumns(conn, "persons", cols, rows.count);
    for (let i = 0; i < rows.count; i++) claims += rows.claims[i];
    o.onProgress?.(++done, tasks.length);
  };

  const threads = Math.max(1, Math.min(o.threads, tasks.length));
  if (threads === 1) {
    const ctx: ChunkContext = buildContext(o);
    for (const t of tasks) await ingest(runChunkTask(ctx, t.firstId, t.count, cube, flows));
  } else {
    await runOnWorkers(o, tasks, threads, ingest, (c, f) => {
      mergeCube(cube, c);
      for (let s = 0; s < 2; s++) mergeFlows(flows[s], f[s]);
    });
  }
  await loadCube(conn, cityCode, cube);
  const { finance } = loadFinance(o.city);
  await conn.run(`CREATE TABLE IF NOT EXISTS meta (city UTINYINT, city_id VARCHAR, scenario VARCHAR, year INTEGER, seed UBIGINT, persons INTEGER,
    insured INTEGER, chronic_fund_fen BIGINT, opening_reserve_months DOUBLE)`);
  const scenarioName = o.scenario?.name ?? "reform";
  await conn.run(
    `INSERT INTO meta VALUES (${cityCode}, ${lit(o.city)}, ${lit(scenarioName)}, ${o.year}, ${o.seed}, ${o.persons}, ${finance.insured}, ${finance.chronicFundPerEnrolleeFen}, ${finance.openingReserveMonths})`,
  );
  return { city: o.city, persons: o.persons, claims, flows, seconds: (performance.now() - t0) / 1000 };
}

function columnsOf(rows: PersonRows) {
  const { count: _count, ...cols } = rows;
  return cols;
}

function mergeFlows(into: FundFlows, from: FundFlows): void {
  for (const k of Object.keys(into) as Array<keyof FundFlows>) {
    if (Array.isArray(into[k])) (into[k] as number[]).forEach((_, i) => ((into[k] as number[])[i] += (from[k] as number[])[i]));
    else (into as unknown as Record<string, number>)[k] += (from as unknown as Record<string, number>)[k];
  }
}

async function runOnWorkers(
  spec: RunSpec,
  tasks: Array<{ firstId: number; count: number }>,
  threads: number,
  ingest: (rows: PersonRows) => Promise<void>,
  merge: (cube: Cube, flows: [FundFlows, FundFlows]) => void,
): Promise<void> {
  const queue = [...tasks];
  // Backpressure: rows wait for the main thread's DuckDB appends. At most MAX_WAITING chunks of
  // rows may wait; a worker gets its next chunk only when there is room, so memory stays bounded
  // by the chunk size whatever the population.
  const MAX_WAITING = 2;
  let waiting = 0;
  const parked: Array<() => void> = [];
  let ingesting = Promise.resolve();
  const workerData: RunSpec = { city: spec.city, year: spec.year, seed: spec.seed, scenario: spec.scenario, scenarioSource: spec.scenarioSource };
  const workers = Array.from({ length: threads }, () => new Worker(new URL("./worker-entry.mjs", import.meta.url), { workerData }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolvePromise, reject) => {
            const next = () => {
              const t = queue.shift();
              w.postMessage(t ? { type: "chunk", ...t } : { type: "finish" });
            };
            w.on("message", (m: { type: string; rows?: PersonRows; cube?: Cube; flows?: [FundFlows, FundFlows]; message?: string }) => {
              if (m.type === "rows") {
                waiting++;
                ingesting = ingesting
                  .then(() => ingest(m.rows!))
                  .then(() => {
                    waiting--;
                    parked.shift()?.();
                  }, reject);
                if (waiting < MAX_WAITING) next();
                else parked.push(next);
              } else if (m.type === "done") {
                merge(m.cube!, m.flows!);
                resolvePromise();
              } else if (m.type === "error") reject(new Error(m.message));
            });
            w.on("error", reject);
            w.on("exit", (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
            next();
          }),
      ),
    );
    await ingesting;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
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

export interface PipelineOptions {
  cities: Array<(typeof CITIES)[number]>;
  year: number;
  seed: number;
  persons: number;
  chunkSize?: number;
  threads?: number;
  scenario: RunSpec["scenario"];
  scenarioSource?: string;
  out: string;
  csv: boolean;
  /** DuckDB's memory limit (e.g. "1GB"). */
  memoryLimit?: string;
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
}

export async function runPipeline(o: PipelineOptions): Promise<{ results: CityRunResult[]; files: string[]; headline: Headline[] }> {
  return writeAtomically(o.out, async (tmp) => {
  // A file-backed working database with a memory limit: DuckDB spills to disk, so a run's memory
  // stays bounded by the chunk size, not the population (the persons table of a 20 M run is GBs).
  const db = await DuckDBInstance.create(join(tmp, "work.duckdb"), {
    threads: String(o.threads ?? 2),
    memory_limit: o.memoryLimit ?? "1GB",
    temp_directory: join(tmp, "spill"),
  });
  const conn = await db.connect();
  let closed = false;
  try {
    const results: CityRunResult[] = [];
    for (const city of o.cities) {
      results.push(
        await simulateCity(conn, {
          city,
          year: o.year,
          seed: o.seed,
          scenario: o.scenario,
          scenarioSource: o.scenarioSource,
          persons: o.persons,
          chunkSize: o.chunkSize ?? 65_536,
          threads: o.threads ?? Math.min(2, cpus().length),
          onProgress: (d, t) => o.onProgress?.(city, d, t),
        }),
      );
    }
    const files = await writeSummaries(conn, tmp, o.csv);
    const headline = (
      await conn.runAndReadAll(`
        SELECT r.city, i.delta_city_wan AS income_wan, o.delta_city_wan AS outflow_wan, n.delta_city_wan AS net_wan,
          b.months_closing AS months_baseline, r.months_closing AS months_reform
        FROM reserve r JOIN reserve b ON r.city = b.city AND r.scheme = 'reform' AND b.scheme = 'baseline'
        JOIN impact i ON i.city = r.city AND i.line = 'pooled_income_fen'
        JOIN impact o ON o.city = r.city AND o.line = 'pooled_outflow_fen'
        JOIN impact n ON n.city = r.city AND n.line = 'pooled_net_fen' ORDER BY r.city`)
    ).getRowObjectsJS() as unknown as Headline[];
    conn.closeSync();
    db.closeSync();
    closed = true;
    rmSync(join(tmp, "work.duckdb"), { force: true });
    rmSync(join(tmp, "work.duckdb.wal"), { force: true });
    rmSync(join(tmp, "spill"), { recursive: true, force: true });
    writeFileSync(
      join(tmp, "run.json"),
      JSON.stringify(
        { year: o.year, seed: o.seed, persons: o.persons, scenario: o.scenario?.name ?? "reform", cities: results.map((r) => ({ city: r.city, persons: r.persons, claims: r.claims, seconds: r.seconds })) },
        null,
        2,
      ) + "\n",
    );
    return { results, files: [...files, "run.json"], headline };
  } finally {
    if (!closed) {
      conn.closeSync();
      db.closeSync();
    }
  }
  });
}
