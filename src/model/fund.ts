// Fund and account flows of a city-year under one scheme, summed from the engine's outcome.
// Pure and streaming (chunk by chunk), so the browser's what-if and the Node pipeline add up
// the same way; DuckDB does the breakdowns (status, age, level, kind, month) from the same rows.
// Totals are Float64 sums of integer fen, exact below 2^53 fen (90 万亿元) and checked there.
import type { ChunkOutcome, EngineClaims, EnginePersons } from "./engine-columns.ts";
import { checkExactTotal } from "./limits.ts";
import { BENEFITS } from "./types.ts";

export interface FundFlows {
  persons: number;
  claims: number;
  spendingFen: number;
  eligibleFen: number;
  /** Contributions collected (maternity included), and what is credited to accounts out of them. */
  contributionsFen: number;
  /** Of contributionsFen: the employers' maternity part (a memo line, not added again). */
  maternityContributionsFen: number;
  creditsFromContributionsFen: number;
  /** Pooled income that is not contributions: interest, fiscal subsidies, late-payment fees. */
  nonContributionIncomeFen: number;
  /** The one reconciliation line against the published accounts (signed, src/model/reconciliation.ts). */
  reconciliationFen: number;
  /** contributions − credits from contributions + non-contribution income + reconciliation. */
  pooledIncomeFen: number;
  /** Pooled outflows under the outpatient rules, by benefit (BENEFITS order). */
  outpatientFundFen: number[];
  secondPaymentFen: number;
  /** Retirees' account credits, paid by the pooled fund. */
  retireeCreditsFen: number;
  /** Outside the outpatient rules: inpatient and day surgery (the fund's share of the expected
   *  in-catalogue cost by status and age), chronic/special, maternity (calibrated). */
  inpatientFundFen: number;
  chronicFundFen: number;
  maternityFundFen: number;
  pooledOutflowFen: number;
  /** Individual accounts: credited, paid out for claims, closing. */
  accountCreditsFen: number;
  accountPaidFen: number;
  /** Paid for family members' care (家庭共济). */
  accountFamilyFen: number;
  accountOpeningFen: number;
  accountClosingFen: number;
  /** What people paid in cash at the counter (before the annual second payment). */
  cashFen: number;
}

export function emptyFlows(): FundFlows {
  return {
    persons: 0, claims: 0, spendingFen: 0, eligibleFen: 0, contributionsFen: 0, maternityContributionsFen: 0, creditsFromContributionsFen: 0,
    nonContributionIncomeFen: 0, reconciliationFen: 0, pooledIncomeFen: 0,
    outpatientFundFen: BENEFITS.map(() => 0), secondPaymentFen: 0, retireeCreditsFen: 0, inpatientFundFen: 0, chronicFundFen: 0, maternityFundFen: 0,
    pooledOutflowFen: 0, accountCreditsFen: 0, accountPaidFen: 0, accountFamilyFen: 0, accountOpeningFen: 0, accountClosingFen: 0, cashFen: 0,
  };
}

/** Terms per block: a block's partial sums stay below 2^53 (2^20 terms, each a few Int32 values). */
const BLOCK = 1 << 20;

/**
 * Add a chunk's claims and persons to the flows. Exact: each block of at most 2^20 claims or
 * persons is summed in locals (every partial sum below 2^20 × 2^33 = 2^53), then added to the
 * totals, each addition checked (checkExactTotal: past 2^53 fen a total would lose a fen, and the
 * run stops saying so instead).
 */
export function addChunk(f: FundFlows, persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): FundFlows {
  f.persons += persons.count;
  f.claims += claims.length;
  const op = [0, 0, 0, 0];
  if (op.length !== BENEFITS.length) throw new Error("addChunk: one accumulator per benefit");
  for (let start = 0; start < claims.length; start += BLOCK) {
    const end = Math.min(claims.length, start + BLOCK);
    let spending = 0, eligible = 0, paid = 0, cash = 0;
    op.fill(0);
    for (let j = start; j < end; j++) {
      const amount = claims.amountFen[j];
      spending += amount;
      eligible += claims.eligibleFen[j];
      if (o.benefit[j] >= 0) op[o.benefit[j]] += o.fundFen[j];
      paid += o.accountFen[j];
      cash += amount - o.fundFen[j] - o.otherFundFen[j] - o.accountFen[j];
    }
    f.spendingFen = checkExactTotal(f.spendingFen + spending, "spending");
    f.eligibleFen = checkExactTotal(f.eligibleFen + eligible, "eligible spending");
    for (let b = 0; b < op.length; b++) f.outpatientFundFen[b] = checkExactTotal(f.outpatientFundFen[b] + op[b], `${BENEFITS[b]} fund payments`);
    f.accountPaidFen = checkExactTotal(f.accountPaidFen + paid, "account payments");
    f.cashFen = checkExactTotal(f.cashFen + cash, "cash payments");
  }
  const opening = persons.openingBalanceFen;
  for (let start = 0; start < persons.count; start += BLOCK) {
    const end = Math.min(persons.count, start + BLOCK);
    let contributions = 0, maternityIn = 0, other = 0, reconciliation = 0, fromContributions = 0, retiree = 0, second = 0;
    let inpatient = 0, chronic = 0, maternity = 0, credits = 0, family = 0, open = 0, closing = 0;
    for (let p = start; p < end; p++) {
      contributions += o.contributionFen[p];
      maternityIn += o.maternityContributionFen[p];
      other += o.nonContributionIncomeFen[p];
      reconciliation += o.reconciliationFen[p];
      inpatient += o.inpatientFundFen[p];
      maternity += o.maternityFundFen[p];
      fromContributions += o.creditFen[p] - o.creditFromPoolFen[p];
      retiree += o.creditFromPoolFen[p];
      second += o.secondPaymentFen[p];
      chronic += o.chronicFundFen[p];
      credits += o.creditFen[p];
      family += o.familyUseFen[p];
      open += opening ? opening[p] : 0;
      closing += o.closingBalanceFen[p];
    }
    f.contributionsFen = checkExactTotal(f.contributionsFen + contributions, "contributions");
    f.maternityContributionsFen = checkExactTotal(f.maternityContributionsFen + maternityIn, "maternity contributions");
    f.nonContributionIncomeFen = checkExactTotal(f.nonContributionIncomeFen + other, "non-contribution income");
    f.reconciliationFen = checkExactTotal(f.reconciliationFen + reconciliation, "the reconciliation line");
    f.inpatientFundFen = checkExactTotal(f.inpatientFundFen + inpatient, "inpatient fund payments");
    f.maternityFundFen = checkExactTotal(f.maternityFundFen + maternity, "maternity spending");
    f.creditsFromContributionsFen = checkExactTotal(f.creditsFromContributionsFen + fromContributions, "credits from contributions");
    f.retireeCreditsFen = checkExactTotal(f.retireeCreditsFen + retiree, "retiree credits");
    f.secondPaymentFen = checkExactTotal(f.secondPaymentFen + second, "second payments");
    f.chronicFundFen = checkExactTotal(f.chronicFundFen + chronic, "chronic fund spending");
    f.accountCreditsFen = checkExactTotal(f.accountCreditsFen + credits, "account credits");
    f.accountFamilyFen = checkExactTotal(f.accountFamilyFen + family, "account payments for family members");
    f.accountOpeningFen = checkExactTotal(f.accountOpeningFen + open, "opening account balances");
    f.accountClosingFen = checkExactTotal(f.accountClosingFen + closing, "closing account balances");
  }
  f.pooledIncomeFen = checkExactTotal(pooledIncome(f), "pooled income");
  f.pooledOutflowFen = checkExactTotal(pooledOutflow(f), "pooled outflow");
  return f;
}

/** Add one set of flows into another (threads' sums), each line one checked addition. */
export function mergeFlows(into: FundFlows, from: FundFlows): FundFlows {
  for (const k of Object.keys(into) as Array<keyof FundFlows>) {
    const a = into[k], b = from[k];
    if (Array.isArray(a)) a.forEach((x, i) => (a[i] = checkExactTotal(x + (b as number[])[i], `${k}[${i}]`)));
    else (into as unknown as Record<string, number>)[k] = checkExactTotal((a as number) + (b as number), k);
  }
  return into;
}

/** Flows of one adjudicated chunk with each person p standing for weights[p] persons of the city
 *  (a projection's weighted sample): city totals in fen, not whole (Float64, checked below 2^53). */
export function weightedFlows(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome, weights: Float64Array): FundFlows {
  const f = emptyFlows();
  for (let p = 0; p < persons.count; p++) addPersonFlows(f, persons, claims, o, p, weights[p]);
  f.pooledIncomeFen = pooledIncome(f);
  f.pooledOutflowFen = pooledOutflow(f);
  // Weighted city totals are not whole fen, but past 2^53 a Float64 no longer resolves one fen.
  checkExactTotal(f.spendingFen, "projection: city spending");
  checkExactTotal(f.pooledIncomeFen, "projection: pooled income");
  checkExactTotal(f.pooledOutflowFen, "projection: pooled outflow");
  checkExactTotal(f.accountClosingFen, "projection: account balances");
  return f;
}

/** Person p's flows, standing for `wt` persons of the city, added to f (pooledIncomeFen and
 *  pooledOutflowFen are left to the caller: pooledIncome(f), pooledOutflow(f)). One person's own
 *  flows (wt = 1) are what the projection's sampling error resamples. */
export function addPersonFlows(f: FundFlows, persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome, p: number, wt: number): FundFlows {
  f.persons += wt;
  f.contributionsFen += wt * o.contributionFen[p];
  f.maternityContributionsFen += wt * o.maternityContributionFen[p];
  f.nonContributionIncomeFen += wt * o.nonContributionIncomeFen[p];
  f.reconciliationFen += wt * o.reconciliationFen[p];
  f.inpatientFundFen += wt * o.inpatientFundFen[p];
  f.maternityFundFen += wt * o.maternityFundFen[p];
  f.creditsFromContributionsFen += wt * (o.creditFen[p] - o.creditFromPoolFen[p]);
  f.retireeCreditsFen += wt * o.creditFromPoolFen[p];
  f.secondPaymentFen += wt * o.secondPaymentFen[p];
  f.chronicFundFen += wt * o.chronicFundFen[p];
  f.accountCreditsFen += wt * o.creditFen[p];
  f.accountOpeningFen += wt * (persons.openingBalanceFen ? persons.openingBalanceFen[p] : 0);
  f.accountClosingFen += wt * o.closingBalanceFen[p];
  f.accountFamilyFen += wt * o.familyUseFen[p];
  for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) {
    const amount = claims.amountFen[j];
    f.claims += wt;
    f.spendingFen += wt * amount;
    f.eligibleFen += wt * claims.eligibleFen[j];
    if (o.benefit[j] >= 0) f.outpatientFundFen[o.benefit[j]] += wt * o.fundFen[j];
    f.accountPaidFen += wt * o.accountFen[j];
    f.cashFen += wt * (amount - o.fundFen[j] - o.otherFundFen[j] - o.accountFen[j]);
  }
  return f;
}

/** Pooled income in the model's economic view: contributions less what they credit to accounts,
 *  the income that is not contributions and the reconciliation line. */
export function pooledIncome(f: FundFlows): number {
  return f.contributionsFen - f.creditsFromContributionsFen + f.nonContributionIncomeFen + f.reconciliationFen;
}

/** Pooled outflow in the model's economic view: retiree credits the pool pays included. */
export function pooledOutflow(f: FundFlows): number {
  return f.outpatientFundFen.reduce((a, b) => a + b, 0) + f.secondPaymentFen + f.retireeCreditsFen + f.inpatientFundFen + f.chronicFundFen + f.maternityFundFen;
}

/** Pooled income on NHSA's bulletin basis: net of the retiree credits the pool pays (account
 *  income there). The pooled surplus is the same on both bases. */
export function bulletinIncome(f: FundFlows): number {
  return f.pooledIncomeFen - f.retireeCreditsFen;
}

/** Pooled spending on NHSA's bulletin basis: the retiree credits the pool pays are account income
 *  there, not pooled spending. Months of reserve (累计结存可支付月数) are months of it. */
export function bulletinSpending(f: FundFlows): number {
  return f.pooledOutflowFen - f.retireeCreditsFen;
}

/** Months of pooled spending a balance pays for (可支付月数); pass bulletin-basis spending for NHSA's. */
export function monthsOfReserve(balanceFen: number, annualOutflowFen: number): number {
  return annualOutflowFen > 0 ? balanceFen / (annualOutflowFen / 12) : Infinity;
}
