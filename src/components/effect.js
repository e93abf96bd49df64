// The sign convention every number of the dashboards follows: a change is shown as its EFFECT ON
// THE YEAR'S POOLED BALANCE (+ adds to it, − takes from it), with a word where a sign could be read
// two ways (增收 / 减收 / 增支 / 减支), and coloured by what it means for the fund (fs-better /
// fs-worse in src/style.css), never by its sign alone.
//
//   effectOf("spending", +7.55e9)      → {fen: −7.55e9, better: false, word: ["增支", "more spending"]}
//   effectText("spending", Δfen, "zh") → "−7,549 万元（增支）"
import {fundMoney} from "./format.js";

/** Words for a rise (up) and a fall (down) of a quantity, by what it is to the pooled fund: [zh, en]. */
const WORDS = {
  income: {up: ["增收", "more income"], down: ["减收", "less income"]},
  spending: {up: ["增支", "more spending"], down: ["减支", "less spending"]},
  // money taken out of contributions before they reach the pool (credits to active workers' accounts)
  deduction: {up: ["多划入账户", "more credited to accounts"], down: ["少划入账户", "less credited to accounts"]},
  balance: {up: ["增加", "adds"], down: ["减少", "takes"]},
  neutral: {up: ["增加", "up"], down: ["减少", "down"]}
};
/** Whether a rise in a kind of quantity is good (+1) or bad (−1) for the pooled balance; 0: neither. */
const DIRECTION = {income: 1, spending: -1, deduction: -1, balance: 1, neutral: 0};

/**
 * The effect of a change (reform minus baseline, fen) in a quantity of `kind` on the pooled balance:
 * {fen: signed effect (0 for a neutral quantity), better: true | false | null, word: [zh, en]}.
 */
export function effectOf(kind, deltaFen) {
  const dir = DIRECTION[kind] ?? 0;
  const d = Number(deltaFen) || 0;
  const fen = dir * d;
  const word = d === 0 ? ["不变", "unchanged"] : (WORDS[kind] ?? WORDS.neutral)[d > 0 ? "up" : "down"];
  return {fen, better: dir === 0 || d === 0 ? null : fen > 0, word};
}

/**
 * A change that rounds to zero in its column's unit, in words: "不变 0.0 万元" / "unchanged ¥0.0 m"
 * (`amount` writes fen as the column does); null when it does not round to zero. The city pages'
 * rule (city.js changeWords): what shows as zero is worded 不变, never "0" alone or "+0.0 增支".
 */
export function unchangedText(deltaFen, lang, amount) {
  if (/[1-9]/.test(amount(Math.abs(Number(deltaFen) || 0)))) return null;
  return `${effectOf("neutral", 0).word[lang === "en" ? 1 : 0]} ${amount(0)}`;
}

/** The class that colours a figure by what it means for the fund. */
export function toneClass(better) {
  return better === true ? "fs-better" : better === false ? "fs-worse" : "fs-same";
}

/** "−7.55 亿元（增支）" / "−¥755.0 m (more spending)": the effect on the balance, signed, with its word. */
export function effectText(kind, deltaFen, lang = "zh") {
  const e = effectOf(kind, deltaFen);
  const word = e.word[lang === "en" ? 1 : 0];
  if (kind === "balance") return fundMoney(e.fen, {lang, sign: true});
  if (DIRECTION[kind] === 0) return `${word} ${fundMoney(Math.abs(deltaFen), {lang})}`;
  return lang === "en" ? `${fundMoney(e.fen, {lang, sign: true})} (${word})` : `${fundMoney(e.fen, {lang, sign: true})}（${word}）`;
}

/**
 * The colours of better and worse (those of fs-better / fs-worse in src/style.css), in charts. A
 * person's gain uses them too: better off in the better colour, worse off in the worse one.
 */
export const TONE_COLORS = {better: "#2e7d32", worse: "#c62828", same: "#c9ced4"};

/** A person's gain in words, for legends: [zh, en]. */
const GAIN_WORDS = {better: ["所得增加（受益）", "Better off"], worse: ["所得减少（受损）", "Worse off"], same: ["基本不变", "About the same"]};

/**
 * The colour scale of "who gains and loses" charts: {domain, range, better, worse, same} (the words
 * in `lang`, the colours of TONE_COLORS), so every chart's bars say better / worse off the same way.
 */
export function gainScale(lang = "zh", {same = false} = {}) {
  const i = lang === "en" ? 1 : 0;
  const w = {better: GAIN_WORDS.better[i], worse: GAIN_WORDS.worse[i], same: GAIN_WORDS.same[i]};
  const keys = same ? ["better", "same", "worse"] : ["better", "worse"];
  return {...w, domain: keys.map((k) => w[k]), range: keys.map((k) => TONE_COLORS[k])};
}

/** The legend title of those charts. */
export function gainLegendTitle(lang = "zh") {
  return lang === "en" ? "Colour: the person's gain" : "颜色：参保人所得变化";
}

/** A vega-lite expression giving a gain's word from a field (> 0 better off, < 0 worse off, else the same). */
export function gainWordExpr(field, lang = "zh") {
  const g = gainScale(lang);
  return `datum[${JSON.stringify(field)}] > 0 ? ${JSON.stringify(g.better)} : datum[${JSON.stringify(field)}] < 0 ? ${JSON.stringify(g.worse)} : ${JSON.stringify(g.same)}`;
}
