// The what-if page's results: the headline table (pooled income, outflow, net, reserve, accounts)
// and the chart specs (outflows by benefit, accounts, winners and losers), baseline / reform as
// written / the scenario side by side. Specs read their rows from the dataset "table"
// (whatif-live.js binds it), so a slider move only swaps the rows. Input: a runner result (whatif-runner.js). Money arrives as
// sample fen and is shown as city totals (× insured / sample persons) in 万元.
import {COLORS} from "./chart.js";
import {months, num, pct, wan} from "./format.js";
import {translator} from "./i18n.js";
import {effectOf, gainLegendTitle, gainScale, TONE_COLORS, toneClass, unchangedText} from "./effect.js";

const SCHEMES = [
  ["baseline", "改革前（基线）", "Baseline"],
  ["reform", "改革方案（文件）", "Reform as written"],
  ["scenario", "当前情景", "This scenario"]
];
/** Short column heads for the table. */
const HEADS = [
  ["改革前", "Baseline"],
  ["改革方案", "Reform"],
  ["当前情景", "Scenario"]
];
const SCHEME_COLORS = [COLORS.baseline, "#7fa7d6", COLORS.reform];

/** The three flows of an output: baseline, reform as written, scenario (or the last good one). */
export function flowsOf(out) {
  const r = out.ok ? out.result : out.last?.result;
  if (!r) return null;
  return {
    result: r,
    scale: r.scale,
    flows: {baseline: r.baseline, reform: out.reform.scenario, scenario: r.scenario},
    reserve: {baseline: r.reserve.baseline, reform: out.reform.reserve.scenario, scenario: r.reserve.scenario}
  };
}

const city = (fen, scale) => Math.round(fen * scale);

const LINES = [
  ["pooled_income", "统筹基金收入", "Pooled fund income", (f) => f.pooledIncomeFen],
  ["pooled_outflow", "统筹基金支出", "Pooled fund outflow", (f) => f.pooledOutflowFen],
  ["pooled_net", "统筹基金当期结余", "Pooled fund net", (f) => f.pooledIncomeFen - f.pooledOutflowFen],
  ["reserve_closing", "年末累计结余", "Reserve at year end", (f, r) => r.closingFen],
  ["months", "可支付月数", "Months of outflow covered", (f, r) => r.monthsClosing],
  ["outpatient_fund", "门诊统筹支付（规则内）", "Outpatient pooling paid (the rules)", (f) => f.outpatientFundFen.reduce((a, b) => a + b, 0)],
  ["account_credits", "个人账户划入", "Account credits", (f) => f.accountCreditsFen],
  ["account_closing", "个人账户年末余额", "Account balances at year end", (f) => f.accountClosingFen],
  ["cash", "个人现金支付", "Paid in cash", (f) => f.cashFen]
];

/** What a quantity of the headline table is to the pooled fund (for the sign words of ./effect.js). */
export const LINE_KINDS = {pooled_income: "income", pooled_outflow: "spending", pooled_net: "balance", reserve_closing: "balance", months: "balance", outpatient_fund: "spending", account_credits: "neutral", account_closing: "neutral", cash: "neutral"};

/** The scenario's figures of the headline table, city totals: [{id, zh, en, kind, value}] (value: fen, or months for "months"). */
export function scenarioFigures(out) {
  const x = flowsOf(out);
  if (!x) return null;
  return LINES.map(([id, zh, en, get]) => {
    const v = get(x.flows.scenario, x.reserve.scenario);
    return {id, zh, en, kind: LINE_KINDS[id], value: id === "months" ? v : city(v, x.scale)};
  });
}

/** The headline table. Each number cell carries data-line, data-scheme and data-fen (sample fen). */
export function summaryTable(out, {lang = "zh"} = {}) {
  const t = translator(lang);
  const x = flowsOf(out);
  const table = document.createElement("table");
  table.className = "wi-summary";
  if (!x) return table;
  const head = table.createTHead().insertRow();
  const th = (text, cls) => {
    const c = document.createElement("th");
    c.textContent = text;
    if (cls) c.className = cls;
    head.append(c);
  };
  th(t("全市合计（万元）", "City totals (¥ m)"));
  for (const [zh, en] of HEADS) th(t(zh, en), "wi-num");
  th(t("较改革前", "vs baseline"), "wi-num wi-delta");
  th(t("较改革方案", "vs reform"), "wi-num wi-delta");
  const body = table.createTBody();
  for (const [id, zh, en, get] of LINES) {
    const row = body.insertRow();
    row.dataset.line = id;
    row.insertCell().textContent = t(zh, en);
    const v = {};
    for (const [s] of SCHEMES) {
      v[s] = get(x.flows[s], x.reserve[s]);
      const c = row.insertCell();
      c.className = "wi-num";
      c.dataset.scheme = s;
      if (id === "months") {
        c.textContent = months(v[s], {lang});
        c.dataset.value = String(v[s]);
      } else {
        c.textContent = wan(city(v[s], x.scale), {lang, unit: false, decimals: lang === "en" ? 1 : 0});
        c.dataset.fen = String(v[s]);
      }
    }
    for (const other of ["baseline", "reform"]) {
      const c = row.insertCell();
      c.className = "wi-num wi-delta";
      const d = v.scenario - v[other];
      // The sign convention of the dashboards (./effect.js): the effect on the pooled balance,
      // with a word where a sign could be read two ways; the colour says better / worse for the fund.
      const kind = LINE_KINDS[id];
      const e = effectOf(kind, id === "months" ? Math.round(d * 10) : d);
      if (id === "months") c.textContent = unchangedText(d, lang, (m) => months(m, {lang})) ?? (d > 0 ? "+" : "") + months(d, {lang});
      else {
        const amount = (fen) => wan(city(fen, x.scale), {lang, unit: false, decimals: lang === "en" ? 1 : 0});
        const word = e.word[lang === "en" ? 1 : 0];
        // what rounds to zero in the column's unit reads 不变 ("不变 0"), as on the city pages, and has no colour
        const same = unchangedText(d, lang, amount);
        c.textContent = same ?? (kind === "balance" ? `${e.fen > 0 ? "+" : ""}${amount(e.fen)}` : kind === "neutral" ? `${word} ${amount(Math.abs(d))}` : `${e.fen > 0 ? "+" : ""}${amount(e.fen)} ${word}`);
        c.dataset.fen = String(d);
        if (same) continue;
      }
      if (Math.abs(d) > 1e-9 && e.better !== null) c.classList.add(toneClass(e.better));
    }
  }
  const r = x.result;
  // Months of the baseline's pooled spending on NHSA's bulletin basis (retiree credits are account income there).
  const baselineSpending = r.baseline.pooledOutflowFen - r.baseline.retireeCreditsFen;
  const openingMonths = baselineSpending > 0 ? r.reserve.baseline.openingFen / (baselineSpending / 12) : 0;
  const cap = table.createCaption();
  cap.textContent = t(
    `样本${num(r.persons)}人、${num(r.claims)}条就诊记录（${r.year}年），按参保人数放大约${num(r.scale)}倍为全市合计；年初累计结余按改革前${months(openingMonths)}的统筹基金支出（公报口径）计。`,
    `Sample of ${num(r.persons, {lang})} persons and ${num(r.claims, {lang})} claims (${r.year}), scaled ×${num(r.scale, {lang})} to city totals; opening reserve = ${months(openingMonths, {lang})} of the baseline's pooled spending (NHSA's bulletin basis).`
  );
  return table;
}

const OUTFLOWS = [
  ["general", "普通门诊统筹", "General outpatient pooling", (f) => f.outpatientFundFen[0]],
  ["tcm", "中医门诊", "TCM outpatient", (f) => f.outpatientFundFen[1]],
  ["two_disease", "两病用药", "Two-disease drugs", (f) => f.outpatientFundFen[2]],
  ["special_exam", "门诊特殊检查治疗", "Special examinations", (f) => f.outpatientFundFen[3]],
  ["second_payment", "大额二次支付", "Second payment", (f) => f.secondPaymentFen],
  ["retiree_credits", "退休人员账户划入（统筹支付）", "Retiree account credits (pooled)", (f) => f.retireeCreditsFen],
  // Inpatient and chronic/special spending (calibrated, the same in every scheme) are in the
  // table's pooled outflow, not in the chart, where they would dwarf what the sliders move.
];

/** Rows of the outflow chart (and its CSV): line × scheme, city totals. Lines zero everywhere are left out. */
export function outflowRows(out, {lang = "zh"} = {}) {
  const x = flowsOf(out);
  if (!x) return [];
  const i = lang === "en" ? 2 : 1;
  const rows = [];
  for (const line of OUTFLOWS) {
    const vals = SCHEMES.map(([s]) => line[3](x.flows[s]));
    if (vals.every((v) => v === 0)) continue;
    SCHEMES.forEach((s, k) =>
      rows.push({line: line[0], lineName: line[i], scheme: s[0], schemeName: s[i], sample_fen: vals[k], city_wan: (vals[k] * x.scale) / 1e6})
    );
  }
  return rows;
}

function groupedBars(rows, {width, lang, title, subtitle, xTitle}) {
  const t = translator(lang);
  const i = lang === "en" ? 2 : 1;
  const lines = [...new Set(rows.map((r) => r.lineName))];
  // Phones: shorter row labels (cut with an ellipsis, full text in the tooltip) so the bars keep room.
  const labelLimit = width < 500 ? 110 : 170;
  return {
    title: {text: title, subtitle},
    data: {name: "table"},
    width: width < 500 ? Math.max(150, width - labelLimit - 32) : Math.max(200, width - labelLimit - 20),
    height: {step: 11},
    mark: {type: "bar", cornerRadiusEnd: 2},
    encoding: {
      y: {field: "lineName", type: "nominal", sort: lines, title: null, axis: {labelLimit}},
      yOffset: {field: "schemeName", sort: SCHEMES.map((s) => s[i])},
      x: {field: "city_wan", type: "quantitative", title: xTitle, axis: {format: ",.0f", ...(width < 500 ? {tickCount: 3} : {})}},
      color: {field: "schemeName", type: "nominal", title: null, sort: SCHEMES.map((s) => s[i]), scale: {domain: SCHEMES.map((s) => s[i]), range: SCHEME_COLORS}, ...(width < 500 ? {legend: {columns: 2}} : {})},
      tooltip: [
        {field: "lineName", title: t("项目", "Line")},
        {field: "schemeName", title: t("方案", "Scheme")},
        {field: "city_wan", title: t("万元", "10k yuan"), format: ",.1f"}
      ]
    }
  };
}

export function outflowSpec(rows, {width = 640, lang = "zh"} = {}) {
  const t = translator(lang);
  return groupedBars(rows, {
    width,
    lang,
    title: t("统筹基金支出（按待遇，城市合计）", "Pooled fund outflow by benefit (city totals)"),
    subtitle: t("改革前 · 改革方案 · 当前情景，单位：万元；住院与慢特病支出（校准，各方案相同）未列出", "Baseline · reform as written · this scenario; 10k yuan; inpatient and chronic spending (calibrated, the same in each) not shown"),
    xTitle: t("万元", "10k yuan")
  });
}

const ACCOUNT_LINES = [
  ["account_opening", "个人账户年初余额", "Balances, opening", (f) => f.accountOpeningFen],
  ["account_credits", "个人账户划入", "Credits", (f) => f.accountCreditsFen],
  ["account_paid", "个人账户支付（本人）", "Paid for own care", (f) => f.accountPaidFen],
  ["account_family", "家庭共济支付", "Paid for family members", (f) => f.accountFamilyFen ?? 0],
  ["account_closing", "个人账户年末余额", "Balances, closing", (f) => f.accountClosingFen]
];

export function accountRows(out, {lang = "zh"} = {}) {
  const x = flowsOf(out);
  if (!x) return [];
  const i = lang === "en" ? 2 : 1;
  return ACCOUNT_LINES.flatMap((line) =>
    SCHEMES.map((s) => ({line: line[0], lineName: line[i], scheme: s[0], schemeName: s[i], sample_fen: line[3](x.flows[s[0]]), city_wan: (line[3](x.flows[s[0]]) * x.scale) / 1e6}))
  );
}

export function accountSpec(rows, {width = 640, lang = "zh"} = {}) {
  const t = translator(lang);
  return groupedBars(rows, {
    width,
    lang,
    title: t("个人账户：划入、支付与余额（城市合计）", "Individual accounts: credits, payments, balances (city totals)"),
    subtitle: t("单位：万元", "10k yuan"),
    xTitle: t("万元", "10k yuan")
  });
}

const STATUS_NAMES = [
  ["在职", "Active"],
  ["退休", "Retired"],
  ["灵活就业", "Flexible"]
];
const AGE_NAMES = {
  under_20: ["20岁以下", "under 20"],
  "20_44": ["20–44岁", "20–44"],
  "45_59": ["45–59岁", "45–59"],
  "60_64": ["60–64岁", "60–64"],
  "65_69": ["65–69岁", "65–69"],
  "70_79": ["70–79岁", "70–79"],
  "80_plus": ["80岁及以上", "80+"]
};

/** Winners and losers by status, age band, two-disease registration and spending decile (D1: the
 *  tenth spending least in the year, D10: most): two rows per group. */
export function winnerRows(out, {lang = "zh", ageBands = Object.keys(AGE_NAMES)} = {}) {
  const x = flowsOf(out);
  if (!x) return [];
  const i = lang === "en" ? 1 : 0;
  const t = translator(lang);
  const name = (w) =>
    w.dimension === "all"
      ? t("全体", "Everyone")
      : w.dimension === "status"
        ? STATUS_NAMES[w.code][i]
        : w.dimension === "age_band"
          ? (AGE_NAMES[ageBands[w.code]]?.[i] ?? ageBands[w.code])
          : w.dimension === "two_disease"
            ? w.code
              ? t("两病备案", "Two diseases registered")
              : t("未备案两病", "Not registered")
            : t(`医疗费用第${w.code}组（D${w.code}）`, `Spending decile D${w.code}`);
  return x.result.winners
    .flatMap((w) => {
      const group = name(w);
      const base = {dimension: w.dimension, code: w.code, group, persons: w.persons, mean_gain_yuan: w.meanGainYuan, p10_yuan: w.p10Yuan, p50_yuan: w.p50Yuan, p90_yuan: w.p90Yuan};
      const g = gainScale(lang);
      return [
        {...base, side: g.better, share: w.shareGaining, label: pct(w.shareGaining)},
        {...base, side: g.worse, share: -w.shareLosing, label: pct(w.shareLosing)}
      ];
    });
}

export function winnerSpec(rows, {width = 640, lang = "zh"} = {}) {
  const t = translator(lang);
  const groups = [...new Set(rows.map((r) => r.group))];
  // The bars in the colours of a person's gain (./effect.js): better off / worse off, as on the city pages.
  const g = gainScale(lang);
  return {
    title: {
      text: t("受益与受损：当前情景相对改革前", "Who gains, who loses: this scenario against the baseline"),
      subtitle: t(
        "个人所得 = 门诊统筹支付 + 二次支付 + 个人账户划入（情景 − 改革前）；条形为人数占比，括注为人均（元）",
        "A person's gain = outpatient pooling + second payment + account credits (scenario − baseline); bars: share of persons; mean gain in yuan"
      )
    },
    data: {name: "table"},
    width: width < 500 ? Math.max(150, width - 100 - 70) : Math.max(200, width - 230),
    height: {step: 18},
    encoding: {
      y: {field: "group", type: "nominal", sort: groups, title: null, axis: {labelLimit: width < 500 ? 100 : 160}}
    },
    layer: [
      {
        mark: {type: "bar", cornerRadiusEnd: 2},
        encoding: {
          x: {field: "share", type: "quantitative", title: t("人数占比", "Share of persons"), scale: {domain: [-1, 1]}, axis: {format: ".0%", labelExpr: "replace(datum.label, '-', '')"}},
          color: {field: "side", type: "nominal", title: gainLegendTitle(lang), sort: g.domain, scale: {domain: g.domain, range: g.range}, legend: {orient: "top", direction: "horizontal", labelLimit: 200, titleLimit: 240}},
          tooltip: [
            {field: "group", title: t("人群", "Group")},
            {field: "persons", title: t("样本人数", "Persons in sample"), format: ","},
            {field: "side", title: t("变化", "Change")},
            {field: "label", title: t("占比", "Share")},
            {field: "mean_gain_yuan", title: t("人均所得（元）", "Mean gain (yuan)"), format: ",.0f"},
            {field: "p50_yuan", title: t("中位数（元）", "Median (yuan)"), format: ",.0f"}
          ]
        }
      },
      {
        transform: [{filter: "datum.share >= 0"}],
        mark: {type: "text", align: "left", dx: 4, fontSize: 10, fontWeight: 600},
        encoding: {
          x: {datum: 1},
          text: {field: "mean_gain_yuan", type: "quantitative", format: "+,.0f"},
          // the mean gain in the colour of the person's gain, too
          color: {condition: [{test: "datum.mean_gain_yuan > 0", value: TONE_COLORS.better}, {test: "datum.mean_gain_yuan < 0", value: TONE_COLORS.worse}], value: "#333"}
        }
      }
    ],
    resolve: {scale: {x: "shared"}},
    config: {axisY: {labelFontSize: 11}}
  };
}

/** The scenario's problems (a rule the edits break): in Chinese where the rules give the Chinese
 *  (out.problemsZh), else as the CLI words them; empty when none. */
export function problemsBox(out, {lang = "zh"} = {}) {
  const box = document.createElement("div");
  box.className = "wi-problems";
  if (out.ok) return box;
  const t = translator(lang);
  const head = document.createElement("div");
  head.textContent = t("情景无法计算（以下显示上一次有效结果）：", "The scenario cannot be computed (the last valid result is shown):");
  box.append(head);
  out.problems.forEach((p, k) => {
    const line = document.createElement("code");
    line.textContent = lang === "en" ? p : out.problemsZh?.[k] ?? p;
    box.append(line);
  });
  return box;
}
