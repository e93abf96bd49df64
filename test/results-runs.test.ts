// The pages on a user's own run (FUNDSIM_RUNS, src/data/results.json.ts): a `fundsim run --data`
// output stands in for one city-year; its figures reach the pages' data put on the pages' sample
// size, the other cities stay simulated, and a run the pages cannot show is refused by name.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundsim } from "./made-up-city.ts";

const ROOT = join(import.meta.dirname, "..");
const PAGE_PERSONS = 1500;
let root: string;

function loader(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/data/results.json.ts")], {
    cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FUNDSIM_PAGE_PERSONS: String(PAGE_PERSONS), ...env },
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fundsim-runs-"));
  for (const args of [
    ["simulate", "--city", "jinan", "--persons", "2500", "--year", "2024", "--seed", "5", "--out", join(root, "data")],
    ["run", "--city", "jinan", "--data", join(root, "data"), "--year", "2024", "--out", join(root, "run2024")],
  ]) {
    const r = fundsim(args);
    expect(r.status, r.stderr).toBe(0);
  }
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the pages on a user's run (FUNDSIM_RUNS)", () => {
  it("a bureau's run gives that city-year, put on the pages' sample size; the others are simulated", async () => {
    const r = loader({ FUNDSIM_RUNS: join(root, "run2024") });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const jinan = out.cities.find((c: { city: string }) => c.city === "jinan");
    expect(jinan.source).toEqual({ kind: "runs", runs: [{ year: 2024, dir: join(root, "run2024"), data: join(root, "data"), persons: 2500 }] });
    for (const c of out.cities.filter((x: { city: string }) => x.city !== "jinan")) expect(c.source).toEqual({ kind: "simulated" });
    // Jinan 2024's flows are the run's × 1500 / 2500, line by line.
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT scheme, line, fen FROM read_parquet('${join(root, "run2024", "flows.parquet")}') WHERE city = 'jinan'`)).getRowObjectsJS() as Array<{ scheme: string; line: string; fen: bigint | number }>;
    conn.closeSync();
    expect(rows.length).toBeGreaterThan(10);
    const f = out.flows as Record<string, unknown[]>;
    for (const row of rows) {
      const i = f.city.findIndex((c, k) => c === "jinan" && f.year[k] === 2024 && f.scheme[k] === row.scheme && f.line[k] === row.line);
      expect(i, `${row.scheme} ${row.line}`).toBeGreaterThanOrEqual(0);
      expect(f.fen[i] as number).toBeCloseTo((Number(row.fen) * PAGE_PERSONS) / 2500, 2);
    }
    // Jinan 2023 is not in the run: simulated, as every other city.
    expect(f.city.some((c, k) => c === "jinan" && f.year[k] === 2023)).toBe(true);
  }, 180_000);

  it("refuses, naming FUNDSIM_RUNS and the directory: not a run, a city-year given twice", () => {
    const notRun = loader({ FUNDSIM_RUNS: join(root, "data") });
    expect(notRun.status).not.toBe(0);
    expect(notRun.stderr).toMatch(/FUNDSIM_RUNS: .*data: not an output of fundsim run \(no run\.json\)/);
    const r = fundsim(["run", "--city", "jinan", "--data", join(root, "data"), "--year", "2024", "--out", join(root, "run-again")]);
    expect(r.status, r.stderr).toBe(0);
    const twice = loader({ FUNDSIM_RUNS: [join(root, "run2024"), join(root, "run-again")].join(":") });
    expect(twice.status).not.toBe(0);
    expect(twice.stderr).toMatch(/FUNDSIM_RUNS: .*run-again: jinan 2024 is in two of the runs given/);
  }, 180_000);
});
