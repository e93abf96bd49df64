// `fundsim backtest`: the model over the years with published accounts (2021–2024) against them:
// per year and line model, published and the error, written as Parquet (and CSV) through the same
// output-directory rules as `run`; the method is in src/pipeline/backtest.ts.
import type { Command } from "commander";
import { InputError, printable } from "../loaders/read-input.ts";
import { showText, showValue } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import { writeAtomically } from "../pipeline/output-dir.ts";
import { checkOutput, MARKER, OutputError } from "../pipeline/output-target.ts";
import { BACKTEST_YEARS, type BacktestRow, DEFAULT_BACKTEST_PERSONS, runBacktest, writeBacktest } from "../pipeline/backtest.ts";
import { parseCities, positiveInt, UsageError } from "./options.ts";
import { CalibrationError } from "../loaders/calibration/schema.ts";

/** The readable table: one block per place, a line per row with a published figure or a model-only one. */
export function formatBacktest(rows: readonly BacktestRow[]): string {
  const out: string[] = [];
  const num = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? "" : x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d }));
  const places = [...new Set(rows.map((r) => r.place))];
  for (const place of places) {
    out.push(place === "national" ? "national composite against the NHSA bulletins (亿元 = 100m yuan)" : `${place} against the national figures and any stand-in city's (per insured: yuan)`);
    out.push(`${"year".padEnd(5)} ${"rules".padEnd(9)}${"line".padEnd(36)}${"vs".padEnd(9)}${"model".padStart(12)}${"published".padStart(12)}${"error %".padStart(9)}  fit`);
    for (const r of rows.filter((x) => x.place === place)) {
      out.push(`${String(r.year).padEnd(5)} ${r.rules.padEnd(9)}${`${r.line} (${r.unit})`.padEnd(36)}${r.compared_with.padEnd(9)}${num(r.model).padStart(12)}${num(r.published).padStart(12)}${num(r.error_pct).padStart(9)}  ${r.fit}`);
    }
    out.push("");
  }
  return out.join("\n");
}

export function register(program: Command): void {
  program
    .command("backtest")
    .description(`run the model over ${BACKTEST_YEARS[0]}–${BACKTEST_YEARS[BACKTEST_YEARS.length - 1]} and compare it with the published accounts (Parquet)`)
    .requiredOption("--city <city>", `a city id (a policy file's name in src/policies or a --policies directory), a comma-separated list, or "all" (the national composite is over those given that are calibrated to the national accounts)`)
    .option("--persons <n>", "insured persons simulated per city-year", String(DEFAULT_BACKTEST_PERSONS))
    .option("--seed <n>", "random seed", "1")
    .option("--csv", "also write the table as CSV")
    .requiredOption("--out <dir>", "output directory: a new one, or a previous output of fundsim backtest (its files are replaced)")
    .option("--force", "write into an existing directory that is not a previous output of fundsim backtest (nothing else in it is removed)")
    .addHelpText(
      "after",
      `
Writes backtest.parquet (and backtest.csv): per place, year and line the model's value, the published
one, the difference and the error in %, whether the line is calibrated (matched by construction), an
input, or out of sample, the published figure's rating and source, and where the opening reserve came
from. The published accounts are src/loaders/published/accounts.yaml: national, and two cities that
stand in for Neijiang and Ganzhou in 2023 (no accounts of the five cities were found), so each city is
compared with the national figures on scale-free lines. The output directory gets a marker file,
${MARKER}, as with fundsim run.`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      try {
        const cities = parseCities(String(opts.city));
        const persons = positiveInt("--persons", 10_000_000)(String(opts.persons));
        if (!/^\d+$/.test(String(opts.seed)) || Number(opts.seed) > 0xffffffff) throw new UsageError(`--seed: must be a whole number from 0 to 4294967295, got ${showValue(opts.seed)}`);
        const out = checkOutput(String(opts.out), { command: "backtest", force: Boolean(opts.force) });
        const t0 = performance.now();
        const { rows, files } = await writeAtomically(out, async (tmp) => {
          const r = runBacktest({
            cities, persons, seed: Number(opts.seed),
            onCityYear: (c) => process.stderr.write(`${c.city} ${c.year} (${c.rules}): ${((performance.now() - t0) / 1000).toFixed(1)} s\n`),
          });
          return { rows: r.rows, files: await writeBacktest(r.rows, tmp, Boolean(opts.csv)) };
        });
        process.stdout.write(formatBacktest(rows));
        process.stdout.write(`${persons} persons per city-year, seed ${opts.seed}; fit: calibrated = matched by construction, input = a model input, out_of_sample = a test\n`);
        process.stdout.write(`wrote ${files.length} file${files.length === 1 ? "" : "s"} to ${showText(String(opts.out), 200)}: ${files.join(", ")}\n`);
      } catch (e) {
        if (e instanceof UsageError || e instanceof PolicyError || e instanceof OutputError || e instanceof InputError || e instanceof CalibrationError) {
          process.stderr.write(printable(`fundsim backtest: ${e.message}`));
          process.exitCode = 2;
        } else throw e;
      }
    });
}
