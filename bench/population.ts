// Population engine benchmarks: generating persons and claims (single thread), and writing them
// to Parquet through DuckDB. Run alone with `npx tsx bench/population.ts`, or from bench/run.ts.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cityModel } from "../src/loaders/population/index.ts";
import { generatePersons } from "../src/loaders/population/persons.ts";
import { generateVisits } from "../src/loaders/population/visits.ts";
import { runSimulate } from "../src/cli/simulate.ts";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const PERSONS = 1_000_000;
const CHUNK = 65_536;

/** Best of `reps` runs of generating PERSONS persons and their claims, in chunks, on one thread. */
function generation(reps: number) {
  const model = cityModel("lanzhou", 2024);
  let best = { total: Infinity, persons: 0, visits: 0, claims: 0 };
  for (let r = 0; r < reps; r++) {
    let tp = 0;
    let tv = 0;
    let claims = 0;
    const t0 = performance.now();
    for (let first = 0; first < PERSONS; first += CHUNK) {
      const n = Math.min(CHUNK, PERSONS - first);
      const a = performance.now();
      const p = generatePersons(model, 1, first, n);
      const b = performance.now();
      claims += generateVisits(model, 1, p).length;
      tv += performance.now() - b;
      tp += b - a;
    }
    const total = performance.now() - t0;
    if (total < best.total) best = { total, persons: tp, visits: tv, claims };
  }
  return best;
}

export async function benchPopulation(): Promise<BenchResult[]> {
  const g = generation(3);
  const dir = mkdtempSync(join(tmpdir(), "fundsim-bench-"));
  try {
    const w = await runSimulate({ city: "lanzhou", persons: PERSONS, year: 2024, seed: 1, chunkSize: CHUNK, out: dir });
    const bytes = statSync(w.personsPath).size + statSync(w.claimsPath).size;
    return [
      { name: "population: generate 1M persons + claims (1 thread)", value: g.total / 1000, unit: "s", note: `${g.claims.toLocaleString("en-US")} claims; best of 3` },
      { name: "population: persons generated per second", value: Math.round(PERSONS / (g.persons / 1000)), unit: "persons/s" },
      { name: "population: claims generated per second", value: Math.round(g.claims / (g.visits / 1000)), unit: "claims/s" },
      { name: "population: simulate 1M to Parquet (generate + DuckDB + zstd)", value: w.seconds, unit: "s", note: `${(bytes / 1e6).toFixed(0)} MB; DuckDB on 1 thread for byte-identical files` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchPopulation()) console.log(`${r.name}: ${r.value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
}
