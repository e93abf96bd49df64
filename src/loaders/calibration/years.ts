// National levels by year (years.yaml) and the calibration of a city moved to a year before the
// base year: each base-year input below is multiplied by the national ratio (year ÷ base year), and
// the retiree share's odds by the national odds ratio, so a city keeps its own difference from the
// national figures (a city on the national figures lands on the year's national figure exactly).
// The status mix the encounters and stays are counted at (encounterStandardRetireeShare) becomes the
// year's national retiree share. Years from the base year on, and years the table does not list,
// are returned unchanged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PolicyError, formatIssues } from "../../model/policy.ts";
import { parseYamlWithLines } from "../yaml-file.ts";
import { CALIBRATION_DIR, type Calibration, RATINGS, type Rating, type Sourced } from "./schema.ts";

const entry = z
  .strictObject({ value: z.number().positive(), source: z.string().min(1), rating: z.enum(RATINGS), note: z.string().optional() })
  .refine((s) => s.rating !== "E" || !!s.note?.trim(), { message: "an E (estimated) value needs a note", path: ["note"] });

/** The levels a year moves (the retiree share as odds, the rest as ratios). */
export const YEAR_LEVELS = ["retireeShare", "encountersPerInsured", "hospitalisationRate", "spendingActive", "spendingRetired", "avgWageMonthly", "avgPensionMonthly"] as const;
export type YearLevel = (typeof YEAR_LEVELS)[number];

const yearRow = z.strictObject(Object.fromEntries(YEAR_LEVELS.map((k) => [k, entry])) as Record<YearLevel, typeof entry>);

const schema = z
  .strictObject({ baseYear: z.number().int().min(2000).max(2100), years: z.record(z.string().regex(/^\d{4}$/, "a year (YYYY)"), yearRow) })
  .refine((d) => String(d.baseYear) in d.years, { message: "the base year needs a row (the ratios are taken against it)", path: ["years"] });

export type YearLevels = z.infer<typeof schema>;
export const YEARS_FILE = "src/loaders/calibration/years.yaml";

let cached: YearLevels | undefined;

/** years.yaml, validated (a PolicyError naming the file and path otherwise). */
export function loadYearLevels(text?: string): YearLevels {
  if (text === undefined && cached) return cached;
  const raw = text ?? readFileSync(join(CALIBRATION_DIR, "years.yaml"), "utf8");
  const parsed = schema.safeParse(parseYamlWithLines(raw, YEARS_FILE).value ?? {});
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), YEARS_FILE);
  if (text === undefined) cached = parsed.data;
  return parsed.data;
}

const WORSE: Record<Rating, number> = { O: 0, S: 1, D: 2, E: 3 };
const worse = (a: Rating, b: Rating): Rating => (WORSE[a] >= WORSE[b] ? a : b);
const odds = (p: number) => p / (1 - p);

/** The calibration `cal` (of the base year) moved to `year` by the national levels; unchanged for
 *  the base year, later years and years the table does not list. */
export function calibrationAtYear(cal: Calibration, year: number, levels: YearLevels = loadYearLevels()): Calibration {
  const row = levels.years[String(year)];
  if (year >= levels.baseYear || !row) return cal;
  const base = levels.years[String(levels.baseYear)];
  const moved = <T extends Sourced<number>>(v: T, k: YearLevel, value: number): T => ({
    ...v,
    value,
    year,
    rating: worse(v.rating, row[k].rating),
    source: `${v.source}; moved to ${year} by ${YEARS_FILE} (${k}: ${row[k].source})`,
    note: `${v.note ? `${v.note} ` : ""}Base-year value ${v.value} × the national ${k === "retireeShare" ? "odds" : "ratio"} ${year} ÷ ${levels.baseYear}.`,
  });
  const ratio = (k: YearLevel) => row[k].value / base[k].value;
  const scale = <T extends Sourced<number>>(v: T, k: YearLevel) => moved(v, k, v.value * ratio(k));
  const p = cal.population.retireeShare;
  const o = odds(p.value) * (odds(row.retireeShare.value) / odds(base.retireeShare.value));
  return {
    ...cal,
    population: {
      ...cal.population,
      retireeShare: moved(p, "retireeShare", o / (1 + o)),
      avgWageMonthly: scale(cal.population.avgWageMonthly, "avgWageMonthly"),
      avgPensionMonthly: scale(cal.population.avgPensionMonthly, "avgPensionMonthly"),
    },
    utilisation: {
      ...cal.utilisation,
      encountersPerInsured: scale(cal.utilisation.encountersPerInsured, "encountersPerInsured"),
      hospitalisationRate: scale(cal.utilisation.hospitalisationRate, "hospitalisationRate"),
      encounterStandardRetireeShare: { ...moved(cal.utilisation.encounterStandardRetireeShare, "retireeShare", row.retireeShare.value), note: `The national retiree share of ${year} (${YEARS_FILE}).` },
    },
    costs: {
      ...cal.costs,
      spendingActive: scale(cal.costs.spendingActive, "spendingActive"),
      spendingRetired: scale(cal.costs.spendingRetired, "spendingRetired"),
      // No cost per stay was found for the earlier years: the base year's figure stays, as a check
      // that is shown but not gated (rated E).
      costPerStay: {
        ...cal.costs.costPerStay,
        rating: "E",
        note: `${cal.costs.costPerStay.note ? `${cal.costs.costPerStay.note} ` : ""}In ${year}: the ${levels.baseYear} figure (none found for ${year}), a check only.`,
      },
    },
  };
}
