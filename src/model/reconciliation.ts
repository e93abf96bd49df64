// The one reconciliation line: what the fund's parts (contributions, the income that is not
// contributions, the simulated and calibrated spending lines) do not explain of a published year's
// accounts. Solved once, on the city's rules as published (the reform) in the published year, and
// then held as a share of contributions — the same in every scheme and year, so a scenario's edits
// and a projection's trends move the parts, never the reconciliation.
//
// Why a share of contributions: the line stands for income and spending the model does not build
// (and for the model's error), which scale with the fund rather than with any one benefit; as a
// share of contributions it grows with wages in a projection, like the income it stands beside.
//
// The solve reads a sample's totals weighted to the city's structure (post-stratified, as the
// projection weighs its sample: src/model/projection/structure.ts personWeights), so the line
// does not absorb the sample's chance mix of retirees and ages — a sample with too many retirees
// would otherwise carry a line that is too large into every city-weighted year.
import type { ChunkOutcome, EngineClaims, EnginePersons } from "./engine-columns.ts";
import { bulletinIncome, bulletinSpending, type FundFlows, pooledIncome, weightedFlows } from "./fund.ts";
import { checkExactTotal } from "./limits.ts";

/** Published accounts as the solve reads them: the surplus as a share of income on one basis. */
export interface ReconciliationTarget {
  /** `pooled`: pooled income and spending on NHSA's bulletin basis; `fund`: pooled + accounts. */
  basis: "pooled" | "fund";
  /** Surplus ÷ income of the published year. */
  surplusRate: number;
}

/** Income and spending of the flows on the target's basis. */
export function onBasis(f: FundFlows, basis: ReconciliationTarget["basis"]): { income: number; spending: number } {
  const income = bulletinIncome(f) + (basis === "fund" ? f.accountCreditsFen : 0);
  const spending = bulletinSpending(f) + (basis === "fund" ? f.accountPaidFen + f.accountFamilyFen : 0);
  return { income, spending };
}

/**
 * The reconciliation share of contributions that makes flows solved without the line (f.reconciliationFen
 * = 0) meet the target: income + R = spending ÷ (1 − surplus rate), so R = that − income, ÷ contributions.
 * Signed: negative when the parts alone leave more surplus than was published.
 */
export function solveReconciliationShare(f: FundFlows, target: ReconciliationTarget): number {
  if (f.reconciliationFen !== 0) throw new Error("solveReconciliationShare: the flows already hold a reconciliation line");
  if (!(target.surplusRate < 1)) throw new RangeError(`a published surplus rate must be below 100%, got ${target.surplusRate}`);
  if (!(f.contributionsFen > 0)) throw new RangeError("the reconciliation line needs contributions to be a share of");
  const { income, spending } = onBasis(f, target.basis);
  return (spending / (1 - target.surplusRate) - income) / f.contributionsFen;
}

/** A person's reconciliation line: the share of their contributions, whole fen (the engine's). */
export function reconciliationFen(contributionFen: number, share: number): number {
  return Math.round(contributionFen * share);
}

/** Flows solved without the line, with it added: the line is a function of each person's
 *  contributions only, so the rules need not run again. With `weights`, person p stands for
 *  weights[p] persons (flows from weightedFlows with the same weights). */
export function withReconciliation(f: FundFlows, contributionFen: Int32Array, share: number, weights?: Float64Array): FundFlows {
  let line = 0;
  for (let p = 0; p < contributionFen.length; p++) line += (weights ? weights[p] : 1) * reconciliationFen(contributionFen[p], share);
  const out = { ...f, reconciliationFen: checkExactTotal(line, "the reconciliation line") };
  out.pooledIncomeFen = pooledIncome(out);
  return out;
}

/**
 * The line solved on a sample adjudicated without it (`outcome`, finance.reconciliationShare 0),
 * each person standing for weights[p] persons of the city: the flows without the line, the share,
 * and the flows with it (whose surplus rate on the target's basis is the target's).
 */
export function reconcileSample(persons: EnginePersons, claims: EngineClaims, outcome: ChunkOutcome, weights: Float64Array, target: ReconciliationTarget): { without: FundFlows; share: number; withLine: FundFlows } {
  const without = weightedFlows(persons, claims, outcome, weights);
  const share = solveReconciliationShare(without, target);
  return { without, share, withLine: withReconciliation(without, outcome.contributionFen, share, weights) };
}

/** The surplus rate of flows on a basis (for checking the solve and for the methods page). */
export function surplusRate(f: FundFlows, basis: ReconciliationTarget["basis"]): number {
  const { income, spending } = onBasis(f, basis);
  return income > 0 ? 1 - spending / income : NaN;
}
