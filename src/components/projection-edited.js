// The projection page's edited paths: the reform and baseline paths the worker recomputes under the
// assumptions panel's values (projection-edit.js), set against the build's (the files' assumptions).
//
//   editedCards(C, P, R, edited, {lang})               last year's figures, edited vs the files'
//   editedSpec(C, R, {lang, field: "months" | "balance"}), editedRows(C, R, {lang})
//
// R is the worker's answer ({paths, firstDeficitYear, firstExhaustedYear, ms, id}); C one city of
// data/projection.json; `edited` the panel's value.
import {COLORS} from "./chart.js";
import {el} from "./dom.js";
import {months as fmtMonths, num} from "./format.js";
import {translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {moneyText, moneyUnit} from "./projection.js";

const last = (paths, role) => paths.filter((p) => p.role === role).at(-1);

const SERIES = (t) => ({
  reformFile: t("改革后·文件假设", "Reform, files' assumptions"),
  reformEdited: t("改革后·当前假设", "Reform, assumptions above"),
  baselineFile: t("改革前规则·文件假设", "Baseline, files' assumptions"),
  baselineEdited: t("改革前规则·当前假设", "Baseline, assumptions above")
});

/** Rows for the edited-path charts: the build's reform and baseline and the worker's, by year. */
export function editedRows(C, R, {lang = "zh"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const u = moneyUnit(lang);
  const row = (p, series, key) => ({year: p.year, series, key, months: p.months, balance: p.balanceWan * u.factor});
  return [
    ...C.paths.filter((p) => p.role === "reform").map((p) => row(p, S.reformFile, "reformFile")),
    ...R.paths.filter((p) => p.role === "reform").map((p) => row(p, S.reformEdited, "reformEdited")),
    ...C.paths.filter((p) => p.role === "baseline").map((p) => row(p, S.baselineFile, "baselineFile")),
    ...R.paths.filter((p) => p.role === "baseline").map((p) => row(p, S.baselineEdited, "baselineEdited"))
  ];
}

/** Months of reserve (with the 6 and 15 month lines) or the balance, edited against the files'. */
export function editedSpec(C, R, {lang = "zh", field = "months"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const u = moneyUnit(lang);
  const rows = editedRows(C, R, {lang});
  const domain = [S.reformFile, S.reformEdited, S.baselineFile, S.baselineEdited];
  const months = field === "months";
  const yTitle = months ? t("可支付月数（个月）", "Months of reserve") : t(`累计结余（${u.label}）`, `Balance (${u.label})`);
  const refs = months
    ? [
        {y: 6, label: t("6个月", "6 months")},
        {y: 15, label: t("15个月", "15 months")}
      ]
    : [{y: 0, label: ""}];
  return {
    title: {
      text: months
        ? t(`${cityName(C.city, "zh")}：可支付月数，当前假设与文件假设`, `${cityName(C.city, "en")}: months of reserve, edited vs files`)
        : t(`${cityName(C.city, "zh")}：年末累计结余，当前假设与文件假设`, `${cityName(C.city, "en")}: balance at year end, edited vs files`),
      // Two short lines: the charts stand two abreast.
      subtitle: t(
        ["橙色：按上方假设在浏览器中重算（与构建时同一样本、同一代码）；", "蓝、灰：构建时按假设文件计算。未修改时两者重合。"],
        ["Orange: recomputed here with the assumptions above;", "blue, grey: the build, with the files' assumptions.", "Same sample, same code: unedited, they coincide."]
      )
    },
    height: 260,
    data: {values: rows},
    layer: [
      {
        data: {values: refs},
        mark: {type: "rule", color: months ? "#c62828" : "#999", strokeDash: months ? [6, 4] : [1, 0], strokeWidth: months ? 1.2 : 1},
        encoding: {y: {field: "y", type: "quantitative"}}
      },
      ...(months
        ? [
            {
              data: {values: refs},
              mark: {type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, fontSize: 11, fontWeight: 600, color: "#c62828"},
              encoding: {y: {field: "y", type: "quantitative"}, x: {value: 0}, text: {field: "label"}}
            }
          ]
        : []),
      {
        mark: {type: "line", point: {size: 26, filled: true}},
        encoding: {
          x: {field: "year", type: "ordinal", title: t("年度", "Year"), axis: {labelAngle: 0}},
          y: {field, type: "quantitative", title: yTitle},
          color: {field: "series", type: "nominal", title: null, scale: {domain, range: [COLORS.reform, "#d9822b", COLORS.baseline, "#e9b07a"]}, legend: {orient: "bottom", columns: 2, symbolType: "stroke", symbolSize: 300, symbolStrokeWidth: 2.5, labelLimit: 240}},
          strokeDash: {field: "series", type: "nominal", title: null, scale: {domain, range: [[1, 0], [1, 0], [5, 3], [5, 3]]}},
          tooltip: [
            {field: "series", title: t("路径", "Path")},
            {field: "year", title: t("年度", "Year")},
            {field, title: yTitle, format: months ? ".2f" : u.fmt}
          ]
        }
      }
    ]
  };
}

const yearText = (y, t, none) => (y === null || y === undefined ? none : t(`${y}年`, String(y)));

/** The last year's figures under the edited assumptions, each with the files' beside it. */
export function editedCards(C, P, R, edited, {lang = "zh"} = {}) {
  const t = translator(lang);
  const Y = P.lastYear;
  const none = t(`${Y}年前无`, `none by ${Y}`);
  const e = last(R.paths, "reform"), f = last(C.paths, "reform"), eb = last(R.paths, "baseline"), fb = last(C.paths, "baseline");
  const warn = (m) => (m !== null && (m < 6 || m > 15) ? "fs-warn" : "");
  const card = (label, big, metric, value, ...sub) =>
    el(
      "div",
      {class: "fs-kpi"},
      el("div", {class: "fs-kpi-label"}, label),
      el("div", {class: "fs-kpi-big", "data-metric": metric, "data-value": value}, big),
      ...sub.map((s) => el("div", {class: "fs-kpi-sub"}, s))
    );
  const n = edited.changed.length;
  const cards = el(
    "div",
    {class: "fs-kpis pj-edited-cards", style: "grid-template-columns: repeat(auto-fit, minmax(200px, 1fr))", "data-city": C.city, "data-run": R.id, "data-edited": n},
    card(
      t(`${Y}年末可支付月数（当前假设）`, `Months of reserve, end of ${Y} (assumptions above)`),
      el("span", {class: warn(e.months)}, fmtMonths(e.months, {lang})),
      "edited-months-last",
      e.months ?? "",
      t(`文件假设：${fmtMonths(f.months, {lang})}`, `files' assumptions: ${fmtMonths(f.months, {lang})}`),
      t(`改革前规则：${fmtMonths(eb.months, {lang})}（文件假设 ${fmtMonths(fb.months, {lang})}）`, `baseline: ${fmtMonths(eb.months, {lang})} (files' ${fmtMonths(fb.months, {lang})})`)
    ),
    card(
      t(`${Y}年末累计结余（当前假设）`, `Balance at the end of ${Y} (assumptions above)`),
      moneyText(e.balanceWan, lang),
      "edited-balance-last",
      e.balanceWan,
      t(`文件假设：${moneyText(f.balanceWan, lang)}`, `files' assumptions: ${moneyText(f.balanceWan, lang)}`)
    ),
    card(
      t("首个当期赤字年份（当前假设）", "First deficit year (assumptions above)"),
      yearText(R.firstDeficitYear.reform, t, none),
      "edited-first-deficit",
      R.firstDeficitYear.reform ?? "",
      t(`文件假设：${yearText(C.firstDeficitYear.reform, t, none)}`, `files' assumptions: ${yearText(C.firstDeficitYear.reform, t, none)}`),
      t(`结余耗尽：${yearText(R.firstExhaustedYear.reform, t, none)}`, `balance exhausted: ${yearText(R.firstExhaustedYear.reform, t, none)}`)
    ),
    card(
      t("在浏览器中重算", "Recomputed in the browser"),
      t(`${num(P.persons, {lang})} 人`, `${num(P.persons, {lang})} persons`),
      "edited-sample",
      P.persons,
      t(`构建时的参考样本 × ${P.years} 年 × 2 种方案`, `the build's reference sample × ${P.years} years × 2 schemes`),
      n ? t(`已修改 ${n} 项假设`, `${n} assumption${n > 1 ? "s" : ""} edited`) : t("未修改假设", "no assumption edited")
    )
  );
  // The time it took is a tooltip (and data-ms), not text: the page reads the same on every load.
  const ms = t(`重算用时 ${num(R.ms, {lang})} 毫秒`, `recomputed in ${num(R.ms, {lang})} ms`);
  cards.lastChild.setAttribute("title", ms);
  cards.dataset.ms = String(Math.round(R.ms));
  return cards;
}
