import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { policyProblems } from "./policy-problems.ts";
import { loadAllPolicies } from "../src/loaders/policies.ts";
import { cityRegistry, PROJECT_DIRS } from "../src/loaders/cities.ts";
import { runCalc } from "../src/cli/calc.ts";
import { policyCard } from "../src/model/card.ts";
import { collectParams, parseScenario, schemeForScenario, rulesAt, day } from "../src/model/policy.ts";

const lanzhouText = readFileSync(join(PROJECT_DIRS.policies, "lanzhou.yaml"), "utf8");

const tmp = mkdtempSync(join(tmpdir(), "fundsim-policy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const problemsOf = (text: string) => policyProblems(text, tmp);

describe("the five policy files", () => {
  // Every city found (the project's five, then any FUNDSIM_POLICIES adds, e.g. the test run's made-up city).
  const all = loadAllPolicies();
  const builtin = new Set(cityRegistry().filter((c) => c.builtin).map((c) => c.id));
  const policies = all.filter((p) => builtin.has(p.city));

  it("all load, and every parameter names the article it comes from", () => {
    expect(policies.map((p) => p.city)).toEqual(["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"]);
    expect(all.map((p) => p.city)).toEqual(cityRegistry().map((c) => c.id));
    for (const p of all)
      for (const s of [p.reform, p.baseline])
        for (const { path, param } of collectParams(s.data)) expect(param.ref.trim(), `${p.city}.${s.name}.${path}`).not.toBe("");
  });

  it("Jinan's reform splits on 2024-01-01 with the text's 2024 figures", () => {
    const jinan = policies[1];
    const r2023 = rulesAt(jinan.reform, day("2023-12-31"))!;
    const r2024 = rulesAt(jinan.reform, day("2024-01-01"))!;
    expect(r2023.generalCapFen).toEqual([450000, 450000]);
    expect(r2024.generalCapFen).toEqual([600000, 600000]);
    // level 3 active / retired: 50/50 in 2023 (assumption), 50/55 from 2024 (（二）).
    expect(r2023.benefits.general!.rateBp.slice(4)).toEqual([5000, 5000]);
    expect(r2024.benefits.general!.rateBp.slice(4)).toEqual([5000, 5500]);
    expect(r2023.benefits.general!.perFacility).toBe(true);
    expect(r2024.benefits.general!.perFacility).toBe(false);
  });

  it("cities without pre-reform pooling have no general benefit in their baseline", () => {
    for (const p of policies) {
      const b = rulesAt(p.baseline, day("2023-06-01"))!;
      expect(Boolean(b.benefits.general), p.city).toBe(p.city === "jinan");
    }
  });

  it("cards show each value as the text writes it, with its article and later changes", () => {
    const rows = policyCard(policies[1], "reform", "2023-06-01");
    const cap = rows.find((r) => r.key === "caps.general")!;
    expect(cap.value).toBe("4500元");
    expect(cap.ref).toContain("（三）");
    expect(cap.changes).toEqual(["2024-01-01: 6000元"]);
    expect(rows.filter((r) => r.assumption).length).toBeGreaterThan(3);
  });
});

describe("a bad policy file is reported like a compiler error", () => {
  it("names file, line and path for a wrong type", () => {
    const p = problemsOf(lanzhouText.replace("general:\n      value: 2500", "general:\n      value: lots"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^\d+:\d+: reform\.caps\.general\.value: expected an amount in yuan from 0 to 10,000,000 with at most two decimals, got "lots"/);
  });
  it("refuses an amount above 10 000 000 yuan, naming the limit (a 30 000 000 cap wrapped in Int32 and paid nothing)", () => {
    const p = problemsOf(lanzhouText.replace("general:\n      value: 2500", "general:\n      value: 30000000"));
    expect(p).toEqual([expect.stringMatching(/^\d+:\d+: reform\.caps\.general\.value: expected an amount in yuan from 0 to 10,000,000 with at most two decimals, got 30000000$/)]);
    expect(problemsOf(lanzhouText.replace("amount: { value: 200, ref: 第七条 }", "amount: { value: 10000000.01, ref: 第七条 }")).join("\n")).toMatch(
      /reform\.benefits\.general\.deductible\.amount\.value: expected an amount in yuan from 0 to 10,000,000/,
    );
  });
  it("refuses account credits outside 0–100 %, area adjustments and uplifts beyond ±100 points, a cap named twice", () => {
    expect(problemsOf(lanzhouText.replace("value: { fixed: 90 }", "value: { percentOfBase: -5% }")).join("\n")).toMatch(/percentOfBase: expected a share from 0% to 100%, got "-5%"/);
    expect(problemsOf(lanzhouText.replace("value: { fixed: 90 }", "value: { percentOfBase: 150% }")).join("\n")).toMatch(/percentOfBase: expected a share from 0% to 100%, got "150%"/);
    expect(problemsOf(lanzhouText.replace("in_province: { value: same,", "in_province: { value: { rateAdjustment: -150% },")).join("\n")).toMatch(
      /reform\.coverage\.areas\.in_province\.value\.rateAdjustment: expected an adjustment from -100 to \+100 percentage points, got "-150%"/,
    );
    expect(problemsOf(lanzhouText.replace(/caps: \{ value: \[general\],/, "caps: { value: [general, general],")).join("\n")).toMatch(/caps\.value\.1: expected each cap at most once, got "general" again/);
  });
  it("names an unknown key", () => {
    const p = problemsOf(lanzhouText.replace("  caps:\n    general:", "  capz: {}\n  caps:\n    general:"));
    expect(p.join("\n")).toMatch(/reform: unknown key "capz"/);
  });
  it("needs a reference on every parameter", () => {
    const p = problemsOf(lanzhouText.replace("amount: { value: 200, ref: 第七条 }", "amount: { value: 200 }"));
    expect(p.join("\n")).toMatch(/reform\.benefits\.general\.deductible\.amount\.ref: every parameter needs `ref`/);
  });
  it("rejects a malformed date and a date key that is not a date", () => {
    expect(problemsOf(lanzhouText.replace("from: 2023-01-01, until: 2027-12-31, ref: 第二十四条", "from: 2023-13-01, until: 2027-12-31, ref: 第二十四条")).join("\n")).toMatch(
      /reform\.period\.from: expected a date YYYY-MM-DD, got "2023-13-01"/,
    );
    expect(problemsOf(lanzhouText.replace("amount: { value: 200, ref: 第七条 }", "amount: { values: { soon: 200 }, ref: 第七条 }")).join("\n")).toMatch(/date key/);
  });
  it("rejects a value that starts after the period does", () => {
    const p = problemsOf(lanzhouText.replace("amount: { value: 200, ref: 第七条 }", "amount: { values: { 2024-01-01: 200 }, ref: 第七条 }"));
    expect(p.join("\n")).toMatch(/no value in force on the period's start 2023-01-01/);
  });
  it("rejects more than two decimals and a malformed percentage", () => {
    expect(problemsOf(lanzhouText.replace("value: { fixed: 90 }", "value: { fixed: 90.001 }")).length).toBeGreaterThan(0);
    expect(problemsOf(lanzhouText.replace("active: 55%, retired: 60%", "active: 55 percent, retired: 60%")).join("\n")).toMatch(/percentage/);
  });
  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("city: lanzhou\nname: { zh: 兰州\n")[0]).toMatch(/^\d+:\d+: /);
  });
});

describe("scenarios", () => {
  const ganzhou = loadAllPolicies()[4];
  it("an amendment takes effect from its date; a set changes every date", () => {
    const s = schemeForScenario(
      ganzhou,
      parseScenario({ base: "reform", set: { "benefits.general.rate.level3.retired": "62%" }, amend: [{ from: "2023-07-01", set: { "benefits.general.deductible.amount": 300 } }] }, "t"),
      "t",
    );
    expect(rulesAt(s, day("2023-06-30"))!.benefits.general!.deductibleFen[0]).toBe(60000);
    expect(rulesAt(s, day("2023-07-01"))!.benefits.general!.deductibleFen[0]).toBe(30000);
    expect(rulesAt(s, day("2023-01-01"))!.benefits.general!.rateBp[5]).toBe(6200);
    // The active level-3 rate is untouched.
    expect(rulesAt(s, day("2023-01-01"))!.benefits.general!.rateBp[4]).toBe(5000);
  });
  it("an unknown parameter path is named", () => {
    expect(() => schemeForScenario(ganzhou, parseScenario({ set: { "benefits.general.cap": 1 } }, "t"), "t")).toThrow(/unknown parameter "benefits.general.cap"/);
  });
  it("a rate outside 0–100% is rejected, not clamped", () => {
    expect(() => schemeForScenario(ganzhou, parseScenario({ set: { "benefits.general.rate.level1": "150%" } }, "t"), "t")).toThrow(/rate from 0% to 100%, got "150%"/);
  });
  it("a rate that its uplifts push past 100% is held at 100%, and the trace says so", () => {
    // Neijiang retirees get +10 points (第十条（二）): a 95% base rate reaches 100%, not 105%.
    const r = runCalc(
      JSON.stringify({
        city: "neijiang",
        scenario: { set: { "benefits.general.rate.level1": "95%" } },
        person: { status: "retired" },
        claims: [{ date: "2023-03-01", level: 1, amount: "1150" }],
      }),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.claims[0].fund).toBe("1000.00"); // (1150 − 150) × 100%
    expect(out.claims[0].trace.join("\n")).toMatch(/= 100% \(105%, held within 0–100%\)/);
  });
  it("a value of the wrong type is named with its path", () => {
    expect(() => schemeForScenario(ganzhou, parseScenario({ set: { "caps.general": "much" } }, "t"), "t")).toThrow(/caps\.general\.value/);
  });
});

// Issue 14 item 3: each rule's trace names its article; the new policy fields are validated.
describe("Lüliang's exclusions, Neijiang 第十一条: the trace names the article", () => {
  const traceOf = (input: object, i = 0): string => {
    const r = runCalc(JSON.stringify(input));
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout).claims[i].trace.join("\n");
  };
  const lv = (claim: object) => traceOf({ city: "lvliang", person: { status: "active" }, claims: [{ date: "2023-04-01", level: 1, amount: "130", ...claim }] });
  it("each flag gives its numbered item of 不予支付", () => {
    const items: Record<string, string> = { work_injury: "第1项", third_party: "第2项", public_health: "第3项", wellness: "第4项", no_card: "第9项", arrears_period: "第13项", other_not_payable: "第14项" };
    for (const [flag, item] of Object.entries(items)) expect(lv({ flags: [flag] }), flag).toContain(`不予支付${item}`);
  });
  it("a non-designated emergency: 第9项 in the city, 第11项 at a long-term residence, 第12项 on a temporary visit", () => {
    expect(lv({ designated: false, emergency: true })).toMatch(/an emergency, but the rule for local makes no emergency exception — 不予支付第9项/);
    expect(lv({ designated: false, emergency: true, area: "registered_elsewhere" })).toContain("不予支付第11项");
    expect(lv({ designated: false, emergency: true, area: "in_province" })).toContain("不予支付第12项");
    expect(lv({ designated: false })).toContain("不予支付第9项");
    expect(lv({ designated: false, area: "in_province" })).toContain("不予支付第5项");
  });
  it("a pool-only member is covered: the trace cites who is covered", () => {
    const t = traceOf({ city: "lvliang", person: { status: "flexible", hasAccount: false }, claims: [{ date: "2023-04-01", level: 1, amount: "130" }] });
    expect(t).toContain("benefit: general outpatient pooling");
  });
  it("Neijiang: a chronic two-disease patient → 第十一条; a pharmacy purchase → general pooling by 第十一条（二）/第十条", () => {
    const nj = (person: object, claim: object) => traceOf({ city: "neijiang", person: { status: "active", twoDiseases: ["diabetes"], ...person }, claims: [{ date: "2023-04-01", kind: "two_disease", level: 2, amount: "100", ...claim }] });
    expect(nj({ chronic: true }, {})).toMatch(/chronic\/special-disease scheme.*第十一条（“两病”患者符合门诊慢特病标准的/);
    expect(nj({}, { setting: "pharmacy" })).toMatch(/benefit: general outpatient pooling.*第十一条（二）.*第十条/);
    expect(nj({}, {})).toMatch(/benefit: two-disease drugs/);
  });
  it("a flag the city has no rule for changes nothing and says so", () => {
    const t = traceOf({ city: "lanzhou", person: { status: "active" }, claims: [{ date: "2023-04-01", level: 1, amount: "300", flags: ["no_card"] }] });
    expect(t).toContain("flag no_card: this scheme's text sets no rule for it");
  });
});

describe("the new policy fields are checked", () => {
  it("an unknown claim flag, a bad area rule, a pharmacy cap named but not defined", () => {
    const withCoverage = (extra: string) => lanzhouText.replace("\n    areas:\n", `\n${extra}    areas:\n`);
    expect(problemsOf(lanzhouText.replace("      work_injury:", "      injury:")).join("\n")).toMatch(/reform\.coverage\.claimFlags: unknown key "injury"/);
    expect(problemsOf(withCoverage("    nonDesignatedByArea:\n      local: { value: never, ref: x }\n")).join("\n")).toMatch(/reform\.coverage\.nonDesignatedByArea\.local\.value/);
    expect(problemsOf(withCoverage("    twoDiseaseWithChronic: { value: sometimes, ref: x }\n")).join("\n")).toMatch(/reform\.coverage\.twoDiseaseWithChronic\.value/);
    expect(problemsOf(lanzhouText.replace(/caps: \{ value: \[general\],/, "caps: { value: [general, pharmacy],")).join("\n")).toMatch(/names cap "pharmacy" but caps\.pharmacy is not defined/);
  });
  it("a share of an average names an unknown average, a bad percentage, an average not yet in force", () => {
    const share = (cap: string, averages = "") => problemsOf(lanzhouText.replace("general:\n      value: 2500", `general:\n      value: ${cap}`).replace("\n  caps:\n", `\n${averages}  caps:\n`)).join("\n");
    expect(share("{ shareOf: salary, percent: 2% }")).toMatch(/reform\.caps\.general: shareOf: unknown average "salary" \(expected one of the scheme's averages: none defined\)/);
    const wage = "  averages:\n    wage: { value: 90000, ref: x }\n";
    expect(share("{ shareOf: wage, percent: lots }", wage)).toMatch(/reform\.caps\.general\.value\.percent: expected a share such as "2%", got "lots"/);
    expect(share("{ shareOf: wage, percent: 2% }", "  averages:\n    wage: { values: { 2024-01-01: 90000 }, ref: x }\n")).toMatch(/reform\.caps\.general: no value in force on the period's start 2023-01-01/);
    expect(share("{ shareOf: wage, percent: 2% }", wage)).toEqual("");
  });
});
