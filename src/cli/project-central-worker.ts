// A worker thread of `fundsim project`'s central projection (project-central.ts): rebuilds the run's
// prepared projection from the job and projects the baseline (scheme 1).
import { parentPort, workerData } from "node:worker_threads";
import { projectScheme } from "../model/projection/project.ts";
import { type CentralJob, centralInputOf } from "./project-central.ts";

const { job } = workerData as { job: CentralJob };
try {
  const { prep, params } = centralInputOf(job);
  parentPort!.postMessage({ type: "scheme", scheme: projectScheme(prep, params, 1) });
} catch (e) {
  parentPort!.postMessage({ type: "error", message: String((e as Error)?.stack ?? e) });
}
