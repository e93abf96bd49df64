// Fund and account flows of a city-year under one scheme, summed from the engine's outcome.
// Pure and streaming (chunk by chunk), so the browser's what-if and the Node pipeline add up
// the same way; DuckDB does the breakdowns (status, age, level, kind, month) from the same rows.
import type { ChunkOutcome, EngineClaims, EnginePersons } from "./engine.ts";
import { BENEFITS } from "./types.ts";

export interface FundFlows {
  persons: number;
  claims: number;
  spendingFen: number;
  eligibleFen: number;
  /** Pooled-fund income: contributions minus what is credited to accounts out of them. */
  contributionsFen: number;
  creditsFromContributionsFen: number;
  /** Pooled income not built from contributions (calibrated, see Finance.otherIncomeShareBp). */
  otherIncomeFen: number;
  pooledIncomeFen: number;
  /** Pooled outflows under the outpatient rules, by benefit (BENEFITS order). */
  outpatientFundFen: number[];
  secondPaymentFen: number;
  /** Retirees' account credits, paid by the pooled fund. */
  retireeCreditsFen: number;
  /** Outside the outpatient rules: inpatient and day surgery, chronic/special (calibrated). */
  inpatientFundFen: number;
  chronicFundFen: number;
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
    persons: 0, claims: 0, spendingFen: 0, eligibleFen: 0, contributionsFen: 0, creditsFromContributionsFen: 0, otherIncomeFen: 0, pooledIncomeFen: 0,
    outpatientFundFen: BENEFITS.map(() => 0), secondPaymentFen: 0, retireeCreditsFen: 0, inpatientFundFen: 0, chronicFundFen: 0,
    pooledOutflowFen: 0, accountCreditsFen: 0, accountPaidFen: 0, accountFamilyFen: 0, accountOpeningFen: 0, accountClosingFen: 0, cashFen: 0,
  };
}

export function addChunk(f: FundFlows, persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): FundFlows {
  f.persons += persons.count;
  f.claims += claims.length;
  for (let j = 0; j < claims.length; j++) {
    const amount = claims.amountFen[j];
    f.spendingFen += amount;
    f.eligibleFen += claims.eligibleFen[j];
    if (o.benefit[j] >= 0) f.outpatientFundFen[o.benefit[j]] += o.fundFen[j];
    f.inpatientFundFen += o.otherFundFen[j];
    f.accountPaidFen += o.accountFen[j];
    f.cashFen += amount - o.fundFen[j] - o.otherFundFen[j] - o.accountFen[j];
  }
  for (let p = 0; p < persons.count; p++) {
    f.contributionsFen += o.contributionFen[p];
    f.otherIncomeFen += o.otherIncomeFen[p];
    f.creditsFromContributionsFen += o.creditFen[p] - o.creditFromPoolFen[p];
    f.retireeCreditsFen += o.creditFromPoolFen[p];
    f.secondPaymentFen += o.secondPaymentFen[p];
    f.chronicFundFen += o.chronicFundFen[p];
    f.accountCreditsFen += o.creditFen[p];
    f.accountFamilyFen += o.familyUseFen[p];
    f.accountOpeningFen += persons.openingBalanceFen ? persons.openingBalanceFen[p] : 0;
    f.accountClosingFen += o.closingBalanceFen[p];
  }
  f.pooledIncomeFen = f.contributionsFen - f.creditsFromContributionsFen + f.otherIncomeFen;
  f.pooledOutflowFen =
    f.outpatientFundFen.reduce((a, b) => a + b, 0) + f.secondPaymentFen + f.retireeCreditsFen + f.inpatientFundFen + f.chronicFundFen;
  return f;
}

/** Months of pooled outflow a balance pays for (可支付月数). */
export function monthsOfReserve(balanceFen: number, annualOutflowFen: number): number {
  return annualOutflowFen > 0 ? balanceFen / (annualOutflowFen / 12) : Infinity;
}
