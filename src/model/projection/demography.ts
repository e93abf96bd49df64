// The city's enrollees over the projection, cohort by cohort (issue 13): populations by status ×
// retirement type (men, women retiring at 55, women at 50) × single age, moved one year at a time —
// every cohort ages one year, the life table removes its deaths, actives and flexible workers
// retire at the statutory age (with the gradual raise from 2025: src/model/retirement.ts, the
// generator's own rule), and entrants join with an age–sex profile. The sample's persons keep their
// ages; project.ts re-weights them to these cells each year, so age–cost curves move with cohorts.
import { RETIREMENT_TYPES, type RetirementRules, retiredShareByYearEnd } from "../retirement.ts";
import { AGES, MAX_AGE } from "./ages.ts";
import { censusLifeTable, type LifeTable } from "./life-table.ts";

export const STATUS_ACTIVE = 0, STATUS_RETIRED = 1, STATUS_FLEXIBLE = 2;
export const GROUPS = 3 * RETIREMENT_TYPES;
export const CELLS = GROUPS * AGES;

/** Cell index of status s (STATUSES code), retirement type t, age a. */
export const cellOf = (s: number, t: number, a: number) => (s * RETIREMENT_TYPES + t) * AGES + a;
/** Sex of a retirement type: 0 men, 1 women. */
export const sexOfType = (t: number) => (t === 0 ? 0 : 1);

/** The city's enrollees by cell in one year (Float64Array of CELLS). */
export type Cells = Float64Array;

/** The age–sex profile of entrants: shares by age (sum 1) and the split by retirement type
 *  (men, women 55, women 50; sum 1). */
export interface EntrantProfile {
  byAge: Float64Array;
  byType: [number, number, number];
}

/**
 * Entrants' ages (E, no published age profile of new employee enrollees found): new enrollees are
 * mostly graduates and job changers from other schemes — a triangular profile from 18 to 45 with
 * its mode at 23. The sex split: the base-year actives' (see entrantProfileOf).
 */
export const ENTRANT_AGE_RANGE = { min: 18, mode: 23, max: 45 } as const;

/** The entrant profile with the base-year actives' split by retirement type. */
export function entrantProfileOf(cells: Cells, status = STATUS_ACTIVE): EntrantProfile {
  const { min, mode, max } = ENTRANT_AGE_RANGE;
  const byAge = new Float64Array(AGES);
  let sum = 0;
  for (let a = min; a <= max; a++) sum += byAge[a] = a <= mode ? (a - min + 1) / (mode - min + 1) : (max - a + 1) / (max - mode + 1);
  for (let a = min; a <= max; a++) byAge[a] /= sum;
  const byType: [number, number, number] = [0, 0, 0];
  let tot = 0;
  for (let t = 0; t < RETIREMENT_TYPES; t++) for (let a = 0; a < AGES; a++) tot += byType[t] += cells[cellOf(status, t, a)];
  return { byAge, byType: (tot > 0 ? byType.map((x) => x / tot) : [0.5, 0.25, 0.25]) as [number, number, number] };
}

export interface DemographyRates {
  /** New actives a year as a share of the actives (and the flexible workers', of them). */
  entryRate: number;
  flexibleEntryRate: number;
  /** Multiplier of the life table's q_x (1: the table; 0: no deaths). */
  mortalityScale: number;
  /** Early retirements a year among actives and flexible workers within EARLY_YEARS of their
   *  statutory age (on top of the statutory retirements). */
  earlyRetirementRate: number;
}

/** Early retirement reaches this many years below the statutory age (国发〔1978〕104号: 55 for men
 *  and 45 for women in special jobs or on illness grounds — five years early). */
export const EARLY_YEARS = 5;

/** The life table's crude death rate of the retirees of `cells` (to scale the table to a level). */
export function crudeRetireeMortality(cells: Cells, lifeTable: LifeTable = censusLifeTable()): number {
  let n = 0, d = 0;
  for (let t = 0; t < RETIREMENT_TYPES; t++) {
    for (let a = 0; a < AGES; a++) {
      const x = cells[cellOf(STATUS_RETIRED, t, a)];
      n += x;
      d += x * lifeTable[sexOfType(t) * AGES + a];
    }
  }
  return n > 0 ? d / n : 0;
}

export interface DemographyOptions {
  rules: RetirementRules;
  lifeTable?: LifeTable;
  /** Entrants' profile for actives and flexible workers (default: entrantProfileOf the base cells). */
  entrants?: [EntrantProfile, EntrantProfile];
  /** Statutory retirements (default on; off: nobody retires — a test of the other flows). */
  retirements?: boolean;
  /** A stationary population: every cell keeps its base-year size (the base year's structure
   *  repeated; ageing, deaths, retirements and entrants all off). */
  stationary?: boolean;
}

/** One year's step: the cells at the year's end, and where each cell's persons came from (for the
 *  open-cohort accounts: survivors of the cell one year younger, and new retirees). */
export interface CohortYear {
  cells: Cells;
  /** Per cell: persons who were in the same status one year younger (survivors that stayed). */
  stayed: Float64Array;
  /** Per retired cell: new retirees from active (index 0) and flexible (1) cells one year younger. */
  retiredFrom: [Float64Array, Float64Array];
  deaths: number;
  retirements: number;
  entrants: number;
}

/** The cells of `year` from those of `year − 1`. */
export function cohortStep(prev: Cells, year: number, rates: DemographyRates, o: DemographyOptions): CohortYear {
  const cells = new Float64Array(CELLS), stayed = new Float64Array(CELLS);
  const retiredFrom: [Float64Array, Float64Array] = [new Float64Array(CELLS), new Float64Array(CELLS)];
  if (o.stationary) {
    // Each cell's persons are, a year on, those of the cell one year younger (for the accounts).
    for (let c = 0; c < CELLS; c++) {
      cells[c] = prev[c];
      stayed[c] = c % AGES > 0 ? prev[c] : 0;
    }
    return { cells, stayed, retiredFrom, deaths: 0, retirements: 0, entrants: 0 };
  }
  const q = o.lifeTable ?? censusLifeTable();
  let deaths = 0, retirements = 0;
  for (let s = 0; s < 3; s++) {
    for (let t = 0; t < RETIREMENT_TYPES; t++) {
      const sex = sexOfType(t);
      for (let a = 1; a <= MAX_AGE; a++) {
        const from = prev[cellOf(s, t, a - 1)];
        if (from === 0) continue;
        // Deaths over the year at the age reached last year; the oldest cell is closed (q = 1).
        const die = Math.min(1, q[sex * AGES + a - 1] * rates.mortalityScale);
        const alive = from * (1 - die);
        deaths += from - alive;
        if (s === STATUS_RETIRED || o.retirements === false) {
          cells[cellOf(s, t, a)] += alive;
          stayed[cellOf(s, t, a)] += alive;
          continue;
        }
        // Of those still contributing at the end of last year, the share whose pension starts this year.
        const before = retiredShareByYearEnd(o.rules, t, year - a, year - 1);
        const by = retiredShareByYearEnd(o.rules, t, year - a, year);
        let r = before >= 1 ? 1 : (by - before) / (1 - before);
        // Early retirement: of those left, a share retire if their statutory age is within EARLY_YEARS.
        if (rates.earlyRetirementRate > 0 && r < 1 && retiredShareByYearEnd(o.rules, t, year - a, year + EARLY_YEARS) > 0) r += (1 - r) * rates.earlyRetirementRate;
        const retire = alive * r;
        retirements += retire;
        cells[cellOf(s, t, a)] += alive - retire;
        stayed[cellOf(s, t, a)] += alive - retire;
        cells[cellOf(STATUS_RETIRED, t, a)] += retire;
        retiredFrom[s === STATUS_ACTIVE ? 0 : 1][cellOf(STATUS_RETIRED, t, a)] += retire;
      }
    }
  }
  deaths += Array.from({ length: GROUPS }, (_, g) => prev[g * AGES + MAX_AGE]).reduce((x, y) => x + y, 0);
  // Entrants: a share of last year's actives (flexible workers), spread by the profile.
  const profiles = o.entrants ?? [entrantProfileOf(prev, STATUS_ACTIVE), entrantProfileOf(prev, STATUS_FLEXIBLE)];
  let entrants = 0;
  [STATUS_ACTIVE, STATUS_FLEXIBLE].forEach((s, i) => {
    const n = statusTotal(prev, s) * (s === STATUS_ACTIVE ? rates.entryRate : rates.flexibleEntryRate);
    if (!(n > 0)) return;
    entrants += n;
    const p = profiles[i];
    for (let t = 0; t < RETIREMENT_TYPES; t++) for (let a = 0; a < AGES; a++) if (p.byAge[a] > 0) cells[cellOf(s, t, a)] += n * p.byType[t] * p.byAge[a];
  });
  return { cells, stayed, retiredFrom, deaths, retirements, entrants };
}

/** Persons of a status in all cells. */
export function statusTotal(cells: Cells, s: number): number {
  let n = 0;
  for (let t = 0; t < RETIREMENT_TYPES; t++) for (let a = 0; a < AGES; a++) n += cells[cellOf(s, t, a)];
  return n;
}

/** The cells of years t = 0 … years − 1 from the base year's. */
export function cohortPath(base: Cells, baseYear: number, years: number, rates: DemographyRates, o: DemographyOptions): CohortYear[] {
  const first: CohortYear = { cells: base, stayed: new Float64Array(CELLS), retiredFrom: [new Float64Array(CELLS), new Float64Array(CELLS)], deaths: 0, retirements: 0, entrants: 0 };
  const out = [first];
  const entrants = o.entrants ?? [entrantProfileOf(base, STATUS_ACTIVE), entrantProfileOf(base, STATUS_FLEXIBLE)];
  for (let t = 1; t < years; t++) out.push(cohortStep(out[t - 1].cells, baseYear + t, rates, { ...o, entrants }));
  return out;
}

/** City enrollees by status [active, retired, flexible] in each year of a path. */
export function populationPath(path: CohortYear[]): Array<[number, number, number]> {
  return path.map((y) => [statusTotal(y.cells, STATUS_ACTIVE), statusTotal(y.cells, STATUS_RETIRED), statusTotal(y.cells, STATUS_FLEXIBLE)]);
}
