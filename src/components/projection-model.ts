// The entry of the projection page's browser bundle (src/data/projection-model.js.ts bundles it
// with esbuild into one ES module, separate from the what-if page's): the projection worker
// (src/components/projection-worker.js) imports it by URL. Everything here is src/model — the same
// code `fundsim project` and the page's build run.
export { compilePolicy, PolicyError, schemeForScenario } from "../model/policy.ts";
export { decodeSample } from "../model/sample-codec.ts";
export { baseSampleOf } from "../model/projection/year-sample.ts";
export { prepareProjection } from "../model/projection/project.ts";
export { goalSeekLever, LEVER_IDS, LEVERS } from "../model/projection/goal-seek.ts";
// The band at a goal-seek's value (its Monte Carlo, as `fundsim project --draws` runs it).
export { projectDraws, quantile } from "../model/projection/monte-carlo.ts";
export { pagePaths } from "../model/projection/rows.ts";
// The assumptions' ranges (the editor imports the same module as ../model/assumption-ranges.js).
export { ASSUMPTION_RANGES, clampToRange, displayRange, inRange, rangeText } from "../model/assumption-ranges.ts";
