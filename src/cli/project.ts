// `fundsim project`: the multi-year projection of a city's pooled fund (issue 7) — deterministic
// for the scenario and the baseline, Monte Carlo bands and a tornado with --draws, goal-seek of a
// scheme parameter with --goal-seek, one's own assumptions with --assumptions (the file the
// projection page saves). Writes Parquet and CSV into --out with its marker file (src/pipeline/output-dir.ts).
// This file is the command: its options and their checks, and the summary it prints; the run is
// src/cli/project-run.ts, the files it writes src/cli/project-output.ts.
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { checkOutput, MARKER, OutputError } from "../pipeline/output-target.ts";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { fileDisplayName, loadScenarioFile } from "../loaders/policies.ts";
import { InputError, printable } from "../loaders/read-input.ts";
import { showText, showValue } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import type { Scenario } from "../model/policy-schema.ts";
import { LEVER_IDS, LEVERS, type LeverId } from "../model/projection/goal-seek.ts";
import { UNCERTAINTY_SOURCES, type UncertaintySource } from "../model/projection/params.ts";
import { type CityId } from "../model/types.ts";
import { cityIds, unknownCityMessage } from "../loaders/cities.ts";
import { addCityFileOptions, applyCityFiles, positiveInt, UsageError } from "./options.ts";
import type { ProjectOptions, ProjectResult } from "./project-options.ts";
import { wan } from "./project-output.ts";
import { runProjection } from "./project-run.ts";

export function register(program: Command): void {
  addCityFileOptions(program.command("project"), ["calibration", "finance"])
    .description("project a city's pooled fund over several years (scenario and baseline), with Monte Carlo bands, a tornado and goal-seek")
    .requiredOption("--city <city>", "a city id (a policy file's name in src/policies or a --policies directory)")
    .option("--scenario <file>", "a scenario file (YAML or JSON); default: the city's reform")
    .option("--years <n>", "years projected, the base year included", "10")
    .option("--year <year>", "the simulated base year", "2023")
    .option("--persons <n>", "persons in the reference sample (default: the city's referencePersons in src/loaders/assumptions: 20 000, Neijiang 40 000 — sizes at which five seeds' last-year months lie within ±1 month)")
    .option("--draws <n>", "Monte Carlo draws (0: none)", "0")
    .option("--samples <n>", "population draws for the Monte Carlo (samples from other seeds)", "10")
    .option("--sample-persons <n>", "persons in each population draw", "1000")
    .option("--seed <n>", "random seed", "1")
    .option("--seeds <n>", "repeat the central projection on the reference samples of seeds --seed … --seed + n − 1 and print the mean and the seed-to-seed SD of the last year's months of reserve", "1")
    .option("--assumptions <file>", "an assumptions file (YAML or JSON) whose entries replace the city's (e.g. the one the projection page saves)")
    .option("--goal-seek <lever>", `find the value of ${LEVER_IDS.join(", ")} that keeps the months of reserve in --target-year ≥ --target`)
    .option("--target <months>", "months of reserve to keep (goal-seek)", "6")
    .option("--target-year <year>", "goal-seek: the year whose months of reserve must meet the target (default: the last year projected)")
    .option("--target-percentile <p>", "goal-seek on the band: the p-th percentile (0–100, exclusive) of the months in --target-year must reach --target (draws: --draws, default 200)")
    .option("--target-probability <p>", "goal-seek on the band: the chance (0–1, exclusive) that the months in --target-year fall below --target must be at most p")
    .option("--threads <n>", "threads for the Monte Carlo draws (default: the machine's cores)")
    .option("--uncertainty <sources>", `the sources of uncertainty in the band, comma-separated: ${UNCERTAINTY_SOURCES.join(", ")} (default all)`)
    .option("--lo <x>", "goal-seek: lower end of the search (default per lever)")
    .option("--hi <x>", "goal-seek: upper end of the search (default per lever)")
    .requiredOption("--out <dir>", "output directory: a new one, or a previous output of fundsim project (its files are replaced)")
    .option("--force", "write into an existing directory that is not a previous output of fundsim project (nothing else in it is removed)")
    .addHelpText(
      "after",
      `
The output directory gets the tables and a marker file, ${MARKER}, listing them. An existing
directory without fundsim project's marker is refused unless --force; never used: the current
directory or its parents, the home directory, a git work tree's root, fundsim's own directory.
Scenario and assumptions files are at most 4 MiB (FUNDSIM_MAX_INPUT_BYTES sets another limit).`,
    )
    .action(async (opts: Record<string, string | undefined>) => {
      try {
        const city = String(opts.city);
        if (!cityIds().includes(city)) throw new UsageError(unknownCityMessage(city, "--city"));
        applyCityFiles(opts, [city]);
        const years = positiveInt("--years", 50)(String(opts.years));
        const baseYear = Number(opts.year);
        if (!/^\d{4}$/.test(String(opts.year)) || baseYear < 2023 || baseYear > 2027) throw new UsageError(`--year: must be a year the rules cover (2023–2027), got ${showValue(opts.year)}`);
        const persons = opts.persons === undefined ? loadAssumptions(city as CityId).referencePersons : positiveInt("--persons", 5_000_000)(String(opts.persons));
        const draws = /^0$/.test(String(opts.draws)) ? 0 : positiveInt("--draws", 1_000_000)(String(opts.draws));
        const samples = positiveInt("--samples", 1000)(String(opts.samples));
        const samplePersons = positiveInt("--sample-persons", 1_000_000)(String(opts.samplePersons));
        const seeds = positiveInt("--seeds", 1000)(String(opts.seeds));
        if (!/^\d+$/.test(String(opts.seed)) || Number(opts.seed) > 0xffffffff - 1001) throw new UsageError(`--seed: must be a whole number from 0 to 4294966294, got ${showValue(opts.seed)}`);
        const num = (name: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!/^-?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new UsageError(`${name}: must be a number, got ${showValue(v)}`);
          return n;
        };
        let goal: ProjectOptions["goalSeek"];
        if (opts.goalSeek !== undefined) {
          if (!(LEVER_IDS as string[]).includes(opts.goalSeek)) throw new UsageError(`--goal-seek: must be one of ${LEVER_IDS.join(", ")}, got ${showValue(opts.goalSeek)}`);
          const lever = opts.goalSeek as LeverId;
          goal = { lever, target: num("--target", opts.target)!, year: num("--target-year", opts.targetYear), lo: num("--lo", opts.lo), hi: num("--hi", opts.hi) };
          const lo = goal.lo ?? LEVERS[lever].lo, hi = goal.hi ?? LEVERS[lever].hi;
          if (lo >= hi) throw new UsageError(`--lo must be below --hi (the ${lever} lever's range is ${LEVERS[lever].lo}–${LEVERS[lever].hi} by default)`);
          const L = LEVERS[lever];
          if (lo < L.min || hi > L.max) throw new UsageError(`--lo/--hi: the ${lever} lever's range must lie within ${L.min} to ${L.max} (${L.unit}), got ${lo}–${hi}`);
          const last = baseYear + years - 1;
          if (goal.year !== undefined && !(Number.isInteger(goal.year) && goal.year >= baseYear && goal.year <= last)) {
            throw new UsageError(`--target-year: must be a year projected, ${baseYear}–${last}, got ${showValue(opts.targetYear)}`);
          }
        } else if (opts.targetYear !== undefined) {
          throw new UsageError("--target-year: goes with --goal-seek");
        }
        let bandTarget: ProjectOptions["bandTarget"];
        if (opts.targetPercentile !== undefined && opts.targetProbability !== undefined) throw new UsageError("--target-percentile: give it or --target-probability, not both");
        if (opts.targetPercentile !== undefined || opts.targetProbability !== undefined) {
          const pct = opts.targetPercentile !== undefined;
          const flag = pct ? "--target-percentile" : "--target-probability";
          if (!goal) throw new UsageError(`${flag}: goes with --goal-seek`);
          const level = num(flag, pct ? opts.targetPercentile : opts.targetProbability)!;
          if (!(pct ? level > 0 && level < 100 : level > 0 && level < 1)) throw new UsageError(`${flag}: must lie strictly between ${pct ? "0 and 100" : "0 and 1"}, got ${showValue(pct ? opts.targetPercentile : opts.targetProbability)}`);
          bandTarget = { kind: pct ? "percentile" : "probability", level };
        }
        const threads = opts.threads === undefined ? undefined : positiveInt("--threads", 64)(String(opts.threads));
        let sources: UncertaintySource[] | undefined;
        if (opts.uncertainty !== undefined) {
          const list = String(opts.uncertainty).split(",").map((x) => x.trim()).filter(Boolean);
          const bad = list.find((x) => !(UNCERTAINTY_SOURCES as readonly string[]).includes(x));
          if (bad !== undefined || list.length === 0) throw new UsageError(`--uncertainty: a comma-separated list of ${UNCERTAINTY_SOURCES.join(", ")}, got ${showValue(opts.uncertainty)}`);
          sources = [...new Set(list)] as UncertaintySource[];
        }
        // Where the output goes, checked before any work: a refused --out costs nothing.
        const out = checkOutput(String(opts.out), { command: "project", force: Boolean(opts.force) });
        let scenario: Scenario | null = null;
        if (opts.scenario) {
          scenario = loadScenarioFile(String(opts.scenario));
          if (scenario.city && scenario.city !== city) throw new UsageError(`--scenario: the scenario is for ${scenario.city}; run it with --city ${scenario.city}`);
        }
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: " {stage} |{bar}| {value}/{total} | {duration}s", hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        let current = "";
        const r = await runProjection({
          city: city as CityId, scenario, scenarioSource: opts.scenario ? fileDisplayName(opts.scenario) : undefined, baseYear, years, persons, draws, samples, samplePersons, seed: Number(opts.seed), seeds,
          assumptionsFile: opts.assumptions, goalSeek: goal, bandTarget, sources, threads, out,
          onProgress: (stage, done, total) => {
            if (!bar) return;
            if (stage !== current) {
              if (current) bar.stop();
              current = stage;
              bar.start(total, 0, { stage: stage.padEnd(10) });
            }
            bar.setTotal(Math.max(total, done));
            bar.update(done, { stage: stage.padEnd(10) });
          },
        });
        bar?.stop();
        printSummary({ ...r, bandTarget }, city, years);
        process.stdout.write(`wrote ${r.files.length} files to ${showText(String(opts.out), 200)} in ${r.seconds.toFixed(1)} s: ${r.files.join(", ")}\n`);
      } catch (e) {
        if (e instanceof UsageError || e instanceof PolicyError || e instanceof OutputError || e instanceof InputError) {
          process.stderr.write(printable(`fundsim project: ${e.message}`));
          process.exitCode = 2;
        } else throw e;
      }
    });
}

function printSummary(r: ProjectResult & { bandTarget?: ProjectOptions["bandTarget"] }, city: string, years: number): void {
  const w = (fen: number) => wan(fen).toLocaleString("en", { maximumFractionDigits: 0 }).padStart(12);
  const m = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "∞").padStart(7);
  // Scheme names come from scenario files: escaped and cut.
  const [s, b] = r.schemes.map((x) => ({ ...x, scheme: showText(x.scheme) }));
  process.stdout.write(`${city}: ${s.scheme} and ${b.scheme}, ${years} years; city totals in 万元; reserve in months of pooled outflow (可支付月数; < 6 low, > 15 high)\n`);
  const band = r.draws ? `${"p5".padStart(7)}${"p50".padStart(7)}${"p95".padStart(7)}` : "";
  process.stdout.write(`${"year".padEnd(6)}${"insured".padStart(10)}${"act/ret".padStart(8)}${"income".padStart(12)}${"outflow".padStart(12)}${"balance".padStart(12)}${"months".padStart(7)} flag${band}${"baseline".padStart(10)}\n`);
  s.years.forEach((y, t) => {
    const bb = r.draws?.bands[t];
    process.stdout.write(
      `${String(y.year).padEnd(6)}${Math.round(y.insured).toLocaleString("en").padStart(10)}${y.supportRatio.toFixed(2).padStart(8)}${w(y.flows.pooledIncomeFen)}${w(y.flows.pooledOutflowFen)}${w(y.reserveClosingFen)}${m(y.monthsOfReserve)} ${y.flag.padEnd(4)}` +
        (bb ? `${m(bb.monthsP5)}${m(bb.monthsP50)}${m(bb.monthsP95)}` : "") +
        `${m(b.years[t].monthsOfReserve)}   \n`,
    );
  });
  process.stdout.write(`first deficit year: ${s.scheme} ${s.firstDeficitYear ?? "none"}, baseline ${b.firstDeficitYear ?? "none"}; reserve exhausted: ${s.scheme} ${s.firstExhaustedYear ?? "never"}, baseline ${b.firstExhaustedYear ?? "never"}\n`);
  if (r.seedSpread) {
    const sp = r.seedSpread;
    process.stdout.write(
      `months of reserve in ${sp.year} over ${sp.seeds.length} reference samples of ${sp.persons} persons (seeds ${sp.seeds[0]}–${sp.seeds[sp.seeds.length - 1]}): ` +
        sp.schemes.map((x) => `${showText(x.scheme)} mean ${x.mean.toFixed(2)}, seed-to-seed SD ${x.sd.toFixed(2)}`).join("; ") + "\n",
    );
  }
  if (r.draws) {
    const SOURCE_TEXT: Record<UncertaintySource, string> = {
      parameters: "parameter uncertainty (long-run trends and behaviour; wage and cost correlated)",
      process: "year-to-year variation of cost and wage growth",
      structural: "structural (opening reserve, reconciliation line, inpatient share, retiree share)",
      sampling: "sampling error of the reference sample",
    };
    if (r.drawsSeconds !== null) process.stdout.write(`Monte Carlo: ${r.draws.draws.length} draws × ${years} years in ${r.drawsSeconds.toFixed(1)} s\n`);
    process.stdout.write(`the band (p5–p95) holds: ${r.draws.sources.map((x) => SOURCE_TEXT[x]).join("; ")}\n`);
    if (r.variance) {
      const v = r.variance;
      process.stdout.write(`variance of the months in ${v.year} by source (each alone; shares of their sum):\n`);
      for (const x of v.shares) process.stdout.write(`  ${x.source.padEnd(12)} ${(x.share * 100).toFixed(1).padStart(5)} %   variance ${x.variance.toFixed(2)}\n`);
      process.stdout.write(`  all together: variance ${v.total.toFixed(2)} (the sources alone sum to ${v.sumAlone.toFixed(2)}; the difference is their interaction and Monte Carlo noise)\n`);
    }
  }
  if (r.tornado) {
    process.stdout.write(`tornado (months in the last year at each parameter's 5th / 95th percentile; central ${r.tornado.central.months.toFixed(1)}):\n`);
    for (const t of r.tornado.bars.slice(0, 6)) process.stdout.write(`  ${t.key.padEnd(24)} ${t.low.toFixed(3).padStart(7)} → ${m(t.monthsAtLow)}   ${t.high.toFixed(3).padStart(7)} → ${m(t.monthsAtHigh)}\n`);
  }
  if (r.goalSeek) {
    const g = r.goalSeek;
    process.stdout.write(
      g.value === null
        ? `goal-seek ${g.lever}: no value in ${g.lo}–${g.hi} keeps ${g.target} months in ${g.year} (best ${g.achieved.toFixed(2)})\n`
        : `goal-seek ${g.lever} (${LEVERS[g.lever].label}): ${g.value} keeps ${g.achieved.toFixed(2)} ≥ ${g.target} months in ${g.year}` +
            `${r.bandTarget ? ` at the band's ${r.bandTarget.kind === "percentile" ? `${r.bandTarget.level}th percentile` : `${r.bandTarget.level} quantile (P(months < ${g.target}) ≤ ${r.bandTarget.level})`}` : ""}` +
            `${g.wholeRange ? " (the whole range keeps the target: this is its most generous end; widen it with --lo/--hi)" : ""}; saved as goal-seek-scenario.yaml\n`,
    );
  }
}
