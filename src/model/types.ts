// The domain vocabulary shared by the calculator, the population engine and the browser.
// Money is integer fen everywhere; rates are basis points (1% = 100 bp); dates are ISO strings
// "YYYY-MM-DD" at the edges and day numbers (days since 1970-01-01) inside hot loops.

/** A city's id: its policy file's name (src/loaders/cities.ts finds them; the browser reads the
 *  list from src/data/cities.json). No list of cities is written in code. */
export type CityId = string;
/** What a city id looks like (the policy file's name): lowercase letters, digits and _. */
export const CITY_ID_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;

/** Person status as enrolled. `flexible` = 灵活就业 (self-employed / flexible workers). */
export const STATUSES = ["active", "retired", "flexible"] as const;
export type Status = (typeof STATUSES)[number];

/** The status a benefit table is read with: flexible workers read the active column. */
export type BenefitStatus = "active" | "retired";

export const LEVELS = [1, 2, 3] as const;
/** Facility level: 1 = primary (一级及以下), 2 = secondary (二级), 3 = tertiary (三级). */
export type Level = (typeof LEVELS)[number];

export const KINDS = [
  "general",
  "tcm",
  "two_disease",
  "special_exam",
  "chronic_special",
  "inpatient",
  "day_surgery",
] as const;
/** What a claim is: ordinary outpatient, TCM (中医门诊), two-disease drugs (两病用药),
 *  special exams (门诊特殊检查治疗), chronic/special disease overflow (门诊慢特病), inpatient, day surgery. */
export type Kind = (typeof KINDS)[number];

export const SETTINGS = ["facility", "pharmacy"] as const;
export type Setting = (typeof SETTINGS)[number];

export const AREAS = ["local", "in_province", "out_of_province", "registered_elsewhere"] as const;
/** Where care happened: locally, temporarily elsewhere in the province or outside it, or at a
 *  filed long-term residence (异地长期居住备案). */
export type Area = (typeof AREAS)[number];

export const DISEASES = ["hypertension", "diabetes"] as const;
export type Disease = (typeof DISEASES)[number];

/** The type of facility a claim is at: a hospital (医院, the default) or a community health centre
 *  (社区卫生服务中心 and the like), which the rules may pay at their own rates and deductibles. */
export const FACILITY_TYPES = ["hospital", "community"] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const SCHEME_NAMES = ["reform", "baseline"] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

/** The benefits a claim can be paid under. */
export const BENEFITS = ["general", "tcm", "two_disease", "special_exam"] as const;
export type BenefitId = (typeof BENEFITS)[number];

/** One insured person as the rules read them (calculator input, parsed). */
export interface Person {
  status: Status;
  /** Day number of birth, if known (age-dependent rules: Jinan's 70+ retiree credit). */
  birthDay?: number;
  /** 建国前老工人 (Jinan). */
  oldWorker: boolean;
  /** Registered for the two-disease benefit (两病备案). */
  twoDiseases: Disease[];
  /** Day the retiree benefits start; before it a retired person counts as active. */
  retiredOnDay?: number;
  /** Whether a flexible worker has an individual account (统账结合 vs 单建统筹). Default true. */
  hasAccount: boolean;
  /** Monthly contribution base (缴费基数), fen. */
  contributionBaseFen?: number;
  /** Own monthly pension, fen (retirees). */
  pensionFen?: number;
  /** Opening individual-account balance for the year, fen; when given, the account pays
   *  self-pay before cash. */
  accountBalanceFen?: number;
  /** Arrears paid back (补缴欠费, 含不足缴费年限补缴): the day paid and the months of contributions
   *  it covers (Ganzhou 第六条（四）). */
  arrears?: Array<{ day: number; months: number }>;
  /** Inpatient stays and day surgeries, first and last day included (Lanzhou 第八条 住院期间). */
  stays?: Array<{ from: number; to: number }>;
  /** Registered for the chronic/special-disease benefit (门诊慢特病): a two-disease patient registered
   *  there is in that scheme instead where the policy says so (Neijiang 第十一条, Ganzhou 第五条（四）). */
  chronic?: boolean;
  /** Whole years of contributions (累计缴费年限) at the year's start, where a cap grows with them. */
  contributionYears?: number;
}

/** One outpatient (or excluded) claim, parsed. */
export interface Claim {
  day: number; // days since 1970-01-01
  kind: Kind;
  level: Level;
  amountFen: number;
  eligibleFen: number; // policy-scope part, ≤ amount
  setting: Setting;
  area: Area;
  designated: boolean;
  emergency: boolean;
  /** Pharmacy purchase carries an external prescription from a designated facility (外配处方). */
  prescription: boolean;
  /** Facility number, for deductibles counted per designated facility (Jinan before 2024);
   *  0 = not given (all such claims share one accumulator). */
  facility: number;
  /** The claim's date falls within one of the person's inpatient stays (person.stays). */
  duringStay?: boolean;
  /** CLAIM_FLAGS as a bitmask (bit i = CLAIM_FLAGS[i]); absent or 0 = no flags. */
  flags?: number;
  /** At a facility other than the person's chosen or signed one (选定/签约定点医疗机构; input
   *  `chosenFacility: false`); absent = at the chosen one. */
  notChosen?: boolean;
  /** At a community health centre (社区卫生服务中心; input `facilityType: "community"`), where the
   *  rules may set their own rates and deductibles; absent = a hospital. */
  community?: boolean;
}

/** What a claim may be flagged as, each excluded where the policy's coverage.claimFlags says so,
 *  with the same name as its exclusion code. Lüliang's list of 不予支付 items: 1 work injury
 *  (工伤保险基金), 2 third-party liability (第三人负担), 3 public health (公共卫生), 4 fitness, wellness
 *  and check-ups (体育健身、养生保健消费、健康体检), 9 settled without the social-security card or
 *  medical-insurance e-voucher (未持医保电子凭证或社会保障卡), 13 arrears or waiting period (欠费期间、
 *  待遇等待期), 14 otherwise outside the fund's scope (其它不符合支付范围). */
export const CLAIM_FLAGS = ["work_injury", "third_party", "public_health", "wellness", "no_card", "arrears_period", "other_not_payable"] as const;
export type ClaimFlag = (typeof CLAIM_FLAGS)[number];

/** Why a claim got nothing from outpatient pooling. Each maps to an article in the trace. */
export const EXCLUSIONS = [
  "inpatient",
  "day_surgery",
  "non_designated",
  "temporary_out_of_area",
  "no_prescription",
  "no_account_mode",
  "chronic_special_self_pay",
  "no_general_pooling",
  "not_covered",
  "during_stay",
  ...CLAIM_FLAGS,
  /** A two-disease patient registered for the chronic/special scheme: that scheme pays (Neijiang 第十一条). */
  "chronic_scheme",
  /** At a facility other than the chosen one, where the policy pays only there (coverage.notChosenFacility). */
  "not_chosen_facility",
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

/** The result of adjudicating one claim (fen). */
export interface ClaimResult {
  fundFen: number;
  deductibleFen: number;
  /** Paid by the individual account (only when an opening balance is given). */
  accountFen: number;
  /** amount − fund − account. */
  outOfPocketFen: number;
  benefit: BenefitId | null;
  exclusion: Exclusion | null;
  /** Rate applied, basis points (0 when excluded). */
  rateBp: number;
  trace: string[];
}
