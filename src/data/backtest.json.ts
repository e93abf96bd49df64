// The back-test table for the methods page (issue 12 item 4): `fundsim backtest --city all` at a
// small size so the build stays fast (PAGE_PERSONS per city-year: ≈ 10 s for 5 cities × 4 years on
// one core). Sources are sent once each and referenced by index, to keep the file small; notes
// and the opening reserve go as codes and numbers, which the page words in both languages.
import { cityIds } from "../loaders/cities.ts";
import { BACKTEST_YEARS, runBacktest } from "../pipeline/backtest.ts";

export const PAGE_PERSONS = 20_000;
const SEED = 1;

const r = runBacktest({ cities: cityIds(), persons: PAGE_PERSONS, seed: SEED });
const texts: string[] = [];
const index = new Map<string, number>();
const ref = (s: string | null) => {
  if (!s) return null;
  if (!index.has(s)) index.set(s, texts.push(s) - 1);
  return index.get(s)!;
};
const round = (x: number | null, d: number) => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
const rows = r.rows.map((row) => ({
  place: row.place,
  comparedWith: row.compared_with,
  level: row.level,
  year: row.year,
  rules: row.rules,
  line: row.line,
  unit: row.unit,
  model: round(row.model, 3),
  published: round(row.published, 3),
  errorPct: round(row.error_pct, 2),
  fit: row.fit,
  rating: row.published_rating,
  source: ref(row.published_source),
  // The page words the opening and the notes in both languages from these.
  opening: row.opening_basis ? { ...row.opening_basis, ...("balanceFen" in row.opening_basis ? { balanceFen: undefined, balanceYi: round(row.opening_basis.balanceFen / 1e10, 2) } : {}), ...("months" in row.opening_basis ? { months: round(row.opening_basis.months, 1) } : {}) } : null,
  notes: row.note_codes,
}));
process.stdout.write(JSON.stringify({ persons: PAGE_PERSONS, seed: SEED, years: BACKTEST_YEARS, rows, texts }));
