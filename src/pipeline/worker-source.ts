// The worker threads' code: worker.ts and what it imports, bundled with esbuild from the same
// sources and started with `eval`. Why not tsx in each worker, as bin/fundsim.js does for the main
// thread: a worker that registers tsx and loads the TypeScript modules one by one took 0.5–1.7 s to
// start (two at once), a third of a 1 M-person city-year; two workers start from the bundle in
// ~0.15 s. The workers read no files (their context comes from the main thread, see worker.ts), so
// the modules' own locations are not needed there: import.meta.url is pinned to worker.ts. Stack
// traces from a worker name fundsim-pipeline-worker.js and its lines.
//
// Building the bundle takes 0.15–0.4 s, so it is kept in the project's own cache directory,
// node_modules/.cache/fundsim/ (never in the system's temporary directory, where anyone can plant a
// file that every worker of the next run would execute), with the list of files it was built from,
// a hash of their contents and the sha256 of the code itself. A cached bundle is used only when
// - the cache file and its directory belong to this user and no one else can write them,
// - the code's sha256 is the one stored (a changed, truncated or planted code is ignored), and
// - every listed source file is byte for byte the same (a changed import list means a changed file);
// otherwise it is rebuilt (and the cache rewritten). When the cache directory cannot be written the
// bundle is built in memory each run. It is never stale.
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
/** The project's own cache directory (under its node_modules, as other tools keep theirs). */
export const CACHE_DIR = join(ROOT, "node_modules", ".cache", "fundsim");
/** The cache file: named by esbuild's version and the build options. */
export const CACHE_FILE = join(CACHE_DIR, `worker-${createHash("sha256").update(SALT).digest("hex").slice(0, 16)}.json`);
/** A cache file larger than this is not read (the bundle is ~1.2 MB). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

interface Cached {
  inputs: string[];
  /** sha256 of SALT and every input file's path and contents. */
  hash: string;
  /** sha256 of `code`. */
  codeHash: string;
  code: string;
}

let source: Promise<string> | undefined;

/** The bundle, as a CommonJS script for `new Worker(code, { eval: true })`. */
export function workerSource(): Promise<string> {
  source ??= (async () => readCache(CACHE_FILE) ?? rebuild(CACHE_FILE))();
  return source;
}

/** The contents' hash of the files a bundle was built from (throws if one is gone). */
export function hashOf(inputs: string[]): string {
  const h = createHash("sha256").update(SALT);
  for (const f of inputs) h.update(`\0${f}\0`).update(readFileSync(f));
  return h.digest("hex");
}

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Owned by this user and writable by no one else (on systems with uids; elsewhere: true). */
function private_(st: { uid: number; mode: number }): boolean {
  if (typeof process.getuid !== "function") return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/**
 * The cached bundle in `file`, if it can be trusted and is current (see the top of this file), else
 * undefined. Every check fails closed: any doubt means a rebuild.
 */
export function readCache(file: string): string | undefined {
  try {
    if (!private_(lstatSync(dirname(file)))) return undefined;
    // O_NOFOLLOW: the cache file itself, never what a symbolic link planted in its place points to.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    let text: string;
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || !private_(st) || st.size > MAX_CACHE_BYTES) return undefined;
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      text = buf.subarray(0, off).toString("utf8");
    } finally {
      closeSync(fd);
    }
    const c = JSON.parse(text) as Partial<Cached>;
    if (typeof c.code !== "string" || typeof c.codeHash !== "string" || typeof c.hash !== "string" || !Array.isArray(c.inputs)) return undefined;
    if (!c.inputs.every((f) => typeof f === "string" && f.startsWith(ROOT))) return undefined;
    if (sha256(c.code) !== c.codeHash) return undefined; // the code is not what was built
    if (hashOf(c.inputs) !== c.hash) return undefined; // a source changed
    return c.code;
  } catch {
    return undefined; // none yet, unreadable, not ours, or a source file gone: build
  }
}

/** Builds the bundle and, when its sources did not change meanwhile, keeps it in `file`. */
export async function rebuild(file: string): Promise<string> {
  const started = Date.now();
  const r = await build(OPTIONS);
  const code = r.outputFiles![0].text;
  const inputs = Object.keys(r.metafile!.inputs).map((f) => resolve(ROOT, f));
  // A file edited while esbuild read it may not be in the bundle as hashed now: do not keep that.
  if (inputs.every((f) => statSync(f).mtimeMs < started)) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
      if (private_(lstatSync(dirname(file)))) {
        writeFileSync(tmp, JSON.stringify({ inputs, hash: hashOf(inputs), codeHash: sha256(code), code } satisfies Cached), { mode: 0o644 });
        renameSync(tmp, file); // atomic: concurrent runs each see a whole file
      }
    } catch {
      // A read-only project directory only costs the next run a rebuild (in memory).
      rmSync(tmp, { force: true });
    }
  }
  return code;
}
