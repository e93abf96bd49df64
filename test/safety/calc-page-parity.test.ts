// The calculator page runs runCalcWith (src/model/calc-run.ts) on the text a link or its JSON editor
// holds, with policies compiled from the shipped data; `fundsim calc` (src/cli/calc.ts runCalc) reads
// the same text. For careless and hostile input both give the same exit status and the same words.
import { describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { cityIds } from "../../src/loaders/cities.ts";
import { loadPolicy } from "../../src/loaders/policies.ts";
import { runCalcWith } from "../../src/model/calc-run.ts";
import { compilePolicy, type Policy, PolicyError } from "../../src/model/policy.ts";
import type { CityId } from "../../src/model/types.ts";

// As src/calculator.md builds them: the policy from its data as JSON (what policy-raw.json holds).
const compiled = new Map<string, Policy>();
const pageSources = {
  cities: cityIds(),
  policy(city: CityId): Policy {
    if (!compiled.has(city)) compiled.set(city, compilePolicy(JSON.parse(JSON.stringify(loadPolicy(city).raw)), `src/policies/${city}.yaml`));
    return compiled.get(city)!;
  },
  scenarioFile(path: string): never {
    throw new PolicyError(["cannot read: a scenario file named by path can only be read by the command line"], path);
  },
};
const page = (text: string) => runCalcWith(text, pageSources);

const person = { status: "active" };
const claim = { date: "2023-03-02", level: 1, amount: "100.00" };
const INPUTS: Record<string, string> = {
  "a valid person-year": JSON.stringify({ city: "lanzhou", person, claims: [claim] }),
  'city "beijing"': JSON.stringify({ city: "beijing", person, claims: [claim] }),
  "level 7": JSON.stringify({ city: "lanzhou", person, claims: [{ ...claim, level: 7 }] }),
  'level "3"': JSON.stringify({ city: "lanzhou", person, claims: [{ ...claim, level: "3" }] }),
  "an unknown field": JSON.stringify({ city: "lanzhou", person, claims: [{ ...claim, colour: "red" }] }),
  "not JSON": '{"city": "lanzhou",',
  "not an object": "[1, 2]",
  "nested 10 000 deep": `{"city":"lanzhou","person":{"status":"active"},"claims":[],"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`,
  "control characters in a value": JSON.stringify({ city: "\u001b[31mred\u001b[0m\u202e", person, claims: [claim] }),
  "a polluting scenario path": JSON.stringify({ city: "lanzhou", scenario: { set: { "benefits.general.rate.level1.__proto__.polluted": "yes" } }, person, claims: [claim] }),
  "own __proto__ keys": '{"__proto__": {"polluted": 1}, "city": "lanzhou", "person": {"status": "active"}, "claims": []}',
  "20 000 claims": JSON.stringify({ city: "lanzhou", person, claims: Array(20_000).fill(claim) }),
};

describe("the calculator page gives what fundsim calc gives", () => {
  for (const [name, text] of Object.entries(INPUTS)) {
    it(name, () => {
      const cli = runCalc(text);
      const p = page(text);
      expect(p.code).toBe(cli.code);
      expect(p.stdout).toBe(cli.stdout);
      expect(p.stderr).toBe(cli.stderr);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
  it("the exit status of the bad inputs is 2, and messages are escaped", () => {
    expect(page(INPUTS['city "beijing"']).code).toBe(2);
    expect(page(INPUTS["nested 10 000 deep"]).stderr).toBe("fundsim calc: (input): nested deeper than 64 levels\n");
    expect(page(INPUTS["control characters in a value"]).stderr).toContain("\\u001b[31mred\\u001b[0m\\u202e");
    expect(page(INPUTS["20 000 claims"]).stderr).toContain("claims: at most 10000 claims in one request, got 20000");
  });
});
