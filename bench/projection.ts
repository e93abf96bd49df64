// Projection speed (issue 7): the deterministic ten-year projection of a city, and the Monte Carlo
// of 1 000 draws × 10 years for one city (goal: under a minute on 2 cores; it uses one thread).
import { pathToFileURL } from "node:url";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { projectDraws } from "../src/model/projection/monte-carlo.ts";
import { prepareProjection, projectScheme } from "../src/model/projection/project.ts";
import { tornadoByRatio } from "../src/model/projection/tornado.ts";
import type { BaseSample } from "../src/model/projection/year-sample.ts";

export async function benchProjection(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const city = "lanzhou";
  const policy = loadPolicy(city);
  const { finance } = loadFinance(city);
  const a = loadAssumptions(city);
  const model = cityModel(city, 2023);
  const sample = (seed: number, n: number): BaseSample => {
    const { persons, claims } = generateChunk(model, seed, 0, n);
    return { persons, claims, ids: persons.id };
  };
  const REF = 20_000, SMALL = 1_000, SAMPLES = 10, DRAWS = 1_000, YEARS = 10;
  const reference = sample(1, REF);
  const base = { baseYear: 2023, years: YEARS, baseline: policy.baseline, finance };

  let t = performance.now();
  const prep = prepareProjection({ ...base, sample: reference, schemes: [policy.reform, policy.baseline] });
  projectScheme(prep, a.params, 0);
  projectScheme(prep, a.params, 1);
  const det = (performance.now() - t) / 1000;

  t = performance.now();
  const samples = Array.from({ length: SAMPLES }, (_, i) => sample(2 + i, SMALL));
  const r = projectDraws({ ...base, reference, samples, scheme: policy.reform, assumptions: a, draws: DRAWS, seed: 1 });
  const mc = (performance.now() - t) / 1000;

  t = performance.now();
  tornadoByRatio(prepareProjection({ ...base, sample: reference, schemes: [policy.reform] }), samples.slice(0, 3).map((s) => prepareProjection({ ...base, sample: s, schemes: [policy.reform] })), a);
  const tor = (performance.now() - t) / 1000;
  const last = r.bands[YEARS - 1];
  return [
    { name: "projection: 10 years, reform and baseline, one city", value: det, unit: "s", note: `${REF.toLocaleString("en")}-person reference sample (lanzhou), one thread` },
    {
      name: "projection: Monte Carlo 1 000 draws × 10 years, one city",
      value: mc,
      unit: "s",
      note: `goal < 60 s on 2 cores; one thread; ${SAMPLES} population draws of ${SMALL.toLocaleString("en")} persons; months in ${last.year}: p5 ${last.monthsP5.toFixed(1)}, p50 ${last.monthsP50.toFixed(1)}, p95 ${last.monthsP95.toFixed(1)}`,
    },
    { name: "projection: Monte Carlo, per draw", value: (mc / DRAWS) * 1000, unit: "ms", note: "10 adjudicated years of a 1 000-person sample" },
    { name: "projection: tornado (12 parameters × 2 ends × 3 population draws)", value: tor, unit: "s" },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchProjection()) console.log(`${r.name}: ${r.value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
}
