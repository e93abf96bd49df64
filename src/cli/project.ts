// `fundsim project`: the multi-year projection of a city's pooled fund (issue 7) — deterministic
// for the scenario and the baseline, Monte Carlo bands and a tornado with --draws, goal-seek of a
// scheme parameter with --goal-seek, one's own assumptions with --assumptions (the file the
// projection page saves). Writes Parquet and CSV into --out with its marker file (src/pipeline/output-dir.ts).
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { checkOutput, MARKER, OutputError, type OutputTarget, writeAtomically } from "../pipeline/output-dir.ts";
import { join } from "node:path";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { stringify } from "yaml";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { startCentral } from "./project-central.ts";
import { loadFinance } from "../loaders/finance.ts";
import { fileDisplayName, loadPolicy, loadScenarioFile, resolveScheme } from "../loaders/policies.ts";
import { InputError, printable } from "../loaders/read-input.ts";
import { showText, showValue } from "../model/limits.ts";
import { PolicyError, type Scheme } from "../model/policy.ts";
import type { Scenario } from "../model/policy-schema.ts";
import type { Finance } from "../model/finance.ts";
import type { ProjectionParams } from "../model/projection/params.ts";
import { goalSeekLever, LEVER_IDS, LEVERS, type LeverId, type LeverSeek, type LeverSeekResult } from "../model/projection/goal-seek.ts";
import { decompose, drawContext, type DrawsResult, type VarianceDecomposition } from "../model/projection/monte-carlo.ts";
import { type DrawsJob, projectDrawsParallel, sampleOf } from "./project-draws.ts";
import { UNCERTAINTY_SOURCES, type UncertaintySource } from "../model/projection/params.ts";
import { prepareProjection, projectScheme, type SchemeProjection } from "../model/projection/project.ts";
import { flowLine } from "../model/projection/rows.ts";
import { type TornadoBar, tornadoByRatio } from "../model/projection/tornado.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import { type CityId } from "../model/types.ts";
import { cityIds, unknownCityMessage } from "../loaders/cities.ts";
import { FLOW_LINES } from "../pipeline/summaries.ts";
import { lit } from "../pipeline/duckdb.ts";
import { addCityFileOptions, applyCityFiles, positiveInt, UsageError } from "./options.ts";

export interface ProjectOptions {
  city: CityId;
  scenario: Scenario | null;
  scenarioSource?: string;
  baseYear: number;
  years: number;
  /** Persons in the reference sample (the deterministic projection). */
  persons: number;
  draws: number;
  /** Population draws for the Monte Carlo: how many samples, of how many persons. */
  samples: number;
  samplePersons: number;
  seed: number;
  /** Reference samples for the seed-to-seed spread of the last year's months (1: none): seeds
   *  seed, seed + 1, …, seed + seeds − 1, each of `persons` persons, projected centrally. */
  seeds?: number;
  /** An assumptions file replacing entries of the city's (src/loaders/assumptions.ts). */
  assumptionsFile?: string;
  goalSeek?: LeverSeek;
  /** Goal-seek on the band (--target-percentile / --target-probability) instead of the central path. */
  bandTarget?: { kind: "percentile" | "probability"; level: number };
  /** The sources of uncertainty in the band (--uncertainty; default all). */
  sources?: UncertaintySource[];
  /** Threads for the Monte Carlo (--threads; default the machine's cores). */
  threads?: number;
  /** The output directory: a path, or `fundsim project`'s checked target (src/pipeline/output-dir.ts). */
  out: string | OutputTarget;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ProjectResult {
  schemes: SchemeProjection[];
  draws: DrawsResult | null;
  /** Seconds the band's draws took (the Monte Carlo alone, without the variance decomposition). */
  drawsSeconds: number | null;
  /** Each source's share of the variance of the last year's months (with --draws). */
  variance: VarianceDecomposition | null;
  tornado: { central: { months: number; balanceFen: number }; bars: TornadoBar[] } | null;
  goalSeek: LeverSeekResult | null;
  /** With seeds > 1: the last year's months of reserve of each scheme on each seed's reference sample. */
  seedSpread: SeedSpread | null;
  files: string[];
  seconds: number;
}

const wan = (fen: number) => fen / 100 / 10_000;

/** The mean and the sample standard deviation (n − 1 in the denominator; NaN for one value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd };
}

/** The seed-to-seed spread of the central projection: each scheme's last-year months of reserve on
 *  the reference samples of seeds seed … seed + n − 1 (same size, same assumptions). */
export interface SeedSpread {
  seeds: number[];
  persons: number;
  year: number;
  schemes: Array<{ scheme: string; months: number[]; mean: number; sd: number }>;
}

/**
 * Projects the schemes centrally on the reference samples of `seeds` consecutive seeds from `seed`
 * and measures the spread of the last year's months of reserve. `first`, when given, is the
 * projection on `seed` itself (reused, not recomputed). Used by `fundsim project --seeds` and by
 * scripts/doc-figures.ts (the table in docs/projection.md).
 */
export function seedSpread(
  x: { city: CityId; baseYear: number; years: number; persons: number; seed: number; seeds: number; schemes: Scheme[]; baseline: Scheme; finance: Finance; params: ProjectionParams },
  first?: SchemeProjection[],
  onSeed?: (done: number, total: number) => void,
): SeedSpread {
  const seeds = Array.from({ length: x.seeds }, (_, i) => x.seed + i);
  const runs = seeds.map((seed, i) => {
    const r = i === 0 && first
      ? first
      : (() => {
          const prep = prepareProjection({ sample: sampleOf(x.city, x.baseYear, seed, x.persons), baseYear: x.baseYear, years: x.years, schemes: x.schemes, baseline: x.baseline, finance: x.finance, ...cityCohorts(x.city, x.baseYear, x.finance.insured) });
          return x.schemes.map((_, si) => projectScheme(prep, x.params, si));
        })();
    onSeed?.(i + 1, seeds.length);
    return r;
  });
  const schemes = x.schemes.map((_, si) => {
    const months = runs.map((r) => r[si].years[x.years - 1].monthsOfReserve);
    return { scheme: runs[0][si].scheme, months, ...meanSd(months) };
  });
  return { seeds, persons: x.persons, year: x.baseYear + x.years - 1, schemes };
}

export { cityCohorts };

export async function runProjection(o: ProjectOptions): Promise<ProjectResult> {
  // The temporary output directory exists from the start (an unwritable --out fails before the work).
  return writeAtomically(typeof o.out === "string" ? { out: o.out, command: "project" } : o.out, async (tmp) => {
    const t0 = performance.now();
    // A large reference sample: generated on both threads, then the baseline on the second one, started
    // first so that it loads while this thread reads the run's files; it is then sent this thread's
    // prepared projection (the same sample and paths as one thread).
    const central = startCentral({
      city: o.city, scenario: o.scenario, scenarioSource: o.scenarioSource, assumptionsFile: o.assumptionsFile, baseYear: o.baseYear, years: o.years, persons: o.persons, seed: o.seed,
    }, o.threads ?? availableParallelism());
    const policy = loadPolicy(o.city);
    const scenario = o.scenario ? resolveScheme(policy, o.scenario, o.scenarioSource ?? "scenario") : policy.reform;
    const { finance } = loadFinance(o.city);
    const a = loadAssumptions(o.city, { file: o.assumptionsFile });
    const reference = await central.sample();
    const base = { sample: reference, baseYear: o.baseYear, years: o.years, baseline: policy.baseline, finance, ...cityCohorts(o.city, o.baseYear, finance.insured) };
    const prep = prepareProjection({ ...base, schemes: [scenario, policy.baseline] });
    const schemes = await central.schemes(prep, a.params);
    o.onProgress?.("projection", 2, 2);
    const spread = (o.seeds ?? 1) > 1
      ? seedSpread(
          { city: o.city, baseYear: o.baseYear, years: o.years, persons: o.persons, seed: o.seed, seeds: o.seeds!, schemes: [scenario, policy.baseline], baseline: policy.baseline, finance, params: a.params },
          schemes, (d, t) => o.onProgress?.("seeds", d, t),
        )
      : null;

    let draws: DrawsResult | null = null;
    let variance: VarianceDecomposition | null = null;
    let drawsSeconds: number | null = null;
    let tornado: ProjectResult["tornado"] = null;
    if (o.draws > 0) {
      const samples = Array.from({ length: o.samples }, (_, i) => sampleOf(o.city, o.baseYear, o.seed + 1 + i, o.samplePersons));
      const drawsInput = {
        reference, samples, baseYear: o.baseYear, years: o.years, scheme: scenario, baseline: policy.baseline, finance, assumptions: a, draws: o.draws, seed: o.seed,
        sources: o.sources, structure: base.structure, rules: base.rules,
      };
      // On every core (--threads): the main thread's share and the workers'; the same draws as one thread.
      const job: DrawsJob = {
        city: o.city, scenario: o.scenario, scenarioSource: o.scenarioSource, assumptionsFile: o.assumptionsFile, baseYear: o.baseYear, years: o.years,
        persons: o.persons, samples: o.samples, samplePersons: o.samplePersons, seed: o.seed, draws: o.draws, sources: o.sources,
      };
      const ctx = drawContext(drawsInput);
      const tDraws = performance.now();
      draws = await projectDrawsParallel(job, { threads: o.threads, ctx, onProgress: (d, t) => o.onProgress?.("draws", d, t) });
      drawsSeconds = (performance.now() - tDraws) / 1000;
      // Each source's share of the band's variance: the draws again with each source alone.
      const alone = [];
      for (const source of draws.sources) {
        alone.push({ source, run: await projectDrawsParallel({ ...job, sources: [source] }, { threads: o.threads, onProgress: (d, t) => o.onProgress?.(`variance: ${source}`, d, t) }) });
      }
      variance = decompose(draws, alone, o.baseYear + o.years - 1, o.years - 1);
      const preps = samples.slice(0, 3).map((sample) => prepareProjection({ ...base, sample, schemes: [scenario] }));
      const refPrep = prepareProjection({ ...base, schemes: [scenario] });
      tornado = tornadoByRatio(refPrep, preps, a);
    }

    // A band target: the Monte Carlo's draws (at least 1, of the population samples) in each step.
    const goal = o.goalSeek && o.bandTarget
      ? {
          ...o.goalSeek,
          band: {
            ...o.bandTarget, assumptions: a, draws: Math.max(1, o.draws || 200), seed: o.seed, sources: o.sources,
            samples: Array.from({ length: o.samples }, (_, i) => sampleOf(o.city, o.baseYear, o.seed + 1 + i, o.samplePersons)),
          },
        }
      : o.goalSeek;
    const seek = goal ? goalSeekLever(policy, o.scenario, base, a.params, goal, (done, total) => o.onProgress?.("goal-seek", done, total)) : null;

    const files = await writeOutputs(tmp, o, { schemes, draws, drawsSeconds, variance, tornado, seek, spread, rows: a.rows, prices: { baseline: prep.pBase, scenario: prep.prices[0] } }, t0);
    return { schemes, draws, drawsSeconds, variance, tornado, goalSeek: seek, seedSpread: spread, files, seconds: (performance.now() - t0) / 1000 };
  });
}

// ---- writing ------------------------------------------------------------------------------------

type Cell = string | number | null;
const csvCell = (v: Cell) => (v === null || (typeof v === "number" && !Number.isFinite(v)) ? "" : typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes the tables, the goal-seek scenario and projection.json into `tmp`; returns their names. */
async function writeOutputs(
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

// ---- the command --------------------------------------------------------------------------------

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
