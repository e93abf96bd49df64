// The projection page's account of its band (issue 13): which sources of uncertainty the Monte Carlo
// band holds, and each one's share of the variance of the last year's months of reserve (the draws
// run again with that source alone) — shown beside the tornado. Input: one city of
// src/data/projection.json.ts (C.uncertainty, C.variance).
//
//   bandSources(C, {lang})     the list of the band's sources, each with what it draws
//   varianceRows(C, {lang})    one row per source: its variance alone and its share
//   varianceSpec(C, {lang})    a bar chart of the shares
import {translator} from "./i18n.js";
import {el} from "./fund.js";

/** What each source draws: [中文, English]. */
export const SOURCE_TEXT = {
  parameters: [
    ["参数不确定性", "Parameter uncertainty"],
    ["工资、费用、利用率、人口流动与行为参数的长期取值（工资与费用增长按给定相关系数联合抽样）", "the long-run values of wage, cost and utilisation growth, the population flows and behaviour (wage and cost growth drawn with their stated correlation)"]
  ],
  process: [
    ["逐年波动", "Year-to-year variation"],
    ["每年费用与工资增长围绕趋势的随机波动", "each year's cost and wage growth around its trend"]
  ],
  structural: [
    ["结构不确定性", "Structural uncertainty"],
    ["年初结余、核对差额、住院支出占比、退休人员占比", "the opening reserve, the reconciliation line, the inpatient share, the retiree share"]
  ],
  sampling: [
    ["抽样误差", "Sampling error"],
    ["参考样本（合成参保人）的抽样误差", "the sampling error of the reference sample of synthetic insured"]
  ]
};

const label = (source, lang) => (SOURCE_TEXT[source] ? SOURCE_TEXT[source][0][lang === "en" ? 1 : 0] : source);

/** The band's sources as a list (data-source on each item). */
export function bandSources(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const i = lang === "en" ? 1 : 0;
  return el("div", {class: "pj-band-sources"}, [
    el("p", {class: "fs-note"}, t("5%–95% 区间包含以下不确定性来源：", "The 5–95% band holds these sources of uncertainty:")),
    el("ul", {}, (C.uncertainty ?? []).map((s) => el("li", {"data-source": s}, [el("strong", {}, SOURCE_TEXT[s]?.[0][i] ?? s), `${t("：", ": ")}${SOURCE_TEXT[s]?.[1][i] ?? ""}`])))
  ]);
}

export function varianceRows(C, {lang = "zh"} = {}) {
  return (C.variance?.shares ?? []).map((x) => ({source: x.source, label: label(x.source, lang), share: x.share, variance: x.variance, sd: Math.sqrt(x.variance)}));
}

export function varianceSpec(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const v = C.variance;
  return {
    title: {
      text: t(`${v.year}年可支付月数的方差分解`, `Variance of the ${v.year} months of reserve by source`),
      subtitle: t(
        `每个来源单独抽样时的方差占各来源方差之和的比例；全部来源同时抽样的方差为 ${v.total.toFixed(1)}，各来源单独之和为 ${v.sumAlone.toFixed(1)}（差额为交互作用与抽样噪声）。`,
        `Each source's variance when drawn alone, as a share of their sum; with all sources together the variance is ${v.total.toFixed(1)}, the sources alone sum to ${v.sumAlone.toFixed(1)} (the difference is their interaction and Monte Carlo noise).`
      )
    },
    height: {step: 26},
    data: {values: varianceRows(C, {lang})},
    layer: [
      {
        mark: {type: "bar", height: {band: 0.7}, color: "#3d9da1"},
        encoding: {
          y: {field: "label", type: "nominal", sort: "-x", title: null, axis: {labelLimit: 240}},
          x: {field: "share", type: "quantitative", title: t("方差占比", "Share of the variance"), axis: {format: ".0%"}, scale: {domain: [0, 1]}},
          tooltip: [
            {field: "label", title: t("来源", "Source")},
            {field: "share", title: t("占比", "Share"), format: ".1%"},
            {field: "sd", title: t("单独时的标准差（个月）", "SD alone (months)"), format: ".2f"}
          ]
        }
      },
      {
        mark: {type: "text", align: "left", dx: 3},
        encoding: {y: {field: "label", type: "nominal", sort: "-x"}, x: {field: "share", type: "quantitative"}, text: {field: "share", format: ".0%"}}
      }
    ]
  };
}
