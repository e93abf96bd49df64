// `fundsim run`: the whole pipeline for one city or all five — generate, adjudicate under the
// scenario and the baseline, aggregate in DuckDB, write the summaries.
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { fileDisplayName, loadScenarioFile } from "../loaders/policies.ts";
import { InputError, printable } from "../loaders/read-input.ts";
import { showText, showValue } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import type { Scenario } from "../model/policy-schema.ts";
import { CITIES } from "../model/types.ts";
import { checkOutput, MARKER, OutputError } from "../pipeline/output-dir.ts";
import { runPipeline } from "../pipeline/run.ts";
import { parseCities, positiveInt, UsageError } from "./options.ts";

export function register(program: Command): void {
  program
    .command("run")
    .description("simulate city-years under a scenario and the baseline and write the fund summaries (Parquet)")
    .requiredOption("--city <city>", `one of ${CITIES.join(", ")}, a comma-separated list, or "all"`)
    .option("--scenario <file>", "a scenario file (YAML or JSON); default: the city's reform")
    .option("--persons <n>", "insured persons simulated per city", "100000")
    .option("--year <year>", "the calendar year", "2023")
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
is at most 4 MiB (FUNDSIM_MAX_INPUT_BYTES sets another limit).`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      try {
        const cities = parseCities(String(opts.city));
        const persons = positiveInt("--persons", 50_000_000)(String(opts.persons));
        const year = Number(opts.year);
        if (!/^\d{4}$/.test(String(opts.year)) || year < 2023 || year > 2027) throw new UsageError(`--year: must be a year the rules cover (2023–2027), got ${showValue(opts.year)}`);
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
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: " {city} |{bar}| {value}/{total} persons | {duration}s", hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        let current = "";
        const { results, files, headline } = await runPipeline({
          cities, year, seed: Number(opts.seed), persons, threads, chunkSize, scenario, scenarioSource: opts.scenario ? fileDisplayName(String(opts.scenario)) : undefined,
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
        process.stdout.write(`${showText(scenario?.name ?? "reform")} vs baseline, ${year}, city totals (万元 = 10,000 yuan)\n`);
        process.stdout.write(`On NHSA's bulletin basis (统计公报口径: retiree credits are account income): pooled income, spending, current surplus, months of reserve at year end (累计结存可支付月数)\n`);
        process.stdout.write(`${"city".padEnd(10)}${"Δ income".padStart(12)}${"Δ spending".padStart(12)}${"Δ surplus".padStart(12)}${"months b".padStart(9)}${"months r".padStart(9)}\n`);
        for (const h of headline) process.stdout.write(`${h.city.padEnd(10)}${w(h.nhsa_income_wan)}${w(h.nhsa_spending_wan)}${w(h.net_wan)} ${m(h.nhsa_months_baseline)} ${m(h.nhsa_months_reform)}\n`);
        process.stdout.write(`The model's economic view (retiree credits as pooled outflow): pooled income, outflow, net, months of pooled outflow\n`);
        process.stdout.write(`${"city".padEnd(10)}${"Δ income".padStart(12)}${"Δ outflow".padStart(12)}${"Δ net".padStart(12)}${"months b".padStart(9)}${"months r".padStart(9)}\n`);
        for (const h of headline) process.stdout.write(`${h.city.padEnd(10)}${w(h.income_wan)}${w(h.outflow_wan)}${w(h.net_wan)} ${m(h.months_baseline)} ${m(h.months_reform)}\n`);
        process.stdout.write(`wrote ${files.length} files to ${showText(String(opts.out), 200)}: ${files.join(", ")}\n`);
      } catch (e) {
        if (e instanceof UsageError || e instanceof PolicyError || e instanceof OutputError || e instanceof InputError) {
          process.stderr.write(printable(`fundsim run: ${e.message}`));
          process.exitCode = 2;
        } else throw e;
      }
    });
}
