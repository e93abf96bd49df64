// The calculator's words in both languages (issue 15 item 4): every trace step kind is said in
// Chinese without English words and in English as the contract's `trace` line; a bad field is named
// with claims counted from 1, in Chinese and English, while the command line's lines stay as they were.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cityIds } from "../src/loaders/cities.ts";
import { loadPolicy, loadScenarioFile } from "../src/loaders/policies.ts";
import { runCalcWith } from "../src/model/calc-run.ts";
import { calculate, type StepOut } from "../src/model/calculator.ts";
import type { StepKind, TraceStep } from "../src/model/explain.ts";
import { claimRow, fieldWhere } from "../src/model/field-problems.ts";
import { parseRequest } from "../src/model/request.ts";
import { stepText, stepWords } from "../src/model/trace-words.ts";
import { CITY_IDS, contractInput } from "./arbitraries.ts";

/** Latin-letter words a Chinese text may hold: none so far (units or codes would go here, e.g. "bp"). */
const ALLOWED_LATIN = new Set<string>([]);
/** The English words left in a Chinese text: quoted values (the reader's own input) aside. */
const latinWords = (zh: string): string[] => (zh.replace(/"(?:[^"\\]|\\.)*"/g, "").match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));

// One or more steps of every kind (a Record over StepKind: a new kind without an entry fails to compile).
const REF = "第七条（三级定点医疗机构在职人员55%）";
const SAMPLES: Record<StepKind, TraceStep[]> = {
  excluded: [
    { step: "excluded", exclusion: "during_stay", refs: [REF], stay: { from: "2023-05-01", to: "2023-05-09" } },
    { step: "excluded", exclusion: "non_designated", refs: [REF], emergencyArea: "out_of_province" },
    { step: "excluded", exclusion: "inpatient", refs: ["国办发〔2021〕14号; e.g. 兰州 第八条"], refsZh: ["国办发〔2021〕14号；如兰州 第八条"] },
    { step: "excluded", exclusion: "not_covered", refs: [] },
  ],
  benefit: [{ step: "benefit", benefit: "two_disease", refs: [REF] }],
  flag: [
    { step: "flag", flag: "no_card", paid: true, refs: [REF] },
    { step: "flag", flag: "wellness", paid: false, refs: [] },
  ],
  status: [
    { step: "status", status: "flexible", level: 2, pharmacy: true, prescribingLevel: true, eligibleFen: 12050, amountFen: 13000, refs: [REF] },
    { step: "status", status: "retired", level: 1, pharmacy: false, prescribingLevel: false, eligibleFen: 100, amountFen: 100, refs: [] },
  ],
  age_band: [
    { step: "age_band", age: 72, band: 0, fromAge: 70, refs: [REF] },
    { step: "age_band", age: null, band: -1, fromAge: 70, refs: [REF] },
  ],
  facility_type: [
    { step: "facility_type", applies: "own", rate: true, deductible: true, refs: [REF, REF] },
    { step: "facility_type", applies: "pharmacy_level", rate: false, deductible: false, refs: [REF] },
    { step: "facility_type", applies: "as_hospital", rate: false, deductible: false, refs: [] },
  ],
  account_first: [{ step: "account_first", paidFen: 5000, balanceEmpty: true, restFen: 0, refs: [REF] }],
  deductible: [
    { step: "deductible", mechanism: "annual", amountFen: 20000, pool: "tcm", perFacility: true, facility: 2, metBeforeFen: 5000, claimFen: 15000, level: 3, basis: "age", fromAge: 70, refs: [REF] },
    { step: "deductible", mechanism: "per_visit", amountFen: 1000, pool: "general", perFacility: false, facility: 0, metBeforeFen: 0, claimFen: 1000, level: 1, basis: "community", fromAge: 0, refs: [REF] },
    { step: "deductible", mechanism: "none", amountFen: 0, pool: "general", perFacility: false, facility: 0, metBeforeFen: 0, claimFen: 0, level: 1, basis: "plain", fromAge: 0, refs: ["文件未规定起付标准金额（not stated in the text）"] },
  ],
  rate: [
    {
      step: "rate",
      parts: [
        { part: "base", bp: 9000, community: false, level: 3, retired: true },
        { part: "age", bp: 500, fromAge: 70, ref: REF },
        { part: "old_worker", bp: 1000 },
        { part: "not_chosen", bp: -1000, ref: REF },
        { part: "area", bp: -500, area: "in_province", ref: REF },
      ],
      bp: 10000,
      unclampedBp: 10000 + 500,
      refs: [REF],
    },
  ],
  payment: [{ step: "payment", restFen: 100000, deductibleFen: 20000, bp: 5500, rawFen: 44000, refs: [] }],
  per_visit_cap: [{ step: "per_visit_cap", capFen: 3000, reached: true, refs: [REF] }],
  cap: [
    { step: "cap", cap: "general", roomFen: 0, reached: true, growth: { years: 12, step: 1, addFen: 50000, fromYears: 10, ref: REF }, refs: [REF] },
    { step: "cap", cap: "general", roomFen: 100, reached: false, growth: { years: null, step: 0, addFen: 0, fromYears: 10, ref: REF }, refs: [REF] },
    { step: "cap", cap: "pharmacy", roomFen: 100, reached: false, growth: null, refs: [REF, REF] },
  ],
  no_cap: [{ step: "no_cap", refs: [REF] }],
  account: [{ step: "account", paidFen: 100, balanceAfterFen: 0, openingGiven: false, refs: [] }],
  second_payment: [{ step: "second_payment", burdenFen: 1_000_000, thresholdFen: 500_000, bp: 5000, capFen: null, refs: [REF] }],
};

describe("trace words", () => {
  for (const [kind, steps] of Object.entries(SAMPLES)) {
    it(`${kind}: said in Chinese without English words, and in English`, () => {
      for (const s of steps) {
        const w = stepWords(s);
        expect(w.zh.length).toBeGreaterThan(4);
        expect(w.en.length).toBeGreaterThan(4);
        expect(w.zh).not.toBe(w.en);
        expect(latinWords(w.zh), w.zh).toEqual([]);
        expect(w.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(stepText(s, "en")).toBe(w.en);
        // Each article the step names is cited in the Chinese (as the texts have it).
        for (const r of s.step === "excluded" && s.refsZh ? s.refsZh : s.refs) expect(w.zh).toContain(r.replace(/（[^）]*[A-Za-z][^）]*）/g, ""));
      }
    });
  }

  it("the English words are the contract's trace lines (a few, verbatim)", () => {
    expect(stepText(SAMPLES.payment[0], "en")).toBe("(1000.00 − 200.00) × 55% = 440.00 (rounded half-up to the fen)");
    expect(stepText(SAMPLES.rate[0], "en")).toContain("= 100% (105%, held within 0–100%)");
    expect(stepText(SAMPLES.excluded[0], "en")).toBe(`during an inpatient stay or day surgery (住院期间, person.stays): no general outpatient pooling — the stay 2023-05-01 to 2023-05-09 — ${REF}`);
    expect(stepText(SAMPLES.payment[0], "zh")).toBe("（1000.00 − 200.00）× 55% = 440.00元（按分四舍五入）");
  });

  it("a calculation's steps: trace[i] is steps[i].en, every Chinese step without English words (each seed city, random person-years)", () => {
    const seen = new Set<string>();
    for (const city of CITY_IDS) {
      const policy = loadPolicy(city);
      for (const x of fc.sample(contractInput(city), { seed: 5150 + CITY_IDS.indexOf(city), numRuns: 40 })) {
        const input = structuredClone(x) as any;
        input.person.birthDate = "1950-03-01";
        input.person.accountBalance = "100.00";
        input.claims.forEach((c: any, i: number) => {
          if (i % 3 === 1) c.flags = ["no_card"];
          if (i % 4 === 2) c.facilityType = "community";
        });
        const r = parseRequest(input, { cities: CITY_IDS });
        if (!r.ok) throw new Error(r.problems.join("\n"));
        for (const scheme of [policy.reform, policy.baseline]) {
          let out;
          try {
            out = calculate(scheme, r.value);
          } catch {
            continue; // a claim outside the baseline's period
          }
          const all: StepOut[] = [...out.claims.flatMap((c) => c.steps), ...(out.annual?.secondPayment ?? []).flatMap((s) => s.steps)];
          for (const c of out.claims) expect(c.trace).toEqual(c.steps.map((s) => s.en));
          for (const s of all) {
            seen.add(s.step);
            expect(latinWords(s.zh), `${city} ${s.step}: ${s.zh}`).toEqual([]);
          }
        }
      }
    }
    // The seed cities between them use most kinds (not all: age bands, community rates, account
    // first and per-visit caps are the synthetic fixtures' patterns).
    for (const k of ["excluded", "benefit", "flag", "status", "deductible", "rate", "payment", "cap", "account", "second_payment"]) expect(seen, k).toContain(k);
  });
});

describe("problems with a field, in both languages, claims counted from 1", () => {
  const good = { city: "lanzhou", person: { status: "active" }, claims: [0, 1, 2, 3].map((i) => ({ date: `2023-03-0${i + 1}`, level: 1, amount: "100.00" })) };

  it("claims[3].amount is row 4: 第4条 / claim 4; the command line's line is unchanged", () => {
    const bad = structuredClone(good);
    bad.claims[3].amount = "-5";
    const r = parseRequest(bad, { cities: ["lanzhou"] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(['claims[3].amount: must be a non-negative amount with at most two decimals, got "-5"']);
    expect(r.issues).toHaveLength(1);
    const p = r.issues[0];
    expect(p).toMatchObject({ field: "claims[3].amount", row: 4, where: { zh: "第4条就诊记录 · 费用", en: "claim 4 · amount" } });
    expect(p.en).toBe('must be a non-negative amount with at most two decimals, got "-5"');
    expect(p.zh).toBe('应为不小于0、最多两位小数的金额（元），实为 "-5"');
    expect(latinWords(p.zh)).toEqual([]);
  });

  it("every problem of a thoroughly bad request has a Chinese message without English words but the input's own", () => {
    const bad = {
      city: "beijing",
      scenario: 5,
      year: "x",
      extra: 1,
      person: { status: "boss", twoDiseases: ["diabetes", "diabetes"], birthDate: "2030-01-01", arrears: [{ paidOn: "x", months: 0 }], stays: [{ from: "2023-05-02", to: "2023-05-01" }], contributionYears: 99, oldWorker: "yes", pension: " 5" },
      claims: [7, { date: "2023-02-30", level: 7, amount: "-5", eligible: "x", kind: "zz", designated: 1, flags: ["no_card", "no_card"], facility: {}, colour: "red" }],
    };
    const r = parseRequest(bad, { cities: ["lanzhou", "jinan"] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((p) => `${p.field}: ${p.en}`)).toEqual(r.problems);
    expect(r.problems.length).toBeGreaterThan(15);
    // Allowed: the input's keys and codes the reader types ("status", "reform", "hypertension" …), quoted.
    const codes = /\b(?:true|false|JSON)\b/g;
    for (const p of r.issues) {
      expect(latinWords(p.zh.replace(codes, "")), `${p.field}: ${p.zh}`).toEqual([]);
      // An unknown key is named as written, in quotes.
      expect(latinWords(p.where.zh.replace(/“[^”]*”/g, "")), p.where.zh).toEqual([]);
    }
    expect(r.issues.find((p) => p.field === "claims[0]")?.row).toBe(1);
    expect(r.issues.find((p) => p.field === "claims[1].level")).toMatchObject({ row: 2, where: { zh: "第2条就诊记录 · 级别", en: "claim 2 · level" } });
    expect(r.issues.find((p) => p.field === "city")).toMatchObject({ row: null, en: 'must be one of "lanzhou", "jinan", got "beijing"', zh: '应为以下之一："lanzhou"、"jinan"，实为 "beijing"' });
  });

  it("the valid cities are the caller's", () => {
    expect(parseRequest(good, { cities: ["jinan"] }).ok).toBe(false);
    expect(parseRequest(good, { cities: ["jinan", "lanzhou"] }).ok).toBe(true);
  });

  it("list entries outside claims are counted from 1 in words; the path keeps the input's index", () => {
    expect(fieldWhere("person.stays[0].to")).toEqual({ zh: "参保人 · 住院期间第1项 · 结束日期", en: "person · inpatient stays 1 · to" });
    expect(fieldWhere("claims[9].flags[1]")).toEqual({ zh: "第10条就诊记录 · 标记第2项", en: "claim 10 · flags 2" });
    expect(fieldWhere("claims[0].colour")).toEqual({ zh: "第1条就诊记录 · “colour”", en: 'claim 1 · "colour"' });
    expect(claimRow("claims[12].date")).toBe(13);
    expect(claimRow("person.stays[0].to")).toBeNull();
  });

  it("runCalcWith: the structured problems are stderr's lines, coverage and JSON problems included", () => {
    const sources = { cities: cityIds(), policy: loadPolicy, scenarioFile: loadScenarioFile };
    const late = { ...good, claims: [good.claims[0], { date: "2031-02-01", level: 1, amount: "1" }] };
    const r = runCalcWith(JSON.stringify(late), sources);
    expect(r.code).toBe(2);
    expect(r.problems).toHaveLength(1);
    const p = r.problems![0];
    expect(r.stderr).toBe(`fundsim calc: claims[1].date: ${p.en}\n`);
    expect(p.row).toBe(2);
    expect(p.zh).toMatch(/^兰州.+的规则适用于 2023-01-01 至 2027-12-31（第二十四条.*），实为 "2031-02-01"$/);
    expect(latinWords(p.zh)).toEqual([]);
    const j = runCalcWith('{"city": "lanzhou",', sources);
    expect(j.code).toBe(2);
    expect(j.problems![0].field).toBe("(input)");
    expect(j.problems![0].zh).toMatch(/^不是有效的JSON/);
    expect(latinWords(j.problems![0].zh.replace("JSON", ""))).toEqual([]);
    expect(runCalcWith(JSON.stringify(good), sources).problems).toBeUndefined();
  });
});
