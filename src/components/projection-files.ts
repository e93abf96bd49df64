// The projection page's editable assumptions and the files it saves, pure (no DOM: the Node tests
// import it too; pages import it as ./projection-files.js, which Framework serves from this .ts):
//
//   EDIT_SPECS[key]                         how the page edits a parameter: unit, step, bounds
//   displayOf(key, value) / valueOf(key, d)  a parameter's value ↔ the number in its input box
//   editedParams(rows, edits)               the parameters the worker projects with
//   editedDists(rows, edits)                the distributions its Monte Carlo draws from (as the
//                                           saved assumptions file reads back)
//   assumptionsFile(city, rows, edits)      the assumptions as an object in the format of
//                                           src/loaders/assumptions/*.yaml (`fundsim project
//                                           --assumptions` reads it); assumptionsYaml(…) its text
//   scenarioYaml(result, {city, edited})    a goal-seek's scenario as a file `fundsim run/project
//                                           --scenario` reads
//
// `rows` are the assumptions of one city as projection.json holds them ({key, value, source,
// rating, note, dist}); `edits` maps a key to the number the reader typed, in display units (rates
// in percent). A rate typed as "6" is written "6%", which the loader reads as 6 / 100 — the very
// number the page projects with — so the file reproduces the page's path exactly.
import {stringify} from "yaml";
import {ASSUMPTION_RANGES, displayRange, type RangedKey} from "../model/assumption-ranges.js";

/** One assumption as projection.json (and the assumptions loader's rows) carry it. */
export interface AssumptionRow {
  key: string;
  value: number;
  source: string;
  rating: string;
  note?: string | null;
  dist?: Dist | null;
}
type Dist = {dist: "normal"; sd: number} | {dist: "triangular" | "uniform"; min: number; max: number};
/** What the reader typed, by key, in display units (rates in percent). */
export type Edits = Record<string, number>;
interface EditSpec {
  unit: "%" | "" | "months" | "years";
  step: number;
  min: number;
  max: number;
}

/** How the page edits each parameter: its unit and bounds from the one table of ranges the loader
 *  checks too (src/model/assumption-ranges.ts), and the step of its input box. */
const STEPS: Record<RangedKey, number> = {
  wageGrowth: 0.1, pensionGrowth: 0.1, costTrend: 0.1, utilisationTrend: 0.1, entryRate: 0.1, retirementRate: 0.1, retireeMortality: 0.1,
  elasticityVisitsActive: 0.01, elasticityVisitsRetired: 0.01, elasticityCostActive: 0.01, elasticityCostRetired: 0.01,
  levelShift: 1, levelCostRatio: 0.05, responseRampYears: 1, capIndexation: 5, openingReserveMonths: 0.5,
  costTrendRetiredDifferential: 0.1, costTrendInpatientDifferential: 0.1, costTrendProcessSd: 0.1, wageGrowthProcessSd: 0.1, wageCostCorrelation: 0.05,
  flexibleEntryRate: 0.1, interestRate: 0.05, compliance: 0.01, inpatientShareFactor: 0.01, reconciliationFactor: 0.05, retireeShareFactor: 0.01, openingReserveFactor: 0.01
};
export const EDIT_SPECS: Record<string, EditSpec> = Object.fromEntries(
  (Object.keys(ASSUMPTION_RANGES) as RangedKey[]).map((k) => [k, {...displayRange(k), step: STEPS[k]}])
);

const isRate = (key: string) => EDIT_SPECS[key]?.unit === "%";
/** At most 12 significant digits: 0.07 × 100 is 7, not 7.000000000000001. */
const clean = (x: number) => Number(x.toPrecision(12));

/** The number a parameter's input box shows for a value (rates in percent). */
export function displayOf(key: string, value: number): number {
  return isRate(key) ? clean(value * 100) : clean(value);
}

/** The value of a number typed in a parameter's box (the loader reads "6%" as 6 / 100 too). */
export function valueOf(key: string, display: number): number {
  return isRate(key) ? display / 100 : display;
}

/** The parameters to project with: the files' values, the edited ones replaced. An unedited value
 *  stays the file's number itself, so with no edits the page projects exactly what the build did. */
export function editedParams(rows: AssumptionRow[], edits: Edits = {}): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.key, r.key in edits ? valueOf(r.key, edits[r.key]) : r.value]));
}

/** A value as the assumptions files write it: "6%" for a rate, else the number. */
function fileNumber(key: string, value: number): string | number {
  return isRate(key) ? `${displayOf(key, value)}%` : clean(value);
}

/** The number typed, as the file writes it (so it reads back as exactly valueOf(key, display)). */
function typedNumber(key: string, display: number): string | number {
  return isRate(key) ? `${display}%` : display;
}

/** A distribution moved with an edit of its central value: a triangular or uniform range keeps
 *  its shape, moved by the edit, so the value stays inside as the loader requires (held inside the
 *  parameter's range, which the loader checks the ends against); a normal keeps its sd. */
function movedDist(key: string, dist: Dist, delta: number, value: number): Dist {
  if (dist.dist === "normal") return dist;
  const r = ASSUMPTION_RANGES[key as RangedKey];
  const min = Math.max(r ? r.min : -Infinity, Math.min(dist.min + delta, value));
  const max = Math.min(r ? r.max : Infinity, Math.max(dist.max + delta, value));
  return {dist: dist.dist, min, max};
}

/** A distribution in the file's notation. */
function fileDist(key: string, dist: Dist | null | undefined, delta: number, value: number) {
  if (!dist) return undefined;
  const d = movedDist(key, dist, delta, value);
  return d.dist === "normal" ? {dist: "normal", sd: fileNumber(key, d.sd)} : {dist: d.dist, min: fileNumber(key, d.min), max: fileNumber(key, d.max)};
}

/** A number as the assumptions file reads it back ("6%" → 6 / 100). */
const readBack = (key: string, x: number) => (isRate(key) ? valueOf(key, displayOf(key, x)) : clean(x));

/**
 * The distributions the Monte Carlo draws from under the edits, by key: exactly those `fundsim
 * project --assumptions <the saved file>` reads (an edited value's range moved with it, each number
 * as the file writes it), so a band the page's worker computes is the command's. The opening
 * reserve has none (the file carries none; its uncertainty is openingReserveFactor's).
 */
export function editedDists(rows: AssumptionRow[], edits: Edits = {}): Record<string, Dist> {
  const out: Record<string, Dist> = {};
  for (const r of rows) {
    if (!r.dist || r.key === "openingReserveMonths") continue;
    const edited = r.key in edits && valueOf(r.key, edits[r.key]) !== r.value;
    const v = edited ? valueOf(r.key, edits[r.key]) : r.value;
    const d = movedDist(r.key, r.dist, v - r.value, v);
    out[r.key] = d.dist === "normal" ? {dist: "normal", sd: readBack(r.key, d.sd)} : {dist: d.dist, min: readBack(r.key, d.min), max: readBack(r.key, d.max)};
  }
  return out;
}

/** What a value reads as in a note: "4%" / "-0.2" / "20". */
function shown(key: string, value: number): string {
  return String(fileNumber(key, value));
}

/**
 * The assumptions as an assumptions file (src/loaders/assumptions/*.yaml; every entry {value,
 * source, rating, note, dist}), with `city`. Every key is written, so the file alone fixes the
 * projection; an edited entry says so in its source and note and is rated E (the reader's own
 * estimate).
 */
export function assumptionsFile(city: string, rows: AssumptionRow[], edits: Edits = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {city};
  for (const r of rows) {
    const edited = r.key in edits && valueOf(r.key, edits[r.key]) !== r.value;
    if (!edited) {
      const e: Record<string, unknown> = {value: fileNumber(r.key, r.value), source: r.source, rating: r.rating};
      if (r.note) e.note = r.note;
      const d = r.key === "openingReserveMonths" ? undefined : fileDist(r.key, r.dist, 0, r.value);
      if (d) e.dist = d;
      out[r.key] = e;
      continue;
    }
    const v = valueOf(r.key, edits[r.key]);
    const e: Record<string, unknown> = {
      value: typedNumber(r.key, edits[r.key]),
      source: `精算预测页面修改 / edited on the projection page; the file's value ${shown(r.key, r.value)} came from: ${r.source}`,
      rating: "E",
      note: `Edited on the projection page (精算预测): ${shown(r.key, r.value)} → ${typedNumber(r.key, edits[r.key])}.${r.note ? ` The file's note: ${r.note}` : ""}`
    };
    const d = r.key === "openingReserveMonths" ? undefined : fileDist(r.key, r.dist, v - r.value, v);
    if (d) e.dist = d;
    out[r.key] = e;
  }
  return out;
}

/** The keys whose typed value differs from the file's. */
export function editedKeys(rows: AssumptionRow[], edits: Edits = {}): string[] {
  return rows.filter((r) => r.key in edits && valueOf(r.key, edits[r.key]) !== r.value).map((r) => r.key);
}

/** The assumptions file's text: a header saying what it is and how to run it, then the entries.
 *  `name`: how the header names the city (e.g. "兰州 Lanzhou"; the id when not given). */
export function assumptionsYaml(city: string, rows: AssumptionRow[], edits: Edits = {}, name = city): string {
  const keys = editedKeys(rows, edits);
  const changes = keys.map((k) => `${k} ${shown(k, rows.find((r) => r.key === k)!.value)} → ${typedNumber(k, edits[k])}`);
  return (
    `# fundsim projection assumptions — ${name}, saved from the projection page (精算预测)\n` +
    `# ${keys.length ? `Edited: ${changes.join("; ")}.` : "The files' assumptions, unedited."} Every entry replaces the city's own\n` +
    `# (src/loaders/assumptions/). Run: node bin/fundsim.js project --city ${city} --assumptions <this file> --out <dir>\n` +
    stringify(assumptionsFile(city, rows, edits), {lineWidth: 0})
  );
}

/** A goal-seek on the Monte Carlo band (the page's percentile or probability target): the target's
 *  kind and level (percentile 0–100, probability 0–1), the draws and the population draws. */
export interface BandSeek {
  kind: "percentile" | "probability";
  level: number;
  draws: number;
  samples: number;
  samplePersons: number;
}

/** A goal-seek's scenario as a file: a header with the question, the answer and how to run it
 *  (with `band`, the Monte Carlo that reproduces the percentile). */
export function scenarioYaml(
  result: {lever: string; value: number | null; year: number; target: number; achieved: number; scenario: unknown},
  {city, edited = false, persons, name = city, band = null}: {city: string; edited?: boolean; persons: number; name?: string; band?: BandSeek | null}
): string {
  const assumptions = edited ? " --assumptions <the assumptions file saved with it>" : "";
  const what = !band
    ? `keeps the months of reserve in ${result.year} ≥ ${result.target} (achieved ${result.achieved.toFixed(2)}`
    : band.kind === "percentile"
      ? `keeps the ${band.level}th percentile of the months of reserve in ${result.year} ≥ ${result.target} (achieved ${result.achieved.toFixed(2)}`
      : `keeps P(months of reserve in ${result.year} < ${result.target}) ≤ ${band.level} (its ${band.level} quantile ${result.achieved.toFixed(2)}`;
  const draws = band ? ` --draws ${band.draws} --samples ${band.samples} --sample-persons ${band.samplePersons} --seed 1` : "";
  return (
    `# fundsim scenario — ${name}, goal-seek on the projection page (精算预测):\n` +
    `# ${result.lever} = ${result.value} ${what}` +
    `${edited ? ", with the page's edited assumptions" : ", with the files' assumptions"}; sample of ${persons} persons, seed 1` +
    `${band ? `; ${band.draws} Monte Carlo draws on ${band.samples} population draws of ${band.samplePersons} persons` : ""}).\n` +
    `# Run: node bin/fundsim.js project --city ${city} --persons ${persons}${draws} --scenario <this file>${assumptions} --out <dir>\n` +
    stringify(result.scenario, {lineWidth: 0})
  );
}
