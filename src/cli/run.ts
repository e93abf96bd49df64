// `fundsim run`: the whole pipeline for one city or all five — generate, adjudicate under the
// scenario and the baseline, aggregate in DuckDB, write the summaries.
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { loadFinance } from "../loaders/finance.ts";
import { fileDisplayName, loadScenarioFile } from "../loaders/policies.ts";
import { formatTable, Microdata, MicrodataError } from "../loaders/microdata.ts";
import { InputError, printable } from "../loaders/read-input.ts";
import { showText, showValue } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import type { Scenario } from "../model/policy-schema.ts";
import { checkOutput, MARKER, OutputError } from "../pipeline/output-target.ts";
import { runPipeline } from "../pipeline/run.ts";
import { addCityFileOptions, applyCityFiles, parseCities, positiveInt, UsageError } from "./options.ts";

/** The years the rules cover. */
const FIRST_YEAR = 2023;
const LAST_YEAR = 2027;

export function register(program: Command): void {
  addCityFileOptions(program.command("run"), ["calibration", "finance"])
    .description("simulate city-years under a scenario and the baseline and write the fund summaries (Parquet)")
    .requiredOption("--city <city>", "a city id (a policy file's name in src/policies or a --policies directory), a comma-separated list, or \"all\"")
    .option("--scenario <file>", "a scenario file (YAML or JSON); default: the city's reform")
    .option("--persons <n>", "insured persons simulated per city (default 100000; not with --data)")
    .option("--data <dir>", "a bureau's own insured persons and claims (DIR/persons and DIR/claims, .parquet or .csv; see below and docs/data.md) instead of generated ones")
    .option("--year <year>", "the calendar year (default 2023; with --data, the claims' year)")
    .option("--seed <n>", "random seed", "1")
    .option("--threads <n>", "worker threads", "2")
    .option("--chunk <n>", "persons per chunk", "65536")
    .option("--csv", "also write each summary as CSV")
    .requiredOption("--out <dir>", "output directory: a new one, or a previous output of fundsim run (its files are replaced)")
    .option("--force", "write into an existing directory that is not a previous output of fundsim run (nothing else in it is removed)")
    .addHelpText(
      "after",
      `
The output directory gets the summaries and a marker file, ${MARKER}, listing them. An existing
directory without fundsim run's marker is refused unless --force; never used: the current directory
or its parents, the home directory, a git work tree's root, fundsim's own directory. A scenario file
is at most 4 MiB (FUNDSIM_MAX_INPUT_BYTES sets another limit).

--data DIR: the persons and claims of one city's bureau, in the columns fundsim simulate writes
(docs/data.md; read with DuckDB; integers of any type or as text, codes also as their labels,
fen = 1/100 yuan; extra columns are ignored). Everything is checked first: each problem names the
file, the column and the row (rows counted from 1), the first 20 then a count, exit 2, nothing
written. Claims need not be sorted: each person's are taken in date order, ties in file order.
The rest is the city's: its rules, and its finance (contribution rates, collection, the
reconciliation line, the opening reserve, and the insured count the city totals are scaled to,
insured ÷ the data's persons); --seed is unused.
${formatTable()}`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      let data: Microdata | undefined;
      try {
        const cities = parseCities(String(opts.city));
        applyCityFiles(opts, cities);
        if (opts.data !== undefined && opts.persons !== undefined) throw new UsageError("--persons: not with --data (the data's persons are the population)");
        if (opts.data !== undefined && cities.length !== 1) throw new UsageError(`--data: the data are one city's; give one --city, got ${cities.length}`);
        const persons = positiveInt("--persons", 50_000_000)(String(opts.persons ?? "100000"));
        // With --data and no --year, the year is the claims' (src/loaders/microdata.ts).
        const yearText = opts.year ?? (opts.data === undefined ? "2023" : undefined);
        const year = Number(yearText);
        if (yearText !== undefined && (!/^\d{4}$/.test(String(yearText)) || year < FIRST_YEAR || year > LAST_YEAR)) throw new UsageError(`--year: must be a year the rules cover (${FIRST_YEAR}–${LAST_YEAR}), got ${showValue(yearText)}`);
        if (!/^\d+$/.test(String(opts.seed)) || Number(opts.seed) > 0xffffffff) throw new UsageError(`--seed: must be a whole number from 0 to 4294967295, got ${showValue(opts.seed)}`);
        const threads = positiveInt("--threads", 64)(String(opts.threads));
        const chunkSize = positiveInt("--chunk", 1_048_576)(String(opts.chunk));
        // Where the output goes, checked before any work: a refused --out costs nothing.
        const out = checkOutput(String(opts.out), { command: "run", force: Boolean(opts.force) });
        let scenario: Scenario | null = null;
        if (opts.scenario) {
          scenario = loadScenarioFile(String(opts.scenario));
          if (scenario.city && !cities.every((c) => c === scenario!.city)) throw new UsageError(`--scenario: the scenario is for ${scenario.city}; run it with --city ${scenario.city}`);
        }
        // The bureau's data, checked whole before any output is made.
        data = opts.data === undefined ? undefined : await Microdata.open(String(opts.data), yearText === undefined ? undefined : year, { min: FIRST_YEAR, max: LAST_YEAR });
        const runYear = data?.year ?? year;
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: " {city} |{bar}| {value}/{total} persons | {duration}s", hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        let current = "";
        const { results, files, headline } = await runPipeline({
          cities, year: runYear, seed: Number(opts.seed), persons, data: data && { persons: data.persons, dir: showText(data.dir, 200), read: (first, count) => data!.read(first, count) }, threads, chunkSize, scenario, scenarioSource: opts.scenario ? fileDisplayName(String(opts.scenario)) : undefined,
          out, csv: Boolean(opts.csv),
          onProgress: (city, done, total) => {
            if (!bar) return;
            if (city !== current) {
              if (current) bar.stop();
              current = city;
              bar.start(total, 0, { city: city.padEnd(8) });
            }
            bar.update(done, { city: city.padEnd(8) });
          },
        });
        bar?.stop();
        for (const r of results) process.stderr.write(`${r.city}: ${r.persons} persons, ${r.claims} claims, ${r.seconds.toFixed(1)} s\n`);
        const w = (x: number) => x.toLocaleString("zh-CN", { maximumFractionDigits: 0 }).padStart(12);
        const m = (x: number) => x.toFixed(1).padStart(8);
        process.stdout.write(`${showText(scenario?.name ?? "reform")} vs baseline, ${runYear}, city totals (万元 = 10,000 yuan)\n`);
        process.stdout.write(`On NHSA's bulletin basis (统计公报口径: retiree credits are account income): pooled income, spending, current surplus, months of reserve at year end (累计结存可支付月数)\n`);
        process.stdout.write(`${"city".padEnd(10)}${"Δ income".padStart(12)}${"Δ spending".padStart(12)}${"Δ surplus".padStart(12)}${"months b".padStart(9)}${"months r".padStart(9)}\n`);
        for (const h of headline) process.stdout.write(`${h.city.padEnd(10)}${w(h.nhsa_income_wan)}${w(h.nhsa_spending_wan)}${w(h.net_wan)} ${m(h.nhsa_months_baseline)} ${m(h.nhsa_months_reform)}\n`);
        process.stdout.write(`The model's economic view (retiree credits as pooled outflow): pooled income, outflow, net, months of pooled outflow\n`);
        process.stdout.write(`${"city".padEnd(10)}${"Δ income".padStart(12)}${"Δ outflow".padStart(12)}${"Δ net".padStart(12)}${"months b".padStart(9)}${"months r".padStart(9)}\n`);
        for (const h of headline) process.stdout.write(`${h.city.padEnd(10)}${w(h.income_wan)}${w(h.outflow_wan)}${w(h.net_wan)} ${m(h.months_baseline)} ${m(h.months_reform)}\n`);
        // Where the fund's level comes from: the one reconciliation line and the accounts it meets.
        process.stdout.write(`Reconciliation line (the same in both schemes; see the methods page): the share of contributions that makes the reform's published year meet the published accounts\n`);
        for (const city of cities) {
          const r = loadFinance(city).reconciliation;
          const p = r.published;
          process.stdout.write(`${city.padEnd(10)}${`${(r.share * 100).toFixed(1)}%`.padStart(8)} of contributions; ${p.name} ${p.year} (${p.level}, ${p.basis === "pooled" ? "pooled fund" : "pooled + accounts"}): surplus ${(r.target.surplusRate * 100).toFixed(1)}% of income, the parts alone ${(r.surplusRateWithout * 100).toFixed(1)}%\n`);
        }
        process.stdout.write(`wrote ${files.length} files to ${showText(String(opts.out), 200)}: ${files.join(", ")}\n`);
      } catch (e) {
        if (e instanceof UsageError || e instanceof PolicyError || e instanceof OutputError || e instanceof InputError || e instanceof MicrodataError) {
          process.stderr.write(printable(`fundsim run: ${e.message}`));
          process.exitCode = 2;
        } else throw e;
      } finally {
        data?.close();
      }
    });
}
