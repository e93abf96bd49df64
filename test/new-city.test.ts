// A city is its four data files (issue 14 "Done when"): a made-up city written by `fundsim
// new-city` into a temporary directory runs through calc, run, calibrate and project as a user runs
// them (the spawned command, --policies DIR or FUNDSIM_POLICIES), and a broken, missing or doubled
// file, a bad id or a missing directory is one message naming it (exit 2, no stack trace).
// new-city never replaces a file: it writes only the missing ones. (The site build with a made-up
// city: test/browser/made-up-city.test.ts.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundsim as spawnFundsim } from "./made-up-city.ts";

// The spawned commands see only the directories each test names (not the test run's own made-up city).
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FUNDSIM_POLICIES"));
const fundsim = (...args: string[]) => spawnFundsim(args, ENV);
const fundsimWith = (env: Record<string, string>, ...args: string[]) => spawnFundsim(args, { ...ENV, ...env });

const ID = "ceshi"; // 测试 "test": a made-up city
const NAMES = ["--name-zh", "测试市", "--name-en", "Ceshi", "--province-zh", "测试省", "--province-en", "Ceshi Province"];
const KINDS = { policy: `${ID}.yaml`, calibration: `calibration/${ID}.yaml`, finance: `finance/${ID}.yaml`, assumptions: `assumptions/${ID}.yaml` };

let root: string;
const fresh = (name: string) => {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
};
/** A directory holding the made-up city as new-city writes it. */
function cityDir(name: string): string {
  const d = fresh(name);
  const r = fundsim("new-city", ID, "--policies", d, ...NAMES);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return d;
}

/** One line on stderr naming `what`, exit 2, nothing on stdout, no stack trace. */
function refused(r: ReturnType<typeof fundsim>, ...what: Array<string | RegExp>): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  for (const w of what) expect(r.stderr).toMatch(w);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The file as messages show it: relative to the working directory or absolute; match its tail. */
const shown = (dir: string, rel: string) => new RegExp(`${esc(basename(dir))}/${esc(rel)}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fundsim-new-city-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a made-up city from its four files", () => {
  let dir: string;
  beforeAll(() => {
    dir = cityDir("cities");
  });

  it("new-city writes the four files, each named on stdout", () => {
    for (const rel of Object.values(KINDS)) expect(existsSync(join(dir, rel)), rel).toBe(true);
    const policy = readFileSync(join(dir, KINDS.policy), "utf8");
    expect(policy).toMatch(new RegExp(`^city: ${ID}$`, "m"));
    expect(policy).toContain('name: { zh: "测试市", en: "Ceshi" }');
    // every placeholder is marked as one, so nobody reads it as a city's figure
    expect(policy).toContain("assumption: true");
  });

  it("calc pays a claim by the skeleton's rules: (1000 − 200 deductible) × 65% (retired, level 2) = 520", () => {
    const req = join(dir, "request.json");
    writeFileSync(req, JSON.stringify({ city: ID, person: { status: "retired" }, claims: [{ date: "2023-03-01", level: 2, amount: "1000" }] }));
    const r = fundsim("calc", req, "--policies", dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.city).toBe(ID);
    expect(out.claims.map((c: any) => [c.rule, c.deductible, c.rate, c.fund, c.outOfPocket])).toEqual([["general", "200.00", "65%", "520.00", "480.00"]]);
    // FUNDSIM_POLICIES finds it as --policies does
    const e = fundsimWith({ FUNDSIM_POLICIES: dir }, "calc", req);
    expect(e.status).toBe(0);
    expect(JSON.parse(e.stdout).claims[0].fund).toBe("520.00");
  });

  it("run writes the summaries of the city", () => {
    const out = join(root, "run");
    const r = fundsim("run", "--city", ID, "--policies", dir, "--persons", "2000", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^${ID}: 2000 persons, \\d+ claims`, "m")); // progress goes to stderr
    expect(r.stdout).toMatch(new RegExp(`^${ID} +[-\\d,]+ +[-\\d,]+`, "m")); // its line in the summary table
    expect(readdirSync(out)).toEqual(expect.arrayContaining(["flows.parquet", "impact.parquet", "reserve.parquet", "run.json"]));
    expect(readFileSync(join(out, "run.json"), "utf8")).toContain(`"${ID}"`);
  });

  it("calibrate compares a generated population with the city's targets", () => {
    const r = fundsim("calibrate", "--city", ID, "--policies", dir, "--persons", "2000");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`calibration report: 测试市 (${ID}), year 2024, 2,000 persons`);
    expect(r.stdout).toMatch(/spending per retiree/);
    // exit 1 is the report's verdict (an O or S target outside ±5%, likely at 2,000 persons), never a crash
    expect([0, 1]).toContain(r.status);
    if (r.status === 1) expect(r.stdout).toMatch(/\bFAIL\b/);
  });

  it("project writes the city's paths", () => {
    const out = join(root, "project");
    const r = fundsim("project", "--city", ID, "--policies", dir, "--persons", "2000", "--years", "3", "--draws", "4", "--samples", "2", "--sample-persons", "300", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(["projection.json", "projection.csv", "draws.csv"]));
    const csv = readFileSync(join(out, "projection.csv"), "utf8");
    expect(csv).toContain(ID);
  });
});

describe("new-city never replaces a file", () => {
  it("with all four present it refuses; with one missing it writes that one only", () => {
    const dir = cityDir("complete");
    const edited = readFileSync(join(dir, KINDS.policy), "utf8").replace("value: 2000,", "value: 2100,");
    writeFileSync(join(dir, KINDS.policy), edited);
    const before = Object.fromEntries(Object.values(KINDS).map((rel) => [rel, readFileSync(join(dir, rel), "utf8")]));
    refused(fundsim("new-city", ID, "--policies", dir), new RegExp(`"${ID}" exists already`));
    rmSync(join(dir, KINDS.finance));
    const r = fundsim("new-city", ID, "--policies", dir, ...NAMES);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/missing finance/);
    for (const rel of Object.values(KINDS)) expect(readFileSync(join(dir, rel), "utf8"), rel).toBe(before[rel]);
  });
});

describe("bad files and options: one message naming the file, exit 2", () => {
  it("a broken policy file names the file, line and field", () => {
    const dir = cityDir("broken-policy");
    writeFileSync(join(dir, KINDS.policy), readFileSync(join(dir, KINDS.policy), "utf8").replace("value: 2000,", "value: lots,"));
    refused(fundsim("run", "--city", ID, "--policies", dir, "--persons", "100", "--out", join(root, "o1")), shown(dir, KINDS.policy), /caps\.general\.value/, /"lots"/);
    expect(existsSync(join(root, "o1"))).toBe(false);
  });

  it("a calibration file that is not YAML names the file and line", () => {
    const dir = cityDir("broken-calibration");
    writeFileSync(join(dir, KINDS.calibration), "population: [unclosed\n");
    refused(fundsim("calibrate", "--city", ID, "--policies", dir, "--persons", "100"), shown(dir, KINDS.calibration), /:2:1:/);
  });

  it("a missing companion file names it and the command that writes it", () => {
    const dir = cityDir("missing-finance");
    rmSync(join(dir, KINDS.finance));
    refused(fundsim("project", "--city", ID, "--policies", dir, "--persons", "100", "--out", join(root, "o6")), shown(dir, KINDS.finance), new RegExp(`fundsim new-city ${ID}`));
  });

  it("a city defined twice, in two directories or as one of the project's", () => {
    const a = cityDir("twice-a");
    const b = cityDir("twice-b");
    refused(fundsim("run", "--city", ID, "--policies", a, "--policies", b, "--persons", "100", "--out", join(root, "o2")), new RegExp(`"${ID}" is defined twice`), shown(a, KINDS.policy), shown(b, KINDS.policy));
    refused(fundsim("new-city", "lanzhou", "--policies", fresh("twice-c")), /"lanzhou" exists already/, /src\/policies\/lanzhou\.yaml/);
  });

  it("a bad id: new-city says what an id is; a policy file named so is refused", () => {
    refused(fundsim("new-city", "Bad-Id", "--policies", fresh("bad-id")), /lowercase letters/, /"Bad-Id"/);
    const dir = cityDir("bad-file-name");
    writeFileSync(join(dir, "Bad-Id.yaml"), readFileSync(join(dir, KINDS.policy)));
    refused(fundsim("run", "--city", ID, "--policies", dir, "--persons", "100", "--out", join(root, "o5")), shown(dir, "Bad-Id.yaml"), /lowercase letters/, /"Bad-Id"/);
  });

  it("--policies or FUNDSIM_POLICIES naming a missing directory", () => {
    const missing = join(root, "no-such-dir");
    refused(fundsim("run", "--city", ID, "--policies", missing, "--persons", "100", "--out", join(root, "o3")), /--policies: no such directory/, new RegExp(esc(missing)));
    refused(fundsimWith({ FUNDSIM_POLICIES: missing }, "run", "--city", ID, "--persons", "100", "--out", join(root, "o3")), /FUNDSIM_POLICIES/, /no such directory/);
    // new-city makes the directory it is given when its parent exists (a typo in a parent is refused).
    refused(fundsim("new-city", ID, "--policies", join(missing, "deeper")), /--policies: neither .* nor its parent exists/);
    const made = fundsim("new-city", ID, "--policies", join(root, "made-by-new-city"));
    expect(made.status, made.stderr).toBe(0);
    expect(existsSync(join(root, "made-by-new-city", "finance", `${ID}.yaml`))).toBe(true);
  });

  it("an unknown city names the cities found, the user's directory included", () => {
    const dir = cityDir("unknown");
    refused(fundsim("run", "--city", "rome", "--policies", dir, "--persons", "100", "--out", join(root, "o4")), new RegExp(`lanzhou, jinan, neijiang, lvliang, ganzhou, ${ID}: the policy files in src/policies, .*${esc(basename(dir))}`), /got "rome"/);
  });
});
