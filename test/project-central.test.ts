// The central projection on two threads (src/cli/project-central.ts) gives exactly the sample and
// the paths of one thread: the sample's chunks generated on both threads join into one thread's
// sample, and the worker projects the baseline from this thread's prepared data (sent across) with
// the schemes and finance it rebuilds from the run's options.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { centralInputOf, centralWorker, PARALLEL_FROM, preparedFrom, startCentral } from "../src/cli/project-central.ts";
import { sampleOf } from "../src/cli/project-draws.ts";
import { type Chunk, CLAIM_ARRAY_KEYS, cityModel, joinChunks, PERSON_ARRAY_KEYS, takeChunks } from "../src/loaders/population/index.ts";
import { parseScenario } from "../src/model/policy.ts";
import { runChunk } from "../src/model/engine.ts";
import { projectScheme } from "../src/model/projection/project.ts";
import { outpatientPrice, roundHalfUp } from "../src/model/projection/year-sample.ts";

/** Every column of a sample or chunk, as bytes (person columns, claim offsets, claim rows). */
function columnBytes({ persons, claims }: Pick<Chunk, "persons" | "claims">): Record<string, Buffer> {
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const out: Record<string, Buffer> = { claimStart: bytes(persons.claimStart) };
  for (const k of PERSON_ARRAY_KEYS) out[`p.${k}`] = bytes(persons[k]);
  for (const k of CLAIM_ARRAY_KEYS) out[`c.${k}`] = bytes(claims[k].subarray(0, claims.length));
  return out;
}
const expectSameColumns = (a: Pick<Chunk, "persons" | "claims">, b: Pick<Chunk, "persons" | "claims">) => {
  expect([a.persons.firstId, a.persons.count, a.claims.length]).toEqual([b.persons.firstId, b.persons.count, b.claims.length]);
  const x = columnBytes(a), y = columnBytes(b);
  for (const k of Object.keys(y)) expect(x[k].equals(y[k]), k).toBe(true);
};

describe("the reference sample on two threads", () => {
  const job = { city: "ganzhou" as const, scenario: null, baseYear: 2023, years: 3, persons: 5000, seed: 2 };
  const one = sampleOf(job.city, job.baseYear, job.seed, job.persons);

  it("joins chunks taken in any interleaving into one thread's sample", () => {
    const model = cityModel(job.city, job.baseYear);
    // Two "threads" taking turns from one counter: even turns to the first, odd to the second.
    let next = 0;
    const a: Array<[number, Chunk]> = [], b: Array<[number, Chunk]> = [];
    const ia = takeChunks(model, job.seed, job.persons, () => next++, 333), ib = takeChunks(model, job.seed, job.persons, () => next++, 333);
    for (let turn = 0; ; turn++) {
      const r = (turn % 3 === 2 ? ib : ia).next();
      if (r.done) break;
      (turn % 3 === 2 ? b : a).push(r.value);
    }
    for (const r of ib) b.push(r);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    const chunks: Chunk[] = [];
    for (const [i, c] of [...a, ...b]) chunks[i] = c;
    expect(chunks.length).toBe(Math.ceil(job.persons / 333));
    expectSameColumns(joinChunks(chunks), one);
    expect(one.claims.length).toBeGreaterThan(job.persons); // claims joined, not only persons
    expect(() => joinChunks([chunks[0], chunks[2]])).toThrow(/consecutive/);
  });

  it("gives the worker's chunks, moved across, as one thread generates them", async () => {
    // This thread takes none: every chunk is the worker's (generated there, its buffers transferred).
    const w = centralWorker(job, 1);
    try {
      const theirs = await w.generate(cityModel(job.city, job.baseYear), new SharedArrayBuffer(4), 700);
      expect(theirs.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expectSameColumns(joinChunks(theirs.map(([, c]) => c)), one);
    } finally {
      w.stop();
    }
  }, 120_000);

  it("is one thread's sample whichever thread takes which chunk, and projects the same", async () => {
    const run = startCentral(job, 2, 0, 250);
    const sample = await run.sample();
    expectSameColumns(sample, one);
    // On shared memory: the prepared projection sent to the worker carries the sample without a copy.
    expect(sample.claims.amountFen.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sample.persons.claimStart.buffer).toBeInstanceOf(SharedArrayBuffer);
    const { prep, params } = centralInputOf(job);
    const serial = await startCentral(job, 1).schemes(prep, params);
    const parallel = await run.schemes(centralInputOf(job, sample).prep, params);
    expect(JSON.parse(JSON.stringify(parallel))).toEqual(JSON.parse(JSON.stringify(serial)));
  }, 120_000);
});

describe("the central projection on two threads", () => {
  it("equals one thread's, year by year and line by line", async () => {
    const job = { city: "ganzhou" as const, scenario: null, baseYear: 2023, years: 4, persons: 3000, seed: 2 };
    const run = startCentral(job, 2, 0);
    const { prep, params } = centralInputOf(job);
    const serial = await startCentral(job, 1).schemes(prep, params);
    const parallel = await run.schemes(prep, params);
    expect(parallel.map((s) => s.scheme)).toEqual(serial.map((s) => s.scheme));
    expect(JSON.parse(JSON.stringify(parallel))).toEqual(JSON.parse(JSON.stringify(serial)));
    expect(serial[1].years[3].monthsOfReserve).not.toBe(serial[0].years[3].monthsOfReserve); // two schemes, not one twice
  }, 120_000);

  it("re-attaches the same schemes to the data a worker receives", () => {
    // A scenario (not the reform) as the first scheme: the worker must rebuild it from the job.
    const scenario = parseScenario({ set: { "benefits.general.rate.level1": "80%" } }, "test");
    const job = { city: "lanzhou" as const, scenario, scenarioSource: "test", baseYear: 2023, years: 3, persons: 1500, seed: 3 };
    const { prep, params } = centralInputOf(job);
    const { schemes: _s, finance: _f, ...data } = prep;
    const copied = preparedFrom(job, structuredClone(data));
    expect(copied.schemes).toEqual(prep.schemes);
    expect(copied.schemes[0]).not.toEqual(copied.schemes[1]);
    expect(copied.finance).toEqual(prep.finance);
    for (const si of [0, 1]) expect(JSON.stringify(projectScheme(copied, params, si))).toBe(JSON.stringify(projectScheme(prep, params, si)));
  }, 120_000);

  it("prices the baseline among the schemes as the baseline's own adjudication", () => {
    const { prep } = centralInputOf({ city: "ganzhou", scenario: null, baseYear: 2023, years: 2, persons: 2000, seed: 4 });
    const P = prep.base.persons, C = prep.base.claims;
    // The baseline is not adjudicated a second time for its price: the same numbers as if it were.
    expect(prep.prices[1]).toEqual(outpatientPrice(P, C, runChunk(prep.schemes[1], P, C, prep.baseYear, prep.finance)));
    expect(prep.prices[1]).toEqual(prep.pBase);
    expect(prep.prices[0]).toEqual(outpatientPrice(P, C, runChunk(prep.schemes[0], P, C, prep.baseYear, prep.finance)));
  }, 120_000);

  it("a run that fails before its worker is sent anything still exits at once", () => {
    // The worker starts with the run (to load while the sample is built): a bad scenario found after
    // that must end the run with its message, not leave it waiting on the idle worker.
    const dir = mkdtempSync(join(tmpdir(), "fundsim-central-"));
    try {
      writeFileSync(join(dir, "bad.yaml"), 'set: {"benefits.general.rate.level1": "150%"}\n');
      const r = spawnSync(process.execPath, ["bin/fundsim.js", "project", "--city", "lanzhou", "--persons", String(PARALLEL_FROM), "--threads", "2", "--scenario", join(dir, "bad.yaml"), "--out", join(dir, "out")], {
        cwd: join(import.meta.dirname, ".."), encoding: "utf8", timeout: 60_000, env: { ...process.env, TZ: "Asia/Shanghai" },
      });
      expect(r.signal).toBeNull(); // not killed by the timeout
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/rate from 0% to 100%/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("rounds scaled amounts exactly as Math.round (the transform's fast rounding)", () => {
    const near = (x: number, d: number) => {
      const b = new Float64Array([x]);
      new BigInt64Array(b.buffer)[0] += BigInt(d);
      return b[0];
    };
    const xs = [0, 0.5, 1.5, 2.5, 0.49999999999999994, near(0.5, 1), 2147483646.5, near(2147483646.5, -1), 2147483647, 2147483647.5, -0.5, -1.5, -2.6, 1e10 + 0.5, NaN, Infinity];
    for (let k = 0; k < 200_000; k += 7) for (const d of [-1, 0, 1]) xs.push(near(k + 0.5, d), near(k * 1.0370000000000001, d));
    for (const x of xs) expect(Object.is(roundHalfUp(x), Math.round(x)) || roundHalfUp(x) === Math.round(x)).toBe(true);
  });
});
