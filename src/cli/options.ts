// Parsing of the options several commands share. A bad value is a UsageError: one message naming
// the option, exit 2 (src/cli/main.ts). Values are shown escaped and cut (src/model/limits.ts).
import { showValue } from "../model/limits.ts";
import { type CityId } from "../model/types.ts";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CITY_FILES_ENV, cityIds, unknownCityMessage } from "../loaders/cities.ts";

export class UsageError extends Error {}

/** `--calibration FILE` / `--finance FILE`: one city's file replaced for this command (it still
 *  extends the national file). Checked here; read, with line numbers, where the city's would be. */
export function addCityFileOptions(cmd: Command, kinds: Array<"calibration" | "finance">): Command {
  if (kinds.includes("calibration")) cmd.option("--calibration <file>", "a calibration file that replaces the city's own (extends src/loaders/calibration/national.yaml; one city only)");
  if (kinds.includes("finance")) cmd.option("--finance <file>", "a finance file that replaces the city's own (extends src/loaders/finance/national.yaml; one city only)");
  return cmd;
}

export function applyCityFiles(opts: Record<string, unknown>, cities: string[]): void {
  const given = (["calibration", "finance"] as const).filter((k) => opts[k] !== undefined);
  if (given.length === 0) return;
  if (cities.length !== 1) throw new UsageError(`--${given[0]}: replaces one city's file; give one --city, got ${cities.length}`);
  const files: Record<string, string> = { city: cities[0] };
  for (const k of given) {
    const f = String(opts[k]);
    if (!existsSync(f)) throw new UsageError(`--${k}: no such file: ${showValue(f)}`);
    if (!statSync(f).isFile()) throw new UsageError(`--${k}: not a regular file: ${showValue(f)}`);
    files[k] = resolve(f);
  }
  process.env[CITY_FILES_ENV] = JSON.stringify(files);
}

export function positiveInt(option: string, max = 2 ** 31 - 1) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`${option}: must be a whole number from 1 to ${max}, got ${showValue(v)}`);
    return Number(v);
  };
}

/** `--city`: one city, a comma-separated list without repeats, or "all". */
export function parseCities(v: string): CityId[] {
  if (v === "all") return cityIds();
  const cities = v.split(",").map((s) => s.trim());
  const seen = new Set<string>();
  for (const c of cities) {
    if (!cityIds().includes(c)) throw new UsageError(unknownCityMessage(c, "--city", ['"all"']));
    if (seen.has(c)) throw new UsageError(`--city: ${c} is listed twice (each city once)`);
    seen.add(c);
  }
  return cities as CityId[];
}
