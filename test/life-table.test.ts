// The projection's life table (issue 13): the 2010 census's deaths by single age and sex, continued by
// the Gompertz law above 89 and levelled by sex to the 2020 census's life expectancy
// (src/model/projection/life-table.ts), and its data file, refused with a clear message when broken.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readChecked } from "../src/loaders/yaml-file.ts";
import { PolicyError } from "../src/model/policy.ts";
import { AGES, MAX_AGE } from "../src/model/projection/ages.ts";
import {
  CENSUS_2020_E0,
  CENSUS_DEATHS_FILE,
  CENSUS_LAST_AGE,
  censusDeathRates,
  censusLifeTable,
  GOMPERTZ_SLOPE,
  levelledTable,
  lifeExpectancy,
  lifeTableFromCensus,
} from "../src/model/projection/life-table.ts";

const men = () => censusLifeTable().subarray(0, AGES);
const women = () => censusLifeTable().subarray(AGES);
const hazard = (q: number) => -Math.log(1 - q);

describe("the census life table", () => {
  it("gives the 2020 census's life expectancy at birth by sex, within 0.01 year", () => {
    expect(Math.abs(lifeExpectancy(men()) - 75.37)).toBeLessThan(0.01);
    expect(Math.abs(lifeExpectancy(women()) - 80.88)).toBeLessThan(0.01);
  });

  it("both sexes, weighted by the 2020 census's sex ratio at birth (111.3, 公报第四号), within 0.1 year of the published 77.93", () => {
    const w = 111.3 / 211.3;
    expect(Math.abs(w * lifeExpectancy(men()) + (1 - w) * lifeExpectancy(women()) - 77.93)).toBeLessThan(0.1);
  });

  it("q_x rises with age from 30 for both sexes, and men's exceeds women's from 1 to 99", () => {
    for (const q of [men(), women()]) for (let x = 30; x < MAX_AGE; x++) expect(q[x + 1], `age ${x + 1}`).toBeGreaterThanOrEqual(q[x]);
    for (let x = 1; x < 100; x++) expect(men()[x], `age ${x}`).toBeGreaterThan(women()[x]);
  });

  it("keeps the census's age pattern up to 89 (one factor per sex, close to 1) and the Gompertz slope above", () => {
    const data = JSON.parse(readFileSync(CENSUS_DEATHS_FILE, "utf8")) as { rows: number[][] };
    [men(), women()].forEach((q, s) => {
      const k = hazard(q[60]) / (data.rows[60][3 + s] / data.rows[60][1 + s]);
      expect(k).toBeGreaterThan(0.9);
      expect(k).toBeLessThan(1.1);
      for (let x = 0; x <= CENSUS_LAST_AGE; x++) expect(hazard(q[x]) / (data.rows[x][3 + s] / data.rows[x][1 + s])).toBeCloseTo(k, 9);
      for (let x = CENSUS_LAST_AGE + 1; x < MAX_AGE; x++) expect(hazard(q[x]) / hazard(q[x - 1])).toBeCloseTo(Math.exp(GOMPERTZ_SLOPE), 9);
      expect(q[MAX_AGE]).toBe(1);
    });
  });

  it("the rates as read give 75.56 (men) and 80.37 (women) before levelling", () => {
    const m = censusDeathRates(JSON.parse(readFileSync(CENSUS_DEATHS_FILE, "utf8")), CENSUS_DEATHS_FILE);
    // The factors bring the 2010 pattern to the 2020 level: men's mortality up, women's down.
    const { factors } = levelledTable(m, CENSUS_2020_E0);
    expect(factors[0]).toBeGreaterThan(1);
    expect(factors[1]).toBeLessThan(1);
    // Independently of life-table.ts: the rates read, the Gompertz law above 89, no levelling.
    const e0 = [0, 1].map((s) => {
      const q = new Float64Array(AGES);
      for (let x = 0; x < MAX_AGE; x++) q[x] = 1 - Math.exp(-(x <= CENSUS_LAST_AGE ? m[s][x] : m[s][CENSUS_LAST_AGE] * Math.exp(GOMPERTZ_SLOPE * (x - CENSUS_LAST_AGE))));
      q[MAX_AGE] = 1;
      return lifeExpectancy(q);
    });
    expect(e0[0]).toBeCloseTo(75.56, 2);
    expect(e0[1]).toBeCloseTo(80.37, 2);
  });
});

describe("the census deaths file", () => {
  const text = readFileSync(CENSUS_DEATHS_FILE, "utf8");
  const dir = mkdtempSync(join(tmpdir(), "life-table-"));
  /** Read a copy of the file with `edit` applied, as a user's file is read (readChecked). */
  const readEdited = (edit: (t: string) => string) => {
    const file = join(dir, "census.json");
    writeFileSync(file, edit(text));
    return readChecked(file, (v, display) => lifeTableFromCensus(v, display));
  };
  const problem = (edit: (t: string) => string): string => {
    try {
      readEdited(edit);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as Error).message;
    }
    throw new Error("the edited file was accepted");
  };
  /** The line (1-based) of the row for `age`. */
  const lineOf = (age: number) => text.split("\n").findIndex((l) => l.trimStart().startsWith(`[${age}, `)) + 1;

  it("read as a user's file, gives the same table as the bundled import", () => {
    expect(readEdited((t) => t)).toEqual(censusLifeTable());
  });

  it("a mistyped number: its row, column and line are named", () => {
    // Age 48, men's deaths 29892 → 28992: the rate 4.19‰ no longer follows.
    const msg = problem((t) => t.replace("[48, 7136765, 6983606, 29892,", "[48, 7136765, 6983606, 28992,"));
    expect(msg).toMatch(new RegExp(`census\\.json: ${lineOf(48)}:\\d+: rows\\.48\\.5: the rate 4\\.19‰ is not the row's deaths over its population \\(28992 ÷ 7136765 = 4\\.06‰\\)`));
  });

  it("a missing age, deaths above the population, a negative count and text are each named", () => {
    expect(problem((t) => t.replace(/\n\s*\[10, [^\n]*/, ""))).toMatch(/rows\.10\.0: age 10 expected \(one row per age from 0, in order\), got 11/);
    expect(problem((t) => t.replace("[20, 14119785, 13876522, 9191,", "[20, 14119785, 13876522, 14119786,"))).toMatch(/rows\.20\.3: 14119786 deaths exceed the average population 14119785/);
    expect(problem((t) => t.replace("[5, 8084689,", "[5, -8084689,"))).toMatch(/rows\.5\.1: /);
    expect(problem((t) => t.replace("[7, 7497063,", '[7, "7497063",'))).toMatch(/rows\.7\.1: /);
  });

  it("too few ages, an unknown key, a wrong rating and broken syntax are refused with the file's name", () => {
    const first50 = (t: string) => JSON.stringify({ ...JSON.parse(t), rows: JSON.parse(t).rows.slice(0, 50) }, null, 1);
    expect(problem(first50)).toMatch(new RegExp(`rows: 50 rows, the life table reads ages 0 to ${CENSUS_LAST_AGE}`));
    expect(problem((t) => t.replace('"rating": "S"', '"rating": "S", "sourse": "x"'))).toMatch(/unknown key "sourse"/);
    expect(problem((t) => t.replace('"rating": "S"', '"rating": "official"'))).toMatch(/census\.json: \d+:\d+: rating: /);
    expect(problem((t) => t.replace("[3, 8301050,", "[3 8301050,"))).toMatch(/census\.json/);
  });
});
