// Calibration data: schema, loader and validation. One file per city (src/loaders/calibration/
// <city>.yaml) extends national.yaml; every value is {value, source, rating, note}. A bad file is
// reported the way a compiler would: file:line:column: path: message.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { CITIES, type CityId } from "../../model/types.ts";

export const RATINGS = ["O", "S", "D", "E"] as const;
export type Rating = (typeof RATINGS)[number];

function sourced<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      source: z.string().min(1, "a value needs a source (\"none found\" if none)"),
      rating: z.enum(RATINGS),
      note: z.string().optional(),
    })
    .strict()
    .refine((s: { rating: Rating; note?: string }) => s.rating !== "E" || (s.note !== undefined && s.note.trim().length > 0), {
      message: "an E (estimated) value needs a note saying what was chosen and why",
      path: ["note"],
    });
}

const share = z.number().min(0).max(1);
const positive = z.number().positive();
const tuple = (n: number, item: z.ZodNumber = z.number()) => z.array(item).length(n);
const mix3 = tuple(3, share).refine((a) => Math.abs(a[0] + a[1] + a[2] - 1) < 1e-9, "the three shares must sum to 1");
/** [[ages…], [values…]] with ascending ages. */
const curve = (value: z.ZodNumber = z.number().nonnegative()) =>
  z
    .tuple([z.array(z.number()).min(2), z.array(value).min(2)])
    .refine(([a, v]) => a.length === v.length, "ages and values must have the same length")
    .refine(([a]) => a.every((x, i) => i === 0 || x > a[i - 1]), "ages must ascend");
/** [[ages…], [l1, l2, l3], …]: one level mix per age. */
const levelCurve = z
  .array(z.array(z.number()))
  .min(2)
  .refine((rows) => rows.length === rows[0].length + 1, "one level mix per age in the first row")
  .refine((rows) => rows.slice(1).every((m) => m.length === 3 && Math.abs(m[0] + m[1] + m[2] - 1) < 1e-9 && m.every((x) => x >= 0)), "each level mix is three shares summing to 1");

export const CalibrationSchema = z
  .object({
    city: z.enum(CITIES),
    name: z.string(),
    population: z
      .object({
        retireeShare: sourced(share),
        flexibleShareOfActive: sourced(share),
        femaleShareActive: sourced(share),
        femaleShareRetired: sourced(share),
        womenWorkersShare: sourced(share),
        retirementAges: sourced(tuple(3, z.number().int().min(40).max(70))),
        delayStartYear: sourced(z.number().int()),
        delayEveryMonths: sourced(tuple(3, z.number().int().positive())),
        delayMaxMonths: sourced(tuple(3, z.number().int().nonnegative())),
        activeAgeWeights: sourced(tuple(11, z.number().nonnegative())),
        retireeMortality: sourced(tuple(2, positive)),
        retireeCohortDecline: sourced(z.number()),
        avgWageMonthly: sourced(positive),
        baseBounds: sourced(tuple(2, positive)).refine((b) => b.value[0] < b.value[1], "lower bound must be below the upper"),
        baseMedianRatio: sourced(positive),
        baseSigma: sourced(z.number().nonnegative()),
        flexibleAtFloorShare: sourced(share),
        avgPensionMonthly: sourced(positive),
        pensionSigma: sourced(z.number().nonnegative()),
        flexibleWithAccountShare: sourced(share),
        oldWorkerShare: sourced(share),
        oldWorkerBornBy: sourced(z.number().int()),
        registeredElsewhereShare: sourced(tuple(2, share)),
      })
      .strict(),
    disease: z
      .object({
        hypertensionByBand: sourced(tuple(3, share)),
        hypertensionShape: sourced(curve(share)),
        diabetesShape: sourced(curve(share)),
        hypertensionDiagnosedShare: sourced(share),
        diabetesDiagnosedShare: sourced(share),
        twoDiseaseRegisteredShare: sourced(share),
        chronicShape: sourced(curve(share)),
      })
      .strict(),
    utilisation: z
      .object({
        encountersPerInsured: sourced(positive),
        encounterStandardRetireeShare: sourced(share),
        retiredToActiveEncounterRatio: sourced(positive),
        inpatientRate: sourced(tuple(2, z.number().nonnegative())),
        daySurgeryRate: sourced(tuple(2, z.number().nonnegative())),
        dispersion: sourced(tuple(2, positive)),
        outpatientAgeShape: sourced(curve(positive)),
        inpatientAgeShape: sourced(curve(positive)),
        diseaseVisitMultiplier: sourced(tuple(3, positive)),
        diseaseInpatientMultiplier: sourced(tuple(3, positive)),
        pharmacyShare: sourced(tuple(2, share)),
        prescriptionShare: sourced(share),
        levelMix: sourced(levelCurve),
        specialExamShare: sourced(tuple(3, share)),
        specialExamCostFactor: sourced(positive),
        tcmShare: sourced(tuple(3, share)),
        twoDiseaseShare: sourced(share),
        chronicSpecialShare: sourced(share),
        inpatientLevelMix: sourced(mix3),
        daySurgeryLevelMix: sourced(mix3),
        emergencyShare: sourced(tuple(3, share)),
        designatedShare: sourced(tuple(2, share)),
        areaShares: sourced(tuple(2, share)).refine((a) => a.value[0] + a.value[1] <= 1, "area shares must sum to at most 1"),
        registeredElsewhereLocalShare: sourced(share),
        monthWeights: sourced(tuple(12, positive)),
        facilities: sourced(tuple(4, z.number().int().positive().max(65_536))),
        usualFacilityShare: sourced(share),
        maxEncounters: sourced(z.number().int().positive().max(65_535)),
      })
      .strict(),
    costs: z
      .object({
        visitCostLevel1: sourced(positive),
        visitCostLevel2: sourced(positive),
        visitCostLevel3: sourced(positive),
        pharmacyCost: sourced(positive),
        outpatientCostSigma: sourced(z.number().nonnegative().max(3)),
        spendingActive: sourced(positive),
        spendingRetired: sourced(positive),
        inpatientCostSigma: sourced(z.number().nonnegative().max(3)),
        daySurgeryCost: sourced(positive),
        daySurgeryCostSigma: sourced(z.number().nonnegative().max(3)),
        policyScopeShare: sourced(tuple(3, share)),
        pharmacyScopeShare: sourced(share),
        inpatientScopeShare: sourced(share),
        maxClaimYuan: sourced(z.number().positive().max(20_000_000)),
      })
      .strict(),
  })
  .strict();

export type Calibration = z.infer<typeof CalibrationSchema>;
export interface Sourced<T = unknown> {
  value: T;
  source: string;
  rating: Rating;
  note?: string;
}

export const CALIBRATION_DIR = dirname(fileURLToPath(import.meta.url));

export class CalibrationError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "CalibrationError";
  }
}

interface ParsedFile {
  path: string;
  data: Record<string, unknown>;
  locate(path: readonly PropertyKey[]): string | null;
}

function parseFile(path: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const shown = relative(process.cwd(), path) || path;
  if (doc.errors.length > 0) {
    throw new CalibrationError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${shown}${pos ? `:${pos.line}:${pos.col}` : ""}: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  return {
    path: shown,
    data,
    locate(p) {
      for (let n = p.length; n > 0; n--) {
        const node = doc.getIn(p.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === "object" && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return `${shown}:${pos.line}:${pos.col}`;
        }
      }
      return null;
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Deep merge where a sourced leaf ({value, …}) replaces the base's leaf wholesale. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(v) && isObject(b) && !("value" in v) ? merge(b, v) : v;
  }
  return out;
}

/** Parses and validates a city's calibration from the texts of national.yaml and <city>.yaml. */
export function parseCalibration(nationalText: string, cityText: string, paths = { national: "national.yaml", city: "city.yaml" }): Calibration {
  const nat = parseFile(paths.national, nationalText);
  const city = parseFile(paths.city, cityText);
  const merged = merge(nat.data, city.data);
  const result = CalibrationSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = city.locate(issue.path as PropertyKey[]) ?? nat.locate(issue.path as PropertyKey[]) ?? city.path;
      return `${where}: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
    });
    throw new CalibrationError(problems);
  }
  return result.data;
}

const cache = new Map<CityId, Calibration>();

/** The calibration of a city, read from src/loaders/calibration (cached). */
export function loadCalibration(city: CityId, dir = CALIBRATION_DIR): Calibration {
  if (!(CITIES as readonly string[]).includes(city)) {
    throw new CalibrationError([`unknown city "${city}" (one of ${CITIES.join(", ")})`]);
  }
  const hit = dir === CALIBRATION_DIR ? cache.get(city) : undefined;
  if (hit) return hit;
  const natPath = join(dir, "national.yaml");
  const cityPath = join(dir, `${city}.yaml`);
  const cal = parseCalibration(readFileSync(natPath, "utf8"), readFileSync(cityPath, "utf8"), { national: natPath, city: cityPath });
  if (cal.city !== city) throw new CalibrationError([`${cityPath}: city: says "${cal.city}", expected "${city}"`]);
  if (dir === CALIBRATION_DIR) cache.set(city, cal);
  return cal;
}

/** Every sourced value of a calibration with its dotted path (for the methods page and reports). */
export function listSourced(cal: Calibration): Array<{ path: string } & Sourced> {
  const out: Array<{ path: string } & Sourced> = [];
  for (const [section, values] of Object.entries(cal)) {
    if (!isObject(values)) continue;
    for (const [key, v] of Object.entries(values)) out.push({ path: `${section}.${key}`, ...(v as Sourced) });
  }
  return out;
}
