// One chunk under a scenario and the baseline: the pipeline's unit of work (src/pipeline/chunk-task.ts).
// Separate from the what-if, which runs the baseline once and then any number of scenarios.
import { type ChunkOutcome, type EngineClaims, type EnginePersons, openingBalances, runChunk } from "./engine.ts";
import type { Finance } from "./finance.ts";
import type { Scheme } from "./policy.ts";

/** The pipeline's steps for a chunk: opening balances from the baseline unless the persons carry
 *  them (the same for both schemes), then the scenario and the baseline. */
export function runBoth(
  scenario: Scheme,
  baseline: Scheme,
  persons: EnginePersons,
  claims: EngineClaims,
  year: number,
  finance: Finance,
): { eng: EnginePersons; r: ChunkOutcome; b: ChunkOutcome } {
  // A bureau's microdata may carry its own opening balances; else they come from the baseline.
  const eng = { ...persons, openingBalanceFen: persons.openingBalanceFen ?? openingBalances(baseline, persons, year, finance.accountOpeningMonths) };
  return { eng, r: runChunk(scenario, eng, claims, year, finance), b: runChunk(baseline, eng, claims, year, finance) };
}
