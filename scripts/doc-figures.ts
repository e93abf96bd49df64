// The model figures quoted in docs/projection.md and README.md, computed by the model (issue 13).
// A quoted figure is marked in the Markdown, invisibly when rendered:
//
//     <!-- fig:lanzhou.months.2032.p5000.seed1 -->11.0<!-- /fig -->
//
// and FIGURES below says how each named figure is computed — with the real projection code, at the
// sizes and seeds the sentence states. `npm run doc-figures` rewrites every marked value in place;
// `-- --check` only compares (exit 1 naming each figure that differs); `-- --full` also computes the
// figures marked `full` (the seed-to-seed table: 5 cities × 5 seeds at 20 000 and 100 000 persons,
// minutes of work), which the check in test/doc-figures.test.ts skips. Figures from sources
// (calibration, NHSA) are not marked: they are not the model's.
//
// A table the code defines is a block between two marker lines, rewritten and checked the same way:
//
//     <!-- table:microdata -->
//     | … the table … |
//     <!-- /table -->
//
// TABLES says how each is made (docs/data.md's microdata columns, from src/loaders/microdata/format.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seedSpread } from "../src/cli/project-seeds.ts";
import { cityCohorts } from "../src/loaders/projection-cohorts.ts";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { populationPath } from "../src/model/projection/demography.ts";
import { goalSeekLever, rateShiftChange } from "../src/model/projection/goal-seek.ts";
import { cohortsOf, prepareProjection, projectScheme, type SchemeProjection, type PreparedProjection } from "../src/model/projection/project.ts";
import { type CityId } from "../src/model/types.ts";
import { cityRegistry } from "../src/loaders/cities.ts";

/** The project's own cities: the figures the docs quote are theirs, whatever FUNDSIM_POLICIES adds. */
const cityIds = () => cityRegistry().filter((c) => c.builtin).map((c) => c.id);
import { type BacktestResult, runBacktest } from "../src/pipeline/backtest.ts";
import { markdownTable } from "../src/loaders/microdata/format.ts";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
/** The files whose marked figures are kept. */
export const DOCS = ["docs/projection.md", "README.md", "docs/data.md"];

const BASE_YEAR = 2023, YEARS = 10, LAST = BASE_YEAR + YEARS - 1;

// ---- formatting (the docs' conventions: "−" for minus, a space between thousands) ---------------

const minus = (s: string) => s.replace(/^-/, "−");
export const fixed = (x: number, d: number) => minus(x.toFixed(d));
const grouped = (x: number) => minus(Math.round(x).toLocaleString("en").replace(/,/g, " "));
const signed = (x: number, d: number) => (x > 0 ? "+" : "") + fixed(x, d);
const pct = (s: string) => s.replace(/%$/, " %");

// ---- the runs (cached: several figures come from one) -------------------------------------------

const cache = new Map<string, unknown>();
function once<T>(key: string, f: () => T): T {
  if (!cache.has(key)) cache.set(key, f());
  return cache.get(key) as T;
}

function inputs(city: CityId) {
  return once(`in:${city}`, () => {
    const policy = loadPolicy(city);
    return { policy, finance: loadFinance(city).finance, assumptions: loadAssumptions(city) };
  });
}

/** `fundsim project --city C --persons N --seed S` (10 years from 2023, the city's reform and baseline, the files' assumptions). */
function central(city: CityId, persons: number, seed: number): { prep: PreparedProjection; schemes: SchemeProjection[]; base: Parameters<typeof goalSeekLever>[2] } {
  return once(`central:${city}:${persons}:${seed}`, () => {
    const { policy, finance, assumptions } = inputs(city);
    const { persons: p, claims } = generateChunk(cityModel(city, BASE_YEAR), seed, 0, persons);
    const base = { sample: { persons: p, claims, ids: p.id, sex: p.sex }, baseYear: BASE_YEAR, years: YEARS, baseline: policy.baseline, finance, ...cityCohorts(city, BASE_YEAR, finance.insured) };
    const prep = prepareProjection({ ...base, schemes: [policy.reform, policy.baseline] });
    return { prep, base, schemes: [0, 1].map((i) => projectScheme(prep, assumptions.params, i)) };
  });
}

/** Lanzhou's reform with and without the utilisation response, in the year its ramp completes: the
 *  extra claims (all outpatient: the response moves outpatient use only) per insured a month. */
function responsePerMonth(): { year: number; perMonth: number } {
  return once("response", () => {
    const { assumptions } = inputs("lanzhou");
    const q = assumptions.params;
    const off = { ...q, elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0 };
    const prep = central("lanzhou", 20_000, 1).prep;
    const t = Math.min(YEARS, Math.max(1, Math.round(q.responseRampYears))) - 1;
    const on = projectScheme(prep, q, 0).years[t], without = projectScheme(prep, off, 0).years[t];
    return { year: on.year, perMonth: (on.flows.claims - without.flows.claims) / on.insured / 12 };
  });
}

/** `fundsim project --city C --persons N --seed 1 --seeds 5`: the spread of the last year's months. */
function spread(city: CityId, persons: number) {
  return once(`spread:${city}:${persons}`, () => {
    const { policy, finance, assumptions } = inputs(city);
    process.stderr.write(`doc-figures: ${city}, 5 seeds of ${persons} persons…\n`);
    return seedSpread({ city, baseYear: BASE_YEAR, years: YEARS, persons, seed: 1, seeds: 5, schemes: [policy.reform, policy.baseline], baseline: policy.baseline, finance, params: assumptions.params });
  });
}

// ---- the figures ----------------------------------------------------------------------------------

export interface Figure {
  /** Minutes of work: computed only with --full (and not checked by the test). */
  full?: boolean;
  compute: () => string;
}

const lanzhouMonths = (persons: number) => central("lanzhou", persons, 1).schemes[0].years[YEARS - 1].monthsOfReserve;
const lanzhouPrice = () => central("lanzhou", 20_000, 1).prep.prices[0][0];
const epsVisits = () => inputs("lanzhou").assumptions.params.elasticityVisitsActive;
const rateCell = (level: string) => () => {
  const v = rateShiftChange(2.5, () => inputs("lanzhou").policy.reform).set[`benefits.general.rate.${level}`] as { active: string; retired: string };
  return `${pct(v.active)}/${pct(v.retired)}`;
};

export const FIGURES: Record<string, Figure> = {
  // docs/projection.md, the examples: the rate shift keeping 12 months in 2030 (5 000 persons, seed 1:
  // at the default 20 000 the bisection takes ≈ 12 s, too long for the test's check).
  "lanzhou.goal-seek.rate.12.2030.p5000.seed1": {
    compute: () => {
      const { policy, assumptions } = inputs("lanzhou");
      const r = goalSeekLever(policy, null, central("lanzhou", 5_000, 1).base, assumptions.params, { lever: "rate", target: 12, year: 2030 });
      return r.value === null ? "none" : signed(r.value, 1);
    },
  },
  // Utilisation response: Lanzhou's reform's outpatient price for actives (baseline: 1), and what ε does to visits.
  "lanzhou.price.active.p20000.seed1": { compute: () => fixed(lanzhouPrice(), 2) },
  "lanzhou.price.baseline.active.p20000.seed1": { compute: () => fixed(central("lanzhou", 20_000, 1).prep.pBase[0], 0) },
  "lanzhou.elasticityVisitsActive": { compute: () => fixed(epsVisits(), 1) },
  "lanzhou.visits.response.active.p20000.seed1": { compute: () => fixed((Math.pow(lanzhouPrice(), epsVisits()) - 1) * 100, 0) },
  // The response's size against a published one (issue 12 item 5): extra claims per insured a month
  // once the response is complete, the reform with the response against the reform without it, in the
  // year the ramp ends (Lanzhou, the default 20 000 persons, seed 1).
  [`lanzhou.response.claims.permonth.p20000.seed1`]: { compute: () => fixed(responsePerMonth().perMonth, 3) },
  [`lanzhou.response.year.p20000.seed1`]: { compute: () => String(responsePerMonth().year) },
  // Sampling noise: the last year's months of the reform on seed 1 at two sizes.
  [`lanzhou.months.${LAST}.p5000.seed1`]: { compute: () => fixed(lanzhouMonths(5_000), 1) },
  [`lanzhou.months.${LAST}.p20000.seed1`]: { compute: () => fixed(lanzhouMonths(20_000), 1) },
  // The rate lever: Lanzhou's general outpatient rates at +2.5 points (active/retired).
  "lanzhou.rate+2.5.level1": { compute: rateCell("level1") },
  "lanzhou.rate+2.5.level2": { compute: rateCell("level2") },
  "lanzhou.rate+2.5.level3": { compute: rateCell("level3") },
  // Ranges: what a mortality of 200 % would do to Lanzhou's retirees in a year (the loader refuses it).
  "lanzhou.retirees.mortality200.year1.p5000.seed1": {
    compute: () => grouped(populationPath(cohortsOf(central("lanzhou", 5_000, 1).prep, { ...inputs("lanzhou").assumptions.params, retireeMortality: 2 }, 2))[1][1]),
  },
};

// The seed-to-seed table: every city, 5 seeds (1–5), at 20 000 and 40 000 persons: the reform's mean,
// SD and range (max − min) of the last year's months, the baseline's SD.
for (const city of cityIds()) {
  for (const persons of [20_000, 40_000]) {
    const k = `seeds5.${city}.p${persons}`;
    const range = (m: number[]) => Math.max(...m) - Math.min(...m);
    if (persons === 20_000) FIGURES[`${k}.reform.mean`] = { full: true, compute: () => fixed(spread(city, persons).schemes[0].mean, 1) };
    FIGURES[`${k}.reform.sd`] = { full: true, compute: () => fixed(spread(city, persons).schemes[0].sd, 2) };
    FIGURES[`${k}.reform.range`] = { full: true, compute: () => fixed(range(spread(city, persons).schemes[0].months), 2) };
    FIGURES[`${k}.baseline.sd`] = { full: true, compute: () => fixed(spread(city, persons).schemes[1].sd, 2) };
  }
}

// ---- the back-test (README "How close the model comes") -------------------------------------------
// `fundsim backtest --city all --persons 20000 --seed 1` (the methods page's size and seed): the
// error of a line against the published figure, or the model's value (the published ones are
// sources, not marked).

const BT_PERSONS = 20_000;
const backtest = (seed = 1): BacktestResult => once(`backtest:${seed}`, () => runBacktest({ cities: cityIds(), persons: BT_PERSONS, seed }));
function btRow(place: string, vs: string, year: number, line: string, seed = 1) {
  const r = backtest(seed).rows.find((x) => x.place === place && x.compared_with === vs && x.year === year && x.line === line);
  if (!r) throw new Error(`doc-figures: no back-test row ${place}/${vs}/${year}/${line}`);
  return r;
}
const btError = (place: string, vs: string, year: number, line: string) => () => `${signed(btRow(place, vs, year, line).error_pct!, 1)} %`;
const btModel = (place: string, vs: string, year: number, line: string) => () => fixed(btRow(place, vs, year, line).model, 1);
const BT = `p${BT_PERSONS}.seed1`;
for (const [year, line] of [
  [2021, "fund_income"], [2021, "fund_spending"], [2022, "fund_income"], [2022, "fund_spending"], [2022, "pooled_balance"],
  [2023, "pooled_income"], [2023, "pooled_spending"], [2023, "account_income"], [2023, "account_spending"], [2023, "pooled_balance"],
  [2024, "pooled_income"], [2024, "pooled_spending"], [2024, "account_income"], [2024, "fund_spending"],
] as const) {
  FIGURES[`backtest.national.${year}.${line}.error.${BT}`] = { compute: btError("national", "national", year, line) };
}
for (const [year, line] of [[2023, "surplus_rate"], [2024, "surplus_rate"], [2024, "months"]] as const) {
  FIGURES[`backtest.national.${year}.${line}.model.${BT}`] = { compute: btModel("national", "national", year, line) };
}
// The cities against the national figure: the range of one line's error over the five.
const btRange = (year: number, line: string) => () => {
  const e = cityIds().map((c) => btRow(c, "national", year, line).error_pct!);
  return `${signed(Math.min(...e), 0)} to ${signed(Math.max(...e), 0)} %`;
};
FIGURES[`backtest.cities.2021.fund_spending_per_insured.range.${BT}`] = { compute: btRange(2021, "fund_spending_per_insured") };
FIGURES[`backtest.cities.2021.fund_income_per_insured.range.${BT}`] = { compute: btRange(2021, "fund_income_per_insured") };
FIGURES[`backtest.neijiang.nanchong.2023.fund_spending_per_insured.error.${BT}`] = { compute: btError("neijiang", "nanchong", 2023, "fund_spending_per_insured") };
FIGURES[`backtest.ganzhou.xinyu.2023.fund_spending_per_insured.error.${BT}`] = { compute: btError("ganzhou", "xinyu", 2023, "fund_spending_per_insured") };
// Seed to seed (seeds 1–3): the largest spread of the composite's amounts, in % (minutes of work).
FIGURES[`backtest.national.seeds3.amounts.spread.p${BT_PERSONS}`] = {
  full: true,
  compute: () => {
    let worst = 0;
    for (const r of backtest(1).rows.filter((x) => x.place === "national" && x.unit === "100m_yuan")) {
      const v = [1, 2, 3].map((s) => btRow("national", "national", r.year, r.line, s).model);
      worst = Math.max(worst, ((Math.max(...v) - Math.min(...v)) / Math.abs(v[0])) * 100);
    }
    return fixed(worst, 1);
  },
};

// ---- the markers ----------------------------------------------------------------------------------

const MARKER = /<!-- fig:([A-Za-z0-9._+-]+) -->(.*?)<!-- \/fig -->/g;

/** The tables written from code, by block name. */
export const TABLES: Record<string, () => string> = {
  microdata: markdownTable,
};

const TABLE_BLOCK = /<!-- table:([a-z0-9-]+) -->\n([\s\S]*?)\n<!-- \/table -->/g;

/** The marked tables of a text: name and content (between the marker lines). */
export function tableBlocks(text: string): Array<{ name: string; text: string }> {
  return [...text.matchAll(TABLE_BLOCK)].map((m) => ({ name: m[1], text: m[2] }));
}

/** A text with every marked table as the code gives it. */
export function rewriteTables(text: string): string {
  return text.replace(TABLE_BLOCK, (all, name: string) => (TABLES[name] ? `<!-- table:${name} -->\n${TABLES[name]()}\n<!-- /table -->` : all));
}

export interface Marker {
  file: string;
  name: string;
  quoted: string;
}

export function markersOf(file: string, text: string): Marker[] {
  return [...text.matchAll(MARKER)].map((m) => ({ file, name: m[1], quoted: m[2] }));
}

export interface Difference extends Marker {
  computed: string;
}

export interface Check {
  differences: Difference[];
  /** Markers naming no figure, and figures no document quotes. */
  unknown: Marker[];
  unused: string[];
  /** Figures not computed (full ones without --full). */
  skipped: string[];
  checked: number;
}

/** Computes every quoted figure (the full ones only with `full`) and compares it with the text. */
export function checkDocs({ root = ROOT, full = false }: { root?: string; full?: boolean } = {}): Check & { texts: Map<string, string>; values: Map<string, string> } {
  const texts = new Map(DOCS.map((f) => [f, readFileSync(join(root, f), "utf8")]));
  const markers = [...texts].flatMap(([f, t]) => markersOf(f, t));
  const unknown = markers.filter((m) => !(m.name in FIGURES));
  const quoted = new Set(markers.map((m) => m.name));
  const unused = Object.keys(FIGURES).filter((n) => !quoted.has(n));
  const values = new Map<string, string>();
  const skipped = new Set<string>();
  const differences: Difference[] = [];
  let checked = 0;
  for (const m of markers) {
    const fig = FIGURES[m.name];
    if (!fig) continue;
    if (fig.full && !full) {
      skipped.add(m.name);
      continue;
    }
    if (!values.has(m.name)) values.set(m.name, fig.compute());
    checked++;
    if (values.get(m.name) !== m.quoted) differences.push({ ...m, computed: values.get(m.name)! });
  }
  for (const [f, t] of texts) {
    for (const b of tableBlocks(t)) {
      const make = TABLES[b.name];
      if (!make) {
        unknown.push({ file: f, name: `table:${b.name}`, quoted: "" });
        continue;
      }
      checked++;
      if (make() !== b.text) differences.push({ file: f, name: `table:${b.name}`, quoted: "a table", computed: "another (npm run doc-figures rewrites it)" });
    }
  }
  return { differences, unknown, unused, skipped: [...skipped], checked, texts, values };
}

/** Writes every computed figure into its markers; returns the figures changed. */
export function rewriteDocs(opts: { root?: string; full?: boolean } = {}): Check {
  const root = opts.root ?? ROOT;
  const c = checkDocs(opts);
  for (const f of c.texts.keys()) {
    const text = readFileSync(join(root, f), "utf8"); // as it is now (the full figures take minutes)
    const next = rewriteTables(text.replace(MARKER, (all, name: string) => (c.values.has(name) ? `<!-- fig:${name} -->${c.values.get(name)}<!-- /fig -->` : all)));
    if (next !== text) writeFileSync(join(root, f), next);
  }
  return c;
}

export function report(c: Check, check: boolean): string {
  const lines = [
    ...c.differences.map((d) => `${d.file}: ${d.name}: ${check ? "quoted" : "was"} ${d.quoted}, the model gives ${d.computed}`),
    ...c.unknown.map((m) => `${m.file}: ${m.name}: no such figure (scripts/doc-figures.ts, FIGURES)`),
    ...c.unused.map((n) => `${n}: defined but quoted nowhere`),
  ];
  lines.push(`${c.checked} figures ${check ? "checked" : "computed"}, ${c.differences.length} ${check ? "differ" : "rewritten"}${c.skipped.length ? `, ${c.skipped.length} skipped (--full computes them)` : ""}`);
  return lines.join("\n") + "\n";
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const bad = args.filter((a) => a !== "--check" && a !== "--full" && a !== "--tables");
  if (bad.length) {
    process.stderr.write(`doc-figures: unknown option ${bad[0]} (--check: compare only; --full: also the seed-to-seed table; --tables: rewrite the tables only)\n`);
    process.exit(2);
  }
  if (args.includes("--tables")) {
    // The tables alone (seconds, no model runs): after a change to a table's code.
    for (const f of DOCS) {
      const text = readFileSync(join(ROOT, f), "utf8");
      const next = rewriteTables(text);
      if (next !== text) {
        writeFileSync(join(ROOT, f), next);
        process.stdout.write(`${f}: tables rewritten\n`);
      }
    }
    process.exit(0);
  }
  const check = args.includes("--check"), full = args.includes("--full");
  const c = check ? checkDocs({ full }) : rewriteDocs({ full });
  process.stdout.write(report(c, check));
  if (c.unknown.length || c.unused.length || (check && c.differences.length)) process.exitCode = 1;
}
