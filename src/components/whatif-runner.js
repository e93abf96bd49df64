// The page's side of the what-if worker: loads a city-year's sample once, then turns each scenario
// into a promise of its result. Runs superseded by a newer one before the worker reached them
// resolve with the newer result (the worker computes only the newest), so a cell awaiting any of
// them always gets the latest figures.
//
//   const runner = new WhatIfRunner({workerUrl, modelUrl, sampleUrl: (city, year) => href, policies});
//   const out = await runner.run({city, year, scenario});
//   out.ok ? out.result : out.problems      out.reform: the reform as written, same sample
export class WhatIfRunner {
  constructor({workerUrl, modelUrl, sampleUrl, policies}) {
    this.sampleUrl = sampleUrl;
    this.policies = policies;
    this.worker = new Worker(workerUrl, {type: "module"});
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => console.error("what-if worker:", e.message ?? e);
    this.worker.postMessage({type: "init", modelUrl: new URL(modelUrl, location.href).href});
    this.loads = new Map(); // key → {promise, resolve, reject, value}
    this.waiting = new Map(); // run id → resolve
    this.requested = 0;
    this.completed = 0;
    this.last = new Map(); // key → last good result
  }

  static key(city, year) {
    return `${city}-${year}`;
  }

  /** Load a city-year (once): resolves with {reform, bytes, ms}. */
  load(city, year) {
    const key = WhatIfRunner.key(city, year);
    let entry = this.loads.get(key);
    if (!entry) {
      entry = {};
      entry.promise = new Promise((resolve, reject) => Object.assign(entry, {resolve, reject}));
      this.loads.set(key, entry);
      const c = this.policies.cities.find((x) => x.city === city);
      this.worker.postMessage({
        type: "load",
        key,
        city,
        year,
        sampleUrl: new URL(this.sampleUrl(city, year), location.href).href,
        raw: c.raw,
        finance: c.finance
      });
    }
    return entry.promise;
  }

  /** Evaluate a scenario on a city-year's sample. */
  async run({city, year, scenario}) {
    const id = ++this.requested;
    this.timing = {id, called: performance.now()};
    const key = WhatIfRunner.key(city, year);
    const loaded = await this.load(city, year);
    const out = await new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.timing.posted = performance.now();
      this.worker.postMessage({type: "run", id, key, scenario, postedAt: performance.timeOrigin + performance.now()});
    });
    return {...out, reform: loaded.reform, loaded};
  }

  receive(m) {
    if (m.type === "loaded" || m.type === "failed") {
      const entry = this.loads.get(m.key);
      if (m.type === "loaded") (entry.value = m), entry.resolve(m);
      else {
        this.loads.delete(m.key);
        entry.reject(new Error(m.message));
      }
    } else if (m.type === "result") {
      if (this.timing) Object.assign(this.timing, {received: performance.now(), worker: m.ms});
      const out = m.problems
        ? {ok: false, id: m.id, key: m.key, problems: m.problems, problemsZh: m.problemsZh, last: this.last.get(m.key) ?? null}
        : {ok: true, id: m.id, key: m.key, result: m.result, ms: m.ms};
      if (out.ok) this.last.set(m.key, out);
      this.completed = Math.max(this.completed, m.id);
      for (const [id, resolve] of this.waiting) {
        if (id <= m.id) {
          this.waiting.delete(id);
          resolve(out);
        }
      }
    } else if (m.type === "error") {
      // An unexpected failure in the worker: every waiting run gets the message.
      console.error("what-if worker:", m.message);
      for (const [id, resolve] of this.waiting) {
        this.waiting.delete(id);
        resolve({ok: false, id, key: null, problems: [m.message.split("\n")[0]], last: null});
      }
    }
  }

  terminate() {
    this.worker.terminate();
  }
}
