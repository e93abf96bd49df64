// A city's base-year cohort cells and statutory retirement rule for the projection (issue 13), from
// the generator's model of the city: what `fundsim project`, the page's build and (through the
// page's data) its worker all re-weight the sample to, so the three project the same path.
import { cityModel } from "./population/index.ts";
import type { Cells } from "../model/projection/demography.ts";
import { structureOfModel } from "../model/projection/structure.ts";
import type { RetirementRules } from "../model/retirement.ts";
import type { CityId } from "../model/types.ts";

export function cityCohorts(city: CityId, year: number, insured: number): { structure: Cells; rules: RetirementRules } {
  const m = cityModel(city, year);
  return { structure: structureOfModel(m, insured), rules: { retirementAges: m.retirementAges, delayStartMonth: m.delayStartMonth, delayEvery: m.delayEvery, delayMax: m.delayMax } };
}
