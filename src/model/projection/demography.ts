// The city's enrollees over the projection: status groups evolving by entry, retirement and
// retiree mortality, and the sample's results weighted up to them. Separate: the population's
// ageing lives here, not in the sample (whose persons keep their age).
import type { ProjectionParams } from "./params.ts";

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
