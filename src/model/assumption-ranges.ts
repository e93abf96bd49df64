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
    why: "actives retiring a year: 2–4 % nationally; 50 % would retire half the workforce in one year. With entry ≥ 0, actives keep at least half of themselves a year, so never go negative",
  },
  retireeMortality: {
    min: 0, max: 0.5, unit: "%",
    why: "about 3 % a year at 60 and over (第七次全国人口普查); 50 % exceeds the mortality of a cohort aged 100. Retirees keep at least half of themselves a year, so never go negative",
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
