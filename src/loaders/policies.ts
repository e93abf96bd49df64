// Reading the policy files from disk (Node only). Errors name the file, the line and the path,
// the way a compiler would: `src/policies/jinan.yaml:42:9: reform.caps.general: expected …`.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, isNode } from "yaml";
import { compilePolicy, type Policy, PolicyError, parseScenario, schemeForScenario, type Scheme } from "../model/policy.ts";
import type { Scenario } from "../model/policy-schema.ts";
import { CITIES, type CityId } from "../model/types.ts";

export const POLICY_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "policies");

const cache = new Map<string, Policy>();

/** Parse YAML text; on failure throw PolicyError with line:col. Returns the value and a locator. */
export function parseYamlWithLines(text: string, file: string): { value: unknown; locate: (path: string) => string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new PolicyError(
      doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return `${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`;
      }),
      file,
    );
  }
  const locate = (path: string): string => {
    const keys = path.split(".").filter((k) => k !== "" && k !== "(top)");
    // Walk down as far as the document goes, so an unknown key points at its parent.
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k)), true);
      if (isNode(node) && node.range) {
        const p = lc.linePos(node.range[0]);
        return `${p.line}:${p.col}`;
      }
    }
    return "";
  };
  return { value: doc.toJS({ maxAliasCount: 1000 }), locate };
}

/** Re-throw a PolicyError with each problem prefixed by its line in the file. */
function withLines(e: unknown, locate: (path: string) => string, file: string): never {
  if (e instanceof PolicyError) {
    throw new PolicyError(
      e.problems.map((p) => {
        const path = p.split(":")[0];
        const at = locate(path);
        return at ? `${at}: ${p}` : p;
      }),
      file,
    );
  }
  throw e;
}

/** Read a YAML (or JSON) file and validate it with `check`; problems carry file:line:col. */
export function readChecked<T>(file: string, check: (value: unknown, display: string) => T): T {
  const display = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyError([`cannot read: ${(e as Error).message}`], display);
  }
  const { value, locate } = parseYamlWithLines(text, display);
  try {
    return check(value, display);
  } catch (e) {
    withLines(e, locate, display);
  }
}

export function loadPolicyFile(file: string): Policy {
  return readChecked(file, compilePolicy);
}

export function loadPolicy(city: CityId): Policy {
  let p = cache.get(city);
  if (!p) {
    p = loadPolicyFile(join(POLICY_DIR, `${city}.yaml`));
    if (p.city !== city) throw new PolicyError([`city: the file says "${p.city}"`], `${city}.yaml`);
    cache.set(city, p);
  }
  return p;
}

export function loadAllPolicies(): Policy[] {
  const files = readdirSync(POLICY_DIR).filter((f) => f.endsWith(".yaml"));
  const have = new Set(files.map((f) => f.replace(/\.yaml$/, "")));
  for (const c of CITIES) if (!have.has(c)) throw new PolicyError([`missing policy file for ${c}`], POLICY_DIR);
  return CITIES.map((c) => loadPolicy(c));
}

/** Read a scenario file (YAML or JSON). */
export function loadScenarioFile(file: string): Scenario {
  return readChecked(file, parseScenario);
}

/** The scheme a `scenario` argument names: "reform", "baseline", a scenario object or file. */
export function resolveScheme(policy: Policy, scenario: "reform" | "baseline" | Scenario, source = "scenario"): Scheme {
  if (scenario === "reform" || scenario === "baseline") return policy[scenario];
  if (scenario.city && scenario.city !== policy.city) {
    throw new PolicyError([`city: the scenario is for ${scenario.city}, not ${policy.city}`], source);
  }
  return schemeForScenario(policy, scenario, source);
}
