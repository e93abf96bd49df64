// One chunk of a city-year: generate persons and claims, adjudicate them under the scenario
// (reform or a scenario file) and the baseline, and keep what the summaries need: the claim cube
// and one row per person. A pure function of its inputs, so it runs on any thread in any order.
import type { Finance } from "../model/finance.ts";
import { runBoth } from "../model/whatif.ts";
import { addChunk, emptyFlows, type FundFlows } from "../model/fund.ts";
import type { Scheme } from "../model/policy.ts";
import { generateChunk, type Model } from "../loaders/population/index.ts";
import { addToCube, type Cube } from "./cube.ts";

/** Per-person results, one typed array per column (transferable between threads). */
export interface PersonRows {
  count: number;
  person: Uint32Array;
  status: Uint8Array;
  age_band: Uint8Array;
  two_diseases: Uint8Array;
  chronic: Uint8Array;
  claims: Uint16Array;
  spending_fen: Float64Array;
  opening_fen: Int32Array;
  /** Other pooled income attributed to the person (the same under both schemes). */
  other_income_fen: Int32Array;
  /** Per scheme (r_ = scenario, b_ = baseline): pooled payments for the person's claims under the
   *  outpatient rules, the second payment, account credits, the credits paid by the pool,
   *  contributions, what the account paid, cash, closing account balance. */
  r_fund_fen: Float64Array;
  r_second_fen: Int32Array;
  r_credit_fen: Int32Array;
  r_credit_pool_fen: Int32Array;
  r_contribution_fen: Int32Array;
  r_account_fen: Float64Array;
  r_cash_fen: Float64Array;
  r_closing_fen: Int32Array;
  r_family_fen: Int32Array;
  b_fund_fen: Float64Array;
  b_second_fen: Int32Array;
  b_credit_fen: Int32Array;
  b_credit_pool_fen: Int32Array;
  b_contribution_fen: Int32Array;
  b_account_fen: Float64Array;
  b_cash_fen: Float64Array;
  b_closing_fen: Int32Array;
  b_family_fen: Int32Array;
}

export interface ChunkContext {
  model: Model;
  scenario: Scheme;
  baseline: Scheme;
  finance: Finance;
  year: number;
  seed: number;
  yearFirstDay: number;
  months: Uint8Array;
}

export function runChunkTask(ctx: ChunkContext, firstId: number, count: number, cube: Cube, flows: [FundFlows, FundFlows]): PersonRows {
  const { persons, claims } = generateChunk(ctx.model, ctx.seed, firstId, count);
  // The same steps as the browser's what-if: one opening balance, then scenario and baseline.
  const { eng, r, b } = runBoth(ctx.scenario, ctx.baseline, persons, claims, ctx.year, ctx.finance);
  addToCube(cube, 0, persons, claims, r, ctx.yearFirstDay, ctx.months);
  addToCube(cube, 1, persons, claims, b, ctx.yearFirstDay, ctx.months);
  addChunk(flows[0], eng, claims, r);
  addChunk(flows[1], eng, claims, b);

  const n = persons.count;
  const rows: PersonRows = {
    count: n,
    person: persons.id.slice(),
    status: persons.status.slice(),
    age_band: persons.ageBand.slice(),
    two_diseases: persons.twoDiseases.slice(),
    chronic: persons.chronic.slice(),
    claims: new Uint16Array(n),
    spending_fen: new Float64Array(n),
    opening_fen: eng.openingBalanceFen!,
    other_income_fen: r.otherIncomeFen,
    r_fund_fen: new Float64Array(n), r_second_fen: r.secondPaymentFen, r_credit_fen: r.creditFen, r_credit_pool_fen: r.creditFromPoolFen,
    r_contribution_fen: r.contributionFen, r_account_fen: new Float64Array(n), r_cash_fen: new Float64Array(n), r_closing_fen: r.closingBalanceFen, r_family_fen: r.familyUseFen,
    b_fund_fen: new Float64Array(n), b_second_fen: b.secondPaymentFen, b_credit_fen: b.creditFen, b_credit_pool_fen: b.creditFromPoolFen,
    b_contribution_fen: b.contributionFen, b_account_fen: new Float64Array(n), b_cash_fen: new Float64Array(n), b_closing_fen: b.closingBalanceFen, b_family_fen: b.familyUseFen,
  };
  for (let p = 0; p < n; p++) {
    let spend = 0, rf = 0, ra = 0, rc = 0, bf = 0, ba = 0, bc = 0;
    const s = persons.claimStart[p], e = persons.claimStart[p + 1];
    for (let j = s; j < e; j++) {
      const a = claims.amountFen[j];
      spend += a;
      rf += r.fundFen[j];
      ra += r.accountFen[j];
      rc += a - r.fundFen[j] - r.otherFundFen[j] - r.accountFen[j];
      bf += b.fundFen[j];
      ba += b.accountFen[j];
      bc += a - b.fundFen[j] - b.otherFundFen[j] - b.accountFen[j];
    }
    rows.claims[p] = Math.min(e - s, 65535);
    rows.spending_fen[p] = spend;
    rows.r_fund_fen[p] = rf; rows.r_account_fen[p] = ra; rows.r_cash_fen[p] = rc;
    rows.b_fund_fen[p] = bf; rows.b_account_fen[p] = ba; rows.b_cash_fen[p] = bc;
  }
  return rows;
}

export function newFlowsPair(): [FundFlows, FundFlows] {
  return [emptyFlows(), emptyFlows()];
}
