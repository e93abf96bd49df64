// The central projection of `fundsim project` on two threads: the scenario on the main thread and
// the baseline in a worker thread, which rebuilds the same inputs from the run's options (sample,
// cohorts, finance, assumptions: pure functions of them) — the same paths as one thread, in about
// half the time for a large reference sample (a 1 M-person projection: issue 13's speed goal).
// Small samples stay on one thread: starting a worker and rebuilding its sample cost more.
import { Worker } from "node:worker_threads";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import { type PreparedProjection, prepareProjection, projectScheme, type SchemeProjection } from "../model/projection/project.ts";
import { type DrawsJob, sampleOf } from "./project-draws.ts";

/** Reference samples from this size on are projected on two threads. */
export const PARALLEL_FROM = 200_000;

/** What a worker needs to rebuild a run's central projection: the Monte Carlo job's options that
 *  make the reference sample and the schemes (structured-cloneable). */
export type CentralJob = Pick<DrawsJob, "city" | "scenario" | "scenarioSource" | "assumptionsFile" | "baseYear" | "years" | "persons" | "seed">;

/** The prepared projection of a job (scenario, baseline) and its parameters: the same on every thread. */
export function centralInputOf(job: CentralJob) {
  const policy = loadPolicy(job.city);
  const scenario = job.scenario ? resolveScheme(policy, job.scenario, job.scenarioSource ?? "scenario") : policy.reform;
  const { finance } = loadFinance(job.city);
  const a = loadAssumptions(job.city, { file: job.assumptionsFile });
  const prep = prepareProjection({
    sample: sampleOf(job.city, job.baseYear, job.seed, job.persons), baseYear: job.baseYear, years: job.years,
    schemes: [scenario, policy.baseline], baseline: policy.baseline, finance, ...cityCohorts(job.city, job.baseYear, finance.insured),
  });
  return { prep, params: a.params };
}

const WORKER = new URL("./project-central-worker.ts", import.meta.url).href;
const TSX = import.meta.resolve("tsx/esm/api");

/** The baseline (scheme 1) of a job, projected in a worker thread. */
function baselineInWorker(job: CentralJob): Promise<SchemeProjection> {
  return new Promise((resolve, reject) => {
    const code = `(async () => { const { register } = await import(${JSON.stringify(TSX)}); register(); await import(${JSON.stringify(WORKER)}); })();`;
    const w = new Worker(code, { eval: true, workerData: { job } });
    w.on("message", (m: { type: "scheme"; scheme: SchemeProjection } | { type: "error"; message: string }) => {
      if (m.type === "scheme") resolve(m.scheme);
      else reject(new Error(`a projection worker failed: ${m.message}`));
    });
    w.on("error", reject);
    w.on("exit", (code) => code !== 0 && reject(new Error(`a projection worker stopped with code ${code}`)));
  });
}

/**
 * The central projection of a job: on two threads when `threads` > 1 and the sample has at least
 * `from` persons, else on this thread alone. `schemes(prep, params)` gives the scenario's and the
 * baseline's paths; `prep` is this thread's prepared projection of the same job. The worker starts
 * only then: built at the same time, the two 1 M-person samples compete for memory and the whole
 * took longer (37 s against 34 s for Lanzhou on this machine).
 */
export function startCentral(job: CentralJob, threads: number, from = PARALLEL_FROM): { schemes: (prep: PreparedProjection, params: Parameters<typeof projectScheme>[1]) => Promise<SchemeProjection[]> } {
  const parallel = threads >= 2 && job.persons >= from;
  return {
    async schemes(prep, params) {
      if (!parallel) return [0, 1].map((i) => projectScheme(prep, params, i));
      const worker = baselineInWorker(job);
      // A failure while this thread projects is reported below, not as an unhandled rejection.
      worker.catch(() => {});
      const scenario = projectScheme(prep, params, 0);
      return [scenario, await worker];
    },
  };
}
