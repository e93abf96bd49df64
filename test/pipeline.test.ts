// The pipeline: the SQL summaries must agree with the engine's own fund-flow sums, nothing may be
// lost between payers, and the output directory appears whole or not at all.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { type CityRunResult, runPipeline } from "../src/pipeline/run.ts";

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const rows = (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  c.closeSync();
  return rows;
}
const num = (v: unknown) => Number(v);

describe("fundsim run pipeline", () => {
  const out = join(mkdtempSync(join(tmpdir(), "run-")), "out");
  let results: CityRunResult[] = [];
  beforeAll(async () => {
    ({ results } = await runPipeline({ cities: ["jinan", "ganzhou"], year: 2024, seed: 7, persons: 20_000, chunkSize: 8192, threads: 2, scenario: null, out, csv: true }));
  }, 120_000);

  it("writes every summary as Parquet and CSV, and nothing else", () => {
    expect(readdirSync(out).sort()).toEqual(
      ["breakdowns", "exclusions", "flows", "impact", "reserve", "winners"].flatMap((n) => [`${n}.csv`, `${n}.parquet`]).concat("run.json").sort(),
    );
  });

  it("the SQL flow lines equal the engine's fund-flow sums, line by line", async () => {
    const rows = await query(`SELECT city, scheme, line, fen FROM '${out}/flows.parquet'`);
    const get = (city: string, scheme: string, line: string) => num(rows.find((r) => r.city === city && r.scheme === scheme && r.line === line)!.fen);
    for (const r of results) {
      r.flows.forEach((f, s) => {
        const sc = s === 0 ? "reform" : "baseline";
        expect(get(r.city, sc, "pooled_income_fen")).toBe(f.pooledIncomeFen);
        expect(get(r.city, sc, "other_income_fen")).toBe(f.otherIncomeFen);
        expect(get(r.city, sc, "general_fen")).toBe(f.outpatientFundFen[0]);
        expect(get(r.city, sc, "tcm_fen")).toBe(f.outpatientFundFen[1]);
        expect(get(r.city, sc, "retiree_credits_fen")).toBe(f.retireeCreditsFen);
        expect(get(r.city, sc, "inpatient_fen")).toBe(f.inpatientFundFen);
        expect(get(r.city, sc, "chronic_fen")).toBe(f.chronicFundFen);
        expect(get(r.city, sc, "second_payment_fen")).toBe(f.secondPaymentFen);
        expect(get(r.city, sc, "pooled_outflow_fen")).toBe(f.pooledOutflowFen);
        expect(get(r.city, sc, "account_closing_fen")).toBe(f.accountClosingFen);
        expect(get(r.city, sc, "account_family_fen")).toBe(f.accountFamilyFen);
        expect(get(r.city, sc, "cash_fen")).toBe(f.cashFen);
      });
    }
  });

  it("nothing is lost: spending = pooled payments + account + cash, in every breakdown cell", async () => {
    const bad = await query(`SELECT * FROM '${out}/breakdowns.parquet' WHERE amount_fen <> fund_fen + other_fund_fen + account_fen + cash_fen`);
    expect(bad).toEqual([]);
    const rows = await query(`SELECT city, scheme, dimension, sum(claims) c, sum(amount_fen) a FROM '${out}/breakdowns.parquet' GROUP BY ALL`);
    for (const r of rows) {
      const same = rows.filter((x) => x.city === r.city && x.scheme === r.scheme);
      for (const x of same) expect([num(x.c), num(x.a)]).toEqual([num(r.c), num(r.a)]);
    }
  });

  it("accounts balance: opening + credits − payments − family use = closing", async () => {
    const rows = await query(`PIVOT (SELECT city, scheme, line, fen FROM '${out}/flows.parquet') ON line USING sum(fen)`);
    for (const r of rows) {
      expect(num(r.account_opening_fen) + num(r.account_credits_fen) - num(r.account_paid_fen) - num(r.account_family_fen)).toBe(num(r.account_closing_fen));
      // Family use came with the reform (国办发〔2021〕14号): none in the baseline.
      if (r.scheme === "baseline") expect(num(r.account_family_fen)).toBe(0);
      else expect(num(r.account_family_fen)).toBeGreaterThan(0);
    }
  });

  it("the reform moves money from accounts to the pool, as the texts intend", async () => {
    const rows = await query(`SELECT city, line, delta_fen FROM '${out}/impact.parquet'`);
    for (const city of ["jinan", "ganzhou"]) {
      const d = (line: string) => num(rows.find((r) => r.city === city && r.line === line)!.delta_fen);
      expect(d("pooled_income_fen"), city).toBeGreaterThan(0);
      expect(d("account_credits_fen"), city).toBeLessThan(0);
      expect(d("general_fen"), city).toBeGreaterThan(0);
      expect(d("spending_fen"), city).toBe(0);
    }
  });

  it("winners and losers cover every person once per dimension", async () => {
    const rows = await query(`SELECT city, dimension, sum(persons) n FROM '${out}/winners.parquet' GROUP BY ALL`);
    for (const r of rows) expect(num(r.n)).toBe(20_000);
  });

  it("the result does not depend on the number of threads or the chunk size", async () => {
    const out2 = join(mkdtempSync(join(tmpdir(), "run-")), "out");
    await runPipeline({ cities: ["ganzhou"], year: 2024, seed: 7, persons: 20_000, chunkSize: 5000, threads: 1, scenario: null, out: out2, csv: false });
    const a = await query(`SELECT line, scheme, fen FROM '${out}/flows.parquet' WHERE city = 'ganzhou' ORDER BY ALL`);
    const b = await query(`SELECT line, scheme, fen FROM '${out2}/flows.parquet' ORDER BY ALL`);
    expect(b).toEqual(a);
  });
});

describe("fundsim run on the command line", () => {
  it("a bad argument names the option, exits 2 and writes nothing", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "run-")), "out");
    for (const args of [["--city", "wuhan"], ["--city", "lanzhou", "--persons", "0"], ["--city", "lanzhou", "--year", "2019"], ["--city", "lanzhou", "--scenario", "/nonexistent.yaml"]]) {
      const r = spawnSync("node", ["bin/fundsim.js", "run", ...args, "--out", dir], { encoding: "utf8" });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^fundsim run: (--city|--persons|--year|\S*nonexistent\.yaml: cannot read)/m);
      expect(r.stdout).toBe("");
      expect(existsSync(dir)).toBe(false);
    }
  });
  it("prints the headline in 万元 and months of reserve", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "run-")), "out");
    const s = execFileSync("node", ["bin/fundsim.js", "run", "--city", "lvliang", "--persons", "3000", "--out", dir], { encoding: "utf8" });
    expect(s).toMatch(/万元/);
    expect(s).toMatch(/^lvliang\s+[\d,-]+\s+[\d,-]+\s+[\d,-]+\s+[\d.]+\s+[\d.]+$/m);
  });
});
