// A bureau's own microdata (`fundsim run --data DIR`, src/loaders/microdata.ts): a population written
// by `fundsim simulate` and read back gives the same summaries, fen by fen, as the same population
// generated in the run — also written as a bureau's extract would be (CSV, codes as labels, money in
// yuan); optional columns change what they should; bad data stop the run with each problem naming
// the file, the column and the row (the first 20, then a count), exit 2, nothing written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCalibration, runDataCalibration } from "../src/cli/calibrate.ts";
import { runSimulate } from "../src/cli/simulate.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { formatTable, markdownTable, MICRO_CLAIMS, MICRO_PERSONS, Microdata, MicrodataError } from "../src/loaders/microdata.ts";
import { rewriteTables, tableBlocks } from "../scripts/doc-figures.ts";
import { applyRate } from "../src/model/money.ts";
import { KINDS } from "../src/model/types.ts";

const TMP = mkdtempSync(join(tmpdir(), "fundsim-microdata-test-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const CITY = "jinan";
const YEAR = 2024;
const SEED = 5;
const PERSONS = 3000;
const POP = join(TMP, "pop");
const SUMMARIES = ["flows", "impact", "reserve", "breakdowns", "winners", "exclusions"];

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(query)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** All rows of a Parquet file, in a fixed order, as text (BIGINTs exact). */
async function rowsOf(file: string): Promise<string> {
  const rows = await sql(`SELECT * FROM '${file}' ORDER BY ALL`);
  return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

function fundsim(...args: string[]) {
  return spawnSync("node", ["bin/fundsim.js", ...args], { encoding: "utf8" });
}

interface Variant {
  persons?: string;
  claims?: string;
  personsOrder?: string;
  claimsOrder?: string;
  /** Written as CSV (with a header) instead of Parquet. */
  csv?: Array<"persons" | "claims">;
}

/** A copy of the population with `persons` and `claims` SELECT lists (over read_parquet with
 *  file_row_number) replaced and perhaps reordered; returns its directory. */
async function variant(name: string, o: Variant): Promise<string> {
  const dir = join(TMP, name);
  mkdirSync(dir);
  const from = (f: string) => `read_parquet('${join(POP, f)}', file_row_number = true)`;
  const to = (f: "persons" | "claims") => (o.csv?.includes(f) ? `'${join(dir, `${f}.csv`)}' (HEADER)` : `'${join(dir, `${f}.parquet`)}' (FORMAT parquet)`);
  await sql(`COPY (SELECT ${o.persons ?? "* EXCLUDE (file_row_number)"} FROM ${from("persons.parquet")} ${o.personsOrder ?? ""}) TO ${to("persons")}`);
  await sql(`COPY (SELECT ${o.claims ?? "* EXCLUDE (file_row_number)"} FROM ${from("claims.parquet")} ${o.claimsOrder ?? ""}) TO ${to("claims")}`);
  return dir;
}

/** SQL: a fen amount as a bureau writes yuan: "12", "12.3" or "12.34" (never a trailing zero). */
const yuanText = (f: string) =>
  `CASE WHEN ${f} % 100 = 0 THEN CAST(${f} // 100 AS VARCHAR) WHEN ${f} % 10 = 0 THEN CAST(${f} // 100 AS VARCHAR) || '.' || CAST((${f} % 100) // 10 AS VARCHAR)
        ELSE CAST(${f} // 100 AS VARCHAR) || '.' || lpad(CAST(${f} % 100 AS VARCHAR), 2, '0') END`;
/** SQL: a code column as one of its labels. */
const label = (col: string, labels: readonly string[]) => `[${labels.map((l) => `'${l}'`).join(", ")}][${col} + 1]`;

const flowLine = async (out: string, scheme: string, line: string) =>
  Number((await sql(`SELECT fen FROM '${out}/flows.parquet' WHERE scheme = '${scheme}' AND line = '${line}'`))[0].fen);

beforeAll(async () => {
  await runSimulate({ city: CITY, persons: PERSONS, year: YEAR, seed: SEED, chunkSize: 1000, out: POP });
}, 60_000);

describe("fundsim run --data: the round trip", () => {
  const generated = join(TMP, "generated");
  const fromData = join(TMP, "from-data");
  beforeAll(() => {
    const g = fundsim("run", "--city", CITY, "--persons", String(PERSONS), "--year", String(YEAR), "--seed", String(SEED), "--chunk", "1000", "--threads", "2", "--out", generated);
    expect(g.status, g.stderr).toBe(0);
    // No --year: the claims' year; another chunk size and one thread.
    const d = fundsim("run", "--city", CITY, "--data", POP, "--chunk", "700", "--threads", "1", "--out", fromData);
    expect(d.status, d.stderr).toBe(0);
  }, 120_000);

  it("every summary equals the generated run's, fen by fen", async () => {
    for (const f of SUMMARIES) expect(await rowsOf(join(fromData, `${f}.parquet`)), f).toBe(await rowsOf(join(generated, `${f}.parquet`)));
    expect(await flowLine(fromData, "reform", "pooled_income_fen")).toBeGreaterThan(0);
    const run = JSON.parse(readFileSync(join(fromData, "run.json"), "utf8"));
    expect(run.persons).toBe(PERSONS);
    expect(run.year).toBe(YEAR);
    expect(run.data).toContain("pop");
  });

  it("persons in another order and claims unsorted (ties kept in file order) give the same, on two threads", async () => {
    const dir = await variant("shuffled", {
      personsOrder: "ORDER BY hash(person)",
      claimsOrder: "ORDER BY person DESC, hash(date), file_row_number",
    });
    const out = join(TMP, "from-shuffled");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--year", String(YEAR), "--chunk", "900", "--threads", "2", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    for (const f of SUMMARIES) expect(await rowsOf(join(out, `${f}.parquet`)), f).toBe(await rowsOf(join(generated, `${f}.parquet`)));
  }, 60_000);

  it("a bureau's extract: CSV, codes as labels (status in Chinese), money in yuan, flags as text — the same summaries", async () => {
    const dir = await variant("labels-yuan", {
      csv: ["persons", "claims"],
      persons: `* EXCLUDE (file_row_number, contribution_base_fen, pension_fen) REPLACE (${label("status", ["在职", "退休", "灵活就业"])} AS status, ${label("sex", ["male", "女"])} AS sex,
                 CASE WHEN has_account THEN 'true' ELSE 'FALSE' END AS has_account),
                 ${yuanText("contribution_base_fen")} AS contribution_base_yuan, ${yuanText("pension_fen")} AS pension_yuan`,
      claims: `* EXCLUDE (file_row_number, amount_fen, eligible_fen) REPLACE (${label("kind", [...KINDS])} AS kind, 'level' || (level + 1) AS level,
                 ${label("setting", ["facility", "PHARMACY"])} AS setting, ${label("area", ["local", "in_province", "out_of_province", "registered_elsewhere"])} AS area),
                 ${yuanText("amount_fen")} AS amount_yuan, ${yuanText("eligible_fen")} AS eligible_yuan`,
    });
    const text = readFileSync(join(dir, "persons.csv"), "utf8");
    expect(text).toMatch(/,退休,/);
    expect(text).toMatch(/^person,status,.*contribution_base_yuan,pension_yuan$/m);
    expect(readFileSync(join(dir, "claims.csv"), "utf8")).toMatch(/,general,level\d,facility,local,.*,\d+\.\d{1,2},\d+(\.\d{1,2})?$/m);
    const out = join(TMP, "from-labels-yuan");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    for (const f of SUMMARIES) expect(await rowsOf(join(out, `${f}.parquet`)), f).toBe(await rowsOf(join(generated, `${f}.parquet`)));
  }, 60_000);

  it("yuan as Parquet DECIMAL(12,2) and DOUBLE, codes as text in Parquet: the same summaries", async () => {
    const dir = await variant("decimal-double", {
      persons: `* EXCLUDE (file_row_number, contribution_base_fen, pension_fen) REPLACE (CAST(status AS VARCHAR) AS status),
                 CAST(contribution_base_fen / 100 AS DECIMAL(12,2)) AS contribution_base_yuan, CAST(pension_fen AS DOUBLE) / 100 AS pension_yuan`,
      claims: `* EXCLUDE (file_row_number, amount_fen) REPLACE (${label("kind", [...KINDS])} AS kind), CAST(amount_fen AS DOUBLE) / 100 AS amount_yuan`,
    });
    const types = Object.fromEntries((await sql(`DESCRIBE SELECT * FROM '${dir}/persons.parquet'`)).map((r) => [r.column_name, r.column_type]));
    expect([types.status, types.contribution_base_yuan, types.pension_yuan]).toEqual(["VARCHAR", "DECIMAL(12,2)", "DOUBLE"]);
    const out = join(TMP, "from-decimal-double");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    for (const f of SUMMARIES) expect(await rowsOf(join(out, `${f}.parquet`)), f).toBe(await rowsOf(join(generated, `${f}.parquet`)));
  }, 60_000);

  it("without inpatient_expected_fen the inpatient line is the realised claims'; with opening_balance_fen the accounts open from it", async () => {
    const dir = await variant("bureau", {
      persons: "* EXCLUDE (file_row_number, inpatient_expected_fen), 12345::BIGINT AS opening_balance_fen",
    });
    const out = join(TMP, "from-bureau");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const share = loadFinance(CITY).finance.inpatientFundShareBp;
    const stays = await sql(
      `SELECT eligible_fen FROM '${POP}/claims.parquet' WHERE kind IN (${KINDS.indexOf("inpatient")}, ${KINDS.indexOf("day_surgery")})`,
    );
    const realised = stays.reduce((s, c) => s + applyRate(Number(c.eligible_fen), share), 0);
    expect(realised).toBeGreaterThan(0);
    for (const scheme of ["reform", "baseline"]) {
      expect(await flowLine(out, scheme, "inpatient_fen")).toBe(realised);
      expect(await flowLine(out, scheme, "account_opening_fen")).toBe(12345 * PERSONS);
    }
    expect(await flowLine(generated, "baseline", "inpatient_fen")).not.toBe(realised);
  }, 60_000);
});

describe("fundsim run --data: bad data", () => {
  const keep = "* EXCLUDE (file_row_number)";
  const YEARS = { min: 2023, max: 2027 };
  /** The problems Microdata.open finds in a bad copy (variant), each line with DIR/ cut off. */
  async function problems(name: string, o: Variant, year: number | undefined): Promise<string[]> {
    const dir = await variant(name, o);
    const e = await Microdata.open(dir, year, YEARS).then(
      (m) => (m.close(), null),
      (x: unknown) => x,
    );
    expect(e, name).toBeInstanceOf(MicrodataError);
    return (e as Error).message.split("\n").map((l) => (l.startsWith(`${dir}/`) ? l.slice(dir.length + 1) : l.startsWith(dir) ? `DIR${l.slice(dir.length)}` : l));
  }
  const ROW = (n: number) => `CASE WHEN file_row_number = ${n - 1}`;
  /** [case, the bad copy, the one problem (after "DIR/"), the year (undefined: the claims')] */
  const cases: Array<[string, Variant, RegExp, (number | undefined)?]> = [
    ["missing column", { persons: "* EXCLUDE (file_row_number, status)" }, /^persons\.parquet, column status: missing \(required: status: 0 active 在职, 1 retired 退休, 2 flexible 灵活就业 \(retired before the year: retired; see retired_on\)\)$/],
    ["wrong type", { persons: `${keep} REPLACE (year(birth_date) AS birth_date)` }, /^persons\.parquet, column birth_date: type BIGINT, must be DATE or text \(YYYY-MM-DD\)$/],
    ["bad code", { claims: `${keep} REPLACE (${ROW(5)} THEN 9 ELSE kind END AS kind)` }, /^claims\.parquet, column kind, row 5: 9 is not a code \(0 general, 1 tcm, .*\)$/],
    ["claim before the year", { claims: `${keep} REPLACE (${ROW(7)} THEN DATE '${YEAR - 1}-12-31' ELSE date END AS date)` }, new RegExp(`^claims\\.parquet, column date, row 7: ${YEAR - 1}-12-31 is outside the run year ${YEAR}$`)],
    ["claims of two years, no --year", { claims: `${keep} REPLACE (${ROW(7)} THEN DATE '${YEAR - 1}-12-31' ELSE date END AS date)` }, new RegExp(`^claims\\.parquet, column date: claims from ${YEAR - 1} to ${YEAR}; a run covers one year: give --year$`), undefined],
    ["unknown person", { claims: `${keep} REPLACE (${ROW(10)} THEN 999999 ELSE person END AS person)` }, /^claims\.parquet, column person, row 10: person id 999999 is not in persons\.parquet$/],
    ["a claim before the birth", { claims: `${keep} REPLACE (${ROW(1)} THEN DATE '${YEAR}-01-01' ELSE date END AS date)`, persons: `* EXCLUDE (file_row_number, age, age_band, retired_on) REPLACE (CASE WHEN person = 0 THEN DATE '${YEAR}-01-02' ELSE birth_date END AS birth_date)` }, new RegExp(`^claims\\.parquet, column date, row 1: ${YEAR}-01-01 is before the person's birth date ${YEAR}-01-02$`)],
    ["eligible above the amount", { claims: `${keep} REPLACE (${ROW(1)} THEN amount_fen + 1 ELSE eligible_fen END AS eligible_fen)` }, /^claims\.parquet, column eligible_fen, row 1: \d+ is above amount_fen \d+$/],
    ["an amount above the limit", { claims: `${keep} REPLACE (${ROW(4)} THEN 1000000001 ELSE amount_fen END AS amount_fen)` }, /^claims\.parquet, column amount_fen, row 4: 1000000001 fen is above the limit of one amount \(10,000,000 yuan\)$/],
    ["a repeated person", { persons: `${keep} REPLACE (${ROW(12)} THEN 3 ELSE person END AS person)` }, /^persons\.parquet, column person, row 12: person id 3 appears more than once$/],
    ["no claims and no --year", { claimsOrder: "LIMIT 0" }, /^claims\.parquet: no claims to take the year from: give --year$/, undefined],
    ["a flag that is not 0/1", { persons: `${keep} REPLACE (${ROW(8)} THEN 2 ELSE has_account::INTEGER END AS has_account)` }, /^persons\.parquet, column has_account, row 8: 2 is not 0\/1 or a boolean$/],
    ["an empty required value", { persons: `${keep} REPLACE (${ROW(3)} THEN NULL ELSE pension_fen END AS pension_fen)` }, /^persons\.parquet, column pension_fen, row 3: is empty \(NULL\)$/],
    ["an age that is not the birth date's", { persons: `${keep} REPLACE (${ROW(1)} THEN age + 1 ELSE age END AS age)` }, /^persons\.parquet, column age, row 1: \d+ is not the age reached in 2024 by birth date \d{4}-\d\d-\d\d$/],
    ["an age band that is not the age's", { persons: `${keep} REPLACE (${ROW(1)} THEN (age_band + 1) % 7 ELSE age_band END AS age_band)` }, /^persons\.parquet, column age_band, row 1: \d is not the age band of age \d+$/],
    // Cross-checks. The engine and the calculator read retired_on as the day retiree benefits start,
    // whatever the status (docs/calculation.md): before the year it contradicts any status but retired.
    ["retired before the year, status not retired", { persons: `${keep} REPLACE (${ROW(2)} THEN 2 ELSE status END AS status, ${ROW(2)} THEN DATE '${YEAR - 1}-03-01' ELSE retired_on END AS retired_on)` }, new RegExp(`^persons\\.parquet, column retired_on, row 2: ${YEAR - 1}-03-01 is before ${YEAR} \\(retired all year\\) but status is 2: give status retired$`)],
    ["registered for a condition not present", { persons: `${keep} REPLACE (${ROW(1)} THEN 3 ELSE two_diseases END AS two_diseases, ${ROW(1)} THEN 1 ELSE diseases END AS diseases)` }, /^persons\.parquet, column two_diseases, row 1: 3 registers a condition diseases 1 does not have$/],
    ["a stay at a pharmacy", { claims: `${keep} REPLACE (${ROW(6)} THEN 5 ELSE kind END AS kind, ${ROW(6)} THEN 1 ELSE setting END AS setting)` }, /^claims\.parquet, column setting, row 6: pharmacy for a kind 5 claim \(inpatient and day surgery are at a facility\)$/],
    ["amount_fen and amount_yuan both", { claims: `${keep}, amount_fen / 100 AS amount_yuan` }, /^claims\.parquet, columns amount_fen and amount_yuan: give one of them$/],
    ["yuan with three decimals", { csv: ["claims"], claims: `* EXCLUDE (file_row_number, amount_fen), ${ROW(5)} THEN '12.345' ELSE ${yuanText("amount_fen")} END AS amount_yuan` }, /^claims\.csv, column amount_yuan, row 5: 12\.345 yuan has more than two decimals \(a fen is 0\.01 yuan\)$/],
    ["a yuan amount that is not a number", { csv: ["claims"], claims: `* EXCLUDE (file_row_number, amount_fen), ${ROW(4)} THEN '1.2.3' ELSE ${yuanText("amount_fen")} END AS amount_yuan` }, /^claims\.csv, column amount_yuan, row 4: "1\.2\.3" is not an amount in yuan \(digits, a point and at most two decimals\)$/],
    ["a status label that is none", { csv: ["persons"], persons: `${keep} REPLACE (${ROW(3)} THEN 'retiree' ELSE CAST(status AS VARCHAR) END AS status)` }, /^persons\.csv, column status, row 3: "retiree" is not a code or label \(0 active 在职, 1 retired 退休, 2 flexible 灵活就业\)$/],
  ];
  for (const [name, o, message, ...year] of cases) {
    it(`${name}: one problem naming the file, column and row`, async () => {
      const lines = await problems(name.replace(/\W+/g, "-"), o, year.length ? year[0] : YEAR);
      expect(lines, lines.join("\n")).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }, 30_000);
  }

  it("a person retiring during the year may be given as active (before retiring): accepted, as the calculator takes it", async () => {
    const dir = await variant("retiring-active", {
      persons: `${keep} REPLACE (CASE WHEN file_row_number = 1 THEN 0 ELSE status END AS status, CASE WHEN file_row_number = 1 THEN DATE '${YEAR}-07-01' ELSE retired_on END AS retired_on)`,
    });
    const m = await Microdata.open(dir, YEAR, YEARS);
    try {
      const { persons } = await m.read(0, m.persons);
      const i = [...persons.id].indexOf(Number((await sql(`SELECT person FROM '${dir}/persons.parquet' LIMIT 1 OFFSET 1`))[0].person));
      expect([persons.status[i], persons.retiredOnDay[i]]).toEqual([0, Date.UTC(YEAR, 6, 1) / 86_400_000]);
    } finally {
      m.close();
    }
  }, 30_000);

  it("several problems: a head line, each problem in file, row and column order; past 20, a count", async () => {
    const extract = await problems("extract-problems", {
      csv: ["persons", "claims"],
      persons: `${keep} REPLACE (${ROW(3)} THEN 'retiree' ELSE CAST(status AS VARCHAR) END AS status)`,
      claims: `* EXCLUDE (file_row_number, amount_fen) REPLACE (${ROW(2)} THEN '2024/01/05' ELSE CAST(date AS VARCHAR) END AS date),
               CASE WHEN file_row_number = 4 THEN '12.345' WHEN file_row_number = 1 THEN '-0.5' ELSE ${yuanText("amount_fen")} END AS amount_yuan`,
    }, YEAR);
    expect(extract).toEqual([
      "DIR: 5 problems in the data:",
      `persons.csv, column status, row 3: "retiree" is not a code or label (0 active 在职, 1 retired 退休, 2 flexible 灵活就业)`,
      `claims.csv, column date, row 2: "2024/01/05" is not a date (YYYY-MM-DD)`,
      "claims.csv, column amount_yuan, row 2: -0.5 yuan is negative",
      expect.stringMatching(/^claims\.csv, column eligible_fen, row 2: \d+ is above amount_yuan -0\.5 yuan$/),
      "claims.csv, column amount_yuan, row 5: 12.345 yuan has more than two decimals (a fen is 0.01 yuan)",
    ]);
    // docs/data.md shows this very example (with the eligible amount of that row).
    const doc = readFileSync("docs/data.md", "utf8");
    expect(doc).toContain(`fundsim run: ${extract[0]}\n`);
    for (const line of extract.slice(1)) expect(doc).toMatch(new RegExp(`^DIR/${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    const many = await problems("many-problems", { claims: `${keep} REPLACE (CASE WHEN file_row_number < 25 THEN 9 ELSE kind END AS kind)` }, YEAR);
    expect(many[0]).toBe("DIR: 25 problems in the data, the first 20:");
    expect(many.slice(1, 21)).toEqual(Array.from({ length: 20 }, (_, i) => expect.stringMatching(new RegExp(`^claims\\.parquet, column kind, row ${i + 1}: 9 is not a code`))));
    expect(many.slice(21)).toEqual(["… and 5 more (25 problems in all)"]);
  }, 30_000);

  it("on the command line: the problems on stderr, exit 2, nothing on stdout, nothing written", async () => {
    for (const [name, o, head] of [
      ["cli-one", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 2 THEN 9 ELSE kind END AS kind)` }, /^fundsim run: .*\/claims\.parquet, column kind, row 3: 9 is not a code/],
      ["cli-two", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 2 THEN -5 ELSE amount_fen END AS amount_fen)` }, /^fundsim run: .*: 2 problems in the data:\n.*\/claims\.parquet, column amount_fen, row 3: -5 is negative\n.*\/claims\.parquet, column eligible_fen, row 3: \d+ is above amount_fen -5\n$/],
    ] as const) {
      const dir = await variant(name, o);
      const out = join(TMP, `out-${name}`);
      const r = fundsim("run", "--city", CITY, "--data", dir, "--out", out);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(head);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  it("files that are not Parquet: a line naming each", async () => {
    const dir = join(TMP, "not-parquet");
    mkdirSync(dir);
    writeFileSync(join(dir, "persons.parquet"), "person,status\n1,0\n");
    writeFileSync(join(dir, "claims.parquet"), "");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--out", join(TMP, "out-not-parquet"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^fundsim run: ${dir}: 2 problems in the data:\n${dir}/persons\\.parquet: not a Parquet file DuckDB can read \\(.*\\)\n${dir}/claims\\.parquet: not a Parquet file DuckDB can read \\(.*\\)\n$`));
    expect(existsSync(join(TMP, "out-not-parquet"))).toBe(false);
  }, 30_000);

  it("a missing file or directory, and --data with --persons or two cities, are refused", async () => {
    const empty = join(TMP, "empty");
    mkdirSync(empty);
    const both = "the data are DIR/persons.parquet or .csv and DIR/claims.parquet or .csv";
    await expect(Microdata.open(empty, YEAR, { min: 2023, max: 2027 })).rejects.toThrow(new MicrodataError(`${empty}: 2 problems in the data:\n${empty}: no persons.parquet or persons.csv (${both})\n${empty}: no claims.parquet or claims.csv (${both})`));
    writeFileSync(join(empty, "persons.csv"), "person\n");
    writeFileSync(join(empty, "persons.parquet"), "");
    await expect(Microdata.open(empty, YEAR, { min: 2023, max: 2027 })).rejects.toThrow(`${empty}/persons: both persons.parquet and persons.csv (${both}: give one)`);
    await expect(Microdata.open(join(TMP, "nowhere"), YEAR, { min: 2023, max: 2027 })).rejects.toThrow(/nowhere: not a directory/);
    for (const [args, re] of [[["--persons", "10"], /^fundsim run: --persons: not with --data/], [["--city", "jinan,ganzhou"], /^fundsim run: --data: the data are one city's/]] as const) {
      const r = fundsim("run", "--city", CITY, "--data", POP, ...args, "--out", join(TMP, "refused"));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    expect(existsSync(join(TMP, "refused"))).toBe(false);
  }, 30_000);
});

describe("fundsim calibrate --from: a bureau's data beside the model", () => {
  it("the data of a generated population measure exactly as that population does, band by band", async () => {
    const fromData = await runDataCalibration({ city: CITY, dir: POP, seed: SEED, modelPersons: PERSONS });
    const generated = runCalibration({ city: CITY, persons: PERSONS, year: YEAR, seed: SEED });
    expect(fromData.year).toBe(YEAR);
    expect(fromData.rows.map((r) => [r.id, r.generated])).toEqual(generated.rows.map((r) => [r.id, r.generated]));
    expect(fromData.shapes).toEqual(generated.shapes);
    expect(fromData.bands.length).toBeGreaterThan(6);
    for (const b of fromData.bands) {
      expect(b.persons.data, `${b.status} ${b.ageBand}`).toBe(b.persons.model);
      expect(b.spendingYuan.data).toBe(b.spendingYuan.model);
    }
  }, 60_000);

  it("on the command line: the table by status and age band, the targets with the bureau's column; bad data exit 2", async () => {
    const r = fundsim("calibrate", "--city", CITY, "--from", POP, "--persons", "2000");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("the bureau's data beside the model (a generated population of 2,000 persons, seed 1)");
    expect(r.stdout).toMatch(/^retired\s+70_79\s+[\d,]+\s+[\d.]+%\s+[\d.]+%\s+[\d.]+\s+[\d.]+\s+[+-]\d+%/m);
    expect(r.stdout).toMatch(/target\s+source\s+rating\s+level\s+year\s+target value\s+bureau data\s+gap %/);
    const dir = await variant("calibrate-bad", { claims: "* EXCLUDE (file_row_number) REPLACE (CASE WHEN file_row_number = 0 THEN -1 ELSE eligible_fen END AS eligible_fen)" });
    const bad = fundsim("calibrate", "--city", CITY, "--from", dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`fundsim calibrate: ${dir}/claims.parquet, column eligible_fen, row 1: -1 is negative\n`);
  }, 60_000);
});

describe("the microdata format is documented", () => {
  it("docs/data.md's column tables are the code's (npm run doc-figures rewrites them), and `fundsim run --help` shows every column", () => {
    const blocks = tableBlocks(readFileSync("docs/data.md", "utf8"));
    expect(blocks.map((b) => b.name)).toEqual(["microdata"]);
    expect(blocks[0].text).toBe(markdownTable());
    for (const c of [...MICRO_PERSONS, ...MICRO_CLAIMS]) {
      expect(blocks[0].text, c.name).toContain(`| \`${c.name}\``);
      expect(formatTable()).toContain(c.doc);
    }
    // A stale table is rewritten from the code; a block naming no table is left as it is.
    const stale = "a\n<!-- table:microdata -->\n| old |\n<!-- /table -->\nb\n<!-- table:none -->\nx\n<!-- /table -->\n";
    expect(tableBlocks(rewriteTables(stale))).toEqual([{ name: "microdata", text: markdownTable() }, { name: "none", text: "x" }]);
    const help = fundsim("run", "--help").stdout;
    for (const c of [...MICRO_PERSONS, ...MICRO_CLAIMS]) {
      expect(help, c.name).toMatch(new RegExp(`^  ${c.name}\\s+\\S.*${c.doc.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    }
  });

  it("docs/data.md's example (its two CSV blocks) runs with the documented command", async () => {
    const doc = readFileSync("docs/data.md", "utf8");
    const blocks = [...doc.matchAll(/`DIR\/(persons|claims)\.csv`:\n\n```csv\n([\s\S]*?)\n```/g)];
    expect(blocks.map((b) => b[1])).toEqual(["persons", "claims"]);
    const dir = join(TMP, "doc-example");
    mkdirSync(dir);
    for (const b of blocks) writeFileSync(join(dir, `${b[1]}.csv`), `${b[2]}\n`);
    const command = /^npx fundsim run --city (\w+) --data DIR --out out\/example$/m.exec(doc);
    expect(command).not.toBeNull();
    const out = join(TMP, "doc-example-out");
    const r = fundsim("run", "--city", command![1], "--data", dir, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/: 4 persons, 7 claims/);
    const [retiring] = await sql(`SELECT count(*) AS n FROM '${join(dir, "persons.csv")}' WHERE status = 'active' AND retired_on IS NOT NULL`);
    expect(Number(retiring.n)).toBe(1);
  }, 30_000);
});
