// Money is integer fen; rates are integer basis points. These are the only conversions between
// the text's notation ("200", "85.50", "55%") and the integers the rules compute with.

import { MAX_AMOUNT_FEN } from "./limits.ts";

const YUAN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** Why a yuan amount is refused: not a non-negative amount with at most two decimals, padded with
 *  spaces (where padding is refused), or above MAX_AMOUNT_YUAN. */
export type YuanProblem = "malformed" | "padded" | "above_limit";

/** Yuan text or number → fen, with no upper bound; null if malformed. */
function fenOf(input: unknown, allowPadding: boolean): number | "padded" | null {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) return null;
    // A JS number such as 85.5 prints exactly as written for ≤ 2 decimals within range.
    text = String(input);
    if (/e/i.test(text)) return null;
  } else if (typeof input === "string") {
    text = input.trim();
    if (!allowPadding && text !== input && YUAN.test(text)) return "padded";
  } else return null;
  const m = YUAN.exec(text);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Why `input` is not an amount parseYuan accepts, or null when it is one. `allowPadding` false:
 *  "  100 " is refused too (the calculator's request; policy files may pad). */
export function yuanProblem(input: unknown, allowPadding = true): YuanProblem | null {
  const f = fenOf(input, allowPadding);
  if (f === null) {
    // Too many digits for a safe integer is above the limit too, not malformed.
    if (typeof input === "number") return Number.isFinite(input) && input > MAX_AMOUNT_FEN / 100 ? "above_limit" : "malformed";
    const t = typeof input === "string" ? input.trim() : "";
    return /^\d{16,}(\.\d{1,2})?$/.test(t) ? "above_limit" : "malformed";
  }
  if (f === "padded") return "padded";
  return f > MAX_AMOUNT_FEN ? "above_limit" : null;
}

/** A non-negative yuan amount with at most two decimals into fen, of any size (for a check that
 *  names the limit); null if malformed. */
export function parseYuanAnySize(input: unknown): number | null {
  const f = fenOf(input, true);
  return typeof f === "number" ? f : null;
}

/** Parse a non-negative yuan amount with at most two decimals, at most MAX_AMOUNT_YUAN, into fen;
 *  null if malformed or above the limit. */
export function parseYuan(input: unknown, allowPadding = true): number | null {
  const f = fenOf(input, allowPadding);
  return typeof f === "number" && f <= MAX_AMOUNT_FEN ? f : null;
}

/** Fen as a yuan string with exactly two decimals ("-" kept for negative differences). */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${sign}${yuan}.${cents < 10 ? "0" : ""}${cents}`;
}

const PERCENT = /^(-?)(\d+)(?:\.(\d{1,2}))?%$/;

/** Parse "55%" or "2.5%" (at most two decimals) into basis points; null if malformed. */
export function parsePercent(input: unknown): number | null {
  if (typeof input !== "string") return null;
  const m = PERCENT.exec(input.trim());
  if (!m) return null;
  const bp = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] === "-" ? -bp : bp;
}

/** Basis points as "55%" / "2.5%" / "-10%". */
export function formatBp(bp: number): string {
  const sign = bp < 0 ? "-" : "";
  const abs = Math.abs(bp);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  if (frac === 0) return `${sign}${whole}%`;
  return `${sign}${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}%`;
}

/** roundHalfUp(fen × bp / 10000) for non-negative integers, exact for any result below 2^53: the
 *  product is split when it would pass 2^53 (a year's self-burden of thousands of large claims). */
export function applyRate(fen: number, bp: number): number {
  const x = fen * bp;
  if (x <= 9_007_199_254_740_991) return Math.floor((x + 5000) / 10000);
  return applyRateSplit(fen, bp);
}

// Kept out of applyRate so that applyRate stays small enough to inline into the engine's loop.
// fen = q × 10000 + r: fen × bp / 10000 = q × bp + r × bp / 10000, and q × bp is whole.
function applyRateSplit(fen: number, bp: number): number {
  const r = fen % 10000;
  return ((fen - r) / 10000) * bp + Math.floor((r * bp + 5000) / 10000);
}
