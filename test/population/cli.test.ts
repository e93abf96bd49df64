// The simulate and calibrate commands as a user runs them: bad arguments are refused with one
// message naming the option (exit 2), a run writes both files and nothing else, an interrupted
// run leaves nothing behind.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Command } from "commander";
import { parsePopulationArgs, register as registerSimulate } from "../../src/cli/simulate.ts";
import { register as registerCalibrate, runCalibration } from "../../src/cli/calibrate.ts";
import { cityIds, userPolicyDirs } from "../../src/loaders/cities.ts";
import { fileDisplayName } from "../../src/loaders/yaml-file.ts";

const ROOT = join(import.meta.dirname, "../..");
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "fundsim-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The cities found and where (the five seed cities, then any FUNDSIM_POLICIES adds: the test run's made-up one). */
const FOUND = `${cityIds().join(", ")}: the policy files in ${["src/policies", ...userPolicyDirs().map(fileDisplayName)].join(", ")}`;

const fundsim = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/fundsim.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TZ: "Asia/Shanghai" } });

describe("argument checks (in-process)", () => {
  it("accepts good arguments with defaults", () => {
    const r = parsePopulationArgs({ city: "lanzhou" }, { persons: 100_000 });
    expect(r).toEqual({ ok: true, value: { city: "lanzhou", cities: ["lanzhou"], persons: 100_000, year: 2024, seed: 1, chunkSize: 65_536 } });
    const all = parsePopulationArgs({ city: "all", persons: "10" }, { persons: 1 }, true);
    expect(all.ok && all.value.cities).toEqual(cityIds());
    expect(cityIds().slice(0, 5)).toEqual(["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"]);
  });

  it.each([
    [{ city: "lanzhou", persons: "abc" }, '--persons: must be a positive integer (at most 50000000), got "abc"'],
    [{ city: "lanzhou", persons: "0" }, '--persons: must be a positive integer (at most 50000000), got "0"'],
    [{ city: "lanzhou", persons: "1e6" }, '--persons: must be a positive integer (at most 50000000), got "1e6"'],
    [{ city: "lanzhou", year: "23" }, '--year: must be a year between 2000 and 2100, got "23"'],
    [{ city: "lanzhou", seed: "1.5" }, '--seed: must be an integer between 0 and 4294967295, got "1.5"'],
    [{ city: "lanzhou", seed: "4294967296" }, '--seed: must be an integer between 0 and 4294967295, got "4294967296"'],
    [{ city: "lanzhou", chunkSize: "-3" }, '--chunk-size: must be a positive integer (at most 4194304), got "-3"'],
    [{ city: "paris" }, `--city: must be a city found (${FOUND}), got "paris"`],
    [{}, "--city: required, a city id (a policy file's name in src/policies or a --policies directory)"],
  ])("refuses %j", (raw, message) => {
    expect(parsePopulationArgs(raw, { persons: 1 })).toEqual({ ok: false, problems: [message] });
  });

  it("registers the two subcommands on a commander program", () => {
    const program = new Command();
    registerSimulate(program);
    registerCalibrate(program);
    expect(program.commands.map((c) => c.name())).toEqual(["simulate", "calibrate"]);
    const sim = program.commands[0];
    expect(sim.options.map((o) => o.long)).toEqual(["--city", "--persons", "--year", "--seed", "--out", "--chunk-size", "--force"]);
  });
});

describe("fundsim simulate / calibrate (spawned)", () => {
  it("exits 2 with one message naming the option for a bad argument", () => {
    const r = fundsim("simulate", "--city", "lanzhou", "--persons", "abc");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('fundsim simulate: --persons: must be a positive integer (at most 50000000), got "abc"\n');
    expect(r.stdout).toBe("");
    const c = fundsim("calibrate", "--city", "rome");
    expect(c.status).toBe(2);
    expect(c.stderr).toBe(`fundsim calibrate: --city: must be a city found (${FOUND}) or "all", got "rome"\n`);
    const u = fundsim("simulate", "--city", "lanzhou", "--people", "5");
    expect(u.status).toBe(2);
    expect(u.stderr).toContain("--people");
  });

  it("writes persons.parquet and claims.parquet and nothing else", () => {
    const out = join(tmp(), "run");
    const r = fundsim("simulate", "--city", "neijiang", "--persons", "3000", "--seed", "9", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^3,000 persons, [\d,]+ claims in [\d.]+ s\n/);
    expect(readdirSync(out).sort()).toEqual([".fundsim-output.json", "claims.parquet", "persons.parquet"]);
  });

  it("leaves nothing behind when interrupted", async () => {
    const out = join(tmp(), "interrupted");
    const child = spawn(process.execPath, ["bin/fundsim.js", "simulate", "--city", "lanzhou", "--persons", "5000000", "--out", out], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Wait until the run has started writing (its directory exists), then interrupt.
    const t0 = Date.now();
    while (!existsSync(out) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted");
    expect(readdirSync(out)).toEqual([]);
  });

  it("prints the calibration report and exits 0 when every O/S target is met", () => {
    const r = fundsim("calibrate", "--city", "lvliang", "--persons", "100000");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("calibration report: 吕梁 (lvliang), year 2024, 100,000 persons, seed 1");
    expect(r.stdout).toMatch(/target\s+source\s+rating\s+level\s+year\s+target value\s+generated\s+gap %/);
    expect(r.stdout).toContain("every O/S target within ±5%");
  });

  it("marks a target outside ±5% as failing (a tiny population misses the spending targets)", () => {
    const rep = runCalibration({ city: "ganzhou", persons: 300, year: 2024, seed: 3 });
    const gated = rep.rows.filter((r) => r.gated);
    expect(gated.length).toBeGreaterThanOrEqual(8);
    for (const r of gated) expect(r.pass).toBe(Math.abs(r.gap) <= 0.05);
    expect(rep.ok).toBe(gated.every((r) => r.pass));
    expect(rep.ok).toBe(false);
  });
});
