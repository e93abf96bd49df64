// A policy's or scenario's problems in both languages (issue 15): each message is written once in
// English and Chinese (src/model/bilingual.ts); the command line keeps its English lines, the pages
// in Chinese show Chinese — no English words but the paths, keys, codes and values the reader wrote.
import { describe, expect, it } from "vitest";
import { cityIds } from "../src/loaders/cities.ts";
import { loadPolicy, loadScenarioFile } from "../src/loaders/policies.ts";
import { bi, chinese, english } from "../src/model/bilingual.ts";
import { runCalcWith } from "../src/model/calc-run.ts";
import { compilePolicy, parseScenario, PolicyError, schemeForScenario } from "../src/model/policy.ts";
import { copyData } from "../src/model/scenario-path.ts";

/** English words left in a Chinese line once the leading path, quoted values (cut short with "…"), the scenario file's
 *  keys and the date pattern (what the reader writes) are taken out. */
const CODES = /\b(?:YYYY-MM-DD|value|values|ref|sameAs|fromAge|fromYears|credit|shareOf|percent|averages|none|true|false|caps|retiredAged70|retiredByAge|prototype|constructor|__proto__)\b/g;
const latinWords = (zh: string): string[] =>
  (zh.replace(/^[\w.[\]()-]+: /, "").replace(/"(?:[^"\\]|\\.)*(?:"|…)/g, "").replace(CODES, "").replace(/[\w.]+\.[\w.]+/g, "").match(/[A-Za-z]+/g) ?? []);

function problemsOf(scenario: unknown, city = "ganzhou"): PolicyError {
  try {
    schemeForScenario(loadPolicy(city), parseScenario(scenario, "scenario"), "scenario");
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error(`no problem with ${JSON.stringify(scenario)}`);
}

describe("bi / english / chinese", () => {
  it("take a line apart whatever prefix was put before the message", () => {
    const line = `set.caps.general: ${bi("is not a parameter", "不是参数")} (x)`;
    expect(english(line)).toBe("set.caps.general: is not a parameter (x)");
    expect(chinese(line)).toBe("set.caps.general: 不是参数 (x)");
    expect(english("plain")).toBe("plain");
    expect(chinese("plain")).toBe("plain");
  });
});

describe("scenario problems: the English lines as before, a Chinese line beside each", () => {
  const cases: Array<[unknown, string, string]> = [
    [{ set: { "caps.general": "abc" } }, 'caps.general.value: expected an amount in yuan from 0 to 10,000,000 with at most two decimals, got "abc"', 'caps.general.value: 应为 0 至 10,000,000 元的金额，最多两位小数，实为 "abc"'],
    [{ set: { "benefits.general.rate.level1": "150%" } }, 'benefits.general.rate.level1.value: expected a rate from 0% to 100%, got "150%"', 'benefits.general.rate.level1.value: 应为 0% 至 100% 的支付比例，实为 "150%"'],
    [{ set: { "nonexistent.x": 1 } }, 'set.nonexistent.x: unknown parameter "nonexistent"', 'set.nonexistent.x: 未知的参数 "nonexistent"'],
    [{ bogus: 1 }, '(top): unknown key "bogus"', '(top): 未知的键 "bogus"'],
    [{ base: "other" }, 'base: Invalid option: expected one of "reform"|"baseline"', 'base: 应为以下之一："reform"、"baseline"'],
    [{ amend: [{ from: "2023-13-01", set: {} }] }, "amend.0.from: expected a date YYYY-MM-DD", "amend.0.from: 应为日期，格式 YYYY-MM-DD"],
    [{ set: { "caps.general.foo": 3 } }, 'set.caps.general.foo: cannot set "foo" inside this parameter\'s value: it has no "foo" (it has "active", "retired")', 'set.caps.general.foo: 无法在此参数的取值中设置 "foo"：其中没有 "foo"（只有 "active"、"retired"）'],
    [{ set: { "benefits.general": 1 } }, 'set.benefits.general: "benefits.general" is a group of parameters, not one parameter', 'set.benefits.general: "benefits.general" 是一组参数，不是单个参数'],
    [{ set: { "benefits.general.caps": ["general", "general"] } }, 'benefits.general.caps.value.1: expected each cap at most once, got "general" again', 'benefits.general.caps.value.1: 每个限额只能出现一次，"general" 重复出现'],
  ];
  for (const [scenario, en, zh] of cases) {
    it(en, () => {
      const e = problemsOf(scenario);
      expect(e.problems).toEqual([en]);
      expect(e.problemsZh).toEqual([zh]);
      expect(e.message).toBe(`scenario: ${en}`);
    });
  }

  it("many bad values at once: every Chinese line without English words", () => {
    const e = problemsOf({
      name: 5,
      description: "x".repeat(5000),
      set: {
        "benefits.general.rate.level1": 0.5,
        "accounts.retired": { percentOfOwnPension: "200%" },
        "benefits.general.deductible.amount": -5,
        "coverage.areas.in_province": "maybe",
        "benefits.tcm.rate.uplift": "x",
      },
      amend: [{ from: "x", set: { "caps.general": true } }],
    });
    expect(e.problemsZh.length).toBeGreaterThan(2);
    for (const zh of e.problemsZh) expect(latinWords(zh), zh).toEqual([]);
  });

  it("the compiled rules' own checks (after the schema) in both languages", () => {
    const raw = copyData(loadPolicy("jinan").raw) as Record<string, any>;
    raw.reform.accounts.retiredByAge = { value: [{ fromAge: 70, credit: "none" }], ref: "（十四）" };
    try {
      compilePolicy(raw, "jinan.yaml");
      throw new Error("compiled");
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      expect(e.problems[0]).toBe("reform: accounts: give retiredAged70 or retiredByAge, not both (retiredByAge [{fromAge: 70, credit}] says the same)");
      expect(e.problemsZh[0]).toBe("reform: accounts: retiredAged70 与 retiredByAge 只能给一个（retiredByAge [{fromAge: 70, credit}] 表达的是同一件事）");
    }
  });
});

describe("the calculator's inline scenario: the page's Chinese problem, the command line's English", () => {
  const sources = { cities: cityIds(), policy: loadPolicy, scenarioFile: loadScenarioFile };
  it("情景有误：… with the Chinese words; stderr unchanged", () => {
    const input = { city: "ganzhou", scenario: { set: { "caps.general": "abc" } }, person: { status: "active" }, claims: [{ date: "2023-03-01", level: 1, amount: "100.00" }] };
    const r = runCalcWith(JSON.stringify(input), sources);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('fundsim calc: scenario: caps.general.value: expected an amount in yuan from 0 to 10,000,000 with at most two decimals, got "abc"\n');
    expect(r.problems![0].zh).toBe('情景有误：caps.general.value: 应为 0 至 10,000,000 元的金额，最多两位小数，实为 "abc"');
    const other = runCalcWith(JSON.stringify({ ...input, scenario: { city: "jinan" } }), sources);
    expect(other.problems![0].zh).toBe("情景有误：city: 此情景适用于 jinan，不是 ganzhou");
  });
});
