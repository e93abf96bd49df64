// The simulation results (src/data/results.json) as the pages read them: row tables, the city
// scale, the headline per city and year, and the vocabulary of the pipeline's codes in 中文 / English.
//
//   const R = prepareResults(await FileAttachment("data/results.json").json());
//   headline(R, 2024)        → one row per city: Δ income, Δ outflows, net (city fen), months
//   flowRows(R, "jinan", 2024) → the flow lines, reform beside baseline
//
// Money in the results is fen of the simulated sample; `R.scale[city]` (insured ÷ persons
// simulated) turns it into the city total; per capita is fen ÷ persons ÷ 100.
// arquero's table only: its package entry also exports the file loaders, which import node:fs
// (the "browser" field that swaps them is not applied by Framework's bundler).
import {table as aqTable} from "arquero/src/table/index.js";
import {CITY_ORDER, cityName} from "./cities.js";

/** [中文, English] for the pipeline's codes. */
export const VOCAB = {
  status: {active: ["在职职工", "Active workers"], retired: ["退休人员", "Retirees"], flexible: ["灵活就业人员", "Flexible workers"]},
  age_band: {
    under_20: ["20岁以下", "Under 20"],
    "20_44": ["20–44岁", "20–44"],
    "45_59": ["45–59岁", "45–59"],
    "60_64": ["60–64岁", "60–64"],
    "65_69": ["65–69岁", "65–69"],
    "70_79": ["70–79岁", "70–79"],
    "80_plus": ["80岁及以上", "80 and over"]
  },
  level: {"level 1": ["一级及以下", "Level 1 & below"], "level 2": ["二级", "Level 2"], "level 3": ["三级", "Level 3"]},
  kind: {
    general: ["普通门诊", "General outpatient"],
    tcm: ["中医门诊", "TCM outpatient"],
    two_disease: ["两病用药", "Two-disease drugs"],
    special_exam: ["门诊特殊检查治疗", "Special exams"],
    chronic_special: ["慢特病超限额部分", "Chronic/special overflow"],
    inpatient: ["住院", "Inpatient"],
    day_surgery: ["日间手术", "Day surgery"]
  },
  outcome: {
    general: ["普通门诊统筹", "General pooling"],
    tcm: ["中医门诊", "TCM"],
    two_disease: ["两病用药", "Two diseases"],
    special_exam: ["特殊检查治疗", "Special exams"],
    excluded: ["不属门诊统筹支付", "Not paid by outpatient pooling"]
  },
  two_disease: {registered: ["两病备案人员", "Registered (two diseases)"], "not registered": ["未备案", "Not registered"]},
  all: {all: ["全体参保人", "Everyone"]},
  exclusion: {
    inpatient: ["住院（由住院待遇支付）", "Inpatient (paid as inpatient care)"],
    day_surgery: ["日间手术（由住院待遇支付）", "Day surgery (paid as inpatient care)"],
    non_designated: ["非定点机构就医", "Non-designated facility"],
    temporary_out_of_area: ["临时外出就医不予支付", "Temporary visit out of the area"],
    no_prescription: ["药店购药无外配处方", "Pharmacy without a prescription"],
    no_account_mode: ["单建统筹（无个人账户）人员", "Pool-only members (no account)"],
    chronic_special_self_pay: ["慢特病自付部分不予支付", "Chronic/special self-pay not covered"],
    no_general_pooling: ["改革前无普通门诊统筹", "No general pooling before the reform"],
    during_stay: ["住院期间不享受门诊统筹", "During an inpatient stay"],
    not_covered: ["不在保障范围", "Not covered"],
    work_injury: ["应由工伤保险基金支付", "Payable by work-injury insurance"],
    third_party: ["应由第三人负担", "Borne by a third party"],
    public_health: ["应由公共卫生负担", "Borne by public health"],
    wellness: ["体育健身、养生保健、健康体检", "Fitness, wellness, check-ups"],
    no_card: ["未持社会保障卡或医保电子凭证结算", "Settled without card or e-voucher"],
    arrears_period: ["欠费期间或待遇等待期", "Arrears or waiting period"],
    other_not_payable: ["其它不符合统筹基金支付范围", "Otherwise outside the fund's scope"],
    chronic_scheme: ["两病患者执行门诊慢特病政策", "Two-disease patients in the chronic scheme"],
    not_chosen_facility: ["非选定（签约）定点机构", "Not the chosen facility"]
  },
  scheme: {reform: ["改革后", "Reform"], baseline: ["改革前（基线）", "Baseline"]}
};

/** The display order of each dimension's values. */
export const ORDER = {
  status: ["active", "retired", "flexible"],
  age_band: ["under_20", "20_44", "45_59", "60_64", "65_69", "70_79", "80_plus"],
  level: ["level 1", "level 2", "level 3"],
  kind: ["general", "tcm", "two_disease", "special_exam", "chronic_special", "inpatient", "day_surgery"],
  two_disease: ["registered", "not registered"],
  spending_decile: ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"],
  month: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
};

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The label of a code in a dimension: label("status", "retired", "en") → "Retirees". */
export function label(dimension, value, lang = "zh") {
  const i = lang === "en" ? 1 : 0;
  if (dimension === "month") return lang === "en" ? EN_MONTHS[Number(value) - 1] : `${value}月`;
  if (dimension === "spending_decile") {
    const n = String(value).replace(/^D/, "");
    return lang === "en" ? `D${n}` : `第${n}组`;
  }
  if (dimension === "city") return cityName(value, lang);
  return VOCAB[dimension]?.[value]?.[i] ?? String(value);
}

/** Labels of a dimension's values in display order. */
export function labels(dimension, lang = "zh", values = ORDER[dimension]) {
  return (values ?? []).map((v) => label(dimension, v, lang));
}

/** Fen of the simulated sample → fen of the whole city (an integer). */
export function cityFen(R, city, fen) {
  return Math.round(Number(fen) * R.scale[city]);
}

/** The user's run a city-year's figures come from (FUNDSIM_RUNS, src/data/results.json.ts):
 *  {year, dir, data, persons}, or null when simulated. */
export function runOf(R, city, year) {
  const s = R.cityInfo[city]?.source;
  return s?.kind === "runs" ? s.runs.find((r) => r.year === year) ?? null : null;
}

/** A sentence naming the city-years whose figures come from a user's run (empty when none).
 *  `R`: the results as prepared (prepareResults) or as read (results.json). */
export function runsNote(R, {lang = "zh"} = {}) {
  const entries = R.cityInfo ? R.cities.map((c) => R.cityInfo[c]) : R.cities;
  const parts = entries.flatMap((e) => (e?.source?.kind === "runs" ? e.source.runs.map((r) => ({city: e.city, ...r})) : []));
  if (parts.length === 0) return "";
  const zh = parts.map((p) => `${cityName(p.city, "zh")}${p.year}年（${p.data ? `本地数据 ${p.data}` : `运行目录 ${p.dir}`}，${p.persons.toLocaleString("zh-CN")}人）`).join("、");
  const en = parts.map((p) => `${cityName(p.city, "en")} ${p.year} (${p.data ? `own data ${p.data}` : `run ${p.dir}`}, ${p.persons.toLocaleString("en-US")} persons)`).join(", ");
  return lang === "en"
    ? ` Figures for ${en} come from fundsim run outputs (FUNDSIM_RUNS), put on the same sample size before scaling.`
    : `其中${zh}的数字来自 fundsim run 的输出（FUNDSIM_RUNS），已折算到同一样本规模后再放大到全市。`;
}

/** Fen of the simulated sample → yuan per insured person. */
export function perCapita(R, fen) {
  return Number(fen) / R.persons / 100;
}

/** The results JSON as tables of rows (arquero tables kept in `R.t`). */
export function prepareResults(raw) {
  const t = {};
  for (const k of ["flows", "reserve", "breakdowns", "winners", "exclusions"]) t[k] = aqTable(raw[k]);
  const scale = Object.fromEntries(raw.cities.map((c) => [c.city, c.scale]));
  // The flow lines with reform and baseline side by side.
  const impact = t.flows.groupby("year", "city", "line").pivot("scheme", "fen").derive({delta: (d) => d.reform - d.baseline});
  return {
    raw,
    t,
    years: raw.years,
    latest: Math.max(...raw.years),
    persons: raw.persons,
    seed: raw.seed,
    cities: CITY_ORDER.filter((c) => raw.cities.some((x) => x.city === c)),
    cityInfo: Object.fromEntries(raw.cities.map((c) => [c.city, c])),
    scale,
    lines: raw.lines,
    impact: impact.objects(),
    reserve: t.reserve.objects(),
    breakdowns: t.breakdowns.objects(),
    winners: t.winners.objects(),
    exclusions: t.exclusions.objects(),
    baselineCards: raw.baselineCards
  };
}

/** Δ of a flow line (sample fen) for a city and year. */
function delta(R, city, year, line) {
  const r = R.impact.find((x) => x.city === city && x.year === year && x.line === line);
  return r ? r.delta : 0;
}

/** The outpatient benefit lines (paid under the outpatient rules, incl. Jinan's second payment). */
export const OUTPATIENT_LINES = ["general_fen", "tcm_fen", "two_disease_fen", "special_exam_fen", "second_payment_fen"];

/**
 * The headline of each city for a year: Δ pooled income (accounts credited less), Δ outpatient
 * pooling payments, Δ retiree credits paid by the pool, Δ outflows, net — city totals in fen and
 * yuan per capita — and the months of reserve at year end without and with the reform.
 */
export function headline(R, year) {
  return R.cities.map((city) => {
    const d = (line) => delta(R, city, year, line);
    // The headline is on NHSA's bulletin basis (retiree credits are account income): pooled income
    // net of them, pooled spending without them; the model's view (incomeModel, outflow) beside it.
    const income = d("nhsa_pooled_income_fen");
    const incomeModel = d("pooled_income_fen");
    const spending = d("nhsa_pooled_spending_fen");
    const outpatient = OUTPATIENT_LINES.reduce((s, l) => s + d(l), 0);
    const retiree = d("retiree_credits_fen");
    const outflow = d("pooled_outflow_fen");
    const net = d("pooled_net_fen");
    const res = (scheme) => R.reserve.find((x) => x.city === city && x.year === year && x.scheme === scheme);
    const b = res("baseline");
    const r = res("reform");
    return {
      city,
      year,
      income: cityFen(R, city, income),
      incomeModel: cityFen(R, city, incomeModel),
      spending: cityFen(R, city, spending),
      outpatient: cityFen(R, city, outpatient),
      retiree: cityFen(R, city, retiree),
      outflow: cityFen(R, city, outflow),
      net: cityFen(R, city, net),
      incomePc: perCapita(R, income),
      incomeModelPc: perCapita(R, incomeModel),
      spendingPc: perCapita(R, spending),
      outpatientPc: perCapita(R, outpatient),
      retireePc: perCapita(R, retiree),
      outflowPc: perCapita(R, outflow),
      netPc: perCapita(R, net),
      monthsOpening: b?.nhsa_months_opening,
      monthsBefore: b?.nhsa_months_closing,
      monthsAfter: r?.nhsa_months_closing,
      monthsModelBefore: b?.months_closing,
      monthsModelAfter: r?.months_closing,
      closingBefore: b ? cityFen(R, city, b.closing_fen) : null,
      closingAfter: r ? cityFen(R, city, r.closing_fen) : null
    };
  });
}

/**
 * The reconciliation line (src/model/reconciliation.ts) of each city in a year, with its size: city
 * 万元 (fen), its share of pooled income on NHSA's basis, and the pooled surplus rate (surplus ÷
 * pooled income, bulletin basis) under the reform and in the baseline. The same line in both.
 */
export function reconciliationRows(R, year) {
  return R.cities.map((city) => {
    const line = (name) => R.impact.find((x) => x.city === city && x.year === year && x.line === name);
    const rec = line("reconciliation_fen"), income = line("nhsa_pooled_income_fen"), net = line("pooled_net_fen");
    const rate = (scheme) => (income && net && income[scheme] ? net[scheme] / income[scheme] : null);
    return {
      city,
      lineFen: rec ? cityFen(R, city, rec.reform) : null,
      shareOfIncome: rec && income && income.reform ? rec.reform / income.reform : null,
      surplusRateReform: rate("reform"),
      surplusRateBaseline: rate("baseline")
    };
  });
}

/** The flow lines of a city-year in display order: reform, baseline, Δ (city fen and yuan per capita). */
export function flowRows(R, city, year, lang = "zh") {
  return R.lines
    .map((l) => {
      const r = R.impact.find((x) => x.city === city && x.year === year && x.line === l.line);
      if (!r) return null;
      return {
        line: l.line,
        label: lang === "en" ? l.en : l.zh,
        reform: cityFen(R, city, r.reform),
        baseline: cityFen(R, city, r.baseline),
        delta: cityFen(R, city, r.delta),
        reformPc: perCapita(R, r.reform),
        baselinePc: perCapita(R, r.baseline),
        deltaPc: perCapita(R, r.delta)
      };
    })
    .filter(Boolean);
}

/** Winners and losers of a city-year (or every city) in one dimension, in display order. */
export function winnerRows(R, {city, year, dimension, lang = "zh"}) {
  const order = ORDER[dimension] ?? [];
  return R.winners
    .filter((w) => w.year === year && w.dimension === dimension && (!city || w.city === city))
    .map((w) => ({
      city: w.city,
      cityName: cityName(w.city, lang),
      dimension,
      value: w.value,
      group: label(dimension, w.value, lang),
      order: order.indexOf(w.value),
      persons: w.persons,
      meanGain: w.mean_gain_yuan,
      p10: w.p10_yuan,
      p50: w.p50_yuan,
      p90: w.p90_yuan,
      shareGaining: w.share_gaining,
      shareLosing: w.share_losing,
      shareUnchanged: Math.max(0, 1 - w.share_gaining - w.share_losing)
    }))
    .sort((a, b) => R.cities.indexOf(a.city) - R.cities.indexOf(b.city) || a.order - b.order);
}
