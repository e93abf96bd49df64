// The what-if page's computation, pure (runs in the browser's worker and in Node tests):
// `prepareWhatIf` / `evaluateWhatIf`: the baseline once, then any scenario against it: fund and
// account flows (fund.ts), the pooled reserve and winners/losers with the definitions of
// src/pipeline/summaries.ts (ntile spending deciles, quantile_cont), here exactly on the sample's
// persons (the pipeline, which keeps no row per person, gets them from binned gains).
// The sample it reads is sample-codec.ts's; the parameters a reader moves are tunables.ts's.
import { type ChunkOutcome, type EngineClaims, type EnginePersons, openingBalances, runChunk } from "./engine.ts";
import { type Finance, openingMonthsIn } from "./finance.ts";
import { addChunk, bulletinSpending, emptyFlows, type FundFlows } from "./fund.ts";
import type { Scheme } from "./policy.ts";
import type { Sample } from "./sample-codec.ts";
import { type CityId, STATUSES } from "./types.ts";

export interface Reserve {
  /** The same opening under both schemes: openingReserveMonths of the baseline's outflow. */
  openingFen: number;
  incomeFen: number;
  outflowFen: number;
  netFen: number;
  closingFen: number;
  /** Months of this scheme's outflow the closing balance pays for (可支付月数). */
  monthsClosing: number;
}

export interface WinnerRow {
  /** "all" | "status" | "age_band" | "two_disease" | "spending_decile". */
  dimension: string;
  /** The group's code (STATUSES / AGE_BANDS index, 0/1, decile 1–10; 0 for all). */
  code: number;
  persons: number;
  meanGainYuan: number;
  shareGaining: number;
  shareLosing: number;
  p10Yuan: number;
  p50Yuan: number;
  p90Yuan: number;
}

export interface WhatIfResult {
  city: CityId;
  year: number;
  persons: number;
  claims: number;
  /** City totals = sample totals × scale (insured / sample persons). */
  scale: number;
  scenario: FundFlows;
  baseline: FundFlows;
  reserve: { scenario: Reserve; baseline: Reserve };
  winners: WinnerRow[];
  /** Milliseconds spent in the rules engine and in the summaries. */
  ms: { engine: number; summaries: number };
}

export interface Prepared {
  sample: Sample;
  finance: Finance;
  baselineScheme: Scheme;
  eng: EnginePersons;
  b: ChunkOutcome;
  baselineFlows: FundFlows;
  /** Per person, baseline: pooled payments for their claims + second payment + credits (fen). */
  baselineBenefitFen: Float64Array;
  /** Per person: total spending decile 1–10 (ntile over spending, then person order). */
  decile: Uint8Array;
  /** The winners-and-losers groups: each person's group code by dimension. */
  groups: Array<{ dimension: string; keys: Uint8Array; size: number }>;
}

/** Run the baseline on a sample once; scenarios are then evaluated against it. */
export function prepareWhatIf(sample: Sample, baseline: Scheme, finance: Finance): Prepared {
  const { persons, claims, meta } = sample;
  const eng = { ...persons, openingBalanceFen: openingBalances(baseline, persons, meta.year, finance.accountOpeningMonths) };
  const b = runChunk(baseline, eng, claims, meta.year, finance);
  const baselineFlows = addChunk(emptyFlows(), eng, claims, b);
  const n = persons.count;
  const spending = new Float64Array(n);
  for (let p = 0; p < n; p++) for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) spending[p] += claims.amountFen[j];
  // ntile(10) OVER (ORDER BY spending_fen, person): the first n % 10 tiles hold one more person.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => spending[x] - spending[y] || x - y);
  const decile = new Uint8Array(n);
  const small = Math.floor(n / 10);
  const extra = n % 10;
  let r = 0;
  for (let t = 0; t < 10; t++) {
    const size = small + (t < extra ? 1 : 0);
    for (let k = 0; k < size; k++) decile[order[r++]] = t + 1;
  }
  const twoDisease = new Uint8Array(n);
  let bands = 7;
  for (let p = 0; p < n; p++) {
    twoDisease[p] = persons.twoDiseases[p] > 0 ? 1 : 0;
    if (persons.ageBand[p] >= bands) bands = persons.ageBand[p] + 1;
  }
  const groups = [
    { dimension: "all", keys: new Uint8Array(n), size: 1 },
    { dimension: "status", keys: persons.status, size: STATUSES.length },
    { dimension: "age_band", keys: persons.ageBand, size: bands },
    { dimension: "two_disease", keys: twoDisease, size: 2 },
    { dimension: "spending_decile", keys: decile, size: 11 },
  ];
  return { sample, finance, baselineScheme: baseline, eng, b, baselineFlows, baselineBenefitFen: personBenefit(eng, claims, b), decile, groups };
}

function personBenefit(persons: EnginePersons, claims: EngineClaims, o: ChunkOutcome): Float64Array {
  const out = new Float64Array(persons.count);
  for (let p = 0; p < persons.count; p++) {
    let f = 0;
    for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) f += o.fundFen[j];
    out[p] = f + o.secondPaymentFen[p] + o.creditFen[p];
  }
  return out;
}

/** The pooled reserve as summaries.ts computes it (`reserve` table). */
export function reserveOf(flows: FundFlows, baselineFlows: FundFlows, finance: Finance, year: number): Reserve {
  // On NHSA's bulletin basis, as the run's reserve table: the opening months are months of the
  // baseline's bulletin-basis spending, the closing months of the scheme's.
  const openingFen = (openingMonthsIn(finance, year) * bulletinSpending(baselineFlows)) / 12;
  const netFen = flows.pooledIncomeFen - flows.pooledOutflowFen;
  const closingFen = openingFen + netFen;
  const spending = bulletinSpending(flows);
  return {
    openingFen: Math.round(openingFen),
    incomeFen: flows.pooledIncomeFen,
    outflowFen: flows.pooledOutflowFen,
    netFen,
    closingFen: Math.round(closingFen),
    monthsClosing: spending > 0 ? closingFen / (spending / 12) : Infinity,
  };
}

/** quantile_cont: linear interpolation between the order statistics. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/** Evaluate a scenario against the prepared baseline. */
export function evaluateWhatIf(prep: Prepared, scheme: Scheme): WhatIfResult {
  const { sample, finance, eng, baselineFlows } = prep;
  const { claims, persons, meta } = sample;
  const t0 = performance.now();
  const r = runChunk(scheme, eng, claims, meta.year, finance);
  const t1 = performance.now();
  const flows = addChunk(emptyFlows(), eng, claims, r);
  const benefit = personBenefit(eng, claims, r);
  const n = persons.count;
  const gain = new Float64Array(n);
  for (let p = 0; p < n; p++) gain[p] = (benefit[p] - prep.baselineBenefitFen[p]) / 100;

  // Winners and losers by the groups of summaries.ts: one counting sort per dimension, then a
  // numeric sort of each group's gains for the quantiles.
  const winners: WinnerRow[] = [];
  const values = new Float64Array(n);
  for (const { dimension, keys, size } of prep.groups) {
    const counts = new Uint32Array(size);
    for (let p = 0; p < n; p++) counts[keys[p]]++;
    const fill = new Uint32Array(size);
    for (let g = 1; g < size; g++) fill[g] = fill[g - 1] + counts[g - 1];
    const starts = fill.slice();
    for (let p = 0; p < n; p++) values[fill[keys[p]]++] = gain[p];
    for (let g = 0; g < size; g++) {
      if (counts[g] === 0) continue;
      const v = values.subarray(starts[g], starts[g] + counts[g]);
      let sum = 0, up = 0, down = 0;
      for (let i = 0; i < v.length; i++) {
        sum += v[i];
        if (v[i] > 0.005) up++;
        else if (v[i] < -0.005) down++;
      }
      v.sort();
      winners.push({
        dimension,
        code: g,
        persons: v.length,
        meanGainYuan: sum / v.length,
        shareGaining: up / v.length,
        shareLosing: down / v.length,
        p10Yuan: quantile(v, 0.1),
        p50Yuan: quantile(v, 0.5),
        p90Yuan: quantile(v, 0.9),
      });
    }
  }
  const t2 = performance.now();
  return {
    city: meta.city,
    year: meta.year,
    persons: n,
    claims: claims.length,
    scale: finance.insured / n,
    scenario: flows,
    baseline: baselineFlows,
    reserve: { scenario: reserveOf(flows, baselineFlows, finance, meta.year), baseline: reserveOf(baselineFlows, baselineFlows, finance, meta.year) },
    winners,
    ms: { engine: t1 - t0, summaries: t2 - t1 },
  };
}
