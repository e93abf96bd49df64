// The entry of the browser bundle of the rules (src/data/fundsim-model.js.ts bundles it with esbuild
// into one ES module: the what-if worker and the calculator page import that file). Everything here
// is src/model — the same code the CLI and the pipeline run.
export { compilePolicy, parseScenario, PolicyError, rulesAt, schemeForScenario } from "../model/policy.ts";
export { parseRequest } from "../model/request.ts";
export { calculate, coverageProblems } from "../model/calculator.ts";
export { runCalcWith } from "../model/calc-run.ts";
export { addChunk, emptyFlows, monthsOfReserve } from "../model/fund.ts";
export { openingBalances, runChunk } from "../model/engine.ts";
export { formatBp, formatFen, parsePercent, parseYuan } from "../model/money.ts";
export { BENEFITS, EXCLUSIONS, KINDS, LEVELS, SETTINGS, AREAS, STATUSES, DISEASES } from "../model/types.ts";
export { decodeSample } from "../model/sample-codec.ts";
export { evaluateWhatIf, prepareWhatIf } from "../model/whatif.ts";
export { scenarioFromEdits, scenarioValue, tunableValue, WHATIF_REF } from "../model/scenario-edits.ts";
export { decodeScenarioParam, encodeScenarioParam } from "../model/scenario-url.ts";
