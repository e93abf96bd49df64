// A worker thread of `fundsim project`'s Monte Carlo (project-draws.ts): rebuilds the run's inputs
// from the job and runs draws from … to − 1, reporting progress every ten draws.
import { parentPort, workerData } from "node:worker_threads";
import { drawContext, drawRows } from "../model/projection/monte-carlo.ts";
import { type DrawsJob, drawsInputOf } from "./project-draws.ts";

const { job, from, to } = workerData as { job: DrawsJob; from: number; to: number };
try {
  const rows = drawRows(drawContext(drawsInputOf(job)), from, to, (done) => {
    if (done % 10 === 0) parentPort!.postMessage({ type: "progress", done });
  });
  parentPort!.postMessage({ type: "rows", rows });
} catch (e) {
  parentPort!.postMessage({ type: "error", message: String((e as Error)?.stack ?? e) });
}
