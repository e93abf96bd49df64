// A person's draws depend only on (seed, person id): chunking changes nothing, the same seed
// gives byte-identical Parquet.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { cityModel, generateChunk, generateChunks, type Chunk } from "../../src/loaders/population/index.ts";
import { CLAIM_ARRAY_KEYS, PERSON_ARRAY_KEYS, claimAt, personAt } from "../../src/loaders/population/columns.ts";
import { runSimulate } from "../../src/cli/simulate.ts";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "fundsim-pop-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** All chunks' columns concatenated, as bytes per column. */
function concat(chunks: Chunk[]): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  for (const k of PERSON_ARRAY_KEYS) out[`p.${k}`] = Buffer.concat(chunks.map((c) => bytes(c.persons[k])));
  for (const k of CLAIM_ARRAY_KEYS) out[`c.${k}`] = Buffer.concat(chunks.map((c) => bytes(c.claims[k])));
  return out;
}

describe("determinism", () => {
  const model = cityModel("ganzhou", 2024);
  const N = 20_000;

  it("gives identical columns for chunk sizes 1000, 7777 and 65536", () => {
    const a = concat([...generateChunks(model, 99, N, 1000)]);
    const b = concat([...generateChunks(model, 99, N, 65_536)]);
    const c = concat([...generateChunks(model, 99, N, 7777)]);
    for (const k of Object.keys(a)) {
      expect(b[k].equals(a[k]), k).toBe(true);
      expect(c[k].equals(a[k]), k).toBe(true);
    }
    expect(a["c.person"].length / 4).toBeGreaterThan(N * 4);
  });

  it("generates a person the same alone as inside a chunk", () => {
    const big = generateChunk(model, 5, 0, 3000);
    const alone = generateChunk(model, 5, 2345, 1);
    expect(personAt(alone.persons, 0)).toEqual(personAt(big.persons, 2345));
    const from = big.persons.claimStart[2345];
    const to = big.persons.claimStart[2346];
    expect(alone.claims.length).toBe(to - from);
    for (let j = 0; j < alone.claims.length; j++) expect(claimAt(alone.claims, j)).toEqual(claimAt(big.claims, from + j));
  });

  it("changes with the seed", () => {
    const a = generateChunk(model, 1, 0, 2000);
    const b = generateChunk(model, 2, 0, 2000);
    let same = 0;
    for (let i = 0; i < 2000; i++) if (a.persons.birthDay[i] === b.persons.birthDay[i]) same++;
    expect(same).toBeLessThan(50);
  });

  it("writes byte-identical Parquet for the same seed, and the same rows whatever the chunk size", async () => {
    const args = { city: "jinan" as const, persons: 30_000, year: 2024, seed: 42 };
    const [d1, d2, d3] = [tmp(), tmp(), tmp()];
    const r1 = await runSimulate({ ...args, chunkSize: 65_536, out: d1 });
    await runSimulate({ ...args, chunkSize: 65_536, out: d2 });
    await runSimulate({ ...args, chunkSize: 4_000, out: d3 });
    for (const f of ["persons.parquet", "claims.parquet"]) {
      expect(readFileSync(join(d2, f)).equals(readFileSync(join(d1, f))), f).toBe(true);
    }
    expect(readdirSync(d1).sort()).toEqual([".fundsim-output.json", "claims.parquet", "persons.parquet"]); // no temporaries left
    expect(r1.persons).toBe(30_000);

    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
    for (const f of ["persons.parquet", "claims.parquet"]) {
      const diff = await q(
        `SELECT count(*) AS n FROM (SELECT * FROM read_parquet('${join(d1, f)}') EXCEPT ALL SELECT * FROM read_parquet('${join(d3, f)}'))`,
      );
      expect(Number(diff[0].n), f).toBe(0);
    }
    const counts = await q(`SELECT count(*) AS n, sum(amount_fen) AS fen FROM read_parquet('${join(d1, "claims.parquet")}')`);
    expect(Number(counts[0].n)).toBe(r1.claims);
    // Types and labels as documented.
    const types = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${join(d1, "claims.parquet")}'))`);
    const typeOf = Object.fromEntries(types.map((r) => [r.column_name, r.column_type]));
    expect(typeOf).toMatchObject({ person: "UINTEGER", date: "DATE", kind: "UTINYINT", level: "UTINYINT", amount_fen: "BIGINT", eligible_fen: "BIGINT", designated: "BOOLEAN", facility: "UINTEGER" });
    const meta = await q(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${join(d1, "claims.parquet")}')`);
    const kv = Object.fromEntries(meta.map((r) => [r.k, r.v]));
    expect(kv.city).toBe("jinan");
    expect(kv["column.kind"]).toContain("0=general, 1=tcm, 2=two_disease");
    const retired = await q(`SELECT count(*) AS n FROM read_parquet('${join(d1, "persons.parquet")}') WHERE retired_on IS NOT NULL AND status = 1`);
    expect(Number(retired[0].n)).toBeGreaterThan(5000);
    conn.closeSync();
    db.closeSync();
  });
});
