// An independent, deliberately plain second implementation of the person-year calculator
// (contract: /work/shared/contract/calculator.md; conventions: docs/calculation.md), written from
// the policy texts without looking at src/model. It exists to be checked by eye against the texts
// and to be compared with the real calculator claim by claim.
//
// Every number is in the tables below, in yuan and percentage points, with its article.
// All arithmetic is decimal.js; each claim's fund payment is rounded half-up to the fen.

import { Decimal } from "decimal.js";

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

export type City = "lanzhou" | "jinan" | "neijiang" | "lvliang" | "ganzhou";
/** The cities transcribed here, from their texts (a city's policy file is not read, by design). */
export const ORACLE_CITIES: readonly City[] = ["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"];
/** Whether a city found (src/loaders/cities.ts) has a transcription here. */
export const hasOracle = (city: string): city is City => (ORACLE_CITIES as readonly string[]).includes(city);
/** The name of the skipped test that stands for a city found without a transcription. */
export const noOracleTitle = (city: string): string => `no oracle transcription for ${city}: add one in test/oracle/oracle.ts`;
type Lvl = 1 | 2 | 3;
type St = "active" | "retired";
type Area = "local" | "in_province" | "out_of_province" | "registered_elsewhere";
type Benefit = "general" | "tcm" | "two_disease" | "special_exam";

/** The rules of one city at one date. Rates in percentage points, money in yuan. */
interface Rules {
  /** General outpatient pooling pays at all (false for the pre-reform baselines without it). */
  pooling: boolean;
  /** Annual deductible by status (one pool shared by general + tcm unless tcm has its own), or per visit by level. */
  deductible: { annual: Record<St, number> } | { perVisit: Record<Lvl, number> };
  /** Jinan before 2024: the annual deductible is counted per designated facility. */
  deductiblePerFacility: boolean;
  /** General rate by level and status. */
  rate: Record<Lvl, Record<St, number>>;
  /** Jinan 建国前老工人 uplift, points, on top of the status rate. */
  oldWorkerUplift: number;
  /** General annual cap on the fund's payment, by status. */
  cap: Record<St, number>;
  /** A pharmacy claim is paid at this level instead of the prescribing facility's (Neijiang: 3). */
  pharmacyLevel: Lvl | null;
  /** Area handling: excluded areas pay nothing; adjustments add points to the rate. */
  areaExcluded: Area[];
  areaRateAdjust: Partial<Record<Area, number>>;
  /** chronic_special overflow paid under general pooling, or excluded. */
  chronicSpecialPaid: boolean;
  /** Nothing paid for a claim dated within one of person.stays (an inpatient stay, both end days in). */
  stayExcluded: boolean;
  /** A flexible worker without an account (hasAccount: false) gets nothing. */
  noAccountExcluded: boolean;
  /** Areas where a non-designated facility is not paid even in an emergency (Lüliang 不予支付 9, 11). */
  nonDesignatedNoEmergency: Area[];
  /** Claim flags that exclude a claim, each its own reason code, checked in this order. */
  flagsExcluded: string[];
  /** A two-disease patient also registered for 门诊慢特病 (person.chronic) is in that scheme only. */
  twoDiseaseChronicOnly: boolean;
  /** Ganzhou TCM: own deductible pool and a rate uplift; null = TCM is plain general. */
  tcm: { deductible: Record<St, number>; uplift: number } | null;
  /** Two-disease drug benefit for registered patients; null = a two_disease claim is plain general. */
  twoDisease: {
    /** "flat": one rate for everybody; "general": the general rate table by level and status. */
    rate: { flat: number } | "general";
    caps: { hypertension: number; diabetes: number; both: number };
    sharesGeneralCap: boolean;
    /** Paid only at a facility: at a pharmacy the drugs are plain general (Neijiang 第十一条（二）). */
    facilityOnly: boolean;
  } | null;
  /** Ganzhou special exams: no deductible, own rates, outside the general cap. null = plain general. */
  specialExam: { rate: Record<Lvl, number>; retireeUplift: number } | null;
  /** The most the fund pays for one general/TCM claim, by level and status, before the annual cap
   *  (no seed city has one: synthetic fixtures only, test/cases/synthetic). */
  perVisitCap?: Record<Lvl, Record<St, number>>;
  /** A yearly sub-cap on what general/TCM pooling pays for pharmacy purchases, by status, within
   *  the general cap (synthetic fixtures only). */
  pharmacyCap?: Record<St, number>;
  /** Age bands of general/TCM pooling (synthetic fixtures only): from this age (completed years on
   *  the claim's date) the rate gains `rateUplift` points and, if given, the annual deductible is
   *  `deductible`; the last band reached applies; no birthDate: none. */
  ageBands?: Array<{ fromAge: number; rateUplift: number; deductible?: Record<St, number> }>;
  /** A claim away from the person's chosen facility (chosenFacility: false): not paid, not paid but
   *  in an emergency, or paid with `adjust` points added (synthetic fixtures only). */
  notChosen?: { rule: "excluded" | "emergency_only" | "same"; adjust: number };
  /** The general cap is `add` higher from `fromYears` of contributions (person.contributionYears);
   *  the last step reached applies (synthetic fixtures only). */
  capGrowth?: Array<{ fromYears: number; add: Record<St, number> }>;
  /** General/TCM pooling at a community health centre (claims[].facilityType "community"): its own
   *  rate (before uplifts) and annual deductible, each in place of the hospital's where given
   *  (synthetic fixtures only). */
  community?: { rate?: Record<St, number>; deductible?: Record<St, number> };
  /** General/TCM pooling spends the individual account first (Shanghai-style 自负段): the account
   *  pays the eligible cost up to its balance, and only the rest meets the deductible and the rate
   *  (synthetic fixtures only). */
  accountFirst?: boolean;
}

/** Rule figures a synthetic fixture (test/cases/synthetic/fixtures.yaml) sets on top of a city's. */
export type Overrides = Partial<Pick<Rules, "perVisitCap" | "pharmacyCap" | "ageBands" | "notChosen" | "capGrowth" | "community" | "accountFirst" | "deductible">> & {
  /** Account credits by age band (completed years on the month's first day; the last band reached;
   *  no birthDate: the plain credit), in place of the active or the retired credit. */
  creditsByAge?: { active?: Array<{ fromAge: number; credit: Credit }>; retired?: Array<{ fromAge: number; credit: Credit }> };
  /** By calendar year: the general cap and the annual deductible (all statuses), e.g. as a share
   *  of that year's average wage, worked out by hand. */
  byYear?: Record<string, { cap: number; deductible: number }>;
};

/** Completed years of age on `date` of a person born on `birth` (both ISO dates). */
function ageOnDate(birth: string, date: string): number {
  const age = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? age - 1 : age;
}

const ALL_AREAS_ALIKE = { areaExcluded: [] as Area[], areaRateAdjust: {}, nonDesignatedNoEmergency: [] as Area[] };
/** 社会保险法 第三十条（一）–（三）: work injury, third party, public health — national law in every
 *  city — and fitness/wellness, which each city's text puts outside basic insurance (ASSUMPTION:
 *  said of the account, read for pooling too). */
const NATIONAL_FLAGS = ["work_injury", "third_party", "public_health", "wellness"];

// ---------------------------------------------------------------------------------------------
// Lanzhou 兰政办发〔2022〕140号, in force 2023-01-01 for 5 years.
const LANZHOU: Rules = {
  pooling: true,
  deductible: { annual: { active: 200, retired: 200 } }, // 第七条 起付标准 200 元 (calendar year, cumulative)
  deductiblePerFacility: false,
  rate: {
    // 第七条: 三级 在职 55% 退休 60%; 二级 60% / 65%; 一级 65% / 70%
    3: { active: 55, retired: 60 },
    2: { active: 60, retired: 65 },
    1: { active: 65, retired: 70 },
  },
  oldWorkerUplift: 0,
  cap: { active: 2500, retired: 2500 }, // 第七条 最高支付限额 2500 元 (ASSUMPTION: caps the fund's payment)
  pharmacyLevel: null, // 第十一条 外配处方: paid at the prescribing facility's level
  ...ALL_AREAS_ALIKE, // 第十二条 异地就医 no filing needed: same policy
  chronicSpecialPaid: true, // 第八条 超出门诊慢特病限额 → 普通门诊统筹
  stayExcluded: true, // 第八条 日间手术及住院期间，不享受普通门诊统筹 (end days included: ASSUMPTION)
  noAccountExcluded: false, // 第四条 灵活就业人员 covered (and have no account, 第十六条)
  flagsExcluded: NATIONAL_FLAGS, // 社会保险法 第三十条; 第十七条 (健身、养生保健)
  twoDiseaseChronicOnly: false,
  tcm: null, // 第八条 中医药日间诊疗: same deductible, rates and cap as general
  twoDisease: null,
  specialExam: null,
};

// ---------------------------------------------------------------------------------------------
// Jinan 济政办发〔2022〕12号, in force 2023-01-01 to 2027-12-31; figures change on 2024-01-01.
const JINAN_COMMON = {
  pooling: true,
  deductible: { annual: { active: 200, retired: 200 } }, // amount not in the text: ASSUMPTION 200
  oldWorkerUplift: 5, // (二) 建国前老工人 再提高 5 个百分点 (2023 over the rate; 2024 over the retiree rate)
  pharmacyLevel: null, // (十) 外配处方 统一的门诊报销政策
  areaExcluded: [] as Area[],
  areaRateAdjust: { out_of_province: -10 }, // (五) 到省外就医的，基金支付比例降低 10 个百分点
  chronicSpecialPaid: true, // text silent: ASSUMPTION paid (国办发〔2021〕14号)
  stayExcluded: false, // text silent
  noAccountExcluded: false, // (一) 凡参加我市职工医保的人员，均可按规定享受
  nonDesignatedNoEmergency: [] as Area[],
  flagsExcluded: NATIONAL_FLAGS, // 社会保险法 第三十条; (十五) (健身、养生保健)
  twoDiseaseChronicOnly: false,
  tcm: null,
  twoDisease: null,
  specialExam: null,
};
const JINAN_2023: Rules = {
  ...JINAN_COMMON,
  deductiblePerFacility: true, // (四) 定点医疗机构间起付标准合并计算 only from 2024-01
  rate: {
    // (二) 自2023年1月起 三级 40%→50%，二级和一级 60%→70%; retirees = active (ASSUMPTION, uplift only from 2024)
    3: { active: 50, retired: 50 },
    2: { active: 70, retired: 70 },
    1: { active: 70, retired: 70 },
  },
  cap: { active: 4500, retired: 4500 }, // (三) 3000 → 4500 自2023年1月
};
const JINAN_2024: Rules = {
  ...JINAN_COMMON,
  deductiblePerFacility: false, // (四) 自2024年1月起 起付标准合并计算
  rate: {
    // (二) 自2024年1月起 退休人员较在职职工提高 5 个百分点
    3: { active: 50, retired: 55 },
    2: { active: 70, retired: 75 },
    1: { active: 70, retired: 75 },
  },
  cap: { active: 6000, retired: 6000 }, // (三) 4500 → 6000 自2024年1月
};
/** Jinan before the reform, from the text's "from" figures. */
const JINAN_BASELINE: Rules = {
  ...JINAN_COMMON,
  // The text is silent on old workers before 2023 ("再分别提高5个百分点" describes the new rates).
  // ASSUMPTION shared with src/policies/jinan.yaml: the +5 predates the reform.
  oldWorkerUplift: 5,
  deductiblePerFacility: true, // (四) the merged deductible is new in 2024
  rate: {
    // (二) 由 40% / 60% 提高至 …: before: 三级 40%, 二级和一级 60%, one rate for all statuses
    3: { active: 40, retired: 40 },
    2: { active: 60, retired: 60 },
    1: { active: 60, retired: 60 },
  },
  cap: { active: 3000, retired: 3000 }, // (三) 年度支付限额 由 3000 元
};

// ---------------------------------------------------------------------------------------------
// Neijiang 内江 实施细则（征求意见稿）, in force 2023-01-01.
const NEIJIANG: Rules = {
  pooling: true,
  deductible: { annual: { active: 200, retired: 150 } }, // 第十条（一）在职 200 元，退休 150 元
  deductiblePerFacility: false,
  rate: {
    // 第十条（二）三级和定点零售药店 50%，二级及以下 60%，退休人员提高 10% (ASSUMPTION: +10 points)
    3: { active: 50, retired: 60 },
    2: { active: 60, retired: 70 },
    1: { active: 60, retired: 70 },
  },
  oldWorkerUplift: 0,
  cap: { active: 800, retired: 1000 }, // 第十条（三）在职 800 元，退休 1000 元
  pharmacyLevel: 3, // 第十条（二）定点零售药店 = 三级 rate
  ...ALL_AREAS_ALIKE,
  chronicSpecialPaid: false, // 第九条 慢特病 个人自付 不再纳入普通门诊统筹
  stayExcluded: false, // text silent
  noAccountExcluded: false, // text silent: ASSUMPTION covered
  flagsExcluded: NATIONAL_FLAGS, // 社会保险法 第三十条; 第六条 (健身、养生保健)
  twoDiseaseChronicOnly: true, // 第十一条 符合门诊慢特病标准的 … 执行门诊慢特病政策，不得重复享受待遇
  tcm: null,
  twoDisease: {
    rate: { flat: 70 }, // 第十一条（二）不设起付线，统筹基金按 70% 比例支付
    caps: { hypertension: 200, diabetes: 300, both: 500 }, // 第十一条（二）
    sharesGeneralCap: false, // ASSUMPTION: separate from the general 800/1000
    facilityOnly: true, // 第十一条（二）在定点医疗机构门诊; a pharmacy purchase is 第十条 general pooling (ASSUMPTION)
  },
  specialExam: null,
};

// ---------------------------------------------------------------------------------------------
// Lüliang 吕梁 (Shanxi provincial 普通门诊统筹管理办法), in force 2023-01-01.
// Price class 3 / 2 / 1 is read as facility level 1 / 2 / 3 (ASSUMPTION).
const LVLIANG: Rules = {
  pooling: true,
  deductible: { perVisit: { 1: 30, 2: 50, 3: 80 } }, // 01 起付标准 30 元/次、50 元/次、80 元/次
  deductiblePerFacility: false,
  rate: {
    // 03 支付比例: 一类 50% / 55%; 二类 55% / 60%; 三类及以下 60% / 65%
    3: { active: 50, retired: 55 },
    2: { active: 55, retired: 60 },
    1: { active: 60, retired: 65 },
  },
  oldWorkerUplift: 0,
  cap: { active: 1800, retired: 2000 }, // 02 年度支付限额 在职 1800 元、退休 2000 元
  pharmacyLevel: null, // 外配处方: 起付标准、支付比例按开具处方的定点医疗机构级别
  areaExcluded: ["in_province", "out_of_province"], // 不予支付 12: 临时外出就医人员在异地发生的普通门诊费用
  areaRateAdjust: {}, // 异地长期居住人员 按参保地政策 (registered_elsewhere paid like local)
  // 不予支付 9 (in the city) and 11 (long-term residence elsewhere): non-designated, no emergency
  // exception (5 has one; ASSUMPTION: the items naming the place decide there).
  nonDesignatedNoEmergency: ["local", "registered_elsewhere"],
  chronicSpecialPaid: false, // 不予支付 7: 门诊慢特病 统筹结算后的自负部分
  stayExcluded: false, // text silent
  noAccountExcluded: false, // 「享受待遇的人员」: 参加我市职工基本医疗保险的参保人员 — pool-only members too
  // 不予支付 1 工伤, 2 第三人, 3 公共卫生, 4 健身保健体检, 9 未持卡/电子凭证, 13 欠费/等待期, 14 其它
  flagsExcluded: ["work_injury", "third_party", "public_health", "wellness", "no_card", "arrears_period", "other_not_payable"],
  twoDiseaseChronicOnly: false,
  tcm: null,
  twoDisease: null,
  specialExam: null,
};

// ---------------------------------------------------------------------------------------------
// Ganzhou 赣市府办发〔2022〕27号, in force 2023-01-01 for 2 years.
const GANZHOU: Rules = {
  pooling: true,
  deductible: { annual: { active: 600, retired: 600 } }, // 第五条（一）起付线 600 元
  deductiblePerFacility: false,
  rate: {
    // 第五条（一）一级及以下 60%、二级 55%、三级 50%；退休 提高 5 个百分点
    3: { active: 50, retired: 55 },
    2: { active: 55, retired: 60 },
    1: { active: 60, retired: 65 },
  },
  oldWorkerUplift: 0,
  cap: { active: 1800, retired: 2000 }, // 第五条（一）1800 元；退休 2000 元
  pharmacyLevel: null, // 第八条 外配处方
  ...ALL_AREAS_ALIKE,
  chronicSpecialPaid: true, // 第十二条 超过限额的费用可按门诊统筹政策支付
  stayExcluded: false, // text silent
  noAccountExcluded: true, // 第三条 不设立个人账户的住院医疗保险 参保人员 不适用
  flagsExcluded: NATIONAL_FLAGS, // 社会保险法 第三十条; 第七条（三）(健身、养生保健)
  twoDiseaseChronicOnly: true, // 第五条（四）已纳入门诊特殊慢性病保障范围的“两病”患者 … 避免重复享受待遇
  tcm: { deductible: { active: 300, retired: 300 }, uplift: 5 }, // 第五条（三）300 元, +5 个百分点, 合并封顶
  twoDisease: {
    rate: "general", // 第五条（四）执行职工医保普通门诊统筹报销比例, 不设起付线
    caps: { hypertension: 500, diabetes: 600, both: 1100 }, // 第五条（四）; both = 1100 ASSUMPTION
    sharesGeneralCap: true, // 第五条（四）与普通门诊统筹合并封顶线
    facilityOnly: false, // 第五条（四）门诊发生的降血压、降血糖药品费用 (pharmacies as 第八条)
  },
  specialExam: {
    // 第五条（二）不设起付标准，参照住院待遇，不与普通门诊统筹合并封顶线; rates ASSUMPTION 80/75/70, retired +5
    rate: { 1: 80, 2: 75, 3: 70 },
    retireeUplift: 5,
  },
};

/** Baseline for the cities whose pre-reform rules had no general outpatient pooling. */
const NO_POOLING: Rules = { ...LANZHOU, pooling: false };

/** The first and last date each city's reform rules cover. */
export const COVERAGE: Record<City, { from: string; to: string }> = {
  lanzhou: { from: "2023-01-01", to: "2027-12-31" }, // 第二十四条 自 2023-01-01，有效期 5 年
  jinan: { from: "2023-01-01", to: "2027-12-31" }, // 自2023年1月1日起施行，有效期至2027年12月31日
  neijiang: { from: "2023-01-01", to: "2027-12-31" }, // 第二十四条 until 川办发〔2021〕85号 lapses: end ASSUMED 2027-12-31
  lvliang: { from: "2023-01-01", to: "2027-12-31" }, // 自2023年1月1日起; no end stated: ASSUMED 2027-12-31
  ganzhou: { from: "2023-01-01", to: "2024-12-31" }, // 第十三、十四条 2023-01-01, 2 年
};

// ---------------------------------------------------------------------------------------------
// Individual-account credits (个人账户划入), month by month, reform only. Yuan and percentage points.

type Credit =
  | "none"
  | { ofBase: number }
  | { fixed: number }
  | { ofAverage: number; average: number; provisional?: { average: number; trueUpMonth: number } };
interface AccountRules {
  active: Credit;
  flexible: Credit;
  flexibleNoAccount: Credit;
  retired: Credit;
  /** Retiree credits from the month benefits start ("same") or the month after ("next"). */
  starts: "same" | "next";
  /** Arrears paid back (补缴欠费) credited at this % of the own base per month paid, or null. */
  arrearsOfBase: number | null;
}

/** The account rules of a city in a year, or null where the oracle does not tabulate them (Jinan). */
export function accountsFor(city: City, year: number): AccountRules | null {
  switch (city) {
    case "lanzhou": // 第十六条: active 2%; flexible none; retired 90 元/月 from the next month
      return { active: { ofBase: 2 }, flexible: "none", flexibleNoAccount: "none", retired: { fixed: 90 }, starts: "next", arrearsOfBase: null };
    case "lvliang": // 「职工个人账户如何计入?」: 2%; pool-only none; retired 85 元/月; next month ASSUMED
      return { active: { ofBase: 2 }, flexible: { ofBase: 2 }, flexibleNoAccount: "none", retired: { fixed: 85 }, starts: "next", arrearsOfBase: null };
    case "neijiang":
      return {
        active: { ofBase: 2 }, // 第四条（一）本人参保缴费基数的2%
        flexible: { ofBase: 2 }, // ASSUMPTION: as active
        flexibleNoAccount: "none",
        // 第四条（二）2022年基本养老金平均水平的2.8%; 首次划入 (2023, 第二十四条) 暂按2021年水平, 补划差额
        // (ASSUMED: 2021 ≈ 2800, 2022 ≈ 2900, trued up in July 2023); from 2024 plain 2.8% of 2900.
        retired: year === 2023 ? { ofAverage: 2.8, average: 2900, provisional: { average: 2800, trueUpMonth: 7 } } : { ofAverage: 2.8, average: 2900 },
        starts: "same", // 第七条 从享受医保退休待遇起
        arrearsOfBase: null,
      };
    case "ganzhou":
      return {
        active: { ofBase: 2 }, // 第六条（一）
        flexible: { ofBase: 2 }, // 第六条（二）
        flexibleNoAccount: "none", // 第三条
        retired: { ofAverage: 2.5, average: 3080 }, // 第六条（三）全省平均水平的2.5% (3080: calibration)
        starts: "next", // ASSUMPTION
        arrearsOfBase: 2, // 第六条（四）补缴欠费(含不足缴费年限补缴)按本人参保缴费基数2%划入个人账户
      };
    case "jinan":
      return null;
  }
}

export interface OracleAccounts {
  year: number;
  months: Array<{ month: number; status: string; credit: string | null }>;
  total: string | null;
  fromPooledFund: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function oracleAccounts(city: City, person: any, year: number, byAge: Overrides["creditsByAge"] = {}): OracleAccounts | undefined {
  const A = accountsFor(city, year);
  if (!A) return undefined;
  const cov = COVERAGE[city];
  const pad = (m: number) => String(m).padStart(2, "0");
  const base = person.contributionBase === undefined ? null : money(person.contributionBase);
  const pct = (x: Dec, p: number) => x.times(p).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const months: OracleAccounts["months"] = [];
  let provisionalMonths = 0;
  let total = new D(0), pool = new D(0), unknown = false;
  for (let m = 1; m <= 12; m++) {
    const first = `${year}-${pad(m)}-01`;
    const last = `${year}-${pad(m)}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, "0")}`;
    if (last < cov.from || first > cov.to) continue;
    const retiredNow =
      person.retiredOn === undefined ? person.status === "retired" : A.starts === "same" ? person.retiredOn <= last : person.retiredOn < first;
    const status = retiredNow ? "retired" : person.status === "flexible" ? "flexible" : "active";
    let rule = retiredNow ? A.retired : status === "flexible" ? (person.hasAccount === false ? A.flexibleNoAccount : A.flexible) : A.active;
    const bands = status === "retired" ? byAge.retired : status === "active" ? byAge.active : undefined;
    const band = person.birthDate === undefined ? undefined : [...(bands ?? [])].reverse().find((b) => ageOnDate(String(person.birthDate), first) >= b.fromAge);
    if (band) rule = band.credit;
    let credit: Dec | null = new D(0);
    let fromPool = false;
    if (rule === "none") credit = new D(0);
    else if ("ofBase" in rule) credit = base === null ? null : pct(base, rule.ofBase);
    else if ("fixed" in rule) { credit = new D(rule.fixed); fromPool = true; }
    else {
      fromPool = true;
      const full = pct(new D(rule.average), rule.ofAverage);
      if (rule.provisional && m < rule.provisional.trueUpMonth) {
        credit = pct(new D(rule.provisional.average), rule.ofAverage);
        provisionalMonths++;
      } else if (rule.provisional && m === rule.provisional.trueUpMonth) {
        credit = full.plus(full.minus(pct(new D(rule.provisional.average), rule.ofAverage)).times(provisionalMonths));
        provisionalMonths = 0;
      } else credit = full;
    }
    // Arrears paid back in this month: credited at the % of the own base for each month paid.
    // They are the person's own contributions: never from the pooled fund.
    let arrears: Dec | null = new D(0);
    for (const a of person.arrears ?? []) {
      if (A.arrearsOfBase === null || rule === "none" || String(a.paidOn).slice(0, 7) !== first.slice(0, 7)) continue;
      arrears = base === null || arrears === null ? null : arrears.plus(pct(base, A.arrearsOfBase).times(a.months));
    }
    if (credit !== null && fromPool) pool = pool.plus(credit);
    credit = credit === null || arrears === null ? null : credit.plus(arrears);
    if (credit === null) unknown = true;
    else total = total.plus(credit);
    months.push({ month: m, status, credit: credit === null ? null : fmt(credit) });
  }
  if (!months.length) return undefined;
  return { year, months, total: unknown ? null : fmt(total), fromPooledFund: fmt(pool) };
}

export function rulesFor(city: City, scenario: "reform" | "baseline", date: string): Rules {
  if (scenario === "baseline") return city === "jinan" ? JINAN_BASELINE : NO_POOLING;
  switch (city) {
    case "lanzhou":
      return LANZHOU;
    case "jinan":
      return date < "2024-01-01" ? JINAN_2023 : JINAN_2024;
    case "neijiang":
      return NEIJIANG;
    case "lvliang":
      return LVLIANG;
    case "ganzhou":
      return GANZHOU;
  }
}

// ---------------------------------------------------------------------------------------------
// The calculation.

export interface OracleClaimOut {
  date: string;
  amount: string;
  eligible: string;
  fund: string;
  deductible: string;
  outOfPocket: string;
  /** Not part of the contract's checked fields: the benefit used, or the exclusion. */
  rule: string;
  /** The reason code of an excluded claim (as the calculator's `exclusion`). */
  exclusion?: string;
  /** Paid by the individual account (where it is tracked, as the calculator's `account`). */
  account?: string;
}
export interface OracleOut {
  city: City;
  claims: OracleClaimOut[];
  totals: { amount: string; fund: string; account?: string; outOfPocket: string };
  /** Reform only, and not for Jinan: the year's account credits. */
  accounts?: OracleAccounts;
}

const money = (x: unknown): Dec => new D(String(x));
const fmt = (x: Dec): string => x.toFixed(2);
const min = (...xs: Dec[]): Dec => xs.reduce((a, b) => (a.lt(b) ? a : b));
const max0 = (x: Dec): Dec => (x.isNegative() ? new D(0) : x);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function oracle(input: any, overrides: Overrides = {}): OracleOut {
  if (!hasOracle(input.city)) throw new Error(noOracleTitle(String(input.city)));
  const city = input.city as City;
  const scenario = (input.scenario ?? "reform") as "reform" | "baseline";
  if (scenario !== "reform" && scenario !== "baseline") throw new Error("oracle: only reform/baseline");
  const person = input.person ?? {};
  const diseases: string[] = person.twoDiseases ?? [];
  const claims = (input.claims as any[]).map((c) => ({
    date: String(c.date),
    kind: String(c.kind ?? "general"),
    level: Number(c.level) as Lvl,
    amount: money(c.amount),
    eligible: money(c.eligible ?? c.amount),
    setting: String(c.setting ?? "facility"),
    area: String(c.area ?? "local") as Area,
    designated: c.designated ?? true,
    emergency: c.emergency ?? false,
    prescription: c.prescription ?? true,
    facility: c.facility === undefined ? "" : String(c.facility),
    flags: (c.flags ?? []) as string[],
    chosen: c.chosenFacility ?? true,
    facilityType: String(c.facilityType ?? "hospital"),
  }));

  // Date order, ties in input order.
  const order = claims.map((_, i) => i).sort((a, b) => (claims[a].date < claims[b].date ? -1 : claims[a].date > claims[b].date ? 1 : a - b));

  // The individual account, where an opening balance is given or pooling spends it first: credited
  // at each month's first day (from January of the first claim's year), it pays self-pay.
  const { creditsByAge, ...ruleOverrides } = overrides;
  const tracksAccount = person.accountBalance !== undefined || overrides.accountFirst === true;
  let balance = money(person.accountBalance ?? 0);
  let next: { year: number; month: number } | null = null;
  const creditsUpTo = (date: string) => {
    next ??= { year: Number(date.slice(0, 4)), month: 1 };
    while (`${next.year}-${String(next.month).padStart(2, "0")}-01` <= date) {
      const m = oracleAccounts(city, person, next.year, creditsByAge)?.months.find((x) => x.month === next!.month);
      if (m?.credit) balance = balance.plus(m.credit);
      next = next.month === 12 ? { year: next.year + 1, month: 1 } : { year: next.year, month: next.month + 1 };
    }
  };

  // Calendar-year accumulators: the deductible borne so far (so a claim under a higher amount —
  // a hospital after a community centre — bears the difference), and fund paid toward a cap.
  const met = new Map<string, Dec>();
  const paid = new Map<string, Dec>();
  const get = (m: Map<string, Dec>, k: string) => m.get(k) ?? new D(0);

  const out: OracleClaimOut[] = new Array(claims.length);
  for (const i of order) {
    const c = claims[i];
    const year = c.date.slice(0, 4);
    const { byYear, ...fixed } = ruleOverrides;
    const R: Rules = { ...rulesFor(city, scenario, c.date), ...fixed };
    const y = byYear?.[year];
    if (y) {
      R.cap = { active: y.cap, retired: y.cap };
      R.deductible = { annual: { active: y.deductible, retired: y.deductible } };
    }
    const status: St =
      person.status === "retired" && (person.retiredOn === undefined || c.date >= person.retiredOn) ? "retired" : "active";

    const zero = (why: string): OracleClaimOut => {
      // Nothing from pooling; the account still pays the self-pay up to its balance.
      if (tracksAccount) creditsUpTo(c.date);
      const account = tracksAccount ? min(balance, c.amount) : new D(0);
      balance = balance.minus(account);
      return {
        date: c.date,
        amount: fmt(c.amount),
        eligible: fmt(c.eligible),
        fund: "0.00",
        deductible: "0.00",
        outOfPocket: fmt(c.amount.minus(account)),
        rule: why,
        exclusion: why,
        ...(tracksAccount ? { account: fmt(account) } : {}),
      };
    };

    // Exclusions, in the order of docs/calculation.md.
    if (c.kind === "inpatient" || c.kind === "day_surgery") { out[i] = zero(c.kind); continue; }
    const flag = R.flagsExcluded.find((f) => c.flags.includes(f));
    if (flag) { out[i] = zero(flag); continue; }
    const stays: Array<{ from: string; to: string }> = person.stays ?? [];
    if (R.stayExcluded && stays.some((s) => s.from <= c.date && c.date <= s.to)) { out[i] = zero("during_stay"); continue; }
    if (!c.designated && (!c.emergency || R.nonDesignatedNoEmergency.includes(c.area))) { out[i] = zero("non_designated"); continue; }
    if (R.areaExcluded.includes(c.area)) { out[i] = zero("temporary_out_of_area"); continue; }
    if (!c.chosen && (R.notChosen?.rule === "excluded" || (R.notChosen?.rule === "emergency_only" && !c.emergency))) { out[i] = zero("not_chosen_facility"); continue; }
    if (c.setting === "pharmacy" && !c.prescription) { out[i] = zero("no_prescription"); continue; }
    if (R.noAccountExcluded && person.status === "flexible" && person.hasAccount === false) { out[i] = zero("no_account_mode"); continue; }
    if (c.kind === "chronic_special" && !R.chronicSpecialPaid) { out[i] = zero("chronic_special_self_pay"); continue; }
    if (!R.pooling) { out[i] = zero("no_general_pooling"); continue; }
    if (c.kind === "two_disease" && R.twoDiseaseChronicOnly && diseases.length > 0 && person.chronic === true) { out[i] = zero("chronic_scheme"); continue; }

    // Which benefit pays.
    let benefit: Benefit = "general";
    if (c.kind === "tcm" && R.tcm) benefit = "tcm";
    if (c.kind === "two_disease" && R.twoDisease && diseases.length > 0 && !(R.twoDisease.facilityOnly && c.setting === "pharmacy")) benefit = "two_disease";
    if (c.kind === "special_exam" && R.specialExam) benefit = "special_exam";

    const level: Lvl = c.setting === "pharmacy" && R.pharmacyLevel ? R.pharmacyLevel : c.level;
    const age = person.birthDate === undefined ? null : ageOnDate(String(person.birthDate), c.date);
    const band = age === null || (benefit !== "general" && benefit !== "tcm") ? undefined : [...(R.ageBands ?? [])].reverse().find((b) => age >= b.fromAge);
    // A community health centre's own rate and deductible (a pharmacy purchase: the prescribing
    // facility's, unless the pharmacy level is fixed).
    const pooled = benefit === "general" || benefit === "tcm";
    const community = c.facilityType === "community" && pooled && !(c.setting === "pharmacy" && R.pharmacyLevel) ? R.community : undefined;

    // Account first: the account pays the eligible cost up to its balance before the deductible.
    if (tracksAccount) creditsUpTo(c.date);
    const fromAccount = R.accountFirst && pooled ? min(balance, c.eligible) : new D(0);
    const rest = c.eligible.minus(fromAccount);

    // Deductible part of this claim.
    let ded = new D(0);
    if (pooled) {
      if ("perVisit" in R.deductible) {
        ded = min(rest, new D(R.deductible.perVisit[level]));
      } else {
        const amountThisYear = benefit === "tcm" ? R.tcm!.deductible[status] : community?.deductible ? community.deductible[status] : band?.deductible ? band.deductible[status] : R.deductible.annual[status];
        const pool = `${year}|${benefit === "tcm" ? "tcm" : "general"}|${R.deductiblePerFacility ? c.facility : ""}`;
        const remaining = max0(new D(amountThisYear).minus(get(met, pool)));
        ded = min(rest, remaining);
        met.set(pool, get(met, pool).plus(ded));
      }
    }

    // Rate, percentage points.
    let rate: number;
    if (benefit === "two_disease") {
      const td = R.twoDisease!;
      rate = td.rate === "general" ? R.rate[level][status] : td.rate.flat;
    } else if (benefit === "special_exam") {
      rate = R.specialExam!.rate[level] + (status === "retired" ? R.specialExam!.retireeUplift : 0);
    } else {
      rate = community?.rate ? community.rate[status] : R.rate[level][status];
      if (person.oldWorker) rate += R.oldWorkerUplift;
      if (benefit === "tcm") rate += R.tcm!.uplift;
      rate += band?.rateUplift ?? 0;
      rate += R.areaRateAdjust[c.area] ?? 0;
      if (!c.chosen) rate += R.notChosen?.adjust ?? 0;
    }
    rate = Math.min(100, Math.max(0, rate));

    // Payment before caps, rounded half-up to the fen.
    let fund = rest.minus(ded).times(rate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

    // The per-visit cap, then the annual caps on the fund's payment.
    if (R.perVisitCap && (benefit === "general" || benefit === "tcm")) fund = min(fund, new D(R.perVisitCap[level][status]));
    const caps: Array<[string, number]> = [];
    const years: number | undefined = person.contributionYears;
    const grow = years === undefined ? undefined : [...(R.capGrowth ?? [])].reverse().find((g) => years >= g.fromYears);
    const generalCap = R.cap[status] + (grow ? grow.add[status] : 0);
    if (benefit === "general" || benefit === "tcm") caps.push([`${year}|generalCap`, generalCap]);
    if (R.pharmacyCap && c.setting === "pharmacy" && (benefit === "general" || benefit === "tcm")) caps.push([`${year}|pharmacyCap`, R.pharmacyCap[status]]);
    if (benefit === "two_disease") {
      const td = R.twoDisease!;
      const h = diseases.includes("hypertension");
      const d = diseases.includes("diabetes");
      caps.push([`${year}|twoDiseaseCap`, h && d ? td.caps.both : h ? td.caps.hypertension : td.caps.diabetes]);
      if (td.sharesGeneralCap) caps.push([`${year}|generalCap`, generalCap]);
    }
    for (const [key, limit] of caps) fund = min(fund, max0(new D(limit).minus(get(paid, key))));
    for (const [key] of caps) paid.set(key, get(paid, key).plus(fund));

    // The account pays the self-pay up to its balance (what it paid first included).
    const account = tracksAccount ? min(balance, c.amount.minus(fund)) : new D(0);
    balance = balance.minus(account);
    out[i] = {
      date: c.date,
      amount: fmt(c.amount),
      eligible: fmt(c.eligible),
      fund: fmt(fund),
      deductible: fmt(ded),
      outOfPocket: fmt(c.amount.minus(fund).minus(account)),
      rule: benefit,
      ...(tracksAccount ? { account: fmt(account) } : {}),
    };
  }

  const sum = (f: (o: OracleClaimOut) => string) => out.reduce((s, o) => s.plus(f(o)), new D(0));
  const firstYear = order.length ? Number(claims[order[0]].date.slice(0, 4)) : undefined;
  const accountYear: number | undefined = input.year ?? firstYear;
  const accounts = scenario === "reform" && accountYear !== undefined ? oracleAccounts(city, person, accountYear, creditsByAge) : undefined;
  return {
    city,
    claims: out,
    totals: {
      amount: fmt(sum((o) => o.amount)),
      fund: fmt(sum((o) => o.fund)),
      ...(tracksAccount ? { account: fmt(sum((o) => o.account ?? "0")) } : {}),
      outOfPocket: fmt(sum((o) => o.outOfPocket)),
    },
    ...(accounts ? { accounts } : {}),
  };
}
