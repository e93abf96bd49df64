// The back-test (issue 12 item 4): the model run over the years with published accounts, 2021–2024
// (2021–2022 under each city's pre-reform rules, 2023–2024 under its reform: the scheme whose period
// covers the year), against the published figures of src/loaders/published/accounts.yaml.
//
// Method.
// - Each city-year is simulated in-process: the population at the year's national levels (before the
//   base year 2023: calibration/years.yaml; 2024 stands at the 2023 levels, no growth modelled), the
//   rules in force, the city's finance; flows on NHSA's bulletin basis (src/model/backtest.ts).
// - No accounts of the five cities or their provinces were found, so each city is compared with the
//   NATIONAL figures on the scale-free lines (retiree share, surplus rates, months, per-insured income
//   and spending; compared_with = national): the difference is the city's difference from the nation
//   as much as the model's error. Where a city of the same province stands in (Nanchong for Neijiang,
//   Xinyu for Ganzhou, 2023), the city is compared with it as well (level = stand-in).
// - The national composite: the flows per active member and per retiree of the cities whose
//   reconciliation line is solved for the national accounts (Lanzhou, Jinan, Lüliang; Neijiang and
//   Ganzhou are solved for their stand-ins' far different accounts), weighted to the year's national
//   retiree share, averaged with equal city weights, times the national insured; against the
//   bulletins in 亿元.
// - Opening reserve: the published national balance at the end of the previous year where published
//   (end-2022, end-2023): for the composite that balance itself, for a city as months of the year's
//   published pooled spending applied to the city's model spending; otherwise the model's assumption
//   (finance openingReserveMonths). Model balance = opening + model surplus. `opening` says which.
// - `fit`: each city's reconciliation line (src/loaders/finance) is solved for one published 2023
//   surplus rate — the national pooled one, or its stand-in's — so that line, against that place, is
//   "calibrated" (in sample; with it a city's 2023 months against the nation, and the composite's 2023
//   surplus rate); insured counts and retiree shares are model inputs ("input");
//   everything else is "out_of_sample".
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { cityModel, generateChunks } from "../loaders/population/index.ts";
import { loadPublished, placesFor, type PublishedLine, publishedValue } from "../loaders/published.ts";
import { loadYearLevels } from "../loaders/calibration/years.ts";
import { addFlows, type BulletinFlows, bulletinFlows, minusFlows, nationalComposite, openingBasis } from "../model/backtest.ts";
import { dayFromCivil } from "../model/dates.ts";
import { openingBalances, runChunk } from "../model/engine.ts";
import { addChunk, emptyFlows, weightedFlows } from "../model/fund.ts";
import type { Policy, Scheme } from "../model/policy.ts";
import { type CityId, STATUSES } from "../model/types.ts";
import { type BacktestRow, CITY_LINES, COMPOSITE_LINES, FEN_PER_YI, type RowContext, rowsOf, targetOf } from "./backtest-rows.ts";
import { lit } from "./duckdb.ts";

export type { BacktestRow, Fit } from "./backtest-rows.ts";

/** The years with published accounts the back-test runs. */
export const BACKTEST_YEARS = [2021, 2022, 2023, 2024] as const;
export const DEFAULT_BACKTEST_PERSONS = 100_000;
const RETIRED = STATUSES.indexOf("retired");

/** The scheme in force over the whole year: the reform once it covers the year, else the pre-reform rules. */
export function schemeInForce(policy: Policy, year: number): { rules: "baseline" | "reform"; scheme: Scheme } {
  const first = dayFromCivil(year, 1, 1), last = dayFromCivil(year, 12, 31);
  for (const rules of ["reform", "baseline"] as const) {
    const s = policy[rules];
    if (s.fromDay <= first && last <= s.untilDay) return { rules, scheme: s };
  }
  throw new Error(`${policy.city}: neither the reform nor the baseline covers ${year} (src/policies/${policy.city}.yaml, period)`);
}

export interface CityYear {
  city: CityId;
  year: number;
  rules: "baseline" | "reform";
  all: BulletinFlows;
  retired: BulletinFlows;
  assumedOpeningMonths: number;
}

/** One city-year simulated in-process: every person's flows, and the retirees' apart. */
export function runCityYear(city: CityId, year: number, persons: number, seed: number): CityYear {
  const policy = loadPolicy(city);
  const { rules, scheme } = schemeInForce(policy, year);
  const { finance } = loadFinance(city);
  const model = cityModel(city, year);
  const all = emptyFlows();
  let retired: BulletinFlows | null = null;
  for (const { persons: p, claims } of generateChunks(model, seed, persons)) {
    // Opening account balances from the pre-reform credits, as the pipeline does (two-schemes.ts).
    const eng = { ...p, openingBalanceFen: openingBalances(policy.baseline, p, year, finance.accountOpeningMonths) };
    const o = runChunk(scheme, eng, claims, year, finance);
    addChunk(all, eng, claims, o);
    const w = new Float64Array(p.count);
    for (let i = 0; i < p.count; i++) w[i] = p.status[i] === RETIRED ? 1 : 0;
    const r = bulletinFlows(weightedFlows(eng, claims, o, w));
    retired = retired ? addFlows(retired, r) : r;
  }
  return { city, year, rules, all: bulletinFlows(all), retired: retired!, assumedOpeningMonths: finance.openingReserveMonths };
}

export interface BacktestResult {
  rows: BacktestRow[];
  cityYears: CityYear[];
  persons: number;
  seed: number;
}

/** The back-test of `cities` (the composite over them), `persons` simulated per city-year. */
export function runBacktest(o: { cities: readonly CityId[]; persons: number; seed: number; years?: readonly number[]; onCityYear?: (c: CityYear) => void }): BacktestResult {
  const entries = loadPublished();
  const baseYear = loadYearLevels().baseYear;
  const years = o.years ?? BACKTEST_YEARS;
  const targets = new Map(o.cities.map((c) => [c, targetOf(c, entries)]));
  const national = (y: number, l: PublishedLine) => publishedValue(entries, "national", y, l);
  const rows: BacktestRow[] = [];
  const cityYears: CityYear[] = [];
  for (const year of years) {
    const prevBalance = national(year - 1, "pooled_balance");
    const balanceFen = prevBalance ? prevBalance.value * FEN_PER_YI : null;
    const spending = national(year, "pooled_spending");
    const spendingFen = spending ? spending.value * FEN_PER_YI : null;
    const insured = national(year, "insured"), retired = national(year, "insured_retired");
    const perCity: CityYear[] = [];
    for (const city of o.cities) {
      const cy = runCityYear(city, year, o.persons, o.seed);
      o.onCityYear?.(cy);
      perCity.push(cy);
      const share = cy.retired.persons / cy.all.persons;
      const basis = openingBasis({ publishedBalanceFen: balanceFen, publishedSpendingFen: spendingFen, balanceYear: year - 1, absolute: false, assumedMonths: cy.assumedOpeningMonths });
      const ctx = { place: city, year, baseYear, target: targets.get(city)! };
      rows.push(...rowsOf({ ...ctx, comparedWith: "national", level: "national" }, cy.rules, CITY_LINES, cy.all, basis, share, entries, false));
      // The city's own, its province's or a stand-in's accounts, where published (no opening
      // balance of theirs is: months and balance are left out).
      for (const p of placesFor(entries, city)) {
        rows.push(...rowsOf({ ...ctx, comparedWith: p.place, level: p.level }, cy.rules, CITY_LINES, cy.all, null, share, entries, true));
      }
    }
    cityYears.push(...perCity);
    // The composite's members: the cities whose reconciliation line is solved for the national
    // accounts. A city solved for a stand-in's (Neijiang: Nanchong's 47.8 % pooled surplus) carries a
    // line sized for that city's accounts, which reweighting to the national structure would spread
    // over the nation.
    const members = perCity.filter((c) => targets.get(c.city)!.place === "national");
    if (!insured || !retired || members.length === 0) continue;
    const share = retired.value / insured.value;
    const composite = nationalComposite(members.map((c) => ({ active: minusFlows(c.all, c.retired), retired: c.retired })), share, insured.value);
    const rulesSet = new Set(members.map((c) => c.rules));
    const basis = openingBasis({ publishedBalanceFen: balanceFen, publishedSpendingFen: spendingFen, balanceYear: year - 1, absolute: true, assumedMonths: members[0].assumedOpeningMonths });
    const ctx: RowContext = { place: "national", comparedWith: "national", level: "national", year, baseYear, target: "composite", members: members.map((c) => c.city) };
    rows.push(...rowsOf(ctx, rulesSet.size === 1 ? members[0].rules : "reform", COMPOSITE_LINES, composite, basis, share, entries, false));
  }
  return { rows, cityYears, persons: o.persons, seed: o.seed };
}

// ---- output ---------------------------------------------------------------------------------------

const COLUMNS: Array<[keyof BacktestRow, string]> = [
  ["place", "VARCHAR"], ["compared_with", "VARCHAR"], ["level", "VARCHAR"], ["year", "INTEGER"], ["rules", "VARCHAR"], ["line", "VARCHAR"], ["unit", "VARCHAR"], ["model", "DOUBLE"],
  ["published", "DOUBLE"], ["difference", "DOUBLE"], ["error_pct", "DOUBLE"], ["fit", "VARCHAR"], ["published_rating", "VARCHAR"], ["published_source", "VARCHAR"],
  ["opening", "VARCHAR"], ["note", "VARCHAR"],
];

const sqlValue = (v: unknown): string => (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "NULL" : typeof v === "number" ? String(v) : lit(String(v)));

/** backtest.parquet (and backtest.csv) in `dir`, through DuckDB; returns the file names. */
export async function writeBacktest(rows: readonly BacktestRow[], dir: string, csv: boolean): Promise<string[]> {
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await db.connect();
  try {
    await conn.run(`CREATE TABLE backtest (${COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(", ")})`);
    for (let i = 0; i < rows.length; i += 200) {
      const values = rows.slice(i, i + 200).map((r) => `(${COLUMNS.map(([c]) => sqlValue(r[c])).join(", ")})`);
      await conn.run(`INSERT INTO backtest VALUES ${values.join(", ")}`);
    }
    const files = ["backtest.parquet"];
    const sql = "SELECT * FROM backtest ORDER BY rowid";
    await conn.run(`COPY (${sql}) TO ${lit(join(dir, "backtest.parquet"))} (FORMAT parquet)`);
    if (csv) {
      await conn.run(`COPY (${sql}) TO ${lit(join(dir, "backtest.csv"))} (FORMAT csv, HEADER)`);
      files.push("backtest.csv");
    }
    return files;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
