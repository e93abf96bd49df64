// Output directories (`run`, `project` and `simulate --out`): a command writes only its own files
// and never removes anything it did not write (issue 11).
//
// Where a command may write, checked before any work is done (checkOutput) and again just before
// the files go into place:
// - a new directory, or an empty one;
// - a previous output of the same command: a directory holding the marker file
//   `.fundsim-output.json` ({ fundsim: "output", command, version, files, written }) of that command;
// - with --force, any other directory: the command's files are added to it (a file of the same
//   name is replaced), nothing else in it is touched, and the marker is written (replacing another
//   command's marker, whose files then stay, unlisted: never removed by a later run).
// Never, even with --force: "" or blanks, a filesystem root, the current directory or a parent of
// it, the home directory or a parent of it, fundsim's own directory (where its package.json is) or
// a parent of it, the root of a git work tree (a directory holding .git), or anything that is not a
// directory (a file, a device, a FIFO, a broken link). A refusal is an OutputError: one message
// naming the option and saying why, exit 2, nothing written.
//
// How the files go into place. Node has no RENAME_EXCHANGE (swapping two directories in one step),
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
// A file-system error while checking or writing (EACCES, EROFS, ENOSPC, ENOTDIR …) is an
// OutputError naming the option and the error's meaning.
import { randomBytes } from "node:crypto";
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, type Stats, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, parse, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { showText, showValue } from "../model/limits.ts";
import { readInputFile } from "../loaders/read-input.ts";

/** The marker file an output directory holds. */
export const MARKER = ".fundsim-output.json";
/** The marker file a temporary directory holds. */
export const TEMP_MARKER = ".fundsim-tmp.json";
const INNER_TMP = /^\.fundsim\.tmp-(\d+)(?:-[0-9a-f]+)?$/;
const siblingTmp = (name: string) => new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.tmp-(\\d+)(?:-[0-9a-f]+)?$`);

/** fundsim's own directory: where its package.json is. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const VERSION = (() => {
  try {
    return String((JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
  } catch {
    return "unknown";
  }
})();

/** A refused or failed output: the message names the option; the CLI prints it and exits 2. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

export interface OutputMarker {
  fundsim: "output";
  command: string;
  version: string;
  /** The files the command wrote, by name. */
  files: string[];
  /** When they were all in place (ISO 8601). */
  written: string;
}

/** Where a command writes, as checked by checkOutput. */
export interface OutputTarget {
  /** The path as the user gave it (for messages). */
  given: string;
  /** The command that writes ("run", "project", "simulate"): the marker's `command`. */
  command: string;
  /** --force: write into a directory that is not a previous output of the command. */
  force: boolean;
  /** The option's name in messages. */
  option: string;
}

type State =
  | { kind: "new"; real: string }
  | { kind: "empty"; real: string }
  | { kind: "previous"; real: string; marker: OutputMarker }
  | { kind: "forced"; real: string };

const MEANING: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EBUSY: "device or resource busy",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EXDEV: "the temporary directory is on another file system",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "a directory is in the way of a file",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "input/output error",
  ENOENT: "no such file or directory",
  EEXIST: "something appeared in the way",
  ENOTEMPTY: "something appeared in the way",
  EINVAL: "an invalid path for this file system",
  ENODEV: "no such device",
  ENXIO: "no such device",
};

const NOTHING = " (nothing was written)";
const HINT = "give a new or a previous output directory";

function refuse(t: OutputTarget, why: string, hint = HINT): never {
  throw new OutputError(`${t.option}: ${showValue(t.given)} ${why}; ${hint}${NOTHING}`);
}

/** A file-system error (one with an errno code: EACCES, EROFS …) as an OutputError; anything else unchanged. */
function fsError(t: OutputTarget, e: unknown, suffix = NOTHING): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof OutputError || typeof code !== "string" || !/^E[A-Z0-9]+$/.test(code)) return e;
  return new OutputError(`${t.option}: cannot write ${showValue(t.given)}: ${MEANING[code] ?? "a system error"} (${code})${suffix}`);
}

const isUnder = (parent: string, child: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** The path with every existing part resolved (symbolic links followed), and the nearest existing
 *  ancestor-or-self with its stats. */
function realish(p: string): { real: string; existing: string; st: Stats } {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    let st: Stats | undefined;
    try {
      st = statSync(cur);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
      // A dangling symbolic link is not "missing": it is in the way.
      try {
        if (lstatSync(cur).isSymbolicLink()) {
          const err = new Error("a broken symbolic link") as NodeJS.ErrnoException;
          err.code = "BROKENLINK";
          throw Object.assign(err, { path: cur });
        }
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === "BROKENLINK") throw e2;
      }
    }
    if (st) {
      const real = realpathSync(cur);
      return { real: rest.length ? join(real, ...rest.reverse()) : real, existing: real, st };
    }
    const up = dirname(cur);
    if (up === cur) throw Object.assign(new Error("no existing ancestor"), { code: "ENOENT" });
    rest.push(basename(cur));
    cur = up;
  }
}

function realOrNull(p: string | undefined): string | null {
  if (!p) return null;
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** The marker of `dir`, or null if there is none or it is not one of ours. */
export function readMarker(dir: string): OutputMarker | null {
  try {
    const m = JSON.parse(readInputFile(join(dir, MARKER), { source: MARKER, limit: 1024 * 1024 })) as Partial<OutputMarker>;
    if (m?.fundsim !== "output" || typeof m.command !== "string" || !Array.isArray(m.files) || !m.files.every((f) => typeof f === "string")) return null;
    return m as OutputMarker;
  } catch {
    return null;
  }
}

/** A name a marker may list for removal: one plain file name in the directory, not ours. */
const removable = (n: string) => n !== "" && n !== "." && n !== ".." && !/[/\\\0]/.test(n) && n !== MARKER && n !== TEMP_MARKER;

function tempMarker(dir: string): { pid: number } | null {
  try {
    const m = JSON.parse(readInputFile(join(dir, TEMP_MARKER), { source: TEMP_MARKER, limit: 64 * 1024 })) as { fundsim?: string; pid?: unknown };
    return m?.fundsim === "temporary" && Number.isSafeInteger(m.pid) ? { pid: m.pid as number } : null;
  } catch {
    return null;
  }
}

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

/** `dir/name` is a temporary directory of ours (live or not): not the user's content. */
function isOurTemp(dir: string, name: string): boolean {
  const m = INNER_TMP.exec(name);
  if (!m) return false;
  try {
    return lstatSync(join(dir, name)).isDirectory() && tempMarker(join(dir, name))?.pid === Number(m[1]);
  } catch {
    return false;
  }
}

/** Where the command would write, or an OutputError saying why it may not. */
function inspect(t: OutputTarget): State {
  if (t.given.trim() === "") refuse(t, "names no directory");
  if (t.given.includes("\0")) refuse(t, "contains a NUL character");
  const out = resolve(t.given);
  let r: ReturnType<typeof realish>;
  try {
    r = realish(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "BROKENLINK") refuse(t, `is a broken symbolic link (${showValue((e as { path: string }).path)})`);
    throw fsError(t, e);
  }
  const real = r.real;
  if (parse(real).root === real) refuse(t, "is a filesystem root");
  let cwd: string | null = null;
  try {
    cwd = realOrNull(process.cwd());
  } catch {
    // the working directory was removed
  }
  if (cwd && real === cwd) refuse(t, "is the current directory");
  if (cwd && isUnder(real, cwd)) refuse(t, "is a parent of the current directory");
  const home = realOrNull(homedir());
  if (home && real === home) refuse(t, "is your home directory");
  if (home && isUnder(real, home)) refuse(t, "is a parent of your home directory");
  const root = realOrNull(PROJECT_ROOT)!;
  if (real === root) refuse(t, "is fundsim's own directory (where its package.json is)");
  if (isUnder(real, root)) refuse(t, "is a parent of fundsim's own directory (where its package.json is)");

  if (r.existing !== real) {
    // Not there yet: its nearest existing ancestor must be a directory we can write in.
    if (!r.st.isDirectory()) refuse(t, `cannot be made: ${showValue(r.existing)} is ${kind(r.st)}, not a directory`);
    try {
      accessSync(r.existing, constants.W_OK | constants.X_OK);
    } catch (e) {
      throw fsError(t, e);
    }
    return { kind: "new", real };
  }
  if (!r.st.isDirectory()) refuse(t, `is ${kind(r.st)}, not a directory`);
  let entries: string[];
  try {
    entries = readdirSync(real);
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fsError(t, e);
  }
  if (entries.includes(".git")) refuse(t, "is the root of a git work tree (it holds .git)");
  const content = entries.filter((n) => !isOurTemp(real, n));
  if (content.length === 0) return { kind: "empty", real };
  const marker = content.includes(MARKER) ? readMarker(real) : null;
  if (marker && marker.command === t.command) return { kind: "previous", real, marker };
  if (t.force) return { kind: "forced", real };
  const n = content.length;
  const what = marker
    ? `holds the output of fundsim ${showText(marker.command, 20)}, not of fundsim ${t.command}`
    : `is a directory fundsim ${t.command} did not write (it holds ${n} entr${n > 1 ? "ies" : "y"} and no ${MARKER})`;
  refuse(t, what, `${HINT}, or add --force to write fundsim ${t.command}'s files into it, keeping everything else`);
}

function kind(st: Stats): string {
  if (st.isFile()) return "a file";
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a directory";
}

/**
 * Checks where a command would write its output, before any work is done: throws an OutputError
 * (naming `option`, saying why) if it may not write there. Returns the target for writeAtomically.
 */
export function checkOutput(given: string, o: { command: string; force?: boolean; option?: string }): OutputTarget {
  const t: OutputTarget = { given, command: o.command, force: o.force ?? false, option: o.option ?? "--out" };
  inspect(t);
  return t;
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
