// Display formatting for money, rates and months, Chinese first. Money arrives as integer fen
// (number or BigInt, e.g. from a DuckDB BIGINT column) and leaves as a string; all rounding of
// money is half-up on the exact integer (BigInt arithmetic), never on a float.
//
//   yuan(123456)                    "1,234.56 元"        en: "¥1,234.56"
//   wan(1234567890)                 "1,234.6 万元"       en: "¥12.35 m"
//   money(fen)                      元 below 10万元, 万元 from there (1亿元 and up: 亿元)
//   fundMoney(fen, {sign: true})    "+57.76 亿元" / "+8,782 万元"   en: "+¥5.78 bn" / "+¥87.8 m"
//   bp(5500) / pct(0.553)           "55%" / "55.3%"
//   pp(0.025)                       "+2.5个百分点"       en: "+2.5 pp"
//   months(14.25)                   "14.3 个月"          en: "14.3 months"
// Every function takes {lang: "zh"|"en"} (default "zh"); null, undefined and NaN give "—" (a true
// zero is written in the column's unit: "0.0 万元", "0.0%", never "—"). A negative number carries
// the minus sign U+2212 (−), never the hyphen-minus, and a figure that rounds to zero no sign at all.

const DASH = "—";

function isMissing(x) {
  return x === null || x === undefined || (typeof x === "number" && !Number.isFinite(x));
}

/** Fen (integer number, BigInt or integer string) → BigInt; throws on a fractional fen. */
export function toFen(x) {
  if (typeof x === "bigint") return x;
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new TypeError(`fen must be an integer, got ${x}`);
    return BigInt(x);
  }
  if (typeof x === "string" && /^-?\d+$/.test(x.trim())) return BigInt(x.trim());
  throw new TypeError(`fen must be an integer, got ${JSON.stringify(x)}`);
}

/** The minus sign of shown money (U+2212, not the hyphen-minus): −40,555 万元. */
export const MINUS = "\u2212";

/** Group an unsigned decimal integer string with commas: "1234567" → "1,234,567". */
function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** |fen| / unit rounded half-up to `decimals` places, as a grouped string with sign. */
function scaled(fen, unitFen, decimals) {
  const f = toFen(fen);
  const neg = f < 0n;
  const abs = neg ? -f : f;
  const scale = 10n ** BigInt(decimals);
  // round(abs * scale / unit) half-up, exactly
  const q = (abs * scale * 2n + unitFen) / (unitFen * 2n);
  const whole = q / scale;
  const frac = q % scale;
  const text = group(whole.toString()) + (decimals > 0 ? "." + frac.toString().padStart(decimals, "0") : "");
  return (neg && q !== 0n ? MINUS : "") + text;
}

/** Fen → yuan with two decimals: "1,234.56 元" / "¥1,234.56". */
export function yuan(fen, {lang = "zh", decimals = 2, unit = true} = {}) {
  if (isMissing(fen)) return DASH;
  const s = scaled(fen, 100n, decimals);
  if (!unit) return s;
  return lang === "en" ? currencyEn(s, "") : `${s} 元`;
}

/** Fen → 万元 (ten-thousand yuan): "1,234.5 万元" / "¥12.35 m". */
export function wan(fen, {lang = "zh", decimals = 1, unit = true} = {}) {
  if (isMissing(fen)) return DASH;
  if (lang === "en") {
    // English readers count in millions: 1 m yuan = 100 万元.
    const s = scaled(fen, 100_000_000n, decimals + 1);
    return unit ? currencyEn(s, " m") : s;
  }
  const s = scaled(fen, 1_000_000n, decimals);
  return unit ? `${s} 万元` : s;
}

/** Fen → 亿元 (hundred-million yuan): "12.35 亿元" / "¥1,234.6 m". */
export function yi(fen, {lang = "zh", decimals = 2, unit = true} = {}) {
  if (isMissing(fen)) return DASH;
  if (lang === "en") return wan(fen, {lang, decimals: Math.max(0, decimals - 1), unit});
  const s = scaled(fen, 10_000_000_000n, decimals);
  return unit ? `${s} 亿元` : s;
}

/** Fen → the unit a reader expects: 元 below 10万元, 万元 up to 1亿元, 亿元 above. */
export function money(fen, {lang = "zh"} = {}) {
  if (isMissing(fen)) return DASH;
  const f = toFen(fen);
  const abs = f < 0n ? -f : f;
  if (abs < 10_000_000n) return yuan(f, {lang});
  if (abs < 10_000_000_000n || lang === "en") return wan(f, {lang});
  return yi(f, {lang});
}

/**
 * Fen at the scale of a fund, for headlines: 亿元 from 1 亿元 up (2 decimals below 10 亿元, 1 from
 * there), 万元 below (1 decimal below 100 万元, none from there); English: ¥ bn from 1 bn, ¥ m below.
 * `sign: true` writes "+" before a positive amount (a negative one always carries MINUS).
 */
export function fundMoney(fen, {lang = "zh", sign = false} = {}) {
  if (isMissing(fen)) return DASH;
  const f = toFen(fen);
  const abs = f < 0n ? -f : f;
  let s;
  if (lang === "en") {
    s = abs >= 100_000_000_000n ? currencyEn(scaled(f, 100_000_000_000n, 2), " bn") : currencyEn(scaled(f, 100_000_000n, 1), " m");
  } else if (abs >= 10_000_000_000n) {
    s = `${scaled(f, 10_000_000_000n, abs >= 100_000_000_000n ? 1 : 2)} 亿元`;
  } else {
    s = `${scaled(f, 1_000_000n, abs >= 100_000_000n ? 0 : 1)} 万元`;
  }
  // no "+" on an amount that rounds to zero
  return sign && f > 0n && /[1-9]/.test(s) ? `+${s}` : s;
}

function currencyEn(s, suffix) {
  return s.startsWith(MINUS) ? `${MINUS}¥${s.slice(1)}${suffix}` : `¥${s}${suffix}`;
}

/** A number already written as text: its hyphen-minus → MINUS, and "−0.0" (a negative that rounds
 *  to zero) → "0.0". */
export function trueMinus(s) {
  const t = String(s).replace(/^-/, MINUS);
  return t.startsWith(MINUS) && !/[1-9]/.test(t) ? t.slice(1) : t;
}

/** A plain number with grouping: 1234567.8 → "1,234,567.8", −3 → "−3". */
export function num(x, {decimals = 0, lang = "zh"} = {}) {
  if (isMissing(x)) return DASH;
  return trueMinus(Number(x).toLocaleString(lang === "en" ? "en-US" : "zh-CN", {minimumFractionDigits: decimals, maximumFractionDigits: decimals}));
}

/** Basis points → "55%" (up to two decimals, trailing zeros dropped). */
export function bp(points, {decimals = 2} = {}) {
  if (isMissing(points)) return DASH;
  return `${trueMinus(trim((Number(points) / 100).toFixed(decimals)))}%`;
}

/** A fraction → percentage: 0.553 → "55.3%". */
export function pct(x, {decimals = 1, trimZeros = false} = {}) {
  if (isMissing(x)) return DASH;
  const s = (Number(x) * 100).toFixed(decimals);
  return `${trueMinus(trimZeros ? trim(s) : s)}%`;
}

/** A change in a fraction, as percentage points with sign: 0.025 → "+2.5个百分点" / "+2.5 pp". */
export function pp(delta, {lang = "zh", decimals = 1} = {}) {
  if (isMissing(delta)) return DASH;
  const s = signedFixed(Number(delta) * 100, decimals);
  return lang === "en" ? `${s} pp` : `${s}个百分点`;
}

/** A signed ratio change (同比): 0.052 → "+5.2%". */
export function change(x, {decimals = 1} = {}) {
  if (isMissing(x)) return DASH;
  return `${signedFixed(Number(x) * 100, decimals)}%`;
}

/** v with `decimals` places and its sign: "+2.5", "−2.5", "0.0" (no sign on what rounds to zero). */
function signedFixed(v, decimals) {
  const s = trueMinus(v.toFixed(decimals));
  return /[1-9]/.test(s) && v > 0 ? `+${s}` : s;
}

/** Months (可支付月数): 14.25 → "14.3 个月" / "14.3 months". */
export function months(n, {lang = "zh", decimals = 1} = {}) {
  if (isMissing(n)) return DASH;
  const s = trueMinus(Number(n).toFixed(decimals));
  if (lang === "en") return `${s} ${decimals === 0 && Number(s) === 1 ? "month" : "months"}`;
  return `${s} 个月`;
}

function trim(s) {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** An ISO date "2024-06-01" → "2024年6月1日" / "1 June 2024". */
export function date(iso, {lang = "zh"} = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ""));
  if (!m) return DASH;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return lang === "en" ? `${d} ${EN_MONTHS[mo - 1]} ${y}` : `${y}年${mo}月${d}日`;
}
