// The city's enrollees over the projection: status groups evolving by entry, retirement and
// retiree mortality, and the sample's results weighted up to them. Separate: the population's
// ageing lives here, not in the sample (whose persons keep their age).
import type { ChunkOutcome, EngineClaims, EnginePersons } from "../engine.ts";
import { emptyFlows, type FundFlows } from "../fund.ts";
import { checkExactTotal } from "../limits.ts";
import type { ProjectionParams } from "./params.ts";

/** City enrollees by status [active, retired, flexible] in each year t = 0 … years − 1. */
export function populationPath(base: [number, number, number], params: ProjectionParams, years: number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [base];
  for (let t = 1; t < years; t++) {
    const [a, r, f] = out[t - 1];
    const stay = 1 + params.entryRate - params.retirementRate;
    out.push([a * stay, r * (1 - params.retireeMortality) + params.retirementRate * (a + f), f * stay]);
  }
  return out;
}

/** Flows of one adjudicated chunk, each person weighted by their status's weight (city fen). */
export function weightedFlows(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome, weight: [number, number, number]): FundFlows {
  const f = emptyFlows();
  for (let p = 0; p < persons.count; p++) {
    const wt = weight[persons.status[p]];
    f.persons += wt;
    f.contributionsFen += wt * o.contributionFen[p];
    f.otherIncomeFen += wt * o.otherIncomeFen[p];
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
      f.inpatientFundFen += wt * o.otherFundFen[j];
      f.accountPaidFen += wt * o.accountFen[j];
      f.cashFen += wt * (amount - o.fundFen[j] - o.otherFundFen[j] - o.accountFen[j]);
    }
  }
  f.pooledIncomeFen = f.contributionsFen - f.creditsFromContributionsFen + f.otherIncomeFen;
  f.pooledOutflowFen = f.outpatientFundFen.reduce((a, b) => a + b, 0) + f.secondPaymentFen + f.retireeCreditsFen + f.inpatientFundFen + f.chronicFundFen;
  // Weighted city totals are not whole fen, but past 2^53 a Float64 no longer resolves one fen.
  checkExactTotal(f.spendingFen, "projection: city spending");
  checkExactTotal(f.pooledIncomeFen, "projection: pooled income");
  checkExactTotal(f.pooledOutflowFen, "projection: pooled outflow");
  checkExactTotal(f.accountClosingFen, "projection: account balances");
  return f;
}
