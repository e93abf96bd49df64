// The back-test on the methods page (issue 12 item 4): the model's lines against the published
// accounts, 2021–2024. Data: src/data/backtest.json.ts (rows with their sources and notes by index).
import {translator} from "./i18n.js";
import {cityName, CITY_ORDER} from "./cities.js";
import {dataTable} from "./fund.js";
import {change, num} from "./format.js";

/** Line labels: the per-insured lines of a city share the label of the national line. */
export const BACKTEST_LINES = {
  insured: ["参保人数", "Insured"],
  retiree_share: ["退休人员占比", "Retiree share"],
  pooled_income: ["统筹基金收入", "Pooled income"],
  pooled_spending: ["统筹基金支出", "Pooled spending"],
  surplus_rate: ["统筹基金当期结余率", "Pooled surplus rate"],
  pooled_balance: ["统筹基金累计结存", "Pooled balance"],
  months: ["可支付月数", "Months of reserve"],
  account_income: ["个人账户收入", "Account income"],
  account_spending: ["个人账户支出", "Account spending"],
  fund_income: ["基金收入（统筹+账户）", "Fund income (pooled + accounts)"],
  fund_spending: ["基金支出（统筹+账户）", "Fund spending (pooled + accounts)"],
  fund_surplus_rate: ["基金当期结余率（统筹+账户）", "Fund surplus rate (pooled + accounts)"]
};
/** Places compared with that are not modelled cities: the stand-ins of accounts.yaml. */
const OTHER_PLACES = {national: ["全国", "national"], nanchong: ["南充", "Nanchong"], xinyu: ["新余", "Xinyu"]};
/** The name of the place a row compares with. */
const comparedName = (place, lang) => (OTHER_PLACES[place] ? pick(OTHER_PLACES[place], lang) : cityName(place, lang));
const UNITS = {
  "10k_persons": ["万人", "10k persons"],
  percent: ["%", "%"],
  "100m_yuan": ["亿元", "100m yuan"],
  months: ["月", "months"],
  yuan: ["元/人", "yuan per insured"]
};
export const FIT_LABELS = {
  calibrated: ["校准（按构造吻合）", "calibrated (matched by construction)"],
  input: ["模型输入", "model input"],
  out_of_sample: ["样本外", "out of sample"]
};

/** The notes' words by code ([中文, English], or a function of the row giving them). The list of
 *  the composite's member cities is left out here: the text above the table says it. */
const NOTES = {
  vs_national: ["对比全国数值", "against the national figure"],
  vs_stand_in: (r) => [`对比同省参照城市${comparedName(r.comparedWith, "zh")}`, `against ${comparedName(r.comparedWith, "en")}, a city of the same province standing in`],
  composite_members: null,
  calibrated_composite: ["各成员城市按构造吻合，按全国退休人员占比加权后略有偏离", "each member city meets it by construction; weighting to the national retiree share moves it a little"],
  calibrated_months: ["由公布的年初月数和校准的结余率决定", "follows from the published opening months and the calibrated surplus rate"],
  calibrated_line: (r) => [
    `按构造吻合：对账调节项按${comparedName(r.comparedWith, "zh")}${r.year}年${r.line === "fund_surplus_rate" ? "基金" : "统筹基金"}当期结余率求解`,
    `matched by construction: the reconciliation line is solved for the ${comparedName(r.comparedWith, "en")} ${r.year} ${r.line === "fund_surplus_rate" ? "fund" : "pooled"} surplus rate`
  ],
  spending_scaled: ["人均医疗费用（输入）按全国基金支出的增长推算，部分属样本内", "spending per insured (an input) was scaled by the national fund spending's growth: partly in sample"],
  base_levels: ["人群为2023年水平（未模拟增长）", "population at the 2023 levels (no growth modelled)"],
  composite_scaled: ["合成按此缩放", "the composite is scaled to it"]
};

function openingWords(o, lang) {
  if (!o) return "";
  if (o.kind === "published_balance") return lang === "en" ? `opening: the published end-${o.balanceYear} balance, ${o.balanceYi.toLocaleString("en")} × 100 million yuan` : `年初：公布的${o.balanceYear}年末结存${o.balanceYi.toLocaleString("zh-CN")}亿元`;
  if (o.kind === "published_months") {
    return lang === "en"
      ? `opening: the published end-${o.balanceYear} national balance as ${o.months} months of the year's published pooled spending, on the model's`
      : `年初：公布的${o.balanceYear}年末全国结存折合当年公布统筹支出${o.months}个月，乘以模型的统筹支出`;
  }
  return lang === "en" ? `opening: assumed ${o.months} months of the model's pooled spending` : `年初：假设为模型统筹支出的${o.months}个月`;
}

function noteWords(r, lang) {
  const words = r.notes.map((code) => NOTES[code]).filter(Boolean).map((n) => pick(typeof n === "function" ? n(r) : n, lang));
  const opening = openingWords(r.opening, lang);
  return [...words, opening].filter(Boolean).join(lang === "en" ? "; " : "；");
}

const baseLine = (line) => line.replace(/_per_insured$/, "");
const pick = (pair, lang) => pair[lang === "en" ? 1 : 0];

export function lineLabel(line, lang = "zh") {
  const l = BACKTEST_LINES[baseLine(line)];
  const label = l ? pick(l, lang) : line;
  return line.endsWith("_per_insured") ? (lang === "en" ? `${label} per insured` : `人均${label}`) : label;
}

export function placeLabel(place, lang = "zh") {
  return place === "national" ? (lang === "en" ? "National composite" : "全国合成") : cityName(place, lang);
}

/** Rows with labels and texts resolved, places in page order (national first). */
export function backtestRows(data, {lang = "zh"} = {}) {
  const order = ["national", ...CITY_ORDER];
  const text = (i) => (i === null || i === undefined ? "" : data.texts[i]);
  return data.rows
    .map((r) => ({
      ...r,
      placeName: placeLabel(r.place, lang),
      lineName: lineLabel(r.line, lang),
      unitName: UNITS[r.unit] ? pick(UNITS[r.unit], lang) : r.unit,
      fitName: pick(FIT_LABELS[r.fit], lang),
      sourceText: text(r.source),
      noteText: noteWords(r, lang)
    }))
    .sort((a, b) => order.indexOf(a.place) - order.indexOf(b.place) || a.year - b.year);
}

export function backtestTable(rows, {lang = "zh", name = "backtest"} = {}) {
  const t = translator(lang);
  const value = (v, r) => (v === null ? "—" : num(v, {decimals: r.unit === "percent" || r.unit === "months" ? 1 : 0, lang}));
  return dataTable(
    rows,
    [
      {key: "placeName", label: t("地区", "Place"), class: "fs-nowrap"},
      {key: "year", label: t("年份", "Year")},
      {key: "rules", label: t("规则", "Rules"), class: "fs-nowrap", format: (v) => (v === "reform" ? t("改革后", "reform") : t("改革前", "pre-reform"))},
      {key: "lineName", label: t("项目", "Line"), class: "fs-wide"},
      {key: "unitName", label: t("单位", "Unit"), class: "fs-nowrap"},
      {key: "model", label: t("模型", "Model"), num: true, format: value},
      {key: "published", label: t("公布", "Published"), num: true, format: value},
      {key: "errorPct", label: t("误差", "Error"), num: true, format: (v) => (v === null ? "—" : change(v / 100))}, // true minus sign (format.js)
      {key: "fitName", label: t("样本", "Fit"), class: "fs-nowrap"},
      {key: "comparedWith", label: t("对比对象", "Compared with"), class: "fs-nowrap", format: (v) => comparedName(v, lang)},
      {key: "rating", label: t("评级", "Rating"), format: (v) => v ?? "—"},
      {key: "noteText", label: t("说明", "Note"), class: "fs-small", format: (v) => v || "—"}
    ],
    {attrs: {"data-table": name}}
  );
}

/** Error in % by line (rows with a published figure), one panel per year, a dot per place;
 *  hollow dots are lines matched by construction or model inputs. */
export function backtestChartSpec(rows, {width = 900, lang = "zh"} = {}) {
  const t = translator(lang);
  const shown = rows.filter((r) => r.errorPct !== null && r.line !== "insured");
  const lines = [...new Set(Object.keys(BACKTEST_LINES).map((l) => lineLabel(l, lang)))].filter((l) => shown.some((r) => lineLabel(baseLine(r.line), lang) === l));
  const places = ["national", ...CITY_ORDER].map((p) => placeLabel(p, lang));
  const years = [...new Set(shown.map((r) => r.year))].sort();
  const data = shown.map((r) => ({...r, lineGroup: lineLabel(baseLine(r.line), lang), tested: r.fit === "out_of_sample"}));
  return {
    title: {
      text: t("回测：模型与公布决算的误差", "Back-test: the model against the published accounts"),
      subtitle: t(
        "误差 =（模型 − 公布）÷ 公布。城市与全国数值对比（未找到城市决算）；实心点为样本外检验，空心点为校准或输入项",
        ["Error = (model − published) ÷ published. Cities against the national figures (no city accounts found);", "filled dots are out-of-sample tests, hollow ones calibrated lines or inputs"]
      )
    },
    data: {values: data},
    columns: years.length,
    facet: {field: "year", type: "ordinal", title: null, header: {labelFontSize: 13}},
    spec: {
      width: Math.max(140, Math.floor((width - 260) / Math.max(1, years.length)) - 20),
      height: lines.length * 22,
      layer: [
        {mark: {type: "rule", color: "#888"}, encoding: {x: {datum: 0, type: "quantitative"}}},
        ...[true, false].map((tested) => ({
          transform: [{filter: tested ? "datum.tested" : "!datum.tested"}],
          mark: {type: "point", size: 60, strokeWidth: 1.8, opacity: 0.9, filled: tested},
          encoding: {
            y: {field: "lineGroup", type: "nominal", sort: lines, title: null, axis: {labelLimit: 280}},
            x: {field: "errorPct", type: "quantitative", title: t("误差（%）", "Error (%)")},
            color: {field: "placeName", type: "nominal", title: null, sort: places, scale: {domain: places}},
            tooltip: [
              {field: "placeName", title: t("地区", "Place")},
              {field: "year", title: t("年份", "Year")},
              {field: "lineName", title: t("项目", "Line")},
              {field: "model", title: t("模型", "Model"), format: ",.1f"},
              {field: "published", title: t("公布", "Published"), format: ",.1f"},
              {field: "errorPct", title: t("误差（%）", "Error (%)"), format: "+.1f"},
              {field: "fitName", title: t("样本", "Fit")}
            ]
          }
        }))
      ]
    }
  };
}
