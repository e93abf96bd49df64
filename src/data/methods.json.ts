// The methods page's data: every policy assumption (a parameter with `assumption: true`, with its
// default and article), the fund-finance assumptions, every calibration value with its source,
// rating, level (city, province or national: where its figure comes from) and year, the calibration
// report (targets beside what the generated population gives), the policy documents, and
// docs/calculation.md as HTML. Run by Framework through tsx (cwd = project root).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { parse as parseYaml } from "yaml";
import { BASE_YEAR_INPUTS, CALIBRATION_DIR, listSourced, loadCalibration } from "../loaders/calibration/schema.ts";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { policyCard } from "../model/card.ts";
import { cityEntry, cityIds } from "../loaders/cities.ts";

/** The date the assumption defaults are read on (as the overview's cards). */
const DATE = "2024-06-01";
/** Persons generated per city for the calibration report. */
const CALIBRATION_PERSONS = Number(process.env.FUNDSIM_CALIBRATION_PERSONS ?? 100_000);
const CALIBRATION_YEAR = 2023;
const SEED = 1;

const ROOT = process.cwd();

/** A sourced value as short text: numbers as written, arrays joined, curves as "age: value". */
function show(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 2 && Array.isArray(v[0]) && Array.isArray(v[1]) && v[0].length === v[1].length) {
      return (v[0] as unknown[]).map((a, i) => `${a}: ${show((v[1] as unknown[])[i])}`).join(", ");
    }
    return v.map((x) => (Array.isArray(x) ? `[${show(x)}]` : show(x))).join(", ");
  }
  if (typeof v === "number") return String(Number(v.toPrecision(6)));
  if (v !== null && typeof v === "object") return Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(", ");
  return String(v);
}

// ---- policy assumptions ---------------------------------------------------------------------------
const policies = cityIds().map((city) => ({ city, policy: loadPolicy(city) }));
const assumptions = policies.flatMap(({ city, policy }) =>
  (["reform", "baseline"] as const).flatMap((scheme) =>
    policyCard(policy, scheme, DATE)
      .filter((r) => r.assumption)
      .map((r) => ({
        city,
        scheme,
        key: r.key,
        labelZh: r.labelZh,
        labelEn: r.labelEn,
        value: r.value,
        valueEn: r.valueEn,
        ref: r.ref,
        note: r.note ?? null,
        rating: r.rating ?? null,
        changes: r.changes,
      })),
  ),
);
const documents = policies.map(({ city, policy }) => ({
  city,
  nameZh: policy.name.zh,
  nameEn: policy.name.en,
  provinceZh: policy.province.zh,
  provinceEn: policy.province.en,
  title: policy.document.title,
  number: policy.document.number ?? null,
  reformZh: policy.reform.label.zh,
  reformEn: policy.reform.label.en,
}));

// ---- fund finance and calibration values -------------------------------------------------------
// Both are national.yaml defaults that a city file overrides key by key: listed once as
// scope "national", then each city's own values (scope = the city). Loading validates them.
// Calibration values also carry `level`, the level their figure comes from (a city file's value may
// be its province's figure, or the national one restated with its reason), `year`, and `baseYear`
// for the base-year inputs the page lists per city with the ones that fall back to national figures.
type Flat = {
  scope: string;
  key: string;
  value: string;
  source: string;
  rating: string;
  note: string | null;
  level?: string;
  year?: number | null;
  baseYear?: boolean;
  parts?: Record<string, unknown>;
};
function readYaml(path: string): Record<string, unknown> {
  return (parseYaml(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
}
const isSourced = (x: unknown): x is { value: unknown; source: string; rating: string; note?: string } =>
  typeof x === "object" && x !== null && "value" in x && "source" in x;
/** Sourced leaves of a parsed YAML file, with dotted keys. */
function flatten(scope: string, node: Record<string, unknown>, prefix = ""): Flat[] {
  const out: Flat[] = [];
  for (const [k, v] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${k}` : k;
    // A structured value (publishedAccounts: place, name, year, basis) also goes as itself: the page words it.
    const parts = v && typeof v === "object" && "value" in v && v.value && typeof v.value === "object" && !Array.isArray(v.value) ? (v.value as Record<string, unknown>) : undefined;
    if (isSourced(v)) out.push({ scope, key, value: show(v.value), ...(parts ? { parts } : {}), source: v.source, rating: v.rating, note: v.note ?? null });
    else if (v && typeof v === "object" && !Array.isArray(v)) out.push(...flatten(scope, v as Record<string, unknown>, key));
  }
  return out;
}
const BASE_YEAR = new Set<string>(BASE_YEAR_INPUTS);
/** Calibration values: as flatten, with the level, year and base-year flag of each. */
function flattenCalibration(scope: string, node: Record<string, unknown>): Flat[] {
  const out: Flat[] = [];
  for (const [section, values] of Object.entries(node)) {
    if (!values || typeof values !== "object" || Array.isArray(values)) continue;
    for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
      if (!isSourced(v)) continue;
      const key = `${section}.${k}`;
      const s = v as { scope?: string; year?: number };
      out.push({
        scope,
        key,
        value: show(v.value),
        source: v.source,
        rating: v.rating,
        note: v.note ?? null,
        level: s.scope ?? "national",
        year: s.year ?? null,
        baseYear: BASE_YEAR.has(key),
      });
    }
  }
  return out;
}
const FINANCE_DIR = join(ROOT, "src/loaders/finance");
// The reconciliation line of each city: the published accounts it meets and how large it is.
const reconciliation = cityIds().map((city) => {
  const { reconciliation: r } = loadFinance(city); // validates the files too
  const p = r.published;
  return {
    city, place: p.name, level: p.level, year: p.year, basis: p.basis, income100m: p.income100m, spending100m: p.spending100m,
    targetRate: r.target.surplusRate, withoutRate: r.surplusRateWithout, withRate: r.surplusRateWith, share: r.share,
    perInsuredYuan: r.perInsuredFen / 100, pooledIncomePerInsuredYuan: r.pooledIncomePerInsuredFen / 100, sample: r.sample,
  };
});
const finance = [
  ...flatten("national", readYaml(join(FINANCE_DIR, "national.yaml"))),
  // each city's own file where it lives (a city added with FUNDSIM_POLICIES keeps its files beside its policy)
  ...cityIds().flatMap((city) => flatten(city, readYaml(cityEntry(city).files.finance))),
];
for (const city of cityIds()) listSourced(loadCalibration(city)); // validates
const calibration = [
  ...flattenCalibration("national", readYaml(join(CALIBRATION_DIR, "national.yaml"))),
  ...cityIds().flatMap((city) => flattenCalibration(city, readYaml(cityEntry(city).files.calibration))),
];

// ---- the calibration report ----------------------------------------------------------------------
// The population engine's report (src/loaders/population/calibrate.ts) when it is there; the page
// falls back to the targets table otherwise and says why.
interface ReportRow {
  city: string;
  id: string;
  label: string;
  rating: string;
  level: string;
  year: number | null;
  source: string;
  note: string | null;
  unit: string;
  target: number;
  generated: number;
  gap: number;
  gated: boolean;
  pass: boolean;
}
interface ShapeRow {
  city: string;
  label: string;
  value: number;
  unit: string;
  note: string;
}
let report: { persons: number; year: number; seed: number; tolerance: number; rows: ReportRow[]; shapes: ShapeRow[] } | null = null;
let reportError: string | null = null;
try {
  const population = await import("../loaders/population/index.ts");
  const cal = await import("../loaders/population/calibrate.ts");
  const rows: ReportRow[] = [];
  const shapes: ShapeRow[] = [];
  for (const city of cityIds()) {
    const model = population.cityModel(city, CALIBRATION_YEAR);
    const st = new cal.CalibrationStats();
    const size = population.DEFAULT_CHUNK_SIZE;
    for (let first = 0; first < CALIBRATION_PERSONS; first += size) {
      st.add(population.generateChunk(model, SEED, first, Math.min(size, CALIBRATION_PERSONS - first)));
    }
    for (const r of cal.targetRows(model.cal, st, model)) {
      rows.push({
        city,
        id: r.id,
        label: r.label,
        rating: r.rating,
        level: r.scope,
        year: r.year ?? null,
        source: r.source,
        note: r.note ?? null,
        unit: r.unit,
        target: r.target,
        generated: Number(r.generated.toPrecision(6)),
        gap: Number(r.gap.toFixed(5)),
        gated: r.gated,
        pass: r.pass,
      });
    }
    for (const s of cal.shapeRows(st)) shapes.push({ city, label: s.label, value: Number(s.value.toPrecision(5)), unit: s.unit, note: s.note });
  }
  report = { persons: CALIBRATION_PERSONS, year: CALIBRATION_YEAR, seed: SEED, tolerance: cal.TOLERANCE, rows, shapes };
} catch (e) {
  reportError = e instanceof Error ? e.message.split("\n")[0] : String(e);
  process.stderr.write(`methods.json: calibration report unavailable: ${reportError}\n`);
}

// ---- how the calculation works -------------------------------------------------------------------
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const calculationHtml = md.render(readFileSync(join(ROOT, "docs/calculation.md"), "utf8"));

process.stdout.write(
  JSON.stringify({ date: DATE, documents, assumptions, finance, reconciliation, calibration, report, reportError, calculationHtml }),
);
