// The run of one projection (`fundsim project`, issue 7): the central projection of the scenario and
// the baseline, the seed-to-seed spread (--seeds), the Monte Carlo band with its variance by source
// and the tornado (--draws), the goal-seek (--goal-seek), all inside the output's temporary
// directory (src/pipeline/output-dir.ts) so that the files appear only when the run is complete.
// The command that parses the options is src/cli/project.ts; the files written, src/cli/project-output.ts.
import { availableParallelism } from "node:os";
import { writeAtomically } from "../pipeline/output-dir.ts";
import { loadAssumptions } from "../loaders/assumptions.ts";
import { loadFinance } from "../loaders/finance.ts";
import { loadPolicy, resolveScheme } from "../loaders/policies.ts";
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import { goalSeekLever } from "../model/projection/goal-seek.ts";
import { decompose, drawContext, type DrawsResult, type VarianceDecomposition } from "../model/projection/monte-carlo.ts";
import { prepareProjection } from "../model/projection/project.ts";
import { tornadoByRatio } from "../model/projection/tornado.ts";
import { startCentral } from "./project-central.ts";
import { type DrawsJob, projectDrawsParallel, sampleOf } from "./project-draws.ts";
import type { ProjectOptions, ProjectResult } from "./project-options.ts";
import { writeOutputs } from "./project-output.ts";
import { seedSpread } from "./project-seeds.ts";

export async function runProjection(o: ProjectOptions): Promise<ProjectResult> {
  // The temporary output directory exists from the start (an unwritable --out fails before the work).
  return writeAtomically(typeof o.out === "string" ? { out: o.out, command: "project" } : o.out, async (tmp) => {
    const t0 = performance.now();
    // A large reference sample: generated on both threads, then the baseline on the second one, started
    // first so that it loads while this thread reads the run's files; it is then sent this thread's
    // prepared projection (the same sample and paths as one thread).
    const central = startCentral({
      city: o.city, scenario: o.scenario, scenarioSource: o.scenarioSource, assumptionsFile: o.assumptionsFile, baseYear: o.baseYear, years: o.years, persons: o.persons, seed: o.seed,
    }, o.threads ?? availableParallelism());
    const policy = loadPolicy(o.city);
    const scenario = o.scenario ? resolveScheme(policy, o.scenario, o.scenarioSource ?? "scenario") : policy.reform;
    const { finance } = loadFinance(o.city);
    const a = loadAssumptions(o.city, { file: o.assumptionsFile });
    const reference = await central.sample();
    const base = { sample: reference, baseYear: o.baseYear, years: o.years, baseline: policy.baseline, finance, ...cityCohorts(o.city, o.baseYear, finance.insured) };
    const prep = prepareProjection({ ...base, schemes: [scenario, policy.baseline] });
    const schemes = await central.schemes(prep, a.params);
    o.onProgress?.("projection", 2, 2);
    const spread = (o.seeds ?? 1) > 1
      ? seedSpread(
          { city: o.city, baseYear: o.baseYear, years: o.years, persons: o.persons, seed: o.seed, seeds: o.seeds!, schemes: [scenario, policy.baseline], baseline: policy.baseline, finance, params: a.params },
          schemes, (d, t) => o.onProgress?.("seeds", d, t),
        )
      : null;

    let draws: DrawsResult | null = null;
    let variance: VarianceDecomposition | null = null;
    let drawsSeconds: number | null = null;
    let tornado: ProjectResult["tornado"] = null;
    if (o.draws > 0) {
      const samples = Array.from({ length: o.samples }, (_, i) => sampleOf(o.city, o.baseYear, o.seed + 1 + i, o.samplePersons));
      const drawsInput = {
        reference, samples, baseYear: o.baseYear, years: o.years, scheme: scenario, baseline: policy.baseline, finance, assumptions: a, draws: o.draws, seed: o.seed,
        sources: o.sources, structure: base.structure, rules: base.rules,
      };
      // On every core (--threads): the main thread's share and the workers'; the same draws as one thread.
      const job: DrawsJob = {
        city: o.city, scenario: o.scenario, scenarioSource: o.scenarioSource, assumptionsFile: o.assumptionsFile, baseYear: o.baseYear, years: o.years,
        persons: o.persons, samples: o.samples, samplePersons: o.samplePersons, seed: o.seed, draws: o.draws, sources: o.sources,
      };
      const ctx = drawContext(drawsInput);
      const tDraws = performance.now();
      draws = await projectDrawsParallel(job, { threads: o.threads, ctx, onProgress: (d, t) => o.onProgress?.("draws", d, t) });
      drawsSeconds = (performance.now() - tDraws) / 1000;
      // Each source's share of the band's variance: the draws again with each source alone.
      const alone = [];
      for (const source of draws.sources) {
        alone.push({ source, run: await projectDrawsParallel({ ...job, sources: [source] }, { threads: o.threads, onProgress: (d, t) => o.onProgress?.(`variance: ${source}`, d, t) }) });
      }
      variance = decompose(draws, alone, o.baseYear + o.years - 1, o.years - 1);
      const preps = samples.slice(0, 3).map((sample) => prepareProjection({ ...base, sample, schemes: [scenario] }));
      const refPrep = prepareProjection({ ...base, schemes: [scenario] });
      tornado = tornadoByRatio(refPrep, preps, a);
    }

    // A band target: the Monte Carlo's draws (at least 1, of the population samples) in each step.
    const goal = o.goalSeek && o.bandTarget
      ? {
          ...o.goalSeek,
          band: {
            ...o.bandTarget, assumptions: a, draws: Math.max(1, o.draws || 200), seed: o.seed, sources: o.sources,
            samples: Array.from({ length: o.samples }, (_, i) => sampleOf(o.city, o.baseYear, o.seed + 1 + i, o.samplePersons)),
          },
        }
      : o.goalSeek;
    const seek = goal ? goalSeekLever(policy, o.scenario, base, a.params, goal, (done, total) => o.onProgress?.("goal-seek", done, total)) : null;

    const files = await writeOutputs(tmp, o, { schemes, draws, drawsSeconds, variance, tornado, seek, spread, rows: a.rows, prices: { baseline: prep.pBase, scenario: prep.prices[0] } }, t0);
    return { schemes, draws, drawsSeconds, variance, tornado, goalSeek: seek, seedSpread: spread, files, seconds: (performance.now() - t0) / 1000 };
  });
}
