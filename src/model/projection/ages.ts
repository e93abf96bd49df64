// Ages of the projection's cohort cells: single years 0 … MAX_AGE (the generator's range), the age
// a person reaches in the calendar year (year − birth year), as the generator counts it.
import { civilFromDay } from "../dates.ts";

export const MAX_AGE = 110;
export const AGES = MAX_AGE + 1;

/** Age reached in `year` by a person born on day number `birthDay`, held within 0 … MAX_AGE. */
export function ageInYear(birthDay: number, year: number): number {
  return Math.min(MAX_AGE, Math.max(0, year - civilFromDay(birthDay).year));
}
