// The simulation results the overview and the city pages show: every city, reform against the
// baseline on the same synthetic population, for each year in YEARS. Runs the pipeline
// (src/pipeline/run.ts) into a temporary directory, reads its Parquet summaries back with DuckDB
// and prints one JSON document. Run by Framework through tsx (cwd = project root).
//
// Shape (tables are column objects {column: values[]}, each with a `year` column; money in fen of
// the simulated sample; multiply by cities[].scale for the city total):
//   {years, persons, seed, cities: [{city, insured, persons, scale, claims{year}}],
//    lines: [{line, ord, zh, en}], flows, reserve, breakdowns, winners, exclusions,
//    baselineCards: {city: CardRow[]}}
//
// A user's runs instead of the simulation (docs/data.md, "The pages on your own run"):
// FUNDSIM_RUNS=DIR[:DIR…], each DIR an output of `fundsim run` (for example on a bureau's data,
// `--data`) for one of YEARS under the reform. Its cities are read from it; the others are simulated
// as usual. Its money and counts are put on the pages' sample size (× PERSONS ÷ the run's persons),
// so that the pages' one scale (insured ÷ PERSONS) and per-person figures hold for every city; the
// city's entry says where its figures come from (`source`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { policyCard } from "../model/card.ts";
import { cityIds } from "../loaders/cities.ts";
import { runPipeline } from "../pipeline/run.ts";
import { SITE_YEARS } from "../site/years.ts";
import { delimiter, resolve } from "node:path";
import { FLOW_LINES } from "../pipeline/summaries.ts";

/** The simulated years (the latest is the pages' default). */
const YEARS: readonly number[] = SITE_YEARS;
/** Persons simulated per city and year: ~4 s a year for the five cities on 2 cores. */
const PERSONS = Number(process.env.FUNDSIM_PAGE_PERSONS ?? 60_000);
const SEED = 1;
/** The date of the rules cards (as the overview's policies.json). */
const CARD_DATE = "2024-06-01";

type Columns = Record<string, Array<string | number | boolean | null>>;

/** Numbers as JSON-friendly values: BIGINT → number, floats rounded to `digits` places. */
function clean(v: unknown, digits: number): string | number | boolean | null {
  if (typeof v === "bigint") {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("a total exceeds 2^53 fen (90 万亿元): not exact");
    return Number(v);
  }
  if (typeof v === "number") return Number.isInteger(v) ? v : Number(v.toFixed(digits));
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}

/** One `fundsim run` output given in FUNDSIM_RUNS: its year, cities and persons (run.json). */
interface UserRun {
  dir: string;
  year: number;
  data: string | null;
  cities: Array<{ city: string; persons: number; claims: number }>;
}

function userRuns(): UserRun[] {
  const dirs = (process.env.FUNDSIM_RUNS ?? "").split(delimiter).filter((d) => d.trim() !== "").map((d) => resolve(d));
  const fail = (dir: string, why: string): never => {
    throw new Error(`FUNDSIM_RUNS: ${dir}: ${why}`);
  };
  const runs = dirs.map((dir): UserRun => {
    const file = join(dir, "run.json");
    if (!existsSync(file)) fail(dir, "not an output of fundsim run (no run.json)");
    let j: { year?: unknown; scenario?: unknown; data?: unknown; cities?: Array<{ city: string; persons: number; claims: number }> };
    try {
      j = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      return fail(dir, "run.json is not JSON");
    }
    if (typeof j.year !== "number" || !YEARS.includes(j.year)) fail(dir, `the run's year must be one of the pages' years ${YEARS.join(", ")}, got ${String(j.year)}`);
    if (j.scenario !== "reform") fail(dir, `the pages compare the reform with the baseline: run without --scenario (this run's scenario: ${String(j.scenario)})`);
    const known = new Set(cityIds());
    for (const c of j.cities ?? []) if (!known.has(c.city)) fail(dir, `city ${c.city} is not among the cities found (FUNDSIM_POLICIES)`);
    return { dir, year: j.year as number, data: typeof j.data === "string" ? j.data : null, cities: j.cities ?? [] };
  });
  const seen = new Set<string>();
  for (const r of runs) for (const c of r.cities) {
    const key = `${c.city} ${r.year}`;
    if (seen.has(key)) fail(r.dir, `${c.city} ${r.year} is in two of the runs given`);
    seen.add(key);
  }
  return runs;
}

const started = performance.now();
const runs = userRuns();
/** The run that gives a city-year, if any. */
const runOf = (city: string, year: number) => runs.find((r) => r.year === year && r.cities.some((c) => c.city === city));
const work = mkdtempSync(join(tmpdir(), "fundsim-results-"));
const claims: Record<string, Record<number, number>> = {};
try {
  for (const year of YEARS) {
    const simulated = cityIds().filter((c) => !runOf(c, year));
    for (const r of runs.filter((x) => x.year === year)) for (const c of r.cities) (claims[c.city] ??= {})[year] = Math.round((c.claims * PERSONS) / c.persons);
    if (simulated.length === 0) continue;
    const { results } = await runPipeline({
      cities: simulated,
      year,
      seed: SEED,
      persons: PERSONS,
      threads: 2,
      scenario: null,
      out: join(work, String(year)),
      csv: false,
    });
    for (const r of results) (claims[r.city] ??= {})[year] = r.claims;
  }

  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await db.connect();
  // One table across the years: a `year` column first, then the pipeline's columns (minus the
  // labels flows repeats on every row: `lines` carries them once).
  // `scaled`: the columns of money and counts, put on the pages' sample size for a user's run.
  const path = (dir: string, name: string) => `'${join(dir, `${name}.parquet`).replace(/'/g, "''")}'`;
  const read = async (name: string, select = "*", digits = 4, scaled: string[] = []): Promise<Columns> => {
    const parts: string[] = [];
    for (const y of YEARS) {
      const own = runs.filter((r) => r.year === y).flatMap((r) => r.cities.map((c) => ({ r, c })));
      if (cityIds().some((c) => !runOf(c, y))) {
        const mine = own.map(({ c }) => `'${c.city}'`);
        parts.push(`SELECT ${y} AS year, ${select} FROM read_parquet(${path(join(work, String(y)), name)})${mine.length ? ` WHERE city NOT IN (${mine.join(", ")})` : ""}`);
      }
      for (const { r, c } of own) {
        const f = PERSONS / c.persons;
        const cols = select.split(",").map((x) => x.trim()).map((col) => (scaled.includes(col) ? `${col} * ${f} AS ${col}` : col));
        parts.push(`SELECT ${y} AS year, ${cols.join(", ")} FROM read_parquet(${path(r.dir, name)}) WHERE city = '${c.city}'`);
      }
    }
    const union = parts.join(" UNION ALL ");
    const reader = await conn.runAndReadAll(union);
    const cols = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    const out: Columns = {};
    for (const [k, vs] of Object.entries(cols)) out[k] = vs.map((v) => clean(v, digits));
    return out;
  };
  const flows = await read("flows", "city, scheme, line, fen", 4, ["fen"]);
  const reserve = await read(
    "reserve",
    "city, scheme, opening_fen, income_fen, outflow_fen, closing_fen, months_opening, months_closing, nhsa_income_fen, nhsa_spending_fen, nhsa_months_opening, nhsa_months_closing",
    4,
    ["opening_fen", "income_fen", "outflow_fen", "closing_fen", "nhsa_income_fen", "nhsa_spending_fen"],
  );
  const breakdowns = await read(
    "breakdowns",
    "city, scheme, dimension, value, claims, amount_fen, eligible_fen, fund_fen, deductible_fen, account_fen, other_fund_fen, cash_fen",
    4,
    ["claims", "amount_fen", "eligible_fen", "fund_fen", "deductible_fen", "account_fen", "other_fund_fen", "cash_fen"],
  );
  const winners = await read("winners", "city, dimension, value, code, persons, mean_gain_yuan, share_gaining, share_losing, p10_yuan, p50_yuan, p90_yuan", 4, ["persons"]);
  const exclusions = await read("exclusions", "city, scheme, exclusion, kind, claims, amount_fen", 4, ["claims", "amount_fen"]);
  conn.closeSync();
  db.closeSync();

  const cities = cityIds().map((city) => {
    const { finance } = loadFinance(city);
    // Where the figures come from: simulated, or a user's run (its directory, its data, its persons).
    const own = YEARS.map((y) => ({ year: y, run: runOf(city, y) })).filter((x) => x.run);
    const source = own.length === 0 ? { kind: "simulated" } : {
      kind: "runs",
      runs: own.map(({ year, run }) => ({ year, dir: run!.dir, data: run!.data, persons: run!.cities.find((c) => c.city === city)!.persons })),
    };
    return { city, insured: finance.insured, persons: PERSONS, scale: finance.insured / PERSONS, claims: claims[city], source };
  });
  const baselineCards = Object.fromEntries(cityIds().map((city) => [city, policyCard(loadPolicy(city), "baseline", CARD_DATE)]));

  process.stdout.write(
    JSON.stringify({
      years: YEARS,
      persons: PERSONS,
      seed: SEED,
      cardDate: CARD_DATE,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      cities,
      lines: FLOW_LINES.map(([line, zh, en], ord) => ({ line, ord, zh, en })),
      flows,
      reserve,
      breakdowns,
      winners,
      exclusions,
      baselineCards,
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
