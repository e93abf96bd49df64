// The central projection of `fundsim project` on two threads: the scenario on the main thread and
// the baseline in a worker thread — the same paths as one thread, in about half the time for a large
// reference sample (a 1 M-person projection: issue 13's speed goal). The worker does not generate
// and prepare the sample again: it receives this thread's prepared projection (its typed arrays,
// copied) and the parameters, and re-attaches the schemes and finance it rebuilds from the run's
// options (pure functions of them; functions and class instances do not cross threads).
// Small samples stay on one thread: starting a worker and copying its sample cost more.
import { Worker } from "node:worker_threads";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
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

/** The prepared projection of a job (scenario, baseline) and its parameters. */
export function centralInputOf(job: CentralJob) {
  const { schemes, baseline, finance } = centralSchemesOf(job);
  const a = loadAssumptions(job.city, { file: job.assumptionsFile });
  const prep = prepareProjection({
    sample: sampleOf(job.city, job.baseYear, job.seed, job.persons), baseYear: job.baseYear, years: job.years,
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

/** A worker thread that projects scheme `si` once it is sent the prepared data. Started early (it
 *  loads its modules while this thread builds the sample) and unreferenced until then, so a run that
 *  fails before sending does not wait for it. */
function schemeWorker(job: CentralJob, si: number) {
  const code = `(async () => { const { register } = await import(${JSON.stringify(TSX)}); register(); await import(${JSON.stringify(WORKER)}); })();`;
  const w = new Worker(code, { eval: true, workerData: { job, si } });
  const result = new Promise<SchemeProjection>((resolve, reject) => {
    w.on("message", (m: { type: "scheme"; scheme: SchemeProjection } | { type: "error"; message: string }) => {
      if (m.type === "scheme") resolve(m.scheme);
      else reject(new Error(`a projection worker failed: ${m.message}`));
    });
    w.on("error", reject);
    w.on("exit", (code) => reject(new Error(`a projection worker stopped with code ${code} before its result`)));
  });
  // A failure while this thread projects is reported when awaited, not as an unhandled rejection.
  result.catch(() => {});
  // After the listeners: attaching a message listener refs the worker again.
  w.unref();
  return {
    project(prep: PreparedProjection, params: Params): Promise<SchemeProjection> {
      const { schemes: _s, finance: _f, ...data } = prep;
      w.ref();
      w.postMessage({ data: data satisfies PreparedData, params });
      return result;
    },
    /** Ends the worker (this thread failed: its result is not wanted). */
    stop: () => void w.terminate(),
  };
}

/**
 * The central projection of a job: on two threads when `threads` > 1 and the sample has at least
 * `from` persons, else on this thread alone. `schemes(prep, params)` gives the scenario's and the
 * baseline's paths; `prep` is this thread's prepared projection of the job (its schemes must be the
 * job's: the worker rebuilds them). Call it once.
 */
export function startCentral(job: CentralJob, threads: number, from = PARALLEL_FROM): { schemes: (prep: PreparedProjection, params: Params) => Promise<SchemeProjection[]> } {
  const worker = threads >= 2 && job.persons >= from ? schemeWorker(job, 1) : null;
  return {
    async schemes(prep, params) {
      if (!worker) return [0, 1].map((i) => projectScheme(prep, params, i));
      const baseline = worker.project(prep, params);
      let scenario: SchemeProjection;
      try {
        scenario = projectScheme(prep, params, 0);
      } catch (e) {
        worker.stop();
        throw e;
      }
      return [scenario, await baseline];
    },
  };
}
