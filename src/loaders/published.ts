// The published accounts the back-test compares the model with (src/loaders/published/accounts.yaml):
// per place, year and line a value with its unit, source, address, rating and note. Validated here;
// a bad file is one message per problem naming the file and the entry's path (exit 2 in the CLI).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PolicyError, formatIssues } from "../model/policy.ts";
import { CITY_ID_PATTERN } from "../model/types.ts";
import { isCity } from "./cities.ts";
import { parseYamlWithLines } from "./yaml-file.ts";

export const PUBLISHED_FILE = "src/loaders/published/accounts.yaml";
const PATH = join(dirname(fileURLToPath(import.meta.url)), "published", "accounts.yaml");

/** The lines a place's accounts may publish, with their unit. */
export const PUBLISHED_LINES = {
  insured: "persons",
  insured_retired: "persons",
  pooled_income: "100m_yuan",
  pooled_spending: "100m_yuan",
  pooled_balance: "100m_yuan",
  account_income: "100m_yuan",
  account_spending: "100m_yuan",
  fund_income: "100m_yuan",
  fund_spending: "100m_yuan",
} as const;
export type PublishedLine = keyof typeof PUBLISHED_LINES;
/** The level of a place's accounts: the nation's, a modelled city's own, its province's, or a
 *  stand-in: another city of the same province (`stands_for` names the modelled city). */
export const LEVELS = ["national", "city", "province", "stand-in"] as const;
export type Place = string;

const entry = z
  .strictObject({
    place: z.string().regex(/^[a-z]+$/, "a place id in lower-case letters (national, a city, a province)"),
    level: z.enum(LEVELS),
    stands_for: z.string().regex(CITY_ID_PATTERN, "must be a city id (a policy file's name)").optional(),
    year: z.number().int().min(2000).max(2100),
    line: z.enum(Object.keys(PUBLISHED_LINES) as [PublishedLine, ...PublishedLine[]]),
    value: z.number().positive(),
    unit: z.enum(["persons", "100m_yuan"]),
    rating: z.enum(["O", "S", "D", "E"]),
    source: z.string().min(1),
    address: z.string().min(1),
    note: z.string().optional(),
  })
  .refine((e) => e.rating !== "E" || !!e.note?.trim(), { message: "an E (estimated) value needs a note", path: ["note"] })
  .refine((e) => (e.level === "national") === (e.place === "national"), { message: "the place national has level national, and only it", path: ["level"] })
  .refine((e) => e.level !== "city" || isCity(e.place), { message: "a city's own accounts: place must be a city found (a policy file's name)", path: ["place"] })
  .refine((e) => (e.level === "stand-in" || e.level === "province") === (e.stands_for !== undefined), { message: "stands_for (the modelled city) is needed for a stand-in or province, and only there", path: ["stands_for"] })
  .refine((e) => PUBLISHED_LINES[e.line] === e.unit, { message: "the unit does not fit the line (persons for insured counts, 100m_yuan for money)", path: ["unit"] });

export type PublishedEntry = z.infer<typeof entry>;

/** Parses and checks the accounts file's text (one entry per place, year and line). */
export function parsePublished(text: string, file = PUBLISHED_FILE): PublishedEntry[] {
  const { value, locate } = parseYamlWithLines(text, file);
  const parsed = z.array(entry).safeParse(value ?? []);
  // Each problem with its line:column in the file (by the path formatIssues puts first).
  const at = (p: string) => {
    const where = locate(p.split(":")[0]);
    return where ? `${where}: ${p}` : p;
  };
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues).map(at), file);
  const seen = new Map<string, number>();
  const problems: string[] = [];
  parsed.data.forEach((e, i) => {
    const key = `${e.place} ${e.year} ${e.line}`;
    if (seen.has(key)) problems.push(at(`${i}: ${key} is also entry ${seen.get(key)} (one value per place, year and line)`));
    else seen.set(key, i);
  });
  if (problems.length) throw new PolicyError(problems, file);
  return parsed.data;
}

let cached: PublishedEntry[] | undefined;

export function loadPublished(): PublishedEntry[] {
  return (cached ??= parsePublished(readFileSync(PATH, "utf8")));
}

/** The places whose accounts stand for `city` (its own, its province's, a stand-in), in that order. */
export function placesFor(entries: readonly PublishedEntry[], city: string): Array<{ place: string; level: (typeof LEVELS)[number] }> {
  const seen = new Map<string, (typeof LEVELS)[number]>();
  for (const e of entries) if (e.place === city || e.stands_for === city) seen.set(e.place, e.level);
  const rank = { city: 0, province: 1, "stand-in": 2, national: 3 };
  return [...seen].map(([place, level]) => ({ place, level })).sort((a, b) => rank[a.level] - rank[b.level]);
}

/** The published value of a place's line in a year, or null. */
export function publishedValue(entries: readonly PublishedEntry[], place: Place, year: number, line: PublishedLine): PublishedEntry | null {
  return entries.find((e) => e.place === place && e.year === year && e.line === line) ?? null;
}
