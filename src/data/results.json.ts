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
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { policyCard } from "../model/card.ts";
import { cityIds } from "../loaders/cities.ts";
import { runPipeline } from "../pipeline/run.ts";
import { FLOW_LINES } from "../pipeline/summaries.ts";

/** The simulated years (the latest is the pages' default). */
const YEARS = [2023, 2024];
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

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), "fundsim-results-"));
const claims: Record<string, Record<number, number>> = {};
try {
  for (const year of YEARS) {
    const { results } = await runPipeline({
      cities: cityIds(),
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
  const read = async (name: string, select = "*", digits = 4): Promise<Columns> => {
    const union = YEARS.map((y) => `SELECT ${y} AS year, ${select} FROM read_parquet('${join(work, String(y), `${name}.parquet`).replace(/'/g, "''")}')`).join(" UNION ALL ");
    const reader = await conn.runAndReadAll(union);
    const cols = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    const out: Columns = {};
    for (const [k, vs] of Object.entries(cols)) out[k] = vs.map((v) => clean(v, digits));
    return out;
  };
  const flows = await read("flows", "city, scheme, line, fen");
  const reserve = await read("reserve", "city, scheme, opening_fen, income_fen, outflow_fen, closing_fen, months_opening, months_closing, nhsa_income_fen, nhsa_spending_fen, nhsa_months_opening, nhsa_months_closing");
  const breakdowns = await read(
    "breakdowns",
    "city, scheme, dimension, value, claims, amount_fen, eligible_fen, fund_fen, deductible_fen, account_fen, other_fund_fen, cash_fen",
  );
  const winners = await read("winners", "city, dimension, value, code, persons, mean_gain_yuan, share_gaining, share_losing, p10_yuan, p50_yuan, p90_yuan", 4);
  const exclusions = await read("exclusions", "city, scheme, exclusion, kind, claims, amount_fen");
  conn.closeSync();
  db.closeSync();

  const cities = cityIds().map((city) => {
    const { finance } = loadFinance(city);
    return { city, insured: finance.insured, persons: PERSONS, scale: finance.insured / PERSONS, claims: claims[city] };
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
