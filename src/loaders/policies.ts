// Reading the policy files from disk (Node only). Errors name the file, the line and the path
// (src/loaders/yaml-file.ts). Which cities exist, and where each one's files are: src/loaders/cities.ts.
import { compilePolicy, type Policy, PolicyError, parseScenario, schemeForScenario, type Scheme } from "../model/policy.ts";
import { type Scenario, scenarioSchema } from "../model/policy-schema.ts";
import type { CityId } from "../model/types.ts";
import { cityEntry, cityRegistry } from "./cities.ts";
import type { FileKind } from "./read-input.ts";
import { fileDisplayName, readChecked } from "./yaml-file.ts";

export { fileDisplayName } from "./yaml-file.ts";

const cache = new Map<string, Policy>();

export function loadPolicyFile(file: string): Policy {
  return readChecked(file, compilePolicy);
}

/** A city's compiled rules (cached by file, so a test's temporary city never meets another's). */
export function loadPolicy(city: CityId): Policy {
  const file = cityEntry(city).files.policy;
  let p = cache.get(file);
  if (!p) {
    p = loadPolicyFile(file);
    if (p.city !== city) throw new PolicyError([`city: must be "${city}", the file's name, got "${p.city}"`], fileDisplayName(file));
    cache.set(file, p);
  }
  return p;
}

/** Every city's rules, in list order. */
export function loadAllPolicies(): Policy[] {
  return cityRegistry().map((c) => loadPolicy(c.id));
}

/** Read a scenario file (YAML or JSON). */
export function loadScenarioFile(file: string): Scenario {
  return readChecked(file, parseScenario, SCENARIO_FILE);
}

/** What a scenario file is: a mapping with some of the scenario keys (an empty file is refused). */
export const SCENARIO_FILE: FileKind = { kind: "a scenario file", keys: Object.keys(scenarioSchema.shape), allowEmpty: false };

/** The scheme a `scenario` argument names: "reform", "baseline", a scenario object or file. */
export function resolveScheme(policy: Policy, scenario: "reform" | "baseline" | Scenario, source = "scenario"): Scheme {
  if (scenario === "reform" || scenario === "baseline") return policy[scenario];
  return schemeForScenario(policy, scenario, source);
}
