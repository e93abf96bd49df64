// The life table the projection's cohort flows remove deaths with: probabilities of dying within
// a year (q_x) by sex and single age. Separate: a sourced demographic table, read by demography.ts.
//
// Source and method (docs/projection.md, "Life table"; rating D): China's 2020 census gives a life
// expectancy at birth of 77.93 years (国家卫生健康委《2021年我国卫生健康事业发展统计公报》: "由2020年的
// 77.93岁提高到2021年的78.2岁"), 75.37 for men and 80.88 for women (第七次全国人口普查 生命表; the
// gap of 5.51 years is confirmed by 杨明旭等, 人口学刊 2025(2), from the census's single-age rates).
// The census's abridged table itself was not found in the stored sources, so each sex's q_x is a
// Gompertz–Makeham law μ(x) = λ + A·e^(B·x) with the calibration's slope B = 0.09 (mortality
// doubling every 7.7 years of age, src/loaders/calibration/national.yaml retireeMortality) and a
// background λ = 0.0005, its level A solved so that the table's life expectancy at birth is the
// census's (infant mortality aside, which no enrollee's flows depend on). A city table with single
// ages can replace it through DemographyOptions.lifeTable.
import { MAX_AGE } from "./ages.ts";

/** Census 2020 life expectancy at birth by sex [men, women] (O). */
export const CENSUS_2020_E0: readonly [number, number] = [75.37, 80.88];
/** Gompertz slope (per year of age) and background hazard of the fitted law (E, see above). */
export const GOMPERTZ_SLOPE = 0.09;
export const BACKGROUND_HAZARD = 0.0005;

/** q_x for x = 0 … MAX_AGE by sex: index sex·(MAX_AGE + 1) + x; q at MAX_AGE is 1. */
export type LifeTable = Float64Array;

function qOf(A: number): Float64Array {
  const q = new Float64Array(MAX_AGE + 1);
  for (let x = 0; x <= MAX_AGE; x++) {
    // ∫_x^{x+1} μ = λ + (A/B)(e^{B(x+1)} − e^{Bx})
    const H = BACKGROUND_HAZARD + (A / GOMPERTZ_SLOPE) * (Math.exp(GOMPERTZ_SLOPE * (x + 1)) - Math.exp(GOMPERTZ_SLOPE * x));
    q[x] = x === MAX_AGE ? 1 : 1 - Math.exp(-H);
  }
  return q;
}

/** Life expectancy at birth of a q_x table (deaths mid-year). */
export function lifeExpectancy(q: ArrayLike<number>): number {
  let l = 1, e = 0;
  for (let x = 0; x < q.length; x++) {
    const d = l * q[x];
    e += l - d / 2;
    l -= d;
  }
  return e;
}

function solveA(e0: number): number {
  let lo = 1e-7, hi = 1e-2;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (lifeExpectancy(qOf(mid)) > e0) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

let cached: LifeTable | null = null;

/** The census-2020 table by sex (computed once). */
export function censusLifeTable(): LifeTable {
  if (cached) return cached;
  const t = new Float64Array(2 * (MAX_AGE + 1));
  CENSUS_2020_E0.forEach((e0, sex) => t.set(qOf(solveA(e0)), sex * (MAX_AGE + 1)));
  return (cached = t);
}
