// Calibration data: schema, loader and validation. One file per city (src/loaders/calibration/
// <city>.yaml) extends national.yaml; every value is {value, source, rating, scope, year, note}:
// `scope` is the level the figure comes from (city, province or national; national.yaml's values
// are national by default, a city file must say which for each of its values) and `year` the year
// the figure describes (every calibration target has one). A bad file is reported the way a
// compiler would: file:line:column: path: message.

import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { z } from "zod";
import { CITY_ID_PATTERN, type CityId } from "../../model/types.ts";
import { cityEntry } from "../cities.ts";
import { fileDisplayName } from "../yaml-file.ts";
import { InputError, parseYamlInput, readInputFile, topLevelProblem } from "../read-input.ts";

export const RATINGS = ["O", "S", "D", "E"] as const;
export type Rating = (typeof RATINGS)[number];
/** The level a value's figure comes from: the city's own, its province's, or the national one. */
export const SCOPES = ["city", "province", "national"] as const;
export type Scope = (typeof SCOPES)[number];

function sourced<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      source: z.string().min(1, "a value needs a source (\"none found\" if none)"),
      rating: z.enum(RATINGS),
      scope: z.enum(SCOPES),
      year: z.number().int().min(1949).max(2100).optional(),
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
    city: z.string().regex(CITY_ID_PATTERN, "must be a city id (the policy file's name)"),
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
        ageTilt: sourced(z.number().min(-0.05).max(0.05)),
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
        hospitalisationRate: sourced(share),
        retiredToActiveInpatientRatio: sourced(positive),
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
        costPerStay: sourced(positive),
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
  scope: Scope;
  year?: number;
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

/** One file, parsed as every input file is (src/loaders/read-input.ts: syntax errors as line:col,
 *  nesting and aliases bounded). */
function parseFile(path: string, text: string): ParsedFile {
  const shown = fileDisplayName(path);
  const parsed = parseYamlInput(text);
  if (!parsed.ok) throw new CalibrationError(parsed.problems.map((p) => (/^\d+:\d+: /.test(p) ? `${shown}:${p}` : `${shown}: ${p}`)));
  const { doc, lc: lineCounter } = parsed;
  const top = topLevelProblem(parsed.value, {});
  if (top) throw new CalibrationError([`${shown}: ${top}`]);
  const data = (parsed.value ?? {}) as Record<string, unknown>;
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

/** Sourced leaves ({value, …}) of a parsed file with their paths. */
function sourcedLeaves(node: Record<string, unknown>, path: string[] = []): Array<{ path: string[]; leaf: Record<string, unknown> }> {
  const out: Array<{ path: string[]; leaf: Record<string, unknown> }> = [];
  for (const [k, v] of Object.entries(node)) {
    if (!isObject(v)) continue;
    if ("value" in v) out.push({ path: [...path, k], leaf: v });
    else out.push(...sourcedLeaves(v, [...path, k]));
  }
  return out;
}

/** national.yaml's values are national: `scope` may be left out there (and may only say national). */
function nationalScopes(nat: ParsedFile): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const { path, leaf } of sourcedLeaves(nat.data)) {
    if (leaf.scope === undefined) leaf.scope = "national";
    else if (leaf.scope !== "national") {
      problems.push({
        path: [...path, "scope"].join("."),
        message: `${nat.locate([...path, "scope"]) ?? nat.path}: ${path.join(".")}.scope: national.yaml holds national figures (scope: national); a city's or province's figure belongs in the city file`,
      });
    }
  }
  return problems;
}

/** A city file must say, for each of its values, which level the figure comes from. */
function cityScopes(city: ParsedFile): Array<{ path: string; message: string }> {
  return sourcedLeaves(city.data)
    .filter(({ leaf }) => leaf.scope === undefined)
    .map(({ path }) => ({
      path: [...path, "scope"].join("."),
      message: `${city.locate(path) ?? city.path}: ${path.join(".")}.scope: a city value needs a scope (${SCOPES.join(" | ")}): the level its figure comes from`,
    }));
}

/** Parses and validates a city's calibration from the texts of national.yaml and <city>.yaml. */
export function parseCalibration(nationalText: string, cityText: string, paths = { national: "national.yaml", city: "city.yaml" }): Calibration {
  const nat = parseFile(paths.national, nationalText);
  const city = parseFile(paths.city, cityText);
  const scopeProblems = [...nationalScopes(nat), ...cityScopes(city)];
  const merged = merge(nat.data, city.data);
  const result = CalibrationSchema.safeParse(merged);
  const seen = new Set(scopeProblems.map((p) => p.path));
  const problems = scopeProblems.map((p) => p.message);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (seen.has(issue.path.join("."))) continue;
      const where = city.locate(issue.path as PropertyKey[]) ?? nat.locate(issue.path as PropertyKey[]) ?? city.path;
      problems.push(`${where}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new CalibrationError(problems);
  return result.data;
}

const cache = new Map<string, Calibration>();

/** The calibration of a city: the national file extended by the city's (src/loaders/cities.ts
 *  says where it is), cached by file; `dir` reads both from another directory (tests). */
export function loadCalibration(city: CityId, dir?: string): Calibration {
  const cityPath = dir ? join(dir, `${city}.yaml`) : cityEntry(city).files.calibration;
  const natPath = join(dir ?? CALIBRATION_DIR, "national.yaml");
  const hit = dir ? undefined : cache.get(cityPath);
  if (hit) return hit;
  const read = (file: string) => {
    try {
      return readInputFile(file, { source: fileDisplayName(file) });
    } catch (e) {
      if (e instanceof InputError) throw new CalibrationError([`${fileDisplayName(file)}: ${e.reason}`]);
      throw e;
    }
  };
  const cal = parseCalibration(read(natPath), read(cityPath), { national: natPath, city: cityPath });
  if (cal.city !== city) throw new CalibrationError([`${cityPath}: city: says "${cal.city}", expected "${city}"`]);
  if (!dir) cache.set(cityPath, cal);
  return cal;
}

/** The base-year inputs of issue 12 (insured by status, age and sex; contribution base; pension;
 *  use and cost of care): the methods page lists, per city, which of them fall back to national
 *  figures. Contribution rates and insured counts are fund-finance values (src/loaders/finance). */
export const BASE_YEAR_INPUTS = [
  "population.retireeShare",
  "population.flexibleShareOfActive",
  "population.ageTilt",
  "population.femaleShareActive",
  "population.femaleShareRetired",
  "population.avgWageMonthly",
  "population.baseBounds",
  "population.baseSigma",
  "population.avgPensionMonthly",
  "utilisation.encountersPerInsured",
  "utilisation.retiredToActiveEncounterRatio",
  "utilisation.hospitalisationRate",
  "utilisation.retiredToActiveInpatientRatio",
  "costs.visitCostLevel1",
  "costs.visitCostLevel2",
  "costs.visitCostLevel3",
  "costs.spendingActive",
  "costs.spendingRetired",
  "costs.costPerStay",
] as const;

/** The level each base-year input of a city comes from, with its rating and why (the note). */
export function baseYearLevels(cal: Calibration): Array<{ path: string } & Sourced> {
  const all = new Map(listSourced(cal).map((v) => [v.path, v]));
  return BASE_YEAR_INPUTS.map((p) => {
    const v = all.get(p);
    if (!v) throw new Error(`base-year input ${p} missing from the calibration`);
    return v;
  });
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
