// What `fundsim project` is asked and what it answers: the options of one projection
// (ProjectOptions) and its result (ProjectResult). Shared by the command (src/cli/project.ts), the
// run (src/cli/project-run.ts) and the files written (src/cli/project-output.ts), so that none of
// them imports another only for its types.
import type { OutputTarget } from "../pipeline/output-target.ts";
import type { Scenario } from "../model/policy-schema.ts";
import type { LeverSeek, LeverSeekResult } from "../model/projection/goal-seek.ts";
import type { DrawsResult, VarianceDecomposition } from "../model/projection/monte-carlo.ts";
import type { UncertaintySource } from "../model/projection/params.ts";
import type { SchemeProjection } from "../model/projection/project.ts";
import type { TornadoBar } from "../model/projection/tornado.ts";
import type { CityId } from "../model/types.ts";
import type { SeedSpread } from "./project-seeds.ts";

export interface ProjectOptions {
  city: CityId;
  scenario: Scenario | null;
  scenarioSource?: string;
  baseYear: number;
  years: number;
  /** Persons in the reference sample (the deterministic projection). */
  persons: number;
  draws: number;
  /** Population draws for the Monte Carlo: how many samples, of how many persons. */
  samples: number;
  samplePersons: number;
  seed: number;
  /** Reference samples for the seed-to-seed spread of the last year's months (1: none): seeds
   *  seed, seed + 1, …, seed + seeds − 1, each of `persons` persons, projected centrally. */
  seeds?: number;
  /** An assumptions file replacing entries of the city's (src/loaders/assumptions.ts). */
  assumptionsFile?: string;
  goalSeek?: LeverSeek;
  /** Goal-seek on the band (--target-percentile / --target-probability) instead of the central path. */
  bandTarget?: { kind: "percentile" | "probability"; level: number };
  /** The sources of uncertainty in the band (--uncertainty; default all). */
  sources?: UncertaintySource[];
  /** Threads for the Monte Carlo (--threads; default the machine's cores). */
  threads?: number;
  /** The output directory: a path, or `fundsim project`'s checked target (src/pipeline/output-target.ts). */
  out: string | OutputTarget;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ProjectResult {
  schemes: SchemeProjection[];
  draws: DrawsResult | null;
  /** Seconds the band's draws took (the Monte Carlo alone, without the variance decomposition). */
  drawsSeconds: number | null;
  /** Each source's share of the variance of the last year's months (with --draws). */
  variance: VarianceDecomposition | null;
  tornado: { central: { months: number; balanceFen: number }; bars: TornadoBar[] } | null;
  goalSeek: LeverSeekResult | null;
  /** With seeds > 1: the last year's months of reserve of each scheme on each seed's reference sample. */
  seedSpread: SeedSpread | null;
  files: string[];
  seconds: number;
}
