// Projection speed (issues 7 and 13): the deterministic ten-year projection of a city at the
// command line's default reference sample and at 1 M persons (goal: under 30 s), and the Monte Carlo
// of 1 000 draws × 10 years for one city on both cores (goal: under a minute on 2 cores), on the
// command line's own path (cohort cells from the city's model, draws split over worker threads).
import { pathToFileURL } from "node:url";
import { centralInputOf, startCentral } from "../src/cli/project-central.ts";
import { projectDrawsParallel, sampleOf } from "../src/cli/project-draws.ts";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { cityCohorts } from "../src/loaders/projection-cohorts.ts";
import { prepareProjection, projectScheme } from "../src/model/projection/project.ts";
import { tornadoByRatio } from "../src/model/projection/tornado.ts";

export async function benchProjection(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const REF = a.referencePersons, BIG = 1_000_000, SMALL = 1_000, SAMPLES = 10, DRAWS = 1_000, YEARS = 10;
  const base = { baseYear: 2023, years: YEARS, baseline: policy.baseline, finance, ...cityCohorts(city, 2023, finance.insured) };
  const central = (persons: number) => {
    const t = performance.now();
    const prep = prepareProjection({ ...base, sample: sampleOf(city, 2023, 1, persons), schemes: [policy.reform, policy.baseline] });
    projectScheme(prep, a.params, 0);
    projectScheme(prep, a.params, 1);
    return (performance.now() - t) / 1000;
  };
  const det = central(REF);
  // 1 M persons as `fundsim project --persons 1000000` runs it: the sample generated on both
  // threads, then the baseline on the second.
  let t = performance.now();
  const job = { city, scenario: null, baseYear: 2023, years: YEARS, persons: BIG, seed: 1 } as const;
  const run = startCentral(job, 2);
  const bigInput = centralInputOf(job, await run.sample());
  await run.schemes(bigInput.prep, bigInput.params);
  const big = (performance.now() - t) / 1000;

  t = performance.now();
  const r = await projectDrawsParallel({ city, scenario: null, baseYear: 2023, years: YEARS, persons: REF, samples: SAMPLES, samplePersons: SMALL, seed: 1, draws: DRAWS });
  const mc = (performance.now() - t) / 1000;

  t = performance.now();
  const samples = Array.from({ length: 3 }, (_, i) => sampleOf(city, 2023, 2 + i, SMALL));
  tornadoByRatio(prepareProjection({ ...base, sample: sampleOf(city, 2023, 1, REF), schemes: [policy.reform] }), samples.map((s) => prepareProjection({ ...base, sample: s, schemes: [policy.reform] })), a);
  const tor = (performance.now() - t) / 1000;
  const last = r.bands[YEARS - 1];
  return [
    { name: "projection: 10 years, reform and baseline, one city", value: det, unit: "s", note: `${REF.toLocaleString("en")}-person reference sample (lanzhou, the default), cohort cells, generation included, one thread` },
    { name: "projection: 10 years, reform and baseline, 1 M persons", value: big, unit: "s", note: "goal < 30 s; generation of the 1 M persons included (on both threads); the baseline on a second thread (fundsim project's path)" },
    {
      name: "projection: Monte Carlo 1 000 draws × 10 years, one city",
      value: mc,
      unit: "s",
      note: `goal < 60 s on 2 cores; both cores (worker threads); ${SAMPLES} population draws of ${SMALL.toLocaleString("en")} persons; months in ${last.year}: p5 ${last.monthsP5.toFixed(1)}, p50 ${last.monthsP50.toFixed(1)}, p95 ${last.monthsP95.toFixed(1)}`,
    },
    { name: "projection: Monte Carlo, per draw", value: (mc / DRAWS) * 1000, unit: "ms", note: "10 adjudicated years of a 1 000-person sample, wall time on 2 cores" },
    { name: "projection: tornado (parameters × 2 ends × 3 population draws)", value: tor, unit: "s" },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchProjection()) console.log(`${r.name}: ${r.value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
}
