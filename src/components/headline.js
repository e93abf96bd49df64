// The one sentence a page leads with (in the sign convention of ./effect.js):
//
//   overviewHeadline(R, year, {lang})   the overview's finding: five cities together, 同比, who gains
//   cityHeadline(R, city, year, {lang}) a city page's finding
// The headline figures are on NHSA's statistical-bulletin basis (the nhsa_* flow lines: retiree
// credits paid by the pool count as account income), and each headline says so in a small label.
import {fundMoney, months as fmtMonths, pct} from "./format.js";
import {effectOf, effectText, toneClass} from "./effect.js";
import {translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {headline, winnerRows} from "./fund-data.js";
import {el} from "./dom.js";

/** A count of cities as Chinese writes it in running text: 五市, 六市 … 十市, then digits. */
const chineseCount = (n) => (n >= 1 && n <= 10 ? "一两三四五六七八九十"[n - 1] : String(n));

/** A figure in a sentence: a <strong> with its tone and the metric it shows (for tests and print). */
function figure(text, better, metric) {
  return el("strong", {class: toneClass(better), "data-metric": metric}, text);
}

/** The year before `year`, when the results hold it (同比 needs two years). */
export function priorYear(R, year) {
  return R.years.includes(year - 1) ? year - 1 : null;
}

/**
 * Shares gaining and losing by status (active, retired, flexible), for one city or the five
 * together (each city's sample weighted by its insured, R.scale).
 */
export function statusShares(R, {year, city, lang = "zh"}) {
  const rows = winnerRows(R, {year, city, dimension: "status", lang});
  const by = new Map();
  for (const w of rows) {
    const weight = w.persons * (R.scale[w.city] ?? 1);
    const s = by.get(w.value) ?? {value: w.value, group: w.group, weight: 0, gaining: 0, losing: 0, gain: 0};
    s.weight += weight;
    s.gaining += w.shareGaining * weight;
    s.losing += w.shareLosing * weight;
    s.gain += w.meanGain * weight;
    by.set(w.value, s);
  }
  return [...by.values()].map((s) => ({value: s.value, group: s.group, shareGaining: s.gaining / s.weight, shareLosing: s.losing / s.weight, meanGain: s.gain / s.weight}));
}

/** "退休人员 71.0% 所得增加；在职职工 89.6% 所得减少": the group most gaining and the one most losing. */
function whoSentence(shares, t) {
  if (!shares.length) return null;
  const gain = shares.reduce((a, b) => (b.shareGaining > a.shareGaining ? b : a));
  const lose = shares.reduce((a, b) => (b.shareLosing > a.shareLosing ? b : a));
  return el(
    "p",
    {class: "fs-who"},
    el("span", {class: "fs-who-label"}, t("谁受益、谁负担：", "Who gains, who pays: ")),
    el("span", {class: "fs-better", "data-who": "gain", "data-group": gain.value}, t(`${gain.group} ${pct(gain.shareGaining)} 所得增加`, `${pct(gain.shareGaining)} of ${gain.group.toLowerCase()} gain`)),
    t("；", "; "),
    el("span", {class: "fs-worse", "data-who": "lose", "data-group": lose.value}, t(`${lose.group} ${pct(lose.shareLosing)} 所得减少`, `${pct(lose.shareLosing)} of ${lose.group.toLowerCase()} lose`)),
    t(
      "（每人门诊统筹待遇 + 个人账户划入，改革后减改革前）。",
      " (pooled outpatient benefits + account credits per person, reform minus baseline)."
    )
  );
}

/** The basis label every headline carries. */
function basisLabel(t) {
  return el(
    "span",
    {class: "fs-basis", title: t("统筹基金收支按国家医保局统计公报口径（结果中的公报口径各行）：统筹支付的退休人员划账计入个人账户收入", "Pooled income and spending on NHSA's statistical-bulletin basis (the nhsa_* lines): retiree credits paid by the pool count as account income")},
    t("国家医保局统计公报口径", "NHSA bulletin basis")
  );
}

/** Whether a year-on-year change is too small to mean anything: under 1 万元, or under 0.1 % of the
 *  effect (sampling noise between two years under the same rules); it is then called 持平. */
export function isFlat(d, base) {
  return Math.abs(d) < Math.max(1_000_000, Math.abs(base) * 0.001);
}

/** "（同比多 24.08 亿元）": this year's effect on the balance against the year before's. */
function yoyPart(net, priorNet, prior, t, lang) {
  if (prior === null || priorNet === null) return null;
  const d = isFlat(net - priorNet, net) ? 0 : net - priorNet;
  const text = d === 0 ? t(`与${prior}年持平`, `the same as in ${prior}`) : t(`同比${d > 0 ? "多" : "少"} ${fundMoney(Math.abs(d), {lang})}`, `${fundMoney(Math.abs(d), {lang})} ${d > 0 ? "more" : "less"} than in ${prior}`);
  return el("span", {class: `fs-yoy ${toneClass(d === 0 ? null : d > 0)}`, "data-metric": "yoy"}, text);
}

function container(sentence, who, t, data) {
  return el("div", {class: "fs-headline", ...data}, el("p", {class: "fs-headline-text"}, ...sentence.flat(2), " ", basisLabel(t)), who);
}

const sum = (rows, k) => rows.reduce((s, r) => s + r[k], 0);

/** The overview's finding for a year: the five cities' pooled balance together, 同比, months, who gains. */
export function overviewHeadline(R, year, {lang = "zh"} = {}) {
  const t = translator(lang);
  const rows = headline(R, year);
  const prior = priorYear(R, year);
  const net = sum(rows, "net");
  const income = sum(rows, "income");
  const spending = sum(rows, "spending");
  const priorNet = prior === null ? null : sum(headline(R, prior), "net");
  const falling = rows.filter((r) => r.monthsAfter < r.monthsBefore - 0.05).map((r) => cityName(r.city, lang));
  const e = effectOf("balance", net);
  const yoy = yoyPart(net, priorNet, prior, t, lang);
  const n = rows.length;
  const sentence = [
    t(`${year}年，改革使${chineseCount(n)}市统筹基金当期结余合计${e.word[0]} `, `In ${year} the reform ${e.word[1]} `),
    figure(fundMoney(Math.abs(net), {lang}), e.better, "net"),
    t("", ` ${net >= 0 ? "to" : "from"} the ${n} cities' pooled balances together`),
    yoy ? [t("（", " ("), yoy, t("）", ")")] : null,
    t("：", ": "),
    figure(effectText("income", income, lang), effectOf("income", income).better, "income"),
    t("、", ", "),
    figure(effectText("spending", spending, lang), effectOf("spending", spending).better, "spending"),
    t("；", "; "),
    falling.length
      ? t(`年末可支付月数下降的有${falling.join("、")}。`, `months of reserve at year end fall in ${falling.join(", ")}.`)
      : t("各市年末可支付月数均未因改革下降。", "no city's months of reserve at year end fall.")
  ];
  return container(sentence, whoSentence(statusShares(R, {year, lang}), t), t, {"data-net-fen": String(net), "data-year": String(year)});
}

/** A city page's finding for a year: its pooled balance, 同比, months of reserve, who gains. */
export function cityHeadline(R, city, year, {lang = "zh"} = {}) {
  const t = translator(lang);
  const r = headline(R, year).find((x) => x.city === city);
  if (!r) return el("div", {class: "fs-headline"});
  const prior = priorYear(R, year);
  const priorNet = prior === null ? null : (headline(R, prior).find((x) => x.city === city)?.net ?? null);
  const e = effectOf("balance", r.net);
  const m = effectOf("balance", Math.round((r.monthsAfter - r.monthsBefore) * 10));
  const yoy = yoyPart(r.net, priorNet, prior, t, lang);
  const name = cityName(city, lang);
  const sentence = [
    t(`${year}年，改革使${name}统筹基金当期结余${e.word[0]} `, `In ${year} the reform ${e.word[1]} `),
    figure(fundMoney(Math.abs(r.net), {lang}), e.better, "net"),
    t("", ` ${r.net >= 0 ? "to" : "from"} ${name}'s pooled balance`),
    yoy ? [t("（", " ("), yoy, t("）", ")")] : null,
    t("：", ": "),
    figure(effectText("income", r.income, lang), effectOf("income", r.income).better, "income"),
    t("、", ", "),
    figure(effectText("spending", r.spending, lang), effectOf("spending", r.spending).better, "spending"),
    t("；年末可支付月数 ", "; months of reserve at year end "),
    figure(`${Number.isFinite(r.monthsBefore) ? r.monthsBefore.toFixed(1) : "—"} → ${fmtMonths(r.monthsAfter, {lang})}`, m.better, "months"),
    t("。", ".")
  ];
  return container(sentence, whoSentence(statusShares(R, {year, city, lang}), t), t, {"data-net-fen": String(r.net), "data-year": String(year), "data-city": city});
}
