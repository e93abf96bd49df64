// The bounds every value is checked against where it enters (issue 11), and how a bad value is
// shown in a message. One table for the CLI, the calculator and the pages.
//
// Money: integer fen held in Int32 typed arrays by the kernel and the engine, so every single amount
// a user can give (a claim, a cap, a deductible, a threshold, a contribution base, a pension, an
// opening balance) must stay below 2^31 fen ≈ 21.47 million yuan. The documented limit is rounder
// and lower: 10 million yuan (1 000 万元) for one amount.

/** The largest single amount accepted anywhere, in yuan (caps, deductibles, claims, bases …). */
export const MAX_AMOUNT_YUAN = 10_000_000;
export const MAX_AMOUNT_FEN = MAX_AMOUNT_YUAN * 100;

/** Rates and shares: 0–100 %, in basis points. Adjustments (an area's rate adjustment, an uplift,
 *  a goal-seek rate shift) lie within ±100 points. */
export const MAX_RATE_BP = 10_000;
export const MAX_ADJUSTMENT_BP = 10_000;

/** How much of a bad value a message shows: at most this many characters, then "…". */
export const SHOW_CHARS = 80;

/** Control characters (C0, DEL, C1) and the bidi/line separators a terminal would act upon. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Whether `s` holds a control character (C0, DEL, C1, bidi/line separators); `allowLines`: newlines
 *  and tabs are text (a multi-line description), not control. */
export function hasControl(s: string, allowLines = false): boolean {
  return (allowLines ? s.replace(/[\n\t]/g, " ") : s).search(CONTROL) >= 0;
}

/** A string with every control character written as an escape (\n, \u001b …), safe to print. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Cut to `max` characters (code points), marking the cut with "…". */
export function truncate(s: string, max = SHOW_CHARS): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join("")}…`;
}

/** A value as a message shows it: JSON-like, control characters escaped, at most ~80 characters.
 *  Never the whole of a long value (a file's contents, a 10 MB string). */
export function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  let text: string;
  try {
    if (typeof v === "string") text = JSON.stringify(v.length > 4 * SHOW_CHARS ? v.slice(0, 4 * SHOW_CHARS) : v);
    else if (typeof v === "bigint") text = `${v}`;
    else if (typeof v === "object" && v !== null) text = Array.isArray(v) ? `a list of ${v.length}` : "an object";
    else text = String(JSON.stringify(v) ?? String(v));
  } catch {
    text = "an unprintable value";
  }
  return truncate(escapeControl(text));
}

/** A name or text from a user's file, safe to print: escaped and cut. */
export function showText(s: string, max = SHOW_CHARS): string {
  return truncate(escapeControl(s), max);
}

// ---- amounts, claims, texts --------------------------------------------------------------------

/** The largest value an Int32 typed array holds: the kernel's and the engine's fen columns. */
export const INT32_MAX = 2_147_483_647;

/** The most claims one calculator request may hold (the calculator page's link limit too). */
export const MAX_CLAIMS = 10_000;

/** A scenario's `name` and `description`, in characters. */
export const MAX_NAME_CHARS = 200;
export const MAX_DESCRIPTION_CHARS = 2_000;

/** A whole number with thousands separators, the same on every platform: 10000000 → "10,000,000". */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return `${n < 0 ? "-" : ""}${s.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
}

/** "10,000,000": the amount limit as messages write it (in yuan). */
export const MAX_AMOUNT_TEXT = groupDigits(MAX_AMOUNT_YUAN);

/** The characters (code points) of `s`; past 2 × `max` UTF-16 units, the units (certainly more
 *  than `max` characters), so a 5 MB string is never split into code points to be refused. */
export function charCount(s: string, max: number): number {
  return s.length > 2 * max ? s.length : Array.from(s).length;
}

/**
 * A defensive check where fen (or basis points) enter an Int32 typed array from policy or scenario
 * data: validation keeps every single amount within MAX_AMOUNT_YUAN, so this should be unreachable;
 * if it is reached, it throws instead of letting the typed array wrap the value silently.
 */
export function assertInt32(x: number, what: string): number {
  if (!Number.isInteger(x) || x > INT32_MAX || x < -INT32_MAX - 1) {
    throw new RangeError(`${what}: ${Number.isFinite(x) ? groupDigits(x) : String(x)} is outside what the engine holds (a 32-bit integer, ±2,147,483,647 fen ≈ 21.47 million yuan)`);
  }
  return x;
}

// ---- exact totals ------------------------------------------------------------------------------

/** 2^53 − 1 fen ≈ 90 万亿元 (90 trillion yuan): the largest total a Float64 holds exactly. */
export const MAX_EXACT_FEN = Number.MAX_SAFE_INTEGER;
export const INEXACT_TOTAL = "a total exceeds 2^53 fen (90 万亿元): not exact";

/**
 * Throws when a Float64 total of integer fen has left the exact range. A sum of integers is exact
 * as long as every partial sum stays within ±2^53: each addition is then exact (IEEE rounding of an
 * exactly representable result is the result). The accumulators are checked where they stop:
 *   - fund flows (fund.ts): each block of ≤ 2^20 terms is summed in locals (partial sums < 2^53 by
 *     construction), and each addition of a block to a total is checked;
 *   - the claim cube (pipeline/cube.ts): sums of non-negative terms, so the last partial sum is the
 *     largest — checked after each chunk and each merge;
 *   - the person cube (pipeline/person-cube.ts): the same, and the signed gain is bounded by Σ|gain|,
 *     itself a checked sum of non-negative terms.
 * DuckDB then adds the cells as BIGINT (exact HUGEINT sums) and checks every money line it writes.
 */
export function checkExactTotal(x: number, what: string): number {
  if (!(x <= MAX_EXACT_FEN && x >= -MAX_EXACT_FEN)) throw new RangeError(`${what}: ${INEXACT_TOTAL} (${x})`);
  return x;
}

/** checkExactTotal over every element of a Float64Array of totals. */
export function checkExactTotals(values: Float64Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x <= MAX_EXACT_FEN && x >= -MAX_EXACT_FEN)) throw new RangeError(`${what}[${i}]: ${INEXACT_TOTAL} (${x})`);
  }
}
