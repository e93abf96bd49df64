// The back-test's arithmetic (issue 12 item 4), pure so a hand case can check it: the lines compared
// with the published accounts, on NHSA's bulletin basis (统计公报口径: pooled income and spending net of
// the retiree credits the pool pays, which are account income there); the opening reserve taken from
// a published balance; the national composite of the five cities; the error.
import { bulletinIncome, bulletinSpending, type FundFlows, monthsOfReserve } from "./fund.ts";

/** A city-year's (or a status group's) flows on the bulletin basis, fen, and its persons. */
export interface BulletinFlows {
  persons: number;
  pooledIncomeFen: number;
  pooledSpendingFen: number;
  accountIncomeFen: number;
  accountSpendingFen: number;
}

export function bulletinFlows(f: FundFlows): BulletinFlows {
  return {
    persons: f.persons,
    pooledIncomeFen: bulletinIncome(f),
    pooledSpendingFen: bulletinSpending(f),
    accountIncomeFen: f.accountCreditsFen,
    accountSpendingFen: f.accountPaidFen + f.accountFamilyFen,
  };
}

const MONEY = ["pooledIncomeFen", "pooledSpendingFen", "accountIncomeFen", "accountSpendingFen"] as const;

/** a − b, line by line (the active members' flows: all minus the retirees'). */
export function minusFlows(a: BulletinFlows, b: BulletinFlows): BulletinFlows {
  const out = { ...a, persons: a.persons - b.persons };
  for (const k of MONEY) out[k] = a[k] - b[k];
  return out;
}

/** a + b, line by line (chunk by chunk). */
export function addFlows(a: BulletinFlows, b: BulletinFlows): BulletinFlows {
  const out = { ...a, persons: a.persons + b.persons };
  for (const k of MONEY) out[k] = a[k] + b[k];
  return out;
}

/** The flows × k (per person: k = 1 / persons; to a population: k = its size). */
export function scaleFlows(a: BulletinFlows, k: number): BulletinFlows {
  const out = { ...a, persons: a.persons * k };
  for (const k2 of MONEY) out[k2] = a[k2] * k;
  return out;
}

/** Pooled surplus as a share of pooled income (当期结余率), both on the bulletin basis. */
export function surplusRate(incomeFen: number, spendingFen: number): number {
  return incomeFen > 0 ? (incomeFen - spendingFen) / incomeFen : NaN;
}

/** (model − published) ÷ |published|, in %; null without a published value. */
export function errorPct(model: number, published: number | null): number | null {
  if (published === null || published === 0 || !Number.isFinite(model)) return null;
  return ((model - published) / Math.abs(published)) * 100;
}

/** Where a back-test year's opening pooled reserve comes from. */
export type OpeningBasis =
  | { kind: "published_months"; months: number; balanceYear: number }
  | { kind: "published_balance"; balanceFen: number; balanceYear: number }
  | { kind: "assumed_months"; months: number };

/**
 * The opening reserve of a year: the published balance at the end of the previous year as months of
 * the year's published pooled spending (balance ÷ spending × 12), applied to the model's spending
 * (a city: scale-free), or the published balance itself (the national composite, at national scale);
 * else the model's assumption (finance.openingReserveMonths) in months of the model's spending.
 */
export function openingBasis(o: { publishedBalanceFen: number | null; publishedSpendingFen: number | null; balanceYear: number; absolute: boolean; assumedMonths: number }): OpeningBasis {
  if (o.publishedBalanceFen !== null && o.absolute) return { kind: "published_balance", balanceFen: o.publishedBalanceFen, balanceYear: o.balanceYear };
  if (o.publishedBalanceFen !== null && o.publishedSpendingFen !== null && o.publishedSpendingFen > 0) {
    return { kind: "published_months", months: (o.publishedBalanceFen / o.publishedSpendingFen) * 12, balanceYear: o.balanceYear };
  }
  return { kind: "assumed_months", months: o.assumedMonths };
}

export function openingFen(basis: OpeningBasis, modelSpendingFen: number): number {
  return basis.kind === "published_balance" ? basis.balanceFen : (basis.months * modelSpendingFen) / 12;
}

/** The year-end pooled balance and its months of the year's spending (可支付月数). */
export function closing(basis: OpeningBasis, f: BulletinFlows): { openingFen: number; balanceFen: number; months: number } {
  const open = openingFen(basis, f.pooledSpendingFen);
  const balanceFen = open + f.pooledIncomeFen - f.pooledSpendingFen;
  return { openingFen: open, balanceFen, months: monthsOfReserve(balanceFen, f.pooledSpendingFen) };
}

/**
 * The national composite: each city's flows per active member and per retiree, weighted to the
 * national retiree share, averaged over the cities with equal weights, times the national insured.
 * A city's own retiree share therefore drops out; what is left of it is how its members of each
 * status use and pay (its rules, wages, pensions and ages).
 */
export function nationalComposite(cities: ReadonlyArray<{ active: BulletinFlows; retired: BulletinFlows }>, nationalRetireeShare: number, nationalInsured: number): BulletinFlows {
  if (cities.length === 0) throw new Error("nationalComposite: no cities");
  const sum: BulletinFlows = { persons: 0, pooledIncomeFen: 0, pooledSpendingFen: 0, accountIncomeFen: 0, accountSpendingFen: 0 };
  const w = 1 / cities.length;
  for (const c of cities) {
    for (const [g, share] of [[c.active, 1 - nationalRetireeShare], [c.retired, nationalRetireeShare]] as const) {
      if (!(g.persons > 0)) throw new Error("nationalComposite: a status group without persons");
      for (const k of MONEY) sum[k] += (w * share * g[k]) / g.persons;
    }
  }
  sum.persons = 1;
  return scaleFlows(sum, nationalInsured);
}
