// The pipeline: the SQL summaries must agree with the engine's own fund-flow sums, nothing may be
// lost between payers, and the output directory appears whole or not at all.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFinance } from "../src/loaders/finance.ts";
import { openingMonthsIn } from "../src/model/finance.ts";
import type { CityId } from "../src/model/types.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { runBoth } from "../src/model/two-schemes.ts";
import { EXACT_BELOW, GAIN_BINS, GAIN_ZERO, gainBin, gainBinRange, MAG_BINS, magBin, magBinRange, SUB_BINS } from "../src/pipeline/person-cube.ts";
import { type CityRunResult, runPipeline } from "../src/pipeline/run.ts";

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const rows = (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  c.closeSync();
  return rows;
}
const num = (v: unknown) => Number(v);

/** Every run of these tests writes below one temporary directory, removed at the end. */
const TMP = mkdtempSync(join(tmpdir(), "fundsim-pipeline-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe("fundsim run pipeline", () => {
  const out = join(mkdtempSync(join(TMP, "run-")), "out");
  let results: CityRunResult[] = [];
  beforeAll(async () => {
    ({ results } = await runPipeline({ cities: ["jinan", "ganzhou"], year: 2024, seed: 7, persons: 20_000, chunkSize: 8192, threads: 2, scenario: null, out, csv: true }));
  }, 120_000);

  it("writes every summary as Parquet and CSV, and nothing else", () => {
    expect(readdirSync(out).sort()).toEqual(
      ["breakdowns", "exclusions", "flows", "impact", "reserve", "winners"].flatMap((n) => [`${n}.csv`, `${n}.parquet`]).concat("run.json", ".fundsim-output.json").sort(),
    );
  });

  it("the SQL flow lines equal the engine's fund-flow sums, line by line", async () => {
    const rows = await query(`SELECT city, scheme, line, fen FROM '${out}/flows.parquet'`);
    const get = (city: string, scheme: string, line: string) => num(rows.find((r) => r.city === city && r.scheme === scheme && r.line === line)!.fen);
    for (const r of results) {
      r.flows.forEach((f, s) => {
        const sc = s === 0 ? "reform" : "baseline";
        expect(get(r.city, sc, "pooled_income_fen")).toBe(f.pooledIncomeFen);
        expect(get(r.city, sc, "non_contribution_income_fen")).toBe(f.nonContributionIncomeFen);
        expect(get(r.city, sc, "reconciliation_fen")).toBe(f.reconciliationFen);
        expect(get(r.city, sc, "maternity_contributions_fen")).toBe(f.maternityContributionsFen);
        expect(get(r.city, sc, "maternity_fen")).toBe(f.maternityFundFen);
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

  it("NHSA's bulletin basis: retiree credits move from pooled outflow to account income, the surplus is the same, months use bulletin spending", async () => {
    const rows = await query(`PIVOT (SELECT city, scheme, line, fen FROM '${out}/flows.parquet') ON line USING sum(fen)`);
    for (const r of rows) {
      const n = (k: string) => num(r[k]);
      expect(n("nhsa_pooled_income_fen")).toBe(n("pooled_income_fen") - n("retiree_credits_fen"));
      expect(n("nhsa_pooled_spending_fen")).toBe(n("pooled_outflow_fen") - n("retiree_credits_fen"));
      expect(n("nhsa_pooled_income_fen") - n("nhsa_pooled_spending_fen")).toBe(n("pooled_net_fen"));
      expect(n("nhsa_account_income_fen")).toBe(n("account_credits_fen"));
      expect(n("nhsa_account_spending_fen")).toBe(n("account_paid_fen") + n("account_family_fen"));
      // The whole employee fund's income is what is paid in: contributions, the income that is not
      // contributions and the reconciliation line.
      expect(n("nhsa_fund_income_fen")).toBe(n("contributions_fen") + n("non_contribution_income_fen") + n("reconciliation_fen"));
      expect(n("nhsa_fund_spending_fen")).toBe(n("nhsa_pooled_spending_fen") + n("nhsa_account_spending_fen"));
    }
    const reserve = await query(`SELECT * FROM '${out}/reserve.parquet'`);
    for (const r of reserve) {
      const months = (balance: number, spending: number) => balance / (spending / 12);
      expect(Number(r.nhsa_months_closing)).toBeCloseTo(months(num(r.closing_fen), num(r.nhsa_spending_fen)), 9);
      expect(Number(r.months_closing)).toBeCloseTo(months(num(r.closing_fen), num(r.outflow_fen)), 9);
      // The finance files' opening months are on the bulletin basis (累计结存可支付月数): the baseline
      // opens with exactly that many months of its bulletin-basis spending.
      if (r.scheme === "baseline") expect(Number(r.nhsa_months_opening)).toBeCloseTo(openingMonthsIn(loadFinance(r.city as CityId).finance, 2024), 6);
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

  it("the result does not depend on the number of threads or the chunk size, quantiles included", async () => {
    const out2 = join(mkdtempSync(join(TMP, "run-")), "out");
    await runPipeline({ cities: ["ganzhou"], year: 2024, seed: 7, persons: 20_000, chunkSize: 5000, threads: 1, scenario: null, out: out2, csv: false });
    // The first run's two workers took chunks as they came free (shrinking at the end) and served
    // jinan before ganzhou; this one ran 5000-person chunks on the main thread.
    for (const [name, cols] of [["flows", "line, scheme, fen"], ["breakdowns", "*"], ["winners", "*"], ["exclusions", "*"]]) {
      const a = await query(`SELECT ${cols} FROM '${out}/${name}.parquet' WHERE city = 'ganzhou' ORDER BY ALL`);
      const b = await query(`SELECT ${cols} FROM '${out2}/${name}.parquet' ORDER BY ALL`);
      expect(a.length, name).toBeGreaterThan(0);
      // Exactly equal, floats too: the cubes hold integer sums and the bins are deterministic.
      expect(b, name).toEqual(a);
    }
  });

  // The winners from the person cube against the same persons computed one by one, exactly, with
  // the definitions the SQL used to apply to a row per person: ntile(10) OVER (ORDER BY spending,
  // person) and quantile_cont. The bounds are those documented in summaries.ts.
  it("winners from the cube agree with exact per-person values within the documented bin bounds", async () => {
    const city = "ganzhou";
    const n = 20_000;
    const policy = loadPolicy(city);
    const { finance } = loadFinance(city);
    const { persons, claims } = generateChunk(cityModel(city, 2024), 7, 0, n);
    const { r, b } = runBoth(policy.reform, policy.baseline, persons, claims, 2024, finance);
    const gain = new Float64Array(n);
    const spending = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) {
        spending[p] += claims.amountFen[j];
        gain[p] += r.fundFen[j] - b.fundFen[j];
      }
      gain[p] += r.secondPaymentFen[p] + r.creditFen[p] - b.secondPaymentFen[p] - b.creditFen[p];
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => spending[x] - spending[y] || x - y);
    const decile = new Uint8Array(n);
    for (let rank = 0, t = 0; t < 10; t++) for (let k = 0; k < Math.floor(n / 10) + (t < n % 10 ? 1 : 0); k++) decile[order[rank++]] = t + 1;
    // Persons of each spending bin, and of each (bin, decile): a bin shared by deciles is apportioned.
    const inBin = new Map<number, number>();
    const inBinDecile = new Map<string, number>();
    const binOf = Array.from(spending, (x) => magBin(x));
    for (let p = 0; p < n; p++) {
      inBin.set(binOf[p], (inBin.get(binOf[p]) ?? 0) + 1);
      inBinDecile.set(`${binOf[p]}/${decile[p]}`, (inBinDecile.get(`${binOf[p]}/${decile[p]}`) ?? 0) + 1);
    }
    const key: Record<string, (p: number) => number> = {
      all: () => 0,
      status: (p) => persons.status[p],
      age_band: (p) => persons.ageBand[p],
      two_disease: (p) => (persons.twoDiseases[p] > 0 ? 1 : 0),
    };
    /** Weighted quantile_cont: order statistic k is the value where the cumulative weight passes k + ½. */
    const orderStat = (xs: Array<[x: number, w: number]>, k: number) => {
      let cum = 0;
      for (const [x, w] of xs) if ((cum += w) > k + 0.5) return x;
      return xs[xs.length - 1][0];
    };
    const rows = await query(`SELECT * FROM '${out}/winners.parquet' WHERE city = '${city}'`);
    expect(rows.length).toBe(1 + 3 + 7 + 2 + 10);
    let tightDeciles = 0;
    for (const w of rows) {
      const label = `${w.dimension} ${w.value}`;
      const code = num(w.code);
      const isDecile = w.dimension === "spending_decile";
      const ntile = Array.from({ length: n }, (_, p) => p).filter((p) => (isDecile ? decile[p] === code : key[w.dimension as string](p) === code));
      // (1) Against what the cube claims to compute: each person weighted by the share of their
      // spending bin apportioned to the group (1, except in a decile's shared bins), exactly.
      const weighted: Array<[number, number]> = [];
      for (let p = 0; p < n; p++) {
        const share = isDecile ? (inBinDecile.get(`${binOf[p]}/${code}`) ?? 0) / inBin.get(binOf[p])! : key[w.dimension as string](p) === code ? 1 : 0;
        if (share > 0) weighted.push([gain[p], share]);
      }
      weighted.sort((x, y) => x[0] - y[0]);
      const size = weighted.reduce((a, [, x]) => a + x, 0);
      expect(num(w.persons), label).toBe(ntile.length);
      expect(Math.abs(size - ntile.length), label).toBeLessThan(1e-6);
      const sumWhere = (f: (g: number) => boolean) => weighted.reduce((a, [g, x]) => a + (f(g) ? x : 0), 0) / size;
      expect(num(w.mean_gain_yuan) * 100, label).toBeCloseTo(weighted.reduce((a, [g, x]) => a + g * x, 0) / size, 6);
      expect(num(w.share_gaining), label).toBeCloseTo(sumWhere((g) => g > 0), 12);
      expect(num(w.share_losing), label).toBeCloseTo(sumWhere((g) => g < 0), 12);
      // (2) Against ntile's decile: d of its persons are in shared bins (none for other groups).
      const sortedNtile = Float64Array.from(ntile, (p) => gain[p]).sort();
      const inShared = isDecile ? ntile.filter((p) => inBinDecile.get(`${binOf[p]}/${code}`)! < inBin.get(binOf[p])!) : [];
      const d = inShared.length;
      const spread = d ? Math.max(...inShared.map((p) => gain[p])) - Math.min(...inShared.map((p) => gain[p])) : 0;
      const m = ntile.length;
      expect(Math.abs(num(w.mean_gain_yuan) * 100 - sortedNtile.reduce((a, x) => a + x, 0) / m), label).toBeLessThanOrEqual((d * spread) / m + 1e-6);
      expect(Math.abs(num(w.share_gaining) - sortedNtile.filter((x) => x > 0).length / m), label).toBeLessThanOrEqual(d / m + 1e-12);
      expect(Math.abs(num(w.share_losing) - sortedNtile.filter((x) => x < 0).length / m), label).toBeLessThanOrEqual(d / m + 1e-12);
      if (isDecile && spending[order[(code - 1) * (n / 10)]] > 0) {
        // Where no tie at zero spending is split, the apportioned persons are few: the bound bites.
        expect(d / m, label).toBeLessThan(0.05);
        tightDeciles++;
      }
      for (const [q, col] of [[0.1, "p10_yuan"], [0.5, "p50_yuan"], [0.9, "p90_yuan"]] as const) {
        const v = num(w[col]) * 100;
        const h = (m - 1) * q;
        const lo = Math.floor(h), hi = Math.ceil(h), t = h - lo;
        // (1) quantile_cont's order statistics, each within its own bin.
        const xLo = orderStat(weighted, lo), xHi = orderStat(weighted, hi);
        const [aMin, aMax] = gainBinRange(gainBin(xLo));
        const [bMin, bMax] = gainBinRange(gainBin(xHi));
        expect(v, `${label} ${col}`).toBeGreaterThanOrEqual(aMin + (bMin - aMin) * t - 1e-6);
        expect(v, `${label} ${col}`).toBeLessThanOrEqual(aMax + (bMax - aMax) * t + 1e-6);
        // The documented bound: exact below 256 fen, else within 1/128 of the larger order statistic.
        const big = Math.max(Math.abs(xLo), Math.abs(xHi));
        expect(Math.abs(v - (xLo + (xHi - xLo) * t)), `${label} ${col}`).toBeLessThanOrEqual(big < EXACT_BELOW ? 1e-6 : big / SUB_BINS);
        // (2) Against ntile's decile: between its order statistics d ranks either side, then the bins.
        expect(v, `${label} ${col}`).toBeGreaterThanOrEqual(gainBinRange(gainBin(sortedNtile[Math.max(0, lo - d)]))[0] - 1e-6);
        expect(v, `${label} ${col}`).toBeLessThanOrEqual(gainBinRange(gainBin(sortedNtile[Math.min(m - 1, hi + d)]))[1] + 1e-6);
      }
    }
    expect(tightDeciles).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

describe("the person cube's bins", () => {
  it("cover the integers contiguously, in order, each < 1/128 wide relative to its smallest value", () => {
    let next = 0;
    for (let bin = 0; bin < MAG_BINS; bin++) {
      const [min, max] = magBinRange(bin);
      expect(min, `bin ${bin}`).toBe(next);
      expect(magBin(min)).toBe(bin);
      expect(magBin(max)).toBe(bin);
      if (min >= EXACT_BELOW) expect((max - min) / min).toBeLessThan(1 / SUB_BINS);
      else expect(max).toBe(min);
      next = max + 1;
    }
    expect(next).toBe(2 ** 40);
    expect(() => magBin(2 ** 40)).toThrow(RangeError);
    expect(() => magBin(-1)).toThrow(RangeError);
    expect(() => magBin(2.5)).toThrow(RangeError);
  });
  it("bin gains by sign and magnitude, in the order of the gains", () => {
    expect(gainBin(0)).toBe(GAIN_ZERO);
    expect(gainBinRange(GAIN_ZERO)).toEqual([0, 0]);
    let prev = -Infinity;
    for (let bin = 0; bin < GAIN_BINS; bin++) {
      const [min, max] = gainBinRange(bin);
      expect(min).toBeGreaterThan(prev);
      expect(gainBin(min)).toBe(bin);
      expect(gainBin(max)).toBe(bin);
      prev = max;
    }
    for (const g of [1, -1, 255, -255, 256, -256, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 123_456_789_012]) {
      const [min, max] = gainBinRange(gainBin(g));
      expect(g).toBeGreaterThanOrEqual(min);
      expect(g).toBeLessThanOrEqual(max);
    }
  });
});

describe("fundsim run on the command line", () => {
  it("a bad argument names the option, exits 2 and writes nothing", () => {
    const dir = join(mkdtempSync(join(TMP, "run-")), "out");
    for (const args of [["--city", "wuhan"], ["--city", "lanzhou", "--persons", "0"], ["--city", "lanzhou", "--year", "2019"], ["--city", "lanzhou", "--scenario", "/nonexistent.yaml"]]) {
      const r = spawnSync("node", ["bin/fundsim.js", "run", ...args, "--out", dir], { encoding: "utf8" });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^fundsim run: (--city|--persons|--year|\S*nonexistent\.yaml: cannot read)/m);
      expect(r.stdout).toBe("");
      expect(existsSync(dir)).toBe(false);
    }
  });
  it("prints the headline in 万元 and months of reserve", () => {
    const dir = join(mkdtempSync(join(TMP, "run-")), "out");
    const s = execFileSync("node", ["bin/fundsim.js", "run", "--city", "lvliang", "--persons", "3000", "--out", dir], { encoding: "utf8" });
    expect(s).toMatch(/万元/);
    expect(s).toMatch(/^lvliang\s+[\d,-]+\s+[\d,-]+\s+[\d,-]+\s+[\d.]+\s+[\d.]+$/m);
  });
});
