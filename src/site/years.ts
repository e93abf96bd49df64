// The years the site shows: the simulated results (src/data/results.json.ts), the briefings
// (fundsim brief) and the what-if page's samples. One list for all of them.
import type { Policy } from "../model/policy.ts";

export const SITE_YEARS = [2023, 2024] as const;

const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m, d) / 86_400_000;

/** The site's years a city's reform covers whole: those the what-if page has a sample for
 *  (src/data/sample-[city]-[year].bin.ts). */
export function whatIfYears(policy: Policy): number[] {
  return SITE_YEARS.filter((y) => policy.reform.fromDay <= dayOf(y, 0, 1) && dayOf(y, 11, 31) <= policy.reform.untilDay);
}
