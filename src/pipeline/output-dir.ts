// Output directories (`run`, `project`, `simulate --out`, `backtest`): how the files go into place.
// A command writes only its own files and never removes anything it did not write (issue 11); where
// it may write at all is src/pipeline/output-target.ts (checkOutput), asked again just before the
// files go into place.
//
// Node has no RENAME_EXCHANGE (swapping two directories in one step),
// and replacing the whole directory would remove what the user keeps in it, so:
// - everything is written into a temporary directory first: `.<name>.tmp-<pid>` beside a new
//   output directory, `<out>/.fundsim.tmp-<pid>` inside an existing one (same file system, so
//   every rename below is a rename(2), and a mount point works as --out);
// - a new output directory is the temporary directory renamed in one step: it appears whole;
// - into an existing directory each file is renamed over its old copy (rename(2) is atomic per
//   file: the directory is never missing and every file in it is always whole, old or new), then
//   the marker last, then the files the OLD marker lists that this run did not write are removed
//   (only those: a file the old marker does not list is never removed). A reader during the few
//   milliseconds of renames may see some files new and others old; the marker's `written` says
//   when the set was complete.
// The temporary directory carries `.fundsim-tmp.json` ({ fundsim: "temporary", pid, … }). It is
// removed on failure, on SIGINT/SIGTERM and on exit; one left by a process that died (its pid no
// longer running, ESRCH) is removed at the next write to the same place. Nothing else is removed.
// A file-system error while writing (EACCES, EROFS, ENOSPC, ENOTDIR …) is an
// OutputError naming the option and the error's meaning.
import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { showText, showValue } from "../model/limits.ts";
import {
  fsError, INNER_TMP, inspect, isUnder, MARKER, NOTHING, OutputError, type OutputMarker, type OutputTarget, PROJECT_ROOT, TEMP_MARKER, tempMarker,
} from "./output-target.ts";

/** The name of a temporary directory beside a new output directory `name`. */
const siblingTmp = (name: string) => new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.tmp-(\\d+)(?:-[0-9a-f]+)?$`);

/** fundsim's version, written into the marker. */
const VERSION = (() => {
  try {
    return String((JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
  } catch {
    return "unknown";
  }
})();

/** A name a marker may list for removal: one plain file name in the directory, not ours. */
const removable = (n: string) => n !== "" && n !== "." && n !== ".." && !/[/\\\0]/.test(n) && n !== MARKER && n !== TEMP_MARKER;

/** Temporary directories this process is writing now. */
const active = new Set<string>();

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** `dir/name` is a temporary directory of ours whose writer is gone. */
function isStaleTemp(dir: string, name: string, pattern: RegExp): boolean {
  const m = pattern.exec(name);
  if (!m) return false;
  const p = join(dir, name);
  try {
    if (!lstatSync(p).isDirectory()) return false;
  } catch {
    return false;
  }
  const tm = tempMarker(p);
  if (!tm || tm.pid !== Number(m[1])) return false;
  return tm.pid === process.pid ? !active.has(p) : !alive(tm.pid);
}

/** Removes temporary directories of ours whose writer has died, beside and inside `real`. */
function removeStale(real: string, inside: boolean): void {
  const places: Array<[string, RegExp]> = [[dirname(real), siblingTmp(basename(real))]];
  if (inside) places.push([real, INNER_TMP]);
  for (const [dir, pattern] of places) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        if (isStaleTemp(dir, n, pattern)) rmSync(join(dir, n), { recursive: true, force: true });
      } catch {
        // best effort: a leftover we cannot remove is left
      }
    }
  }
}

function makeTemp(dir: string, base: string, command: string): string {
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dir, attempt === 0 ? `${base}${process.pid}` : `${base}${process.pid}-${randomBytes(3).toString("hex")}`);
    try {
      mkdirSync(tmp);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && attempt < 5) continue;
      throw e;
    }
    active.add(tmp);
    writeFileSync(join(tmp, TEMP_MARKER), JSON.stringify({ fundsim: "temporary", pid: process.pid, command, started: new Date().toISOString() }) + "\n");
    return tmp;
  }
}

/** Puts the files written into `tmp` into place (see the top of this file); returns their names. */
function commit(t: OutputTarget, tmp: string, sibling: boolean, phase: { replacing: boolean }): string[] {
  const files: string[] = [];
  for (const n of readdirSync(tmp).sort()) {
    if (n === TEMP_MARKER || n === MARKER) continue;
    const p = join(tmp, n);
    if (lstatSync(p).isFile()) files.push(n);
    else rmSync(p, { recursive: true, force: true }); // a work directory (DuckDB's spill): not output
  }
  const state = inspect(t);
  const marker: OutputMarker = { fundsim: "output", command: t.command, version: VERSION, files, written: new Date().toISOString() };
  writeFileSync(join(tmp, MARKER), JSON.stringify(marker, null, 2) + "\n");
  if (sibling && (state.kind === "new" || state.kind === "empty")) {
    unlinkSync(join(tmp, TEMP_MARKER));
    renameSync(tmp, state.real); // the whole directory in one step (over an empty one, too)
    active.delete(tmp);
    return files;
  }
  phase.replacing = true;
  for (const f of files) renameSync(join(tmp, f), join(state.real, f));
  renameSync(join(tmp, MARKER), join(state.real, MARKER));
  if (state.kind === "previous") {
    const now = new Set(files);
    for (const old of state.marker.files) {
      if (now.has(old) || !removable(old)) continue;
      const p = join(state.real, old);
      try {
        if (lstatSync(p).isFile()) unlinkSync(p);
      } catch {
        // gone already
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  active.delete(tmp);
  return files;
}

/**
 * Runs `write` with a temporary directory and puts what it wrote into place as `target`'s output
 * (see the top of this file). `target` is checkOutput's result, or { out, command } to check here;
 * `makeDir` makes a new output directory before the work instead of renaming it into place after.
 * Refusals and file-system errors are OutputErrors; `write`'s own errors pass through unchanged.
 * The temporary directory is removed on failure, on SIGINT/SIGTERM (exit 130/143) and on exit.
 */
export async function writeAtomically<T>(
  target: OutputTarget | { out: string; command: string; force?: boolean; option?: string },
  write: (tmp: string) => Promise<T>,
  { makeDir = false }: { makeDir?: boolean } = {},
): Promise<T> {
  const t: OutputTarget = "given" in target ? target : { given: target.out, command: target.command, force: target.force ?? false, option: target.option ?? "--out" };
  let state = inspect(t);
  let tmp: string;
  try {
    // makeDir: the output directory is made first (simulate: it exists while the files are written,
    // and an interrupted run leaves it empty), so the files go in one by one.
    if (makeDir && state.kind === "new") {
      mkdirSync(state.real, { recursive: true });
      state = inspect(t);
    }
  } catch (e) {
    throw fsError(t, e);
  }
  const sibling = state.kind === "new";
  try {
    removeStale(state.real, !sibling);
    if (sibling) mkdirSync(dirname(state.real), { recursive: true });
    tmp = sibling ? makeTemp(dirname(state.real), `.${basename(state.real)}.tmp-`, t.command) : makeTemp(state.real, ".fundsim.tmp-", t.command);
  } catch (e) {
    throw fsError(t, e);
  }
  let committed = false;
  const cleanup = () => {
    if (committed) return;
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // nothing more to do on the way out
    }
    active.delete(tmp);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === "SIGTERM" ? 143 : 130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", cleanup);
  const phase = { replacing: false };
  try {
    const value = await write(tmp);
    commit(t, tmp, sibling, phase);
    committed = true;
    return value;
  } catch (e) {
    cleanup();
    if (e instanceof OutputError) throw e;
    const suffix = phase.replacing ? " (some files were replaced and others not: run the command again)" : NOTHING;
    // A file-system error on the output's paths (not, say, a missing input file read by `write`).
    const paths = [(e as { path?: unknown })?.path, (e as { dest?: unknown })?.dest].filter((p): p is string => typeof p === "string");
    if (paths.some((p) => isUnder(dirname(state.real), resolve(p)))) {
      const mapped = fsError(t, e, suffix);
      if (mapped !== e) throw mapped;
    }
    // An error of DuckDB writing into the temporary directory (e.g. "IO Error: … No space left on device").
    const msg = String((e as Error)?.message ?? "");
    if (msg.includes(tmp) && /IO Error|No space|Permission denied|Read-only/i.test(msg)) {
      throw new OutputError(`${t.option}: cannot write ${showValue(t.given)}: ${showText(msg.split("\n")[0].split(tmp).join(state.real), 200)}${suffix}`);
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", cleanup);
  }
}
