// One chunk of a city-year: generate persons and claims (or take a bureau's), adjudicate them under the scenario
// (reform or a scenario file) and the baseline, and add what the summaries need to the claim cube,
// the person cube and the fund flows. Nothing per person outlives the chunk, so a thread's memory
// is bounded by the chunk size whatever the population. A pure function of its inputs (plus the
// sums it adds to), so it runs on any thread in any order.
import type { Finance } from "../model/finance.ts";
import { runBoth } from "../model/two-schemes.ts";
import { addChunk, emptyFlows, type FundFlows } from "../model/fund.ts";
import type { Scheme } from "../model/policy.ts";
import { generateChunk, type Model } from "../loaders/population/index.ts";
import { addToCube, type Cube } from "./cube.ts";
import { addPersonsToCube, type CubePersons, type PersonCube } from "./person-cube.ts";
import type { EngineClaims, EnginePersons } from "../model/engine.ts";

export interface ChunkContext {
  model: Model;
  scenario: Scheme;
  baseline: Scheme;
  finance: Finance;
  year: number;
  seed: number;
  yearFirstDay: number;
  months: Uint8Array;
}

/** The sums a thread accumulates over its chunks (merged across threads at the end). */
export interface ChunkSums {
  cube: Cube;
  persons: PersonCube;
  flows: [FundFlows, FundFlows];
}

/** The persons a chunk task adjudicates: the engine's columns and the cubes' grouping columns
 *  (a generated chunk, or a bureau's microdata: src/loaders/microdata.ts). */
export type TaskPersons = EnginePersons & CubePersons;

/** A generated chunk: persons firstId … firstId + count − 1 of the city's model. */
export function runChunkTask(ctx: ChunkContext, firstId: number, count: number, sums: ChunkSums): void {
  const { persons, claims } = generateChunk(ctx.model, ctx.seed, firstId, count);
  adjudicateChunk(ctx, persons, claims, sums);
}

/** Adjudicate a chunk's persons and claims and add them to the sums. */
export function adjudicateChunk(ctx: ChunkContext, persons: TaskPersons, claims: EngineClaims, sums: ChunkSums): void {
  // The same steps as the browser's what-if: one opening balance (the persons' own, if they carry
  // one), then scenario and baseline.
  const { eng, r, b } = runBoth(ctx.scenario, ctx.baseline, persons, claims, ctx.year, ctx.finance);
  addToCube(sums.cube, 0, persons, claims, r, ctx.yearFirstDay, ctx.months);
  addToCube(sums.cube, 1, persons, claims, b, ctx.yearFirstDay, ctx.months);
  addChunk(sums.flows[0], eng, claims, r);
  addChunk(sums.flows[1], eng, claims, b);
  addPersonsToCube(sums.persons, { ...persons, openingBalanceFen: eng.openingBalanceFen }, claims, r, b);
}

export function newFlowsPair(): [FundFlows, FundFlows] {
  return [emptyFlows(), emptyFlows()];
}
