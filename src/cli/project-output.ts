// The files `fundsim project` writes into its output's temporary directory: each table
// (projection, projection_flows, assumptions, and with --draws tornado, variance, draws) as Parquet
// (through DuckDB) and CSV, the goal-seek's scenario (goal-seek-scenario.yaml), and projection.json
// with the run's settings and headline results. src/pipeline/output-dir.ts then puts them into place.
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { DuckDBInstance } from "@duckdb/node-api";
import type { loadAssumptions } from "../loaders/assumptions.ts";
import { showText } from "../model/limits.ts";
import { LEVERS } from "../model/projection/goal-seek.ts";
import type { DrawsResult, VarianceDecomposition } from "../model/projection/monte-carlo.ts";
import type { SchemeProjection } from "../model/projection/project.ts";
import { flowLine } from "../model/projection/rows.ts";
import { lit } from "../pipeline/duckdb.ts";
import { FLOW_LINES } from "../pipeline/summaries.ts";
import type { ProjectOptions, ProjectResult } from "./project-options.ts";
import type { SeedSpread } from "./project-seeds.ts";

/** Fen as 万元, the unit of the tables and of the printed summary. */
export const wan = (fen: number) => fen / 100 / 10_000;

type Cell = string | number | null;
const csvCell = (v: Cell) => (v === null || (typeof v === "number" && !Number.isFinite(v)) ? "" : typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes the tables, the goal-seek scenario and projection.json into `tmp`; returns their names. */
export async function writeOutputs(
  tmp: string,
  o: ProjectOptions,
  r: { schemes: SchemeProjection[]; draws: DrawsResult | null; drawsSeconds: number | null; variance: VarianceDecomposition | null; tornado: ProjectResult["tornado"]; seek: ProjectResult["goalSeek"]; spread: SeedSpread | null; rows: ReturnType<typeof loadAssumptions>["rows"]; prices: Record<string, [number, number]> },
  t0: number,
): Promise<string[]> {
  const tables: Record<string, { columns: string[]; types: string[]; rows: Cell[][] }> = {};
  const lines = FLOW_LINES.map(([k]) => k);
  // projection: one row per year and scheme; the scenario's rows carry the Monte Carlo bands.
  const bandCols = ["balance_p5_wan", "balance_p50_wan", "balance_p95_wan", "months_p5", "months_p50", "months_p95", "share_exhausted", "share_low"];
  const pcols = ["city", "year", "t", "scheme", "role", "active", "retired", "flexible", "insured", "support_ratio",
    ...lines.map((k) => k.replace(/_fen$/, "_wan")), "reserve_opening_wan", "reserve_closing_wan", "months_of_reserve", "flag", "first_deficit_year", "first_exhausted_year", ...bandCols];
  const ptypes = pcols.map((c) => (["city", "scheme", "role", "flag"].includes(c) ? "VARCHAR" : ["year", "t", "first_deficit_year", "first_exhausted_year"].includes(c) ? "INTEGER" : "DOUBLE"));
  const prow: Cell[][] = [];
  r.schemes.forEach((s, si) =>
    s.years.forEach((y, t) => {
      const b = si === 0 && r.draws ? r.draws.bands[t] : null;
      prow.push([
        o.city, y.year, y.t, s.scheme, si === 0 ? "scenario" : "baseline", y.active, y.retired, y.flexible, y.insured, y.supportRatio,
        ...lines.map((k) => wan(flowLine(y.flows, k))), wan(y.reserveOpeningFen), wan(y.reserveClosingFen), y.monthsOfReserve, y.flag,
        s.firstDeficitYear, s.firstExhaustedYear,
        ...(b ? [wan(b.balanceP5Fen), wan(b.balanceP50Fen), wan(b.balanceP95Fen), b.monthsP5, b.monthsP50, b.monthsP95, b.shareExhausted, b.shareLow] : bandCols.map(() => null)),
      ]);
    }),
  );
  tables.projection = { columns: pcols, types: ptypes, rows: prow };
  // flow lines, long, with their labels (as the run's flows table).
  tables.projection_flows = {
    columns: ["city", "year", "scheme", "role", "ord", "line", "label_zh", "label_en", "city_wan"],
    types: ["VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE"],
    rows: r.schemes.flatMap((s, si) => s.years.flatMap((y) => FLOW_LINES.map(([k, zh, en], i) => [o.city, y.year, s.scheme, si === 0 ? "scenario" : "baseline", i, k, zh, en, wan(flowLine(y.flows, k))] as Cell[]))),
  };
  tables.assumptions = {
    columns: ["city", "key", "value", "dist", "source", "rating", "note", "city_override", "file_override"],
    types: ["VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN", "BOOLEAN"],
    rows: r.rows.map((x) => [o.city, x.key, x.value, x.dist ? JSON.stringify(x.dist) : null, x.source, x.rating, x.note ?? null, x.city ? "true" : "false", x.file ? "true" : "false"]),
  };
  if (r.tornado) {
    tables.tornado = {
      columns: ["city", "rank", "parameter", "low", "high", "months_at_low", "months_at_high", "balance_at_low_wan", "balance_at_high_wan", "swing_months", "central_months", "year"],
      types: ["VARCHAR", "INTEGER", "VARCHAR", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "INTEGER"],
      rows: r.tornado.bars.map((b, i) => [o.city, i + 1, b.key, b.low, b.high, b.monthsAtLow, b.monthsAtHigh, wan(b.balanceAtLowFen), wan(b.balanceAtHighFen), b.swing, r.tornado!.central.months, o.baseYear + o.years - 1]),
    };
  }
  if (r.variance) {
    tables.variance = {
      columns: ["city", "year", "source", "variance_alone", "share", "variance_all", "sum_alone"],
      types: ["VARCHAR", "INTEGER", "VARCHAR", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE"],
      rows: r.variance.shares.map((x) => [o.city, r.variance!.year, x.source, x.variance, x.share, r.variance!.total, r.variance!.sumAlone]),
    };
  }
  if (r.draws) {
    const keys = Object.keys(r.draws.draws[0]?.params ?? {});
    tables.draws = {
      columns: ["draw", "sample", "balance_wan", "months", "first_exhausted_year", ...keys],
      types: ["INTEGER", "INTEGER", "DOUBLE", "DOUBLE", "INTEGER", ...keys.map(() => "DOUBLE")],
      rows: r.draws.draws.map((d) => [d.draw, d.sample, wan(d.balanceFen), d.months, d.firstExhaustedYear, ...keys.map((k) => (d.params as unknown as Record<string, number>)[k])]),
    };
  }
  const files: string[] = [];
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await db.connect();
  try {
    for (const [name, t] of Object.entries(tables)) {
      const csv = join(tmp, `${name}.csv`);
      writeFileSync(csv, [t.columns.join(","), ...t.rows.map((row) => row.map(csvCell).join(","))].join("\n") + "\n");
      const cols = `{${t.columns.map((c, i) => `${lit(c)}: ${lit(t.types[i])}`).join(", ")}}`;
      await conn.run(`COPY (SELECT * FROM read_csv(${lit(csv)}, header = true, columns = ${cols})) TO ${lit(join(tmp, `${name}.parquet`))} (FORMAT parquet)`);
      files.push(`${name}.parquet`, `${name}.csv`);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  if (r.seek?.scenario) {
    writeFileSync(
      join(tmp, "goal-seek-scenario.yaml"),
      `# fundsim project --goal-seek ${r.seek.lever}: months of reserve in ${r.seek.year} ≥ ${r.seek.target}` +
        `${o.bandTarget ? ` at the band's ${o.bandTarget.kind === "percentile" ? `${o.bandTarget.level}th percentile` : `${o.bandTarget.level} quantile (P(months < ${r.seek.target}) ≤ ${o.bandTarget.level})`}` : ""}` +
        ` (achieved ${r.seek.achieved.toFixed(2)})` +
        `${o.assumptionsFile ? `, with the assumptions of ${showText(o.assumptionsFile, 200)}` : ""}.\n` + // one comment line, whatever the path holds
        stringify(r.seek.scenario),
    );
    files.push("goal-seek-scenario.yaml");
  }
  const meta = {
    city: o.city, scenario: r.schemes[0].scheme, baseYear: o.baseYear, years: o.years, persons: o.persons, seed: o.seed, assumptionsFile: o.assumptionsFile ?? null,
    draws: o.draws, samples: o.draws ? o.samples : 0, uncertainty: o.draws ? (r.draws?.sources ?? null) : null,
    varianceDecomposition: r.variance, drawsSeconds: r.drawsSeconds, threads: o.draws ? (o.threads ?? availableParallelism()) : null, samplePersons: o.draws ? o.samplePersons : 0,
    rulesAfterPeriod: "the last rules in force stay in force after a scheme's period ends",
    seeds: o.seeds ?? 1,
    // The seed-to-seed spread of the last year's months (--seeds): per scheme, each seed's months, their mean and sample SD.
    seedSpread: r.spread,
    outpatientPrice: r.prices,
    firstDeficitYear: Object.fromEntries(r.schemes.map((s) => [s.scheme, s.firstDeficitYear])),
    firstExhaustedYear: Object.fromEntries(r.schemes.map((s) => [s.scheme, s.firstExhaustedYear])),
    goalSeek: r.seek
      ? {
          lever: r.seek.lever, path: LEVERS[r.seek.lever].path, unit: LEVERS[r.seek.lever].unit, target: r.seek.target, band: o.bandTarget ?? null, year: r.seek.year, lo: r.seek.lo, hi: r.seek.hi,
          value: r.seek.value, achieved: r.seek.achieved, wholeRange: r.seek.wholeRange, evaluations: r.seek.evaluations,
        }
      : null,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(tmp, "projection.json"), JSON.stringify(meta, null, 2) + "\n");
  files.push("projection.json");
  return files;
}
