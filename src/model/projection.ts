// Actuarial projection of a city's pooled fund over several years (issue 7), pure: no I/O, so the
// CLI, the benchmarks, the page's build and the page's web worker (src/components/projection-model.ts)
// run the same code.
//
// Method (docs/projection.md): the base year is simulated once on a sample of persons and claims;
// every projection year re-adjudicates the SAME sample with the engine (runChunk) under the rules
// in force that year, after
//   - shifting claim days, birthdays and retirement days by whole years (every person keeps their
//     age and situation; the population's ageing is carried by the status weights below),
//   - scaling claim amounts by the cumulative medical cost trend, contribution bases by wage growth
//     and pensions by pension growth,
//   - thinning or duplicating claims deterministically for the utilisation trend and, under a
//     scheme that pays outpatient care, the utilisation response (an elasticity on the
//     out-of-pocket price) — and moving a share of level-2/3 outpatient visits to level 1,
//   - carrying every person's individual-account balance from one year's close to the next opening.
// The sample's per-person results are weighted up to the city by status: actives, retirees and
// flexible workers evolve with entry, retirement and retiree-mortality rates. The pooled balance
// carries forward; months of reserve = balance ÷ (outflow ÷ 12).
import { clampToRange } from "./assumption-ranges.ts";
import { civilFromDay, dayFromCivil, isoFromDay } from "./dates.ts";
import { type ChunkOutcome, type EngineClaims, type EnginePersons, NO_DAY, openingBalances, runChunk } from "./engine.ts";
import type { Finance } from "./finance.ts";
import { emptyFlows, type FundFlows, monthsOfReserve } from "./fund.ts";
import { assertInt32, checkExactTotal, groupDigits, MAX_ADJUSTMENT_BP, MAX_AMOUNT_YUAN, MAX_RATE_BP } from "./limits.ts";
import { formatBp } from "./money.ts";
import { type Policy, PolicyError, type Scheme, schemeForScenario } from "./policy.ts";
import type { Scenario } from "./policy-schema.ts";
import { BENEFITS, KINDS } from "./types.ts";

// ---- parameters ---------------------------------------------------------------------------------

/** The numeric assumptions of a projection (per year, as fractions: 0.05 = 5 %). */
export interface ProjectionParams {
  /** Growth of contribution bases (average wage). */
  wageGrowth: number;
  /** Growth of basic pensions (retiree account credits that are a share of the pension). */
  pensionGrowth: number;
  /** Growth of the cost of a claim (price and intensity), all kinds. */
  costTrend: number;
  /** Growth of claims per person, all kinds. */
  utilisationTrend: number;
  /** New actives (and flexible workers) a year, as a share of them. */
  entryRate: number;
  /** Actives and flexible workers who retire in a year, as a share of them. */
  retirementRate: number;
  /** Retirees who die in a year, as a share of them. */
  retireeMortality: number;
  /** Price elasticities of outpatient visits and of cost per visit, by active/retired (≤ 0: a lower
   *  out-of-pocket price raises use). Zero switches the response off. */
  elasticityVisitsActive: number;
  elasticityVisitsRetired: number;
  elasticityCostActive: number;
  elasticityCostRetired: number;
  /** Under a scheme that pays outpatient care: share of level-2/3 outpatient visits moving to
   *  level 1, and the cost of a moved visit relative to the original. Zero shift switches it off. */
  levelShift: number;
  levelCostRatio: number;
  /** Months of pooled outflow held at the start of the base year (累计结存可支付月数). */
  openingReserveMonths: number;
}

export const PARAM_KEYS = [
  "wageGrowth", "pensionGrowth", "costTrend", "utilisationTrend", "entryRate", "retirementRate", "retireeMortality",
  "elasticityVisitsActive", "elasticityVisitsRetired", "elasticityCostActive", "elasticityCostRetired", "levelShift", "levelCostRatio",
  "openingReserveMonths",
] as const satisfies ReadonlyArray<keyof ProjectionParams>;
export type ParamKey = (typeof PARAM_KEYS)[number];

/** No trends, no behaviour, a stable population: the base year repeated. */
export function zeroParams(openingReserveMonths: number): ProjectionParams {
  return {
    wageGrowth: 0, pensionGrowth: 0, costTrend: 0, utilisationTrend: 0, entryRate: 0, retirementRate: 0, retireeMortality: 0,
    elasticityVisitsActive: 0, elasticityVisitsRetired: 0, elasticityCostActive: 0, elasticityCostRetired: 0, levelShift: 0, levelCostRatio: 1,
    openingReserveMonths,
  };
}

/** The bureaus' warning band for months of reserve: below 6 (支付风险) and above 15 (结存过多). */
export const RESERVE_LOW_MONTHS = 6;
export const RESERVE_HIGH_MONTHS = 15;
export type ReserveFlag = "low" | "ok" | "high";
export const reserveFlag = (months: number): ReserveFlag => (months < RESERVE_LOW_MONTHS ? "low" : months > RESERVE_HIGH_MONTHS ? "high" : "ok");

// ---- inputs and outputs -------------------------------------------------------------------------

/** The base-year sample: the engine's person columns (status: STATUSES codes) and their claims. */
export interface BaseSample {
  persons: EnginePersons;
  claims: EngineClaims;
  /** Person ids (for the deterministic thinning of claims); default the row index. */
  ids?: Uint32Array;
}

export interface ProjectionInput {
  sample: BaseSample;
  /** The simulated base year (the sample's claims lie in it). */
  baseYear: number;
  /** Years projected, the base year included: baseYear … baseYear + years − 1. */
  years: number;
  /** The schemes to project (e.g. the scenario and the baseline); the first is the headline. */
  schemes: Scheme[];
  /** The pre-reform scheme: opening account balances, the opening reserve, and the reference
   *  price of the utilisation response. */
  baseline: Scheme;
  finance: Finance;
  params: ProjectionParams;
  /** Enrollees of the city in the base year (default finance.insured). */
  insured?: number;
}

export interface ProjectionYear {
  year: number;
  /** 0 for the base year. */
  t: number;
  scheme: string;
  /** City enrollees by status and in all. */
  active: number;
  retired: number;
  flexible: number;
  insured: number;
  /** Actives (and flexible workers) per retiree (在职退休比). */
  supportRatio: number;
  /** Flows scaled to the city, in fen (FundFlows lines; persons = city enrollees). */
  flows: FundFlows;
  reserveOpeningFen: number;
  reserveClosingFen: number;
  monthsOfReserve: number;
  flag: ReserveFlag;
  /** Income − outflow of the year (当期结余). */
  netFen: number;
}

export interface SchemeProjection {
  scheme: string;
  years: ProjectionYear[];
  /** First year with a current deficit (income < outflow), and first with a negative balance. */
  firstDeficitYear: number | null;
  firstExhaustedYear: number | null;
}

// ---- helpers ------------------------------------------------------------------------------------

/**
 * The scheme with its last rules kept in force after its period ends (an explicit assumption: a
 * reform document that expires — Ganzhou's after 2024, the others after 2027 — is taken to be
 * renewed on its last terms). Dated rule changes within the period (Jinan's 2024 step, a
 * scenario's amendments) apply from their dates.
 */
export function extendScheme(scheme: Scheme, untilYear: number): Scheme {
  const until = dayFromCivil(untilYear, 12, 31);
  if (scheme.untilDay >= until) return scheme;
  const segs = scheme.segments.slice();
  const last = segs[segs.length - 1];
  segs[segs.length - 1] = { ...last, untilDay: until };
  return { ...scheme, untilDay: until, segments: segs };
}

/** A uniform number in [0, 1) from two integers (a 32-bit integer hash; deterministic). */
export function hashUniform(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(salt + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const OUTPATIENT_KINDS = new Set(["general", "tcm", "two_disease", "special_exam"].map((k) => KINDS.indexOf(k as (typeof KINDS)[number])));
const STATUS_RETIRED = 1;

/** Out-of-pocket price of outpatient care by status [active/flexible, retired]: 1 − the pooled
 *  fund's share of eligible outpatient spending, from a base-year adjudication. */
export function outpatientPrice(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): [number, number] {
  const elig = [0, 0], fund = [0, 0];
  for (let p = 0; p < persons.count; p++) {
    const s = persons.status[p] === STATUS_RETIRED ? 1 : 0;
    for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) {
      if (!OUTPATIENT_KINDS.has(claims.kind[j])) continue;
      elig[s] += claims.eligibleFen[j];
      fund[s] += o.fundFen[j];
    }
  }
  return [0, 1].map((s) => (elig[s] > 0 ? Math.max(0.01, 1 - fund[s] / elig[s]) : 1)) as [number, number];
}

interface YearTransform {
  year: number;
  t: number;
  costIndex: number;
  wageIndex: number;
  pensionIndex: number;
  utilIndex: number;
  /** Per status group [active/flexible, retired]: visit and cost multipliers of outpatient claims. */
  visitResponse: [number, number];
  costResponse: [number, number];
  levelShift: number;
  levelCostRatio: number;
}

/** The same calendar day `dy` years later (29 February → 28 February in a common year). */
export function shiftYears(day: number, dy: number): number {
  if (dy === 0) return day;
  const c = civilFromDay(day);
  const y = c.year + dy;
  const d = c.month === 2 && c.day === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 28 : c.day;
  return dayFromCivil(y, c.month, d);
}

/** The sample as it stands in year `tr.year`: shifted days, scaled money, thinned/duplicated claims. */
export function transformSample(sample: BaseSample, baseYear: number, tr: YearTransform, opening: Int32Array | null): { persons: EnginePersons; claims: EngineClaims } {
  const P = sample.persons, C = sample.claims;
  const n = P.count;
  const dy = tr.year - baseYear;
  const ids = sample.ids;
  // Copies of each claim: floor(m) + (u < frac(m)), u fixed per claim — so a claim kept at a lower
  // multiplier stays kept at a higher one (smooth in the parameters).
  const copies = new Uint8Array(C.length);
  const levelMove = new Uint8Array(C.length);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const g = P.status[p] === STATUS_RETIRED ? 1 : 0;
    const id = ids ? ids[p] : p;
    for (let j = P.claimStart[p], k = 0; j < P.claimStart[p + 1]; j++, k++) {
      const op = OUTPATIENT_KINDS.has(C.kind[j]);
      const m = tr.utilIndex * (op ? tr.visitResponse[g] : 1);
      const whole = Math.floor(m);
      const c = Math.min(255, whole + (hashUniform(id, k, 1) < m - whole ? 1 : 0));
      copies[j] = c;
      total += c;
      if (op && tr.levelShift > 0 && C.level[j] > 0 && hashUniform(id, k, 2) < tr.levelShift) levelMove[j] = 1;
    }
  }
  const claims: EngineClaims = {
    length: total,
    day: new Int32Array(total), kind: new Uint8Array(total), level: new Uint8Array(total), setting: new Uint8Array(total), area: new Uint8Array(total),
    amountFen: new Int32Array(total), eligibleFen: new Int32Array(total), designated: new Uint8Array(total), emergency: new Uint8Array(total),
    prescription: new Uint8Array(total), facility: new Uint32Array(total),
  };
  const claimStart = new Uint32Array(n + 1);
  let w = 0;
  for (let p = 0; p < n; p++) {
    claimStart[p] = w;
    const g = P.status[p] === STATUS_RETIRED ? 1 : 0;
    for (let j = P.claimStart[p]; j < P.claimStart[p + 1]; j++) {
      const c = copies[j];
      if (c === 0) continue;
      const op = OUTPATIENT_KINDS.has(C.kind[j]);
      let f = tr.costIndex * (op ? tr.costResponse[g] : 1);
      let level = C.level[j], facility = C.facility[j];
      if (levelMove[j]) {
        f *= tr.levelCostRatio;
        level = 0;
        // Facility ids carry their level in the millions block (columns.ts): move to level 1's.
        if (facility >= 1_000_000 && facility < 4_000_000) facility = 1_000_000 + (facility % 1_000_000);
      }
      const amount = Math.round(C.amountFen[j] * f);
      // Scaled amounts enter Int32 columns: decades of a steep cost trend could pass 2^31 fen.
      if ((amount | 0) !== amount) scaledOverflow("a claim amount", C.amountFen[j], f, tr.year);
      const eligible = Math.min(amount, Math.round(C.eligibleFen[j] * f));
      const d = shiftYears(C.day[j], dy);
      for (let r = 0; r < c; r++, w++) {
        claims.day[w] = d; claims.kind[w] = C.kind[j]; claims.level[w] = level; claims.setting[w] = C.setting[j]; claims.area[w] = C.area[j];
        claims.amountFen[w] = amount; claims.eligibleFen[w] = eligible; claims.designated[w] = C.designated[j]; claims.emergency[w] = C.emergency[j];
        claims.prescription[w] = C.prescription[j]; claims.facility[w] = facility;
      }
    }
  }
  claimStart[n] = w;
  const birthDay = new Int32Array(n), retiredOnDay = new Int32Array(n), base = new Int32Array(n), pension = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    birthDay[p] = shiftYears(P.birthDay[p], dy);
    retiredOnDay[p] = P.retiredOnDay[p] === NO_DAY ? NO_DAY : shiftYears(P.retiredOnDay[p], dy);
    const b = Math.round(P.contributionBaseFen[p] * tr.wageIndex), q = Math.round(P.pensionFen[p] * tr.pensionIndex);
    if ((b | 0) !== b) scaledOverflow("a contribution base", P.contributionBaseFen[p], tr.wageIndex, tr.year);
    if ((q | 0) !== q) scaledOverflow("a pension", P.pensionFen[p], tr.pensionIndex, tr.year);
    base[p] = b;
    pension[p] = q;
  }
  const persons: EnginePersons = {
    ...P, birthDay, retiredOnDay, contributionBaseFen: base, pensionFen: pension, claimStart,
    openingBalanceFen: opening ?? P.openingBalanceFen,
  };
  return { persons, claims };
}

/** An amount scaled by a year's index past what an Int32 column holds: a clear stop, not a wrap. */
function scaledOverflow(what: string, fen: number, index: number, year: number): never {
  assertInt32(Math.round(fen * index), `${year}: ${what} of ${groupDigits(fen / 100)} yuan × ${index.toPrecision(4)} (the year's growth index)`);
  throw new RangeError(`${year}: ${what} is not a whole number of fen`);
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

/** A FundFlows line by its FLOW_LINES key (src/pipeline/summaries.ts), in fen. */
export function flowLine(f: FundFlows, key: string): number {
  switch (key) {
    case "contributions_fen": return f.contributionsFen;
    case "credits_from_contributions_fen": return f.creditsFromContributionsFen;
    case "other_income_fen": return f.otherIncomeFen;
    case "pooled_income_fen": return f.pooledIncomeFen;
    case "second_payment_fen": return f.secondPaymentFen;
    case "retiree_credits_fen": return f.retireeCreditsFen;
    case "inpatient_fen": return f.inpatientFundFen;
    case "chronic_fen": return f.chronicFundFen;
    case "pooled_outflow_fen": return f.pooledOutflowFen;
    case "pooled_net_fen": return f.pooledIncomeFen - f.pooledOutflowFen;
    case "account_credits_fen": return f.accountCreditsFen;
    case "account_paid_fen": return f.accountPaidFen;
    case "account_family_fen": return f.accountFamilyFen;
    case "account_opening_fen": return f.accountOpeningFen;
    case "account_closing_fen": return f.accountClosingFen;
    case "cash_fen": return f.cashFen;
    case "spending_fen": return f.spendingFen;
  }
  const b = BENEFITS.indexOf(key.replace(/_fen$/, "") as (typeof BENEFITS)[number]);
  if (b >= 0) return f.outpatientFundFen[b];
  throw new RangeError(`unknown flow line ${key}`);
}

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

// ---- the projection -----------------------------------------------------------------------------

export interface ProjectionResult {
  schemes: SchemeProjection[];
  /** Base-year out-of-pocket prices of outpatient care [active, retired] under each scheme and the baseline. */
  prices: { baseline: [number, number]; schemes: Array<[number, number]> };
}

/** What a projection needs from its sample and schemes, independent of the numeric parameters
 *  (so Monte Carlo draws and goal-seek steps reuse it). */
export interface PreparedProjection {
  base: BaseSample;
  baseYear: number;
  years: number;
  schemes: Scheme[];
  finance: Finance;
  pBase: [number, number];
  prices: Array<[number, number]>;
  /** Sample persons by status, and the city's enrollees by status in the base year. */
  counts: [number, number, number];
  pop0: [number, number, number];
  /** The baseline's base-year pooled outflow, city fen (the opening reserve is months of it). */
  baseOutflowFen: number;
}

export function prepareProjection(input: Omit<ProjectionInput, "params">): PreparedProjection {
  const { sample, baseYear, years, finance } = input;
  if (!Number.isInteger(years) || years < 1) throw new RangeError(`years must be a whole number ≥ 1, got ${years}`);
  const lastYear = baseYear + years - 1;
  const baseline = extendScheme(input.baseline, lastYear);
  const schemes = input.schemes.map((s) => extendScheme(s, lastYear));
  const P = sample.persons;
  // The base year as simulated: opening balances and the reference prices.
  const opening0 = P.openingBalanceFen ?? openingBalances(baseline, P, baseYear, finance.accountOpeningMonths);
  const base: BaseSample = { ...sample, persons: { ...P, openingBalanceFen: opening0 } };
  const b0 = runChunk(baseline, base.persons, base.claims, baseYear, finance);
  const pBase = outpatientPrice(base.persons, base.claims, b0);
  const prices = schemes.map((s) => outpatientPrice(base.persons, base.claims, runChunk(s, base.persons, base.claims, baseYear, finance)));
  const counts: [number, number, number] = [0, 0, 0];
  for (let p = 0; p < P.count; p++) counts[P.status[p]]++;
  const insured = input.insured ?? finance.insured;
  const pop0 = counts.map((c) => (insured * c) / P.count) as [number, number, number];
  const w0 = pop0.map((x, s) => (counts[s] > 0 ? x / counts[s] : 0)) as [number, number, number];
  const baseOutflowFen = weightedFlows(base.persons, base.claims, b0, w0).pooledOutflowFen;
  return { base, baseYear, years, schemes, finance, pBase, prices, counts, pop0, baseOutflowFen };
}

export function project(input: ProjectionInput): ProjectionResult {
  const prep = prepareProjection(input);
  return { schemes: prep.schemes.map((_, i) => projectScheme(prep, input.params, i)), prices: { baseline: prep.pBase, schemes: prep.prices } };
}

/** One scheme of a prepared projection under the given parameters. */
export function projectScheme(prep: PreparedProjection, q: ProjectionParams, si: number, years = prep.years): SchemeProjection {
  const { base, baseYear, finance, counts } = prep;
  const scheme = prep.schemes[si];
  const pop = populationPath(prep.pop0, q, years);
  const weightAt = (t: number) => pop[t].map((x, s) => (counts[s] > 0 ? x / counts[s] : 0)) as [number, number, number];
  const resp = (eps: [number, number]): [number, number] => [0, 1].map((g) => Math.pow(prep.prices[si][g] / prep.pBase[g], eps[g])) as [number, number];
  const visitResponse = resp([q.elasticityVisitsActive, q.elasticityVisitsRetired]);
  const costResponse = resp([q.elasticityCostActive, q.elasticityCostRetired]);
  const paysOutpatient = prep.prices[si][0] < prep.pBase[0] - 1e-9 || prep.prices[si][1] < prep.pBase[1] - 1e-9;
  let balance = (q.openingReserveMonths * prep.baseOutflowFen) / 12;
  let opening: Int32Array = base.persons.openingBalanceFen!;
  let firstDeficitYear: number | null = null, firstExhaustedYear: number | null = null;
  const rows: ProjectionYear[] = [];
  for (let t = 0; t < years; t++) {
    const year = baseYear + t;
    const tr: YearTransform = {
      year, t,
      costIndex: Math.pow(1 + q.costTrend, t), wageIndex: Math.pow(1 + q.wageGrowth, t), pensionIndex: Math.pow(1 + q.pensionGrowth, t),
      utilIndex: Math.pow(1 + q.utilisationTrend, t),
      visitResponse, costResponse,
      levelShift: paysOutpatient ? q.levelShift : 0, levelCostRatio: q.levelCostRatio,
    };
    const { persons, claims } = transformSample(base, baseYear, tr, opening);
    const fin: Finance = { ...finance, chronicFundPerEnrolleeFen: Math.round(finance.chronicFundPerEnrolleeFen * tr.costIndex) };
    const o = runChunk(scheme, persons, claims, year, fin);
    const flows = weightedFlows(persons, claims, o, weightAt(t));
    opening = o.closingBalanceFen;
    const net = flows.pooledIncomeFen - flows.pooledOutflowFen;
    const openFen = balance;
    balance = checkExactTotal(balance + net, `projection ${year}: the pooled balance`);
    const months = monthsOfReserve(balance, flows.pooledOutflowFen);
    if (net < 0 && firstDeficitYear === null) firstDeficitYear = year;
    if (balance < 0 && firstExhaustedYear === null) firstExhaustedYear = year;
    const [a, r, f] = pop[t];
    rows.push({
      year, t, scheme: scheme.name, active: a, retired: r, flexible: f, insured: a + r + f, supportRatio: r > 0 ? (a + f) / r : Infinity,
      flows, reserveOpeningFen: openFen, reserveClosingFen: balance, monthsOfReserve: months, flag: reserveFlag(months), netFen: net,
    });
  }
  return { scheme: scheme.name, years: rows, firstDeficitYear, firstExhaustedYear };
}

// ---- uncertainty --------------------------------------------------------------------------------

/** The distribution of an uncertain parameter around its central value (assumptions files). */
export type Distribution =
  | { dist: "normal"; sd: number }
  | { dist: "triangular"; min: number; max: number }
  | { dist: "uniform"; min: number; max: number };

export interface Assumptions {
  params: ProjectionParams;
  dists: Partial<Record<ParamKey, Distribution>>;
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The u-quantile (0 < u < 1) of a parameter's distribution around its central value. */
export function quantileOf(d: Distribution, central: number, u: number): number {
  if (d.dist === "normal") return central + d.sd * normalQuantile(u);
  if (d.dist === "uniform") return d.min + u * (d.max - d.min);
  const { min: a, max: b } = d, c = central;
  if (b <= a) return c;
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/** Draw `draw`'s parameters: each uncertain one at an independent hash-uniform quantile. */
export function drawParams(a: Assumptions, seed: number, draw: number): ProjectionParams {
  const out = { ...a.params };
  PARAM_KEYS.forEach((k, i) => {
    const d = a.dists[k];
    // Held within the key's range (a normal's far tail could leave it: a negative entry rate).
    if (d) out[k] = clampToRange(k, quantileOf(d, a.params[k], Math.min(1 - 1e-12, Math.max(1e-12, hashUniform(seed, draw, 100 + i)))));
  });
  return out;
}

/** The q-quantile (0–1) of values, linear between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Float64Array.from(values).sort();
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * q, lo = Math.floor(h), hi = Math.ceil(h);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

export interface BandYear {
  year: number;
  t: number;
  balanceP5Fen: number;
  balanceP50Fen: number;
  balanceP95Fen: number;
  monthsP5: number;
  monthsP50: number;
  monthsP95: number;
  /** Share of draws with a negative balance by this year's end, and with months below 6. */
  shareExhausted: number;
  shareLow: number;
}

export interface DrawsInput {
  /** The reference sample: its central projection sets the level of every draw. */
  reference: BaseSample;
  /** Population draws: small samples from other seeds on which each draw's parameters are run;
   *  draw d uses samples[d mod length]. Empty: the draws run on the reference itself. */
  samples: BaseSample[];
  baseYear: number;
  years: number;
  scheme: Scheme;
  baseline: Scheme;
  finance: Finance;
  insured?: number;
  assumptions: Assumptions;
  draws: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DrawsResult {
  bands: BandYear[];
  /** The reference sample's central projection (the deterministic result). */
  central: SchemeProjection;
  /** Per draw: its sample, the last year's balance and months, the first exhausted year. */
  draws: Array<{ draw: number; sample: number; balanceFen: number; months: number; firstExhaustedYear: number | null; params: ProjectionParams }>;
}

/** The reference's path under `params`: its central income and outflow scaled, year by year, by
 *  the ratio of `params` to the central parameters on a (small) sample; the balance carried from
 *  the reference's opening reserve. With sample = reference this is the projection itself. */
export function ratioPath(ref: PreparedProjection, refCentral: SchemeProjection, prep: PreparedProjection, prepCentral: SchemeProjection, params: ProjectionParams) {
  const r = projectScheme(prep, params, 0, refCentral.years.length);
  const Y = refCentral.years.length;
  const balanceFen = new Float64Array(Y), months = new Float64Array(Y), incomeFen = new Float64Array(Y), outflowFen = new Float64Array(Y);
  let b = (params.openingReserveMonths * ref.baseOutflowFen) / 12;
  let firstExhaustedYear: number | null = null;
  for (let t = 0; t < Y; t++) {
    const c = prepCentral.years[t].flows, x = r.years[t].flows, R = refCentral.years[t].flows;
    incomeFen[t] = R.pooledIncomeFen * (c.pooledIncomeFen !== 0 ? x.pooledIncomeFen / c.pooledIncomeFen : 1);
    outflowFen[t] = R.pooledOutflowFen * (c.pooledOutflowFen !== 0 ? x.pooledOutflowFen / c.pooledOutflowFen : 1);
    b += incomeFen[t] - outflowFen[t];
    balanceFen[t] = b;
    months[t] = monthsOfReserve(b, outflowFen[t]);
    if (b < 0 && firstExhaustedYear === null) firstExhaustedYear = ref.baseYear + t;
  }
  return { balanceFen, months, incomeFen, outflowFen, firstExhaustedYear };
}

/**
 * Monte Carlo over the trend and behaviour parameters and the population draw. Each draw runs its
 * parameters on a small sample and scales the reference's central income and outflow, year by
 * year, by the ratio of the draw to that small sample's own central run (a ratio estimator with
 * common random numbers): the level comes from the large reference sample, the response to the
 * parameters — and the differences between population draws in it — from the small one. The
 * pooled balance is then carried forward from the reference's opening reserve.
 */
export function projectDraws(input: DrawsInput): DrawsResult {
  const prepOf = (sample: BaseSample) =>
    prepareProjection({ sample, baseYear: input.baseYear, years: input.years, schemes: [input.scheme], baseline: input.baseline, finance: input.finance, insured: input.insured });
  const a = input.assumptions;
  const ref = prepOf(input.reference);
  const central = projectScheme(ref, a.params, 0);
  const preps = input.samples.length ? input.samples.map(prepOf) : [ref];
  const centrals = input.samples.length ? preps.map((p) => projectScheme(p, a.params, 0)) : [central];
  const Y = input.years, D = input.draws;
  const balance = Array.from({ length: Y }, () => new Float64Array(D));
  const months = Array.from({ length: Y }, () => new Float64Array(D));
  const draws: DrawsResult["draws"] = [];
  for (let d = 0; d < D; d++) {
    const params = drawParams(a, input.seed, d);
    const si = d % preps.length;
    const path = ratioPath(ref, central, preps[si], centrals[si], params);
    for (let t = 0; t < Y; t++) {
      balance[t][d] = path.balanceFen[t];
      months[t][d] = path.months[t];
    }
    draws.push({ draw: d, sample: si, balanceFen: balance[Y - 1][d], months: months[Y - 1][d], firstExhaustedYear: path.firstExhaustedYear, params });
    input.onProgress?.(d + 1, D);
  }
  const bands: BandYear[] = [];
  for (let t = 0; t < Y; t++) {
    let exhausted = 0, low = 0;
    for (let d = 0; d < D; d++) {
      if (draws[d].firstExhaustedYear !== null && draws[d].firstExhaustedYear! <= input.baseYear + t) exhausted++;
      if (months[t][d] < RESERVE_LOW_MONTHS) low++;
    }
    bands.push({
      year: input.baseYear + t, t,
      balanceP5Fen: quantile(balance[t], 0.05), balanceP50Fen: quantile(balance[t], 0.5), balanceP95Fen: quantile(balance[t], 0.95),
      monthsP5: quantile(months[t], 0.05), monthsP50: quantile(months[t], 0.5), monthsP95: quantile(months[t], 0.95),
      shareExhausted: exhausted / D, shareLow: low / D,
    });
  }
  return { bands, central, draws };
}

export interface TornadoBar {
  key: ParamKey;
  /** The parameter at its 5th and 95th percentiles (others central). */
  low: number;
  high: number;
  /** Months of reserve and balance (city fen) in the last year at low and high. */
  monthsAtLow: number;
  monthsAtHigh: number;
  balanceAtLowFen: number;
  balanceAtHighFen: number;
  /** |monthsAtHigh − monthsAtLow|. */
  swing: number;
}

/** One-at-a-time sensitivity of the last year's months of reserve, largest swing first.
 *  `evaluate` gives the last year's months and balance under a set of parameters (e.g. the
 *  projection itself, or ratioPath averaged over a few population draws). */
export function tornado(a: Assumptions, evaluate: (q: ProjectionParams) => { months: number; balanceFen: number }): { central: { months: number; balanceFen: number }; bars: TornadoBar[] } {
  const bars: TornadoBar[] = [];
  for (const key of PARAM_KEYS) {
    const d = a.dists[key];
    if (!d) continue;
    const low = clampToRange(key, quantileOf(d, a.params[key], 0.05)), high = clampToRange(key, quantileOf(d, a.params[key], 0.95));
    const L = evaluate({ ...a.params, [key]: low }), H = evaluate({ ...a.params, [key]: high });
    bars.push({ key, low, high, monthsAtLow: L.months, monthsAtHigh: H.months, balanceAtLowFen: L.balanceFen, balanceAtHighFen: H.balanceFen, swing: Math.abs(H.months - L.months) });
  }
  bars.sort((x, y) => y.swing - x.swing);
  return { central: evaluate(a.params), bars };
}

/** A tornado for the reference, each evaluation the mean of ratioPath over the given samples. */
export function tornadoByRatio(ref: PreparedProjection, preps: PreparedProjection[], a: Assumptions) {
  const refCentral = projectScheme(ref, a.params, 0);
  const centrals = preps.map((p) => projectScheme(p, a.params, 0));
  const Y = ref.years;
  return tornado(a, (q) => {
    let months = 0, balanceFen = 0;
    preps.forEach((p, i) => {
      const path = ratioPath(ref, refCentral, p, centrals[i], q);
      months += path.months[Y - 1] / preps.length;
      balanceFen += path.balanceFen[Y - 1] / preps.length;
    });
    return { months, balanceFen };
  });
}

// ---- goal-seek ----------------------------------------------------------------------------------

/** What a lever at x writes into a scenario: `set` entries, and `amend` entries for a parameter
 *  whose dated values the lever keeps (the rate shift keeps Jinan-style dated steps, each shifted). */
export interface LeverChange {
  set: Record<string, unknown>;
  amend?: NonNullable<Scenario["amend"]>;
}

interface Lever {
  /** The scenario path(s) the lever amends (for the docs, the page and projection.json). */
  path: string;
  unit: string;
  step: number;
  /** The default search range… */
  lo: number;
  hi: number;
  /** …and the widest one accepted (--lo/--hi, the page): what the scenario's schema accepts. */
  min: number;
  max: number;
  label: string;
  /** The change at x; `scheme()` is the scheme the lever is applied to (compiled only for a lever
   *  that reads its current values). */
  change: (x: number, scheme: () => Scheme) => LeverChange;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** A rate in basis points as a policy file writes it, held within 0–100 % (what the schema accepts). */
const rateText = (bp: number) => formatBp(Math.min(10_000, Math.max(0, bp)));

/**
 * Every general outpatient rate cell (levels 1–3; active and retired where the text lists both)
 * moved by x percentage points — the way bureaus announce a rate change ("支付比例提高5个百分点"):
 * the gradient between levels and the retiree and old-worker uplifts stay as the text sets them.
 * A cell with dated values keeps its dates, each value shifted (`set` for the first, `amend` for
 * the later ones). Benefits that use general pooling's rates (Ganzhou's TCM) move with them.
 */
export function rateShiftChange(x: number, scheme: () => Scheme): LeverChange {
  const s = scheme();
  const rate = s.data.benefits.general?.rate;
  if (!rate || !("level1" in rate)) {
    throw new PolicyError([`benefits.general.rate: the ${s.name} scheme has no general outpatient rates to shift`], "goal-seek");
  }
  const bp = Math.round(x * 100);
  const cell = (v: { active: number; retired: number | null }): unknown =>
    v.retired === null ? rateText(v.active + bp) : { active: rateText(v.active + bp), retired: rateText(v.retired + bp) };
  const set: Record<string, unknown> = {};
  const byDate = new Map<string, Record<string, unknown>>();
  for (const level of ["level1", "level2", "level3"] as const) {
    const path = `benefits.general.rate.${level}`;
    rate[level].values.forEach((v, i) => {
      if (i === 0) set[path] = cell(v.value);
      else {
        const from = isoFromDay(v.from);
        if (!byDate.has(from)) byDate.set(from, {});
        byDate.get(from)![path] = cell(v.value);
      }
    });
  }
  const ref = `goal-seek: general outpatient rates ${bp >= 0 ? "+" : ""}${formatBp(bp)} (percentage points)`;
  const amend = [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([from, s]) => ({ from, ref, set: s }));
  return amend.length ? { set, amend } : { set };
}

/** The scheme parameters goal-seek can move, as scenario paths (policy files' names). */
export const LEVERS = {
  cap: { path: "caps.general", unit: "yuan", step: 1, lo: 0, hi: 20_000, min: 0, max: MAX_AMOUNT_YUAN, label: "general outpatient annual cap (yuan)", change: (x) => ({ set: { "caps.general": x } }) },
  deductible: {
    path: "benefits.general.deductible.amount", unit: "yuan", step: 1, lo: 0, hi: 5_000, min: 0, max: MAX_AMOUNT_YUAN, label: "general outpatient deductible (yuan)",
    change: (x) => ({ set: { "benefits.general.deductible.amount": x } }),
  },
  rate: {
    path: "benefits.general.rate.level1/level2/level3", unit: "percentage points", step: 0.1, lo: -30, hi: 30, min: -MAX_ADJUSTMENT_BP / 100, max: MAX_ADJUSTMENT_BP / 100,
    label: "general outpatient rates at every level, shifted (percentage points)", change: rateShiftChange,
  },
  "retiree-credit": {
    path: "accounts.retired", unit: "yuan a month", step: 1, lo: 0, hi: 500, min: 0, max: MAX_AMOUNT_YUAN, label: "retiree account credit (yuan a month, paid by the pool)",
    change: (x) => ({ set: { "accounts.retired": { fixed: x } } }),
  },
  "active-credit": {
    path: "accounts.active", unit: "% of base", step: 0.1, lo: 0, hi: 8, min: 0, max: MAX_RATE_BP / 100, label: "active account credit (% of the contribution base)",
    change: (x) => ({ set: { "accounts.active": { percentOfBase: `${round1(x)}%` } } }),
  },
} as const satisfies Record<string, Lever>;
export type LeverId = keyof typeof LEVERS;
export const LEVER_IDS = Object.keys(LEVERS) as LeverId[];

/** A scenario with the lever at x, on top of `base` (its own `set` and `amend` kept; the lever's
 *  value replaces every dated value of the parameter — the rate shift shifts each — and a later
 *  amendment of the parameter in `base` still applies from its date, except the rate shift's,
 *  which is computed after `base`'s amendments and so overrides them). */
export function leverScenario(policy: Policy, lever: LeverId, x: number, base: Scenario | null): Scenario {
  const L: Lever = LEVERS[lever];
  const c = L.change(x, () => (base ? schemeForScenario(policy, { ...base, city: policy.city }, "scenario") : policy.reform));
  const out: Scenario = {
    ...(base ?? { base: "reform" as const }),
    name: `${base?.name ?? "reform"} + ${lever} ${round1(x)}`,
    city: policy.city,
    set: { ...(base?.set ?? {}), ...c.set },
  };
  if (c.amend) out.amend = [...(base?.amend ?? []), ...c.amend];
  return out;
}

export interface GoalSeekResult {
  /** The value found (on the lever's grid), or null when no value in [lo, hi] meets the target. */
  value: number | null;
  /** The result at the value (or at the better end when none meets the target). */
  achieved: number;
  target: number;
  /** The whole range keeps the target: the value is the range's more generous end. */
  wholeRange: boolean;
  /** Evaluations at the ends and every step. */
  evaluations: Array<{ x: number; y: number }>;
}

/**
 * Find the value of a monotone lever on the grid lo + k·step for which `evaluate` (e.g. months of
 * reserve in the last year) is ≥ target and as close to it as the grid allows: the most generous
 * cap, the lowest deductible, the highest credit that still keeps the reserve. Bisection.
 */
export function goalSeek(evaluate: (x: number) => number, lo: number, hi: number, step: number, target: number): GoalSeekResult {
  const evaluations: Array<{ x: number; y: number }> = [];
  const f = (k: number) => {
    const x = lo + k * step;
    const y = evaluate(x);
    evaluations.push({ x, y });
    return y;
  };
  let kGood: number, kBad: number;
  const K = Math.round((hi - lo) / step);
  const y0 = f(0), yK = f(K);
  const ok0 = y0 >= target, okK = yK >= target;
  if (ok0 && okK) {
    // Both ends keep the target: the more generous end is the answer — which end that is depends
    // on the lever; report the end with the result nearer the target.
    const k = Math.abs(y0 - target) <= Math.abs(yK - target) ? 0 : K;
    return { value: round1(lo + k * step), achieved: k === 0 ? y0 : yK, target, wholeRange: true, evaluations };
  }
  if (!ok0 && !okK) return { value: null, achieved: Math.max(y0, yK), target, wholeRange: false, evaluations };
  [kGood, kBad] = ok0 ? [0, K] : [K, 0];
  let yGood = ok0 ? y0 : yK;
  while (Math.abs(kGood - kBad) > 1) {
    const mid = Math.floor((kGood + kBad) / 2);
    const y = f(mid);
    if (y >= target) [kGood, yGood] = [mid, y];
    else kBad = mid;
  }
  return { value: round1(lo + kGood * step), achieved: yGood, target, wholeRange: false, evaluations };
}

export interface LeverSeek {
  lever: LeverId;
  /** Months of reserve to keep (at least). */
  target: number;
  /** The calendar year whose closing months of reserve must meet the target (default: the last). */
  year?: number;
  /** The search range (default: the lever's). */
  lo?: number;
  hi?: number;
}

export interface LeverSeekResult extends GoalSeekResult {
  lever: LeverId;
  year: number;
  lo: number;
  hi: number;
  step: number;
  /** The scenario with the value found (null when none is). */
  scenario: Scenario | null;
}

/**
 * Goal-seek of a lever on a projection: the city's policy, a base scenario (null: the reform), the
 * sample and the numeric parameters fixed; each evaluation builds the lever's scenario, compiles
 * it, and projects it to the target year. The CLI, the page's build and its worker all call this.
 */
export function goalSeekLever(
  policy: Policy,
  base: Scenario | null,
  input: Omit<ProjectionInput, "schemes" | "params">,
  params: ProjectionParams,
  seek: LeverSeek,
  onStep?: (done: number, expected: number, x: number, months: number) => void,
): LeverSeekResult {
  const L: Lever = LEVERS[seek.lever];
  if (!L) throw new RangeError(`goal-seek: unknown lever ${seek.lever}`);
  const lo = seek.lo ?? L.lo, hi = seek.hi ?? L.hi;
  if (!(lo < hi)) throw new RangeError(`goal-seek: the range must have lo < hi, got ${lo}–${hi}`);
  if (!(lo >= L.min && hi <= L.max)) throw new RangeError(`goal-seek: the ${seek.lever} lever's range must lie within ${L.min} to ${L.max} (${L.unit}), got ${lo}–${hi}`);
  const last = input.baseYear + input.years - 1;
  const year = seek.year ?? last;
  const t = year - input.baseYear;
  if (!Number.isInteger(t) || t < 0 || t >= input.years) throw new RangeError(`goal-seek: the target year must be ${input.baseYear}–${last}, got ${year}`);
  const expected = Math.ceil(Math.log2((hi - lo) / L.step)) + 2;
  let done = 0;
  const evaluate = (x: number) => {
    const scheme = schemeForScenario(policy, leverScenario(policy, seek.lever, x, base), "goal-seek");
    // Years after the target cannot change it (the path is causal): project up to it only.
    const prep = prepareProjection({ ...input, years: t + 1, schemes: [scheme] });
    const months = projectScheme(prep, params, 0).years[t].monthsOfReserve;
    onStep?.(++done, expected, x, months);
    return months;
  };
  const r = goalSeek(evaluate, lo, hi, L.step, seek.target);
  return { ...r, lever: seek.lever, year, lo, hi, step: L.step, scenario: r.value === null ? null : leverScenario(policy, seek.lever, r.value, base) };
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
    paths: [...pathRows(reform, "reform"), ...pathRows(baseline, "baseline")],
    firstDeficitYear: { reform: reform.firstDeficitYear, baseline: baseline.firstDeficitYear },
    firstExhaustedYear: { reform: reform.firstExhaustedYear, baseline: baseline.firstExhaustedYear },
  };
}

/** A sample decoded from the what-if binary (src/model/whatif.ts decodeSample) as a projection's
 *  base sample: person ids run from the sample's first id, as the generator numbered them (the
 *  deterministic thinning of claims hashes them). */
export function baseSampleOf(sample: { meta: { firstId: number }; persons: EnginePersons; claims: EngineClaims }): BaseSample {
  const n = sample.persons.count;
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = sample.meta.firstId + i;
  return { persons: sample.persons, claims: sample.claims, ids };
}
