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
// The sample's persons are re-weighted every year to the city's cohort cells (status × retirement
// type × single age, demography.ts: ageing, deaths by the census life table, statutory retirements
// with the 2025 raise, entrants by an age–sex profile): the persons keep their ages, so the cells —
// and with them the age–cost curves — move. Individual accounts are an open cohort (carryAccounts).
// The pooled balance carries forward with interest; months of reserve = balance ÷ (outflow ÷ 12).
import { dayFromCivil } from "../dates.ts";
import { type ChunkOutcome, type EngineClaims, type EnginePersons, openingBalances, runChunk } from "../engine.ts";
import type { Finance } from "../finance.ts";
import { bulletinSpending, type FundFlows, monthsOfReserve, pooledIncome, pooledOutflow, weightedFlows } from "../fund.ts";
import { checkExactTotal } from "../limits.ts";
import type { Scheme } from "../policy.ts";
import type { RetirementRules } from "../retirement.ts";
import { AGES } from "./ages.ts";
import {
  type Cells, CELLS, cellOf, cohortPath, type CohortYear, crudeRetireeMortality, populationPath, STATUS_ACTIVE, STATUS_FLEXIBLE,
} from "./demography.ts";
import { indexScheme } from "./indexation.ts";
import type { LifeTable } from "./life-table.ts";
import { censusLifeTable } from "./life-table.ts";
import type { ProjectionParams } from "./params.ts";
import { postStrata, strataWeights, structureOfSample } from "./structure.ts";
import { type BaseSample, claimBuffers, outpatientPrice, transformSample, type YearTransform } from "./year-sample.ts";

/** The statutory rule as the national calibration sets it (src/loaders/calibration/national.yaml:
 *  国发〔1978〕104号 and the 2024-09-13 decision); the CLI passes the city's model's own. */
export const NATIONAL_RETIREMENT: RetirementRules = { retirementAges: [60, 55, 50], delayStartMonth: 2025 * 12, delayEvery: [4, 4, 2], delayMax: [36, 36, 60] };

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
  /** The city's base-year enrollees by cohort cell (structure.ts structureOfModel; default: the
   *  sample's own, scaled to `insured`), and its statutory retirement rule. */
  structure?: Cells;
  rules?: RetirementRules;
  /** Switches of the cohort flows (tests, and "what does ageing alone do"). */
  demography?: { stationary?: boolean; retirements?: boolean; lifeTable?: LifeTable };
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
  /** The city's base-year cells, the retirement rule and the demography switches. */
  cells0: Cells;
  rules: RetirementRules;
  demography: NonNullable<ProjectionInput["demography"]>;
  /** The life table's crude retiree death rate on cells0 (retireeMortality scales the table to it). */
  crudeMortality: number;
  /** The sample's cells (status × sex × age; one sex when the sample has no sex column): each
   *  person's, the persons in each, and for each city cell the sample cell its persons are
   *  attributed to (the nearest age with sample persons; −1: none). */
  personCell: Int32Array;
  cellCount: Float64Array;
  attribution: Int32Array;
  /** Per sample cell: the mean opening balance, and the baseline's mean closing, of the base year. */
  cellOpening0: Float64Array;
  cellClosingBaseline0: Float64Array;
  /** The baseline's base-year pooled spending on NHSA's bulletin basis (pooled outflow less the
   *  retiree credits the pool pays, which the bulletins count as account income): the opening months
   *  (累计结存可支付月数) are months of it. */
  baseSpendingFen: number;
}

export function prepareProjection(input: Omit<ProjectionInput, "params">): PreparedProjection {
  const { sample, baseYear, years, finance } = input;
  if (!Number.isInteger(years) || years < 1) throw new RangeError(`years must be a whole number ≥ 1, got ${years}`);
  const baseline = extendScheme(input.baseline, baseYear + years - 1);
  const schemes = preparedSchemes(input.schemes, baseYear, years);
  const P = sample.persons;
  // The base year as simulated: opening balances and the reference prices.
  const opening0 = P.openingBalanceFen ?? openingBalances(baseline, P, baseYear, finance.accountOpeningMonths);
  const base: BaseSample = { ...sample, persons: { ...P, openingBalanceFen: opening0 } };
  const b0 = runChunk(baseline, base.persons, base.claims, baseYear, finance);
  const pBase = outpatientPrice(base.persons, base.claims, b0);
  // The baseline among the schemes is not adjudicated twice (the engine is deterministic).
  const prices = schemes.map((s, i) => (input.schemes[i] === input.baseline ? ([pBase[0], pBase[1]] as [number, number]) : outpatientPrice(base.persons, base.claims, runChunk(s, base.persons, base.claims, baseYear, finance))));
  const counts: [number, number, number] = [0, 0, 0];
  for (let p = 0; p < P.count; p++) counts[P.status[p]]++;
  const insured = input.insured ?? finance.insured;
  const cells0 = input.structure ?? structureOfSample(P, sample.sex, baseYear, insured);
  const pop0 = populationPath([{ cells: cells0 } as CohortYear])[0];
  // The sample's post-strata (status × sex × age) and the attribution of the city's cells to them.
  const { personCell, cellCount, attribution } = postStrata(P, sample.sex, baseYear);
  const cellOpening0 = new Float64Array(cellCount.length), cellClosingBaseline0 = new Float64Array(cellCount.length);
  for (let p = 0; p < P.count; p++) {
    cellOpening0[personCell[p]] += opening0[p] / cellCount[personCell[p]];
    cellClosingBaseline0[personCell[p]] += b0.closingBalanceFen[p] / cellCount[personCell[p]];
  }
  const prep0 = {
    base, baseYear, years, schemes, finance, pBase, prices, counts, pop0, cells0, rules: input.rules ?? NATIONAL_RETIREMENT, demography: input.demography ?? {},
    crudeMortality: crudeRetireeMortality(cells0, input.demography?.lifeTable ?? censusLifeTable()), personCell, cellCount, attribution, cellOpening0, cellClosingBaseline0,
    baseSpendingFen: 0,
  };
  const baseSpendingFen = bulletinSpending(weightedFlows(base.persons, base.claims, b0, strataWeights(prep0, cells0)));
  return { ...prep0, baseSpendingFen };
}

/** A prepared projection's schemes: each kept in force to the projection's last year (extendScheme).
 *  A worker thread that receives a prepared projection's data re-attaches its schemes with it. */
export function preparedSchemes(schemes: Scheme[], baseYear: number, years: number): Scheme[] {
  return schemes.map((s) => extendScheme(s, baseYear + years - 1));
}

export function project(input: ProjectionInput): ProjectionResult {
  const prep = prepareProjection(input);
  return { schemes: prep.schemes.map((_, i) => projectScheme(prep, input.params, i)), prices: { baseline: prep.pBase, schemes: prep.prices } };
}

/** Each year's growth deviations around the trends (the Monte Carlo's process variation):
 *  cost[t] and wage[t] are added to the cost trend's and wage growth's rate of year t (t ≥ 1). */
export interface YearShocks {
  cost: ArrayLike<number>;
  wage: ArrayLike<number>;
}

/** The base-year cells with the retiree share multiplied by `f` and the contributors scaled so the
 *  city's enrollees stay the same (structural uncertainty of the retiree share). */
function withRetireeShare(cells: Cells, f: number): Cells {
  if (f === 1) return cells;
  let R = 0, N = 0;
  for (let c = 0; c < CELLS; c++) {
    N += cells[c];
    if (Math.floor(c / AGES) >= 3 && Math.floor(c / AGES) < 6) R += cells[c];
  }
  const g = N - R > 0 ? (N - f * R) / (N - R) : 1;
  return cells.map((x, c) => x * (Math.floor(c / AGES) >= 3 && Math.floor(c / AGES) < 6 ? f : g));
}

/** The city's cohort cells of every year under `q`. */
export function cohortsOf(prep: PreparedProjection, q: ProjectionParams, years = prep.years): CohortYear[] {
  const cells0 = withRetireeShare(prep.cells0, q.retireeShareFactor);
  const mortalityScale = prep.crudeMortality > 0 ? q.retireeMortality / prep.crudeMortality : 0;
  return cohortPath(cells0, prep.baseYear, years, { entryRate: q.entryRate, flexibleEntryRate: q.flexibleEntryRate, mortalityScale, earlyRetirementRate: q.retirementRate }, {
    rules: prep.rules, lifeTable: prep.demography.lifeTable, retirements: prep.demography.retirements, stationary: prep.demography.stationary,
  });
}

/** A year's pooled balance from the last: net flows plus interest on the opening balance and on
 *  half the year's net (flows spread over the year). */
export function carryReserve(openingFen: number, netFen: number, interestRate: number): number {
  return openingFen + netFen + interestRate * (openingFen + netFen / 2);
}

/** The structural multipliers on a year's flows: the inpatient line and the reconciliation line. */
export function applyStructural(f: FundFlows, q: ProjectionParams): FundFlows {
  if (q.inpatientShareFactor === 1 && q.reconciliationFactor === 1) return f;
  const g = { ...f, inpatientFundFen: f.inpatientFundFen * q.inpatientShareFactor, reconciliationFen: f.reconciliationFen * q.reconciliationFactor };
  g.pooledIncomeFen = pooledIncome(g);
  g.pooledOutflowFen = pooledOutflow(g);
  return g;
}

/** A projection year's adjudicated sample, for a caller that needs more than the city totals (the
 *  sampling error's per-person flows, sampling-error.ts). */
export interface ObservedYear {
  t: number;
  persons: EnginePersons;
  claims: EngineClaims;
  outcome: ChunkOutcome;
  weights: Float64Array;
}

/** One scheme of a prepared projection under the given parameters (and, for a Monte Carlo draw,
 *  the year-to-year deviations of its growth rates); `observe` sees each year's adjudicated sample. */
export function projectScheme(prep: PreparedProjection, q: ProjectionParams, si: number, years = prep.years, shocks?: YearShocks, observe?: (y: ObservedYear) => void): SchemeProjection {
  const { base, baseYear, finance } = prep;
  const scheme = prep.schemes[si];
  const cohorts = cohortsOf(prep, q, years);
  const pop = populationPath(cohorts);
  const resp = (eps: [number, number]): [number, number] => [0, 1].map((g) => Math.pow(prep.prices[si][g] / prep.pBase[g], eps[g])) as [number, number];
  const visitResponse = resp([q.elasticityVisitsActive, q.elasticityVisitsRetired]);
  const costResponse = resp([q.elasticityCostActive, q.elasticityCostRetired]);
  const paysOutpatient = prep.prices[si][0] < prep.pBase[0] - 1e-9 || prep.prices[si][1] < prep.pBase[1] - 1e-9;
  const ramp = (t: number) => Math.min(1, (t + 1) / Math.max(1, q.responseRampYears));
  const ramped = (r: [number, number], share: number): [number, number] => [Math.pow(r[0], share), Math.pow(r[1], share)];
  let balance = (q.openingReserveMonths * q.openingReserveFactor * prep.baseSpendingFen) / 12;
  let opening: Int32Array = base.persons.openingBalanceFen!;
  let firstDeficitYear: number | null = null, firstExhaustedYear: number | null = null;
  const rows: ProjectionYear[] = [];
  // Cumulative indices: the common cost trend (with its yearly deviation) and wage growth.
  let costCommon = 1, wageIndex = 1;
  // One year's claims at a time: their columns are reused from year to year.
  const buffers = claimBuffers();
  for (let t = 0; t < years; t++) {
    const year = baseYear + t;
    if (t > 0) {
      costCommon *= 1 + q.costTrend + (shocks ? shocks.cost[t] : 0);
      wageIndex *= 1 + q.wageGrowth + (shocks ? shocks.wage[t] : 0);
    }
    const dRet = Math.pow(1 + q.costTrendRetiredDifferential, t), dInp = Math.pow(1 + q.costTrendInpatientDifferential, t);
    const utilIndex = Math.pow(1 + q.utilisationTrend, t);
    const tr: YearTransform = {
      year, t,
      // [outpatient, inpatient] × [active/flexible, retired]
      costIndex: [[costCommon, costCommon * dRet], [costCommon * dInp, costCommon * dInp * dRet]],
      wageIndex, pensionIndex: Math.pow(1 + q.pensionGrowth, t),
      utilIndex,
      // The response builds up over responseRampYears: a share of it (of the log response) in year t.
      visitResponse: ramped(visitResponse, ramp(t)), costResponse: ramped(costResponse, ramp(t)),
      levelShift: paysOutpatient ? q.levelShift * ramp(t) : 0, levelCostRatio: q.levelCostRatio,
    };
    const { persons, claims } = transformSample(base, baseYear, tr, opening, buffers);
    const fin: Finance = {
      ...finance,
      // Chronic/special care is outpatient care: the outpatient cost index and the utilisation trend.
      chronicFundPerEnrolleeFen: Math.round(finance.chronicFundPerEnrolleeFen * costCommon * utilIndex),
      maternityPerActiveFen: Math.round(finance.maternityPerActiveFen * costCommon * dInp),
      collectionBp: Math.min(10_000, Math.round(finance.collectionBp * q.compliance)),
    };
    const o = runChunk(indexScheme(scheme, Math.pow(1 + q.capIndexation * q.wageGrowth, t)), persons, claims, year, fin);
    const weights = strataWeights(prep, cohorts[t].cells);
    const flows = applyStructural(weightedFlows(persons, claims, o, weights), q);
    observe?.({ t, persons, claims, outcome: o, weights });
    if (t + 1 < years) opening = carryAccounts(prep, cohorts[t + 1], o.closingBalanceFen);
    const net = flows.pooledIncomeFen - flows.pooledOutflowFen;
    const openFen = balance;
    balance = checkExactTotal(carryReserve(balance, net, q.interestRate), `projection ${year}: the pooled balance`);
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

/**
 * Next year's opening account balances: an open cohort. The base year's balances are taken as the
 * baseline's steady state (a cell's opening balance is what the cell one year younger closes with,
 * year after year); what a cohort closes with above or below the baseline's base-year closing of its
 * cell is carried, as it ages, into the cell it joins next year (survivors of the same status, new
 * retirees from the contributors one year younger; entrants carry nothing and deaths take their
 * balances with them). A person's opening is their base-year opening re-based by their cell's
 * carried change (a ratio: balances stay ≥ 0 and keep their spread). With zero trends and a stable
 * population under the baseline the base year's balances repeat: no drift.
 */
export function carryAccounts(prep: PreparedProjection, next: CohortYear, closing: Int32Array): Int32Array {
  const K = prep.cellCount.length;
  const closeMean = new Float64Array(K);
  for (let p = 0; p < closing.length; p++) closeMean[prep.personCell[p]] += closing[p] / prep.cellCount[prep.personCell[p]];
  const dev = (c: number) => (prep.attribution[c] >= 0 ? closeMean[prep.attribution[c]] - prep.cellClosingBaseline0[prep.attribution[c]] : 0);
  const carried = new Float64Array(K), persons = new Float64Array(K);
  for (let c = 0; c < CELLS; c++) {
    const k = prep.attribution[c];
    if (k < 0 || next.cells[c] === 0) continue;
    persons[k] += next.cells[c];
    const a = c % AGES;
    if (a === 0) continue;
    const g = Math.floor(c / AGES), t = g % 3;
    carried[k] += next.stayed[c] * dev(c - 1);
    if (g >= 3 && g < 6) {
      carried[k] += next.retiredFrom[0][c] * dev(cellOf(STATUS_ACTIVE, t, a - 1)) + next.retiredFrom[1][c] * dev(cellOf(STATUS_FLEXIBLE, t, a - 1));
    }
  }
  const P = prep.base.persons, opening0 = P.openingBalanceFen!;
  const out = new Int32Array(P.count);
  for (let p = 0; p < P.count; p++) {
    const k = prep.personCell[p];
    const delta = persons[k] > 0 ? carried[k] / persons[k] : 0;
    const o0 = prep.cellOpening0[k];
    out[p] = o0 > 0 ? Math.round(opening0[p] * Math.max(0, (o0 + delta) / o0)) : Math.round(Math.max(0, delta));
  }
  return out;
}
