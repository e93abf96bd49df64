// Fund-finance assumptions per city: national.yaml overridden by <city>.yaml, every value sourced;
// and the reconciliation line solved against the published accounts those files name.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Finance } from "../model/finance.ts";
import { sharePercent } from "../model/policy-schema.ts";
import { PolicyError, formatIssues } from "../model/policy.ts";
import type { CityId } from "../model/types.ts";
import { dayFromCivil } from "../model/dates.ts";
import { openingBalances, runChunk } from "../model/engine.ts";
import { bulletinIncome } from "../model/fund.ts";
import type { Scheme } from "../model/policy.ts";
import { onBasis, type ReconciliationTarget, reconcileSample, surplusRate } from "../model/reconciliation.ts";
import { personWeights, structureOfModel } from "../model/projection/structure.ts";
import { loadPolicy } from "./policies.ts";
import { cityEntry } from "./cities.ts";
import { fileDisplayName, readChecked } from "./yaml-file.ts";
import { loadPublished, PUBLISHED_FILE, type PublishedEntry, publishedValue } from "./published.ts";
import { cityModel, generateChunk } from "./population/index.ts";

export const FINANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), "finance");

const sourced = <T extends z.ZodType>(v: T) =>
  z
    .strictObject({ value: v, source: z.string().min(1), rating: z.enum(["O", "S", "D", "E"]), note: z.string().optional() })
    .refine((s) => s.rating !== "E" || !!s.note, { message: "an E (estimated) value needs a note", path: ["note"] });

/** Which published accounts the reconciliation line is solved against: a place and year of
 *  src/loaders/published/accounts.yaml (the city's own, its province's, a stand-in city of the same
 *  province, or the nation — the file says which) and the basis: `pooled`, pooled income and
 *  spending on NHSA's bulletin basis; `fund`, pooled + accounts. `name` is how the pages call it. */
const publishedAccountsRef = z.strictObject({
  place: z.string().min(1),
  name: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  basis: z.enum(["pooled", "fund"]),
});

/** The reference resolved in the published accounts: the level, income and spending on the basis. */
export interface PublishedAccounts extends z.infer<typeof publishedAccountsRef> {
  level: PublishedEntry["level"];
  income100m: number;
  spending100m: number;
  /** The two entries' sources and ratings. */
  source: string;
  rating: string;
}

/** Resolve a reference in the published accounts file; a missing entry is one message naming both files. */
function resolvePublished(ref: z.infer<typeof publishedAccountsRef>, file: string): PublishedAccounts {
  const entries = loadPublished();
  const lines = ref.basis === "pooled" ? (["pooled_income", "pooled_spending"] as const) : (["fund_income", "fund_spending"] as const);
  const [income, spending] = lines.map((line) => {
    const e = publishedValue(entries, ref.place, ref.year, line);
    if (!e) throw new PolicyError([`publishedAccounts.value: ${PUBLISHED_FILE} has no ${line} of ${ref.place} in ${ref.year} (basis ${ref.basis} needs ${lines.join(" and ")})`], file);
    return e;
  });
  return {
    ...ref, level: income.level, income100m: income.value, spending100m: spending.value,
    source: `${PUBLISHED_FILE}: ${income.source}${spending.source === income.source ? "" : `; ${spending.source}`}`,
    rating: [income.rating, spending.rating].sort().at(-1)!,
  };
}

const schema = z.strictObject({
  employerRate: sourced(sharePercent),
  employeeRate: sourced(sharePercent),
  flexibleRate: sourced(sharePercent),
  flexiblePoolOnlyRate: sourced(sharePercent),
  maternityEmployerRate: sourced(sharePercent),
  collectionRate: sourced(sharePercent),
  inpatientFundShare: sourced(sharePercent),
  chronicFundPerEnrolleeYuan: sourced(z.number().nonnegative()),
  maternityPerActiveYuan: sourced(z.number().nonnegative()),
  openingReserveMonths: sourced(z.number().nonnegative()),
  openingReserveMonthsByYear: sourced(z.record(z.string().regex(/^\d{4}$/, "a year, e.g. \"2024\""), z.number().nonnegative())).optional(),
  accountOpeningMonths: sourced(z.number().nonnegative()),
  insured: sourced(z.number().int().positive()),
  familyUseShare: sourced(sharePercent),
  nonContributionIncomeShare: sourced(sharePercent),
  publishedAccounts: sourced(publishedAccountsRef),
});

export interface SourcedRow {
  key: string;
  value: string | number;
  source: string;
  rating: string;
  note?: string;
  city: boolean;
}

/** The finance files as written (the reconciliation share 0, not yet solved: see
 *  src/loaders/reconciled-finance.ts, which every money-computing caller uses). */
export function loadFinanceFiles(city: CityId): { finance: Finance; rows: SourcedRow[]; published: PublishedAccounts } {
  const cityFile = cityEntry(city).files.finance;
  // Read as every input file is (bounded size, nesting and aliases; problems with file:line:col).
  const read = (file: string) => readChecked(file, (value) => (value ?? {}) as Record<string, unknown>);
  const national = read(join(FINANCE_DIR, "national.yaml"));
  const local = read(cityFile);
  const shown = (key: string) => (key in local ? fileDisplayName(cityFile) : "src/loaders/finance/national.yaml");
  const merged = { ...national, ...local };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), fileDisplayName(cityFile));
  const d = parsed.data;
  const rows: SourcedRow[] = Object.entries(merged).map(([key, v]) => {
    const s = v as { value: string | number | object; source: string; rating: string; note?: string };
    const value = key === "publishedAccounts" ? describePublished(resolvePublished(s.value as z.infer<typeof publishedAccountsRef>, shown(key)))
      : typeof s.value === "object" ? Object.entries(s.value).map(([k, x]) => `${k}: ${x}`).join(", ") : s.value;
    return { key, value, source: s.source, rating: s.rating, note: s.note, city: key in local };
  });
  return {
    finance: {
      employerBp: d.employerRate.value,
      employeeBp: d.employeeRate.value,
      flexibleBp: d.flexibleRate.value,
      flexiblePoolOnlyBp: d.flexiblePoolOnlyRate.value,
      maternityEmployerBp: d.maternityEmployerRate.value,
      collectionBp: d.collectionRate.value,
      inpatientFundShareBp: d.inpatientFundShare.value,
      chronicFundPerEnrolleeFen: Math.round(d.chronicFundPerEnrolleeYuan.value * 100),
      maternityPerActiveFen: Math.round(d.maternityPerActiveYuan.value * 100),
      openingReserveMonths: d.openingReserveMonths.value,
      openingReserveMonthsByYear: d.openingReserveMonthsByYear?.value ?? {},
      accountOpeningMonths: d.accountOpeningMonths.value,
      insured: d.insured.value,
      familyUseShareBp: d.familyUseShare.value,
      nonContributionIncomeShareBp: d.nonContributionIncomeShare.value,
      reconciliationShare: 0,
    },
    rows,
    published: resolvePublished(d.publishedAccounts.value, shown("publishedAccounts")),
  };
}

/** One line for the methods page: place, year, basis, income, spending and the surplus rate. */
export function describePublished(p: PublishedAccounts): string {
  const rate = ((1 - p.spending100m / p.income100m) * 100).toFixed(1);
  const what = p.basis === "pooled" ? "pooled fund 统筹基金" : "fund 职工医保基金 (pooled + accounts)";
  return `${p.name} ${p.year} (${p.level}), ${what}: income ${p.income100m} 亿, spending ${p.spending100m} 亿 → surplus ${rate}% of income`;
}

/** The reference sample the reconciliation is solved on: the what-if page's sample (the first
 *  20 000 persons of `fundsim run --seed 1`), so that the run, the what-if page and the projection
 *  carry the same line. */
export const RECONCILIATION_SAMPLE = { persons: 20_000, seed: 1 } as const;

/** How the reconciliation line was solved, for the methods page and the CLI. */
export interface Reconciliation {
  published: PublishedAccounts;
  target: ReconciliationTarget;
  /** The line as a share of contributions (signed). */
  share: number;
  /** On the reference sample in the published year, under the reform: the line and pooled income
   *  on NHSA's basis (fen per insured person a year), and the surplus rate before and after. */
  perInsuredFen: number;
  pooledIncomePerInsuredFen: number;
  /** Income on the target's basis (pooled, or pooled + account credits), with the line, fen per
   *  insured person a year: what a shift of the published surplus rate moves the line against. */
  basisIncomePerInsuredFen: number;
  surplusRateWithout: number;
  surplusRateWith: number;
  sample: { persons: number; seed: number; year: number };
}

/** Keyed by the city's finance file (a test's temporary city never meets another's). */
const reconciled = new Map<string, { finance: Finance; rows: SourcedRow[]; published: PublishedAccounts; reconciliation: Reconciliation }>();

/**
 * The city's finance with the reconciliation line solved (memoised per process): the finance files,
 * then the reform — the rules as published — run on the reference sample in the published year, and
 * the share of contributions that makes its surplus rate meet the published accounts'.
 */
export function loadFinance(city: CityId): { finance: Finance; rows: SourcedRow[]; published: PublishedAccounts; reconciliation: Reconciliation } {
  const key = `${cityEntry(city).files.finance}\n${cityEntry(city).files.policy}`;
  const hit = reconciled.get(key);
  if (hit) return hit;
  const files = loadFinanceFiles(city);
  const { published } = files;
  const policy = loadPolicy(city);
  const year = published.year;
  const where = `${fileDisplayName(cityEntry(city).files.finance)} (or national.yaml): publishedAccounts.year`;
  if (!schemeCoversYear(policy.reform, year)) throw new PolicyError([`the published accounts' year ${year} is outside the reform's period (the line is solved on the rules as published)`], where);
  const model = cityModel(city, year);
  const { persons, claims } = generateChunk(model, RECONCILIATION_SAMPLE.seed, 0, RECONCILIATION_SAMPLE.persons);
  const eng = { ...persons, openingBalanceFen: openingBalances(policy.baseline, persons, year, files.finance.accountOpeningMonths) };
  const outcome = runChunk(policy.reform, eng, claims, year, files.finance);
  const target: ReconciliationTarget = { basis: published.basis, surplusRate: 1 - published.spending100m / published.income100m };
  // Post-stratified to the city's cells, as the projection weighs its sample (one implementation).
  const weights = personWeights({ persons, sex: persons.sex }, structureOfModel(model, files.finance.insured), year);
  const { without, share, withLine } = reconcileSample(eng, claims, outcome, weights, target);
  const finance: Finance = { ...files.finance, reconciliationShare: share };
  const reconciliation: Reconciliation = {
    published, target, share,
    perInsuredFen: withLine.reconciliationFen / withLine.persons,
    pooledIncomePerInsuredFen: bulletinIncome(withLine) / withLine.persons,
    basisIncomePerInsuredFen: onBasis(withLine, target.basis).income / withLine.persons,
    surplusRateWithout: surplusRate(without, target.basis),
    surplusRateWith: surplusRate(withLine, target.basis),
    sample: { ...RECONCILIATION_SAMPLE, year },
  };
  const rows: SourcedRow[] = [
    ...files.rows,
    {
      key: "reconciliationShare",
      value: `${(share * 100).toFixed(2)}% of contributions`,
      source: `solved: the reform in ${year} on the reference sample (${RECONCILIATION_SAMPLE.persons.toLocaleString("en")} persons, seed ${RECONCILIATION_SAMPLE.seed}, weighted to the city's status × sex × age cells) meets publishedAccounts`,
      rating: "D",
      note: "The one reconciliation line: what the parts do not explain of the published accounts. Identical in reform and baseline.",
      city: false,
    },
  ];
  const out = { finance, rows, published, reconciliation };
  reconciled.set(key, out);
  return out;
}

function schemeCoversYear(s: Scheme, year: number): boolean {
  return s.fromDay <= dayFromCivil(year, 1, 1) && s.untilDay >= dayFromCivil(year, 12, 31);
}
