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
