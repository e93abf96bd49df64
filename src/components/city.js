// A city page's tables and charts: fund flows reform against baseline, outpatient pooling
// payments by status, level, kind and month, the individual accounts, winners and losers, and
// the claims the rules do not pay. Rows come from ./fund-data.js (prepareResults).
//
//   flowTable(R, city, year, {lang})                       the flow lines, reform | baseline | Δ
//   fundRows(R, {city, year, dimension, lang}) + fundDimSpec(rows, {dimension, width, lang})
//   fundMonthSpec(rows, {width, lang})
//   accountRows(R, {city, year, lang}) + accountSpec(rows, {width, lang})
//   gainSpec(winnerRows(...), {dimension, width, lang})
//   exclusionRows(R, {city, year, lang}) + exclusionSpec(rows, {width, lang}) + exclusionTable(rows, {lang})
import {COLORS} from "./chart.js";
import {translator} from "./i18n.js";
import {cityFen, flowRows, label, labels, ORDER, runOf} from "./fund-data.js";
import {dataTable, yuanText} from "./fund.js";
import {fundMoney, num, pct, wan} from "./format.js";
import {effectOf, effectText, gainLegendTitle, gainScale, gainWordExpr, toneClass, unchangedText} from "./effect.js";

const SCHEME_COLORS = [COLORS.reform, COLORS.baseline];

/** Money for a chart axis: 万元 in Chinese, million yuan in English (as format.js's wan()). */
export function chartMoney(fen, lang) {
  return lang === "en" ? Math.round(fen / 1e6) / 100 : Math.round(fen / 1e4) / 100;
}
export function moneyUnit(lang) {
  return lang === "en" ? "million yuan" : "万元";
}
function schemes(t) {
  return [t("改革后", "Reform"), t("改革前（基线）", "Baseline")];
}

// ---- flows ----------------------------------------------------------------------------------------
const STRONG_LINES = new Set(["pooled_income_fen", "pooled_outflow_fen", "pooled_net_fen", "nhsa_pooled_income_fen", "nhsa_pooled_spending_fen"]);

/**
 * What each flow line is to the pooled fund, for the sign convention of ./effect.js: income
 * (a rise adds to the balance), spending (a rise takes from it), deduction (taken out of income
 * before it reaches the pool), balance; any other line (accounts, cash, the employee fund as a
 * whole) is neutral: its change is worded 增加 / 减少 and not coloured.
 */
export function lineKind(line) {
  if (line === "pooled_net_fen") return "balance";
  if (line === "credits_from_contributions_fen") return "deduction";
  // a memo line inside contributions, and the accounts / the employee fund as a whole: neutral
  if (/^maternity_contributions_fen$|account|^nhsa_fund_/.test(line)) return "neutral";
  if (/^contributions_fen$|^reconciliation_fen$|_income_fen$/.test(line)) return "income";
  if (/^(general|tcm|two_disease|special_exam|second_payment|retiree_credits|inpatient|chronic|maternity)_fen$|^pooled_outflow_fen$|^nhsa_pooled_spending_fen$/.test(line)) return "spending";
  return "neutral";
}

/** A change as words and an unsigned amount: "增支 7.55 亿元" (money) or "增支 126.3 元" (per insured);
 *  a zero (or what rounds to zero) is "不变 0.0 万元", in the column's unit like any other. */
export function changeWords(kind, delta, lang, amount) {
  // what rounds to zero in the column's unit is worded 不变, as a zero is
  return unchangedText(delta, lang, amount) ?? `${effectOf(kind, delta).word[lang === "en" ? 1 : 0]} ${amount(Math.abs(delta))}`;
}

/**
 * The flow lines as a table: reform, baseline, and the change, in words (增收 / 增支 / 减支 …, no
 * sign to misread) coloured by what it means for the pooled balance; per insured in yuan.
 */
export function flowTable(R, city, year, {lang = "zh"} = {}) {
  const t = translator(lang);
  const rows = flowRows(R, city, year, lang).map((r) => ({...r, kind: lineKind(r.line)}));
  const m = (fen) => fundMoney(fen, {lang});
  // no colour on a change the table writes as 不变 (it rounds to zero)
  const tone = (r) => toneClass(effectOf(r.kind, /[1-9]/.test(m(Math.abs(r.delta))) ? r.delta : 0).better);
  return dataTable(
    rows,
    [
      {key: "label", label: t("项目", "Line")},
      {key: "reform", label: t("改革后", "Reform"), num: true, format: m},
      {key: "baseline", label: t("改革前（基线）", "Baseline"), num: true, format: m},
      // A zero change is written like any other, in the column's unit ("不变 0.0 万元"); "—" is kept for a missing figure.
      {key: "delta", label: t("改革的影响", "Change"), num: true, format: (v, r) => changeWords(r.kind, v, lang, m), class: tone},
      {key: "deltaPc", label: t("人均", "Per insured"), num: true, format: (v, r) => changeWords(r.kind, v, lang, (x) => yuanText(x, lang, 1)), class: tone}
    ],
    {strong: (r) => STRONG_LINES.has(r.line), attrs: {"data-table": "flows"}}
  );
}

// ---- outpatient pooling payments by dimension -------------------------------------------------------
/** Pooled payments under the outpatient rules (fund_fen) by a dimension, reform and baseline. */
export function fundRows(R, {city, year, dimension, lang = "zh"}) {
  const t = translator(lang);
  const [reformName, baselineName] = schemes(t);
  const order = ORDER[dimension] ?? [];
  const rows = R.breakdowns
    .filter((b) => b.city === city && b.year === year && b.dimension === dimension)
    .map((b) => ({
      dimension,
      value: b.value,
      group: label(dimension, b.value, lang),
      order: order.indexOf(String(b.value)),
      scheme: b.scheme,
      schemeName: b.scheme === "reform" ? reformName : baselineName,
      claims: Math.round(b.claims * R.scale[city]),
      fundFen: cityFen(R, city, b.fund_fen),
      amountFen: cityFen(R, city, b.amount_fen),
      accountFen: cityFen(R, city, b.account_fen),
      cashFen: cityFen(R, city, b.cash_fen),
      fund: chartMoney(cityFen(R, city, b.fund_fen), lang),
      account: chartMoney(cityFen(R, city, b.account_fen), lang),
      fundPerClaim: b.claims ? b.fund_fen / b.claims / 100 : 0
    }));
  return rows.sort((a, b) => a.order - b.order || (a.scheme === "reform" ? -1 : 1));
}

const DIMENSION_TITLES = {
  status: ["按人员类别", "by status"],
  level: ["按医疗机构级别", "by facility level"],
  kind: ["按费用类型", "by kind of claim"],
  age_band: ["按年龄", "by age band"],
  two_disease: ["按两病备案", "by two-disease registration"],
  spending_decile: ["按全年医疗费用十等分组", "by annual spending decile"],
  month: ["按月份", "by month"]
};
const dimTitle = (dimension, lang) => DIMENSION_TITLES[dimension]?.[lang === "en" ? 1 : 0] ?? dimension;

export function fundDimSpec(rows, {dimension, width = 320, lang = "zh", field = "fund"} = {}) {
  const t = translator(lang);
  const paid = new Set(rows.filter((r) => r[field] !== 0).map((r) => r.group));
  const shown = rows.filter((r) => paid.has(r.group));
  const groups = [...new Set(shown.map((r) => r.group))];
  const max = Math.max(1, ...shown.map((r) => r[field]));
  return {
    title: {
      text: field === "fund" ? t(`门诊统筹基金支付，${dimTitle(dimension, lang)}`, `Pooled payments ${dimTitle(dimension, lang)}`) : t(`个人账户支付，${dimTitle(dimension, lang)}`, `Account payments ${dimTitle(dimension, lang)}`),
      subtitle: t(`全市，${moneyUnit(lang)}`, `City total, ${moneyUnit(lang)}`)
    },
    data: {values: shown},
    height: groups.length * 2 * 15,
    encoding: {
      y: {field: "group", type: "nominal", sort: groups, title: null, axis: {labelLimit: 150}},
      yOffset: {field: "schemeName", sort: schemes(t)},
      x: {field, type: "quantitative", title: moneyUnit(lang), scale: {domain: [0, max * 1.22], nice: false}, axis: {format: ",.0f", tickCount: 4}},
      color: {field: "schemeName", type: "nominal", title: null, sort: schemes(t), scale: {domain: schemes(t), range: SCHEME_COLORS}},
      tooltip: [
        {field: "group", title: t("分组", "Group")},
        {field: "schemeName", title: t("方案", "Scheme")},
        {field, title: moneyUnit(lang), format: ",.1f"},
        {field: "claims", title: t("人次（全市）", "Claims (city)"), format: ","},
        {field: "fundPerClaim", title: t("每人次统筹支付（元）", "Pooled per claim (yuan)"), format: ",.1f"}
      ]
    },
    layer: [
      {mark: {type: "bar", height: {band: 0.85}}},
      {mark: {type: "text", align: "left", dx: 3, fontSize: 9.5, color: "#444"}, encoding: {text: {field, type: "quantitative", format: ",.0f"}}}
    ]
  };
}

export function fundMonthSpec(rows, {width = 800, lang = "zh"} = {}) {
  const t = translator(lang);
  const months = labels("month", lang);
  return {
    title: {
      text: t("门诊统筹基金支付，按月份", "Outpatient pooling payments by month"),
      subtitle: t(`全市，${moneyUnit(lang)}；年度起付标准须先在年初累计，年初月份统筹支付较少`, `City total, ${moneyUnit(lang)}; annual deductibles are met first, so the first months pay less`)
    },
    data: {values: rows},
    height: 220,
    encoding: {
      x: {field: "group", type: "ordinal", sort: months, title: null, axis: {labelAngle: 0, labelOverlap: "parity"}},
      y: {field: "fund", type: "quantitative", title: moneyUnit(lang), axis: {format: ",.0f"}},
      color: {field: "schemeName", type: "nominal", title: null, sort: schemes(t), scale: {domain: schemes(t), range: SCHEME_COLORS}},
      tooltip: [
        {field: "group", title: t("月份", "Month")},
        {field: "schemeName", title: t("方案", "Scheme")},
        {field: "fund", title: moneyUnit(lang), format: ",.1f"},
        {field: "claims", title: t("人次（全市）", "Claims (city)"), format: ","}
      ]
    },
    mark: {type: "line", point: {filled: true, size: 45}}
  };
}

// ---- individual accounts -----------------------------------------------------------------------------
const ACCOUNT_LINES = ["account_opening_fen", "account_credits_fen", "account_paid_fen", "account_family_fen", "account_closing_fen"];

export function accountRows(R, {city, year, lang = "zh"}) {
  const t = translator(lang);
  const [reformName, baselineName] = schemes(t);
  const rows = flowRows(R, city, year, lang).filter((r) => ACCOUNT_LINES.includes(r.line));
  return rows.flatMap((r) =>
    [
      ["reform", reformName, r.reform, r.reformPc],
      ["baseline", baselineName, r.baseline, r.baselinePc]
    ].map(([scheme, schemeName, fen, pc]) => ({
      line: r.line,
      lineName: r.label,
      order: ACCOUNT_LINES.indexOf(r.line),
      scheme,
      schemeName,
      fen,
      value: chartMoney(fen, lang),
      perCapita: Math.round(pc * 10) / 10
    }))
  );
}

export function accountSpec(rows, {width = 600, lang = "zh"} = {}) {
  const t = translator(lang);
  const lines = [...new Set([...rows].sort((a, b) => a.order - b.order).map((r) => r.lineName))];
  const max = Math.max(1, ...rows.map((r) => r.value));
  return {
    title: {
      text: t("个人账户收支与余额", "Individual accounts"),
      subtitle: t(`全市，${moneyUnit(lang)}；年初余额两种方案相同`, [`Credits, payments (own, family) and balances; city total,`, `${moneyUnit(lang)}; the opening balance is the same under both`])
    },
    data: {values: rows},
    height: lines.length * 2 * 15,
    encoding: {
      y: {field: "lineName", type: "nominal", sort: lines, title: null, axis: {labelLimit: 200}},
      yOffset: {field: "schemeName", sort: schemes(t)},
      x: {field: "value", type: "quantitative", title: moneyUnit(lang), scale: {domain: [0, max * 1.2], nice: false}, axis: {format: ",.0f", tickCount: 4}},
      color: {field: "schemeName", type: "nominal", title: null, sort: schemes(t), scale: {domain: schemes(t), range: SCHEME_COLORS}},
      tooltip: [
        {field: "lineName", title: t("项目", "Line")},
        {field: "schemeName", title: t("方案", "Scheme")},
        {field: "value", title: moneyUnit(lang), format: ",.1f"},
        {field: "perCapita", title: t("人均（元）", "Per insured (yuan)"), format: ",.1f"}
      ]
    },
    layer: [
      {mark: {type: "bar", height: {band: 0.85}}},
      {mark: {type: "text", align: "left", dx: 3, fontSize: 9.5, color: "#444"}, encoding: {text: {field: "value", type: "quantitative", format: ",.0f"}}}
    ]
  };
}

// ---- winners and losers ---------------------------------------------------------------------------------
/** Mean gain with its 10th–90th percentile range (left) and shares gaining / losing (right). */
export function gainSpec(rows, {dimension, width = 900, lang = "zh"} = {}) {
  const t = translator(lang);
  const groups = rows.map((r) => r.group);
  // Narrow screens (phones): the two panels stacked, each with its own labels, as wide as the page;
  // the shares' axis leaves room beyond ±100 % for the percentages written at the bars' ends.
  const stacked = width < 560;
  const labelWidth = dimension === "spending_decile" ? 60 : stacked ? 96 : 130;
  const left = stacked ? Math.max(120, width - labelWidth - 40) : Math.max(200, Math.floor((width - labelWidth - 60) * 0.58));
  const right = stacked ? left : Math.max(160, Math.floor((width - labelWidth - 60) * 0.42));
  const step = rows.length > 6 ? 22 : 30;
  const lo = Math.min(0, ...rows.map((r) => r.p10));
  const hi = Math.max(0, ...rows.map((r) => r.p90));
  const pad = (hi - lo || 1) * 0.05;
  // Both panels colour a bar by the person's gain (./effect.js): better off / worse off, one legend.
  const g = gainScale(lang, {same: rows.some((r) => r.meanGain === 0)});
  const color = {field: "outcome", type: "nominal", title: gainLegendTitle(lang), scale: {domain: g.domain, range: g.range}, legend: {orient: "top", direction: "horizontal", labelLimit: 220, titleLimit: 260}};
  const shareRows = rows.flatMap((r) => [
    {group: r.group, outcome: g.better, share: r.shareGaining, x: r.shareGaining},
    {group: r.group, outcome: g.worse, share: r.shareLosing, x: -r.shareLosing}
  ]);
  const y = {field: "group", type: "nominal", sort: groups, title: null, axis: {labelLimit: labelWidth}};
  return {
    title: {
      text: t(`受益与负担，${dimTitle(dimension, lang)}`, `Gains and losses ${dimTitle(dimension, lang)}`),
      subtitle: t(
        "每人所得变化（元/年）= 统筹基金为其支付的门诊待遇 + 个人账户划入，改革后减改革前。横线：10%–90%分位；竖线：中位数；柱：均值",
        ["A person's gain (yuan a year) = pooled outpatient benefits + account credits, reform minus baseline.", "Line: 10th–90th percentile; tick: median; bar: mean"]
      )
    },
    [stacked ? "vconcat" : "hconcat"]: [
      {
        width: left,
        height: {step},
        data: {values: rows},
        encoding: {y},
        layer: [
          {
            mark: {type: "bar", height: {band: 0.6}, opacity: 0.9},
            transform: [{calculate: gainWordExpr("meanGain", lang), as: "outcome"}],
            encoding: {
              x: {field: "meanGain", type: "quantitative", title: t("元/人·年", "yuan per person a year"), scale: {domain: [lo - pad, hi + pad * 3.5], nice: false}, axis: {format: ",.0f", tickCount: 6}},
              color,
              tooltip: [
                {field: "group", title: t("分组", "Group")},
                {field: "outcome", title: t("平均每人", "The average person")},
                {field: "meanGain", title: t("均值（元）", "Mean (yuan)"), format: ",.0f"},
                {field: "p10", title: t("10%分位（元）", "10th percentile (yuan)"), format: ",.0f"},
                {field: "p50", title: t("中位数（元）", "Median (yuan)"), format: ",.0f"},
                {field: "p90", title: t("90%分位（元）", "90th percentile (yuan)"), format: ",.0f"},
                {field: "persons", title: t("模拟人数", "Persons simulated"), format: ","}
              ]
            }
          },
          {mark: {type: "rule", color: "#333", strokeWidth: 1.2}, encoding: {x: {field: "p10", type: "quantitative"}, x2: {field: "p90"}}},
          {mark: {type: "tick", color: "#111", thickness: 2, size: step * 0.6}, encoding: {x: {field: "p50", type: "quantitative"}}},
          {mark: {type: "rule", color: "#888"}, encoding: {x: {datum: 0}, y: null}},
          {
            mark: {type: "text", align: "left", baseline: "middle", dx: 5, fontSize: 10, fontWeight: 600, color: "#222"},
            // after the bar and the percentile line, whichever ends further right
            transform: [{calculate: "max(datum.p90, datum.meanGain, 0)", as: "labelAt"}],
            encoding: {x: {field: "labelAt", type: "quantitative"}, text: {field: "meanGain", type: "quantitative", format: "+,.0f"}}
          }
        ]
      },
      {
        width: right,
        height: {step},
        data: {values: shareRows},
        encoding: {y: stacked ? y : {...y, axis: null}},
        layer: [
          {
            mark: {type: "bar", height: {band: 0.6}},
            encoding: {
              x: {field: "x", type: "quantitative", title: t("人数占比：← 减少 | 增加 →", "Share of persons: ← lose | gain →"), scale: {domain: stacked ? [-1.25, 1.25] : [-1, 1]}, axis: {labelExpr: "format(abs(datum.value), '.0%')", tickCount: 5}},
              color,
              tooltip: [
                {field: "group", title: t("分组", "Group")},
                {field: "outcome", title: t("变化", "Change")},
                {field: "share", title: t("占比", "Share"), format: ".1%"}
              ]
            }
          },
          ...[
            ["datum.x > 0", "left", 3],
            ["datum.x < 0", "right", -3]
          ].map(([test, align, dx]) => ({
            transform: [{filter: `datum.share >= 0.005 && ${test}`}],
            mark: {type: "text", fontSize: 9.5, color: "#222", align, dx},
            encoding: {x: {field: "x", type: "quantitative"}, text: {field: "share", type: "quantitative", format: ".0%"}}
          })),
          {mark: {type: "rule", color: "#888"}, encoding: {x: {datum: 0}, y: null}}
        ]
      }
    ],
    spacing: 24,
    resolve: {scale: {color: "shared"}, legend: {color: "shared"}}
  };
}

/** One sentence for everyone in the city: mean gain and shares (a person's gain in words, not a sign). */
export function gainSummary(all, {lang = "zh"} = {}) {
  const t = translator(lang);
  if (!all) return "";
  const word = (x) => (x >= 0 ? t("增加", "a gain of") : t("减少", "a loss of"));
  const y = (x) => yuanText(Math.abs(x), lang);
  return t(
    `全体参保人平均每人每年所得${word(all.meanGain)} ${y(all.meanGain)}（中位数${word(all.p50)} ${y(all.p50)}）；${pct(all.shareGaining)} 的人所得增加，${pct(all.shareLosing)} 的人所得减少。`,
    `Across all insured the mean is ${word(all.meanGain)} ${y(all.meanGain)} a year (median: ${word(all.p50)} ${y(all.p50)}); ${pct(all.shareGaining)} gain and ${pct(all.shareLosing)} lose.`
  );
}

/** What the reform does to this city's pooled fund, in one paragraph (the sign convention of ./effect.js). */
export function cityLede(head, R, {lang = "zh"} = {}) {
  const t = translator(lang);
  const info = R.cityInfo[head.city];
  const retiree = effectOf("neutral", head.retiree).word;
  const run = runOf(R, head.city, head.year);
  const who = run
    ? [`改革前后用同一批参保人（fundsim run 的输出${run.data ? `，本地数据 ${run.data}` : ""}，${run.persons.toLocaleString("zh-CN")}人，按参保人数`, `The same insured (a fundsim run output${run.data ? `, own data ${run.data}` : ""}, ${run.persons.toLocaleString("en-US")} persons, scaled to the city's`]
    : [`改革前后用同一批合成参保人（${R.persons.toLocaleString("zh-CN")}人，按参保人数`, `The same synthetic insured (${R.persons.toLocaleString("en-US")} persons, scaled to the city's`];
  return t(
    `${who[0]} ${info.insured.toLocaleString("zh-CN")} 人放大到全市）计算。按公报口径，统筹基金收入 ${effectText("income", head.income, lang)}：在职职工单位缴费不再划入个人账户，统筹支付的退休人员划账${retiree[0]} ${fundMoney(Math.abs(head.retiree), {lang})}（公报计入个人账户收入）；统筹基金支出 ${effectText("spending", head.spending, lang)}，其中门诊统筹待遇 ${effectText("spending", head.outpatient, lang)}。`,
    `${who[1]} ${info.insured.toLocaleString("en-US")} insured) are run through the rules before and after the reform. On NHSA's bulletin basis, pooled income changes by ${effectText("income", head.income, lang)}: employers' contributions are no longer credited to active workers' accounts, and retiree credits paid by the pool (account income in the bulletins) go ${retiree[1]} by ${fundMoney(Math.abs(head.retiree), {lang})}; pooled spending changes by ${effectText("spending", head.spending, lang)}, of which outpatient pooling benefits ${effectText("spending", head.outpatient, lang)}.`
  );
}

// ---- exclusions --------------------------------------------------------------------------------------------
export function exclusionRows(R, {city, year, lang = "zh"}) {
  const t = translator(lang);
  const [reformName, baselineName] = schemes(t);
  const by = new Map();
  for (const e of R.exclusions.filter((x) => x.city === city && x.year === year)) {
    const k = `${e.exclusion}|${e.scheme}`;
    const r = by.get(k) ?? {exclusion: e.exclusion, reason: label("exclusion", e.exclusion, lang), scheme: e.scheme, schemeName: e.scheme === "reform" ? reformName : baselineName, sampleClaims: 0, sampleFen: 0, kinds: []};
    r.sampleClaims += e.claims;
    r.sampleFen += e.amount_fen;
    r.kinds.push(label("kind", e.kind, lang));
    by.set(k, r);
  }
  return [...by.values()].map((r) => ({
    ...r,
    cityClaims: Math.round(r.sampleClaims * R.scale[city]),
    cityFen: cityFen(R, city, r.sampleFen),
    value: chartMoney(cityFen(R, city, r.sampleFen), lang),
    kinds: r.kinds.join(t("、", ", "))
  }));
}

/** Outpatient claims the rules do not pay, by reason (inpatient and day surgery left out: they are not outpatient claims). */
export function exclusionSpec(rows, {width = 800, lang = "zh"} = {}) {
  const t = translator(lang);
  const shown = rows.filter((r) => !["inpatient", "day_surgery", "no_general_pooling"].includes(r.exclusion));
  const reasons = [...new Set(shown.sort((a, b) => b.cityFen - a.cityFen).map((r) => r.reason))];
  return {
    title: {
      text: t("不予门诊统筹支付的门诊费用，按原因", "Outpatient costs the pooling does not pay, by reason"),
      subtitle: t(
        [`全市，${moneyUnit(lang)}。住院、日间手术不属门诊；改革前无普通门诊统筹的门诊费用见下表`],
        [`City total, ${moneyUnit(lang)}. Inpatient and day surgery are not outpatient care; outpatient costs with no`, "general pooling before the reform are in the table below"]
      )
    },
    data: {values: shown},
    height: Math.max(40, reasons.length * 2 * 16),
    encoding: {
      y: {field: "reason", type: "nominal", sort: reasons, title: null, axis: {labelLimit: 220}},
      yOffset: {field: "schemeName", sort: schemes(t)},
      x: {field: "value", type: "quantitative", title: moneyUnit(lang), axis: {format: ",.0f"}},
      color: {field: "schemeName", type: "nominal", title: null, sort: schemes(t), scale: {domain: schemes(t), range: SCHEME_COLORS}},
      tooltip: [
        {field: "reason", title: t("原因", "Reason")},
        {field: "schemeName", title: t("方案", "Scheme")},
        {field: "value", title: moneyUnit(lang), format: ",.1f"},
        {field: "cityClaims", title: t("人次（全市）", "Claims (city)"), format: ","},
        {field: "kinds", title: t("费用类型", "Kinds")}
      ]
    },
    layer: [
      {mark: {type: "bar", height: {band: 0.85}}},
      {mark: {type: "text", align: "left", dx: 3, fontSize: 9.5, color: "#444"}, encoding: {text: {field: "value", type: "quantitative", format: ",.0f"}}}
    ]
  };
}

/** The same rows as a table, one line per reason with both schemes. */
export function exclusionTable(rows, {lang = "zh"} = {}) {
  const t = translator(lang);
  const reasons = [...new Set(rows.map((r) => r.exclusion))];
  const table = reasons.map((e) => {
    const r = rows.find((x) => x.exclusion === e && x.scheme === "reform");
    const b = rows.find((x) => x.exclusion === e && x.scheme === "baseline");
    return {reason: (r ?? b).reason, kinds: (r ?? b).kinds, rClaims: r?.cityClaims, rFen: r?.cityFen, bClaims: b?.cityClaims, bFen: b?.cityFen};
  });
  // No line for a reason under a scheme: no claim was refused for it there, a true zero.
  const w = (v) => wan(v ?? 0, {lang, decimals: lang === "en" ? 1 : 0});
  const n = (v) => num(v ?? 0, {lang});
  return dataTable(
    table,
    [
      {key: "reason", label: t("原因", "Reason")},
      {key: "kinds", label: t("费用类型", "Kinds of claim"), class: "fs-small"},
      {key: "rClaims", label: t("改革后 人次", "Reform: claims"), num: true, format: n},
      {key: "rFen", label: t("改革后 金额", "Reform: amount"), num: true, format: w},
      {key: "bClaims", label: t("改革前 人次", "Baseline: claims"), num: true, format: n},
      {key: "bFen", label: t("改革前 金额", "Baseline: amount"), num: true, format: w}
    ],
    {attrs: {"data-table": "exclusions"}}
  );
}

export {yuanText};
