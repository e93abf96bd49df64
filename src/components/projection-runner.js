// The projection page's side of its worker (projection-worker.js): loads a city's sample once, then
// turns edited assumptions into a promise of the recomputed paths, and a goal-seek into a promise of
// its result. Projections superseded by a newer one before the worker reached them resolve with the
// newer result (the worker computes only the newest), so a cell awaiting any of them gets the
// latest figures.
//
//   const runner = new ProjectionRunner({workerUrl, modelUrl, sampleUrl: (city) => href, policies, baseYear, years});
//   const out = await runner.project(city, params);     // {ok, id, paths, firstDeficitYear, …, ms}
//   const s = await runner.seek(city, {params, lever, target, year, band}, (p) => …);   // {ok, result, check, ms, checkMs}
//   (band: null for the central path, or {kind, level, draws, seed, dists} for a target on the
//   Monte Carlo band; the worker fetches the city's population draws, drawUrls(city), once)
export class ProjectionRunner {
  /** cohorts(city): the build's cohort cells and retirement rule of the city (projection.json), so the
   *  worker re-weights the sample as fundsim project does. */
  constructor({workerUrl, modelUrl, sampleUrl, drawUrls, policies, baseYear, years, cohorts}) {
    Object.assign(this, {sampleUrl, drawUrls, policies, baseYear, years, cohorts});
    this.worker = new Worker(workerUrl, {type: "module"});
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => console.error("projection worker:", e.message ?? e);
    this.worker.postMessage({type: "init", modelUrl: new URL(modelUrl, location.href).href});
    this.loads = new Map(); // city → {promise, resolve, reject}
    this.projecting = new Map(); // id → resolve
    this.seeking = new Map(); // id → {resolve, onProgress}
    this.requested = 0; // the newest projection asked for
    this.completed = 0; // the newest projection received
    this.seekId = 0;
  }

  /** Load a city's sample and prepare its projection (once): resolves with {persons, ms}. */
  load(city) {
    let entry = this.loads.get(city);
    if (!entry) {
      entry = {};
      entry.promise = new Promise((resolve, reject) => Object.assign(entry, {resolve, reject}));
      this.loads.set(city, entry);
      const c = this.policies.cities.find((x) => x.city === city);
      this.worker.postMessage({
        type: "load",
        city,
        sampleUrl: new URL(this.sampleUrl(city), location.href).href,
        raw: c.raw,
        finance: c.finance,
        cohorts: this.cohorts?.(city) ?? null,
        baseYear: this.baseYear,
        years: this.years
      });
    }
    return entry.promise;
  }

  /** The reform's and the baseline's paths under `params` (on the city's sample). */
  async project(city, params) {
    const id = ++this.requested;
    await this.load(city);
    return new Promise((resolve) => {
      this.projecting.set(id, resolve);
      this.worker.postMessage({type: "project", id, city, params});
    });
  }

  /** Goal-seek of a lever under `params` (on the central path, or with `band` on the Monte Carlo
   *  band); onProgress({done, expected, x, months}) per evaluation. */
  async seek(city, {params, lever, target, year, band = null}, onProgress) {
    const id = `seek-${++this.seekId}`;
    await this.load(city);
    const b = band && {...band, sampleUrls: this.drawUrls(city).map((u) => new URL(u, location.href).href)};
    return new Promise((resolve) => {
      this.seeking.set(id, {resolve, onProgress});
      this.worker.postMessage({type: "seek", id, city, params, lever, target, year, band: b});
    });
  }

  receive(m) {
    if (m.type === "loaded" || m.type === "failed") {
      const entry = this.loads.get(m.city);
      if (m.type === "loaded") entry.resolve(m);
      else {
        this.loads.delete(m.city);
        entry.reject(new Error(m.message));
      }
    } else if (m.type === "projected") {
      this.completed = Math.max(this.completed, m.id);
      const out = {ok: true, ...m};
      for (const [id, resolve] of this.projecting) {
        if (id <= m.id) {
          this.projecting.delete(id);
          resolve(out);
        }
      }
    } else if (m.type === "progress") {
      this.seeking.get(m.id)?.onProgress?.(m);
    } else if (m.type === "sought") {
      const s = this.seeking.get(m.id);
      this.seeking.delete(m.id);
      s?.resolve({ok: true, result: m.result, check: m.check, ms: m.ms, checkMs: m.checkMs});
    } else if (m.type === "error") {
      // An unexpected failure in the worker: whoever waits gets the message.
      console.error("projection worker:", m.message);
      const problem = m.message.split("\n")[0];
      const s = m.id !== null ? this.seeking.get(m.id) : null;
      if (s) {
        this.seeking.delete(m.id);
        s.resolve({ok: false, problem});
      } else {
        for (const [id, resolve] of this.projecting) {
          this.projecting.delete(id);
          resolve({ok: false, id, problem});
        }
      }
    }
  }

  terminate() {
    this.worker.terminate();
  }
}
