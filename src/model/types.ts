// The domain vocabulary shared by the calculator, the population engine and the browser.
// Money is integer fen everywhere; rates are basis points (1% = 100 bp); dates are ISO strings
// "YYYY-MM-DD" at the edges and day numbers (days since 1970-01-01) inside hot loops.

export const CITIES = ["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"] as const;
export type CityId = (typeof CITIES)[number];

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
}

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
