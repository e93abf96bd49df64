// A worker thread of `fundsim project`'s central projection (project-central.ts): when asked,
// generates the chunks of the reference sample the shared counter hands it, from the main thread's
// model, and sends them back (their buffers moved, not copied); then waits for the main thread's
// prepared data and parameters, re-attaches the job's schemes and projects scheme `si`.
import { parentPort, workerData } from "node:worker_threads";
import { type Chunk, takeChunks } from "../loaders/population/index.ts";
import { projectScheme } from "../model/projection/project.ts";
import { buffersOf, type CentralJob, preparedFrom, takeFrom, type ToWorker, type WorkerMessage } from "./project-central.ts";

const { job, si } = workerData as { job: CentralJob; si: number };
const port = parentPort!;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
port.on("message", (m: ToWorker) => {
  try {
    if (m.type === "generate") {
      const chunks: Array<[number, Chunk]> = [...takeChunks(m.model, job.seed, job.persons, takeFrom(m.counter), m.chunkSize)];
      send({ type: "chunks", chunks }, buffersOf(chunks));
    } else {
      send({ type: "scheme", scheme: projectScheme(preparedFrom(job, m.data), m.params, si) });
      port.close();
    }
  } catch (e) {
    send({ type: "error", message: String((e as Error)?.stack ?? e) });
    port.close();
  }
});
