// A worker thread: builds the city-year context once, runs the chunk tasks it is sent, returns
// each chunk's person rows at once (buffers transferred) and its cube and flows when told to finish.
import { parentPort, workerData } from "node:worker_threads";
import { type ChunkContext, newFlowsPair, type PersonRows, runChunkTask } from "./chunk-task.ts";
import { buildContext, type RunSpec } from "./context.ts";
import { emptyCube } from "./cube.ts";

const spec = workerData as RunSpec;
let ctx: ChunkContext;
const cube = emptyCube();
const flows = newFlowsPair();

parentPort!.on("message", (msg: { type: "chunk"; firstId: number; count: number } | { type: "finish" }) => {
  try {
    ctx ??= buildContext(spec);
    if (msg.type === "chunk") {
      const rows = runChunkTask(ctx, msg.firstId, msg.count, cube, flows);
      const transfer = Object.values(rows).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v)).map((v) => v.buffer as ArrayBuffer);
      parentPort!.postMessage({ type: "rows", rows }, [...new Set(transfer)] as ArrayBuffer[]);
    } else {
      parentPort!.postMessage({ type: "done", cube, flows }, [cube.values.buffer as ArrayBuffer, cube.exclusions.buffer as ArrayBuffer]);
    }
  } catch (e) {
    parentPort!.postMessage({ type: "error", message: (e as Error).stack ?? String(e) });
  }
});

export type { PersonRows };
