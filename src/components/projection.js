// The projection page (精算预测, src/projection.md): ten-year paths of the pooled fund, reform against
// baseline, with the Monte Carlo 5–95 % band; the tornado; the utilisation response's effect; the
// assumptions table. Input: one city of src/data/projection.json.ts. The page's interactive part
// (edited assumptions, the goal-seek form) is projection-edit.js, projection-edited.js and projection-seek.js.
//
//   balanceSpec(C, {lang})    pooled balance by year (万元; en: million yuan), band, reform vs baseline
//   monthsSpec(C, {lang})     months of reserve by year, band, reference lines at 6 and 15 months
//   tornadoSpec(C, {lang})    last year's months at each parameter's 5th / 95th percentile
//   responseSpec(C, {lang})   months of reserve with and without the utilisation response
//   summaryCards(C, P, {lang}), assumptionsTable(C, {lang}), citiesTable(P, {lang})
import {COLORS} from "./chart.js";
import {translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {dataTable, el, ratingBadge} from "./fund.js";
import {MINUS, months as fmtMonths, num, pct} from "./format.js";
import {noteBi} from "./notes.js";

/** Parameter names: [中文, English]. */
export const PARAM_LABELS = {
  wageGrowth: ["缴费基数（工资）增长率", "Wage (contribution base) growth"],
  pensionGrowth: ["基本养老金增长率", "Pension growth"],
  costTrend: ["次均费用增长率", "Cost-per-claim trend"],
  utilisationTrend: ["人均就诊次数增长率", "Claims-per-person trend"],
  entryRate: ["新增参保率（在职及灵活就业）", "Entry rate (active & flexible)"],
  retirementRate: ["提前退休率（法定年龄前五年内）", "Early retirement rate (within five years of the statutory age)"],
  retireeMortality: ["死亡率水平（基期退休人员粗死亡率）", "Mortality level (retirees' base-year crude death rate)"],
  elasticityVisitsActive: ["门诊就诊价格弹性·在职", "Visit price elasticity, active"],
  elasticityVisitsRetired: ["门诊就诊价格弹性·退休", "Visit price elasticity, retired"],
  elasticityCostActive: ["次均费用价格弹性·在职", "Cost price elasticity, active"],
  elasticityCostRetired: ["次均费用价格弹性·退休", "Cost price elasticity, retired"],
  levelShift: ["二三级门诊下沉基层比例", "Level-2/3 visits moving to level 1"],
  levelCostRatio: ["下沉就诊费用比", "Cost ratio of a moved visit"],
  responseRampYears: ["利用率响应达到全部所需年数", "Years for the utilisation response to build up"],
  capIndexation: ["起付线和限额随工资调整的比例", "Caps and deductibles indexed to wages (share)"],
  openingReserveMonths: ["年初可支付月数", "Opening reserve (months)"],
  costTrendRetiredDifferential: ["退休人员费用增长差（相对在职）", "Retirees' extra cost growth"],
  costTrendInpatientDifferential: ["住院费用增长差（相对门诊）", "Inpatient extra cost growth"],
  costTrendProcessSd: ["费用增长逐年波动（标准差）", "Year-to-year variation of cost growth (SD)"],
  wageGrowthProcessSd: ["工资增长逐年波动（标准差）", "Year-to-year variation of wage growth (SD)"],
  wageCostCorrelation: ["工资与费用增长的相关系数", "Wage–cost growth correlation"],
  flexibleEntryRate: ["灵活就业新增参保率", "Entry rate, flexible workers"],
  interestRate: ["结余利率", "Interest on the reserve"],
  compliance: ["征缴率（相对基期）", "Contribution collection (relative to the base year)"],
  inpatientShareFactor: ["住院支出倍数（结构不确定性）", "Inpatient line multiplier (structural)"],
  reconciliationFactor: ["核对差额倍数（结构不确定性）", "Reconciliation line multiplier (structural)"],
  retireeShareFactor: ["退休人员占比倍数（结构不确定性）", "Retiree share multiplier (structural)"],
  openingReserveFactor: ["年初结余倍数（结构不确定性）", "Opening reserve multiplier (structural)"]
};
const RATE_KEYS = new Set([
  "wageGrowth", "pensionGrowth", "costTrend", "utilisationTrend", "entryRate", "retirementRate", "retireeMortality", "levelShift", "capIndexation",
  "costTrendRetiredDifferential", "costTrendInpatientDifferential", "costTrendProcessSd", "wageGrowthProcessSd", "flexibleEntryRate", "interestRate"
]);

export const paramLabel = (key, lang) => (PARAM_LABELS[key] ? PARAM_LABELS[key][lang === "en" ? 1 : 0] : key);

/** A parameter's value as read: rates in %, elasticities and ratios as numbers, months. */
export function paramValue(key, v, lang = "zh") {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (RATE_KEYS.has(key)) return pct(v, {decimals: 2, trimZeros: true});
  if (key === "openingReserveMonths") return fmtMonths(v, {lang});
  if (key === "responseRampYears") return lang === "en" ? `${Number(v.toFixed(1))} years` : `${Number(v.toFixed(1))} 年`;
  return String(Number(v.toFixed(3)));
}

/** A distribution as text. */
export function distText(key, d, lang = "zh") {
  const t = translator(lang);
  if (!d) return t("固定值", "fixed");
  const f = (x) => paramValue(key, x, lang);
  if (d.dist === "normal") return t(`正态，标准差 ${f(d.sd)}`, `normal, sd ${f(d.sd)}`);
  if (d.dist === "triangular") return t(`三角分布 [${f(d.min)}, ${f(d.max)}]`, `triangular [${f(d.min)}, ${f(d.max)}]`);
  return t(`均匀分布 [${f(d.min)}, ${f(d.max)}]`, `uniform [${f(d.min)}, ${f(d.max)}]`);
}

/** Money unit of the charts: 万元 in Chinese, million yuan in English (1 m = 100 万元). */
export function moneyUnit(lang) {
  return lang === "en" ? {factor: 0.01, label: "¥ million", fmt: ",.1f"} : {factor: 1, label: "万元", fmt: ",.0f"};
}
/** 万元 → the display unit, as text. */
export function moneyText(w, lang = "zh") {
  if (w === null || w === undefined || !Number.isFinite(w)) return "—";
  const u = moneyUnit(lang);
  if (lang === "en") return `${w < 0 ? MINUS : ""}¥${num(Math.abs(w * u.factor), {decimals: 1, lang})} m`;
  return `${w < 0 && Math.round(w) !== 0 ? MINUS : ""}${num(Math.abs(w), {decimals: 0, lang})} 万元`;
}

const SERIES = (t) => ({
  reform: t("改革后（中位路径）", "Reform (central path)"),
  baseline: t("改革前规则（基线）", "Baseline (pre-reform rules)"),
  band: t("改革后 5–95% 区间", "Reform 5–95% band"),
  off: t("改革后·无利用率响应", "Reform, no utilisation response")
});

const refLines = (t) => [
  {months: 6, label: t("6个月（下限）", "6 months (floor)")},
  {months: 15, label: t("15个月（结余过多）", "15 months (too much)")}
];

/** Rows for the balance and months charts: year × series, and the band per year. */
export function pathChartRows(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const u = moneyUnit(lang);
  const lines = C.paths
    .filter((p) => p.role === "reform" || p.role === "baseline")
    .map((p) => ({year: p.year, series: p.role === "reform" ? S.reform : S.baseline, role: p.role, balance: p.balanceWan * u.factor, months: p.months}));
  const band = C.bands.map((b) => ({
    year: b.year,
    balanceP5: b.balanceP5Wan * u.factor,
    balanceP50: b.balanceP50Wan * u.factor,
    balanceP95: b.balanceP95Wan * u.factor,
    monthsP5: b.monthsP5,
    monthsP50: b.monthsP50,
    monthsP95: b.monthsP95,
    shareLow: b.shareLow,
    shareExhausted: b.shareExhausted
  }));
  return {lines, band};
}

function lineLayers({lines, band, field, lo, hi, t, yTitle, fmt}) {
  const S = SERIES(t);
  // Ten years side by side on a phone: every other year when they would touch.
  const yearAxis = {field: "year", type: "ordinal", title: t("年度", "Year"), axis: {labelAngle: 0, labelOverlap: "parity"}};
  return [
    {
      data: {values: band},
      mark: {type: "area", color: COLORS.reform, opacity: 0.16},
      encoding: {x: yearAxis, y: {field: lo, type: "quantitative", title: yTitle}, y2: {field: hi}}
    },
    {
      data: {values: band},
      mark: {type: "line", color: COLORS.reform, strokeWidth: 1, strokeDash: [2, 2], opacity: 0.7},
      encoding: {x: yearAxis, y: {field: lo, type: "quantitative"}}
    },
    {
      data: {values: band},
      mark: {type: "line", color: COLORS.reform, strokeWidth: 1, strokeDash: [2, 2], opacity: 0.7},
      encoding: {x: yearAxis, y: {field: hi, type: "quantitative"}}
    },
    {
      data: {values: lines},
      mark: {type: "line", point: {size: 36, filled: true}},
      encoding: {
        x: yearAxis,
        y: {field, type: "quantitative", title: yTitle},
        color: {field: "series", type: "nominal", title: null, scale: {domain: [S.reform, S.baseline], range: [COLORS.reform, COLORS.baseline]}, legend: {symbolType: "stroke", symbolSize: 400, symbolStrokeWidth: 2.5, labelLimit: 420}},
        strokeDash: {field: "series", type: "nominal", title: null, scale: {domain: [S.reform, S.baseline], range: [[1, 0], [5, 3]]}},
        tooltip: [
          {field: "series", title: t("情形", "Scheme")},
          {field: "year", title: t("年度", "Year")},
          {field, title: yTitle, format: fmt}
        ]
      }
    },
    {
      data: {values: band},
      mark: {type: "rule", opacity: 0},
      encoding: {
        x: yearAxis,
        y: {field: lo, type: "quantitative"},
        y2: {field: hi},
        tooltip: [
          {field: "year", title: t("年度", "Year")},
          {field: lo, title: "P5", format: fmt},
          {field: field === "balance" ? "balanceP50" : "monthsP50", title: "P50", format: fmt},
          {field: hi, title: "P95", format: fmt},
          {field: "shareLow", title: t("低于6个月的抽样占比", "Share of draws below 6 months"), format: ".0%"}
        ]
      }
    }
  ];
}

/** Pooled balance (万元) by year: reform central, baseline, and the reform's 5–95 % band. */
export function balanceSpec(C, {lang = "zh", city} = {}) {
  const t = translator(lang);
  const u = moneyUnit(lang);
  const {lines, band} = pathChartRows(C, {lang});
  return {
    title: {
      text: t(`${cityName(city ?? C.city, "zh")}：统筹基金年末累计结余`, `${cityName(city ?? C.city, "en")}: pooled fund balance at year end`),
      subtitle: t(
        "实线：改革后（参考样本的中位路径）；虚线：改革前规则（基线）；蓝色阴影：蒙特卡洛 5%–95% 区间（改革后）",
        "Solid: reform (the reference sample's central path); dashed: baseline (pre-reform rules); shaded: Monte Carlo 5–95% band (reform)"
      )
    },
    height: 300,
    layer: [
      {data: {values: [{y: 0}]}, mark: {type: "rule", color: "#999", strokeWidth: 1}, encoding: {y: {field: "y", type: "quantitative"}}},
      ...lineLayers({lines, band, field: "balance", lo: "balanceP5", hi: "balanceP95", t, yTitle: t(`累计结余（${u.label}）`, `Balance (${u.label})`), fmt: u.fmt})
    ],
    resolve: {scale: {y: "shared"}}
  };
}

/** Months of reserve by year with the 6 and 15 month reference lines and the band. */
export function monthsSpec(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const {lines, band} = pathChartRows(C, {lang});
  const refs = refLines(t);
  return {
    title: {
      text: t(`${cityName(C.city, "zh")}：统筹基金累计结余可支付月数`, `${cityName(C.city, "en")}: months of reserve (balance ÷ monthly pooled outflow)`),
      subtitle: t(
        "参考线：6个月（低于为支付风险）、15个月（高于为结余过多），人社部发〔2009〕67号；阴影为改革后 5%–95% 区间",
        "Lines at 6 months (below: payment risk) and 15 months (above: too much), MOHRSS 2009 No. 67; shaded: reform 5–95% band"
      )
    },
    height: 300,
    layer: [
      {data: {values: [{y: 0}]}, mark: {type: "rule", color: "#999", strokeWidth: 1}, encoding: {y: {field: "y", type: "quantitative"}}},
      ...lineLayers({lines, band, field: "months", lo: "monthsP5", hi: "monthsP95", t, yTitle: t("可支付月数（个月）", "Months of reserve"), fmt: ".1f"}),
      {
        data: {values: refs},
        mark: {type: "rule", color: "#c62828", strokeDash: [6, 4], strokeWidth: 1.5},
        encoding: {y: {field: "months", type: "quantitative"}}
      },
      {
        data: {values: refs},
        mark: {type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, fontSize: 11, fontWeight: 600, color: "#c62828"},
        encoding: {y: {field: "months", type: "quantitative"}, x: {value: 0}, text: {field: "label"}}
      }
    ]
  };
}

/** Tornado rows: two per parameter (its 5th and 95th percentile), sorted by swing. */
export function tornadoRows(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const central = C.tornado.centralMonths;
  return C.tornado.bars.flatMap((b, i) => [
    {rank: i + 1, key: b.key, parameter: paramLabel(b.key, lang), end: t("取第5百分位", "at its 5th percentile"), endKey: "p5", value: b.low, valueText: paramValue(b.key, b.low, lang), months: b.monthsAtLow, central, swing: b.swing},
    {rank: i + 1, key: b.key, parameter: paramLabel(b.key, lang), end: t("取第95百分位", "at its 95th percentile"), endKey: "p95", value: b.high, valueText: paramValue(b.key, b.high, lang), months: b.monthsAtHigh, central, swing: b.swing}
  ]);
}

export function tornadoSpec(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const rows = tornadoRows(C, {lang});
  const order = C.tornado.bars.map((b) => paramLabel(b.key, lang));
  const ends = [t("取第5百分位", "at its 5th percentile"), t("取第95百分位", "at its 95th percentile")];
  const central = C.tornado.centralMonths;
  return {
    title: {
      text: t(`${C.tornado.year}年可支付月数对各假设的敏感性（龙卷风图）`, `Sensitivity of the ${C.tornado.year} months of reserve to each assumption (tornado)`),
      subtitle: t(
        `每次只把一个假设取其分布的第5或第95百分位，其余取中值；黑色竖线为中值结果 ${central?.toFixed(1)} 个月，红色虚线为6个月。按影响幅度排序。`,
        `One assumption at a time at its 5th or 95th percentile, the others central; the black line is the central result, ${central?.toFixed(1)} months; the red dashed line is 6 months. Sorted by swing.`
      )
    },
    height: {step: 22},
    data: {values: rows},
    layer: [
      {
        mark: {type: "bar", height: {band: 0.7}},
        encoding: {
          y: {field: "parameter", type: "nominal", sort: order, title: null, axis: {labelLimit: 240}},
          x: {field: "months", type: "quantitative", title: t(`${C.tornado.year}年可支付月数（个月）`, `Months of reserve in ${C.tornado.year}`), scale: {padding: 48}},
          x2: {field: "central"},
          color: {field: "end", type: "nominal", title: t("假设取值", "Assumption set"), scale: {domain: ends, range: ["#3d9da1", "#d9822b"]}},
          tooltip: [
            {field: "parameter", title: t("假设", "Assumption")},
            {field: "end", title: t("取值", "At")},
            {field: "valueText", title: t("数值", "Value")},
            {field: "months", title: t("可支付月数", "Months"), format: ".1f"},
            {field: "swing", title: t("影响幅度（个月）", "Swing (months)"), format: ".1f"}
          ]
        }
      },
      ...[
        ["datum.months < datum.central", "right", -3],
        ["datum.months >= datum.central", "left", 3]
      ].map(([test, align, dx]) => ({
        // No label on a bar too short to hold it apart from its twin.
        transform: [{filter: `${test} && abs(datum.months - datum.central) >= 0.15`}],
        mark: {type: "text", fontSize: 10, color: "#444", baseline: "middle", align, dx},
        encoding: {
          y: {field: "parameter", type: "nominal", sort: order},
          x: {field: "months", type: "quantitative"},
          text: {field: "valueText"}
        }
      })),
      {
        data: {values: [{central}]},
        mark: {type: "rule", color: "#222", strokeWidth: 1.5},
        encoding: {x: {field: "central", type: "quantitative"}}
      },
      {
        data: {values: refLines(t).slice(0, 1)},
        mark: {type: "rule", color: "#c62828", strokeDash: [6, 4]},
        encoding: {x: {field: "months", type: "quantitative"}}
      }
    ]
  };
}

/** Months of reserve with the utilisation response (defaults) and without it (elasticities and level shift 0). */
export function responseRows(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const on = C.paths.filter((p) => p.role === "reform");
  const off = C.paths.filter((p) => p.role === "reformNoResponse");
  const base = C.paths.filter((p) => p.role === "baseline");
  const name = {reform: t("改革后·含利用率响应（默认）", "Reform, with the utilisation response (default)"), reformNoResponse: S.off, baseline: S.baseline};
  return [...on, ...off, ...base].map((p) => ({year: p.year, role: p.role, series: name[p.role], months: p.months, balance: p.balanceWan}));
}

export function responseSpec(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  const rows = responseRows(C, {lang});
  const domain = [...new Set(rows.map((r) => r.series))];
  return {
    title: {
      text: t("利用率响应的影响：可支付月数", "Effect of the utilisation response: months of reserve"),
      subtitle: t(
        "利用率响应：改革降低门诊自付比例后就诊次数和次均费用上升（价格弹性），部分二三级门诊下沉基层；“无响应”将四个弹性和下沉比例设为0",
        "Utilisation response: outpatient visits and cost per visit rise as the reform lowers their out-of-pocket price (elasticities), and some level-2/3 visits move to level 1; “no response” sets the four elasticities and the shift to 0"
      )
    },
    height: 260,
    layer: [
      {
        data: {values: refLines(t)},
        mark: {type: "rule", color: "#c62828", strokeDash: [6, 4], strokeWidth: 1.2},
        encoding: {y: {field: "months", type: "quantitative"}}
      },
      {
        data: {values: refLines(t)},
        mark: {type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, fontSize: 11, fontWeight: 600, color: "#c62828"},
        encoding: {y: {field: "months", type: "quantitative"}, x: {value: 0}, text: {field: "label"}}
      },
      {
        data: {values: rows},
        mark: {type: "line", point: {size: 30, filled: true}},
        encoding: {
          x: {field: "year", type: "ordinal", title: t("年度", "Year"), axis: {labelAngle: 0, labelOverlap: "parity"}},
          y: {field: "months", type: "quantitative", title: t("可支付月数（个月）", "Months of reserve")},
          color: {field: "series", type: "nominal", title: null, scale: {domain, range: [COLORS.reform, "#d9822b", COLORS.baseline]}, legend: {symbolType: "stroke", symbolSize: 400, symbolStrokeWidth: 2.5, labelLimit: 420}},
          strokeDash: {field: "series", type: "nominal", title: null, scale: {domain, range: [[1, 0], [4, 2], [5, 3]]}},
          tooltip: [
            {field: "series", title: t("情形", "Scheme")},
            {field: "year", title: t("年度", "Year")},
            {field: "months", title: t("可支付月数", "Months"), format: ".1f"},
            {field: "balance", title: t("累计结余（万元）", "Balance (10k yuan)"), format: ",.0f"}
          ]
        }
      }
    ]
  };
}

const yearOr = (y, t, none) => (y === null || y === undefined ? none : t(`${y}年`, String(y)));

/** The headline figures of one city: last year's months (central, band, baseline), balance, first deficit/exhausted years. */
export function summaryCards(C, P, {lang = "zh"} = {}) {
  const t = translator(lang);
  const last = (role) => C.paths.filter((p) => p.role === role).at(-1);
  const r = last("reform"), b = last("baseline"), off = last("reformNoResponse");
  const band = C.bands.at(-1);
  const Y = P.lastYear;
  const none = t(`${Y}年前无`, `none by ${Y}`);
  const warn = (m) => (m !== null && (m < 6 || m > 15) ? "fs-warn" : "");
  const card = (label, big, metric, ...sub) =>
    el("div", {class: "fs-kpi"}, el("div", {class: "fs-kpi-label"}, label), el("div", {class: "fs-kpi-big", "data-metric": metric}, big), ...sub.map((s) => el("div", {class: "fs-kpi-sub"}, s)));
  return el(
    "div",
    {class: "fs-kpis", style: {gridTemplateColumns: "repeat(auto-fit, minmax(210px, 1fr))"}, "data-city": C.city},
    card(
      t(`${Y}年末可支付月数（改革后）`, `Months of reserve at the end of ${Y} (reform)`),
      el("span", {class: warn(r.months)}, fmtMonths(r.months, {lang})),
      "months-last",
      t(`5–95%区间 ${fmtMonths(band.monthsP5, {lang})} – ${fmtMonths(band.monthsP95, {lang})}`, `5–95% band ${fmtMonths(band.monthsP5, {lang})} – ${fmtMonths(band.monthsP95, {lang})}`),
      t(`改革前规则：${fmtMonths(b.months, {lang})}；无利用率响应：${fmtMonths(off.months, {lang})}`, `baseline: ${fmtMonths(b.months, {lang})}; no utilisation response: ${fmtMonths(off.months, {lang})}`)
    ),
    card(
      t(`${Y}年末累计结余（改革后）`, `Pooled balance at the end of ${Y} (reform)`),
      moneyText(r.balanceWan, lang),
      "balance-last",
      t(`改革前规则：${moneyText(b.balanceWan, lang)}`, `baseline: ${moneyText(b.balanceWan, lang)}`),
      t(`${P.baseYear}年末：${moneyText(C.paths.find((p) => p.role === "reform").balanceWan, lang)}`, `end of ${P.baseYear}: ${moneyText(C.paths.find((p) => p.role === "reform").balanceWan, lang)}`)
    ),
    card(
      t("首个当期赤字年份（收入 < 支出）", "First year of a current deficit (income < outflow)"),
      yearOr(C.firstDeficitYear.reform, t, none),
      "first-deficit",
      t(`改革前规则：${yearOr(C.firstDeficitYear.baseline, t, none)}`, `baseline: ${yearOr(C.firstDeficitYear.baseline, t, none)}`),
      t(
        `累计结余耗尽：改革后 ${yearOr(C.firstExhaustedYear.reform, t, none)}，改革前规则 ${yearOr(C.firstExhaustedYear.baseline, t, none)}`,
        `balance exhausted: reform ${yearOr(C.firstExhaustedYear.reform, t, none)}, baseline ${yearOr(C.firstExhaustedYear.baseline, t, none)}`
      )
    ),
    card(
      t(`${Y}年低于6个月的概率`, `Chance of < 6 months in ${Y}`),
      pct(band.shareLow, {decimals: 0}),
      "share-low",
      t(`${P.draws}次抽样中结余耗尽的占比：${pct(band.shareExhausted, {decimals: 0})}`, `share of the ${P.draws} draws exhausted: ${pct(band.shareExhausted, {decimals: 0})}`)
    )
  );
}

/** The assumptions with value, distribution, rating and source. */
export function assumptionsTable(C, {lang = "zh"} = {}) {
  const t = translator(lang);
  return dataTable(C.assumptions, [
    // the key as the assumptions file writes it: code, the same in both languages (not a tooltip,
    // where no markup can say so)
    {key: "key", label: t("假设", "Assumption"), format: (k) => el("span", {}, paramLabel(k, lang), el("br"), el("code", {class: "fs-key"}, k))},
    {key: "value", label: t("中值", "Central value"), num: true, format: (v, r) => paramValue(r.key, v, lang)},
    {key: "dist", label: t("不确定性分布", "Distribution"), format: (d, r) => distText(r.key, d, lang)},
    {key: "rating", label: t("评级", "Rating"), format: (x) => ratingBadge(x, lang)},
    {key: "city", label: t("适用", "Applies to"), format: (c) => (c ? cityName(C.city, lang) : t("全国默认", "national default"))},
    {key: "source", label: t("来源", "Source"), class: "fs-small", format: noteBi},
    {key: "note", label: t("说明", "Note"), class: "fs-small", format: noteBi}
  ], {className: "fs-assumptions"});
}

/** All five cities at a glance. */
export function citiesTable(P, order, {lang = "zh"} = {}) {
  const t = translator(lang);
  const none = t("无", "none");
  const rows = order.map((c) => {
    const C = P.cities[c];
    const last = (role) => C.paths.filter((p) => p.role === role).at(-1);
    const band = C.bands.at(-1);
    return {
      city: c, name: cityName(c, lang), reform: last("reform").months, off: last("reformNoResponse").months, baseline: last("baseline").months,
      p5: band.monthsP5, p95: band.monthsP95, deficit: C.firstDeficitYear.reform, exhausted: C.firstExhaustedYear.reform, goal: C.goalSeek
    };
  });
  const m = (v) => (v === null || v === undefined ? "—" : v.toFixed(1));
  return dataTable(rows, [
    {key: "name", label: t("城市", "City")},
    {key: "reform", label: t(`${P.lastYear}年可支付月数·改革后`, `Months in ${P.lastYear}, reform`), num: true, format: m},
    {key: "p5", label: "P5", num: true, format: m},
    {key: "p95", label: "P95", num: true, format: m},
    {key: "off", label: t("无利用率响应", "No utilisation response"), num: true, format: m},
    {key: "baseline", label: t("改革前规则", "Baseline"), num: true, format: m},
    {key: "deficit", label: t("首个赤字年·改革后", "First deficit year, reform"), num: true, format: (y) => y ?? none},
    {key: "exhausted", label: t("结余耗尽年·改革后", "Balance exhausted, reform"), num: true, format: (y) => y ?? none},
    {
      key: "goal",
      label: t(`普通门诊限额（≥${rows[0]?.goal.target ?? 6}个月）`, `General cap keeping ≥ ${rows[0]?.goal.target ?? 6} months`),
      num: true,
      format: (g) => (g.status === "found" ? `${num(g.value, {lang})} ${t("元", "yuan")}` : g.status === "not-needed" ? t("无需调整", "not needed") : t("无法达到", "not reachable"))
    }
  ], {className: "fs-cities-table"});
}
