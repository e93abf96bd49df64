// `fundsim simulate --city X [--persons N] [--year Y] [--seed S] [--out DIR] [--force]`: a synthetic
// insured population and its claims for a year, written as DIR/persons.parquet and DIR/claims.parquet
// with the marker DIR/.fundsim-output.json. The same arguments give byte-identical files. Nothing is
// left half-written and nothing of the user's is removed: the files are written in a temporary
// directory and renamed into DIR when complete (src/pipeline/output-dir.ts); an interrupt removes them.

import { join } from "node:path";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { showText } from "../model/limits.ts";
import { type CityId } from "../model/types.ts";
import { cityIds, unknownCityMessage } from "../loaders/cities.ts";
import { cityModel, DEFAULT_CHUNK_SIZE, generateChunk } from "../loaders/population/index.ts";
import { PopulationParquetWriter } from "../loaders/population/parquet.ts";
import { printable } from "../loaders/read-input.ts";
import { writeAtomically } from "../pipeline/output-dir.ts";
import { checkOutput, MARKER, OutputError, type OutputTarget } from "../pipeline/output-target.ts";

export const DEFAULT_PERSONS = 100_000;
export const DEFAULT_YEAR = 2024;
export const DEFAULT_SEED = 1;
export const MAX_PERSONS = 50_000_000;

export interface PopulationArgs {
  city: CityId;
  persons: number;
  year: number;
  seed: number;
  chunkSize: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function integer(name: string, raw: unknown, min: number, max: number, what: string): number | string {
  const s = String(raw).trim();
  if (!/^[0-9]+$/.test(s)) return `${name}: must be ${what}, got "${raw}"`;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) return `${name}: must be ${what}, got "${raw}"`;
  return n;
}

/** Validates the options shared by simulate and calibrate; every problem names its option. */
export function parsePopulationArgs(
  raw: { city?: unknown; persons?: unknown; year?: unknown; seed?: unknown; chunkSize?: unknown },
  defaults: { persons: number },
  allowAllCities = false,
): Parsed<PopulationArgs & { cities: CityId[] }> {
  const problems: string[] = [];
  let cities: CityId[] = [];
  if (raw.city === undefined) problems.push(`--city: required, a city id (a policy file's name in src/policies or a --policies directory)${allowAllCities ? ' or "all"' : ""}`);
  else if (allowAllCities && raw.city === "all") cities = cityIds();
  else if (cityIds().includes(String(raw.city))) cities = [raw.city as CityId];
  else problems.push(unknownCityMessage(raw.city, "--city", allowAllCities ? ['"all"'] : []));
  const take = (v: number | string): number => {
    if (typeof v === "string") {
      problems.push(v);
      return 0;
    }
    return v;
  };
  const persons = raw.persons === undefined ? defaults.persons : take(integer("--persons", raw.persons, 1, MAX_PERSONS, `a positive integer (at most ${MAX_PERSONS})`));
  const year = raw.year === undefined ? DEFAULT_YEAR : take(integer("--year", raw.year, 2000, 2100, "a year between 2000 and 2100"));
  const seed = raw.seed === undefined ? DEFAULT_SEED : take(integer("--seed", raw.seed, 0, 0xffffffff, "an integer between 0 and 4294967295"));
  const chunkSize = raw.chunkSize === undefined ? DEFAULT_CHUNK_SIZE : take(integer("--chunk-size", raw.chunkSize, 1, 1 << 22, "a positive integer (at most 4194304)"));
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { city: cities[0], cities, persons, year, seed, chunkSize } };
}

export interface SimulateResult {
  personsPath: string;
  claimsPath: string;
  persons: number;
  claims: number;
  seconds: number;
}

/** Generates and writes; `onChunk` reports progress (persons done). Exposed for tests and benches.
 *  `out`: a directory path, or the CLI's checked target (src/pipeline/output-target.ts). */
export async function runSimulate(
  args: PopulationArgs & { out: string | OutputTarget },
  hooks: { onChunk?: (done: number) => void; onWriter?: (w: PopulationParquetWriter) => void; yieldBetweenChunks?: boolean } = {},
): Promise<SimulateResult> {
  const target = typeof args.out === "string" ? { out: args.out, command: "simulate" } : args.out;
  const dir = "given" in target ? target.given : target.out;
  return writeAtomically(target, (tmp) => generate(args, tmp, hooks), { makeDir: true }).then((r) => ({
    ...r,
    personsPath: join(dir, "persons.parquet"),
    claimsPath: join(dir, "claims.parquet"),
  }));
}

async function generate(
  args: PopulationArgs,
  tmp: string,
  hooks: { onChunk?: (done: number) => void; onWriter?: (w: PopulationParquetWriter) => void; yieldBetweenChunks?: boolean },
): Promise<SimulateResult> {
  const t0 = performance.now();
  const model = cityModel(args.city, args.year);
  const writer = await PopulationParquetWriter.open(tmp, {
    metadata: {
      generator: "fundsim population (src/loaders/population)",
      city: args.city,
      year: String(args.year),
      seed: String(args.seed),
      persons: String(args.persons),
    },
  });
  hooks.onWriter?.(writer);
  try {
    for (let first = 0; first < args.persons; first += args.chunkSize) {
      const chunk = generateChunk(model, args.seed, first, Math.min(args.chunkSize, args.persons - first));
      writer.add(chunk);
      hooks.onChunk?.(first + chunk.persons.count);
      // Let a pending signal (Ctrl-C) be handled between chunks.
      if (hooks.yieldBetweenChunks) await new Promise((r) => setImmediate(r));
    }
    await writer.finish();
  } catch (e) {
    writer.abort();
    writer.close();
    throw e;
  }
  return { personsPath: writer.personsPath, claimsPath: writer.claimsPath, persons: writer.personRows, claims: writer.claimRows, seconds: (performance.now() - t0) / 1000 };
}

function usageError(cmd: Command, problems: string[]): void {
  for (const p of problems) process.stderr.write(printable(`fundsim ${cmd.name()}: ${p}`));
  process.exitCode = 2;
}

export function register(program: Command): void {
  program
    .command("simulate")
    .description("generate a synthetic insured population and its claims for a year (Parquet)")
    .option("--city <id>", "a city id (a policy file's name in src/policies or a --policies directory) (required)")
    .option("--persons <n>", `number of insured persons (default ${DEFAULT_PERSONS.toLocaleString("en-US")})`)
    .option("--year <y>", `calendar year (default ${DEFAULT_YEAR})`)
    .option("--seed <s>", `random seed, 0 … 4294967295 (default ${DEFAULT_SEED})`)
    .option("--out <dir>", "output directory: a new one, or a previous output of fundsim simulate (default out/<city>-<year>-<seed>)")
    .option("--chunk-size <n>", `persons per chunk; results do not depend on it (default ${DEFAULT_CHUNK_SIZE})`)
    .option("--force", "write into an existing directory that is not a previous output of fundsim simulate (nothing else in it is removed)")
    .addHelpText(
      "after",
      `
Writes DIR/persons.parquet and DIR/claims.parquet (money as BIGINT *_fen, codes as UTINYINT; the
code labels are in each file's key-value metadata and in src/loaders/population/columns.ts).
The same arguments give byte-identical files, and the marker ${MARKER} lists them. An existing
directory without fundsim simulate's marker is refused unless --force; never used: the current
directory or its parents, the home directory, a git work tree's root, fundsim's own directory.
A bad argument: a message naming the option, exit 2.`,
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const parsed = parsePopulationArgs(opts, { persons: DEFAULT_PERSONS });
      if (!parsed.ok) return usageError(cmd, parsed.problems);
      const a = parsed.value;
      let out: OutputTarget;
      try {
        // Checked before any work: a refused --out costs nothing.
        out = checkOutput(opts.out ?? `out/${a.city}-${a.year}-${a.seed}`, { command: "simulate", force: Boolean(opts.force) });
      } catch (e) {
        if (e instanceof OutputError) return usageError(cmd, [e.message]);
        throw e;
      }

      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: `${a.city} ${a.year} {bar} {percentage}% | {value}/{total} persons | {phase} | {duration_formatted}`, hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let writer: PopulationParquetWriter | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        bar?.stop();
        writer?.abort();
        process.stderr.write(`fundsim simulate: interrupted (${signal}); removed temporary files, nothing written\n`);
        // Once more on the way out, in case DuckDB created a file after the first removal.
        process.once("exit", () => writer?.removeTemporaries());
        process.exit(signal === "SIGINT" ? 130 : 143);
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      bar?.start(a.persons, 0, { phase: "generating" });
      try {
        const r = await runSimulate(
          { ...a, out },
          { onChunk: (done) => bar?.update(done, { phase: done === a.persons ? "writing Parquet" : "generating" }), onWriter: (w) => (writer = w), yieldBetweenChunks: true },
        );
        bar?.stop();
        process.stdout.write(
          `${r.persons.toLocaleString("en-US")} persons, ${r.claims.toLocaleString("en-US")} claims in ${r.seconds.toFixed(1)} s\n${showText(r.personsPath, 300)}\n${showText(r.claimsPath, 300)}\n`,
        );
      } catch (e) {
        if (e instanceof OutputError) return usageError(cmd, [e.message]);
        throw e;
      } finally {
        bar?.stop();
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}
