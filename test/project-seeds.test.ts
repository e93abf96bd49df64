// `fundsim project --seeds N` (issue 13): the central projection repeated on the reference samples
// of N consecutive seeds, with the mean and the seed-to-seed SD of the last year's months of
// reserve printed and written into projection.json — computed from those runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { meanSd } from "../src/cli/project-seeds.ts";

const ROOT = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "fundsim-seeds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fundsim = (...args: string[]) => spawnSync(process.execPath, ["bin/fundsim.js", "project", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TZ: "Asia/Shanghai" } });
const json = (out: string) => JSON.parse(readFileSync(join(out, "projection.json"), "utf8"));

/** The last year's months of reserve of each role in a projection.csv. */
function lastMonths(out: string): Record<string, number> {
  const [head, ...rows] = readFileSync(join(out, "projection.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
  const col = (k: string) => head.indexOf(k);
  const maxYear = Math.max(...rows.map((r) => Number(r[col("year")])));
  return Object.fromEntries(rows.filter((r) => Number(r[col("year")]) === maxYear).map((r) => [r[col("role")], Number(r[col("months_of_reserve")])]));
}

describe("fundsim project --seeds", () => {
  it("mean and sample SD of the seeds' runs: N = 2 gives |a − b|/√2", () => {
    const small = ["--city", "neijiang", "--years", "3", "--persons", "400"];
    const runs = [1, 2].map((seed) => {
      const out = join(dir, `s${seed}`);
      const r = fundsim(...small, "--seed", String(seed), "--out", out);
      expect(r.status, r.stderr).toBe(0);
      expect(json(out)).toMatchObject({ seeds: 1, seedSpread: null });
      return lastMonths(out);
    });
    const out = join(dir, "both");
    const r = fundsim(...small, "--seed", "1", "--seeds", "2", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    // The central run is seed 1's, unchanged.
    expect(lastMonths(out)).toEqual(runs[0]);
    const sp = json(out).seedSpread;
    expect(sp).toMatchObject({ seeds: [1, 2], persons: 400, year: 2025 });
    expect(sp.schemes.map((s: { scheme: string }) => s.scheme)).toEqual(["reform", "baseline"]);
    ["scenario", "baseline"].forEach((role, i) => {
      const [a, b] = runs.map((x) => x[role]);
      const s = sp.schemes[i];
      expect(s.months[0]).toBeCloseTo(a, 6); // the CSV holds the months to ~15 digits
      expect(s.months[1]).toBeCloseTo(b, 6);
      expect(s.mean).toBeCloseTo((a + b) / 2, 6);
      expect(s.sd).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 6);
      expect(s.sd).toBeGreaterThan(0);
    });
    expect(r.stdout).toMatch(
      new RegExp(`months of reserve in 2025 over 2 reference samples of 400 persons \\(seeds 1–2\\): reform mean ${sp.schemes[0].mean.toFixed(2)}, seed-to-seed SD ${sp.schemes[0].sd.toFixed(2)}; baseline mean`),
    );
  });

  it("meanSd is the sample SD; --seeds is checked", () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(meanSd([7]).sd).toBeNaN();
    const r = fundsim("--city", "neijiang", "--seeds", "0", "--out", join(dir, "bad"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seeds: must be a whole number from 1 to 1000, got "0"/);
  });
});
