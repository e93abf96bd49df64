// The years the what-if page has a sample for: those of WHATIF_YEARS the city's reform covers whole
// (src/data/sample-[city]-[year].bin.ts). One rule for the page's data and its sample files.
import type { Policy } from "../model/policy.ts";

export const WHATIF_YEARS = [2023, 2024] as const;

const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m, d) / 86_400_000;

export function whatIfYears(policy: Policy): number[] {
  return WHATIF_YEARS.filter((y) => policy.reform.fromDay <= dayOf(y, 0, 1) && dayOf(y, 11, 31) <= policy.reform.untilDay);
}
