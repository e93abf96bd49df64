// The range of every projection assumption (issue 11: every number bounded where it enters): the
// assumptions loader (src/loaders/assumptions.ts) refuses a value, a distribution's min/max or sd
// outside it, the Monte Carlo holds its draws inside it (drawParams), and the projection page's
// editor (src/components/projection-edit.js) takes its inputs' bounds and its message from it.
// docs/projection.md "Ranges" gives the same table.
//
// Each range is the widest an actuary would still call plausible, not a forecast: wide enough for
// any stress test, narrow enough that the model stays meaningful. Within them no projected count
// can go negative: actives and flexible workers keep at least 1 + entry − retirement ≥ 50 % of
// themselves a year, retirees at least 1 − mortality ≥ 50 % (test/safety/assumption-ranges.test.ts).
//
// Self-contained (type-only imports): the page imports it as ../model/assumption-ranges.js, which
// Framework serves from this file, and the projection model's bundle re-exports it
// (src/components/projection-model.ts).
import type { ParamKey } from "./projection/params.ts";

export interface AssumptionRange {
  /** Bounds in the parameter's own units: a fraction for "%" (0.05 = 5 %), else the number. */
  min: number;
  max: number;
  /** How the value is read: "%" a fraction shown in percent, "" a plain number, "months", "years". */
  unit: "%" | "" | "months" | "years";
  /** Why these bounds (for the docs and the messages). */
  why: string;
}

const TREND = "a year-on-year change beyond any year on record, either way";

export const ASSUMPTION_RANGES = {
  wageGrowth: {
    min: -0.2, max: 0.3, unit: "%",
    why: `nominal average-wage growth has run from about 4 % to 18 % a year since 1990 (国家统计局); −20 % / +30 % is ${TREND}`,
  },
  pensionGrowth: {
    min: -0.2, max: 0.3, unit: "%",
    why: `basic pensions rose 10 % a year in 2005–2015 and 2–3.8 % since, never fell; −20 % / +30 % is ${TREND}`,
  },
  costTrend: {
    min: -0.2, max: 0.3, unit: "%",
    why: `spending per enrollee has grown 5–15 % a year (国家医保局); −20 % / +30 % on the cost of a claim alone is ${TREND}`,
  },
  utilisationTrend: {
    min: -0.2, max: 0.3, unit: "%",
    why: `claims per enrollee fell about 10 % in 2020 and rebounded after; −20 % / +30 % is ${TREND}`,
  },
  entryRate: {
    min: 0, max: 0.5, unit: "%",
    why: "new enrollees a year as a share of the actives: 2–3 % nationally, about 10 % in the fastest-growing cities; 50 % would double a city's workforce in two years. Not negative: leavers are not modelled (a shrinking workforce is a low entry against the retirement rate)",
  },
  retirementRate: {
    min: 0, max: 0.5, unit: "%",
    why: "early retirements a year among those within five years of their statutory age: 50 % would retire most of them before their age. Never negative: a cohort cannot lose more persons than it has",
  },
  retireeMortality: {
    min: 0, max: 0.5, unit: "%",
    why: "the level of the life table as retirees' base-year crude death rate: about 3 % a year at 60 and over (第七次全国人口普查); 50 % exceeds the mortality of a cohort aged 100. A cell's death probability is held at most 1",
  },
  elasticityVisitsActive: {
    min: -1, max: 0, unit: "",
    why: "RAND HIE ≈ −0.2 for outpatient care; published estimates lie within −0.04 to −0.7. Below −1 demand for care would be price-elastic, which no study finds; above 0 a lower price would lower use",
  },
  elasticityVisitsRetired: {
    min: -1, max: 0, unit: "",
    why: "as for actives (older people respond somewhat less to price)",
  },
  elasticityCostActive: {
    min: -1, max: 0, unit: "",
    why: "RAND: most of the response is in the number of episodes, little in cost per episode; the same bounds as the visits'",
  },
  elasticityCostRetired: {
    min: -1, max: 0, unit: "",
    why: "as for actives: from no response to a unit elasticity",
  },
  levelShift: {
    min: 0, max: 1, unit: "%",
    why: "a share of level-2/3 outpatient visits: from none to all of them",
  },
  levelCostRatio: {
    min: 0.1, max: 2, unit: "",
    why: "a primary-care visit costs about 40–60 % of a hospital visit (国家卫生健康委); from a tenth to twice the original covers any mix of moved visits",
  },
  responseRampYears: {
    min: 1, max: 10, unit: "years",
    why: "from all of the response in the first year to a build-up over the whole ten-year horizon",
  },
  capIndexation: {
    min: 0, max: 1, unit: "%",
    why: "from amounts fixed as the texts set them (0) to amounts that move with wages (100 %); a bureau that raises caps faster does so by a new text, a scenario",
  },
  costTrendRetiredDifferential: {
    min: -0.1, max: 0.1, unit: "%",
    why: "extra cost growth of retirees' claims over actives': ±10 % a year would double or halve their relative cost within eight years",
  },
  costTrendInpatientDifferential: {
    min: -0.1, max: 0.1, unit: "%",
    why: "extra cost growth of inpatient care over outpatient care: ±10 % a year, as for the retirees' differential",
  },
  costTrendProcessSd: {
    min: 0, max: 0.1, unit: "%",
    why: "a year's cost growth around its trend: 10 % is several times the swings of fund spending growth on record outside 2020",
  },
  wageGrowthProcessSd: {
    min: 0, max: 0.1, unit: "%",
    why: "a year's wage growth around its trend: 10 % exceeds any year's deviation since 1990",
  },
  wageCostCorrelation: {
    min: -1, max: 1, unit: "",
    why: "a correlation coefficient",
  },
  flexibleEntryRate: {
    min: 0, max: 0.5, unit: "%",
    why: "as for the actives' entry rate: 50 % would double the flexible workers in two years",
  },
  interestRate: {
    min: 0, max: 0.1, unit: "%",
    why: "fund reserves earn deposit rates (活期 0.2–0.35 %, 定期 up to 2.75 % since 2015); 10 % is beyond any deposit rate since 1996. Not negative: deposits are not charged",
  },
  compliance: {
    min: 0.5, max: 1.5, unit: "",
    why: "contributions collected relative to the base year's collection: from half to half again — beyond any change of collection on record; the base year's own rate is in the finance files (collectionBp)",
  },
  inpatientShareFactor: {
    min: 0.5, max: 1.5, unit: "",
    why: "the inpatient fund line (the largest outflow) ±50 %: beyond any city's deviation from the national share",
  },
  reconciliationFactor: {
    min: -1, max: 3, unit: "",
    why: "the reconciliation line against the published accounts: from reversed (−1) to three times its size",
  },
  retireeShareFactor: {
    min: 0.5, max: 1.5, unit: "",
    why: "the base year's retirees ±50 % (the cities' retiree shares are partly estimated): within it no status has fewer than half or more than 1.5 times its modelled persons",
  },
  openingReserveFactor: {
    min: 0, max: 2, unit: "",
    why: "the opening reserve from none to twice the bulletin's months (some cities publish only the province's)",
  },
  openingReserveMonths: {
    min: 0, max: 120, unit: "months",
    why: "the bureaus' band is 6–15 months; some cities hold 40–60 (Neijiang's calibration 46); 120 is ten years of outflow. Not negative: a fund starts from its reserve",
  },
} as const satisfies Record<ParamKey, AssumptionRange>;

export type RangedKey = keyof typeof ASSUMPTION_RANGES;

/** At most 12 significant digits: 0.07 × 100 is 7, not 7.000000000000001. */
const clean = (x: number) => Number(x.toPrecision(12));

/** A value in the unit it is read in: a "%" parameter in percent, the others as they are. */
export function displayValue(key: RangedKey, value: number): number {
  return ASSUMPTION_RANGES[key].unit === "%" ? clean(value * 100) : clean(value);
}

/** The range in the unit it is read in (what an input box's min and max are). */
export function displayRange(key: RangedKey): { min: number; max: number; unit: "%" | "" | "months" | "years" } {
  const r: AssumptionRange = ASSUMPTION_RANGES[key];
  return { min: displayValue(key, r.min), max: displayValue(key, r.max), unit: r.unit };
}

/** "−20% to 30%", "−1 to 0", "0 to 120 months". */
export function rangeText(key: RangedKey): string {
  const { min, max, unit } = displayRange(key);
  if (unit === "months" || unit === "years") return `${min} to ${max} ${unit}`;
  const u = unit === "%" ? "%" : "";
  return `${min}${u} to ${max}${u}`;
}

/** Whether `value` (the parameter's own units) lies within its range. NaN does not. */
export function inRange(key: RangedKey, value: number): boolean {
  const r: AssumptionRange = ASSUMPTION_RANGES[key];
  return value >= r.min && value <= r.max;
}

/** `value` held within the key's range (a Monte Carlo draw from a normal's tail). */
export function clampToRange(key: RangedKey, value: number): number {
  const r: AssumptionRange = ASSUMPTION_RANGES[key];
  return value < r.min ? r.min : value > r.max ? r.max : value;
}

/** The largest standard deviation a normal distribution of the key may have: the range's width. */
export function maxSd(key: RangedKey): number {
  const r: AssumptionRange = ASSUMPTION_RANGES[key];
  return clean(r.max - r.min);
}
