// The city's base-year enrollees by cohort cell (status × retirement type × single age): the
// structure the sample's persons are re-weighted to. From the generator's model of the city (its
// age tables by status group and retirement type, src/loaders/population/model.ts) when one is at
// hand — the CLI and the page's build — else estimated from the sample itself.
import { NO_DAY } from "../engine.ts";
import { civilFromDay } from "../dates.ts";
import { RETIREMENT_TYPES } from "../retirement.ts";
import { AGES, ageInYear } from "./ages.ts";
import { type Cells, CELLS, cellOf, STATUS_ACTIVE, STATUS_FLEXIBLE, STATUS_RETIRED } from "./demography.ts";

/** What the structure reads of the generator's Model (src/loaders/population/model.ts). */
export interface StructureModel {
  pRetired: number;
  femaleShare: [number, number];
  womenWorkersShare: number;
  flexibleShare: number;
  /** Per group g = status group (0 active, 1 retired) × 3 + retirement type: cumulative age distribution. */
  ageCdf: Float64Array[];
}

/** The city's cells: `insured` spread as the generator draws persons (the sample's expectation). */
export function structureOfModel(m: StructureModel, insured: number): Cells {
  const cells = new Float64Array(CELLS);
  for (let sg = 0; sg < 2; sg++) {
    const pS = sg === 1 ? m.pRetired : 1 - m.pRetired;
    const typeShare = [1 - m.femaleShare[sg], m.femaleShare[sg] * (1 - m.womenWorkersShare), m.femaleShare[sg] * m.womenWorkersShare];
    for (let t = 0; t < RETIREMENT_TYPES; t++) {
      const cdf = m.ageCdf[sg * 3 + t];
      for (let a = 0; a < AGES; a++) {
        // A cumulative table's rounding can leave a difference of −1e-17: no negative cells.
        const p = insured * pS * typeShare[t] * Math.max(0, cdf[a] - (a > 0 ? cdf[a - 1] : 0));
        if (sg === 1) cells[cellOf(STATUS_RETIRED, t, a)] += p;
        else {
          cells[cellOf(STATUS_ACTIVE, t, a)] += p * (1 - m.flexibleShare);
          cells[cellOf(STATUS_FLEXIBLE, t, a)] += p * m.flexibleShare;
        }
      }
    }
  }
  return cells;
}

/** Women's retirement type from a retiree's age at retirement (50-type retire before 53 even with the
 *  longest delay), or for a contributor the share given. */
const WOMEN_50_BEFORE_AGE = 53;

/**
 * The cells estimated from the sample: its persons by status, sex and age, scaled to `insured`.
 * A retired woman's type is read off her age at retirement; contributing women are split by
 * `womenWorkersShare` (the calibration's, default ½). Without a sex column every person counts as
 * half a man, half a woman.
 */
export function structureOfSample(
  persons: { count: number; status: Uint8Array; birthDay: Int32Array; retiredOnDay: Int32Array },
  sex: Uint8Array | undefined, baseYear: number, insured: number, womenWorkersShare = 0.5,
): Cells {
  const cells = new Float64Array(CELLS);
  const w = insured / Math.max(1, persons.count);
  for (let p = 0; p < persons.count; p++) {
    const s = persons.status[p], a = ageInYear(persons.birthDay[p], baseYear);
    const female = sex ? sex[p] : 0.5;
    cells[cellOf(s, 0, a)] += w * (1 - female);
    if (female === 0) continue;
    if (s === STATUS_RETIRED && persons.retiredOnDay[p] !== NO_DAY) {
      const ageAt = civilFromDay(persons.retiredOnDay[p]).year - civilFromDay(persons.birthDay[p]).year;
      cells[cellOf(s, ageAt < WOMEN_50_BEFORE_AGE ? 2 : 1, a)] += w * female;
    } else {
      cells[cellOf(s, 1, a)] += w * female * (1 - womenWorkersShare);
      cells[cellOf(s, 2, a)] += w * female * womenWorkersShare;
    }
  }
  return cells;
}
