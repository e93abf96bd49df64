// Reading a YAML (or JSON) data file a user or the project provides, the way a compiler reports:
// each problem prefixed by `file:line:col` (`src/policies/jinan.yaml:42:9: reform.caps.general: …`).
// The file is read through src/loaders/read-input.ts: a regular file of at most 4 MiB, nesting and
// YAML aliases bounded, and messages that show a key or a value cut and escaped, never the text.
import { isAbsolute, relative } from "node:path";
import { isNode } from "yaml";
import { showText } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import { type FileKind, InputError, MAX_INPUT_ENV, parseYamlInput, readInputFile, safeProblems, topLevelProblem } from "./read-input.ts";

/** Parse YAML text; on failure throw PolicyError with line:col. Returns the value and a locator. */
export function parseYamlWithLines(text: string, file: string): { value: unknown; locate: (path: string) => string } {
  const parsed = parseYamlInput(text);
  if (!parsed.ok) throw new PolicyError(parsed.problems, file);
  const { doc, lc } = parsed;
  const locate = (path: string): string => {
    const keys = path.split(".").filter((k) => k !== "" && k !== "(top)");
    // Walk down as far as the document goes, so an unknown key points at its parent.
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k)), true);
      if (isNode(node) && node.range) {
        const p = lc.linePos(node.range[0]);
        return `${p.line}:${p.col}`;
      }
    }
    return "";
  };
  return { value: parsed.value, locate };
}

/** Re-throw a PolicyError with each problem made safe to show and prefixed by its line in the file. */
function withLines(e: unknown, locate: (path: string) => string, file: string, value: unknown): never {
  if (e instanceof PolicyError) {
    const safe = safeProblems(e.problems, value);
    throw new PolicyError(
      safe.map((p, i) => {
        // Locate by the original problem's path (the safe one may be cut).
        const at = p.startsWith("… and ") ? "" : locate(e.problems[i].split(":")[0]);
        return at ? `${at}: ${p}` : p;
      }),
      file,
    );
  }
  throw e;
}

/** How a file is named in messages: relative to the working directory when below it, else as given; escaped and cut. */
export function fileDisplayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return showText(!rel || (rel.startsWith("..") && isAbsolute(file)) ? file : rel, 120);
}

/**
 * Read a YAML (or JSON) file and validate it with `check`; problems carry file:line:col. The file
 * must be a regular file within the input size limit, its nesting and aliases bounded
 * (read-input.ts); a top level that is not a mapping, or (with `kind.keys`) a mapping with none of
 * the expected keys, is refused without showing the file's text.
 */
export function readChecked<T>(file: string, check: (value: unknown, display: string) => T, kind: FileKind = {}): T {
  const display = fileDisplayName(file);
  let text: string;
  try {
    text = readInputFile(file, { source: display });
  } catch (e) {
    if (e instanceof InputError) throw e.source === MAX_INPUT_ENV ? new PolicyError([e.reason], MAX_INPUT_ENV) : new PolicyError([e.reason], display);
    throw e;
  }
  const { value, locate } = parseYamlWithLines(text, display);
  const top = topLevelProblem(value, kind);
  if (top) throw new PolicyError([top], display);
  try {
    return check(value, display);
  } catch (e) {
    withLines(e, locate, display, value);
  }
}
