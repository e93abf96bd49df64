// The projection page's worker: the projection model (the esbuild bundle of src/model,
// data/projection-model.js) runs here, off the page's thread, on a city's reference sample
// (data/projection-sample-<city>.bin). Plain JavaScript with no static imports: the page passes the
// bundle's URL in the first message and the worker imports it.
//
// Messages in:   {type: "init", modelUrl}
//                {type: "load", city, sampleUrl, raw, finance, cohorts, baseYear, years}
//                (cohorts: the build's cohort cells and retirement rule of the city, as fundsim project has them)
//                {type: "project", id, city, params}       (only the newest pending one is computed)
//                {type: "seek", id, city, params, lever, target, year, band}
//                (band, for a target on the Monte Carlo band, else null: {kind: "percentile" |
//                "probability", level, draws, seed, dists, sampleUrls} — the population draws' files)
// Messages out:  {type: "loaded", city, persons, ms}  |  {type: "failed", city, message}
//                {type: "projected", id, city, paths, firstDeficitYear, firstExhaustedYear, ms}
//                {type: "progress", id, done, expected, x, months}
//                {type: "sought", id, city, result, check, ms, checkMs}
//                (check, for a band target with a value found: the band at the value — the
//                quantile sought, the share of draws below the target — and its draws)
//                {type: "error", id, message}

let model = null;
let queue = Promise.resolve();
const places = new Map(); // city → {policy, input, prep}
const drawSamples = new Map(); // city → the population draws (BaseSample[]), fetched on the first band seek
let latestProject = null;
let drainQueued = false;

function enqueue(task, id = null) {
  queue = queue.then(task).catch((error) => self.postMessage({type: "error", id, message: String(error?.stack ?? error)}));
}

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === "project") {
    // Edits can arrive faster than they compute: keep only the newest.
    latestProject = m;
    if (!drainQueued) {
      drainQueued = true;
      enqueue(() => {
        drainQueued = false;
        const run = latestProject;
        latestProject = null;
        if (run) project(run);
      });
    }
  } else if (m.type === "seek") enqueue(() => seek(m), m.id);
  else if (m.type === "init") enqueue(async () => (model = await import(m.modelUrl)));
  else if (m.type === "load") enqueue(() => load(m));
};

async function load(m) {
  if (places.has(m.city)) return;
  try {
    const t0 = performance.now();
    const response = await fetch(m.sampleUrl);
    if (!response.ok) throw new Error(`${m.sampleUrl}: HTTP ${response.status}`);
    const sample = model.baseSampleOf(model.decodeSample(await response.arrayBuffer()));
    const policy = model.compilePolicy(m.raw, `src/policies/${m.city}.yaml`);
    // The inputs of `fundsim project` on this sample: the reform against the baseline.
    const cohorts = m.cohorts ? {structure: Float64Array.from(m.cohorts.structure), rules: m.cohorts.rules} : {};
    const input = {sample, baseYear: m.baseYear, years: m.years, baseline: policy.baseline, finance: m.finance, ...cohorts};
    const prep = model.prepareProjection({...input, schemes: [policy.reform, policy.baseline]});
    places.set(m.city, {policy, input, prep});
    self.postMessage({type: "loaded", city: m.city, persons: sample.persons.count, ms: performance.now() - t0});
  } catch (error) {
    self.postMessage({type: "failed", city: m.city, message: String(error?.message ?? error)});
  }
}

function place(m) {
  const p = places.get(m.city);
  if (!p) throw new Error(`projection worker: ${m.city} is not loaded`);
  return p;
}

function project(m) {
  const t0 = performance.now();
  // The rows only: the schemes' full flows stay in the worker.
  const {schemes: _schemes, ...out} = model.pagePaths(place(m).prep, m.params);
  self.postMessage({type: "projected", id: m.id, city: m.city, ...out, ms: performance.now() - t0});
}

async function populationDraws(city, urls) {
  if (!drawSamples.has(city)) {
    const samples = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return model.baseSampleOf(model.decodeSample(await response.arrayBuffer()));
      })
    );
    drawSamples.set(city, samples);
  }
  return drawSamples.get(city);
}

async function seek(m) {
  const t0 = performance.now();
  const {policy, input} = place(m);
  // A band target: goalSeekLever runs the Monte Carlo (projectDraws) at each step, as
  // `fundsim project --goal-seek … --target-percentile` does, with the reader's assumptions.
  const band = m.band
    ? {kind: m.band.kind, level: m.band.level, assumptions: {params: m.params, dists: m.band.dists}, samples: await populationDraws(m.city, m.band.sampleUrls), draws: m.band.draws, seed: m.band.seed}
    : undefined;
  const result = model.goalSeekLever(policy, null, input, m.params, {lever: m.lever, target: m.target, year: m.year, band}, (done, expected, x, months) =>
    self.postMessage({type: "progress", id: m.id, done, expected, x, months})
  );
  const ms = performance.now() - t0;
  const check = band && result.scenario ? bandAt(policy, input, result, band) : null;
  self.postMessage({type: "sought", id: m.id, city: m.city, result, check, ms, checkMs: performance.now() - t0 - ms});
}

/** The band's months in the target year with the value found (the scenario goal-seek wrote): the
 *  quantile the target asks for and the share of draws below the target — the Monte Carlo of
 *  `fundsim project --draws` on the scenario, run to the target year. */
function bandAt(policy, input, result, band) {
  const t = result.year - input.baseYear;
  const scheme = model.schemeForScenario(policy, result.scenario, "goal-seek");
  const r = model.projectDraws({...input, reference: input.sample, years: t + 1, scheme, assumptions: band.assumptions, samples: band.samples, draws: band.draws, seed: band.seed});
  const months = r.draws.map((d) => d.monthsPath[t]);
  const q = band.kind === "percentile" ? band.level / 100 : band.level;
  return {quantile: model.quantile(months, q), shareBelow: months.filter((x) => x < result.target).length / months.length, draws: months.length};
}
