// `fundsim calc` without files or processes: one person-year's JSON text in, the command's result
// (exit code, standard output, standard error) out. The CLI (src/cli/calc.ts runCalc) reads policies
// and scenario files from disk; the calculator page passes policies compiled from their shipped data.
// Same steps, same messages: JSON (syntax, nesting: json-input.ts) → parseRequest → policy → scheme →
// coverageProblems → calculate; every message line escaped and cut (printable).
import { calculate, coverageProblems } from "./calculator.ts";
import { deeperThan, jsonErrorText, MAX_DEPTH, printable } from "./json-input.ts";
import { type Policy, PolicyError, parseScenario, type Scheme, schemeForScenario } from "./policy.ts";
import type { Scenario } from "./policy-schema.ts";
import { parseRequest } from "./request.ts";
import type { CityId } from "./types.ts";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CalcSources {
  /** The city's policy (throws PolicyError when it cannot be had). */
  policy(city: CityId): Policy;
  /** A scenario file named by path (throws PolicyError naming the file when it cannot be read). */
  scenarioFile(path: string): Scenario;
}

/** Exit status 2 with one line per problem, each escaped and cut (printable), as the CLI prints it. */
const fail = (problems: string[]): CommandResult => ({
  code: 2,
  stdout: "",
  stderr: problems
    .map((p) => `fundsim calc: ${p}`)
    .join("\n")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => printable(l))
    .join(""),
});

/** The scheme a scenario names, checked against the policy's city (as loaders/policies.ts resolveScheme). */
function resolve(policy: Policy, scenario: Scenario, source: string): Scheme {
  if (scenario.city && scenario.city !== policy.city) throw new PolicyError([`city: the scenario is for ${scenario.city}, not ${policy.city}`], source);
  return schemeForScenario(policy, scenario, source);
}

export function runCalcWith(inputText: string, sources: CalcSources): CommandResult {
  let json: unknown;
  try {
    json = JSON.parse(inputText);
  } catch (e) {
    return fail([`(input): not valid JSON: ${jsonErrorText(e)}`]);
  }
  // Before anything walks the request: a value nested thousands deep would exhaust a stack.
  if (deeperThan(json)) return fail([`(input): nested deeper than ${MAX_DEPTH} levels`]);
  const parsed = parseRequest(json);
  if (!parsed.ok) return fail(parsed.problems);
  const req = parsed.value;
  try {
    const policy = sources.policy(req.city);
    const sc = req.scenario;
    const scheme =
      sc.kind === "named"
        ? policy[sc.name]
        : sc.kind === "file"
          ? resolve(policy, sources.scenarioFile(sc.path), sc.path)
          : resolve(policy, parseScenario(sc.scenario, "scenario"), "scenario");
    const problems = coverageProblems(scheme, req, policy.name.en);
    if (problems.length) return fail(problems);
    return { code: 0, stdout: JSON.stringify(calculate(scheme, req), null, 2) + "\n", stderr: "" };
  } catch (e) {
    if (e instanceof PolicyError) return fail(e.problems.map((p) => (req.scenario.kind === "named" ? `${e.source}: ${p}` : `scenario: ${e.source === "scenario" ? "" : `${e.source}: `}${p}`)));
    throw e;
  }
}
