// Money is integer fen; rates are integer basis points. These are the only conversions between
// the text's notation ("200", "85.50", "55%") and the integers the rules compute with.

const YUAN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** Parse a non-negative yuan amount with at most two decimals into fen; null if malformed. */
export function parseYuan(input: unknown): number | null {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) return null;
    // A JS number such as 85.5 prints exactly as written for ≤ 2 decimals within range.
    text = String(input);
    if (/e/i.test(text)) return null;
  } else if (typeof input === "string") {
    text = input.trim();
  } else return null;
  const m = YUAN.exec(text);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
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

/** roundHalfUp(fen × bp / 10000) for non-negative integers: exact while fen × bp < 2^53. */
export function applyRate(fen: number, bp: number): number {
  return Math.floor((fen * bp + 5000) / 10000);
}
