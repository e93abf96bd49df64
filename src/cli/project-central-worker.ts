// A worker thread of `fundsim project`'s central projection (project-central.ts): waits for the main
// thread's prepared data and parameters, re-attaches the job's schemes and projects scheme `si`.
import { parentPort, workerData } from "node:worker_threads";
import { projectScheme } from "../model/projection/project.ts";
import { type CentralJob, type PreparedData, preparedFrom } from "./project-central.ts";

const { job, si } = workerData as { job: CentralJob; si: number };
parentPort!.once("message", ({ data, params }: { data: PreparedData; params: Parameters<typeof projectScheme>[1] }) => {
  try {
    parentPort!.postMessage({ type: "scheme", scheme: projectScheme(preparedFrom(job, data), params, si) });
  } catch (e) {
    parentPort!.postMessage({ type: "error", message: String((e as Error)?.stack ?? e) });
  }
  parentPort!.close();
});
