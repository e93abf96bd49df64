// The back-test (issue 12 item 4): its arithmetic on small hand cases (error, surplus rate, months,
// the opening reserve from a published balance, the national composite's weighting), the year
// levels, the published-accounts file's checks, the rules in force by year, the command's bad
// options and its output directory. Not the size of the model's errors: those are the result.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { runFundsim } from "../src/cli/program.ts";
import { loadCalibration } from "../src/loaders/calibration/schema.ts";
import { calibrationAtYear, loadYearLevels, YEAR_LEVELS } from "../src/loaders/calibration/years.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { loadPublished, parsePublished } from "../src/loaders/published.ts";
import { bulletinFlows, closing, errorPct, minusFlows, nationalComposite, openingBasis, openingFen, surplusRate } from "../src/model/backtest.ts";
import { emptyFlows } from "../src/model/fund.ts";
import { cityIds } from "../src/loaders/cities.ts";
import { schemeInForce } from "../src/pipeline/backtest.ts";

const TMP = mkdtempSync(join(tmpdir(), "fundsim-backtest-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const flows = (persons: number, pooledIncomeFen: number, pooledSpendingFen: number, accountIncomeFen = 0, accountSpendingFen = 0) => ({
  persons, pooledIncomeFen, pooledSpendingFen, accountIncomeFen, accountSpendingFen,
});

describe("back-test arithmetic, by hand", () => {
  it("error in % of the published value, none without one", () => {
    expect(errorPct(110, 100)).toBeCloseTo(10, 12);
    expect(errorPct(90, 100)).toBeCloseTo(-10, 12);
    expect(errorPct(-5, -10)).toBeCloseTo(50, 12); // (−5 − −10) ÷ |−10|
    expect(errorPct(1, null)).toBeNull();
    expect(errorPct(1, 0)).toBeNull();
  });

  it("surplus rate = (income − spending) ÷ income", () => {
    expect(surplusRate(100, 70)).toBeCloseTo(0.3, 12);
    expect(surplusRate(100, 130)).toBeCloseTo(-0.3, 12);
    expect(surplusRate(0, 10)).toBeNaN();
  });

  it("the bulletin basis: retiree credits are account income, not pooled income or spending", () => {
    const f = emptyFlows();
    Object.assign(f, { persons: 10, pooledIncomeFen: 1000, retireeCreditsFen: 150, pooledOutflowFen: 700, accountCreditsFen: 400, accountPaidFen: 250, accountFamilyFen: 30 });
    expect(bulletinFlows(f)).toEqual({ persons: 10, pooledIncomeFen: 850, pooledSpendingFen: 550, accountIncomeFen: 400, accountSpendingFen: 280 });
  });

  it("a city's opening reserve: the published balance as months of the published spending, on the model's spending", () => {
    // Published: end of last year 24 000, this year's pooled spending 12 000 → 24 months.
    const b = openingBasis({ publishedBalanceFen: 24_000, publishedSpendingFen: 12_000, balanceYear: 2022, absolute: false, assumedMonths: 20 });
    expect(b).toEqual({ kind: "published_months", months: 24, balanceYear: 2022 });
    expect(openingFen(b, 600)).toBeCloseTo(1200, 9); // 24 months of 600 a year
    // Income 1000, spending 600: balance 1200 + 400 = 1600, months 1600 ÷ (600 ÷ 12) = 32.
    const c = closing(b, flows(10, 1000, 600));
    expect(c.openingFen).toBeCloseTo(1200, 9);
    expect(c.balanceFen).toBeCloseTo(1600, 9);
    expect(c.months).toBeCloseTo(32, 9);
  });

  it("the composite's opening is the published balance itself; without one, the assumed months", () => {
    const abs = openingBasis({ publishedBalanceFen: 24_000, publishedSpendingFen: 12_000, balanceYear: 2022, absolute: true, assumedMonths: 20 });
    expect(closing(abs, flows(1, 10_000, 6_000)).balanceFen).toBe(28_000);
    const assumed = openingBasis({ publishedBalanceFen: null, publishedSpendingFen: 12_000, balanceYear: 2020, absolute: true, assumedMonths: 20 });
    expect(assumed).toEqual({ kind: "assumed_months", months: 20 });
    // 20 months of 600 = 1000, + 400 surplus.
    expect(closing(assumed, flows(1, 1000, 600)).balanceFen).toBeCloseTo(1400, 9);
  });

  it("the national composite: per-status flows at the national retiree share, cities weighted equally, times the national insured", () => {
    // City A: 8 active paying 100 each, spending 20 each; 2 retired paying 0, spending 90 each.
    // City B: 5 active paying 200 each, spending 40 each; 5 retired, −10 and 100 each.
    const a = { active: flows(8, 800, 160, 80, 40), retired: flows(2, 0, 180, 60, 20) };
    const b = { active: flows(5, 1000, 200, 50, 25), retired: flows(5, -50, 500, 100, 50) };
    // National retiree share 0.25, 1 000 insured:
    // per insured A: 0.75·100 + 0.25·0 = 75 income, 0.75·20 + 0.25·90 = 37.5 spending;
    //             B: 0.75·200 + 0.25·(−10) = 147.5, 0.75·40 + 0.25·100 = 55.
    // Mean: income 111.25, spending 46.25 → × 1 000.
    const c = nationalComposite([a, b], 0.25, 1000);
    expect(c.persons).toBe(1000);
    expect(c.pooledIncomeFen).toBeCloseTo(111_250, 6);
    expect(c.pooledSpendingFen).toBeCloseTo(46_250, 6);
    // Accounts: A 0.75·10 + 0.25·30 = 15, B 0.75·10 + 0.25·20 = 12.5 → 13.75; spending A 0.75·5 + 0.25·10 = 6.25, B 0.75·5 + 0.25·10 = 6.25.
    expect(c.accountIncomeFen).toBeCloseTo(13_750, 6);
    expect(c.accountSpendingFen).toBeCloseTo(6_250, 6);
    // The active group is all minus the retired.
    expect(minusFlows(flows(10, 800, 340), flows(2, 0, 180))).toEqual(flows(8, 800, 160));
    expect(() => nationalComposite([{ active: flows(0, 0, 0), retired: flows(1, 0, 0) }], 0.25, 1)).toThrow(/without persons/);
  });
});

describe("year levels (calibration/years.yaml)", () => {
  const levels = loadYearLevels();
  it("the base year's row is national.yaml's", () => {
    const nat = loadCalibration("lanzhou"); // any city; read the national-scoped values through one
    const base = levels.years[String(levels.baseYear)];
    const national = { retireeShare: 0.2695, encountersPerInsured: 6.82, hospitalisationRate: 0.2186, spendingActive: 2387, spendingRetired: 9108 };
    for (const [k, v] of Object.entries(national)) expect(base[k as keyof typeof base].value, k).toBe(v);
    expect(nat.utilisation.encountersPerInsured.value).toBe(base.encountersPerInsured.value);
    expect(nat.costs.spendingActive.value).toBe(base.spendingActive.value);
    expect(levels.baseYear).toBe(2023);
    expect(Object.keys(base).sort()).toEqual([...YEAR_LEVELS].sort());
  });

  it("an earlier year moves each level by the national ratio, the retiree share by the odds ratio", () => {
    const cal = loadCalibration("ganzhou");
    const row = levels.years["2021"], base = levels.years["2023"];
    const moved = calibrationAtYear(cal, 2021, levels);
    expect(moved.costs.spendingActive.value).toBeCloseTo((cal.costs.spendingActive.value * row.spendingActive.value) / base.spendingActive.value, 9);
    expect(moved.utilisation.hospitalisationRate.value).toBeCloseTo((cal.utilisation.hospitalisationRate.value * row.hospitalisationRate.value) / base.hospitalisationRate.value, 12);
    const odds = (p: number) => p / (1 - p);
    expect(odds(moved.population.retireeShare.value)).toBeCloseTo((odds(cal.population.retireeShare.value) * odds(row.retireeShare.value)) / odds(base.retireeShare.value), 12);
    expect(moved.utilisation.encounterStandardRetireeShare.value).toBe(row.retireeShare.value);
    expect(moved.costs.spendingActive.year).toBe(2021);
    expect(moved.costs.spendingActive.source).toMatch(/years\.yaml/);
    // A city on the national share lands on the year's national share.
    expect(loadCalibration("jinan").population.retireeShare.value).toBe(base.retireeShare.value);
    expect(calibrationAtYear(loadCalibration("jinan"), 2022, levels).population.retireeShare.value).toBeCloseTo(levels.years["2022"].retireeShare.value, 12);
    // The base year, later years and unlisted years are untouched.
    for (const y of [2023, 2024, 2019]) expect(calibrationAtYear(cal, y, levels)).toBe(cal);
  });

  it("a bad levels file names the file and the path", () => {
    expect(() => loadYearLevels("baseYear: 2023\nyears:\n  2023:\n    retireeShare: { value: -1, source: x, rating: S }\n")).toThrow(/src\/loaders\/calibration\/years\.yaml: years\.2023\.retireeShare\.value/);
  });
});

describe("published accounts (src/loaders/published/accounts.yaml)", () => {
  it("loads, one value per place, year and line", () => {
    const e = loadPublished();
    expect(e.length).toBeGreaterThan(10);
    expect(new Set(e.map((x) => `${x.place} ${x.year} ${x.line}`)).size).toBe(e.length);
  });
  it("a bad entry is named by file, line and path; a duplicate too", () => {
    const bad = "- { place: national, level: national, year: 2021, line: insured, value: 5, unit: 100m_yuan, rating: S, source: x, address: y }\n";
    expect(() => parsePublished(bad)).toThrow(/accounts\.yaml: 1:\d+: 0\.unit: the unit does not fit the line/);
    const ok = "- { place: national, level: national, year: 2021, line: insured, value: 5, unit: persons, rating: S, source: x, address: y }\n";
    expect(() => parsePublished(ok + ok)).toThrow(/1: national 2021 insured is also entry 0/);
    expect(() => parsePublished(ok.replace("rating: S", "rating: E"))).toThrow(/0\.note: an E \(estimated\) value needs a note/);
    expect(() => parsePublished(ok.replace("place: national", "place: wuhan").replace("level: national", "level: stand-in"))).toThrow(/0\.stands_for: stands_for \(the modelled city\) is needed/);
    expect(() => parsePublished(ok.replace("level: national", "level: city"))).toThrow(/0\.level: the place national has level national/);
  });
});

describe("the rules in force by year", () => {
  it("2021–2022 under the pre-reform rules, 2023–2024 under the reform, in every city", () => {
    for (const city of cityIds()) {
      const p = loadPolicy(city);
      expect(schemeInForce(p, 2021).rules, city).toBe("baseline");
      expect(schemeInForce(p, 2022).rules, city).toBe("baseline");
      expect(schemeInForce(p, 2023).rules, city).toBe("reform");
      expect(schemeInForce(p, 2024).rules, city).toBe("reform");
      expect(() => schemeInForce(p, 2019), city).toThrow(/neither the reform nor the baseline covers 2019/);
    }
  });
});

async function fundsim(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "", stderr = "";
  const out = process.stdout.write, err = process.stderr.write;
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  try {
    return { code: await runFundsim(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe("fundsim backtest on the command line", () => {
  it("a bad option: one message naming it, exit 2, nothing written", async () => {
    const dir = join(TMP, "bad");
    for (const [args, option] of [
      [["--city", "wuhan"], "--city"],
      [["--city", "lanzhou", "--persons", "0"], "--persons"],
      [["--city", "lanzhou", "--persons", "1.5"], "--persons"],
      [["--city", "lanzhou", "--seed", "-1"], "--seed"],
    ] as const) {
      const r = await fundsim(["backtest", ...args, "--out", dir]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^fundsim backtest: ${option}: `));
      expect(r.stdout).toBe("");
      expect(existsSync(dir)).toBe(false);
    }
    const missing = await fundsim(["backtest", "--city", "lanzhou"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--out/);
  });

  it("writes the table as Parquet and CSV with its marker; refuses a directory it did not write; replaces its own", async () => {
    const dir = join(TMP, "out");
    const r = await fundsim(["backtest", "--city", "lvliang", "--persons", "300", "--out", dir, "--csv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".fundsim-output.json", "backtest.csv", "backtest.parquet"]);
    expect(JSON.parse(readFileSync(join(dir, ".fundsim-output.json"), "utf8"))).toMatchObject({ command: "backtest", files: ["backtest.csv", "backtest.parquet"] });
    expect(r.stdout).toMatch(/national composite against the NHSA bulletins/);
    expect(r.stdout).toMatch(/^2023\s+reform\s+surplus_rate \(percent\).*calibrated$/m);
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const rows = (await c.runAndReadAll(`SELECT place, year, rules, line, model, published, error_pct, fit FROM '${join(dir, "backtest.parquet")}'`)).getRowObjectsJS();
    c.closeSync();
    expect(new Set(rows.map((x) => x.place))).toEqual(new Set(["lvliang", "national"]));
    expect(new Set(rows.map((x) => Number(x.year)))).toEqual(new Set([2021, 2022, 2023, 2024]));
    // The error column is the arithmetic of the two beside it.
    for (const x of rows) {
      if (x.published === null) expect(x.error_pct).toBeNull();
      else expect(Number(x.error_pct)).toBeCloseTo(((Number(x.model) - Number(x.published)) / Math.abs(Number(x.published))) * 100, 6);
    }
    // Again without --csv: the CSV of the previous output goes, nothing else is touched.
    writeFileSync(join(dir, "notes.txt"), "mine");
    const again = await fundsim(["backtest", "--city", "lvliang", "--persons", "300", "--out", dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".fundsim-output.json", "backtest.parquet", "notes.txt"]);
    // A directory fundsim backtest did not write is refused without --force.
    const foreign = join(TMP, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "keep.txt"), "x");
    const refused = await fundsim(["backtest", "--city", "lvliang", "--persons", "300", "--out", foreign]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^fundsim backtest: --out: .*did not write.*--force/);
    expect(readdirSync(foreign)).toEqual(["keep.txt"]);
  }, 120_000);
});
