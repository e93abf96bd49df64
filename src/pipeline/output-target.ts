// Output directories (`run`, `project`, `simulate --out`, `backtest`): where a command may write.
// A command writes only its own files and never removes anything it did not write (issue 11); how
// the files go into place is src/pipeline/output-dir.ts, which asks here again just before.
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
// A directory of ours that is only a temporary one (`.fundsim.tmp-<pid>` holding `.fundsim-tmp.json`,
// see output-dir.ts) is not the user's content: a directory holding nothing else counts as empty.
// A file-system error while checking or writing (EACCES, EROFS, ENOSPC, ENOTDIR …) is an
// OutputError naming the option and the error's meaning.
import { accessSync, constants, lstatSync, readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, parse, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { showText, showValue } from "../model/limits.ts";
import { readInputFile } from "../loaders/read-input.ts";

/** The marker file an output directory holds. */
export const MARKER = ".fundsim-output.json";
/** The marker file a temporary directory holds. */
export const TEMP_MARKER = ".fundsim-tmp.json";
/** The name of a temporary directory inside an existing output directory (its pid, a random suffix). */
export const INNER_TMP = /^\.fundsim\.tmp-(\d+)(?:-[0-9a-f]+)?$/;

/** fundsim's own directory: where its package.json is. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

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

/** What is at the target now, as inspect found it (each with its real path). */
export type State =
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

/** The end of a refusal's message. */
export const NOTHING = " (nothing was written)";
const HINT = "give a new or a previous output directory";

function refuse(t: OutputTarget, why: string, hint = HINT): never {
  throw new OutputError(`${t.option}: ${showValue(t.given)} ${why}; ${hint}${NOTHING}`);
}

/** A file-system error (one with an errno code: EACCES, EROFS …) as an OutputError; anything else unchanged. */
export function fsError(t: OutputTarget, e: unknown, suffix = NOTHING): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof OutputError || typeof code !== "string" || !/^E[A-Z0-9]+$/.test(code)) return e;
  return new OutputError(`${t.option}: cannot write ${showValue(t.given)}: ${MEANING[code] ?? "a system error"} (${code})${suffix}`);
}

/** `child` is `parent` or lies under it. */
export const isUnder = (parent: string, child: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

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

/** The temporary-directory marker of `dir` (its writer's pid), or null if it is not one of ours. */
export function tempMarker(dir: string): { pid: number } | null {
  try {
    const m = JSON.parse(readInputFile(join(dir, TEMP_MARKER), { source: TEMP_MARKER, limit: 64 * 1024 })) as { fundsim?: string; pid?: unknown };
    return m?.fundsim === "temporary" && Number.isSafeInteger(m.pid) ? { pid: m.pid as number } : null;
  } catch {
    return null;
  }
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
export function inspect(t: OutputTarget): State {
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
