// The methods page: the calibration report (targets beside the generated population), every policy
// assumption with its default and article, the fund-finance assumptions and the calibration values,
// each with source and rating (O official, S secondary, D derived, E estimate), and for calibration
// values the level their figure comes from (city, province, national) and its year, with a list per
// city of the base-year inputs that fall back to national figures. Input: the JSON of
// src/data/methods.json.ts.
import {translator} from "./i18n.js";
import {cityName, CITY_ORDER} from "./cities.js";
import {dataTable, el, ratingBadge} from "./fund.js";
import {change, MINUS, num, pct} from "./format.js";
import {cite, refZh} from "./cite.js";
import {noteBi} from "./notes.js";

/** A parameter's path in the files ("benefits.general.rate.level1"): code, the same in both languages. */
const keyCode = (v) => (v ? el("code", {}, v) : "—");

/** Fund-finance keys: [中文, English]. */
export const FINANCE_LABELS = {
  employerRate: ["单位缴费率", "Employer contribution rate"],
  employeeRate: ["个人缴费率", "Employee contribution rate"],
  flexibleRate: ["灵活就业人员缴费率（统账结合）", "Flexible workers' rate (with account)"],
  flexiblePoolOnlyRate: ["单建统筹人员缴费率", "Pool-only members' rate"],
  maternityEmployerRate: ["单位生育保险缴费率（并入职工医保）", "Employer maternity rate (merged into employee insurance)"],
  collectionRate: ["征缴率", "Collection rate (compliance)"],
  inpatientFundShare: ["住院及日间手术政策范围内统筹支付比例", "Pooled share of in-catalogue inpatient & day-surgery cost"],
  maternityPerActiveYuan: ["生育保险待遇人均支出（元/在职参保人/年）", "Maternity benefits (yuan a year per non-retired insured)"],
  nonContributionIncomeShare: ["利息、财政补助等非缴费收入（占缴费）", "Interest, subsidies and other non-contribution income (share of contributions)"],
  publishedAccounts: ["对账所用的公布决算", "Published accounts reconciled to"],
  chronicFundPerEnrolleeYuan: ["门诊慢特病人均统筹支出（元/年）", "Chronic/special disease pooled spending (yuan a year per patient)"],
  openingReserveMonths: ["年初统筹基金可支付月数", "Opening pooled reserve (months)"],
  openingReserveMonthsByYear: ["以后年度年初可支付月数（按年）", "Opening reserve of later years (months, by year)"],
  accountOpeningMonths: ["个人账户年初余额（月划入额倍数）", "Opening account balance (months of credits)"],
  insured: ["职工医保参保人数", "Employee insured persons"],
  familyUseShare: ["个人账户家庭共济使用比例", "Family use of the account (share of the usable balance)"]
};

/** Calibration keys (section.key): [中文, English]. */
export const CALIBRATION_LABELS = {
  "population.retireeShare": ["退休人员占比", "Retirees' share of insured"],
  "population.flexibleShareOfActive": ["灵活就业人员占在职比例", "Flexible workers' share of active members"],
  "population.femaleShareActive": ["在职女性占比", "Women among active members"],
  "population.femaleShareRetired": ["退休女性占比", "Women among retirees"],
  "population.womenWorkersShare": ["女性中工人身份占比", "Women who retire as workers (not cadres)"],
  "population.retirementAges": ["法定退休年龄（男/女干部/女工人）", "Retirement ages (men / women cadres / women workers)"],
  "population.delayStartYear": ["渐进式延迟退休起始年", "Gradual retirement delay: first year"],
  "population.delayEveryMonths": ["延迟节奏（每N个月延1个月）", "Delay pace (1 month every N months)"],
  "population.delayMaxMonths": ["最长延迟月数", "Maximum delay (months)"],
  "population.activeAgeWeights": ["在职年龄分布权重", "Age weights of active members"],
  "population.ageTilt": ["年龄结构倾斜（按人口普查）", "Age structure tilt (from the census)"],
  "population.retireeMortality": ["退休人员死亡率参数", "Retiree mortality parameters"],
  "population.retireeCohortDecline": ["退休队列递减率", "Retiree cohort decline"],
  "population.avgWageMonthly": ["社会平均工资（元/月）", "Average wage (yuan a month)"],
  "population.baseBounds": ["缴费基数上下限（平均工资倍数）", "Contribution base bounds (× average wage)"],
  "population.baseMedianRatio": ["缴费基数中位数（平均工资倍数）", "Median contribution base (× average wage)"],
  "population.baseSigma": ["缴费基数离散度", "Contribution base dispersion"],
  "population.flexibleAtFloorShare": ["灵活就业按下限缴费比例", "Flexible workers paying at the floor"],
  "population.avgPensionMonthly": ["平均养老金（元/月）", "Average pension (yuan a month)"],
  "population.pensionSigma": ["养老金离散度", "Pension dispersion"],
  "population.flexibleWithAccountShare": ["灵活就业人员有个人账户比例", "Flexible workers with an account"],
  "population.oldWorkerShare": ["建国前老工人比例", "Pre-1949 old workers' share"],
  "population.oldWorkerBornBy": ["建国前老工人出生年份上限", "Old workers born by"],
  "population.registeredElsewhereShare": ["异地长期居住备案比例（在职/退休）", "Registered long-term residents elsewhere (active / retired)"],
  "disease.hypertensionByBand": ["高血压患病率（20–44/45–64/65+）", "Hypertension prevalence (20–44 / 45–64 / 65+)"],
  "disease.hypertensionShape": ["高血压年龄曲线", "Hypertension by age (shape)"],
  "disease.diabetesShape": ["糖尿病年龄曲线", "Diabetes by age (shape)"],
  "disease.hypertensionDiagnosedShare": ["高血压知晓率", "Hypertension diagnosed share"],
  "disease.diabetesDiagnosedShare": ["糖尿病知晓率", "Diabetes diagnosed share"],
  "disease.twoDiseaseRegisteredShare": ["两病备案比例", "Two-disease registration share"],
  "disease.chronicShape": ["门诊慢特病年龄曲线", "Chronic/special disease by age (shape)"],
  "utilisation.encountersPerInsured": ["人均结算人次", "Settled encounters per insured"],
  "utilisation.encounterStandardRetireeShare": ["人次标准化所用退休占比", "Retiree share for the encounter standard"],
  "utilisation.retiredToActiveEncounterRatio": ["退休/在职就诊频次比", "Retired ÷ active encounter ratio"],
  "utilisation.hospitalisationRate": ["住院率（含日间手术）", "Hospitalisation rate (incl. day surgery)"],
  "utilisation.retiredToActiveInpatientRatio": ["退休/在职住院率比", "Retired ÷ active inpatient rate"],
  "utilisation.daySurgeryRate": ["日间手术率（在职/退休）", "Day-surgery rate (active / retired)"],
  "utilisation.dispersion": ["就诊次数离散参数", "Visit count dispersion"],
  "utilisation.outpatientAgeShape": ["门诊频次年龄曲线", "Outpatient use by age (shape)"],
  "utilisation.inpatientAgeShape": ["住院年龄曲线", "Inpatient use by age (shape)"],
  "utilisation.diseaseVisitMultiplier": ["慢病就诊倍数", "Disease visit multipliers"],
  "utilisation.diseaseInpatientMultiplier": ["慢病住院倍数", "Disease inpatient multipliers"],
  "utilisation.pharmacyShare": ["药店购药占比", "Pharmacy share"],
  "utilisation.prescriptionShare": ["药店购药持外配处方比例", "Pharmacy purchases with a prescription"],
  "utilisation.levelMix": ["就诊机构级别构成（按年龄）", "Facility level mix by age"],
  "utilisation.specialExamShare": ["特殊检查治疗占比", "Special exam share"],
  "utilisation.specialExamCostFactor": ["特殊检查费用倍数", "Special exam cost factor"],
  "utilisation.tcmShare": ["中医门诊占比", "TCM share"],
  "utilisation.twoDiseaseShare": ["两病用药就诊占比", "Two-disease drug visit share"],
  "utilisation.chronicSpecialShare": ["慢特病超限就诊占比", "Chronic/special overflow share"],
  "utilisation.inpatientLevelMix": ["住院机构级别构成", "Inpatient level mix"],
  "utilisation.daySurgeryLevelMix": ["日间手术机构级别构成", "Day-surgery level mix"],
  "utilisation.emergencyShare": ["急诊占比", "Emergency share"],
  "utilisation.designatedShare": ["定点机构就医比例", "Designated facility share"],
  "utilisation.areaShares": ["临时外出就医比例（省内/省外）", "Temporary visits (in / out of province)"],
  "utilisation.registeredElsewhereLocalShare": ["异地备案人员回本地就医比例", "Registered-elsewhere members' local visits"],
  "utilisation.monthWeights": ["月度就诊权重", "Month weights"],
  "utilisation.facilities": ["定点机构数量", "Facilities"],
  "utilisation.usualFacilityShare": ["固定就诊机构比例", "Usual-facility share"],
  "utilisation.maxEncounters": ["人年最多就诊次数", "Maximum encounters a year"],
  "costs.visitCostLevel1": ["一级机构次均费用（元）", "Cost per level-1 visit (yuan)"],
  "costs.visitCostLevel2": ["二级机构次均费用（元）", "Cost per level-2 visit (yuan)"],
  "costs.visitCostLevel3": ["三级机构次均费用（元）", "Cost per level-3 visit (yuan)"],
  "costs.pharmacyCost": ["药店次均费用（元）", "Cost per pharmacy purchase (yuan)"],
  "costs.outpatientCostSigma": ["门诊费用离散度", "Outpatient cost dispersion"],
  "costs.spendingActive": ["在职人均医疗费用（元/年）", "Spending per active member (yuan a year)"],
  "costs.spendingRetired": ["退休人均医疗费用（元/年）", "Spending per retiree (yuan a year)"],
  "costs.costPerStay": ["次均住院费用（元，校验目标）", "Cost per inpatient stay (yuan; a check)"],
  "costs.inpatientCostSigma": ["住院费用离散度", "Inpatient cost dispersion"],
  "costs.daySurgeryCost": ["日间手术次均费用（元）", "Cost per day surgery (yuan)"],
  "costs.daySurgeryCostSigma": ["日间手术费用离散度", "Day-surgery cost dispersion"],
  "costs.policyScopeShare": ["政策范围内费用占比（按级别）", "Policy-scope share by level"],
  "costs.pharmacyScopeShare": ["药店政策范围内占比", "Pharmacy policy-scope share"],
  "costs.inpatientScopeShare": ["住院政策范围内占比", "Inpatient policy-scope share"],
  "costs.maxClaimYuan": ["单笔费用上限（元）", "Largest claim (yuan)"]
};

/** Calibration-report targets by id: [中文, English]. */
const TARGET_LABELS = {
  retireeShare: ["退休人员占参保人比例", "Retirees, share of insured"],
  flexibleShare: ["灵活就业人员占在职比例", "Flexible workers, share of active members"],
  spendingActive: ["在职人均医疗费用（含住院，元/年，全国年龄结构）", "Spending per active member (incl. inpatient, yuan a year, national ages)"],
  spendingRetired: ["退休人均医疗费用（含住院，元/年，全国年龄结构）", "Spending per retiree (incl. inpatient, yuan a year, national ages)"],
  spendingRatio: ["人均医疗费用：退休 ÷ 在职", "Spending per capita, retired ÷ active"],
  encounters: ["人均结算人次（全国退休占比和年龄结构）", "Settled encounters per insured (national retiree share and ages)"],
  hospitalisation: ["住院率（含日间手术，全国退休占比和年龄结构）", "Hospitalisation rate (incl. day surgery; national retiree share and ages)"],
  costPerStay: ["次均住院费用（含日间手术，元）", "Cost per stay (incl. day surgery, yuan)"],
  visitCostLevel1: ["一级机构门诊次均费用（元）", "Mean level-1 outpatient claim (yuan)"],
  visitCostLevel2: ["二级机构门诊次均费用（元）", "Mean level-2 outpatient claim (yuan)"],
  visitCostLevel3: ["三级机构门诊次均费用（元）", "Mean level-3 outpatient claim (yuan)"],
  hypertension0: ["高血压患病率，20–44岁", "Hypertension prevalence, 20–44"],
  hypertension1: ["高血压患病率，45–64岁", "Hypertension prevalence, 45–64"],
  hypertension2: ["高血压患病率，65岁及以上", "Hypertension prevalence, 65+"]
};

/** A place of the published accounts as its file names it ("新余 Xinyu": Chinese, then English), in one language. */
export function placeName(name, lang = "zh") {
  const m = /^(\S+)\s+(.+)$/.exec(String(name ?? "").trim());
  if (!m) return String(name ?? "—");
  return lang === "en" ? m[2].charAt(0).toUpperCase() + m[2].slice(1) : m[1];
}

/** The two bases of published accounts (src/loaders/finance.ts). */
const BASIS_LABELS = {
  pooled: ["统筹基金（国家医保局公报口径）", "the pooled fund (NHSA bulletin basis)"],
  fund: ["职工医保基金（统筹基金 + 个人账户）", "the whole employee fund (pooled + accounts)"]
};

/**
 * A finance or calibration value as the page shows it: publishedAccounts ({place, name, year,
 * basis}) in words ("新余 2023年决算，职工医保基金（统筹基金 + 个人账户）"), any other value as the
 * file gives it, its negative numbers with the minus sign U+2212.
 */
export function valueText(row, lang = "zh") {
  const p = row.parts;
  if (row.key === "publishedAccounts" && p) {
    const basis = BASIS_LABELS[p.basis]?.[lang === "en" ? 1 : 0] ?? String(p.basis);
    return lang === "en" ? `${placeName(p.name, "en")}, accounts of ${p.year}: ${basis}` : `${placeName(p.name, "zh")} ${p.year}年决算：${basis}`;
  }
  if (row.key === "openingReserveMonthsByYear" && p) {
    return Object.entries(p)
      .map(([y, m]) => (lang === "en" ? `${y}: ${num(m, {decimals: 1, lang})} months` : `${y}年 ${num(m, {decimals: 1})} 个月`))
      .join(lang === "en" ? "; " : "；");
  }
  return String(row.value ?? "—").replace(/(^|[\s,:(\[])-(?=\d|\.\d)/g, `$1${MINUS}`);
}

const SCOPE = (scope, lang) => (scope === "national" ? (lang === "en" ? "National default" : "全国默认") : cityName(scope, lang));

/** The level a value's figure comes from. */
export const LEVEL_LABELS = {city: ["市级", "City"], province: ["省级", "Province"], national: ["全国", "National"]};
const LEVEL = (level, lang) => (LEVEL_LABELS[level] ? LEVEL_LABELS[level][lang === "en" ? 1 : 0] : level ?? "—");

function labelOf(dict, key, lang, fallback = key) {
  const l = dict[key];
  return l ? l[lang === "en" ? 1 : 0] : fallback;
}

/** A value with its unit: shares as %, yuan with grouping, counts with two decimals. */
function showValue(v, unit, lang) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (unit === "share") return pct(v, {decimals: 1});
  if (unit === "yuan") return num(v, {decimals: 0, lang});
  return num(v, {decimals: 2, lang});
}

// ---- calibration report ---------------------------------------------------------------------------
/** Rows for the gap chart and table, cities in page order. */
export function reportRows(report, {lang = "zh"} = {}) {
  if (!report) return [];
  return report.rows
    .map((r) => ({
      city: r.city,
      cityName: cityName(r.city, lang),
      id: r.id,
      target: labelOf(TARGET_LABELS, r.id, lang, r.label),
      rating: r.rating,
      level: r.level ?? null,
      year: r.year ?? null,
      source: r.source,
      note: r.note,
      unit: r.unit,
      targetValue: r.target,
      generated: r.generated,
      gap: r.gap,
      gated: r.gated,
      pass: r.pass
    }))
    .sort((a, b) => CITY_ORDER.indexOf(a.city) - CITY_ORDER.indexOf(b.city));
}

/** Gap of every target per city (dots), the ±tolerance band shaded; O/S targets filled. */
export function reportChartSpec(rows, {width = 900, lang = "zh", tolerance = 0.05} = {}) {
  const t = translator(lang);
  const targets = [...new Set(rows.map((r) => r.target))];
  const max = Math.max(tolerance * 2, ...rows.map((r) => Math.abs(r.gap)));
  const cities = CITY_ORDER.map((c) => cityName(c, lang));
  return {
    title: {
      text: t("校准：模拟人群与目标值的偏差", "Calibration: the generated population against its targets"),
      subtitle: t(
        `偏差 =（模拟值 − 目标值）÷ 目标值。阴影为 ±${tolerance * 100}% 容差；实心点为 O/S 级（须在容差内），空心点为 D/E 级（仅供参考）`,
        [`Gap = (generated − target) ÷ target. Shaded: ±${tolerance * 100}% tolerance; filled dots are O/S targets (must be within it),`, "hollow dots D/E targets (shown, not gated)"]
      )
    },
    data: {values: rows},
    height: targets.length * cities.length * 6,
    encoding: {yOffset: {field: "cityName", type: "nominal", sort: cities}, y: {field: "target", type: "nominal", sort: targets, title: null, axis: {labelLimit: 300}}},
    layer: [
      {mark: {type: "rect", color: "#eaf3ea"}, data: {values: [{a: -tolerance, b: tolerance}]}, encoding: {x: {field: "a", type: "quantitative"}, x2: {field: "b"}, y: null, yOffset: null}},
      {mark: {type: "rule", color: "#888"}, data: {values: [{z: 0}]}, encoding: {x: {field: "z", type: "quantitative"}, y: null, yOffset: null}},
      ...[true, false].map((gated) => ({
        transform: [{filter: gated ? "datum.gated" : "!datum.gated"}],
        mark: {type: "point", size: 70, strokeWidth: 1.8, opacity: 0.95, filled: gated},
        encoding: {
          x: {field: "gap", type: "quantitative", title: t("偏差", "Gap"), scale: {domain: [-max * 1.1, max * 1.1], nice: false}, axis: {format: "+.0%"}},
          color: {field: "cityName", type: "nominal", title: null, sort: cities, scale: {domain: cities}},
          tooltip: [
            {field: "cityName", title: t("城市", "City")},
            {field: "target", title: t("指标", "Target")},
            {field: "rating", title: t("评级", "Rating")},
            {field: "targetValue", title: t("目标值", "Target"), format: ",.4~f"},
            {field: "generated", title: t("模拟值", "Generated"), format: ",.4~f"},
            {field: "gap", title: t("偏差", "Gap"), format: "+.2%"}
          ]
        }
      }))
    ]
  };
}

export function reportTable(rows, {lang = "zh"} = {}) {
  const t = translator(lang);
  return dataTable(
    rows,
    [
      {key: "cityName", label: t("城市", "City"), class: "fs-nowrap"},
      {key: "target", label: t("指标", "Target"), class: "fs-wide"},
      {key: "targetValue", label: t("目标值", "Target"), num: true, format: (v, r) => showValue(v, r.unit, lang)},
      {key: "generated", label: t("模拟值", "Generated"), num: true, format: (v, r) => showValue(v, r.unit, lang)},
      {key: "gap", label: t("偏差", "Gap"), num: true, format: (v) => change(v, {decimals: 2})},
      {key: "rating", label: t("评级", "Rating"), format: (v) => ratingBadge(v, lang)},
      {key: "level", label: t("层级", "Level"), class: "fs-nowrap", format: (v) => LEVEL(v, lang)},
      {key: "year", label: t("年份", "Year"), format: (v) => (v ? String(v) : "—")},
      {key: "pass", label: t("检验", "Check"), class: "fs-nowrap", format: (v, r) => (r.gated ? (v ? t("通过", "ok") : t("超出容差", "outside")) : t("不检验", "not gated"))},
      {key: "source", label: t("来源", "Source"), class: "fs-small", format: noteBi}
    ],
    {attrs: {"data-table": "calibration-report"}}
  );
}

export function shapeTable(shapes, {lang = "zh"} = {}) {
  const t = translator(lang);
  const rows = shapes.map((s) => ({...s, cityName: cityName(s.city, lang)})).sort((a, b) => CITY_ORDER.indexOf(a.city) - CITY_ORDER.indexOf(b.city));
  return dataTable(
    rows,
    [
      {key: "cityName", label: t("城市", "City")},
      {key: "label", label: t("形态指标（英文）", "Shape measure")},
      {key: "value", label: t("模拟值", "Generated"), num: true, format: (v, r) => showValue(v, r.unit, lang)},
      {key: "note", label: t("说明", "Note"), class: "fs-small"}
    ],
    {attrs: {"data-table": "calibration-shapes"}}
  );
}

// ---- policy assumptions ---------------------------------------------------------------------------------
export function assumptionTable(rows, {lang = "zh"} = {}) {
  const t = translator(lang);
  const shown = rows
    .map((r) => ({
      ...r,
      cityName: cityName(r.city, lang),
      schemeName: r.scheme === "reform" ? t("改革后", "Reform") : t("改革前", "Baseline"),
      param: lang === "en" ? r.labelEn : r.labelZh,
      // the changes quote the texts: a citation in English
      shown: r.changes?.length
        ? lang === "en"
          ? [r.valueEn, " (changes: ", cite(r.changes.join("; "), lang), ")"]
          : `${r.value}（调整：${r.changes.map(refZh).join("；")}）`
        : lang === "en"
          ? r.valueEn
          : r.value
    }))
    .sort((a, b) => CITY_ORDER.indexOf(a.city) - CITY_ORDER.indexOf(b.city) || (a.scheme === b.scheme ? 0 : a.scheme === "reform" ? -1 : 1));
  return dataTable(
    shown,
    [
      {key: "cityName", label: t("城市", "City"), class: "fs-nowrap"},
      {key: "schemeName", label: t("方案", "Scheme"), class: "fs-nowrap"},
      {key: "param", label: t("参数", "Parameter"), class: "fs-wide"},
      {key: "shown", label: t("默认值", "Default"), class: "fs-wide"},
      {key: "ref", label: t("依据条款 / 出处", "Article / source"), class: "fs-small", format: (v) => cite(v, lang)},
      {key: "note", label: t("说明", "Note"), class: "fs-small", format: noteBi},
      {key: "rating", label: t("评级", "Rating"), format: (v) => (v ? ratingBadge(v, lang) : "—")},
      {key: "key", label: t("参数路径", "Key"), class: "fs-small", format: keyCode}
    ],
    {attrs: {"data-table": "assumptions"}}
  );
}

// ---- sourced values (finance, calibration) --------------------------------------------------------------
/**
 * A table of sourced values. Rows with a `level` (calibration values) get the level their figure
 * comes from (city / province / national) and its year; rows flagged `baseYear` are summarised
 * above the table, city by city, with the base-year inputs that fall back to national figures
 * (`fallbacks: false` leaves the summary out, for a page that shows fallbackList itself).
 */
export function sourcedTable(rows, {lang = "zh", labels = {}, name = "sourced", fallbacks = true} = {}) {
  const t = translator(lang);
  const shown = rows.map((r) => ({...r, scopeName: SCOPE(r.scope, lang), label: labelOf(labels, r.key, lang, r.key)}));
  const withLevel = rows.some((r) => r.level);
  const table = dataTable(
    shown,
    [
      {key: "scopeName", label: t("适用", "Applies to"), class: "fs-nowrap"},
      {key: "label", label: t("项目", "Item"), class: "fs-wide"},
      {key: "value", label: t("取值", "Value"), class: "fs-value-cell", format: (v, r) => valueText(r, lang)},
      {key: "rating", label: t("评级", "Rating"), format: (v) => ratingBadge(v, lang)},
      ...(withLevel
        ? [
            {key: "level", label: t("数据层级", "Level"), class: "fs-nowrap", format: (v) => LEVEL(v, lang)},
            {key: "year", label: t("年份", "Year"), format: (v) => (v ? String(v) : "—")}
          ]
        : []),
      {key: "source", label: t("来源", "Source"), class: "fs-small", format: noteBi},
      {key: "note", label: t("说明", "Note"), class: "fs-small", format: noteBi},
      {key: "key", label: t("参数路径", "Key"), class: "fs-small", format: keyCode}
    ],
    {attrs: {"data-table": name}}
  );
  if (!fallbacks || !rows.some((r) => r.baseYear)) return table;
  return el("div", {}, fallbackList(rows, {lang, labels}), table);
}

/**
 * For the cities among `rows` (calibration rows: national defaults and city values), the level each
 * base-year input comes from: a city value's own level, else the national default's. Returns
 * {cities: [{city, counts: {city, province, national}, national: [keys]}], shared: [{key, cities, rating, note}]}:
 * `shared` lists each input that falls back to national figures with the cities it does so in.
 */
export function fallbackData(rows) {
  const base = rows.filter((r) => r.baseYear);
  const national = new Map(base.filter((r) => r.scope === "national").map((r) => [r.key, r]));
  const cities = CITY_ORDER.filter((c) => rows.some((r) => r.scope === c));
  const perCity = cities.map((city) => {
    const own = new Map(base.filter((r) => r.scope === city).map((r) => [r.key, r]));
    const counts = {city: 0, province: 0, national: 0};
    const fallback = [];
    for (const key of national.keys()) {
      const r = own.get(key) ?? national.get(key);
      const level = r.level ?? "national";
      counts[level] = (counts[level] ?? 0) + 1;
      if (level === "national") fallback.push({key, rating: r.rating, note: own.has(key) ? r.note : null});
    }
    return {city, counts, national: fallback};
  });
  const shared = [];
  for (const key of national.keys()) {
    const inCities = perCity.filter((c) => c.national.some((f) => f.key === key));
    if (inCities.length === 0) continue;
    const first = inCities[0].national.find((f) => f.key === key);
    shared.push({key, cities: inCities.map((c) => c.city), rating: first.rating, note: first.note});
  }
  return {cities: perCity, shared};
}

/** The per-city summary of base-year inputs: how many come from the city, its province or the
 *  nation, and which inputs fall back to national figures, in which cities and why. With several
 *  cities, the national figures all of them share are listed once, after the cities. */
export function fallbackList(rows, {lang = "zh", labels = CALIBRATION_LABELS} = {}) {
  const t = translator(lang);
  const {cities, shared} = fallbackData(rows);
  const sep = lang === "en" ? "; " : "、";
  const names = (list) => list.map((c) => cityName(c, lang)).join(lang === "en" ? ", " : "、");
  const all = cities.length > 1 ? shared.filter((s) => s.cities.length === cities.length) : [];
  const inAll = new Set(all.map((s) => s.key));
  const label = (key) => labelOf(labels, key, lang, key);
  const item = (f) => t(`${label(f.key)}（${f.rating}）`, `${label(f.key)} (${f.rating})`);
  // Inputs some cities (not all) take from national figures, with the reason a city file gives.
  const partial = cities.length > 1 ? shared.filter((s) => !inAll.has(s.key)) : [];
  return el(
    "div",
    {class: "fs-doc", "data-list": "calibration-fallbacks"},
    el("p", {class: "fs-note"}, t(
      "基年输入（参保人员的身份、年龄和性别结构，缴费基数，养老金，就医频次和费用）先取城市数据，无则取本省数据，再无则取全国数据。各市各项的层级见下表“数据层级”列；回落至全国数据的项目如下（缴费率和参保人数见上方基金收支假设的“适用”列）。",
      "Base-year inputs (insured by status, age and sex; contribution base; pension; use and cost of care) come from the city's own figures, else its province's, else national ones: the “Level” column of the table below gives each. Those that fall back to national figures (contribution rates and insured counts: see “Applies to” in the fund-finance table above):"
    )),
    el(
      "ul",
      {},
      cities.map((c) => {
        const own = c.national.filter((f) => !inAll.has(f.key));
        return el(
          "li",
          {"data-city": c.city},
          el("strong", {}, cityName(c.city, lang)),
          t(
            `：市级 ${c.counts.city} 项，省级 ${c.counts.province} 项，全国 ${c.counts.national} 项。${all.length ? "除各市共用的全国数据外，" : ""}回落至全国：${own.map(item).join(sep) || "无"}。`,
            `: ${c.counts.city} from the city, ${c.counts.province} from the province, ${c.counts.national} national. ${all.length ? "Besides the national figures every city shares, falling" : "Falling"} back to national figures: ${own.map(item).join(sep) || "none"}.`
          ),
          cities.length === 1
            ? c.national.filter((f) => f.note).map((f) => el("div", {class: "fs-kpi-sub"}, label(f.key), t("：", ": "), noteBi(f.note)))
            : null
        );
      })
    ),
    all.length
      ? el("p", {class: "fs-note", "data-shared": "all"}, t(
          `各市共用的全国数据：${all.map(item).join(sep)}。原因：未找到城市或省级数据（检索记录见 docs/sources/base-year-north.md 和 base-year-south.md）。各市人口仍不相同：年龄结构（人口普查）、工资、养老金和退休占比各异，就医频次按全国分年龄水平作用于本市年龄结构。`,
          `National figures every city shares: ${all.map(item).join(sep)}. Why: no city or provincial figure was found (the searches are listed in docs/sources/base-year-north.md and base-year-south.md). The cities' populations still differ: their age structures (census), wages, pensions and retiree shares differ, and the national rates of care by age apply to each city's own ages.`
        ))
      : null,
    partial.length
      ? el(
          "ul",
          {"data-shared": "some"},
          partial.map((s) =>
            el(
              "li",
              {},
              t(`${label(s.key)}：${names(s.cities)}共用全国数据（${s.rating}）。`, `${label(s.key)}: ${names(s.cities)} share the national figure (${s.rating}).`),
              s.note ? el("span", {class: "fs-kpi-sub"}, " ", noteBi(s.note)) : null
            )
          )
        )
      : null
  );
}

/** Counts of values by rating, for one line of text. */
export function ratingCounts(rows) {
  const out = {O: 0, S: 0, D: 0, E: 0};
  for (const r of rows) if (r.rating in out) out[r.rating]++;
  return out;
}

/** The rating legend. */
export function ratingLegend({lang = "zh"} = {}) {
  const t = translator(lang);
  const items = [
    ["O", t("官方：统计公报或政策原文", "Official: statistics or the policy text")],
    ["S", t("二手：转载官方资料的来源", "Secondary: a source reproducing official material")],
    ["D", t("推算：由已找到的数据计算", "Derived: arithmetic on found figures")],
    ["E", t("估计：未找到来源，说明中写明取值理由", "Estimate: nothing found; the note says what was chosen and why")]
  ];
  return el("div", {class: "fs-controls"}, items.map(([r, text]) => el("span", {}, ratingBadge(r, lang), " ", text)));
}

/** Policy documents, one line per city. */
export function documentList(documents, {lang = "zh"} = {}) {
  return el(
    "ul",
    {},
    documents.map((d) =>
      lang === "en"
        ? el("li", {}, `${d.nameEn} (${d.provinceEn}): `, cite(`《${d.title}》`, lang), d.number ? " " : null, cite(d.number, lang))
        : el("li", {}, `${d.nameZh}（${d.provinceZh}）：《${d.title}》${d.number ? ` ${d.number}` : ""}`)
    )
  );
}

/** The distinct sources named in sourced values, with how many values cite each. */
export function sourceList(rows) {
  const counts = new Map();
  for (const r of rows) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([source, n]) => ({source, n}));
}
