// The summaries of a run, in SQL over the tables simulateCity loads:
//   cube          claim fact table: city, scheme (0 scenario, 1 baseline), status, age_band, level,
//                 kind, month, outcome (benefit or excluded), with fen measures;
//   person_cells  the person cube's exact sums per city × status × age_band × two_diseases ×
//                 chronic: persons, both schemes' person-level results (r_*, b_*), the gain;
//   gain_hist     persons per person cell and gain bin;  spend_bins  persons, Σ gain, gainers and
//                 losers per spending bin;  spend_gain  persons per spending bin × gain bin;
//   exclusions    excluded claims by reason and kind;  meta  one row per city.
// Money stays in fen (BIGINT *_fen); per-capita yuan and city totals in 万元 are derived columns.
//
// Exact and approximate. Every flow line, breakdown, person count, mean gain and share gaining or
// losing by status, age band and two-disease registration is an exact sum. What is approximate
// (person-cube.ts has the bins: exact below 2.56 yuan, then < 1/128 = 0.78% wide):
//   - the gain quantiles (p10, p50, p90): quantile_cont's two order statistics are each placed
//     inside the gain bin that holds them (spread evenly over the bin by rank), so each is within
//     its bin's width of the true one: the error is below 0.78% of the larger |order statistic|,
//     and none below 2.56 yuan;
//   - the spending deciles: the decile sizes are ntile(10)'s exactly, but the persons are known by
//     spending bin only, so the (at most two) bins a decile shares with its neighbours — spending
//     within 0.78% of the boundary, or a tie such as no spending at all, which ntile breaks by person
//     id — are apportioned in proportion to the overlap, as if the bin's persons were spread evenly
//     over it. If d is the number of the decile's persons in such bins, its population differs from
//     ntile's by at most d persons: the mean gain by at most d × (the range of those persons' gains)
//     ÷ persons, the shares by at most d ÷ persons, and each quantile lies between ntile's order
//     statistics d ranks either side (then within a bin's width, as above).
// The inputs are integer sums, the same whatever the chunk size or thread count, and the SQL adds
// fractional parts in a fixed order, so the summaries are identical across chunkings.
//
// Exact totals. The cubes arrive as DOUBLE columns of whole numbers, each below 2^53 (checked where
// they were summed: src/model/limits.ts). They are turned into BIGINT before any SQL adds them up, so
// every sum is DuckDB's HUGEINT — exact however large — and each money line written is a BIGINT
// checked to lie within ±(2^53 − 1) fen, so a reader taking it as a JS number (Parquet → Number)
// loses nothing; past that the run stops: "a total exceeds 2^53 fen (90 万亿元): not exact".
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { AGE_BANDS } from "../loaders/population/columns.ts";
import { INEXACT_TOTAL, MAX_EXACT_FEN } from "../model/limits.ts";
import { BENEFITS, EXCLUSIONS, KINDS, STATUSES } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";
import { appendColumns, createTableFor, lit } from "./duckdb.ts";
import { GAIN_BINS, gainBinRange, PERSON_MEASURES, SPEND_MEASURES } from "./person-cube.ts";
import { MEASURES, OUTCOMES } from "./cube.ts";

const list = (xs: readonly (string | number)[]) => `[${xs.map((x) => lit(String(x))).join(", ")}]`;
/** SQL for the label of a 0-based code. */
const label = (xs: readonly (string | number)[], col: string) => `${list(xs)}[${col} + 1]`;

/** The flow lines, in display order, with their Chinese and English names. */
export const FLOW_LINES: Array<[key: string, zh: string, en: string]> = [
  ["contributions_fen", "医保缴费（含生育保险）", "contributions (maternity included)"],
  ["maternity_contributions_fen", "其中：生育保险缴费（备忘，不重复计入）", "of which maternity contributions (memo, not added again)"],
  ["credits_from_contributions_fen", "缴费划入个人账户", "credited to accounts from contributions"],
  ["non_contribution_income_fen", "利息、财政补助等非缴费收入", "interest, fiscal subsidies and other non-contribution income"],
  ["reconciliation_fen", "对账调节项（模型各项与公布决算之差）", "reconciliation line (what the parts do not explain of the published accounts)"],
  ["pooled_income_fen", "统筹基金收入", "pooled fund income"],
  ["general_fen", "普通门诊统筹支出", "general outpatient pooling"],
  ["tcm_fen", "中医门诊支出", "TCM outpatient"],
  ["two_disease_fen", "两病用药支出", "two-disease drugs"],
  ["special_exam_fen", "门诊特殊检查治疗支出", "special examinations"],
  ["second_payment_fen", "大额补助二次支付", "second payment (Jinan)"],
  ["retiree_credits_fen", "退休人员个人账户划入（统筹支付）", "retiree account credits (paid by the pool)"],
  ["inpatient_fen", "住院及日间手术支出（按年龄、身份的期望费用，规则外）", "inpatient & day surgery (expected cost by status and age, outside the outpatient rules)"],
  ["chronic_fen", "门诊慢特病支出（校准，规则外）", "chronic/special disease (calibrated, outside the outpatient rules)"],
  ["maternity_fen", "生育保险待遇支出（校准）", "maternity benefits (calibrated)"],
  ["pooled_outflow_fen", "统筹基金支出", "pooled fund outflow"],
  ["pooled_net_fen", "统筹基金当期结余", "pooled fund net"],
  ["account_credits_fen", "个人账户划入", "account credits"],
  ["account_paid_fen", "个人账户支付", "account payments"],
  ["account_family_fen", "个人账户家庭共济支付", "account payments for family members"],
  ["account_opening_fen", "个人账户年初余额", "account balance, opening"],
  ["account_closing_fen", "个人账户年末余额", "account balance, closing"],
  ["cash_fen", "个人现金支付", "paid in cash"],
  ["spending_fen", "医疗费用总额", "total medical spending"],
  // The same year on the basis of NHSA's statistical bulletins (医疗保障事业发展统计公报): the retiree
  // credits the pool pays are account income there, so pooled income is net of them and pooled
  // spending excludes them; the pooled surplus is the same on both bases.
  ["nhsa_pooled_income_fen", "统筹基金收入（公报口径）", "pooled fund income (NHSA bulletin basis)"],
  ["nhsa_pooled_spending_fen", "统筹基金支出（公报口径）", "pooled fund spending (NHSA bulletin basis)"],
  ["nhsa_account_income_fen", "个人账户收入（公报口径）", "individual account income (NHSA bulletin basis)"],
  ["nhsa_account_spending_fen", "个人账户支出（公报口径）", "individual account spending (NHSA bulletin basis)"],
  ["nhsa_fund_income_fen", "职工医保基金收入（统筹+账户，公报口径）", "employee fund income, pooled + accounts (NHSA bulletin basis)"],
  ["nhsa_fund_spending_fen", "职工医保基金支出（统筹+账户，公报口径）", "employee fund spending, pooled + accounts (NHSA bulletin basis)"],
];

/** The flow lines that are on NHSA's bulletin basis (the rest are the model's economic view). */
export const NHSA_LINES = FLOW_LINES.filter(([k]) => k.startsWith("nhsa_")).map(([k]) => k);

/** The integer measures of the loaded cubes (DOUBLE columns of whole numbers), by table. */
const INTEGER_MEASURES: Record<string, readonly string[]> = {
  cube: MEASURES,
  exclusions: ["claims", "amount_fen"],
  person_cells: PERSON_MEASURES,
  spend_bins: SPEND_MEASURES,
};

/** The cubes' DOUBLE measures as BIGINT (their sums are then HUGEINT, exact), after checking that
 *  each is a whole number within ±(2^53 − 1): a fractional or larger value is refused, not rounded. */
export async function exactMeasures(conn: DuckDBConnection, tables: Record<string, readonly string[]> = INTEGER_MEASURES): Promise<void> {
  for (const [table, cols] of Object.entries(tables)) {
    const bad = cols.map((c) => `"${c}" <> trunc("${c}") OR abs("${c}") > ${MAX_EXACT_FEN}`).join(" OR ");
    const n = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM "${table}" WHERE ${bad}`)).getRowObjectsJS()[0].n as number;
    if (n > 0) throw new RangeError(`${table}: ${n} row(s) hold a measure that is not a whole number within 2^53: ${INEXACT_TOTAL}`);
    await conn.run(`CREATE OR REPLACE TABLE "${table}" AS SELECT * REPLACE (${cols.map((c) => `"${c}"::BIGINT AS "${c}"`).join(", ")}) FROM "${table}"`);
  }
}

/** Every money line of `table` (columns ending in _fen) within ±(2^53 − 1) fen, or an error. */
async function checkExactLines(conn: DuckDBConnection, table: string, cols: string[]): Promise<void> {
  const bad = cols.map((c) => `abs("${c}") > ${MAX_EXACT_FEN}`).join(" OR ");
  const n = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM "${table}" WHERE ${bad}`)).getRowObjectsJS()[0].n as number;
  if (n > 0) throw new RangeError(`${table}: ${INEXACT_TOTAL}`);
}

export async function writeSummaries(conn: DuckDBConnection, dir: string, csv: boolean): Promise<string[]> {
  await exactMeasures(conn);
  const city = `${label(cityIds(), "city")}`;
  const scheme = `CASE scheme WHEN 0 THEN 'reform' ELSE 'baseline' END`;

  // One row per city and scheme with every flow line, in fen.
  await conn.run(`
    CREATE OR REPLACE TABLE totals AS
    WITH s(scheme) AS (VALUES (0), (1)),
    p AS (
      SELECT city, s.scheme,
        sum(persons) AS persons,
        sum(CASE WHEN s.scheme = 0 THEN r_contribution_fen ELSE b_contribution_fen END) AS contributions_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_fen - r_credit_pool_fen ELSE b_credit_fen - b_credit_pool_fen END) AS credits_from_contributions_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_second_fen ELSE b_second_fen END) AS second_payment_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_pool_fen ELSE b_credit_pool_fen END) AS retiree_credits_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_fen ELSE b_credit_fen END) AS account_credits_fen,
        sum(opening_fen) AS account_opening_fen,
        sum(non_contribution_income_fen) AS non_contribution_income_fen,
        sum(reconciliation_fen) AS reconciliation_fen,
        sum(maternity_contributions_fen) AS maternity_contributions_fen,
        sum(inpatient_fund_fen) AS inpatient_fen,
        sum(maternity_fund_fen) AS maternity_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_family_fen ELSE b_family_fen END) AS account_family_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_closing_fen ELSE b_closing_fen END) AS account_closing_fen,
        sum(persons * chronic) AS chronic_persons
      FROM person_cells CROSS JOIN s GROUP BY city, s.scheme),
    c AS (
      SELECT city, scheme,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("general")}) AS general_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("tcm")}) AS tcm_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("two_disease")}) AS two_disease_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("special_exam")}) AS special_exam_fen,
        sum(account_fen) AS account_paid_fen,
        sum(cash_fen) AS cash_fen,
        sum(amount_fen) AS spending_fen
      FROM cube GROUP BY city, scheme)
    SELECT p.city, p.scheme, p.persons::BIGINT AS persons, m.insured, m.insured / p.persons AS scale,
      p.contributions_fen::BIGINT AS contributions_fen,
      p.credits_from_contributions_fen::BIGINT AS credits_from_contributions_fen,
      p.maternity_contributions_fen::BIGINT AS maternity_contributions_fen,
      p.non_contribution_income_fen::BIGINT AS non_contribution_income_fen,
      p.reconciliation_fen::BIGINT AS reconciliation_fen,
      (p.contributions_fen - p.credits_from_contributions_fen + p.non_contribution_income_fen + p.reconciliation_fen)::BIGINT AS pooled_income_fen,
      coalesce(c.general_fen, 0)::BIGINT AS general_fen, coalesce(c.tcm_fen, 0)::BIGINT AS tcm_fen,
      coalesce(c.two_disease_fen, 0)::BIGINT AS two_disease_fen, coalesce(c.special_exam_fen, 0)::BIGINT AS special_exam_fen,
      p.second_payment_fen::BIGINT AS second_payment_fen, p.retiree_credits_fen::BIGINT AS retiree_credits_fen,
      p.inpatient_fen::BIGINT AS inpatient_fen,
      (p.chronic_persons * m.chronic_fund_fen)::BIGINT AS chronic_fen,
      p.maternity_fen::BIGINT AS maternity_fen,
      p.account_credits_fen::BIGINT AS account_credits_fen, coalesce(c.account_paid_fen, 0)::BIGINT AS account_paid_fen,
      p.account_family_fen::BIGINT AS account_family_fen, p.account_opening_fen::BIGINT AS account_opening_fen, p.account_closing_fen::BIGINT AS account_closing_fen,
      coalesce(c.cash_fen, 0)::BIGINT AS cash_fen, coalesce(c.spending_fen, 0)::BIGINT AS spending_fen,
      m.opening_reserve_months
    FROM p JOIN c USING (city, scheme) JOIN meta m USING (city)`);
  await conn.run(`
    CREATE OR REPLACE TABLE totals2 AS
    SELECT *, general_fen + tcm_fen + two_disease_fen + special_exam_fen + second_payment_fen + retiree_credits_fen + inpatient_fen + chronic_fen + maternity_fen AS pooled_outflow_fen
    FROM totals`);
  await conn.run(`
    CREATE OR REPLACE TABLE totals3 AS
    SELECT *, pooled_income_fen - pooled_outflow_fen AS pooled_net_fen,
      pooled_income_fen - retiree_credits_fen AS nhsa_pooled_income_fen,
      pooled_outflow_fen - retiree_credits_fen AS nhsa_pooled_spending_fen,
      account_credits_fen AS nhsa_account_income_fen,
      account_paid_fen + account_family_fen AS nhsa_account_spending_fen,
      pooled_income_fen - retiree_credits_fen + account_credits_fen AS nhsa_fund_income_fen,
      pooled_outflow_fen - retiree_credits_fen + account_paid_fen + account_family_fen AS nhsa_fund_spending_fen
    FROM totals2`);
  await checkExactLines(conn, "totals3", [...FLOW_LINES.map(([k]) => k)]);

  // Flow lines, long: one row per city, scheme and line.
  const lines = FLOW_LINES.map(([k], i) => `(${lit(k)}, ${i}, ${lit(FLOW_LINES[i][1])}, ${lit(FLOW_LINES[i][2])})`).join(", ");
  await conn.run(`
    CREATE OR REPLACE TABLE flows AS
    WITH u AS (UNPIVOT totals3 ON ${FLOW_LINES.map(([k]) => k).join(", ")} INTO NAME line VALUE fen),
    l(line, ord, label_zh, label_en) AS (VALUES ${lines})
    SELECT ${city} AS city, ${scheme} AS scheme, l.ord, line, label_zh, label_en, fen::BIGINT AS fen,
      fen / persons / 100.0 AS yuan_per_capita, fen * scale / 100.0 / 10000.0 AS city_wan
    FROM u JOIN l USING (line) ORDER BY city, scheme DESC, l.ord`);

  // Reform against baseline, line by line.
  await conn.run(`
    CREATE OR REPLACE TABLE impact AS
    SELECT r.city, r.ord, r.line, r.label_zh, r.label_en, r.fen AS reform_fen, b.fen AS baseline_fen, r.fen - b.fen AS delta_fen,
      r.yuan_per_capita - b.yuan_per_capita AS delta_yuan_per_capita, r.city_wan - b.city_wan AS delta_city_wan
    FROM flows r JOIN flows b ON r.city = b.city AND r.line = b.line AND r.scheme = 'reform' AND b.scheme = 'baseline'
    ORDER BY r.city, r.ord`);

  // The pooled reserve. The opening balance is the same under both schemes: the finance files'
  // opening months (累计结存可支付月数, NHSA's definition: balance ÷ monthly pooled spending on the
  // bulletin basis) times the baseline's pooled spending on that basis. Months at year end on both
  // bases: NHSA's (the bulletins' words) and the model's (retiree credits counted as pooled outflow).
  await conn.run(`
    CREATE OR REPLACE TABLE reserve AS
    WITH b AS (SELECT city, nhsa_pooled_spending_fen AS base_spending FROM totals3 WHERE scheme = 1),
    t AS (SELECT t.*, (t.opening_reserve_months * b.base_spending / 12)::BIGINT AS opening_fen FROM totals3 t JOIN b USING (city))
    SELECT ${city} AS city, ${scheme} AS scheme,
      opening_fen,
      pooled_income_fen AS income_fen, pooled_outflow_fen AS outflow_fen,
      (opening_fen + pooled_net_fen)::BIGINT AS closing_fen,
      opening_fen / (pooled_outflow_fen / 12.0) AS months_opening,
      (opening_fen + pooled_net_fen) / (pooled_outflow_fen / 12.0) AS months_closing,
      scale * (opening_fen + pooled_net_fen) / 100.0 / 10000.0 AS closing_city_wan,
      nhsa_pooled_income_fen AS nhsa_income_fen, nhsa_pooled_spending_fen AS nhsa_spending_fen,
      opening_fen / (nhsa_pooled_spending_fen / 12.0) AS nhsa_months_opening,
      (opening_fen + pooled_net_fen) / (nhsa_pooled_spending_fen / 12.0) AS nhsa_months_closing
    FROM t ORDER BY city, scheme DESC`);
  await checkExactLines(conn, "impact", ["reform_fen", "baseline_fen", "delta_fen"]);
  await checkExactLines(conn, "reserve", ["opening_fen", "income_fen", "outflow_fen", "closing_fen", "nhsa_income_fen", "nhsa_spending_fen"]);

  // Breakdowns of the claims by each dimension.
  const dims: Array<[string, string]> = [
    ["status", label(STATUSES, "status")],
    ["age_band", label(AGE_BANDS, "age_band")],
    ["level", `'level ' || (level + 1)`],
    ["kind", label(KINDS, "kind")],
    ["month", `(month + 1)::VARCHAR`],
    ["outcome", label(OUTCOMES, "outcome")],
  ];
  await conn.run(`
    CREATE OR REPLACE TABLE breakdowns AS
    ${dims
      .map(
        ([d, lab]) => `SELECT ${city} AS city, ${scheme} AS scheme, '${d}' AS dimension, ${d} AS code, ${lab} AS value,
        sum(claims)::BIGINT AS claims, sum(amount_fen)::BIGINT AS amount_fen, sum(eligible_fen)::BIGINT AS eligible_fen,
        sum(fund_fen)::BIGINT AS fund_fen, sum(deductible_fen)::BIGINT AS deductible_fen, sum(account_fen)::BIGINT AS account_fen,
        sum(other_fund_fen)::BIGINT AS other_fund_fen, sum(cash_fen)::BIGINT AS cash_fen
      FROM cube GROUP BY ALL`,
      )
      .join(" UNION ALL ")}
    ORDER BY city, scheme DESC, dimension, code`);

  // Winners and losers: a person's gain = Δ(pooled payments for their claims + second payment +
  // account credits), reform minus baseline (contributions are the same under both), in the person
  // cube's gain bins. Each group (dim_order, code) gets its exact sums (win_groups) and a histogram
  // of persons by gain bin (win_hist); the quantiles come from the histogram (see the top).
  await writeGainBins(conn);
  const groups: Array<[dimension: string, code: string]> = [
    ["all", "0"],
    ["status", "status"],
    ["age_band", "age_band"],
    ["two_disease", "(two_diseases > 0)::INT"],
  ];
  // Spending deciles as ntile(10) OVER (ORDER BY spending): tile d holds ranks [first, stop), the
  // first n % 10 tiles one person more; a spending bin's persons hold ranks [cum − n, cum), and
  // o of them fall in the tile. A bin is whole in a decile (part 0), or shared with the decile
  // below (part 1, the decile's first bin) or above (part 2, its last): at most one of each.
  await conn.run(`
    CREATE OR REPLACE TABLE decile_bins AS
    WITH b AS (
      SELECT city, spend_bin, persons::BIGINT AS n, sum(persons::BIGINT) OVER (PARTITION BY city ORDER BY spend_bin) AS cum
      FROM spend_bins WHERE persons > 0),
    tot AS (SELECT city, sum(persons)::BIGINT AS total FROM spend_bins GROUP BY city),
    t AS (
      SELECT city, d AS decile, (d - 1) * (total // 10) + least(d - 1, total % 10) AS first, d * (total // 10) + least(d, total % 10) AS stop
      FROM tot CROSS JOIN range(1, 11) r(d)),
    o AS (
      SELECT b.city, t.decile, b.spend_bin, b.n, least(b.cum, t.stop) - greatest(b.cum - b.n, t.first) AS o, b.cum - b.n < t.first AS starts_before
      FROM b JOIN t ON b.city = t.city AND b.cum - b.n < t.stop AND b.cum > t.first)
    SELECT city, decile, spend_bin, n, o, CASE WHEN o = n THEN 0 WHEN starts_before THEN 1 ELSE 2 END AS part FROM o WHERE o > 0`);
  // The share of a shared bin's persons apportioned to the decile (0 for the other groups).
  await conn.run(`
    CREATE OR REPLACE TABLE win_fracs AS
    SELECT city, ${groups.length} AS dim_order, decile AS code,
      coalesce(any_value(o / n) FILTER (WHERE part = 1), 0) AS f_lower, coalesce(any_value(o / n) FILTER (WHERE part = 2), 0) AS f_upper
    FROM decile_bins GROUP BY ALL`);
  // A group's measure: whole bins' integer sum, plus the shared bins' (one row each) times their
  // shares — added in this fixed order, so the result is the same however the rows are laid out.
  const parts = (x: string) =>
    `coalesce(sum(${x}) FILTER (WHERE d.part = 0), 0) + coalesce(sum(${x}) FILTER (WHERE d.part = 1), 0) * f.f_lower + coalesce(sum(${x}) FILTER (WHERE d.part = 2), 0) * f.f_upper`;
  await conn.run(`
    CREATE OR REPLACE TABLE win_groups AS
    ${groups
      .map(
        // n as DOUBLE, as the decile rows' shares make it: h = (n − 1) q is then the same double as ever.
        ([, code], gi) => `SELECT city, ${gi} AS dim_order, ${code} AS code, sum(persons)::DOUBLE AS n, sum(gain_fen) AS gain_fen,
        sum(gainers) AS gainers, sum(losers) AS losers FROM person_cells GROUP BY ALL`,
      )
      .join(" UNION ALL ")}
    UNION ALL
    SELECT d.city, ${groups.length} AS dim_order, d.decile AS code, sum(d.o) AS n,
      ${parts("s.gain_fen")} AS gain_fen, ${parts("s.gainers")} AS gainers, ${parts("s.losers")} AS losers
    FROM decile_bins d JOIN spend_bins s USING (city, spend_bin) JOIN win_fracs f ON f.city = d.city AND f.code = d.decile
    GROUP BY d.city, d.decile, f.f_lower, f.f_upper`);
  // Persons by gain bin, in integer parts: whole bins, the shared bin below, the shared bin above.
  await conn.run(`
    CREATE OR REPLACE TABLE win_hist AS
    ${groups
      .map(([, code], gi) => `SELECT city, ${gi} AS dim_order, ${code} AS code, gain_bin, sum(persons)::BIGINT AS whole, 0::BIGINT AS lower, 0::BIGINT AS upper FROM gain_hist GROUP BY ALL`)
      .join(" UNION ALL ")}
    UNION ALL
    SELECT d.city, ${groups.length} AS dim_order, d.decile AS code, s.gain_bin,
      coalesce(sum(s.persons) FILTER (WHERE d.part = 0), 0)::BIGINT AS whole, coalesce(sum(s.persons) FILTER (WHERE d.part = 1), 0)::BIGINT AS lower,
      coalesce(sum(s.persons) FILTER (WHERE d.part = 2), 0)::BIGINT AS upper
    FROM decile_bins d JOIN spend_gain s USING (city, spend_bin) GROUP BY ALL`);
  // quantile_cont(q) over n persons: h = (n − 1) q, between the order statistics ⌊h⌋ and ⌈h⌉ (0-based).
  // Rank k is the person at cumulative weight k + ½; within its bin [min_fen, max_fen] spanning
  // cumulative weights [prev, cum), it is placed at min + (max − min)(k + ½ − prev) / (cum − prev).
  // The cumulative weights are integer running sums (exact in any order) combined with the shares
  // only at the end.
  await conn.run(`
    CREATE OR REPLACE TABLE win_quantiles AS
    WITH c AS (
      SELECT city, dim_order, code, gain_bin,
        sum(whole) OVER w AS c_whole, sum(lower) OVER w AS c_lower, sum(upper) OVER w AS c_upper
      FROM win_hist WHERE whole + lower + upper > 0
      WINDOW w AS (PARTITION BY city, dim_order, code ORDER BY gain_bin ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
    h AS (
      SELECT c.city, c.dim_order, c.code, c.gain_bin,
        c.c_whole + c.c_lower * coalesce(f.f_lower, 0) + c.c_upper * coalesce(f.f_upper, 0) AS cum
      FROM c LEFT JOIN win_fracs f USING (city, dim_order, code)),
    -- Each bin spans [the previous bin's cum, its cum): the same floats, so every rank is in one bin.
    b AS (SELECT *, lag(cum, 1, 0) OVER (PARTITION BY city, dim_order, code ORDER BY gain_bin) AS prev FROM h),
    q AS (SELECT city, dim_order, code, p.q, (n - 1) * p.q AS h FROM win_groups CROSS JOIN (VALUES (0.1), (0.5), (0.9)) p(q)),
    k AS (SELECT *, floor(h) AS k, 0 AS side FROM q UNION ALL SELECT *, ceil(h) AS k, 1 AS side FROM q),
    x AS (
      SELECT k.city, k.dim_order, k.code, k.q, k.h, k.side, g.min_fen + (g.max_fen - g.min_fen) * (k.k + 0.5 - b.prev) / (b.cum - b.prev) AS x
      FROM k JOIN b ON b.city = k.city AND b.dim_order = k.dim_order AND b.code = k.code AND b.prev <= k.k + 0.5 AND k.k + 0.5 < b.cum
      JOIN gain_bins g ON g.gain_bin = b.gain_bin)
    SELECT city, dim_order, code, q,
      (any_value(x) FILTER (WHERE side = 0) + (any_value(x) FILTER (WHERE side = 1) - any_value(x) FILTER (WHERE side = 0)) * (any_value(h) - floor(any_value(h)))) / 100.0 AS yuan
    FROM x GROUP BY ALL`);
  const dimensions = [...groups.map(([d]) => d), "spending_decile"];
  const value = `CASE g.dim_order WHEN 0 THEN 'all' WHEN 1 THEN ${label(STATUSES, "g.code")} WHEN 2 THEN ${label(AGE_BANDS, "g.code")}
    WHEN 3 THEN CASE WHEN g.code = 1 THEN 'registered' ELSE 'not registered' END ELSE 'D' || g.code END`;
  const quantile = (q: number) => `(SELECT yuan FROM win_quantiles w WHERE w.city = g.city AND w.dim_order = g.dim_order AND w.code = g.code AND w.q = ${q})`;
  await conn.run(`
    CREATE OR REPLACE TABLE winners AS
    SELECT ${label(cityIds(), "g.city")} AS city, ${list(dimensions)}[g.dim_order + 1] AS dimension, g.dim_order, ${value} AS value,
      g.code::BIGINT AS code, round(g.n)::BIGINT AS persons, g.gain_fen / g.n / 100.0 AS mean_gain_yuan,
      g.gainers / g.n AS share_gaining, g.losers / g.n AS share_losing,
      ${quantile(0.1)} AS p10_yuan, ${quantile(0.5)} AS p50_yuan, ${quantile(0.9)} AS p90_yuan
    FROM win_groups g
    ORDER BY city, g.dim_order, g.code`);

  await conn.run(`
    CREATE OR REPLACE TABLE exclusion_summary AS
    SELECT ${city} AS city, ${scheme} AS scheme, ${label(EXCLUSIONS, "exclusion")} AS exclusion, ${label(KINDS, "kind")} AS kind,
      claims::BIGINT AS claims, amount_fen::BIGINT AS amount_fen
    FROM exclusions ORDER BY city, scheme DESC, exclusion, kind`);

  const outputs: Array<[string, string]> = [
    ["flows", "SELECT * FROM flows"],
    ["impact", "SELECT * FROM impact"],
    ["reserve", "SELECT * FROM reserve"],
    ["breakdowns", "SELECT * FROM breakdowns"],
    ["winners", "SELECT * EXCLUDE (dim_order) FROM winners"],
    ["exclusions", "SELECT * FROM exclusion_summary"],
  ];
  const files: string[] = [];
  for (const [name, sql] of outputs) {
    await conn.run(`COPY (${sql}) TO ${lit(join(dir, `${name}.parquet`))} (FORMAT parquet)`);
    files.push(`${name}.parquet`);
    if (csv) {
      await conn.run(`COPY (${sql}) TO ${lit(join(dir, `${name}.csv`))} (FORMAT csv, HEADER)`);
      files.push(`${name}.csv`);
    }
  }
  return files;
}

/** The gain bins' smallest and largest gain (fen), from person-cube.ts's definition. */
async function writeGainBins(conn: DuckDBConnection): Promise<void> {
  const bin = Uint16Array.from({ length: GAIN_BINS }, (_, i) => i);
  const cols = { gain_bin: bin, min_fen: Float64Array.from(bin, (i) => gainBinRange(i)[0]), max_fen: Float64Array.from(bin, (i) => gainBinRange(i)[1]) };
  await conn.run("DROP TABLE IF EXISTS gain_bins");
  await createTableFor(conn, "gain_bins", cols);
  await appendColumns(conn, "gain_bins", cols, GAIN_BINS);
}
