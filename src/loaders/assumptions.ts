// Projection assumptions per city (issue 7): national.yaml overridden by <city>.yaml, then by an
// assumptions file of one's own (`fundsim project --assumptions FILE`, or the file the projection
// page saves), every value sourced and rated, each uncertain one with the distribution the Monte
// Carlo draws from. Every number lies within its key's range (src/model/assumption-ranges.ts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PolicyError, formatIssues } from "../model/policy.ts";
import { ASSUMPTION_RANGES, displayValue, inRange, maxSd, type RangedKey, rangeText } from "../model/assumption-ranges.ts";
import { type Assumptions, type Distribution, PARAM_KEYS, type ParamKey, type ProjectionParams } from "../model/projection/params.ts";
import { CITY_ID_PATTERN, type CityId } from "../model/types.ts";
import { cityEntry } from "./cities.ts";
import { loadFinance } from "./finance.ts";
import { fileDisplayName, readChecked } from "./yaml-file.ts";

export const ASSUMPTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "assumptions");

/** A rate: a number (0.05) or a percentage string ("5%"). */
const rate = z.union([
  z.number(),
  z.string().regex(/^-?\d+(\.\d+)?%$/, 'expected a number or a percentage like "5%"').transform((s) => Number(s.slice(0, -1)) / 100),
]);

const dist = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("normal"), sd: rate.refine((x) => x >= 0, "sd must be ≥ 0") }),
  z.strictObject({ dist: z.literal("triangular"), min: rate, max: rate }),
  z.strictObject({ dist: z.literal("uniform"), min: rate, max: rate }),
]);

/** A number of the key as the files write it: "200%" for a rate, else the number. */
const shown = (key: RangedKey, x: number) => {
  const u = ASSUMPTION_RANGES[key].unit;
  return `${displayValue(key, x)}${u === "%" ? "%" : u === "months" ? " months" : ""}`;
};
const outside = (key: RangedKey, x: number) => `expected ${key} from ${rangeText(key)} (its range: docs/projection.md, Ranges), got ${shown(key, x)}`;

/** Every number of an entry within the key's range (src/model/assumption-ranges.ts): the value,
 *  a distribution's min and max, a normal's sd (at most the range's width). */
function checkRange(key: RangedKey, s: { value: number; dist?: { dist: string; sd?: number; min?: number; max?: number } }, ctx: z.RefinementCtx): void {
  if (!inRange(key, s.value)) ctx.addIssue({ code: "custom", path: ["value"], message: outside(key, s.value) });
  const d = s.dist;
  if (!d) return;
  if (d.dist === "normal") {
    if (d.sd !== undefined && d.sd > maxSd(key)) ctx.addIssue({ code: "custom", path: ["dist", "sd"], message: `expected an sd of ${key} from 0 to ${shown(key, maxSd(key))} (the width of its range ${rangeText(key)}), got ${shown(key, d.sd)}` });
    return;
  }
  for (const end of ["min", "max"] as const) {
    const x = d[end];
    if (x !== undefined && !inRange(key, x)) ctx.addIssue({ code: "custom", path: ["dist", end], message: outside(key, x) });
  }
}

const sourcedFor = (key: RangedKey) =>
  z
    .strictObject({ value: rate, source: z.string().min(1), rating: z.enum(["O", "S", "D", "E"]), note: z.string().optional(), dist: dist.optional() })
    .refine((s) => s.rating !== "E" || !!s.note, { message: "an E (estimated) value needs a note", path: ["note"] })
    .refine((s) => !s.dist || s.dist.dist === "normal" || (s.dist.min <= s.value && s.value <= s.dist.max), {
      message: "the value must lie within the distribution's [min, max]",
      path: ["dist"],
    })
    .superRefine((s, ctx) => checkRange(key, s, ctx));
type Sourced = ReturnType<typeof sourcedFor>;

/** The opening reserve, which the city files take from src/loaders/finance: a number of months. */
const reserveMonths = z
  .strictObject({ value: z.number().nonnegative(), source: z.string().min(1), rating: z.enum(["O", "S", "D", "E"]), note: z.string().optional() })
  .refine((s) => s.rating !== "E" || !!s.note, { message: "an E (estimated) value needs a note", path: ["note"] })
  .superRefine((s, ctx) => checkRange("openingReserveMonths", s, ctx));

/** The reference sample's size for `fundsim project` (its default --persons): chosen, city by city,
 *  so that five seeds' last-year months lie within ±1 month (docs/projection.md, "Sampling noise of the reference"). */
const referencePersons = z
  .strictObject({ value: z.number().int().min(1_000).max(5_000_000), source: z.string().min(1), rating: z.enum(["O", "S", "D", "E"]), note: z.string().optional() })
  .refine((s) => s.rating !== "E" || !!s.note, { message: "an E (estimated) value needs a note", path: ["note"] });

const FILE_KEYS = PARAM_KEYS.filter((k) => k !== "openingReserveMonths");
type FileKey = (typeof FILE_KEYS)[number];
const schema = z.strictObject({
  ...(Object.fromEntries(FILE_KEYS.map((k) => [k, sourcedFor(k)])) as Record<FileKey, Sourced>),
  referencePersons,
});
/** national.yaml and <city>.yaml: any of the keys, each checked with its file's lines. */
const partialSchema = z.strictObject({
  ...(Object.fromEntries(FILE_KEYS.map((k) => [k, sourcedFor(k).optional()])) as Record<FileKey, z.ZodOptional<Sourced>>),
  referencePersons: referencePersons.optional(),
});

/** An assumptions file of one's own: any of the keys (each a whole entry, replacing the city's),
 *  the opening reserve, and optionally the city it was written for. */
const overrideSchema = z.strictObject({
  city: z.string().regex(CITY_ID_PATTERN, "must be a city id (a policy file's name)").optional(),
  ...(Object.fromEntries(FILE_KEYS.map((k) => [k, sourcedFor(k).optional()])) as Record<FileKey, z.ZodOptional<Sourced>>),
  openingReserveMonths: reserveMonths.optional(),
});
export type AssumptionsOverride = z.output<typeof overrideSchema>;

export interface AssumptionRow {
  key: string;
  value: number;
  source: string;
  rating: string;
  note?: string;
  dist?: Distribution;
  /** Set by the city's file (not the national default). */
  city: boolean;
  /** Set by the assumptions file given to loadAssumptions (`--assumptions`). */
  file: boolean;
}

/** Read and check an assumptions file (YAML or JSON); problems carry file:line:col. */
export function readAssumptionsFile(path: string): AssumptionsOverride {
  return readChecked(path, (value, display) => {
    const parsed = overrideSchema.safeParse(value ?? {});
    if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), display);
    return parsed.data;
  });
}

/**
 * The city's assumptions: national.yaml, overridden by <city>.yaml, overridden by `file` (an
 * assumptions file; each key it gives replaces the whole entry). A file written for another city
 * is refused: its reserve and rates are that city's.
 */
export function loadAssumptions(city: CityId, { dir, file }: { dir?: string; file?: string } = {}): Assumptions & { rows: AssumptionRow[]; referencePersons: number } {
  // Each file checked on its own first, so a problem names its file and line.
  const read = (path: string) =>
    readChecked(path, (value, display) => {
      const parsed = partialSchema.safeParse(value ?? {});
      if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), display);
      return (value ?? {}) as Record<string, unknown>;
    });
  const national = read(join(dir ?? ASSUMPTIONS_DIR, "national.yaml"));
  const local = read(dir ? join(dir, `${city}.yaml`) : cityEntry(city).files.assumptions);
  const own = file ? readAssumptionsFile(file) : null;
  if (own?.city && own.city !== city) throw new PolicyError([`city: the file is for ${own.city}, not ${city}`], file!);
  const { city: _city, openingReserveMonths: ownReserve, ...ownKeys } = own ?? {};
  const merged = { ...national, ...local, ...ownKeys };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), file ?? fileDisplayName(dir ? join(dir, `${city}.yaml`) : cityEntry(city).files.assumptions));
  const d = parsed.data;
  const { finance, rows: financeRows } = loadFinance(city);
  const params = Object.fromEntries(FILE_KEYS.map((k) => [k, d[k].value])) as Omit<ProjectionParams, "openingReserveMonths">;
  const dists: Partial<Record<ParamKey, Distribution>> = {};
  for (const k of FILE_KEYS) if (d[k].dist) dists[k] = d[k].dist as Distribution;
  const rows: AssumptionRow[] = FILE_KEYS.map((k) => ({
    key: k, value: d[k].value, source: d[k].source, rating: d[k].rating, note: d[k].note, dist: d[k].dist as Distribution | undefined,
    city: k in local, file: k in ownKeys,
  }));
  const reserve = financeRows.find((r) => r.key === "openingReserveMonths")!;
  if (!ownReserve && !inRange("openingReserveMonths", finance.openingReserveMonths)) {
    throw new PolicyError([`openingReserveMonths.value: ${outside("openingReserveMonths", finance.openingReserveMonths)}`], `src/loaders/finance/${reserve.city ? city : "national"}.yaml`);
  }
  const openingReserveMonths = ownReserve ? ownReserve.value : finance.openingReserveMonths;
  rows.push(
    ownReserve
      ? { key: "openingReserveMonths", value: ownReserve.value, source: ownReserve.source, rating: ownReserve.rating, note: ownReserve.note, city: false, file: true }
      : { key: "openingReserveMonths", value: finance.openingReserveMonths, source: `src/loaders/finance: ${reserve.source}`, rating: reserve.rating, note: reserve.note, city: reserve.city, file: false },
  );
  return { params: { ...params, openingReserveMonths }, dists, rows, referencePersons: d.referencePersons.value };
}
