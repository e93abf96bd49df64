// How uncertain the reconciliation line is in a projection (the structural `reconciliationFactor`,
// issue 13: every default sourced and rated). The line is solved on one published year: had another
// year been published instead, its surplus rate would have differed by about the year-to-year spread
// of published surplus rates, and the line by what that spread moves it. So the factor's SD is
//
//   sd(factor) = sd(surplus rate) × ∂line/∂rate ÷ line = σ × I ÷ ((1 − s) × L),
//
// from the solve (src/model/reconciliation.ts: line = spending ÷ (1 − s) − income, so a point of s
// moves the line by I ÷ (1 − s), I the basis income with the line), with σ the sample SD of the
// national employee fund's surplus rate over the years published (fund basis, the only basis with
// more than two years). The city files carry the result (`reconciliationFactor.dist.sd` in
// src/loaders/assumptions/<city>.yaml); a test fails when they drift from this derivation.
import { loadFinance, type Reconciliation } from "./finance.ts";
import { loadPublished, publishedValue, type PublishedEntry } from "./published.ts";
import type { CityId } from "../model/types.ts";

export interface SurplusRateSpread {
  place: string;
  years: number[];
  /** Surplus ÷ income per year, fund basis (pooled + accounts). */
  rates: number[];
  /** Sample SD (n − 1) of the rates. */
  sd: number;
}

/** The published surplus rates of a place on the fund basis, every year with both lines. */
export function surplusRateSpread(entries: readonly PublishedEntry[], place = "national"): SurplusRateSpread {
  const years = [...new Set(entries.filter((e) => e.place === place).map((e) => e.year))].sort((a, b) => a - b);
  const rows = years
    .map((year) => ({ year, income: publishedValue(entries, place, year, "fund_income"), spending: publishedValue(entries, place, year, "fund_spending") }))
    .filter((r) => r.income && r.spending);
  const rates = rows.map((r) => 1 - r.spending!.value / r.income!.value);
  if (rates.length < 3) throw new RangeError(`the surplus-rate spread needs three published years of ${place}'s fund income and spending, found ${rates.length}`);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const sd = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1));
  return { place, years: rows.map((r) => r.year), rates, sd };
}

/** The reconciliation factor's SD for a solved line and a surplus-rate SD (see the file's head). */
export function reconciliationFactorSd(r: Pick<Reconciliation, "perInsuredFen" | "basisIncomePerInsuredFen" | "target">, rateSd: number): number {
  if (r.perInsuredFen === 0) return Infinity;
  return Math.abs((rateSd * r.basisIncomePerInsuredFen) / ((1 - r.target.surplusRate) * r.perInsuredFen));
}

/** A city's derived SD, with what it rests on (for the test and for `npx tsx` of this file). */
export function cityReconciliationSpread(city: CityId) {
  const spread = surplusRateSpread(loadPublished());
  const r = loadFinance(city).reconciliation;
  return { city, spread, lineShareOfIncome: r.perInsuredFen / r.basisIncomePerInsuredFen, sd: reconciliationFactorSd(r, spread.sd) };
}

/** The block a city's assumptions file carries (printed by `npx tsx src/loaders/reconciliation-spread.ts CITY…`). */
export function reconciliationFactorEntry(city: CityId): string {
  const x = cityReconciliationSpread(city);
  const years = `${x.spread.years[0]}–${x.spread.years.at(-1)}`;
  const share = (x.lineShareOfIncome * 100).toFixed(1);
  // Its source's Chinese, for src/loaders/notes-zh/assumptions.yaml (the pages show it in Chinese).
  const zh = [
    `- en: "derived (src/loaders/reconciliation-spread.ts): the SD of the national employee fund's published surplus rate ${years} (${(x.spread.sd * 100).toFixed(2)} points, src/loaders/published/accounts.yaml) × what a point moves this city's line, ${share} % of its income on the published basis"`,
    `  zh: "推算（\`src/loaders/reconciliation-spread.ts\`）：全国职工医保基金 ${years} 年公布结余率的标准差（${(x.spread.sd * 100).toFixed(2)} 个百分点，\`src/loaders/published/accounts.yaml\`）× 一个百分点对本市对账调节项的影响（该调节项按公布口径为其收入的 ${share} %）"`,
  ];
  return [
    "# for src/loaders/notes-zh/assumptions.yaml:",
    ...zh.map((l) => `#   ${l}`),
    "reconciliationFactor:",
    "  value: 1",
    `  source: "derived (src/loaders/reconciliation-spread.ts): the SD of the national employee fund's published surplus rate ${years} (${(x.spread.sd * 100).toFixed(2)} points, src/loaders/published/accounts.yaml) × what a point moves this city's line, ${share} % of its income on the published basis"`,
    "  rating: D",
    `  note: "Structural: had another year's accounts been published, the line solved on them would differ by about this much. Symmetric around 1 (the unexplained part may as well grow as fade). Not a tight bound either way: the nation's years include the reform's own move in 2023–2024 (which the model explains), and one city's years would vary more than the nation's."`,
    `  dist: { dist: normal, sd: ${x.sd.toFixed(2)} }`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const city of process.argv.slice(2)) process.stdout.write(`# ${city}\n${reconciliationFactorEntry(city)}\n`);
}
