// The fuzz suite (issue 11): generated bad input for the calculator, scenario files, assumptions
// files and the CLI's options. For each: exit 2 (or the loader's PolicyError, which the CLI turns
// into exit 2), one message naming the field, nothing on standard output, no raw control
// character and no long echo of the value, Object.prototype untouched, nothing written or deleted.
// Bounded: fixed seeds and a few thousand cases, in-process (no process per case).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { runFundsim } from "../../src/cli/program.ts";
import { loadAssumptions } from "../../src/loaders/assumptions.ts";
import { cityIds } from "../../src/loaders/cities.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../../src/loaders/policies.ts";
import { PolicyError } from "../../src/model/policy.ts";

const SEED = 20261128;
const tmp = mkdtempSync(join(tmpdir(), "fundsim-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const MAX_LINE = 400;

function expectClean(stderr: string): void {
  expect(RAW_CONTROL.test(stderr), `raw control character in ${JSON.stringify(stderr.slice(0, 200))}`).toBe(false);
  for (const line of stderr.split("\n")) expect(line.length, `a long message line: ${line.slice(0, 120)}…`).toBeLessThanOrEqual(MAX_LINE);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// ---- values that are wrong for every field of their kind ----------------------------------------

const LONG = "x".repeat(10_000);
const ESC = "\u001b]0;owned\u0007\u001b[31mred";
const junk = fc.constantFrom<unknown>(null, true, [], {}, { __proto__: { polluted: 1 } }, LONG, ESC, "", " ", -1, 1e308, Number.NaN, "NaN", "Infinity", [1, 2], "\u0000");
const badMoney = fc.oneof(
  junk,
  fc.constantFrom<unknown>("-5", "-0.01", "10.005", "12,50", "1e3", "0x10", " 100", "100 ", "30000000", "10000000.01", 1e12, 30_000_000, -1, "１００"),
  fc.double({ min: -1e9, max: -0.001, noNaN: true }),
);
const badDate = fc.oneof(junk, fc.constantFrom<unknown>("2023-02-30", "2023-13-01", "2023/05/01", "23-05-01", "2023-5-1", 20230501, "2019-05-01", "2031-01-01", "9999-12-31"));
const badLevel = fc.oneof(junk, fc.constantFrom<unknown>(0, 4, 7, -1, 1.5, "1", "3", 2 ** 31));
const badEnum = fc.oneof(junk, fc.constantFrom<unknown>("dental", "ACTIVE", "Retired", "local ", "pharmacy\u0000", "__proto__", "constructor"));
const badBool = fc.oneof(junk.filter((v) => typeof v !== "boolean"), fc.constantFrom<unknown>("true", 1, 0, "yes"));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
interface Mutation {
  field: string;
  apply: (o: Obj) => void;
}
const claimField = (name: string, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  arb.map((v) => ({ field: `claims[0].${name}`, apply: (o: Obj) => (o.claims[0][name] = v) }));
const personField = (name: string, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  arb.map((v) => ({ field: `person.${name}`, apply: (o: Obj) => (o.person[name] = v) }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  claimField("amount", badMoney),
  claimField("eligible", badMoney),
  claimField("date", badDate),
  claimField("level", badLevel),
  claimField("kind", badEnum),
  claimField("setting", badEnum),
  claimField("area", badEnum),
  claimField("designated", badBool),
  claimField("emergency", badBool),
  claimField("prescription", badBool),
  claimField("facility", fc.constantFrom<unknown>(null, true, [], {}, [1])),
  personField("status", badEnum),
  personField("birthDate", badDate.filter((d) => d !== "2019-05-01")),
  personField("retiredOn", badDate.filter((d) => d !== "2019-05-01" && d !== "2031-01-01" && d !== "9999-12-31")),
  personField("oldWorker", badBool),
  personField("hasAccount", badBool),
  personField("contributionBase", badMoney),
  personField("pension", badMoney),
  personField("accountBalance", badMoney),
  personField("twoDiseases", fc.constantFrom<unknown>("hypertension", ["asthma"], [1], ["diabetes", "diabetes"], {})),
  fc.constantFrom<unknown>("beijing", "LANZHOU", "", null, 1, "__proto__", ESC, LONG).map((v) => ({ field: "city", apply: (o: Obj) => (o.city = v) })),
  fc.constantFrom<unknown>(1, null, true, [], "", " ").map((v) => ({ field: "scenario", apply: (o: Obj) => (o.scenario = v) })),
  fc.constantFrom<unknown>(1.5, "2023", 1800, 3000, -1, null).map((v) => ({ field: "year", apply: (o: Obj) => (o.year = v) })),
  fc.constantFrom<unknown>(null, "x", {}, 1).map((v) => ({ field: "claims", apply: (o: Obj) => (o.claims = v) })),
  fc.constantFrom<unknown>(null, "x", [], 1).map((v) => ({ field: "person", apply: (o: Obj) => (o.person = v) })),
  fc.constantFrom("colour", "__proto__x", "Amount", ESC.slice(0, 6)).map((k) => ({ field: `claims[0].${k}`, apply: (o: Obj) => (o.claims[0][k] = 1) })),
);

const base = () => ({
  city: "lanzhou",
  person: { status: "retired", birthDate: "1958-04-12" },
  claims: [{ date: "2023-03-02", kind: "general", level: 3, amount: "420.00" }],
});

describe("fuzz: the calculator", () => {
  it("a valid base passes (the generator's starting point is sound)", () => {
    expect(runCalc(JSON.stringify(base())).code).toBe(0);
  });

  it("one bad field: exit 2, one message naming it, nothing on stdout", () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const o = base() as Obj;
        m.apply(o);
        const r = runCalc(JSON.stringify(o));
        expect(r.code, `${m.field}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe("");
        const lines = r.stderr.trimEnd().split("\n");
        expect(lines.length, r.stderr).toBe(1);
        expect(lines[0].startsWith("fundsim calc: ")).toBe(true);
        expect(r.stderr, r.stderr).toContain(m.field.replace(/\u001b.*/, ""));
        expectClean(r.stderr);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it("arbitrary text and JSON values: exit 2 and a bounded, escaped message", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.constantFrom("[".repeat(5000), '{"a":'.repeat(5000), "\u0000\u0001", "")), (text) => {
        const r = runCalc(text);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expectClean(r.stderr);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });
});

// ---- scenario files ----------------------------------------------------------------------------

const scenarioPath = (text: string, i: number) => {
  const p = join(tmp, `scenario-${i}.yaml`);
  writeFileSync(p, text);
  return p;
};

const badScenario: fc.Arbitrary<{ text: string; mentions: string }> = fc.oneof(
  fc.constantFrom("__proto__.polluted", "constructor.prototype.polluted", "prototype.x", "caps.__proto__.polluted", "benefits.general.rate.__proto__", "nosuch.param", "caps.general.values.__proto__")
    .map((p) => ({ text: `set:\n  "${p}": 1\n`, mentions: p.split(".")[0] === "nosuch" ? "nosuch" : p })),
  fc.constantFrom("30000000", "-5", "10.005", "abc", "[1]")
    .map((v) => ({ text: `set:\n  caps.general: ${v}\n`, mentions: "caps.general" })),
  fc.constantFrom("150%", "-5%", "55", "x%")
    .map((v) => ({ text: `set:\n  benefits.general.rate.level1: "${v}"\n`, mentions: "benefits.general.rate.level1" })),
  fc.constantFrom("-150%", "101%", "x")
    .map((v) => ({ text: `set:\n  coverage.areas.in_province: { rateAdjustment: "${v}" }\n`, mentions: "coverage.areas.in_province" })),
  fc.constantFrom("-5%", "150%")
    .map((v) => ({ text: `set:\n  accounts.active: { percentOfBase: "${v}" }\n`, mentions: "accounts.active" })),
  fc.constantFrom("2023-02-30", "tomorrow", "2023")
    .map((d) => ({ text: `amend:\n  - from: "${d}"\n    set: { caps.general: 100 }\n`, mentions: "amend" })),
  fc.constantFrom("x".repeat(300), `"${ESC}"`)
    .map((n) => ({ text: `name: ${n}\nset:\n  caps.general: 100\n`, mentions: "name" })),
  fc.constantFrom("oops: 1\n", "base: middle\n", "city: beijing\n", "set: 5\n", "amend: {}\n")
    .map((t) => ({ text: t, mentions: t.split(":")[0] })),
);

describe("fuzz: scenario files", () => {
  it("each bad scenario is a PolicyError naming the file and the path; Object.prototype untouched", () => {
    const policy = loadPolicy("lanzhou");
    let i = 0;
    fc.assert(
      fc.property(badScenario, ({ text, mentions }) => {
        const file = scenarioPath(text, i++);
        let err: unknown;
        try {
          resolveScheme(policy, loadScenarioFile(file), file);
        } catch (e) {
          err = e;
        }
        expect(err, `${text} was accepted`).toBeInstanceOf(PolicyError);
        const msg = (err as PolicyError).message;
        expect(msg).toContain(mentions.replace(/\u001b.*/, "").slice(0, 40));
        expectClean(msg);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("files that are not scenarios: refused without echoing their contents", () => {
    const secret = "root:$y$j9T$SECRETHASHVALUE:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
    for (const text of [secret, "- a\n- b\n", "just text", "\u0000\u0001\u0002", '{"a":'.repeat(3000)]) {
      const file = scenarioPath(text, i2++);
      let err: unknown;
      try {
        loadScenarioFile(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PolicyError);
      const msg = (err as PolicyError).message;
      expect(msg).not.toContain("SECRETHASH");
      expect(msg).not.toContain("daemon");
      expectClean(msg);
    }
  });
});
let i2 = 10_000;

// ---- assumptions files ---------------------------------------------------------------------------

const KEYS = ["wageGrowth", "pensionGrowth", "costTrend", "utilisationTrend", "entryRate", "retirementRate"];
const badAssumption: fc.Arbitrary<{ text: string; key: string }> = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom("200%", "-500%", "1e9", '"abc"', "[]", "null", '"5"'))
    .map(([k, v]) => ({ text: `${k}: { value: ${v}, source: test, rating: S }\n`, key: k })),
  fc.constantFrom(...KEYS).map((k) => ({ text: `${k}: { value: 1%, source: test, rating: E }\n`, key: k })), // E needs a note
  fc.constantFrom(...KEYS).map((k) => ({ text: `${k}: { value: 1%, source: test, rating: S, dist: { dist: normal, sd: -1% } }\n`, key: k })),
  fc.constantFrom(...KEYS).map((k) => ({ text: `${k}: { value: 1%, source: test, rating: S, dist: { dist: uniform, min: 5%, max: 2% } }\n`, key: k })),
  fc.constantFrom("nosuchKey", "__proto__", "constructor").map((k) => ({ text: `${k}: { value: 1%, source: test, rating: S }\n`, key: k })),
  fc.constantFrom(...KEYS).map((k) => ({ text: `${k}: 5%\n`, key: k })),
);

describe("fuzz: assumptions files", () => {
  it("each bad entry is a PolicyError naming the key", () => {
    let i = 0;
    fc.assert(
      fc.property(badAssumption, fc.constantFrom(...cityIds()), ({ text, key }, city) => {
        const file = join(tmp, `assumptions-${i++}.yaml`);
        writeFileSync(file, text);
        let err: unknown;
        try {
          loadAssumptions(city as "lanzhou", { file });
        } catch (e) {
          err = e;
        }
        expect(err, `${text} was accepted`).toBeInstanceOf(PolicyError);
        const msg = (err as PolicyError).message;
        expect(msg).toContain(key);
        expectClean(msg);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// ---- the CLI's options ---------------------------------------------------------------------------

/** Runs fundsim in-process with standard output and error captured. */
async function fundsim(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  try {
    const code = await runFundsim(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe("fuzz: CLI options", () => {
  // A sandbox the commands run in: a user's files that must survive every call.
  const sandbox = join(tmp, "sandbox");
  mkdirSync(join(sandbox, "mine"), { recursive: true });
  writeFileSync(join(sandbox, "mine", "notes.txt"), "precious");
  writeFileSync(join(sandbox, "a-file"), "precious too");
  mkdirSync(join(sandbox, ".git"));
  writeFileSync(join(sandbox, "poison.yaml"), 'set:\n  "__proto__.polluted": 1\n');
  writeFileSync(join(sandbox, "bomb.yaml"), 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n');
  writeFileSync(join(sandbox, "big-name.yaml"), `name: "${"n".repeat(5000)}"\n`);
  writeFileSync(join(sandbox, "ansi.yaml"), `name: "${ESC}"\n`);
  writeFileSync(join(sandbox, "assume.yaml"), "retirementRate: { value: 200%, source: x, rating: S }\n");

  const ok: Record<string, string[]> = {
    run: ["--city", "lanzhou", "--persons", "200", "--out", "fresh-run"],
    project: ["--city", "lanzhou", "--persons", "200", "--years", "2", "--out", "fresh-project"],
    simulate: ["--city", "lanzhou", "--persons", "200", "--out", "fresh-sim"],
    calibrate: ["--city", "lanzhou", "--persons", "200"],
  };
  const bad: Record<string, Record<string, string[]>> = {
    run: {
      "--city": ["beijing", "lanzhou,lanzhou", "", "all,jinan", ESC, LONG],
      "--persons": ["0", "-1", "1e3", "abc", "99999999999", "1.5", ""],
      "--year": ["1999", "2031", "abc", "2023.5"],
      "--seed": ["-1", "4294967296", "x"],
      "--threads": ["0", "65", "x"],
      "--chunk": ["0", "x"],
      "--scenario": ["/dev/zero", "/etc/passwd", "nope.yaml", "mine", "poison.yaml", "bomb.yaml", "big-name.yaml"],
      "--out": [".", "", "/", "..", "mine", "a-file", sandbox, "a-file/sub"],
    },
    project: {
      "--city": ["beijing", "all", ""],
      "--years": ["0", "51", "x"],
      "--draws": ["-1", "x"],
      "--persons": ["0", "x"],
      "--assumptions": ["/dev/zero", "assume.yaml", "nope.yaml", "poison.yaml"],
      "--goal-seek": ["x", "__proto__"],
      "--scenario": ["/dev/zero", "poison.yaml", "bomb.yaml"],
      "--out": [".", "", "/", "mine", "a-file"],
    },
    simulate: {
      "--city": ["beijing", "all"],
      "--persons": ["0", "x"],
      "--chunk-size": ["0", "x"],
      "--out": [".", "", "/", "mine", "a-file"],
    },
    calibrate: {
      "--city": ["beijing", ""],
      "--persons": ["0", "x"],
    },
  };
  const cases: Array<{ cmd: string; option: string; value: string }> = [];
  for (const [cmd, options] of Object.entries(bad)) for (const [option, values] of Object.entries(options)) for (const value of values) cases.push({ cmd, option, value });
  // Unknown options and stray arguments.
  for (const cmd of Object.keys(ok)) cases.push({ cmd, option: "--frobnicate", value: "1" });

  const withBad = (cmd: string, option: string, value: string): string[] => {
    const args = [...ok[cmd]];
    const i = args.indexOf(option);
    if (i >= 0) args[i + 1] = value;
    else args.push(option, value);
    return [cmd, ...args];
  };

  it(`${cases.length} bad option values: exit 2, a message naming the option, nothing on stdout, nothing written or deleted`, async () => {
    const cwd = process.cwd();
    process.chdir(sandbox);
    try {
      const before = snapshot(sandbox);
      for (const c of cases) {
        const r = await fundsim(withBad(c.cmd, c.option, c.value));
        const what = `${c.cmd} ${c.option} ${JSON.stringify(c.value.slice(0, 40))}: ${r.stderr.slice(0, 300)}`;
        expect(r.code, what).toBe(2);
        expect(r.stdout, what).toBe("");
        const first = r.stderr.split("\n")[0];
        const named = c.option === "--scenario" || c.option === "--assumptions" ? [c.option, c.value.split("/").pop()!] : [c.option];
        expect(named.some((n) => first.includes(n)), what).toBe(true);
        expectClean(r.stderr);
        expect(snapshot(sandbox), what).toEqual(before);
      }
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);
});

// ---- nothing written or deleted ------------------------------------------------------------------

/** Every file below `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${p} ${s.size} ${s.mtimeMs} ${readFileSync(p).length}`);
    }
  };
  walk(dir);
  return out.sort();
}
