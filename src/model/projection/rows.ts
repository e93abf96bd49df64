// A projection's results as table rows: the fund-flow lines the CLI writes and the page's rows
// per year. Separate: presentation of results, shared by the CLI, the page's build and its worker.
import { bulletinSpending, type FundFlows } from "../fund.ts";
import { BENEFITS } from "../types.ts";
import type { ProjectionParams } from "./params.ts";
import { type PreparedProjection, projectScheme, type SchemeProjection } from "./project.ts";

/** A FundFlows line by its FLOW_LINES key (src/pipeline/summaries.ts), in fen. */
export function flowLine(f: FundFlows, key: string): number {
  switch (key) {
    case "contributions_fen": return f.contributionsFen;
    case "credits_from_contributions_fen": return f.creditsFromContributionsFen;
    case "maternity_contributions_fen": return f.maternityContributionsFen;
    case "non_contribution_income_fen": return f.nonContributionIncomeFen;
    case "reconciliation_fen": return f.reconciliationFen;
    case "pooled_income_fen": return f.pooledIncomeFen;
    case "second_payment_fen": return f.secondPaymentFen;
    case "retiree_credits_fen": return f.retireeCreditsFen;
    case "inpatient_fen": return f.inpatientFundFen;
    case "chronic_fen": return f.chronicFundFen;
    case "maternity_fen": return f.maternityFundFen;
    case "pooled_outflow_fen": return f.pooledOutflowFen;
    case "pooled_net_fen": return f.pooledIncomeFen - f.pooledOutflowFen;
    case "account_credits_fen": return f.accountCreditsFen;
    case "account_paid_fen": return f.accountPaidFen;
    case "account_family_fen": return f.accountFamilyFen;
    case "account_opening_fen": return f.accountOpeningFen;
    case "account_closing_fen": return f.accountClosingFen;
    case "cash_fen": return f.cashFen;
    case "spending_fen": return f.spendingFen;
    // NHSA's bulletin basis (src/pipeline/summaries.ts): retiree credits are account income.
    case "nhsa_pooled_income_fen": return f.pooledIncomeFen - f.retireeCreditsFen;
    case "nhsa_pooled_spending_fen": return bulletinSpending(f);
    case "nhsa_account_income_fen": return f.accountCreditsFen;
    case "nhsa_account_spending_fen": return f.accountPaidFen + f.accountFamilyFen;
    case "nhsa_fund_income_fen": return f.pooledIncomeFen - f.retireeCreditsFen + f.accountCreditsFen;
    case "nhsa_fund_spending_fen": return bulletinSpending(f) + f.accountPaidFen + f.accountFamilyFen;
  }
  const b = BENEFITS.indexOf(key.replace(/_fen$/, "") as (typeof BENEFITS)[number]);
  if (b >= 0) return f.outpatientFundFen[b];
  throw new RangeError(`unknown flow line ${key}`);
}

// ---- rows for the page --------------------------------------------------------------------------

const wanOf = (fen: number) => fen / 1_000_000;
const finiteOr = (x: number) => (Number.isFinite(x) ? x : null);

/** One row per year of a scheme's path as the projection page reads it (万元; ±∞ months as null).
 *  The build (src/data/projection.json.ts) and the page's worker both make them, so the page can
 *  set a path recomputed in the browser beside the build's. */
export function pathRows(s: SchemeProjection, role: string) {
  return s.years.map((y) => ({
    role, year: y.year, t: y.t,
    incomeWan: wanOf(y.flows.pooledIncomeFen), outflowWan: wanOf(y.flows.pooledOutflowFen), netWan: wanOf(y.netFen),
    openingWan: wanOf(y.reserveOpeningFen), balanceWan: wanOf(y.reserveClosingFen), months: finiteOr(y.monthsOfReserve), flag: y.flag,
    insured: y.insured, supportRatio: finiteOr(y.supportRatio),
  }));
}

/** The scenario (scheme 0) and the baseline (scheme 1) of a prepared projection under `params`, as
 *  the page's rows: what the build writes for the files' assumptions and the page's worker
 *  recomputes for the reader's. */
export function pagePaths(prep: PreparedProjection, params: ProjectionParams) {
  const [reform, baseline] = [0, 1].map((i) => projectScheme(prep, params, i));
  return {
    schemes: [reform, baseline],
    paths: [...pathRows(reform, "reform"), ...pathRows(baseline, "baseline")],
    firstDeficitYear: { reform: reform.firstDeficitYear, baseline: baseline.firstDeficitYear },
    firstExhaustedYear: { reform: reform.firstExhaustedYear, baseline: baseline.firstExhaustedYear },
  };
}
