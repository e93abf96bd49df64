// A bureau's own microdata (`fundsim run --data DIR`, src/loaders/microdata.ts): a population written
// by `fundsim simulate` and read back gives the same summaries, fen by fen, as the same population
// generated in the run; optional columns change what they should; every bad file stops the run with
// one line naming the file, the column and the first bad row, exit 2, nothing written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCalibration, runDataCalibration } from "../src/cli/calibrate.ts";
import { runSimulate } from "../src/cli/simulate.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { MICRO_CLAIMS, MICRO_PERSONS, Microdata, MicrodataError } from "../src/loaders/microdata.ts";
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

/** A copy of the population with `persons` and `claims` SELECT lists (over read_parquet with
 *  file_row_number) replaced and perhaps reordered; returns its directory. */
async function variant(name: string, o: { persons?: string; claims?: string; personsOrder?: string; claimsOrder?: string }): Promise<string> {
  const dir = join(TMP, name);
  mkdirSync(dir);
  const from = (f: string) => `read_parquet('${join(POP, f)}', file_row_number = true)`;
  await sql(`COPY (SELECT ${o.persons ?? "* EXCLUDE (file_row_number)"} FROM ${from("persons.parquet")} ${o.personsOrder ?? ""}) TO '${join(dir, "persons.parquet")}' (FORMAT parquet)`);
  await sql(`COPY (SELECT ${o.claims ?? "* EXCLUDE (file_row_number)"} FROM ${from("claims.parquet")} ${o.claimsOrder ?? ""}) TO '${join(dir, "claims.parquet")}' (FORMAT parquet)`);
  return dir;
}

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
  /** [case, the bad copy (variant), the message after "fundsim run: DIR/", extra arguments] */
  const cases: Array<[string, Parameters<typeof variant>[1], RegExp, string[]?]> = [
    ["missing column", { persons: "* EXCLUDE (file_row_number, status)" }, /^persons\.parquet, column status: missing \(required: status: 0 active, 1 retired, 2 flexible\)$/],
    ["wrong type", { persons: `${keep} REPLACE (status::VARCHAR AS status)` }, /^persons\.parquet, column status: type VARCHAR, must be an integer type$/],
    ["bad code", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 4 THEN 9 ELSE kind END AS kind)` }, /^claims\.parquet, column kind, row 5: 9 is not a code \(0 general, 1 tcm, .*\)$/],
    ["claim before the year", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 6 THEN DATE '${YEAR - 1}-12-31' ELSE date END AS date)` }, new RegExp(`^claims\\.parquet, column date, row 7: ${YEAR - 1}-12-31 is outside the run year ${YEAR}$`), ["--year", String(YEAR)]],
    ["claims of two years, no --year", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 6 THEN DATE '${YEAR - 1}-12-31' ELSE date END AS date)` }, new RegExp(`^claims\\.parquet, column date: claims from ${YEAR - 1} to ${YEAR}; a run covers one year: give --year$`)],
    ["unknown person", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 9 THEN 999999 ELSE person END AS person)` }, /^claims\.parquet, column person, row 10: person id 999999 is not in persons\.parquet$/],
    ["negative amount", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 2 THEN -5 ELSE amount_fen END AS amount_fen)` }, /^claims\.parquet, column amount_fen, row 3: -5 is negative$/],
    ["eligible above the amount", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 0 THEN amount_fen + 1 ELSE eligible_fen END AS eligible_fen)` }, /^claims\.parquet, column eligible_fen, row 1: \d+ is above amount_fen \d+$/],
    ["an amount above the limit", { claims: `${keep} REPLACE (CASE WHEN file_row_number = 3 THEN 1000000001 ELSE amount_fen END AS amount_fen)` }, /^claims\.parquet, column amount_fen, row 4: 1000000001 fen is above the limit of one amount \(10,000,000 yuan\)$/],
    ["a repeated person", { persons: `${keep} REPLACE (CASE WHEN file_row_number = 11 THEN 3 ELSE person END AS person)` }, /^persons\.parquet, column person, row 12: person id 3 appears more than once$/],
    ["no claims and no --year", { claimsOrder: "LIMIT 0" }, /^claims\.parquet: no claims to take the year from: give --year$/],
    ["a flag that is not 0/1", { persons: `${keep} REPLACE (CASE WHEN file_row_number = 7 THEN 2 ELSE has_account::INTEGER END AS has_account)` }, /^persons\.parquet, column has_account, row 8: 2 is not 0\/1 or a boolean$/],
    ["an empty required value", { persons: `${keep} REPLACE (CASE WHEN file_row_number = 2 THEN NULL ELSE pension_fen END AS pension_fen)` }, /^persons\.parquet, column pension_fen, row 3: is empty \(NULL\)$/],
    ["an age that is not the birth date's", { persons: `${keep} REPLACE (CASE WHEN file_row_number = 0 THEN age + 1 ELSE age END AS age)` }, /^persons\.parquet, column age, row 1: \d+ is not the age reached in 2024 by birth date \d{4}-\d\d-\d\d$/],
    ["an age band that is not the age's", { persons: `${keep} REPLACE (CASE WHEN file_row_number = 0 THEN (age_band + 1) % 7 ELSE age_band END AS age_band)` }, /^persons\.parquet, column age_band, row 1: \d is not the age band of age \d+$/],
  ];
  for (const [name, o, message, extra] of cases) {
    it(`${name}: one line naming the file, column and row; exit 2; nothing written`, async () => {
      const dir = await variant(name.replace(/\W+/g, "-"), o);
      const out = join(TMP, `out-${name.replace(/\W+/g, "-")}`);
      const r = fundsim("run", "--city", CITY, "--data", dir, ...(extra ?? []), "--out", out);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      const prefix = `fundsim run: ${dir}/`;
      expect(lines[0].startsWith(prefix), lines[0]).toBe(true);
      expect(lines[0].slice(prefix.length)).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }, 30_000);
  }

  it("a file that is not Parquet: one line naming it", async () => {
    const dir = join(TMP, "not-parquet");
    mkdirSync(dir);
    writeFileSync(join(dir, "persons.parquet"), "person,status\n1,0\n");
    writeFileSync(join(dir, "claims.parquet"), "");
    const r = fundsim("run", "--city", CITY, "--data", dir, "--out", join(TMP, "out-not-parquet"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^fundsim run: ${dir}/persons\\.parquet: not a Parquet file DuckDB can read \\(.*\\)\n$`));
    expect(existsSync(join(TMP, "out-not-parquet"))).toBe(false);
  }, 30_000);

  it("a missing file or directory, and --data with --persons or two cities, are refused", async () => {
    const empty = join(TMP, "empty");
    mkdirSync(empty);
    await expect(Microdata.open(empty, YEAR, { min: 2023, max: 2027 })).rejects.toThrow(new MicrodataError(`${empty}/persons.parquet: missing (the data are DIR/persons.parquet and DIR/claims.parquet)`));
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
  it("every column, with its codes, is in the README and in `fundsim run --help`", () => {
    const readme = readFileSync("README.md", "utf8");
    const help = fundsim("run", "--help").stdout;
    for (const c of [...MICRO_PERSONS, ...MICRO_CLAIMS]) {
      expect(readme, c.name).toContain(`| \`${c.name}\` |`);
      expect(readme, c.name).toContain(c.doc);
      expect(help, c.name).toMatch(new RegExp(`^  ${c.name}\\s+\\S.*${c.doc.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    }
  });
});
