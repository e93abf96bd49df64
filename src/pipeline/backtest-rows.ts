// The back-test's rows (src/pipeline/backtest.ts runs the model): per place, year and line the model's
// value beside the published one (read from src/loaders/published/accounts.yaml or derived from it,
// rated D), the error, whether the line is calibrated, an input or out of sample, and notes.
import { loadFinance } from "../loaders/finance.ts";
import { placesFor, type PublishedEntry, type PublishedLine, publishedValue } from "../loaders/published.ts";
import { type BulletinFlows, closing, errorPct, type OpeningBasis, surplusRate } from "../model/backtest.ts";
import type { CityId } from "../model/types.ts";

export const FEN_PER_YI = 1e10; // 亿元
const PERSONS_PER_WAN = 1e4;

export type Fit = "calibrated" | "input" | "out_of_sample";

export interface BacktestRow {
  place: string;
  /** The place whose published figure the row compares with, and its level (national; a city's
   *  own, its province's or a stand-in city's accounts). */
  compared_with: string;
  level: string;
  year: number;
  /** The rules simulated: the scheme in force that year. */
  rules: "baseline" | "reform";
  line: string;
  unit: string;
  model: number;
  published: number | null;
  difference: number | null;
  error_pct: number | null;
  fit: Fit;
  published_rating: string | null;
  published_source: string | null;
  /** Where the year's opening pooled reserve came from (balance and months). */
  opening: string;
  note: string;
  /** Not written: the opening and the notes as data, for the methods page's two languages. */
  opening_basis: OpeningBasis | null;
  note_codes: NoteCode[];
}

// ---- the published side -----------------------------------------------------------------------

interface Published {
  value: number;
  rating: string;
  source: string;
}

const FILE = "src/loaders/published/accounts.yaml";
const cite = (e: PublishedEntry) => `${e.source} (${e.address})`;

/** A place's published line in the row's unit, read or derived (rated D, the formula as its source). */
function published(entries: readonly PublishedEntry[], place: string, year: number, line: string): Published | null {
  const g = (l: PublishedLine) => publishedValue(entries, place, year, l);
  const derived = (value: number, formula: string): Published => ({ value, rating: "D", source: `${formula} (${FILE})` });
  const insured = g("insured");
  const perInsured = line.endsWith("_per_insured") ? (line.slice(0, -"_per_insured".length) as PublishedLine) : null;
  if (perInsured) {
    const e = g(perInsured);
    return e && insured ? derived((e.value * 1e8) / insured.value, `${place} ${perInsured} ÷ insured, ${year}`) : null;
  }
  switch (line) {
    case "insured":
      return insured ? { value: insured.value / PERSONS_PER_WAN, rating: insured.rating, source: cite(insured) } : null;
    case "retiree_share": {
      const r = g("insured_retired");
      return r && insured ? derived((r.value / insured.value) * 100, `${place} insured_retired ÷ insured, ${year}`) : null;
    }
    case "surplus_rate": {
      const i = g("pooled_income"), s = g("pooled_spending");
      return i && s ? derived(surplusRate(i.value, s.value) * 100, `${place} (pooled_income − pooled_spending) ÷ pooled_income, ${year}`) : null;
    }
    case "fund_surplus_rate": {
      const i = g("fund_income"), s = g("fund_spending");
      return i && s ? derived(surplusRate(i.value, s.value) * 100, `${place} (fund_income − fund_spending) ÷ fund_income, ${year}`) : null;
    }
    case "months": {
      const b = g("pooled_balance"), s = g("pooled_spending");
      return b && s ? derived(b.value / (s.value / 12), `${place} pooled_balance ÷ (pooled_spending ÷ 12), ${year}`) : null;
    }
    default: {
      const e = g(line as PublishedLine);
      return e ? { value: e.value, rating: e.rating, source: cite(e) } : null;
    }
  }
}

// ---- rows -----------------------------------------------------------------------------------------

export const COMPOSITE_LINES: Array<[line: string, unit: string]> = [
  ["insured", "10k_persons"], ["retiree_share", "percent"], ["pooled_income", "100m_yuan"], ["pooled_spending", "100m_yuan"], ["surplus_rate", "percent"],
  ["pooled_balance", "100m_yuan"], ["months", "months"], ["account_income", "100m_yuan"], ["account_spending", "100m_yuan"], ["fund_income", "100m_yuan"],
  ["fund_spending", "100m_yuan"], ["fund_surplus_rate", "percent"],
];
export const CITY_LINES: Array<[line: string, unit: string]> = [
  ["retiree_share", "percent"], ["pooled_income_per_insured", "yuan"], ["pooled_spending_per_insured", "yuan"], ["surplus_rate", "percent"], ["months", "months"],
  ["account_income_per_insured", "yuan"], ["account_spending_per_insured", "yuan"], ["fund_income_per_insured", "yuan"], ["fund_spending_per_insured", "yuan"],
  ["fund_surplus_rate", "percent"],
];

/** What a city's reconciliation line is solved for (its finance file's publishedAccounts): the
 *  place's 2023 pooled surplus rate, or the whole fund's where the pooled lines are not split. */
export interface Target {
  place: string;
  line: "surplus_rate" | "fund_surplus_rate";
}

export function targetOf(city: CityId, entries: readonly PublishedEntry[]): Target {
  const p = loadFinance(city).published;
  const line = p.basis === "fund" ? "fund_surplus_rate" : "surplus_rate";
  if (p.level === "national") return { place: "national", line };
  const own = placesFor(entries, city).find((x) => x.level === p.level);
  return { place: own?.place ?? p.place, line };
}

export interface RowContext {
  place: string;
  comparedWith: string;
  level: string;
  year: number;
  baseYear: number;
  /** What is calibrated: a city's reconciliation target, or for the composite its members'. */
  target: Target | "composite";
  /** The composite's member cities. */
  members?: string[];
}

function fitOf(line: string, c: RowContext): Fit {
  if (line === "insured" || line === "retiree_share") return "input";
  if (c.year !== c.baseYear) return "out_of_sample";
  if (c.target === "composite") return line === "surplus_rate" ? "calibrated" : "out_of_sample";
  if (c.comparedWith !== c.target.place) return "out_of_sample";
  if (line === c.target.line) return "calibrated";
  // A city's months: the published opening months plus 12 × surplus ÷ spending, which the
  // calibrated pooled surplus rate fixes.
  if (line === "months" && c.target.line === "surplus_rate") return "calibrated";
  return "out_of_sample";
}

/** A row's notes: a code (the methods page words it in both languages) and the English text. */
export type NoteCode = "vs_national" | "vs_stand_in" | "composite_members" | "calibrated_composite" | "calibrated_months" | "calibrated_line" | "spending_scaled" | "base_levels" | "composite_scaled";

function notesOf(line: string, c: RowContext, fit: Fit): Array<{ code: NoteCode; text: string }> {
  const notes: Array<{ code: NoteCode; text: string }> = [];
  const add = (code: NoteCode, text: string) => notes.push({ code, text });
  if (c.level === "national" && c.place !== "national") add("vs_national", "compared with the national figure (no accounts of the city or its province found)");
  if (c.level === "stand-in") add("vs_stand_in", `compared with ${c.comparedWith}, a city of the same province standing in (no accounts of the city or its province found)`);
  if (c.place === "national" && (line === "insured" || line === "surplus_rate")) {
    add("composite_members", `composite of ${c.members?.join(", ")}: the cities whose reconciliation line is solved for the national accounts (the others are compared with their stand-ins)`);
  }
  if (fit === "calibrated" && c.target === "composite") add("calibrated_composite", "each member city meets it by construction; the reweighting to the national retiree share moves it a little");
  else if (fit === "calibrated" && line === "months") add("calibrated_months", "follows from the published opening months and the calibrated surplus rate");
  else if (fit === "calibrated") add("calibrated_line", `matched by construction: the reconciliation line is solved for ${c.comparedWith}'s ${c.baseYear} ${line === "fund_surplus_rate" ? "fund" : "pooled"} surplus rate`);
  if (line.startsWith("fund_spending") && (c.year === 2022 || c.year === c.baseYear)) {
    add("spending_scaled", "spending per insured (an input) was scaled by the national fund spending's growth (calibration/years.yaml, national.yaml): partly in sample");
  }
  if (c.year > c.baseYear) add("base_levels", `population at ${c.baseYear} levels (no growth of use, cost or wages modelled)`);
  if (c.place === "national" && (line === "insured" || line === "retiree_share")) add("composite_scaled", "the composite is scaled to it");
  return notes;
}

function openingText(b: OpeningBasis): string {
  if (b.kind === "published_balance") return `published end-${b.balanceYear} pooled balance (${(b.balanceFen / FEN_PER_YI).toFixed(2)} 亿元)`;
  if (b.kind === "published_months") return `published end-${b.balanceYear} national pooled balance as ${b.months.toFixed(1)} months of the year's published pooled spending, applied to the model's`;
  return `assumed: ${b.months} months of the model's pooled spending (finance openingReserveMonths)`;
}

/** The model's value of a line, in the row's unit. */
function modelValue(line: string, f: BulletinFlows, c: { balanceFen: number; months: number }): number {
  const perInsured = (fen: number) => fen / f.persons / 100;
  switch (line) {
    case "insured": return f.persons / PERSONS_PER_WAN;
    case "pooled_income": return f.pooledIncomeFen / FEN_PER_YI;
    case "pooled_spending": return f.pooledSpendingFen / FEN_PER_YI;
    case "surplus_rate": return surplusRate(f.pooledIncomeFen, f.pooledSpendingFen) * 100;
    case "fund_surplus_rate": return surplusRate(f.pooledIncomeFen + f.accountIncomeFen, f.pooledSpendingFen + f.accountSpendingFen) * 100;
    case "pooled_balance": return c.balanceFen / FEN_PER_YI;
    case "months": return c.months;
    case "account_income": return f.accountIncomeFen / FEN_PER_YI;
    case "account_spending": return f.accountSpendingFen / FEN_PER_YI;
    case "fund_income": return (f.pooledIncomeFen + f.accountIncomeFen) / FEN_PER_YI;
    case "fund_spending": return (f.pooledSpendingFen + f.accountSpendingFen) / FEN_PER_YI;
    case "pooled_income_per_insured": return perInsured(f.pooledIncomeFen);
    case "pooled_spending_per_insured": return perInsured(f.pooledSpendingFen);
    case "account_income_per_insured": return perInsured(f.accountIncomeFen);
    case "account_spending_per_insured": return perInsured(f.accountSpendingFen);
    case "fund_income_per_insured": return perInsured(f.pooledIncomeFen + f.accountIncomeFen);
    case "fund_spending_per_insured": return perInsured(f.pooledSpendingFen + f.accountSpendingFen);
  }
  throw new Error(`backtest: no model value for line ${line}`);
}

export function rowsOf(
  c: RowContext, rules: BacktestRow["rules"], lines: Array<[string, string]>, f: BulletinFlows, basis: OpeningBasis | null, retireeShare: number,
  entries: readonly PublishedEntry[], onlyPublished: boolean,
): BacktestRow[] {
  const cl = basis ? closing(basis, f) : { balanceFen: NaN, months: NaN };
  const out: BacktestRow[] = [];
  for (const [line, unit] of lines) {
    if (!basis && (line === "months" || line === "pooled_balance")) continue;
    const p = published(entries, c.comparedWith, c.year, line);
    if (onlyPublished && !p) continue;
    const model = line === "retiree_share" ? retireeShare * 100 : modelValue(line, f, cl);
    const fit = fitOf(line, c);
    const notes = notesOf(line, c, fit);
    out.push({
      place: c.place, compared_with: c.comparedWith, level: c.level, year: c.year, rules, line, unit, model,
      published: p?.value ?? null,
      difference: p ? model - p.value : null,
      error_pct: errorPct(model, p?.value ?? null),
      fit,
      published_rating: p?.rating ?? null,
      published_source: p?.source ?? null,
      opening: basis && (line === "pooled_balance" || line === "months") ? openingText(basis) : "",
      opening_basis: basis && (line === "pooled_balance" || line === "months") ? basis : null,
      note: notes.map((n) => n.text).join("; "),
      note_codes: notes.map((n) => n.code),
    });
  }
  return out;
}

