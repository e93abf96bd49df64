// The numeric assumptions of a projection (trends, population flows, behaviour, opening reserve)
// and their uncertainty. Separate so the assumptions' ranges and loader read them without the model.

/** The numeric assumptions of a projection (per year, as fractions: 0.05 = 5 %). */
export interface ProjectionParams {
  /** Growth of contribution bases (average wage). */
  wageGrowth: number;
  /** Growth of basic pensions (retiree account credits that are a share of the pension). */
  pensionGrowth: number;
  /** Growth of the cost of a claim (price and intensity), all kinds. */
  costTrend: number;
  /** Growth of claims per person, all kinds. */
  utilisationTrend: number;
  /** New actives (and flexible workers) a year, as a share of them. */
  entryRate: number;
  /** Actives and flexible workers who retire in a year, as a share of them. */
  retirementRate: number;
  /** Retirees who die in a year, as a share of them. */
  retireeMortality: number;
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
] as const satisfies ReadonlyArray<keyof ProjectionParams>;
export type ParamKey = (typeof PARAM_KEYS)[number];

/** No trends, no behaviour, a stable population: the base year repeated. */
export function zeroParams(openingReserveMonths: number): ProjectionParams {
  return {
    wageGrowth: 0, pensionGrowth: 0, costTrend: 0, utilisationTrend: 0, entryRate: 0, retirementRate: 0, retireeMortality: 0,
    elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0, levelCostRatio: 1,
    responseRampYears: 1, capIndexation: 0, openingReserveMonths,
  };
}

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
