// The numeric assumptions of a projection (trends, population flows, behaviour, opening reserve)
// and their uncertainty. Separate so the assumptions' ranges and loader read them without the model.

/** The numeric assumptions of a projection (per year, as fractions: 0.05 = 5 %). */
export interface ProjectionParams {
  /** Growth of contribution bases (average wage). */
  wageGrowth: number;
  /** Growth of basic pensions (retiree account credits that are a share of the pension). */
  pensionGrowth: number;
  /** Growth of the cost of a claim (price and intensity), all kinds: the common trend that the
   *  differentials below multiply ((1 + costTrend)(1 + differential) − 1). */
  costTrend: number;
  /** Extra cost growth of retirees' claims over actives' (older patients' intensity). */
  costTrendRetiredDifferential: number;
  /** Extra cost growth of inpatient and day-surgery care (and maternity) over outpatient care. */
  costTrendInpatientDifferential: number;
  /** Growth of claims per person, all kinds, chronic/special care included. */
  utilisationTrend: number;
  /** Year-to-year variation (standard deviation of a year's growth around its trend) of the cost
   *  trend and of wage growth: the Monte Carlo's process variation (0: smooth paths). */
  costTrendProcessSd: number;
  wageGrowthProcessSd: number;
  /** Correlation of wage growth and cost trend (their long-run draws and their yearly variation). */
  wageCostCorrelation: number;
  /** New actives a year, as a share of the actives (an age–sex profile spreads them). */
  entryRate: number;
  /** New flexible workers a year, as a share of the flexible workers. */
  flexibleEntryRate: number;
  /** Early retirements a year (special jobs, illness: 国发〔1978〕104号), as a share of the actives and
   *  flexible workers within five years of their statutory age; the statutory retirements come from
   *  the ages themselves (src/model/retirement.ts). */
  retirementRate: number;
  /** Retirees who die in a year, as a share of them, in the base year: the level of the census life
   *  table (its age and sex pattern kept), applied to every enrollee; 0: no deaths. */
  retireeMortality: number;
  /** Interest a year on the pooled reserve (on the opening balance and half the year's net). */
  interestRate: number;
  /** Contributions collected as a share of the base year's collection (1: as in the base year). */
  compliance: number;
  /** Structural uncertainty, as multipliers (1: as modelled): the inpatient fund line, the
   *  reconciliation line against the published accounts, the base year's retiree share, and the
   *  opening reserve (the bulletins' months, rounded and of the province for some cities). */
  inpatientShareFactor: number;
  openingReserveFactor: number;
  reconciliationFactor: number;
  retireeShareFactor: number;
  /** Price elasticities of outpatient visits and of cost per visit, by active/retired (≤ 0: a lower
   *  out-of-pocket price raises use). Zero switches the response off. */
  elasticityVisitsActive: number;
  elasticityVisitsRetired: number;
  elasticityCostActive: number;
  elasticityCostRetired: number;
  /** Under a scheme that pays outpatient care: share of level-2/3 outpatient visits moving to
   *  level 1, and the cost of a moved visit relative to the original. Zero shift switches it off. */
  levelShift: number;
  levelCostRatio: number;
  /** Years until the utilisation response (elasticities and level shift) is complete: in year t
   *  (0 = the base year) a share min(1, (t + 1) / ramp) of it applies. 1: all in the first year. */
  responseRampYears: number;
  /** Share of wage growth by which caps and deductibles rise each year (bureaus do raise them):
   *  0 keeps the texts' amounts (the default), 1 moves them with wages. */
  capIndexation: number;
  /** Months of pooled outflow held at the start of the base year (累计结存可支付月数). */
  openingReserveMonths: number;
}

export const PARAM_KEYS = [
  "wageGrowth", "pensionGrowth", "costTrend", "utilisationTrend", "entryRate", "retirementRate", "retireeMortality",
  "elasticityVisitsActive", "elasticityVisitsRetired", "elasticityCostActive", "elasticityCostRetired", "levelShift", "levelCostRatio",
  "responseRampYears", "capIndexation", "openingReserveMonths",
  // issue 13
  "costTrendRetiredDifferential", "costTrendInpatientDifferential", "costTrendProcessSd", "wageGrowthProcessSd", "wageCostCorrelation",
  "flexibleEntryRate", "interestRate", "compliance", "inpatientShareFactor", "reconciliationFactor", "retireeShareFactor", "openingReserveFactor",
] as const satisfies ReadonlyArray<keyof ProjectionParams>;
export type ParamKey = (typeof PARAM_KEYS)[number];

/** No trends, no behaviour, no deaths, entrants or early retirements, multipliers at 1. */
export function zeroParams(openingReserveMonths: number): ProjectionParams {
  return {
    wageGrowth: 0, pensionGrowth: 0, costTrend: 0, utilisationTrend: 0, entryRate: 0, retirementRate: 0, retireeMortality: 0,
    elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0, levelCostRatio: 1,
    responseRampYears: 1, capIndexation: 0, openingReserveMonths,
    costTrendRetiredDifferential: 0, costTrendInpatientDifferential: 0, costTrendProcessSd: 0, wageGrowthProcessSd: 0, wageCostCorrelation: 0,
    flexibleEntryRate: 0, interestRate: 0, compliance: 1, inpatientShareFactor: 1, reconciliationFactor: 1, retireeShareFactor: 1, openingReserveFactor: 1,
  };
}

// ---- sources of uncertainty ---------------------------------------------------------------------

/** The sources the Monte Carlo band can hold (issue 13): parameter uncertainty (the long-run values
 *  of the trends and behaviour, drawn once per draw, wage and cost correlated), process variation
 *  (each year's growth around its trend), structural uncertainty (opening reserve, reconciliation
 *  line, inpatient share, retiree share) and the reference sample's sampling error. */
export const UNCERTAINTY_SOURCES = ["parameters", "process", "structural", "sampling"] as const;
export type UncertaintySource = (typeof UNCERTAINTY_SOURCES)[number];

/** The parameters whose distributions are structural uncertainty (the rest with a distribution are
 *  parameter uncertainty). The process SDs and the correlation are fixed (they shape the draws). */
export const STRUCTURAL_KEYS: ReadonlySet<ParamKey> = new Set(["openingReserveFactor", "inpatientShareFactor", "reconciliationFactor", "retireeShareFactor"]);
export const sourceOfKey = (k: ParamKey): UncertaintySource => (STRUCTURAL_KEYS.has(k) ? "structural" : "parameters");

// ---- uncertainty --------------------------------------------------------------------------------

/** The distribution of an uncertain parameter around its central value (assumptions files). */
export type Distribution =
  | { dist: "normal"; sd: number }
  | { dist: "triangular"; min: number; max: number }
  | { dist: "uniform"; min: number; max: number };

export interface Assumptions {
  params: ProjectionParams;
  dists: Partial<Record<ParamKey, Distribution>>;
}
