// The deterministic projection of a city's pooled fund over several years (issue 7): each scheme's
// path year by year under one set of assumptions. The other modules of this folder feed it (params,
// year-sample, demography) or run it many times (monte-carlo, tornado, goal-seek). All are pure: no
// I/O, so the CLI, the benchmarks, the page's build and the page's web worker
// (src/components/projection-model.ts) run the same code.
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
import { dayFromCivil } from "../dates.ts";
import { openingBalances, runChunk } from "../engine.ts";
import type { Finance } from "../finance.ts";
import { bulletinSpending, type FundFlows, monthsOfReserve, weightedFlows } from "../fund.ts";
import { checkExactTotal } from "../limits.ts";
import type { Scheme } from "../policy.ts";
import { populationPath } from "./demography.ts";
import { indexScheme } from "./indexation.ts";
import type { ProjectionParams } from "./params.ts";
import { type BaseSample, outpatientPrice, transformSample, type YearTransform } from "./year-sample.ts";

/** The bureaus' warning band for months of reserve: below 6 (支付风险) and above 15 (结存过多). */
export const RESERVE_LOW_MONTHS = 6;
export const RESERVE_HIGH_MONTHS = 15;
export type ReserveFlag = "low" | "ok" | "high";
export const reserveFlag = (months: number): ReserveFlag => (months < RESERVE_LOW_MONTHS ? "low" : months > RESERVE_HIGH_MONTHS ? "high" : "ok");

// ---- inputs and outputs -------------------------------------------------------------------------

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
  /** The baseline's base-year pooled spending on NHSA's bulletin basis (pooled outflow less the
   *  retiree credits the pool pays, which the bulletins count as account income): the opening months
   *  (累计结存可支付月数) are months of it. */
  baseSpendingFen: number;
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
  const baseSpendingFen = bulletinSpending(weightedFlows(base.persons, base.claims, b0, personWeights(P.status, w0)));
  return { base, baseYear, years, schemes, finance, pBase, prices, counts, pop0, baseSpendingFen };
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
  const ramp = (t: number) => Math.min(1, (t + 1) / Math.max(1, q.responseRampYears));
  const ramped = (r: [number, number], share: number): [number, number] => [Math.pow(r[0], share), Math.pow(r[1], share)];
  let balance = (q.openingReserveMonths * prep.baseSpendingFen) / 12;
  let opening: Int32Array = base.persons.openingBalanceFen!;
  let firstDeficitYear: number | null = null, firstExhaustedYear: number | null = null;
  const rows: ProjectionYear[] = [];
  for (let t = 0; t < years; t++) {
    const year = baseYear + t;
    const tr: YearTransform = {
      year, t,
      costIndex: Math.pow(1 + q.costTrend, t), wageIndex: Math.pow(1 + q.wageGrowth, t), pensionIndex: Math.pow(1 + q.pensionGrowth, t),
      utilIndex: Math.pow(1 + q.utilisationTrend, t),
      // The response builds up over responseRampYears: a share of it (of the log response) in year t.
      visitResponse: ramped(visitResponse, ramp(t)), costResponse: ramped(costResponse, ramp(t)),
      levelShift: paysOutpatient ? q.levelShift * ramp(t) : 0, levelCostRatio: q.levelCostRatio,
    };
    const { persons, claims } = transformSample(base, baseYear, tr, opening);
    const fin: Finance = { ...finance, chronicFundPerEnrolleeFen: Math.round(finance.chronicFundPerEnrolleeFen * tr.costIndex) };
    const o = runChunk(indexScheme(scheme, Math.pow(1 + q.capIndexation * q.wageGrowth, t)), persons, claims, year, fin);
    const flows = weightedFlows(persons, claims, o, personWeights(persons.status, weightAt(t)));
    opening = o.closingBalanceFen;
    const net = flows.pooledIncomeFen - flows.pooledOutflowFen;
    const openFen = balance;
    balance = checkExactTotal(balance + net, `projection ${year}: the pooled balance`);
    const months = monthsOfReserve(balance, bulletinSpending(flows));
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

/** Each sample person's weight: the city's persons of their status ÷ the sample's. */
function personWeights(status: Uint8Array, byStatus: [number, number, number]): Float64Array {
  const w = new Float64Array(status.length);
  for (let p = 0; p < status.length; p++) w[p] = byStatus[status[p]];
  return w;
}
