// Reading what a user gives the CLI (issue 11): scenario files, assumptions files and `fundsim calc`
// input, whether a path or standard input. One place bounds what a careless or hostile input can
// cost and what a message about it can show.
//
// - Size: at most 4 MiB (DEFAULT_MAX_INPUT_BYTES; the environment variable FUNDSIM_MAX_INPUT_BYTES
//   sets another limit), checked while reading: the input is read in chunks and reading stops as
//   soon as it passes the limit, so /dev/zero or an endless pipe costs a few milliseconds.
// - Kind: a path must name a regular file, checked with fstat on the opened file (a directory, a
//   device such as /dev/zero, a FIFO or a socket is refused with "not a regular file"). A FIFO is
//   opened non-blocking, so naming one never waits for a writer. `-` (calc) is standard input,
//   which may be a pipe, a terminal or a file; only its size is bounded.
// - Nesting: at most 64 levels (MAX_DEPTH) of lists and mappings, checked without recursion, and
//   YAML that nests so deep its parser runs out of stack says the same: `nested deeper than 64
//   levels`.
// - YAML aliases: at most 100 alias nodes (MAX_ALIASES), no alias inside the node it names, and at
//   most 10 000 values added when the aliases are expanded (MAX_ALIAS_EXPANSION): a billion-laughs
//   document, or one list of 5 000 values named 900 times, is refused before anything walks it.
//   toJS also gets maxAliasCount 100 (the yaml package's own guard).
// - Display: a message never shows a file's contents; a value or key from a file is shown escaped
//   and cut (src/model/limits.ts); `printable` bounds and escapes every message the CLI prints.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { type Alias, type Document, isAlias, isMap, isPair, isSeq, LineCounter, parseDocument } from "yaml";
import { deeperThan, jsonErrorText, MAX_DEPTH, printable } from "../model/json-input.ts";
import { showText } from "../model/limits.ts";

// The JSON rules and message printing are the browser's too (the calculator page): one copy.
export { deeperThan, jsonErrorText, MAX_DEPTH, printable };

/** The default input size limit: 4 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** The environment variable that sets another limit (bytes). */
export const MAX_INPUT_ENV = "FUNDSIM_MAX_INPUT_BYTES";
/** Alias nodes (`*name`) in one YAML document. */
export const MAX_ALIASES = 100;
/** Values that expanding a document's aliases may add. */
export const MAX_ALIAS_EXPANSION = 10_000;

const CHUNK = 64 * 1024;

/** A problem with an input: `source` names it (a path as the user gave it, or "(input)"). */
export class InputError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = "InputError";
  }
}

/** The input size limit: FUNDSIM_MAX_INPUT_BYTES if set (a whole number of bytes), else 4 MiB. */
export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_INPUT_ENV];
  if (raw === undefined || raw === "") return DEFAULT_MAX_INPUT_BYTES;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new InputError(MAX_INPUT_ENV, `must be a whole number of bytes (1 or more), got ${JSON.stringify(showText(raw, 40))}`);
  }
  return Number(raw);
}

const mib = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n.toLocaleString("en-US")} bytes`);
const tooBig = (source: string, limit: number, size?: number) =>
  new InputError(source, `${size !== undefined ? `is ${mib(size)}, ` : ""}more than the input limit of ${mib(limit)} (${MAX_INPUT_ENV} sets another)`);

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a named pipe";
  if (st.isSocket()) return "a socket";
  return "not a file";
}

const ERRNO: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "a directory",
  ENXIO: "a socket or a device with nothing behind it",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "input/output error",
  EAGAIN: "not ready to be read (non-blocking)",
  EINVAL: "cannot be read",
  ENODEV: "a device",
};

/** A read that failed, in words, with the code: "cannot read: permission denied (EACCES)". */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ERRNO[code]) return `cannot read: ${ERRNO[code]} (${code})`;
  return code ? `cannot read (${code})` : `cannot read: ${showText(String((e as Error)?.message ?? e), 120)}`;
}

/**
 * The text of a regular file, read in chunks and refused past `limit` bytes. Throws InputError
 * naming `source` (default: the path, escaped) for anything else: no such file, a directory,
 * /dev/zero, a FIFO, a socket, too large.
 */
export function readInputFile(path: string, { source = showText(path, 160), limit = maxInputBytes() }: { source?: string; limit?: number } = {}): string {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer. No controlling tty.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw new InputError(source, errnoText(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(source, `not a regular file (${kindOf(st)})`);
    if (st.size > limit) throw tooBig(source, limit, st.size);
    // A file's size can be 0 (/proc) or grow while read: the limit is checked on what is read.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw new InputError(source, errnoText(e));
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooBig(source, limit);
      chunks.push(n === CHUNK ? buf : buf.subarray(0, n));
    }
    return decode(Buffer.concat(chunks, total));
  } finally {
    closeSync(fd);
  }
}

/** Standard input as text, refused past `limit` bytes (stopped reading as soon as it passes). */
export function readInputStream(stream: NodeJS.ReadableStream & { destroy?: () => void }, { source = "(input)", limit = maxInputBytes() } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (err: InputError | null) => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      if (err) {
        stream.pause();
        stream.destroy?.();
        reject(err);
      } else resolve(decode(Buffer.concat(chunks, total)));
    };
    const onData = (d: Buffer | string) => {
      const b = typeof d === "string" ? Buffer.from(d) : d;
      total += b.length;
      if (total > limit) return done(tooBig(source, limit));
      chunks.push(b);
    };
    const onEnd = () => done(null);
    const onError = (e: unknown) => done(new InputError(source, errnoText(e)));
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

/** UTF-8, without a leading byte-order mark. */
function decode(b: Buffer): string {
  const s = b.toString("utf8");
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** The text of `path`, or of standard input for "-". */
export async function readInput(path: string, opts: { source?: string; limit?: number } = {}): Promise<string> {
  if (path === "-") return readInputStream(process.stdin, { source: opts.source ?? "(input)", limit: opts.limit ?? maxInputBytes() });
  return readInputFile(path, opts);
}

// ---- structure ----------------------------------------------------------------------------------

const TOO_DEEP = `nested deeper than ${MAX_DEPTH} levels`;

/** JSON text to a value: syntax errors and nesting deeper than MAX_DEPTH are InputErrors. */
export function parseJsonInput(text: string, source = "(input)"): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(source, `not valid JSON: ${jsonErrorText(e)}`);
  }
  if (deeperThan(v)) throw new InputError(source, TOO_DEEP);
  return v;
}

/** The children of a YAML node in document order (a pair's key, then its value). */
function children(n: unknown): unknown[] {
  if (isMap(n) || isSeq(n)) return n.items as unknown[];
  if (isPair(n)) return [n.key, n.value];
  return [];
}

/**
 * Checks a parsed YAML document's shape before anything walks it recursively or expands its
 * aliases: depth (aliases expanded) at most MAX_DEPTH, at most MAX_ALIASES aliases, no alias
 * inside the node it names, and at most MAX_ALIAS_EXPANSION values added by expanding them.
 * Returns a problem, or null. Iterative: a deep document cannot exhaust the stack here.
 */
export function yamlShapeProblem(doc: Document): string | null {
  // Pre-order walk (the order yaml resolves aliases in: the last anchor of that name before the alias).
  const order: unknown[] = [];
  const target = new Map<unknown, unknown>();
  const anchors = new Map<string, unknown>();
  let aliases = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    order.push(n);
    if (isAlias(n)) {
      if (++aliases > MAX_ALIASES) return `uses more than ${MAX_ALIASES} aliases (*name)`;
      target.set(n, anchors.get((n as Alias).source));
      continue;
    }
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, n);
    const c = children(n);
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  if (aliases === 0 && order.length < MAX_DEPTH) return null;
  // Post-order: each node's height (levels of lists and mappings below it, itself included) and
  // size (values once aliases are expanded). A pair is not a level; its key and value are.
  const height = new Map<unknown, number>();
  const size = new Map<unknown, number>();
  const CAP = 1e15;
  const visit: Array<[unknown, boolean]> = [[doc.contents, false]];
  while (visit.length) {
    const [n, expanded] = visit.pop()!;
    if (n === null || n === undefined || height.has(n)) continue;
    if (isAlias(n)) {
      const t = target.get(n);
      if (t === undefined) {
        height.set(n, 0);
        size.set(n, 1); // unresolved: toJS reports it
      } else if (!height.has(t)) {
        return "has an alias inside the node it names (a recursive alias)";
      } else {
        height.set(n, height.get(t)!);
        size.set(n, size.get(t)!);
      }
      continue;
    }
    const c = children(n);
    if (!expanded) {
      visit.push([n, true]);
      for (let i = c.length - 1; i >= 0; i--) visit.push([c[i], false]);
      continue;
    }
    let h = 0;
    let s = isPair(n) ? 0 : 1;
    for (const x of c) {
      if (x === null || x === undefined) continue;
      h = Math.max(h, height.get(x) ?? 0);
      s = Math.min(CAP, s + (size.get(x) ?? 1));
    }
    const level = isMap(n) || isSeq(n) ? 1 : 0;
    if (h + level > MAX_DEPTH) return TOO_DEEP;
    height.set(n, h + level);
    size.set(n, s);
  }
  const real = order.filter((n) => !isPair(n)).length;
  const expandedSize = size.get(doc.contents) ?? 0;
  if (expandedSize - real > MAX_ALIAS_EXPANSION) {
    return `its aliases (*name) would expand it by ${expandedSize >= CAP ? "more than 10^15" : Math.round(expandedSize - real).toLocaleString("en-US")} values (at most ${MAX_ALIAS_EXPANSION.toLocaleString("en-US")})`;
  }
  return null;
}

/** Where a YAML problem is, as "line:col", from a character offset. */
export type Locate = (path: string) => string;

/**
 * YAML (or JSON) text to a value, checked: syntax errors as "line:col: message" (at most five, each
 * cut), the shape (yamlShapeProblem), then toJS with maxAliasCount. Returns the value, the
 * document and a LineCounter for locating paths. `problems` are the messages, never the text.
 */
export function parseYamlInput(text: string): { ok: true; value: unknown; doc: Document; lc: LineCounter } | { ok: false; problems: string[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    // The yaml parser catches its own stack overflow (flow or block nesting in the hundreds).
    if (doc.errors.some((e) => /call stack/i.test(e.message))) return { ok: false, problems: [TOO_DEEP] };
    const shown = doc.errors.slice(0, 5).map((e) => {
      const pos = lc.linePos(e.pos[0]);
      return `${pos.line}:${pos.col}: ${showText(e.message.split("\n")[0], 120)}`;
    });
    if (doc.errors.length > 5) shown.push(`… and ${doc.errors.length - 5} more YAML errors`);
    return { ok: false, problems: shown };
  }
  const shape = yamlShapeProblem(doc);
  if (shape) return { ok: false, problems: [shape] };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }), doc, lc };
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    return { ok: false, problems: [/call stack/i.test(msg) ? TOO_DEEP : showText(msg.split("\n")[0], 120)] };
  }
}

// ---- what a file is -----------------------------------------------------------------------------

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function describe(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return "text";
  return `a ${typeof v}`;
}

/** What readChecked expects of a file: its name in messages, and the top-level keys it may have. */
export interface FileKind {
  /** "a scenario file", "an assumptions file" … (messages say "not <kind>: …"). */
  kind?: string;
  /** The top-level keys such a file can have; a mapping of several keys, none of them one of
   *  these, is refused without listing them (one unknown key is named by the check). */
  keys?: readonly string[];
  /** An empty file (null) is handed to the check (true) or refused (false). */
  allowEmpty?: boolean;
  /** The top level is a list (of entries), not a mapping (src/loaders/notes-zh/*.yaml). */
  list?: boolean;
}

/**
 * A problem with the top level of a file's value, or null: not a mapping (text, a list, a number),
 * empty (unless allowed), or a mapping with none of the expected keys. Never shows the contents.
 */
export function topLevelProblem(value: unknown, k: FileKind): string | null {
  if ((value === null || value === undefined) && k.allowEmpty !== false) return null;
  const not = k.kind ? `not ${k.kind}: ` : "";
  if (k.list) return Array.isArray(value) ? null : `${not}the file is ${describe(value)}, not a list (lines starting with "- ")`;
  if (!isObj(value)) return `${not}the file is ${describe(value)}, not a mapping of keys (key: value lines)`;
  const keys = Object.keys(value);
  if (k.keys && keys.length > 1 && !keys.some((x) => k.keys!.includes(x))) {
    return `${not}none of its ${keys.length} top-level keys is one ${k.kind ?? "such a file"} has (${k.keys.join(", ")})`;
  }
  return null;
}

/** At most this many unknown keys are listed, each cut to KEY_CHARS. */
const SHOW_KEYS = 5;
const KEY_CHARS = 40;
/** At most this many problems are shown for one file. */
const SHOW_PROBLEMS = 12;

function nodeAt(value: unknown, path: string): unknown {
  if (path === "(top)" || path === "") return value;
  let n = value;
  for (const k of path.split(".")) {
    if (Array.isArray(n) && /^\d+$/.test(k)) n = n[Number(k)];
    else if (isObj(n) && Object.hasOwn(n, k)) n = n[k];
    else return undefined;
  }
  return n;
}

/**
 * A file's validation problems made safe to show: an "unknown keys" list is cut to a few keys, each
 * escaped and cut to ~40 characters (a mapping none of whose keys is known says so instead of
 * listing them); every problem escaped and cut; at most a dozen. `value` is the file's parsed value.
 */
export function safeProblems(problems: string[], value: unknown): string[] {
  const out = problems.slice(0, SHOW_PROBLEMS).map((p) => {
    const m = /^(.*?): unknown keys? "/.exec(p);
    if (m) {
      const path = m[1];
      const node = nodeAt(value, path);
      if (isObj(node)) {
        const all = Object.keys(node);
        const unknown = all.filter((k) => p.includes(JSON.stringify(k)) || p.includes(`"${k}"`));
        if (unknown.length > 0) {
          const where = showText(path, 80);
          if (unknown.length === all.length && all.length > 1) return `${where}: none of its ${all.length} keys is one it can have (is this the right file?)`;
          const shown = unknown.slice(0, SHOW_KEYS).map((k) => `"${showText(k, KEY_CHARS)}"`);
          const more = unknown.length > SHOW_KEYS ? ` and ${unknown.length - SHOW_KEYS} more` : "";
          return `${where}: unknown key${unknown.length > 1 ? "s" : ""} ${shown.join(", ")}${more}`;
        }
      }
    }
    return showText(p, 240);
  });
  if (problems.length > SHOW_PROBLEMS) out.push(`… and ${problems.length - SHOW_PROBLEMS} more problems`);
  return out;
}

// ---- printing -----------------------------------------------------------------------------------
