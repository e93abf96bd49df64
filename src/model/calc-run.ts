// `fundsim calc` without files or processes: one person-year's JSON text in, the command's result
// (exit code, standard output, standard error) out. The CLI (src/cli/calc.ts runCalc) reads policies
// and scenario files from disk; the calculator page passes policies compiled from their shipped data.
// Same steps, same messages: JSON (syntax, nesting: json-input.ts) → parseRequest → policy → scheme →
// coverageProblems → calculate; every message line escaped and cut (printable). On bad input the
// result also carries the problems structured and in both languages (`problems`), for the page.
import { calculate, coverageIssues } from "./calculator.ts";
import { type FieldProblem, fieldProblem, problemLine } from "./field-problems.ts";
import { deeperThan, jsonErrorText, MAX_DEPTH, printable } from "./json-input.ts";
import { type Policy, PolicyError, parseScenario, schemeForScenario } from "./policy.ts";
import type { Scenario } from "./policy-schema.ts";
import { parseRequest } from "./request.ts";
import type { CityId } from "./types.ts";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** On bad input (exit status 2): each problem by field, in Chinese and English (stderr's lines). */
  problems?: FieldProblem[];
}

export interface CalcSources {
  /** The valid city ids (the policy files found, or the page's policy data). */
  cities: readonly string[];
  /** The city's policy (throws PolicyError when it cannot be had). */
  policy(city: CityId): Policy;
  /** A scenario file named by path (throws PolicyError naming the file when it cannot be read). */
  scenarioFile(path: string): Scenario;
}

/** Exit status 2 with one line per problem, each escaped and cut (printable), as the CLI prints it. */
const fail = (problems: FieldProblem[]): CommandResult => ({
  code: 2,
  stdout: "",
  stderr: problems
    .map((p) => `fundsim calc: ${problemLine(p)}`)
    .join("\n")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => printable(l))
    .join(""),
  problems,
});

/** The JSON parser's complaint in Chinese: where it is, from the English text (jsonErrorText). */
function jsonErrorZh(text: string): string {
  const lc = /line (\d+) column (\d+)/.exec(text);
  const pos = /position (\d+)/.exec(text);
  const where = lc ? `（第 ${lc[1]} 行第 ${lc[2]} 列）` : pos ? `（第 ${Number(pos[1]) + 1} 个字符处）` : "";
  return `不是有效的JSON${/^Unexpected end/.test(text) ? "：内容不完整" : ""}${where}`;
}


export function runCalcWith(inputText: string, sources: CalcSources): CommandResult {
  let json: unknown;
  try {
    json = JSON.parse(inputText);
  } catch (e) {
    const text = jsonErrorText(e);
    return fail([fieldProblem("(input)", `not valid JSON: ${text}`, jsonErrorZh(text))]);
  }
  // Before anything walks the request: a value nested thousands deep would exhaust a stack.
  if (deeperThan(json)) return fail([fieldProblem("(input)", `nested deeper than ${MAX_DEPTH} levels`, `嵌套超过 ${MAX_DEPTH} 层`)]);
  const parsed = parseRequest(json, { cities: sources.cities });
  if (!parsed.ok) return fail(parsed.issues);
  const req = parsed.value;
  try {
    const policy = sources.policy(req.city);
    const sc = req.scenario;
    const scheme =
      sc.kind === "named"
        ? policy[sc.name]
        : sc.kind === "file"
          ? schemeForScenario(policy, sources.scenarioFile(sc.path), sc.path)
          : schemeForScenario(policy, parseScenario(sc.scenario, "scenario"), "scenario");
    const problems = coverageIssues(scheme, req, policy.name);
    if (problems.length) return fail(problems);
    return { code: 0, stdout: JSON.stringify(calculate(scheme, req), null, 2) + "\n", stderr: "" };
  } catch (e) {
    // A policy's or a scenario's own problems: their text is the policy checker's (English only).
    if (e instanceof PolicyError) {
      const source = req.scenario.kind === "named" ? e.source : "scenario";
      const whole = req.scenario.kind === "named" || e.source === "scenario";
      return fail(e.problems.map((p, k) => policyProblem(source, whole ? p : `${e.source}: ${p}`, whole ? e.problemsZh[k] : `${e.source}：${e.problemsZh[k]}`)));
    }
    throw e;
  }
}

/** A policy's or scenario's problem line ("source: text") as a field problem: the field is the
 *  source; the English is the line as the command line prints it, the Chinese the same problem's. */
function policyProblem(source: string, text: string, zh: string): FieldProblem {
  return fieldProblem(source, text, `${source === "scenario" ? "情景" : "政策文件"}有误：${zh}`);
}
