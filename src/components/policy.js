// The overview's building blocks: a city's policy card (rules in force, each with its article)
// and the general-pooling rate chart. Input: one entry of src/data/policies.json.
import {bp} from "./format.js";
import {translator} from "./i18n.js";
import {CITY_ORDER, cityName} from "./cities.js";
import {COLORS} from "./chart.js";
import {el} from "./dom.js";
import {cite} from "./cite.js";
import {noteAttr} from "./notes.js";

/** The rows an overview card shows first; the rest sit under 全部参数 / All parameters. */
export const KEY_RULES = [
  /^benefits\.general\.deductible\.(mechanism|amount)$/,
  /^benefits\.general\.rate\./,
  /^caps\./,
  /^secondPayment\./,
  /^accounts\.(active|flexible|retired|retiredAged70)$/
];
export const isKeyRule = (key) => KEY_RULES.some((re) => re.test(key));

function ruleTable(rows, lang) {
  const t = translator(lang);
  return el(
    "table",
    {class: "fs-policy-table"},
    el(
      "tbody",
      {},
      rows.map((r) =>
        el(
          "tr",
          {"data-key": r.key},
          el("td", {class: "fs-label"}, lang === "en" ? r.labelEn : r.labelZh),
          el(
            "td",
            {class: "fs-value", title: noteAttr(r.note)},
            lang === "en" ? (r.valueEn ?? r.value) : r.value,
            r.assumption ? el("span", {class: "fs-assumption", title: r.note ? noteAttr(r.note) : t.key("assumptionNote")}, lang === "en" ? " (assumption)" : "（假设）") : null,
            r.ref ? el("span", {class: "fs-ref"}, cite(r.ref, lang)) : null,
            r.changes?.length ? el("span", {class: "fs-ref"}, t("调整：", "Changes: "), cite(r.changes.join(t("；", "; ")), lang)) : null
          )
        )
      )
    )
  );
}

/** A card: the city, its document, the key rules (label · value · article), then the rest. */
export function policyCard(entry, {lang = "zh"} = {}) {
  const t = translator(lang);
  const name = lang === "en" ? entry.nameEn : entry.nameZh;
  const province = lang === "en" ? entry.provinceEn : entry.provinceZh;
  const doc = entry.document ?? {};
  const rows = entry.rows ?? [];
  const key = rows.filter((r) => isKeyRule(r.key));
  const rest = rows.filter((r) => !isKeyRule(r.key));
  return el(
    "div",
    {class: "card fs-policy-card", "data-city": entry.city},
    el("div", {class: "fs-card-title"}, el("h2", {}, name), el("span", {class: "fs-card-doc"}, province)),
    el("div", {class: "fs-card-doc"}, cite(doc.title, lang), doc.number ? " " : null, cite(doc.number, lang)),
    ruleTable(key, lang),
    rest.length
      ? el("details", {class: "fs-more"}, el("summary", {}, t(`其他参数（${rest.length}项）`, `Other parameters (${rest.length})`)), ruleTable(rest, lang))
      : null
  );
}

const LEVEL_NAMES = {1: ["一级及以下", "Level 1"], 2: ["二级", "Level 2"], 3: ["三级", "Level 3"]};
const STATUS_NAMES = {active: ["在职", "Active"], retired: ["退休", "Retired"]};

/** The rate chart's rows (also its CSV): one per city × level × status. */
export function rateRows(entries, {lang = "zh"} = {}) {
  const i = lang === "en" ? 1 : 0;
  return entries.flatMap((e) =>
    (e.rates ?? []).map((r) => ({
      city: e.city,
      cityName: cityName(e.city, lang),
      level: r.level,
      levelName: LEVEL_NAMES[r.level][i],
      status: r.status,
      statusName: STATUS_NAMES[r.status][i],
      rateBp: r.rateBp,
      rate: r.rateBp / 10000,
      label: bp(r.rateBp)
    }))
  );
}

/** General-pooling reimbursement rate by facility level and status, one panel per city. */
export function rateChartSpec(rows, {width = 640, lang = "zh"} = {}) {
  const t = translator(lang);
  const i = lang === "en" ? 1 : 0;
  const cities = CITY_ORDER.filter((c) => rows.some((r) => r.city === c)).map((c) => cityName(c, lang));
  const columns = width < 560 ? 2 : width < 900 ? 3 : Math.max(1, cities.length);
  const panel = Math.max(90, Math.floor((width - 40) / columns) - 24);
  return {
    title: {
      text: t("普通门诊统筹支付比例（按医疗机构级别和人员类别）", "General outpatient pooling: reimbursement rate by facility level and status"),
      subtitle: t("改革方案，2024年6月1日执行的标准", "Reform scheme, rules in force on 1 June 2024")
    },
    data: {values: rows},
    facet: {field: "cityName", type: "nominal", sort: cities, title: null, header: {labelFontWeight: 600}},
    columns,
    spacing: {column: 16, row: 20},
    spec: {
      width: panel,
      height: 170,
      encoding: {
        x: {
          field: "levelName",
          type: "nominal",
          sort: [1, 2, 3].map((l) => LEVEL_NAMES[l][i]),
          title: null,
          // "一级及以下" on two lines, so narrow panels keep the three labels apart
          axis: {labelAngle: 0, labelExpr: "datum.label === '一级及以下' ? ['一级', '及以下'] : datum.label"}
        },
        xOffset: {field: "statusName", sort: [STATUS_NAMES.active[i], STATUS_NAMES.retired[i]]},
        y: {field: "rate", type: "quantitative", title: t("支付比例", "Rate"), scale: {domain: [0, 1]}, axis: {format: ".0%", tickCount: 5}}
      },
      layer: [
        {
          mark: {type: "bar", cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2},
          encoding: {
            color: {
              field: "statusName",
              type: "nominal",
              title: t("人员类别", "Status"),
              scale: {domain: [STATUS_NAMES.active[i], STATUS_NAMES.retired[i]], range: [COLORS.active, COLORS.retired]}
            },
            tooltip: [
              {field: "cityName", title: t("城市", "City")},
              {field: "levelName", title: t("医疗机构级别", "Facility level")},
              {field: "statusName", title: t("人员类别", "Status")},
              {field: "label", title: t("支付比例", "Rate")}
            ]
          }
        },
        {mark: {type: "text", dy: -6, fontSize: 9, color: "#444"}, encoding: {text: {field: "label"}}}
      ]
    }
  };
}

/** The CSV columns of the rate chart. */
export const RATE_COLUMNS = ["city", "cityName", "level", "levelName", "status", "statusName", "rateBp", "rate"];
