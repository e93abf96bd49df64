// The worker threads' code: worker.ts and what it imports, bundled with esbuild from the same
// sources and started with `eval`. Why not tsx in each worker, as bin/fundsim.js does for the main
// thread: a worker that registers tsx and loads the TypeScript modules one by one took 0.5–1.7 s to
// start (two at once), a third of a 1 M-person city-year; two workers start from the bundle in
// ~0.15 s. The workers read no files (their context comes from the main thread, see worker.ts), so
// the modules' own locations are not needed there: import.meta.url is pinned to worker.ts. Stack
// traces from a worker name fundsim-pipeline-worker.js and its lines.
//
// Building the bundle takes 0.15–0.4 s, so it is kept in the system's temporary directory with the
// list of files it was built from and a hash of their contents: it is reused only while every one
// of those files is byte for byte the same (a changed import list means a changed file), else
// rebuilt. It is never stale.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type BuildOptions, version } from "esbuild";

const ENTRY = fileURLToPath(new URL("./worker.ts", import.meta.url));
const ROOT = resolve(dirname(ENTRY), "..", "..");
const OPTIONS: BuildOptions = {
  entryPoints: [ENTRY],
  absWorkingDir: ROOT,
  bundle: true,
  write: false,
  metafile: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "silent",
  define: { "import.meta.url": JSON.stringify(pathToFileURL(ENTRY).href) },
  footer: { js: "//# sourceURL=fundsim-pipeline-worker.js" },
};
const SALT = JSON.stringify({ version, OPTIONS });
const CACHE = join(tmpdir(), `fundsim-worker-${createHash("sha256").update(SALT).digest("hex").slice(0, 16)}.json`);

interface Cached {
  inputs: string[];
  hash: string;
  code: string;
}

let source: Promise<string> | undefined;

/** The bundle, as a CommonJS script for `new Worker(code, { eval: true })`. */
export function workerSource(): Promise<string> {
  source ??= cached() ?? rebuild();
  return source;
}

/** The contents' hash of the files a bundle was built from (throws if one is gone). */
function hashOf(inputs: string[]): string {
  const h = createHash("sha256").update(SALT);
  for (const f of inputs) h.update(`\0${f}\0`).update(readFileSync(f));
  return h.digest("hex");
}

function cached(): Promise<string> | undefined {
  try {
    const c = JSON.parse(readFileSync(CACHE, "utf8")) as Cached;
    return hashOf(c.inputs) === c.hash ? Promise.resolve(c.code) : undefined;
  } catch {
    return undefined; // none yet, unreadable, or a source file gone: build
  }
}

async function rebuild(): Promise<string> {
  const started = Date.now();
  const r = await build(OPTIONS);
  const code = r.outputFiles![0].text;
  const inputs = Object.keys(r.metafile!.inputs).map((f) => resolve(ROOT, f));
  // A file edited while esbuild read it may not be in the bundle as hashed now: do not keep that.
  if (inputs.every((f) => statSync(f).mtimeMs < started)) {
    try {
      const tmp = `${CACHE}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ inputs, hash: hashOf(inputs), code } satisfies Cached));
      renameSync(tmp, CACHE); // atomic: concurrent runs each see a whole file
    } catch {
      // A read-only temporary directory only costs the next run a rebuild.
    }
  }
  return code;
}
