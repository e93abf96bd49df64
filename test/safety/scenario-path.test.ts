// Scenario paths are user input (a scenario file, a what-if link, a calculator input): one setter,
// src/model/scenario-path.ts, refuses a path through __proto__ / prototype / constructor and any key
// that is not an own property of the scheme, in `set` and in `amend`, and names the path. Nothing
// reaches Object.prototype. A scenario changes only its own scheme, even where the policy file
// shares a node between the two schemes with a YAML anchor (`coverage: *coverage`).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../../src/loaders/policies.ts";
import { applyScenario, parseScenario, PolicyError, rulesAt, schemeForScenario } from "../../src/model/policy.ts";
import type { Scenario } from "../../src/model/policy-schema.ts";
import { FORBIDDEN_KEYS, pathProblem, setScenarioPath } from "../../src/model/scenario-path.ts";
import { cityIds } from "../../src/loaders/cities.ts";
import { scenarioFromEdits } from "../../src/model/scenario-edits.ts";
import { decodeScenarioParam, encodeScenarioParam, MAX_SCENARIO_PARAM_CHARS } from "../../src/model/scenario-url.ts";

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype as it was: no new key, `({}).polluted` undefined. */
function untouched() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  expect(Object.prototype.toString).toBe(Object.prototype.toString); // still callable
  expect(String({})).toBe("[object Object]");
}

afterEach(() => {
  // Even if a test failed half-way, do not let a polluted prototype leak into the next one.
  for (const k of Object.getOwnPropertyNames(Object.prototype)) if (!PROTO_KEYS.includes(k)) delete (Object.prototype as Record<string, unknown>)[k];
});

/** The problems a scenario (any object) gets, through parseScenario and schemeForScenario. */
function problemsOf(city: string, raw: unknown): string[] {
  try {
    schemeForScenario(loadPolicy(city), parseScenario(raw, "t"), "t");
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  return [];
}

/** The problems of a scenario that skips parseScenario (a Scenario built in code). */
function problemsDirect(city: string, s: Scenario): string[] {
  try {
    schemeForScenario(loadPolicy(city), s, "t");
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  return [];
}

const POLLUTING = [
  "__proto__",
  "__proto__.polluted",
  "constructor.prototype.polluted",
  "prototype",
  "prototype.polluted",
  "caps.__proto__.polluted",
  "benefits.general.rate.level1.__proto__.polluted",
  "benefits.general.rate.level1.constructor.prototype.polluted",
  "coverage.areas.in_province.prototype",
];

describe("paths through __proto__, prototype, constructor", () => {
  for (const path of POLLUTING) {
    const bad = path.split(".").find((k) => FORBIDDEN_KEYS.includes(k))!;
    it(`set "${path}" is refused, naming the path, and Object.prototype is untouched`, () => {
      // JSON.parse makes "__proto__" an own key, as a file or a link would.
      const raw = JSON.parse(`{"set": {${JSON.stringify(path)}: {"polluted": "yes"}}}`);
      const p = problemsOf("lanzhou", raw);
      expect(p).toEqual([`set.${path}: "${bad}" is not a parameter: a path may not go through __proto__, prototype or constructor`]);
      untouched();
    });
    it(`amend[0].set "${path}" is refused, naming the path`, () => {
      const raw = JSON.parse(`{"amend": [{"from": "2023-07-01", "set": {"caps.general": 3000, ${JSON.stringify(path)}: "yes"}}]}`);
      const p = problemsOf("ganzhou", raw);
      expect(p).toEqual([`amend[0].set.${path}: "${bad}" is not a parameter: a path may not go through __proto__, prototype or constructor`]);
      untouched();
    });
    it(`"${path}" is refused by the setter itself (a scenario that skipped parseScenario)`, () => {
      const set: Record<string, unknown> = {};
      Object.defineProperty(set, path, { value: "yes", enumerable: true });
      const p = problemsDirect("jinan", { base: "reform", set });
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(new RegExp(`^set\\.${path.replace(/\./g, "\\.")}: "${bad}" is not a parameter`));
      const p2 = problemsDirect("jinan", { base: "baseline", amend: [{ from: "2024-01-01", set }] });
      expect(p2[0]).toMatch(/^amend\[0\]\.set\./);
      untouched();
    });
  }

  it("pathProblem names the forbidden key anywhere in the path", () => {
    expect(pathProblem("benefits.general.rate.level1")).toBeNull();
    for (const k of FORBIDDEN_KEYS) {
      expect(pathProblem(k)).toMatch(k);
      expect(pathProblem(`a.${k}`)).toMatch(k);
      expect(pathProblem(`a.${k}.b`)).toMatch(k);
    }
  });

  it("setScenarioPath writes nothing for a refused path", () => {
    const scheme = JSON.parse('{"caps": {"general": {"value": 3000, "ref": "x"}}}');
    const before = JSON.stringify(scheme);
    for (const path of POLLUTING) expect(setScenarioPath(scheme, path, { polluted: 1 }, null, "t")).toMatch(/is not a parameter/);
    expect(JSON.stringify(scheme)).toBe(before);
    untouched();
  });

  it("the CLI's calc refuses a polluting inline scenario with exit status 2, naming the path", () => {
    const input = {
      city: "lanzhou",
      scenario: { set: { "benefits.general.rate.level1.__proto__.polluted": "yes" } },
      person: { status: "active" },
      claims: [{ date: "2023-03-02", level: 1, amount: "100.00" }],
    };
    const r = runCalc(JSON.stringify(input));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'fundsim calc: scenario: set.benefits.general.rate.level1.__proto__.polluted: "__proto__" is not a parameter: a path may not go through __proto__, prototype or constructor\n',
    );
    // A top-level "__proto__" key of the input or the scenario is an unknown field.
    const r2 = runCalc(`{"__proto__": {"polluted": 1}, "city": "lanzhou", "scenario": {"__proto__": {"polluted": 1}}, "person": {"status": "active"}, "claims": []}`);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/__proto__: unknown field/);
    untouched();
    // The process goes on working: the same person-year under the reform.
    expect(runCalc(JSON.stringify({ ...input, scenario: "reform" })).code).toBe(0);
  });

  describe("a scenario file (YAML) with a polluting path", () => {
    const dir = mkdtempSync(join(tmpdir(), "fundsim-scenario-path-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it("is refused when read and applied, naming the path", () => {
      const file = join(dir, "bad.yaml");
      writeFileSync(file, 'city: lanzhou\nset:\n  "__proto__.polluted": yes\n  "caps.general": 3000\namend:\n  - from: 2023-06-01\n    set: { "constructor.prototype.polluted": yes }\n');
      let err: unknown;
      try {
        resolveScheme(loadPolicy("lanzhou"), loadScenarioFile(file), file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PolicyError);
      const text = (err as PolicyError).problems.join("\n");
      expect(text).toMatch(/set\.__proto__\.polluted: "__proto__" is not a parameter/);
      expect(text).toMatch(/amend\[0\]\.set\.constructor\.prototype\.polluted: "constructor" is not a parameter/);
      untouched();
    });
  });
});

describe("keys that are not own properties of the scheme", () => {
  it("an unknown parameter is named", () => {
    expect(problemsOf("ganzhou", { set: { "benefits.general.cap": 1 } })).toEqual(['set.benefits.general.cap: unknown parameter "benefits.general.cap"']);
    expect(problemsOf("ganzhou", { set: { "benefits.nope.rate": 1 } })).toEqual(['set.benefits.nope.rate: unknown parameter "benefits.nope"']);
  });
  it("inherited names (toString, hasOwnProperty, valueOf) are not keys of the scheme", () => {
    for (const path of ["toString", "caps.hasOwnProperty", "benefits.general.valueOf", "coverage.isPrototypeOf.x"]) {
      expect(problemsOf("lanzhou", { set: { [path]: 1 } })[0]).toMatch(/unknown parameter/);
    }
  });
  it("a key inside a parameter's value must be one the value has", () => {
    const p = problemsOf("lanzhou", { set: { "benefits.general.rate.level1.nope": "50%" } });
    expect(p).toEqual(['set.benefits.general.rate.level1.nope: cannot set "nope" inside this parameter\'s value: it has no "nope" (it has "active", "retired")']);
    expect(problemsOf("lanzhou", { set: { "benefits.general.rate.level1.toString": "50%" } })[0]).toMatch(/it has no "toString"/);
    // … the one-value notations are written out first: a single rate is {active, retired}.
    expect(problemsOf("ganzhou", { set: { "benefits.general.rate.level3.retired": "62%" } })).toEqual([]);
  });
  it("a dated set names the value it cannot change", () => {
    const p = problemsOf("jinan", { set: { "caps.general.nope": 1 } });
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^set\.caps\.general\.nope: cannot set "nope"/);
  });
});

describe("a scenario changes only its own scheme (YAML anchors shared between the schemes)", () => {
  for (const city of cityIds()) {
    it(`${city}: the reform's coverage and kinds change, the baseline's do not`, () => {
      const policy = loadPolicy(city);
      const raw = policy.raw as Record<string, Record<string, unknown>>;
      // The case at hand: the file shares these nodes between the schemes.
      expect(raw.reform.coverage).toBe(raw.baseline.coverage);
      const rawBefore = JSON.stringify(policy.raw);
      const day = policy.reform.fromDay;
      const before = rulesAt(policy.baseline, day)!;
      const flip = before.nonDesignated === "excluded" ? "emergency_only" : "excluded";
      const out = applyScenario(policy, parseScenario({ set: { "coverage.nonDesignated": flip, "kinds.tcm": "excluded" } }, "t"), "t");
      expect(rulesAt(out.reform, day)!.nonDesignated).toBe(flip);
      expect(rulesAt(out.reform, day)!.kindBenefit.tcm).toBe("excluded");
      expect(rulesAt(out.baseline, day)!.nonDesignated).toBe(before.nonDesignated);
      expect(rulesAt(out.baseline, day)!.kindBenefit.tcm).toBe(before.kindBenefit.tcm);
      expect(out.baseline.data.coverage).toEqual(policy.baseline.data.coverage);
      // … and the other way round, with a dated amendment.
      const back = applyScenario(policy, parseScenario({ base: "baseline", amend: [{ from: "2024-01-01", set: { "coverage.areas.out_of_province": "excluded" } }] }, "t"), "t");
      expect(rulesAt(back.reform, policy.reform.untilDay)!.areas.out_of_province).toEqual(rulesAt(policy.reform, policy.reform.untilDay)!.areas.out_of_province);
      expect(rulesAt(back.baseline, policy.baseline.untilDay)!.areas.out_of_province.excluded).toBe(true);
      // The loaded policy is as it was.
      expect(JSON.stringify(policy.raw)).toBe(rawBefore);
    });
  }
});

describe("scenarios built from the what-if page's edits and links", () => {
  it("a base scenario with an own __proto__ key is copied without touching a prototype, then refused", () => {
    const base = JSON.parse('{"base": "reform", "set": {"__proto__": {"polluted": "yes"}, "caps.general": 3000}}');
    const s = scenarioFromEdits([], {}, 2023, base, { city: "lanzhou" });
    expect(Object.getPrototypeOf(s.set)).toBe(Object.prototype);
    expect(Object.hasOwn(s.set!, "__proto__")).toBe(true);
    untouched();
    expect(problemsOf("lanzhou", s)).toEqual(['set.__proto__: "__proto__" is not a parameter: a path may not go through __proto__, prototype or constructor']);
    untouched();
  });
  it("a polluting link decodes to data and is refused by parseScenario", () => {
    const set: Record<string, unknown> = {};
    Object.defineProperty(set, "__proto__", { value: { polluted: "yes" }, enumerable: true });
    set["benefits.general.rate.level1.__proto__.polluted"] = "yes";
    const text = encodeScenarioParam({ base: "reform", set } as Scenario);
    const decoded = decodeScenarioParam(text);
    untouched();
    expect(() => parseScenario({ ...(decoded as object), city: "lanzhou" }, "link")).toThrow(/set\.__proto__: "__proto__" is not a parameter/);
    untouched();
  });
  it("a link's scenario is bounded and must be an object", () => {
    expect(() => decodeScenarioParam("A".repeat(MAX_SCENARIO_PARAM_CHARS + 1))).toThrow(/at most 65536/);
    expect(() => decodeScenarioParam("!!")).toThrow(/not base64url/);
    expect(() => decodeScenarioParam(Buffer.from("[1]").toString("base64url"))).toThrow(/must be an object, got a list of 1/);
    expect(() => decodeScenarioParam(Buffer.from("{").toString("base64url"))).toThrow(/not valid JSON/);
  });
});
