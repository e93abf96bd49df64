// A worker thread of the pool (run.ts), started from a bundle of this module (worker-source.ts).
// Told a city-year's context (built and checked on the main thread, so a worker reads no files),
// it runs the chunk tasks it is sent (a range of generated persons, or a chunk of a bureau's
// microdata read on the main thread) into its own sums, reporting each chunk done so the main
// thread can hand out the next, and returns the sums — claim cube, person cube, flows; fixed-size
// arrays, transferred — when told to finish. The same thread then serves the next city-year.
import { parentPort } from "node:worker_threads";
import type { EngineClaims } from "../model/engine.ts";
import { adjudicateChunk, type ChunkContext, type ChunkSums, newFlowsPair, runChunkTask, type TaskPersons } from "./chunk-task.ts";
import { emptyCube } from "./cube.ts";
import { emptyPersonCube, packPersonCube } from "./person-cube.ts";

export type WorkerMessage =
  | { type: "city"; ctx: ChunkContext }
  | { type: "chunk"; firstId: number; count: number }
  /** A chunk of a bureau's microdata, read on the main thread (its arrays transferred). */
  | { type: "data"; persons: TaskPersons; claims: EngineClaims }
  | { type: "finish" };

let ctx: ChunkContext | undefined;
let sums: ChunkSums | undefined;

parentPort!.on("message", (msg: WorkerMessage) => {
  try {
    if (msg.type === "city") {
      ctx = msg.ctx;
      sums = undefined;
    } else if (msg.type === "chunk" || msg.type === "data") {
      sums ??= { cube: emptyCube(), persons: emptyPersonCube(), flows: newFlowsPair() };
      if (msg.type === "chunk") runChunkTask(ctx!, msg.firstId, msg.count, sums);
      else adjudicateChunk(ctx!, msg.persons, msg.claims, sums);
      parentPort!.postMessage({ type: "chunk-done" });
    } else {
      // A worker that got no chunk of this city sends nothing to merge.
      if (!sums) return void parentPort!.postMessage({ type: "done" });
      const persons = packPersonCube(sums.persons);
      const buffers = [sums.cube.values, sums.cube.exclusions, persons.cells, persons.gainHist, persons.spend, persons.joint.keys, persons.joint.counts];
      parentPort!.postMessage({ type: "done", cube: sums.cube, persons, flows: sums.flows }, buffers.map((a) => a.buffer as ArrayBuffer));
      sums = undefined; // its buffers are now the main thread's
    }
  } catch (e) {
    parentPort!.postMessage({ type: "error", message: (e as Error).stack ?? String(e) });
  }
});
