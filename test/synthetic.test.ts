// Schema patterns no seed city uses (issue 14 item 2), on SYNTHETIC fixtures — not real cities'
// rules (test/cases/synthetic/fixtures.yaml): each fixture's worked cases through the command's own
// run (runCalcWith, the fixture as the city's policy) and the oracle with the fixture's figures, the
// trace naming the pattern, and random person-years real = oracle.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cityIds } from "../src/loaders/cities.ts";
import { loadPolicy, loadScenarioFile } from "../src/loaders/policies.ts";
import { runCalcWith } from "../src/model/calc-run.ts";
import { calculate } from "../src/model/calculator.ts";
import { dayFromCivil } from "../src/model/dates.ts";
import { type EngineClaims, type EnginePersons, NO_DAY, runChunk } from "../src/model/engine.ts";
import { parseRequest } from "../src/model/request.ts";
import { compilePolicy, type Policy } from "../src/model/policy.ts";
import { copyData } from "../src/model/scenario-path.ts";
import { AREAS, BENEFITS, type CityId, type Claim, DISEASES, EXCLUSIONS, KINDS, type Person, SETTINGS, STATUSES } from "../src/model/types.ts";
import { contractInput } from "./arbitraries.ts";
import { type Overrides, oracle } from "./oracle/oracle.ts";
import { CASES, pick, type Worked } from "./worked.ts";

const DIR = join(CASES, "synthetic");
interface Fixture {
  base: CityId;
  pattern: string;
  add: Record<string, unknown>;
  oracle: Overrides;
}
const fixtures = parse(readFileSync(join(DIR, "fixtures.yaml"), "utf8")) as Record<string, Fixture>;

/** The base city's policy with the fixture's parameters added to its reform scheme. */
function policyOf(name: string): Policy {
  const f = fixtures[name];
  const raw = copyData(loadPolicy(f.base).raw) as Record<string, any>;
  for (const [path, param] of Object.entries(f.add)) {
    const keys = path.split(".");
    let node = raw.reform;
    for (const k of keys.slice(0, -1)) node = node[k];
    node[keys[keys.length - 1]] = param;
  }
  return compilePolicy(raw, `synthetic fixture ${name}`);
}

function real(name: string, input: unknown): any {
  const policy = policyOf(name);
  const r = runCalcWith(JSON.stringify(input), { cities: cityIds(), policy: (city) => (city === policy.city ? policy : loadPolicy(city)), scenarioFile: loadScenarioFile });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "fixtures.yaml").sort();
const figures = (o: any) => ({
  claims: (o.claims as any[]).map((c) => ({ fund: c.fund, deductible: c.deductible, outOfPocket: c.outOfPocket })),
  totals: { amount: o.totals.amount, fund: o.totals.fund, outOfPocket: o.totals.outOfPocket },
});

describe("synthetic fixtures: worked cases, real and oracle", () => {
  it("every fixture has worked cases", () => {
    const used = new Set(files.flatMap((f) => (parse(readFileSync(join(DIR, f), "utf8")) as Array<Worked & { fixture: string }>).map((c) => c.fixture)));
    expect([...used].sort()).toEqual(Object.keys(fixtures).sort());
  });
  for (const file of files) {
    describe(file, () => {
      for (const c of parse(readFileSync(join(DIR, file), "utf8")) as Array<Worked & { fixture: string }>) {
        it(c.name, () => {
          const r = real(c.fixture, c.input);
          expect(pick(r, c.expected)).toEqual(c.expected);
          expect(pick(oracle(c.input, fixtures[c.fixture].oracle), c.expected)).toEqual(c.expected);
          // the trace (a claim's, or a month's of the account credits) names the pattern and the
          // fixture's article where it applies
          const pattern = fixtures[c.fixture].pattern.split(" (")[0];
          const traces: string[][] = [...(r.claims as any[]).map((cl) => cl.trace), ...((r.accounts?.months ?? []) as any[]).map((m) => [m.trace])];
          const naming = traces.filter((t) => t.some((line: string) => line.includes(pattern) && line.includes("SYNTHETIC fixture")));
          expect(naming.length, `${c.name}: traces naming "${pattern}"`).toBeGreaterThan(0);
        });
      }
    });
  }
});

/** Random person-years with a birth date (1930–2000, or none) so that age bands are crossed, some
 *  claims away from the chosen facility or at a community health centre, contribution years, an
 *  opening account balance and a contribution base (each or none). */
const withBirthDate = (city: CityId) =>
  fc
    .record({
      input: contractInput(city as never, { maxClaims: 20 }),
      born: fc.option(fc.integer({ min: -14610, max: 10957 }), { nil: undefined, freq: 5 }),
      away: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
      years: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      type: fc.array(fc.constantFrom("hospital", "community", undefined), { minLength: 20, maxLength: 20 }),
      balance: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
      base: fc.option(fc.integer({ min: 100_000, max: 2_000_000 }), { nil: undefined }),
    })
    .map(({ input, born, away, years, type, balance, base }) => ({
      ...input,
      person: {
        ...input.person,
        ...(born === undefined ? {} : { birthDate: new Date(born * 86400000).toISOString().slice(0, 10) }),
        ...(years === undefined ? {} : { contributionYears: years }),
        ...(balance === undefined ? {} : { accountBalance: (balance / 100).toFixed(2) }),
        ...(base === undefined ? {} : { contributionBase: (base / 100).toFixed(2) }),
      },
      claims: input.claims.map((c, i) => ({ ...(away[i] && i % 3 === 0 ? { ...c, chosenFacility: false } : c), ...(type[i] ? { facilityType: type[i] } : {}) })),
    }));

describe("synthetic fixtures: real calculator = oracle on random person-years", () => {
  for (const [name, f] of Object.entries(fixtures)) {
    it(`${name} on ${f.base}: 150 random person-years`, () => {
      fc.assert(
        fc.property(withBirthDate(f.base), (input) => {
          expect(figures(real(name, input))).toEqual(figures(oracle(input, f.oracle)));
        }),
        { seed: 7100 + Object.keys(fixtures).indexOf(name), numRuns: 150 },
      );
    });
  }
});

// The population engine runs the same kernel: on each fixture, random person-years of 2023 (parsed
// by the calculator's own parseRequest) through runChunk equal the calculator claim by claim.
describe("synthetic fixtures: the engine equals the calculator", () => {
  const YEAR = 2023;
  const first = dayFromCivil(YEAR, 1, 1), last = dayFromCivil(YEAR, 12, 31);
  for (const [name, f] of Object.entries(fixtures)) {
    it(`${name}: 120 random person-years`, () => {
      const scheme = policyOf(name).reform;
      const people: Array<{ person: Person; claims: Claim[] }> = [];
      for (const input of fc.sample(withBirthDate(f.base), { seed: 7200 + Object.keys(fixtures).indexOf(name), numRuns: 120 })) {
        const r = parseRequest(input, { cities: cityIds() });
        if (!r.ok) throw new Error(r.problems.join("\n"));
        const claims = r.value.claims.filter((c) => c.day >= first && c.day <= last).sort((a, b) => a.day - b.day);
        people.push({ person: r.value.person, claims });
      }
      const n = people.reduce((s, p) => s + p.claims.length, 0);
      const count = people.length;
      const P: EnginePersons = {
        count, status: new Uint8Array(count), birthDay: new Int32Array(count), retiredOnDay: new Int32Array(count), hasAccount: new Uint8Array(count),
        oldWorker: new Uint8Array(count), twoDiseases: new Uint8Array(count), contributionBaseFen: new Int32Array(count), pensionFen: new Int32Array(count),
        claimStart: new Uint32Array(count + 1), contributionYears: new Uint8Array(count), openingBalanceFen: new Int32Array(count),
      };
      const C: EngineClaims = {
        length: n, day: new Int32Array(n), kind: new Uint8Array(n), level: new Uint8Array(n), setting: new Uint8Array(n), area: new Uint8Array(n),
        amountFen: new Int32Array(n), eligibleFen: new Int32Array(n), designated: new Uint8Array(n), emergency: new Uint8Array(n),
        prescription: new Uint8Array(n), facility: new Uint32Array(n), flags: new Uint8Array(n), notChosenFacility: new Uint8Array(n),
        facilityType: new Uint8Array(n),
      };
      let j = 0;
      people.forEach(({ person, claims }, p) => {
        P.status[p] = STATUSES.indexOf(person.status);
        // The engine always knows a birth day; a person without one is given one far in the future
        // of no band (age < 0), as the calculator reads a missing birthDate: the youngest band.
        P.birthDay[p] = person.birthDay ?? dayFromCivil(2100, 1, 1);
        P.retiredOnDay[p] = person.retiredOnDay ?? NO_DAY;
        P.hasAccount[p] = person.hasAccount ? 1 : 0;
        P.oldWorker[p] = person.oldWorker ? 1 : 0;
        P.twoDiseases[p] = DISEASES.reduce((m, d, i) => m | (person.twoDiseases.includes(d) ? 1 << i : 0), 0);
        P.contributionBaseFen[p] = person.contributionBaseFen ?? 0;
        // Without contributionYears the plain cap, as 0 years; without an opening balance the
        // calculator tracks the account from 0 where it must (account first), as the engine does.
        P.contributionYears![p] = person.contributionYears ?? 0;
        P.openingBalanceFen![p] = person.accountBalanceFen ?? 0;
        for (const c of claims) {
          C.day[j] = c.day; C.kind[j] = KINDS.indexOf(c.kind); C.level[j] = c.level - 1; C.setting[j] = SETTINGS.indexOf(c.setting); C.area[j] = AREAS.indexOf(c.area);
          C.amountFen[j] = c.amountFen; C.eligibleFen[j] = c.eligibleFen; C.designated[j] = c.designated ? 1 : 0; C.emergency[j] = c.emergency ? 1 : 0;
          C.prescription[j] = c.prescription ? 1 : 0; C.facility[j] = c.facility; C.flags![j] = c.flags ?? 0;
          C.notChosenFacility![j] = c.notChosen ? 1 : 0;
          C.facilityType![j] = c.community ? 1 : 0;
          j++;
        }
        P.claimStart[p + 1] = j;
      });
      const out = runChunk(scheme, P, C, YEAR);
      let checked = 0;
      people.forEach(({ person, claims }, p) => {
        const res = calculate(scheme, { city: f.base, scenario: { kind: "named", name: "reform" }, person, claims, year: YEAR });
        res.claims.forEach((c, k) => {
          const i = P.claimStart[p] + k;
          // The account where the calculator tracks it (an opening balance, or account first).
          const account = c.account === undefined ? undefined : out.accountFen[i];
          const got = { fund: out.fundFen[i], deductible: out.deductibleFen[i], account, rule: out.benefit[i] < 0 ? "excluded" : BENEFITS[out.benefit[i]], exclusion: out.exclusion[i] < 0 ? undefined : EXCLUSIONS[out.exclusion[i]] };
          const want = { fund: Math.round(Number(c.fund) * 100), deductible: Math.round(Number(c.deductible) * 100), account: c.account === undefined ? undefined : Math.round(Number(c.account) * 100), rule: c.rule, exclusion: c.exclusion };
          expect(got, `${name} person ${p} claim ${k}`).toEqual(want);
          checked++;
        });
        // The year's credits (age bands of the credits included), a credit the calculator cannot
        // work out (no contributionBase) being 0 in the engine's base column.
        const credits = res.accounts ? res.accounts.months.reduce((s, m) => s + Math.round(Number(m.credit ?? "0") * 100), 0) : 0;
        expect(out.creditFen[p], `${name} credits person ${p}`).toBe(credits);
      });
      expect(checked).toBeGreaterThan(200);
    });
  }
});

// The new fields' bad values: one message naming the field (exit 2 for the command's input).
describe("synthetic patterns: bad values are named", () => {
  it("claims[].facilityType", () => {
    const r = runCalcWith(JSON.stringify({ city: "lanzhou", person: { status: "active" }, claims: [{ date: "2023-03-01", level: 1, amount: "10", facilityType: "clinic" }] }), { cities: cityIds(), policy: loadPolicy, scenarioFile: loadScenarioFile });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('fundsim calc: claims[0].facilityType: must be one of "hospital", "community", got "clinic"\n');
  });
  const withAdd = (add: Record<string, unknown>) => {
    const raw = copyData(loadPolicy("lanzhou").raw) as Record<string, any>;
    for (const [path, param] of Object.entries(add)) {
      const keys = path.split(".");
      let node = raw.reform;
      for (const k of keys.slice(0, -1)) node = node[k];
      node[keys[keys.length - 1]] = param;
    }
    return () => compilePolicy(raw, "bad fixture");
  };
  it.each([
    [{ "benefits.general.deductible.accountFirst": { value: "yes", ref: "x" } }, 'bad fixture: reform.benefits.general.deductible.accountFirst.value: expected true or false, got "yes"'],
    [{ "accounts.activeByAge": { value: [{ fromAge: 45, credit: "none" }, { fromAge: 35, credit: "none" }], ref: "x" } }, "bad fixture: reform.accounts.activeByAge.value: expected fromAge in ascending order, each once"],
    [{ "accounts.retiredByAge": { value: [{ fromAge: 70, credit: { fixed: 110 } }], ref: "x" }, "accounts.retiredAged70": { value: { fixed: 100 }, ref: "x" } }, "bad fixture: reform: accounts: give retiredAged70 or retiredByAge, not both (retiredByAge [{fromAge: 70, credit}] says the same)"],
    [{ "benefits.general.rate.community": { value: "120%", ref: "x" } }, 'bad fixture: reform.benefits.general.rate.community.value: expected a rate from 0% to 100%, got "120%"'],
  ])("%j", (add, message) => {
    expect(withAdd(add)).toThrow(message);
  });
});

// Account first: the account spends before pooling, so more money in it never raises what the fund
// pays in the year (each claim's part left for the deductible and the rate only shrinks), and the
// account never pays more than the opening balance and the year's credits.
describe("synthetic account first: properties", () => {
  it("a larger opening balance never raises the fund's total; the account pays at most opening + credits", () => {
    fc.assert(
      fc.property(withBirthDate("lanzhou"), fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 1, max: 300_000 }), (input, low, extra) => {
        const at = (fen: number) => real("account-first", { ...input, year: 2023, person: { ...input.person, accountBalance: (fen / 100).toFixed(2) } });
        const [a, b] = [at(low), at(low + extra)];
        const fen = (x: string) => Math.round(Number(x) * 100);
        expect(fen(b.totals.fund)).toBeLessThanOrEqual(fen(a.totals.fund));
        const credits = (a.accounts?.months ?? []).reduce((s: number, m: any) => s + fen(m.credit ?? "0"), 0);
        expect(fen(a.totals.account)).toBeLessThanOrEqual(low + credits);
      }),
      { seed: 7300, numRuns: 150 },
    );
  });
  it("the property bites: some person-years are paid less with a larger balance", () => {
    const input = { city: "lanzhou", person: { status: "active", accountBalance: "0" }, claims: [{ date: "2023-03-01", level: 1, amount: "2000" }] };
    const more = { ...input, person: { status: "active", accountBalance: "400" } };
    // 0: band 1500, 500 × 65% = 325.00; 400: account first 400, band 1500, 100 × 65% = 65.00
    expect([real("account-first", input).totals.fund, real("account-first", more).totals.fund]).toEqual(["325.00", "65.00"]);
  });
});
