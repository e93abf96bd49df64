// The central projection of `fundsim project` on two threads: the reference sample generated on
// both (its chunks handed out by a shared counter, joined in order), then the scenario on the main
// thread and the baseline in a worker thread — the same sample and paths as one thread, in about
// half the time for a large reference sample (a 1 M-person projection: issue 13's speed goal). The
// worker does not prepare the sample again: it receives this thread's prepared projection (the
// sample's columns on shared memory, the per-person arrays derived from them copied) and the
// parameters, and re-attaches the schemes and finance it rebuilds from the run's options (pure
// functions of them; functions and class instances do not cross threads). Both threads only read
// the sample. Small samples stay on one thread: starting a worker and copying its data cost more.
import { Worker } from "node:worker_threads";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import { type Chunk, cityModel, joinChunks, type Model, takeChunks } from "../loaders/population/index.ts";
import { type ReferenceSample, sampleFrom } from "../loaders/projection-page.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import { type PreparedProjection, preparedSchemes, prepareProjection, projectScheme, type SchemeProjection } from "../model/projection/project.ts";
import { type DrawsJob, sampleOf } from "./project-draws.ts";

/** Reference samples from this size on are projected on two threads. */
export const PARALLEL_FROM = 200_000;

/** What a worker needs to rebuild a run's schemes (structured-cloneable): the Monte Carlo job's
 *  options that make the reference sample and the schemes. */
export type CentralJob = Pick<DrawsJob, "city" | "scenario" | "scenarioSource" | "assumptionsFile" | "baseYear" | "years" | "persons" | "seed">;

/** A prepared projection less its schemes and finance: what crosses to the worker. */
export type PreparedData = Omit<PreparedProjection, "schemes" | "finance">;
type Params = Parameters<typeof projectScheme>[1];

/** The schemes of a job (scenario, baseline) and the city's finance: the same on every thread. */
export function centralSchemesOf(job: CentralJob) {
  const policy = loadPolicy(job.city);
  const scenario = job.scenario ? resolveScheme(policy, job.scenario, job.scenarioSource ?? "scenario") : policy.reform;
  return { schemes: [scenario, policy.baseline], baseline: policy.baseline, finance: loadFinance(job.city).finance };
}

/** The prepared projection of a job (scenario, baseline) and its parameters; `sample`: the job's
 *  reference sample when already generated (CentralRun.sample). */
export function centralInputOf(job: CentralJob, sample: ReferenceSample = sampleOf(job.city, job.baseYear, job.seed, job.persons)) {
  const { schemes, baseline, finance } = centralSchemesOf(job);
  const a = loadAssumptions(job.city, { file: job.assumptionsFile });
  const prep = prepareProjection({
    sample, baseYear: job.baseYear, years: job.years,
    schemes, baseline, finance, ...cityCohorts(job.city, job.baseYear, finance.insured),
  });
  return { prep, params: a.params };
}

/** A worker's prepared projection: the data received, with the job's schemes and finance. */
export function preparedFrom(job: CentralJob, data: PreparedData): PreparedProjection {
  const { schemes, finance } = centralSchemesOf(job);
  return { ...data, schemes: preparedSchemes(schemes, data.baseYear, data.years), finance };
}

const WORKER = new URL("./project-central-worker.ts", import.meta.url).href;
const TSX = import.meta.resolve("tsx/esm/api");

/** Messages from a central worker: its chunks of the sample, its scheme's path, or its failure. */
export type WorkerMessage =
  | { type: "chunks"; chunks: Array<[number, Chunk]> }
  | { type: "scheme"; scheme: SchemeProjection }
  | { type: "error"; message: string };
/** Messages to a central worker: generate chunks as the shared counter hands them out, then project. */
export type ToWorker = { type: "generate"; model: Model; counter: SharedArrayBuffer; chunkSize: number } | { type: "project"; data: PreparedData; params: Params };

/** Persons per chunk of a sample generated on two threads: small enough that neither thread waits
 *  long for the other's last chunk (a 1 M sample in 62 chunks: 1.68 s against 1.82 s with 65 536),
 *  large enough that the per-chunk work is negligible. */
export const CHUNK = 16_384;

/** The chunk index counter shared by the threads generating a sample. */
export const takeFrom = (counter: SharedArrayBuffer) => {
  const c = new Int32Array(counter);
  return () => Atomics.add(c, 0, 1);
};

/** The ArrayBuffers under chunks' columns, each once: moved, not copied, to another thread. */
export function buffersOf(chunks: Array<[number, Chunk]>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const [, { persons, claims }] of chunks) {
    for (const v of [...Object.values(persons), ...Object.values(claims)]) if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
  }
  return [...out];
}

/** A worker thread that generates the chunks of the sample it takes when asked, then projects
 *  scheme `si` once it is sent the prepared data. Started early (it loads its modules while this
 *  thread loads the run's files) and unreferenced while it has nothing this thread waits for, so a
 *  run that fails before sending does not wait for it. */
export function centralWorker(job: CentralJob, si: number) {
  const code = `(async () => { const { register } = await import(${JSON.stringify(TSX)}); register(); await import(${JSON.stringify(WORKER)}); })();`;
  const w = new Worker(code, { eval: true, workerData: { job, si } });
  let chunksDone!: (c: Array<[number, Chunk]>) => void, chunksFailed!: (e: Error) => void;
  let schemeDone!: (s: SchemeProjection) => void, schemeFailed!: (e: Error) => void;
  const chunks = new Promise<Array<[number, Chunk]>>((resolve, reject) => ((chunksDone = resolve), (chunksFailed = reject)));
  const result = new Promise<SchemeProjection>((resolve, reject) => ((schemeDone = resolve), (schemeFailed = reject)));
  // Whatever is still awaited fails with it (a settled promise ignores the call).
  const failed = (e: Error) => (chunksFailed(e), schemeFailed(e));
  let projecting = false;
  w.on("message", (m: WorkerMessage) => {
    if (m.type === "chunks") {
      chunksDone(m.chunks);
      if (!projecting) w.unref();
    } else if (m.type === "scheme") schemeDone(m.scheme);
    else failed(new Error(`a projection worker failed: ${m.message}`));
  });
  w.on("error", (e) => failed(e));
  w.on("exit", (code) => failed(new Error(`a projection worker stopped with code ${code} before its result`)));
  // A failure while this thread works is reported when awaited, not as an unhandled rejection.
  chunks.catch(() => {});
  result.catch(() => {});
  // After the listeners: attaching a message listener refs the worker again.
  w.unref();
  return {
    /** Starts taking chunks of `chunkSize` persons of the job's `model` (this thread's, copied: the
     *  worker does not read the calibration files again) from `counter`; resolves to the chunks
     *  this worker took. */
    generate(model: Model, counter: SharedArrayBuffer, chunkSize: number): Promise<Array<[number, Chunk]>> {
      w.ref();
      w.postMessage({ type: "generate", model, counter, chunkSize } satisfies ToWorker);
      return chunks;
    },
    project(prep: PreparedProjection, params: Params): Promise<SchemeProjection> {
      const { schemes: _s, finance: _f, ...data } = prep;
      projecting = true;
      w.ref();
      w.postMessage({ type: "project", data, params } satisfies ToWorker);
      return result;
    },
    /** Ends the worker (this thread failed: its result is not wanted). */
    stop: () => void w.terminate(),
  };
}

/** A central projection under way: see startCentral. */
export interface CentralRun {
  /** The job's reference sample (sampleOf's): on both threads when the run has a worker. */
  sample(): Promise<ReferenceSample>;
  /** The scenario's and the baseline's paths from this thread's prepared projection of the job. */
  schemes(prep: PreparedProjection, params: Params): Promise<SchemeProjection[]>;
}

/**
 * The central projection of a job: on two threads when `threads` > 1 and the sample has at least
 * `from` persons, else on this thread alone. `sample()` gives the job's reference sample;
 * `schemes(prep, params)` gives the scenario's and the baseline's paths, `prep` being this thread's
 * prepared projection of the job (its schemes must be the job's: the worker rebuilds them). Call
 * each once, `sample()` (if at all) first. `chunkSize`: persons per chunk of the sample (any size
 * gives the same sample).
 */
export function startCentral(job: CentralJob, threads: number, from = PARALLEL_FROM, chunkSize = CHUNK): CentralRun {
  const worker = threads >= 2 && job.persons >= from ? centralWorker(job, 1) : null;
  const failing = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      worker?.stop();
      throw e;
    }
  };
  return {
    async sample() {
      if (!worker) return sampleOf(job.city, job.baseYear, job.seed, job.persons);
      // The model first: a broken calibration file is this thread's message, before the worker is asked.
      const model = failing(() => cityModel(job.city, job.baseYear));
      const counter = new SharedArrayBuffer(4);
      const theirs = worker.generate(model, counter, chunkSize);
      const chunks: Chunk[] = [];
      let mine = 0;
      failing(() => {
        for (const [i, c] of takeChunks(model, job.seed, job.persons, takeFrom(counter), chunkSize)) (chunks[i] = c), mine++;
      });
      // The worker's share (none if this thread took every chunk before the worker started).
      if (mine < Math.ceil(job.persons / chunkSize)) for (const [i, c] of await theirs) chunks[i] = c;
      // On shared memory: the prepared projection sent to the worker then carries the sample's
      // columns without copying them (both threads only read them).
      return sampleFrom(joinChunks(chunks, { shared: true }));
    },
    async schemes(prep, params) {
      if (!worker) return [0, 1].map((i) => projectScheme(prep, params, i));
      const baseline = worker.project(prep, params);
      const scenario = failing(() => projectScheme(prep, params, 0));
      return [scenario, await baseline];
    },
  };
}
