// Everything a chunk task needs for one city-year, built from the files (Node side).
import { loadFinance } from "../loaders/finance.ts";
import { cityModel } from "../loaders/population/index.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import { dayFromCivil, monthStart } from "../model/dates.ts";
import type { Scenario } from "../model/policy-schema.ts";
import type { CityId } from "../model/types.ts";
import type { ChunkContext } from "./chunk-task.ts";
import { monthTable } from "./cube.ts";

export interface RunSpec {
  city: CityId;
  year: number;
  seed: number;
  /** null = the city's reform. */
  scenario: Scenario | null;
  scenarioSource?: string;
}

export function buildContext(spec: RunSpec): ChunkContext {
  const policy = loadPolicy(spec.city);
  const scenario = spec.scenario ? resolveScheme(policy, spec.scenario, spec.scenarioSource ?? "scenario") : policy.reform;
  const yearFirstDay = dayFromCivil(spec.year, 1, 1);
  const starts = Array.from({ length: 12 }, (_, m) => monthStart(spec.year, m + 1));
  return {
    model: cityModel(spec.city, spec.year),
    scenario,
    baseline: policy.baseline,
    finance: loadFinance(spec.city).finance,
    year: spec.year,
    seed: spec.seed,
    yearFirstDay,
    months: monthTable(yearFirstDay, starts),
  };
}
