// The claim fact table at the grain every breakdown needs: scheme × status × age band × level ×
// kind × month × outcome (the benefit that paid, or excluded). Claims are summed into it where
// they are adjudicated (a worker), so DuckDB receives ~10^4 rows per city instead of 10^7; all
// summaries are SQL over it (src/pipeline/summaries.ts). Pure.
//
// Exact: every measure is a Float64 sum of integers (claims, fen), exact while each partial sum
// stays within 2^53. The measures are sums of non-negative terms (cash = amount − fund − other −
// account ≥ 0), so a sum's last value is its largest: every cell is checked after each chunk and
// each merge (src/model/limits.ts checkExactTotals), and a run whose totals would lose a fen stops
// with "a total exceeds 2^53 fen (90 万亿元): not exact" instead.
import type { ChunkOutcome, EngineClaims } from "../model/engine.ts";
import { checkExactTotal, checkExactTotals, MAX_EXACT_FEN } from "../model/limits.ts";
import { BENEFITS, EXCLUSIONS, KINDS, LEVELS, STATUSES } from "../model/types.ts";

export const SCHEMES = ["reform", "baseline"] as const;
export const AGE_BAND_COUNT = 7;
export const OUTCOMES = [...BENEFITS, "excluded"] as const;
export const MEASURES = ["claims", "amount_fen", "eligible_fen", "fund_fen", "deductible_fen", "account_fen", "other_fund_fen", "cash_fen"] as const;

const D = [SCHEMES.length, STATUSES.length, AGE_BAND_COUNT, LEVELS.length, KINDS.length, 12, OUTCOMES.length];
export const CUBE_CELLS = D.reduce((a, b) => a * b, 1);
export const EXCLUSION_CELLS = SCHEMES.length * EXCLUSIONS.length * KINDS.length;

export interface Cube {
  /** MEASURES.length × CUBE_CELLS, measure-major. */
  values: Float64Array;
  /** [claims, amount_fen] × EXCLUSION_CELLS. */
  exclusions: Float64Array;
}

export function emptyCube(): Cube {
  return { values: new Float64Array(MEASURES.length * CUBE_CELLS), exclusions: new Float64Array(2 * EXCLUSION_CELLS) };
}

export function cellIndex(scheme: number, status: number, ageBand: number, levelCode: number, kind: number, month0: number, outcome: number): number {
  return (((((scheme * D[1] + status) * D[2] + ageBand) * D[3] + levelCode) * D[4] + kind) * D[5] + month0) * D[6] + outcome;
}

export function cellCoordinates(cell: number): number[] {
  const out = new Array<number>(D.length);
  for (let i = D.length - 1; i >= 0; i--) {
    out[i] = cell % D[i];
    cell = Math.floor(cell / D[i]);
  }
  return out;
}

/** Month (0–11) of each day of the year, by day offset from 1 January. */
export function monthTable(yearFirstDay: number, monthStarts: number[]): Uint8Array {
  const t = new Uint8Array(366);
  for (let d = 0; d < 366; d++) {
    let m = 0;
    while (m < 11 && monthStarts[m + 1] <= yearFirstDay + d) m++;
    t[d] = m;
  }
  return t;
}

export function addToCube(
  cube: Cube,
  scheme: number,
  persons: { count: number; status: Uint8Array; ageBand: Uint8Array; claimStart: Uint32Array },
  claims: EngineClaims,
  o: ChunkOutcome,
  yearFirstDay: number,
  months: Uint8Array,
): void {
  const v = cube.values;
  const C = CUBE_CELLS;
  const excluded = OUTCOMES.length - 1;
  for (let p = 0; p < persons.count; p++) {
    const st = persons.status[p];
    const ab = persons.ageBand[p];
    for (let j = persons.claimStart[p], end = persons.claimStart[p + 1]; j < end; j++) {
      const k = claims.kind[j];
      const b = o.benefit[j];
      const cell = cellIndex(scheme, st, ab, claims.level[j], k, months[claims.day[j] - yearFirstDay], b < 0 ? excluded : b);
      const amount = claims.amountFen[j];
      const fund = o.fundFen[j];
      const other = o.otherFundFen[j];
      const acct = o.accountFen[j];
      v[cell] += 1;
      v[C + cell] += amount;
      v[2 * C + cell] += claims.eligibleFen[j];
      v[3 * C + cell] += fund;
      v[4 * C + cell] += o.deductibleFen[j];
      v[5 * C + cell] += acct;
      v[6 * C + cell] += other;
      v[7 * C + cell] += amount - fund - other - acct;
      if (b < 0) {
        const e = (scheme * EXCLUSIONS.length + o.exclusion[j]) * KINDS.length + k;
        cube.exclusions[e] += 1;
        cube.exclusions[EXCLUSION_CELLS + e] += amount;
      }
    }
  }
  // ≈ 0.3 ms for the 0.5 M cells: well under 1 % of a chunk's adjudication.
  checkExactTotals(v, "claim cube");
  checkExactTotals(cube.exclusions, "exclusion cube");
}

/** Add a thread's cube into another: each cell one addition of exact sums, checked. */
export function mergeCube(into: Cube, from: Cube): void {
  mergeChecked(into.values, from.values, "claim cube");
  mergeChecked(into.exclusions, from.exclusions, "exclusion cube");
}

/** into[i] += from[i], throwing if a sum leaves the exact range (then the addition was inexact). */
export function mergeChecked(into: Float64Array, from: Float64Array, what: string): void {
  for (let i = 0; i < into.length; i++) {
    const x = into[i] + from[i];
    if (!(x <= MAX_EXACT_FEN && x >= -MAX_EXACT_FEN)) checkExactTotal(x, `${what} cell ${i}`);
    into[i] = x;
  }
}
