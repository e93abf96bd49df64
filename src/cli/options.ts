// Parsing of the options several commands share. A bad value is a UsageError: one message naming
// the option, exit 2 (src/cli/main.ts). Values are shown escaped and cut (src/model/limits.ts).
import { showValue } from "../model/limits.ts";
import { CITIES, type CityId } from "../model/types.ts";

export class UsageError extends Error {}

export function positiveInt(option: string, max = 2 ** 31 - 1) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`${option}: must be a whole number from 1 to ${max}, got ${showValue(v)}`);
    return Number(v);
  };
}

/** `--city`: one city, a comma-separated list without repeats, or "all". */
export function parseCities(v: string): CityId[] {
  if (v === "all") return [...CITIES];
  const cities = v.split(",").map((s) => s.trim());
  const seen = new Set<string>();
  for (const c of cities) {
    if (!(CITIES as readonly string[]).includes(c)) throw new UsageError(`--city: must be one of ${CITIES.join(", ")} or "all" (comma-separated), got ${showValue(c)}`);
    if (seen.has(c)) throw new UsageError(`--city: ${c} is listed twice (each city once)`);
    seen.add(c);
  }
  return cities as CityId[];
}
