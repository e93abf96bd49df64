// The Monte Carlo of `fundsim project` on every core: the draws split between the main thread and
// worker threads (each draw depends only on the seed and its index: src/model/projection/monte-carlo.ts
// drawRows), merged in draw order — the same result as one thread. A worker rebuilds the inputs
// from the run's options (policy, finance, assumptions, samples: all pure functions of them), then
// runs its share of the draws. Workers load the TypeScript sources through tsx (bin/fundsim.js
// does the same for the main thread): about a second to start, against a minute of draws.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { sampleOf } from "../loaders/projection-page.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import { bandsOf, type DrawContext, drawContext, type DrawsInput, type DrawsResult, drawRows } from "../model/projection/monte-carlo.ts";
import type { UncertaintySource } from "../model/projection/params.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import type { Scenario } from "../model/policy-schema.ts";
import type { CityId } from "../model/types.ts";

/** What a worker needs to rebuild a run's Monte Carlo inputs (structured-cloneable). */
export interface DrawsJob {
  city: CityId;
  scenario: Scenario | null;
  scenarioSource?: string;
  assumptionsFile?: string;
  baseYear: number;
  years: number;
  persons: number;
  samples: number;
  samplePersons: number;
  seed: number;
  draws: number;
  sources?: UncertaintySource[];
}

export { sampleOf };

/** The Monte Carlo inputs of a job (the same on every thread). */
export function drawsInputOf(job: DrawsJob): DrawsInput {
  const policy = loadPolicy(job.city);
  const scheme = job.scenario ? resolveScheme(policy, job.scenario, job.scenarioSource ?? "scenario") : policy.reform;
  const { finance } = loadFinance(job.city);
  return {
    reference: sampleOf(job.city, job.baseYear, job.seed, job.persons),
    samples: Array.from({ length: job.samples }, (_, i) => sampleOf(job.city, job.baseYear, job.seed + 1 + i, job.samplePersons)),
    baseYear: job.baseYear, years: job.years, scheme, baseline: policy.baseline, finance,
    assumptions: loadAssumptions(job.city, { file: job.assumptionsFile }), draws: job.draws, seed: job.seed, sources: job.sources,
    ...cityCohorts(job.city, job.baseYear, finance.insured),
  };
}

const WORKER = new URL("./project-draws-worker.ts", import.meta.url).href;
const TSX = import.meta.resolve("tsx/esm/api");

/** Draws from … to − 1 in a worker thread. */
function inWorker(job: DrawsJob, from: number, to: number, onDone: (n: number) => void): Promise<DrawsResult["draws"]> {
  return new Promise((resolve, reject) => {
    const code = `(async () => { const { register } = await import(${JSON.stringify(TSX)}); register(); await import(${JSON.stringify(WORKER)}); })();`;
    const w = new Worker(code, { eval: true, workerData: { job, from, to } });
    w.on("message", (m: { type: "progress"; done: number } | { type: "rows"; rows: DrawsResult["draws"] } | { type: "error"; message: string }) => {
      if (m.type === "progress") onDone(m.done);
      else if (m.type === "rows") resolve(m.rows);
      else reject(new Error(`a Monte Carlo worker failed: ${m.message}`));
    });
    w.on("error", reject);
    w.on("exit", (code) => code !== 0 && reject(new Error(`a Monte Carlo worker stopped with code ${code}`)));
  });
}

/**
 * The Monte Carlo of a job on `threads` threads (default: the machine's cores): the main thread
 * takes the first share of the draws, each worker the next. `ctx`, when given, is the main
 * thread's context already built (reused).
 */
export async function projectDrawsParallel(job: DrawsJob, { threads = availableParallelism(), ctx, onProgress }: { threads?: number; ctx?: DrawContext; onProgress?: (done: number, total: number) => void } = {}): Promise<DrawsResult> {
  const c = ctx ?? drawContext(drawsInputOf(job));
  const T = Math.max(1, Math.min(threads, Math.floor(job.draws / 50) || 1));
  const cut = (i: number) => Math.round((job.draws * i) / T);
  const done = new Array<number>(T).fill(0);
  const report = () => onProgress?.(done.reduce((a, b) => a + b, 0), job.draws);
  const workers = Array.from({ length: T - 1 }, (_, i) => inWorker(job, cut(i + 1), cut(i + 2), (n) => ((done[i + 1] = n), report())));
  // The main thread's share runs while the workers start and run theirs.
  const mine = drawRows(c, 0, cut(1), (n) => ((done[0] = n), report()));
  const rows = [mine, ...(await Promise.all(workers))].flat();
  return { sources: [...c.sources], bands: bandsOf(rows, job.baseYear, job.years), central: c.central, draws: rows };
}
