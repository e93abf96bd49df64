// The city's base-year enrollees by cohort cell (status × retirement type × single age): the
// structure the sample's persons are re-weighted to. From the generator's model of the city (its
// age tables by status group and retirement type, src/loaders/population/model.ts) when one is at
// hand — the CLI and the page's build — else estimated from the sample itself. And the
// re-weighting itself (post-stratification, personWeights): one implementation for the
// projection's every year and the reconciliation line's solve (src/loaders/finance.ts).
import { NO_DAY } from "../engine.ts";
import { civilFromDay } from "../dates.ts";
import { RETIREMENT_TYPES } from "../retirement.ts";
import { AGES, ageInYear } from "./ages.ts";
import { type Cells, CELLS, cellOf, sexOfType, STATUS_ACTIVE, STATUS_FLEXIBLE, STATUS_RETIRED } from "./demography.ts";

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

// ---- post-stratification: a sample's persons weighted to the city's cells --------------------------

/** A sample's post-strata: each person's sample cell (status × sex × single age in the year; one
 *  sex when the sample has no sex column), the persons in each, and for each city cell (status ×
 *  retirement type × age) the sample cell its persons are attributed to — the same age and sex
 *  when the sample has persons there, else the nearest age that has (the type's sex first); −1: no
 *  sample person of the status at all. */
export interface PostStrata {
  personCell: Int32Array;
  cellCount: Float64Array;
  attribution: Int32Array;
}

const sampleCell = (s: number, sx: number, a: number) => (s * 2 + sx) * AGES + a;

export function postStrata(persons: { count: number; status: Uint8Array; birthDay: Int32Array }, sex: Uint8Array | undefined, year: number): PostStrata {
  const personCell = new Int32Array(persons.count), cellCount = new Float64Array(3 * 2 * AGES);
  for (let p = 0; p < persons.count; p++) {
    const k = sampleCell(persons.status[p], sex ? sex[p] : 0, ageInYear(persons.birthDay[p], year));
    personCell[p] = k;
    cellCount[k]++;
  }
  const attribution = new Int32Array(CELLS).fill(-1);
  for (let s = 0; s < 3; s++) {
    for (let t = 0; t < RETIREMENT_TYPES; t++) {
      for (let a = 0; a < AGES; a++) {
        const sexes = sex ? [sexOfType(t), 1 - sexOfType(t)] : [0];
        search: for (const sx of sexes) {
          for (let d = 0; d < AGES; d++) {
            for (const b of d === 0 ? [a] : [a - d, a + d]) {
              if (b >= 0 && b < AGES && cellCount[sampleCell(s, sx, b)] > 0) {
                attribution[cellOf(s, t, a)] = sampleCell(s, sx, b);
                break search;
              }
            }
          }
        }
      }
    }
  }
  return { personCell, cellCount, attribution };
}

/** Each sample person's weight: the city's persons of the cells attributed to their sample cell ÷
 *  the sample's persons in it. The weights sum to the city's persons in `cells` (less any cell of
 *  a status the sample has nobody of). */
export function strataWeights(strata: PostStrata, cells: Cells): Float64Array {
  const perCell = new Float64Array(strata.cellCount.length);
  for (let c = 0; c < CELLS; c++) if (strata.attribution[c] >= 0) perCell[strata.attribution[c]] += cells[c];
  const w = new Float64Array(strata.personCell.length);
  for (let p = 0; p < w.length; p++) w[p] = perCell[strata.personCell[p]] / strata.cellCount[strata.personCell[p]];
  return w;
}

/** A sample's post-stratification weights to the city's cells `structure` (in `year`, the year the
 *  persons' ages are read in): what a sample total is multiplied by to stand for the city, so a
 *  sample whose chance mix of statuses and ages differs from the city's still gives the city's
 *  totals (the projection's years, the reconciliation line's solve). */
export function personWeights(sample: { persons: { count: number; status: Uint8Array; birthDay: Int32Array }; sex?: Uint8Array }, structure: Cells, year: number): Float64Array {
  return strataWeights(postStrata(sample.persons, sample.sex, year), structure);
}
