// Every number bounded where it enters (issue 11): amounts within MAX_AMOUNT_YUAN, percentages
// within their kind's range, no duplicates in lists, bounded texts and claim counts, typed arrays
// guarded, and totals exact beyond 2^53 fen or refused. Each test here failed on the code before:
// a 30 000 000-yuan cap wrapped in Int32 and paid nothing, −5 % credits were accepted, totals
// past 2^53 lost fen silently.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { policyProblems } from "../policy-problems.ts";
import { loadFinance } from "../../src/loaders/finance.ts";
import { loadPolicy } from "../../src/loaders/policies.ts";
import { cityIds, PROJECT_DIRS } from "../../src/loaders/cities.ts";
import { cityModel, generateChunk } from "../../src/loaders/population/index.ts";
import { kernelOf } from "../../src/model/adjudicate.ts";
import { runChunk } from "../../src/model/engine.ts";
import { addChunk, emptyFlows, mergeFlows } from "../../src/model/fund.ts";
import { assertInt32, checkExactTotal, MAX_AMOUNT_FEN, MAX_CLAIMS, MAX_EXACT_FEN } from "../../src/model/limits.ts";
import { day, PolicyError, parseScenario, rulesAt, schemeForScenario } from "../../src/model/policy.ts";
import { parseRequest } from "../../src/model/request.ts";
import { addToCube, emptyCube, mergeCube, monthTable } from "../../src/pipeline/cube.ts";
import { addPersonsToCube, emptyPersonCube, mergePersonCube, packPersonCube } from "../../src/pipeline/person-cube.ts";
import { exactMeasures } from "../../src/pipeline/summaries.ts";
import { dayFromCivil, monthStart } from "../../src/model/dates.ts";

const tmp = mkdtempSync(join(tmpdir(), "fundsim-bounds-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const lanzhouText = readFileSync(join(PROJECT_DIRS.policies, "lanzhou.yaml"), "utf8");

const problemsOf = (text: string) => policyProblems(text, tmp);

const lanzhou = loadPolicy("lanzhou");
const jinan = loadPolicy("jinan");
const scenarioProblems = (policy: typeof lanzhou, scenario: unknown): string => {
  try {
    schemeForScenario(policy, parseScenario(scenario, "s.yaml"), "s.yaml");
  } catch (e) {
    if (e instanceof PolicyError) return e.problems.join("\n");
    throw e;
  }
  return "";
};

describe("amounts: at most 10 000 000 yuan, refused at load with the limit named", () => {
  it("a cap of 30 000 000 yuan in a policy file is refused, with its line (it wrapped in Int32 and paid nothing)", () => {
    const p = problemsOf(lanzhouText.replace("general:\n      value: 2500", "general:\n      value: 30000000"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^\d+:\d+: reform\.caps\.general\.value: expected an amount in yuan from 0 to 10,000,000 with at most two decimals, got 30000000$/);
  });

  it("in a scenario too, for caps, deductibles and credits", () => {
    expect(scenarioProblems(lanzhou, { set: { "caps.general": 30_000_000 } })).toMatch(/caps\.general\.value: expected an amount in yuan from 0 to 10,000,000/);
    expect(scenarioProblems(lanzhou, { set: { "caps.general": "10000000.01" } })).toMatch(/from 0 to 10,000,000/);
    expect(scenarioProblems(lanzhou, { set: { "benefits.general.deductible.amount": 2e9 } })).toMatch(/deductible\.amount\.value: expected an amount in yuan from 0 to 10,000,000/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.retired": { fixed: 99_999_999 } } })).toMatch(/from 0 to 10,000,000/);
    expect(scenarioProblems(lanzhou, { set: { "caps.general": 10_000_000 } })).toBe("");
  });

  it("a cap of 9 000 000 yuan pays up to 9 000 000 yuan", () => {
    const request = (amount: string) =>
      JSON.stringify({
        city: "lanzhou",
        scenario: { set: { "caps.general": 9_000_000, "benefits.general.rate.level1": "95%" } },
        person: { status: "active" },
        claims: [
          { date: "2023-03-01", level: 1, amount },
          { date: "2023-04-01", level: 1, amount },
        ],
      });
    const r = runCalc(request("10000000"));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    // (10 000 000 − the deductible) × 95 % passes the cap: the cap pays, then nothing is left.
    expect(out.claims.map((c: { fund: string }) => c.fund)).toEqual(["9000000.00", "0.00"]);
    expect(out.totals.fund).toBe("9000000.00");
    // Below the cap: the rate pays (200 yuan deductible, 95 %).
    const small = JSON.parse(runCalc(request("1000000")).stdout);
    expect(small.claims[0].fund).toBe("949810.00");
  });
});

describe("percentages within their kind's range", () => {
  it("account credits: −5 % and 150 % of the base refused (negative credits, a 7 600-yuan self-pay on a 100-yuan claim)", () => {
    expect(scenarioProblems(lanzhou, { set: { "accounts.active": { percentOfBase: "-5%" } } })).toMatch(/accounts\.active\.value\.percentOfBase: expected a share from 0% to 100%, got "-5%"/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.active": { percentOfBase: "150%" } } })).toMatch(/expected a share from 0% to 100%, got "150%"/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.active": { percentOfBase: "2%", employerPercentOfBase: "-1%" } } })).toMatch(/employerPercentOfBase: expected a share/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.retired": { percentOfOwnPension: "101%" } } })).toMatch(/percentOfOwnPension: expected a share/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.retired": { percentOfAveragePension: "-2%", averagePension: 3000 } } })).toMatch(/percentOfAveragePension: expected a share/);
    expect(scenarioProblems(lanzhou, { set: { "accounts.active": { percentOfBase: "100%" } } })).toBe("");
  });

  it("an area adjustment of −150 points is refused; −100 to +100 accepted", () => {
    expect(scenarioProblems(jinan, { set: { "coverage.areas.out_of_province": { rateAdjustment: "-150%" } } })).toMatch(
      /coverage\.areas\.out_of_province\.value\.rateAdjustment: expected an adjustment from -100 to \+100 percentage points, got "-150%"/,
    );
    expect(scenarioProblems(jinan, { set: { "coverage.areas.out_of_province": { rateAdjustment: "-100%" } } })).toBe("");
  });

  it("uplifts within ±100 points", () => {
    expect(scenarioProblems(jinan, { set: { "benefits.general.rate.retireeUplift": "150%" } })).toMatch(/retireeUplift\.values?(\.[\w-]+)*: expected an adjustment/);
    expect(scenarioProblems(jinan, { set: { "benefits.general.rate.oldWorkerUplift": "-101%" } })).toMatch(/oldWorkerUplift\.value: expected an adjustment/);
    const ganzhou = loadPolicy("ganzhou");
    expect(scenarioProblems(ganzhou, { set: { "benefits.tcm.rate.uplift": "200%" } })).toMatch(/benefits\.tcm\.rate\.uplift\.value: expected an adjustment from -100 to \+100 percentage points, got "200%"/);
  });

  it("the second payment's rate within 0–100 %", () => {
    expect(scenarioProblems(jinan, { set: { "secondPayment.rate": "150%" } })).toMatch(/secondPayment\.rate\.value: expected a rate from 0% to 100%, got "150%"/);
    expect(scenarioProblems(jinan, { set: { "secondPayment.rate": "-1%" } })).toMatch(/expected a rate from 0% to 100%/);
  });
});

describe("lists and texts", () => {
  it("a benefit's caps may not name a cap twice", () => {
    expect(scenarioProblems(lanzhou, { set: { "benefits.general.caps": ["general", "general"] } })).toMatch(/benefits\.general\.caps\.value\.1: expected each cap at most once, got "general" again/);
  });

  it("a scenario's name is at most 200 characters and its description at most 2 000", () => {
    const err = (s: unknown) => {
      try {
        parseScenario(s, "s.yaml");
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    const huge = err({ name: "x".repeat(5_000_000) });
    expect(huge).toMatch(/name: expected a name of at most 200 characters, got 5,000,000 characters/);
    expect(huge.length).toBeLessThan(300);
    expect(err({ description: "y".repeat(2001) })).toMatch(/description: expected a description of at most 2000 characters, got 2,001/);
    expect(err({ name: "名".repeat(200), description: "d".repeat(2000) })).toBe("");
    expect(err({ name: "名".repeat(201) })).toMatch(/at most 200 characters, got 201/);
    // Control characters: none in a name; a description may have lines and tabs.
    expect(err({ name: "a\u001b[31mred" })).toMatch(/name: expected a name without control characters, got "a\\u001b\[31mred"/);
    expect(err({ description: "line 1\n\tline 2" })).toBe("");
    expect(err({ description: "bell\u0007" })).toMatch(/description: expected a description without control characters/);
  });
});

describe("the calculator's request", () => {
  const good = { city: "lanzhou", person: { status: "active" }, claims: [{ date: "2023-03-02", kind: "general", level: 3, amount: "100.00" }] };
  const problems = (x: unknown) => {
    const r = parseRequest(x, { cities: cityIds() });
    return r.ok ? [] : r.problems;
  };
  const withClaim = (patch: Record<string, unknown>) => ({ ...good, claims: [{ ...good.claims[0], ...patch }] });

  it("a claim amount above the limit, naming the field and the limit", () => {
    expect(problems(withClaim({ amount: "30000000" }))).toEqual(['claims[0].amount: must be at most 10,000,000 yuan (the largest single amount accepted), got "30000000"']);
    expect(problems(withClaim({ amount: 30_000_000 }))).toEqual(["claims[0].amount: must be at most 10,000,000 yuan (the largest single amount accepted), got 30000000"]);
    expect(problems(withClaim({ amount: "99999999999999999999999" }))[0]).toMatch(/^claims\[0\]\.amount: must be at most 10,000,000 yuan/);
    expect(problems(withClaim({ amount: "10000000", eligible: "10000000.01" }))[0]).toMatch(/^claims\[0\]\.eligible: must be at most 10,000,000 yuan/);
    expect(problems(withClaim({ amount: "10000000" }))).toEqual([]);
  });

  it("the person's amounts likewise", () => {
    const p = problems({ ...good, person: { status: "active", contributionBase: "10000000.01", pension: 1e21, accountBalance: 20_000_000 } });
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^person\.contributionBase: must be at most 10,000,000 yuan/);
    expect(p[1]).toMatch(/^person\.pension: must be at most 10,000,000 yuan/);
    expect(p[2]).toMatch(/^person\.accountBalance: must be at most 10,000,000 yuan/);
  });

  it("an amount padded with spaces is refused (it was trimmed and accepted)", () => {
    expect(problems(withClaim({ amount: "  100 " }))).toEqual(['claims[0].amount: must be an amount without spaces around it, got "  100 "']);
    expect(problems({ ...good, person: { status: "active", contributionBase: "5000\t" } })).toEqual(['person.contributionBase: must be an amount without spaces around it, got "5000\\t"']);
  });

  it("the malformed-amount message is the contract's", () => {
    expect(problems(withClaim({ amount: "-5" }))).toEqual(['claims[0].amount: must be a non-negative amount with at most two decimals, got "-5"']);
  });

  it("a disease listed twice is refused (it was silently deduplicated)", () => {
    expect(problems({ ...good, person: { status: "active", twoDiseases: ["hypertension", "diabetes", "hypertension"] } })).toEqual([
      'person.twoDiseases[2]: must not repeat an earlier entry, got "hypertension" again',
    ]);
  });

  it("a birth date after the first claim is refused", () => {
    const p = problems({ ...good, person: { status: "active", birthDate: "2024-01-01" }, claims: [good.claims[0], { ...good.claims[0], date: "2023-01-05" }] });
    expect(p).toEqual(['person.birthDate: must not be after the first claim\'s date 2023-01-05, got "2024-01-01"']);
    expect(problems({ ...good, person: { status: "active", birthDate: "2023-03-02" } })).toEqual([]);
  });

  it(`at most MAX_CLAIMS (${MAX_CLAIMS}) claims: 20 000 is one message, not 20 000`, () => {
    expect(MAX_CLAIMS).toBe(10_000);
    expect(problems({ ...good, claims: Array.from({ length: 20_000 }, () => good.claims[0]) })).toEqual(["claims: at most 10000 claims in one request, got 20000"]);
    expect(problems({ ...good, claims: Array.from({ length: MAX_CLAIMS }, () => good.claims[0]) })).toEqual([]);
  });

  it("a long or hostile value is shown cut and escaped", () => {
    const [p] = problems({ ...good, city: `${"x".repeat(10_000)}\u001b[31m` });
    expect(p.length).toBeLessThan(200);
    expect(p).not.toMatch(/\u001b/);
  });
});

describe("typed arrays: a value past 32 bits stops with a clear error instead of wrapping", () => {
  it("kernelOf checks every amount it compiles (unreachable after validation)", () => {
    const rules = rulesAt(lanzhou.reform, day("2023-06-01"))!;
    expect(() => kernelOf({ ...rules, generalCapFen: [3_000_000_000, 3_000_000_000] })).toThrow(/caps\.general: 3,000,000,000 is outside what the engine holds/);
    const b = rules.benefits.general!;
    expect(() => kernelOf({ ...rules, benefits: { ...rules.benefits, general: { ...b, deductibleFen: b.deductibleFen.map(() => 2 ** 31) } } })).toThrow(/deductible\.amount: 2,147,483,648/);
    expect(() => kernelOf({ ...rules, twoDiseaseCapFen: [1, 2, -(2 ** 32)] })).toThrow(/caps\.twoDisease/);
    expect(kernelOf({ ...rules, generalCapFen: [MAX_AMOUNT_FEN, MAX_AMOUNT_FEN] }).generalCapFen[1]).toBe(MAX_AMOUNT_FEN);
  });

  it("the engine refuses a person-year of credits past 2^31 fen (a fixed credit of 9 000 000 yuan a month, twelve times)", () => {
    const scheme = schemeForScenario(lanzhou, parseScenario({ set: { "accounts.retired": { fixed: 9_000_000 } } }, "t"), "t");
    const { persons, claims } = generateChunk(cityModel("lanzhou", 2023), 1, 0, 300);
    expect(() => runChunk(scheme, persons, claims, 2023, loadFinance("lanzhou").finance)).toThrow(/person \d+, 2023: credits \(fen\): 10,800,000,000 is outside what the engine holds/);
  });

  it("assertInt32 passes the 32-bit integers and nothing else", () => {
    expect(assertInt32(2 ** 31 - 1, "x")).toBe(2 ** 31 - 1);
    expect(assertInt32(-(2 ** 31), "x")).toBe(-(2 ** 31));
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 0.5, Number.NaN, Infinity]) expect(() => assertInt32(bad, "x")).toThrow(/x: .* is outside what the engine holds/);
  });
});

describe("totals: exact beyond 2^53 fen, or refused", () => {
  const finance = loadFinance("lanzhou").finance;
  const { persons, claims } = generateChunk(cityModel("lanzhou", 2023), 1, 0, 200);
  const r = runChunk(lanzhou.reform, persons, claims, 2023, finance);
  const b = runChunk(lanzhou.baseline, persons, claims, 2023, finance);
  let spending = 0;
  for (let j = 0; j < claims.length; j++) spending += claims.amountFen[j];

  it("checkExactTotal passes ±(2^53 − 1) and refuses beyond, naming the limit", () => {
    expect(checkExactTotal(MAX_EXACT_FEN, "t")).toBe(MAX_EXACT_FEN);
    expect(checkExactTotal(-MAX_EXACT_FEN, "t")).toBe(-MAX_EXACT_FEN);
    expect(() => checkExactTotal(2 ** 53, "t")).toThrow("t: a total exceeds 2^53 fen (90 万亿元): not exact");
  });

  it("fund flows: up to 2^53 − 1 exact, past it an error (the sum lost fen silently)", () => {
    const f = emptyFlows();
    f.spendingFen = MAX_EXACT_FEN - spending;
    addChunk(f, persons, claims, r);
    expect(f.spendingFen).toBe(MAX_EXACT_FEN);
    const g = emptyFlows();
    g.spendingFen = MAX_EXACT_FEN - spending + 1;
    expect(() => addChunk(g, persons, claims, r)).toThrow(/spending: a total exceeds 2\^53 fen \(90 万亿元\): not exact/);
    // Merging threads' flows: each line one checked addition.
    const a = addChunk(emptyFlows(), persons, claims, r), c = addChunk(emptyFlows(), persons, claims, r);
    expect(mergeFlows(a, c).spendingFen).toBe(2 * spending);
    const d = emptyFlows();
    d.outpatientFundFen[0] = MAX_EXACT_FEN;
    expect(() => mergeFlows(d, addChunk(emptyFlows(), persons, claims, r))).toThrow(/outpatientFundFen\[0\]: a total exceeds 2\^53 fen/);
  });

  it("the claim cube and its merge", () => {
    const first = dayFromCivil(2023, 1, 1);
    const months = monthTable(first, Array.from({ length: 12 }, (_, m) => monthStart(2023, m + 1)));
    const cube = emptyCube();
    addToCube(cube, 0, persons, claims, r, first, months);
    const cell = cube.values.findIndex((x, i) => i >= cube.values.length / 8 && x > 0); // an amount_fen cell
    const near = emptyCube();
    near.values[cell] = MAX_EXACT_FEN - cube.values[cell] + 1;
    expect(() => mergeCube(near, cube)).toThrow(/claim cube cell \d+: a total exceeds 2\^53 fen/);
    const into = emptyCube();
    into.values[cell] = MAX_EXACT_FEN - cube.values[cell] + 1;
    expect(() => addToCube(into, 0, persons, claims, r, first, months)).toThrow(/claim cube\[\d+\]: a total exceeds 2\^53 fen/);
  });

  it("the person cube: the signed gain is bounded by Σ|gain|, checked", () => {
    const pc = emptyPersonCube();
    const cp = { ...persons, ageBand: persons.ageBand, chronic: persons.chronic };
    addPersonsToCube(pc, cp, claims, r, b);
    expect(pc.absGainFen).toBeGreaterThan(0);
    const near = emptyPersonCube();
    near.absGainFen = MAX_EXACT_FEN - 1;
    expect(() => addPersonsToCube(near, cp, claims, r, b)).toThrow(/Σ\|gain\|: a total exceeds 2\^53 fen/);
    const merged = emptyPersonCube();
    merged.absGainFen = MAX_EXACT_FEN;
    expect(() => mergePersonCube(merged, packPersonCube(pc))).toThrow(/Σ\|gain\|/);
  });

  it("DuckDB: the measures become BIGINT, so sums are HUGEINT and exact past 2^53; a fraction is refused", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    try {
      await conn.run("CREATE TABLE t (k UTINYINT, amount_fen DOUBLE)");
      await conn.run(`INSERT INTO t VALUES (0, ${MAX_EXACT_FEN}), (0, ${MAX_EXACT_FEN}), (0, ${MAX_EXACT_FEN}), (0, 1)`);
      // As DOUBLE the sum is rounded: 4 × 2^53 − 2 is not a double.
      const dbl = (await conn.runAndReadAll("SELECT sum(amount_fen)::HUGEINT AS s FROM t")).getRowObjectsJS()[0].s as bigint;
      expect(dbl).not.toBe(3n * BigInt(MAX_EXACT_FEN) + 1n);
      await exactMeasures(conn, { t: ["amount_fen"] });
      const s = (await conn.runAndReadAll("SELECT sum(amount_fen) AS s, typeof(sum(amount_fen)) AS ty FROM t")).getRowObjectsJS()[0];
      expect(s.ty).toBe("HUGEINT");
      expect(s.s).toBe(3n * BigInt(MAX_EXACT_FEN) + 1n);
      await conn.run("CREATE TABLE u (amount_fen DOUBLE)");
      await conn.run("INSERT INTO u VALUES (1.5)");
      await expect(exactMeasures(conn, { u: ["amount_fen"] })).rejects.toThrow(/not a whole number within 2\^53/);
      await conn.run("CREATE TABLE w (amount_fen DOUBLE)");
      await conn.run(`INSERT INTO w VALUES (${2 ** 54})`);
      await expect(exactMeasures(conn, { w: ["amount_fen"] })).rejects.toThrow(/a total exceeds 2\^53 fen/);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
