// JSON text from a user, checked the same way wherever it enters (issue 11): the CLI's `fundsim calc`
// and the calculator page both run it through src/model/calc-run.ts runCalcWith, so both give the
// same messages. Pure (no Node API): the browser bundle includes it.
//
// These are the rules of src/loaders/read-input.ts (parseJsonInput, printable), which reads files
// in Node; that module should import them from here so that there is one copy.
import { escapeControl, showText, truncate } from "./limits.ts";

/** The deepest nesting of lists and objects accepted. */
export const MAX_DEPTH = 64;

/** Whether a parsed JSON-like value nests lists/objects deeper than `max` (no recursion). */
export function deeperThan(value: unknown, max = MAX_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d + 1 > max) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) if (typeof c === "object" && c !== null) stack.push([c, d + 1]);
  }
  return false;
}

/**
 * A JSON.parse error without the piece of the input V8 quotes (`Unexpected token 'r', "root:*:202"...
 * is not valid JSON` would show a file's first characters): what went wrong, and where when known.
 */
export function jsonErrorText(e: unknown): string {
  const m = String((e as Error)?.message ?? e);
  const where = /(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/.exec(m)?.[0];
  let what: string;
  if (/^Unexpected token/.test(m)) what = "Unexpected token";
  else if (/^Unexpected end/.test(m)) what = "Unexpected end of JSON input";
  else what = m.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, "").replace(/(?: in JSON)? at position \d+(?: \(line \d+ column \d+\))?/, "");
  return showText(where ? `${what} ${where.replace(/^in JSON /, "")}` : what, 120);
}

/** Lines and characters per line of one printed message. */
const PRINT_LINES = 24;
const PRINT_LINE_CHARS = 400;

/**
 * A message as the CLI prints it: each line's control characters escaped (ANSI/OSC sequences show
 * as \u001b…), each line cut to 400 characters, at most 24 lines. Ends with one newline.
 */
export function printable(message: string): string {
  const lines = message.replace(/\n+$/, "").split("\n");
  const shown = lines.slice(0, PRINT_LINES).map((l) => truncate(escapeControl(l), PRINT_LINE_CHARS));
  if (lines.length > PRINT_LINES) shown.push(`… (${lines.length - PRINT_LINES} more lines)`);
  return shown.join("\n") + "\n";
}
