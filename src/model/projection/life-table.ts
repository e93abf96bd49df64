// The life table the projection's cohort flows remove deaths with: probabilities of dying within
// a year (q_x) by sex and single age. Separate: a sourced demographic table, read by demography.ts.
//
// Source and method (docs/projection.md, "Life table"; rating D):
// - Age and sex pattern: the 2010 census's deaths by single age and sex (第六次全国人口普查 表6-4
//   全国分年龄、性别的死亡人口状况, 2009.11.1–2010.10.31), census-2010-deaths.json beside this file
//   with its source and rating (S: official figures from a checked transcription). The 2020
//   census's table (中国人口普查年鉴-2020 表6-4) and its abridged life table were not in the stored
//   sources; the 2010 table is the latest by single age and sex that was.
// - Ages 0–CENSUS_LAST_AGE are the table's central death rates m_x = deaths ÷ average population,
//   taken as constant hazards within the year (q = 1 − e^(−m)). Above that age census rates are
//   unreliable (age misstatement: they flatten at 200‰ and fall after 95; 黄荣清、曾宪新, 人口与经济
//   2019(5), "高龄期普遍存在质量问题"), so the hazard continues from the last age read with the
//   Gompertz slope 0.09 a year of age (the calibration's retireeMortality, mortality doubling every
//   7.7 years); the table closes at MAX_AGE (q = 1).
// - Level: each sex's hazards are scaled by one factor so the table's life expectancy at birth is
//   the 2020 census's, 75.37 for men and 80.88 for women (第七次全国人口普查; 77.93 both sexes,
//   国家卫生健康委《2021年我国卫生健康事业发展统计公报》: "由2020年的77.93岁提高到2021年的78.2岁"). The
//   2010 rates as read give 75.56 and 80.37: the factor (×1.017 men, ×0.951 women) takes in both ten
//   years' change and the census's under-reporting of deaths (3.7‰ at age 0 here). The
//   projection re-levels the whole table once more to retireeMortality (demography.ts), so what
//   the table carries into the projection is its age and sex pattern.
// A city table with single ages can replace it through DemographyOptions.lifeTable.
import { z } from "zod";
import { formatIssues, PolicyError } from "../policy.ts";
import { AGES, MAX_AGE } from "./ages.ts";
import census2010 from "./census-2010-deaths.json" with { type: "json" };

/** Where the census table is, as messages name it. */
export const CENSUS_DEATHS_FILE = "src/model/projection/census-2010-deaths.json";
/** Census 2020 life expectancy at birth by sex [men, women] (O). */
export const CENSUS_2020_E0: readonly [number, number] = [75.37, 80.88];
/** The last age whose census death rate is read; the Gompertz law continues above it (see above). */
export const CENSUS_LAST_AGE = 89;
/** Gompertz slope (per year of age) of the hazard above CENSUS_LAST_AGE (D, see above). */
export const GOMPERTZ_SLOPE = 0.09;

/** q_x for x = 0 … MAX_AGE by sex: index sex·(MAX_AGE + 1) + x; q at MAX_AGE is 1. */
export type LifeTable = Float64Array;

// ---- the census table -----------------------------------------------------------------------------

/** The columns of a row: age, average population men/women, deaths men/women, rate ‰ men/women. */
const POP = [1, 2] as const, DEATHS = [3, 4] as const, RATE = [5, 6] as const;
const count = z.number().int().nonnegative();
const perMille = z.number().nonnegative();
const censusSchema = z
  .object({
    title: z.string(),
    publisher: z.string(),
    copy: z.string(),
    rating: z.enum(["O", "S", "D", "E"]),
    ratingNote: z.string().optional(),
    note: z.string(),
    columns: z.array(z.string()).length(7),
    rows: z.array(z.tuple([count, count, count, count, count, perMille, perMille])),
  })
  .strict();

/** The printed rates have two decimals (‰): a row whose rate is further than this from its deaths
 *  over its population has a mistyped number. */
const RATE_TOLERANCE = 0.005 + 1e-9;

/**
 * The census table's central death rates [men, women], ages 0 … CENSUS_LAST_AGE, from the parsed
 * file `value`. Throws PolicyError naming each problem by its path (rows.37.5: …), which
 * readChecked turns into the file's line and column.
 */
export function censusDeathRates(value: unknown, display: string): [Float64Array, Float64Array] {
  const parsed = censusSchema.safeParse(value);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), display);
  const rows = parsed.data.rows;
  const problems: string[] = [];
  if (rows.length <= CENSUS_LAST_AGE) problems.push(`rows: ${rows.length} rows, the life table reads ages 0 to ${CENSUS_LAST_AGE}`);
  rows.forEach((r, i) => {
    if (r[0] !== i) problems.push(`rows.${i}.0: age ${i} expected (one row per age from 0, in order), got ${r[0]}`);
    for (const s of [0, 1]) {
      const p = r[POP[s]], d = r[DEATHS[s]], rate = r[RATE[s]];
      if (p === 0) {
        if (i <= CENSUS_LAST_AGE) problems.push(`rows.${i}.${POP[s]}: the average population is 0; the rate needs one`);
        continue;
      }
      if (d > p) problems.push(`rows.${i}.${DEATHS[s]}: ${d} deaths exceed the average population ${p}`);
      else if (Math.abs((1000 * d) / p - rate) > RATE_TOLERANCE) {
        problems.push(`rows.${i}.${RATE[s]}: the rate ${rate}‰ is not the row's deaths over its population (${d} ÷ ${p} = ${((1000 * d) / p).toFixed(2)}‰): a number is mistyped`);
      }
    }
  });
  if (problems.length) throw new PolicyError(problems, display);
  const m: [Float64Array, Float64Array] = [new Float64Array(CENSUS_LAST_AGE + 1), new Float64Array(CENSUS_LAST_AGE + 1)];
  for (let x = 0; x <= CENSUS_LAST_AGE; x++) for (const s of [0, 1]) m[s][x] = rows[x][DEATHS[s]] / rows[x][POP[s]];
  return m;
}

// ---- from death rates to the table ------------------------------------------------------------------

/** Hazards by single age 0 … MAX_AGE − 1: the rates read, then the Gompertz law from the last one. */
function hazards(m: Float64Array): Float64Array {
  const h = new Float64Array(MAX_AGE);
  const last = m.length - 1;
  for (let x = 0; x < MAX_AGE; x++) h[x] = x <= last ? m[x] : m[last] * Math.exp(GOMPERTZ_SLOPE * (x - last));
  return h;
}

/** q_x of hazards h scaled by k; the oldest age closes the table. */
function qOf(h: Float64Array, k: number): Float64Array {
  const q = new Float64Array(AGES);
  for (let x = 0; x < MAX_AGE; x++) q[x] = 1 - Math.exp(-k * h[x]);
  q[MAX_AGE] = 1;
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

/** The factor on hazards h that gives life expectancy e0 at birth (e0 falls as the factor rises). */
export function levelFactor(h: Float64Array, e0: number): number {
  let lo = 1 / 64, hi = 64;
  if (!(lifeExpectancy(qOf(h, hi)) < e0 && e0 < lifeExpectancy(qOf(h, lo)))) {
    throw new RangeError(`life expectancy ${e0} is out of reach of the table's pattern`);
  }
  for (let i = 0; i < 100; i++) {
    const mid = Math.sqrt(lo * hi);
    if (lifeExpectancy(qOf(h, mid)) > e0) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * The life table of death rates m [men, women] (ages 0 … its last, continued by the Gompertz law)
 * levelled by sex to life expectancies e0 [men, women]; also the factors applied.
 */
export function levelledTable(m: readonly [Float64Array, Float64Array], e0: readonly [number, number]): { table: LifeTable; factors: [number, number] } {
  const table = new Float64Array(2 * AGES);
  const factors: [number, number] = [1, 1];
  for (const s of [0, 1]) {
    const h = hazards(m[s]);
    factors[s] = levelFactor(h, e0[s]);
    table.set(qOf(h, factors[s]), s * AGES);
  }
  return { table, factors };
}

/** A life table from a census deaths file's parsed value (checked; see censusDeathRates). */
export function lifeTableFromCensus(value: unknown, display: string, e0: readonly [number, number] = CENSUS_2020_E0): LifeTable {
  return levelledTable(censusDeathRates(value, display), e0).table;
}

let cached: LifeTable | null = null;

/** The census table by sex (computed once). */
export function censusLifeTable(): LifeTable {
  return (cached ??= lifeTableFromCensus(census2010, CENSUS_DEATHS_FILE));
}
