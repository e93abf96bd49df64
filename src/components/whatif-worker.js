// The what-if page's worker: the rules (the esbuild bundle of src/model, data/fundsim-model.js) run
// here, off the page's thread. Plain JavaScript with no static imports: the page passes the bundle's
// URL in the first message and the worker imports it.
//
// Messages in:   {type: "init", modelUrl}
//                {type: "load", key, city, year, sampleUrl, raw, finance}
//                {type: "run", id, key, scenario}        (only the newest pending run is computed)
// Messages out:  {type: "loaded", key, reform, bytes, ms}  |  {type: "failed", key, message}
//                {type: "result", id, key, result, ms}  |  {type: "result", id, key, problems}

let model = null;
let queue = Promise.resolve();
const places = new Map(); // key → {policy, prep}
let latestRun = null;
let drainQueued = false;

function enqueue(task) {
  queue = queue.then(task).catch((error) => self.postMessage({type: "error", message: String(error?.stack ?? error)}));
}

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === "run") {
    // Slider moves arrive faster than they compute: keep only the newest.
    m.arrived = performance.timeOrigin + performance.now();
    latestRun = m;
    if (!drainQueued) {
      drainQueued = true;
      enqueue(async () => {
        drainQueued = false;
        const run = latestRun;
        latestRun = null;
        if (run) await doRun(run);
      });
    }
  } else if (m.type === "init") enqueue(() => init(m));
  else if (m.type === "load") enqueue(() => load(m));
};

async function init(m) {
  model = await import(m.modelUrl);
}

async function load(m) {
  if (places.has(m.key)) return;
  try {
    const t0 = performance.now();
    const response = await fetch(m.sampleUrl);
    if (!response.ok) throw new Error(`${m.sampleUrl}: HTTP ${response.status}`);
    const buffer = await response.arrayBuffer();
    const t1 = performance.now();
    const sample = model.decodeSample(buffer);
    const policy = model.compilePolicy(m.raw, `src/policies/${m.city}.yaml`);
    const t2 = performance.now();
    const prep = model.prepareWhatIf(sample, policy.baseline, m.finance);
    const reform = model.evaluateWhatIf(prep, policy.reform);
    const t3 = performance.now();
    places.set(m.key, {policy, prep});
    self.postMessage({
      type: "loaded",
      key: m.key,
      reform,
      bytes: buffer.byteLength,
      ms: {fetch: t1 - t0, decode: t2 - t1, prepare: t3 - t2}
    });
  } catch (error) {
    self.postMessage({type: "failed", key: m.key, message: String(error?.message ?? error)});
  }
}

async function doRun(m) {
  const place = places.get(m.key);
  if (!place) {
    self.postMessage({type: "result", id: m.id, key: m.key, problems: [`${m.key} is not loaded`]});
    return;
  }
  const t0 = performance.now();
  let scheme;
  try {
    const scenario = model.parseScenario(m.scenario, "scenario");
    scheme = model.schemeForScenario(place.policy, scenario, "scenario");
  } catch (error) {
    if (error instanceof model.PolicyError) {
      self.postMessage({type: "result", id: m.id, key: m.key, problems: error.problems, problemsZh: error.problemsZh});
      return;
    }
    throw error;
  }
  const t1 = performance.now();
  const result = model.evaluateWhatIf(place.prep, scheme);
  const start = performance.timeOrigin + t0;
  self.postMessage({
    type: "result",
    id: m.id,
    key: m.key,
    result,
    // transit: page → worker; queued: waiting behind earlier work; then the computation itself.
    ms: {transit: m.arrived - m.postedAt, queued: start - m.arrived, scheme: t1 - t0, ...result.ms, total: performance.now() - t0}
  });
}
