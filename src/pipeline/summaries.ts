// The summaries of a run, in SQL over the tables simulateCity loads:
//   cube        claim fact table: city, scheme (0 scenario, 1 baseline), status, age_band, level,
//               kind, month, outcome (benefit or excluded), with fen measures;
//   persons     one row per simulated person with both schemes' results (r_*, b_*);
//   exclusions  excluded claims by reason and kind;  meta  one row per city.
// Money stays in fen (BIGINT *_fen); per-capita yuan and city totals in 万元 are derived columns.
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { AGE_BANDS } from "../loaders/population/columns.ts";
import { BENEFITS, CITIES, EXCLUSIONS, KINDS, STATUSES } from "../model/types.ts";
import { lit } from "./duckdb.ts";
import { OUTCOMES } from "./cube.ts";

const list = (xs: readonly (string | number)[]) => `[${xs.map((x) => lit(String(x))).join(", ")}]`;
/** SQL for the label of a 0-based code. */
const label = (xs: readonly (string | number)[], col: string) => `${list(xs)}[${col} + 1]`;

/** The flow lines, in display order, with their Chinese and English names. */
export const FLOW_LINES: Array<[key: string, zh: string, en: string]> = [
  ["contributions_fen", "医保缴费", "contributions"],
  ["credits_from_contributions_fen", "缴费划入个人账户", "credited to accounts from contributions"],
  ["other_income_fen", "其他统筹收入（校准）", "other pooled income (calibrated)"],
  ["pooled_income_fen", "统筹基金收入", "pooled fund income"],
  ["general_fen", "普通门诊统筹支出", "general outpatient pooling"],
  ["tcm_fen", "中医门诊支出", "TCM outpatient"],
  ["two_disease_fen", "两病用药支出", "two-disease drugs"],
  ["special_exam_fen", "门诊特殊检查治疗支出", "special examinations"],
  ["second_payment_fen", "大额补助二次支付", "second payment (Jinan)"],
  ["retiree_credits_fen", "退休人员个人账户划入（统筹支付）", "retiree account credits (paid by the pool)"],
  ["inpatient_fen", "住院及日间手术支出（校准，规则外）", "inpatient & day surgery (calibrated, outside the outpatient rules)"],
  ["chronic_fen", "门诊慢特病支出（校准，规则外）", "chronic/special disease (calibrated, outside the outpatient rules)"],
  ["pooled_outflow_fen", "统筹基金支出", "pooled fund outflow"],
  ["pooled_net_fen", "统筹基金当期结余", "pooled fund net"],
  ["account_credits_fen", "个人账户划入", "account credits"],
  ["account_paid_fen", "个人账户支付", "account payments"],
  ["account_family_fen", "个人账户家庭共济支付", "account payments for family members"],
  ["account_opening_fen", "个人账户年初余额", "account balance, opening"],
  ["account_closing_fen", "个人账户年末余额", "account balance, closing"],
  ["cash_fen", "个人现金支付", "paid in cash"],
  ["spending_fen", "医疗费用总额", "total medical spending"],
];

export async function writeSummaries(conn: DuckDBConnection, dir: string, csv: boolean): Promise<string[]> {
  const city = `${label(CITIES, "city")}`;
  const scheme = `CASE scheme WHEN 0 THEN 'reform' ELSE 'baseline' END`;

  // One row per city and scheme with every flow line, in fen.
  await conn.run(`
    CREATE OR REPLACE TABLE totals AS
    WITH s(scheme) AS (VALUES (0), (1)),
    p AS (
      SELECT city, s.scheme,
        count(*) AS persons,
        sum(CASE WHEN s.scheme = 0 THEN r_contribution_fen ELSE b_contribution_fen END) AS contributions_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_fen - r_credit_pool_fen ELSE b_credit_fen - b_credit_pool_fen END) AS credits_from_contributions_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_second_fen ELSE b_second_fen END) AS second_payment_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_pool_fen ELSE b_credit_pool_fen END) AS retiree_credits_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_credit_fen ELSE b_credit_fen END) AS account_credits_fen,
        sum(opening_fen) AS account_opening_fen,
        sum(other_income_fen) AS other_income_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_family_fen ELSE b_family_fen END) AS account_family_fen,
        sum(CASE WHEN s.scheme = 0 THEN r_closing_fen ELSE b_closing_fen END) AS account_closing_fen,
        sum(chronic) AS chronic_persons
      FROM persons CROSS JOIN s GROUP BY city, s.scheme),
    c AS (
      SELECT city, scheme,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("general")}) AS general_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("tcm")}) AS tcm_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("two_disease")}) AS two_disease_fen,
        sum(fund_fen) FILTER (WHERE outcome = ${BENEFITS.indexOf("special_exam")}) AS special_exam_fen,
        sum(other_fund_fen) AS inpatient_fen,
        sum(account_fen) AS account_paid_fen,
        sum(cash_fen) AS cash_fen,
        sum(amount_fen) AS spending_fen
      FROM cube GROUP BY city, scheme)
    SELECT p.city, p.scheme, p.persons, m.insured, m.insured / p.persons AS scale,
      p.contributions_fen::BIGINT AS contributions_fen,
      p.credits_from_contributions_fen::BIGINT AS credits_from_contributions_fen,
      p.other_income_fen::BIGINT AS other_income_fen,
      (p.contributions_fen - p.credits_from_contributions_fen + p.other_income_fen)::BIGINT AS pooled_income_fen,
      coalesce(c.general_fen, 0)::BIGINT AS general_fen, coalesce(c.tcm_fen, 0)::BIGINT AS tcm_fen,
      coalesce(c.two_disease_fen, 0)::BIGINT AS two_disease_fen, coalesce(c.special_exam_fen, 0)::BIGINT AS special_exam_fen,
      p.second_payment_fen::BIGINT AS second_payment_fen, p.retiree_credits_fen::BIGINT AS retiree_credits_fen,
      coalesce(c.inpatient_fen, 0)::BIGINT AS inpatient_fen,
      (p.chronic_persons * m.chronic_fund_fen)::BIGINT AS chronic_fen,
      p.account_credits_fen::BIGINT AS account_credits_fen, coalesce(c.account_paid_fen, 0)::BIGINT AS account_paid_fen,
      p.account_family_fen::BIGINT AS account_family_fen, p.account_opening_fen::BIGINT AS account_opening_fen, p.account_closing_fen::BIGINT AS account_closing_fen,
      coalesce(c.cash_fen, 0)::BIGINT AS cash_fen, coalesce(c.spending_fen, 0)::BIGINT AS spending_fen,
      m.opening_reserve_months
    FROM p JOIN c USING (city, scheme) JOIN meta m USING (city)`);
  await conn.run(`
    CREATE OR REPLACE TABLE totals2 AS
    SELECT *, general_fen + tcm_fen + two_disease_fen + special_exam_fen + second_payment_fen + retiree_credits_fen + inpatient_fen + chronic_fen AS pooled_outflow_fen
    FROM totals`);
  await conn.run(`CREATE OR REPLACE TABLE totals3 AS SELECT *, pooled_income_fen - pooled_outflow_fen AS pooled_net_fen FROM totals2`);

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

  // The pooled reserve: the same opening (months of the baseline's outflow) under both schemes.
  await conn.run(`
    CREATE OR REPLACE TABLE reserve AS
    WITH b AS (SELECT city, pooled_outflow_fen AS base_outflow FROM totals3 WHERE scheme = 1)
    SELECT ${city} AS city, ${scheme} AS scheme,
      (t.opening_reserve_months * b.base_outflow / 12)::BIGINT AS opening_fen,
      t.pooled_income_fen AS income_fen, t.pooled_outflow_fen AS outflow_fen,
      (t.opening_reserve_months * b.base_outflow / 12 + t.pooled_net_fen)::BIGINT AS closing_fen,
      t.opening_reserve_months AS months_opening,
      (t.opening_reserve_months * b.base_outflow / 12 + t.pooled_net_fen) / (t.pooled_outflow_fen / 12.0) AS months_closing,
      t.scale * (t.opening_reserve_months * b.base_outflow / 12 + t.pooled_net_fen) / 100.0 / 10000.0 AS closing_city_wan
    FROM totals3 t JOIN b USING (city) ORDER BY city, scheme DESC`);

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
  // account credits), reform minus baseline (contributions are the same under both).
  await conn.run(`
    CREATE OR REPLACE TABLE gains AS
    SELECT city, status, age_band, two_diseases > 0 AS two_disease, spending_fen,
      ntile(10) OVER (PARTITION BY city ORDER BY spending_fen, person) AS spending_decile,
      ((r_fund_fen + r_second_fen + r_credit_fen) - (b_fund_fen + b_second_fen + b_credit_fen)) / 100.0 AS gain_yuan
    FROM persons`);
  const groups: Array<[string, string]> = [
    ["all", `'all'`],
    ["status", label(STATUSES, "status")],
    ["age_band", label(AGE_BANDS, "age_band")],
    ["two_disease", `CASE WHEN two_disease THEN 'registered' ELSE 'not registered' END`],
    ["spending_decile", `'D' || spending_decile`],
  ];
  await conn.run(`
    CREATE OR REPLACE TABLE winners AS
    ${groups
      .map(
        ([d, lab], gi) => `SELECT ${city} AS city, '${d}' AS dimension, ${gi} AS dim_order, ${lab} AS value,
        min(${d === "all" ? "0" : d === "two_disease" ? "two_disease::INT" : d}) AS code,
        count(*) AS persons, avg(gain_yuan) AS mean_gain_yuan,
        avg((gain_yuan > 0.005)::INT) AS share_gaining, avg((gain_yuan < -0.005)::INT) AS share_losing,
        quantile_cont(gain_yuan, 0.1) AS p10_yuan, quantile_cont(gain_yuan, 0.5) AS p50_yuan, quantile_cont(gain_yuan, 0.9) AS p90_yuan
      FROM gains GROUP BY ALL`,
      )
      .join(" UNION ALL ")}
    ORDER BY city, dim_order, code`);

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
