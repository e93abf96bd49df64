// The statutory retirement age and its gradual raise from 2025 — one implementation, read by the
// population generator (src/loaders/population) and the projection's cohort flows
// (src/model/projection/demography.ts). Pure: the page's worker bundles it.
//
// Ages: 国发〔1978〕104号 (men 60, women cadres 55, women workers 50). The raise: 全国人大常委会关于实施
// 渐进式延迟法定退休年龄的决定 (2024-09-13) — one month later per delayEvery months of original
// retirement date from delayStartMonth, at most delayMax months (the calibration files give them).

/** Retirement types: 0 men, 1 women with retirement age 55 (cadres), 2 women with 50 (workers). */
export const RETIREMENT_TYPES = 3;

export interface RetirementRules {
  /** Original statutory age per retirement type. */
  retirementAges: number[];
  /** Absolute month index (year·12 + month − 1) from which original retirement dates are delayed. */
  delayStartMonth: number;
  delayEvery: number[];
  delayMax: number[];
}

/** The month (absolute index) a person of retirement type t born in absolute month b reaches
 *  the (possibly delayed) statutory retirement age. Benefits start the month after. */
export function retirementMonth(m: RetirementRules, t: number, b: number): number {
  const orig = b + 12 * m.retirementAges[t];
  if (orig < m.delayStartMonth) return orig;
  const delay = Math.min(m.delayMax[t], Math.floor((orig - m.delayStartMonth) / m.delayEvery[t]) + 1);
  return orig + delay;
}

/** Share of the persons of type t born in `birthYear` (birth months spread evenly) who draw a
 *  pension by the end of `year`: benefits start the month after the retirement month. */
export function retiredShareByYearEnd(m: RetirementRules, t: number, birthYear: number, year: number): number {
  let n = 0;
  for (let mo = 0; mo < 12; mo++) if (retirementMonth(m, t, birthYear * 12 + mo) + 1 <= year * 12 + 11) n++;
  return n / 12;
}
