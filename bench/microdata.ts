// A bureau's extract through `fundsim run --data` against the same population simulated in-process
// (issue 14's goal: within 1.5×). The population is written once by `fundsim simulate` (Parquet),
// then both runs are the command line, interleaved, best of `reps` each, on the same machine in the
// same minute: `fundsim run --persons N` (generate + adjudicate + aggregate) and `fundsim run --data
// DIR` (check + copy to DuckDB's working database + read chunks + adjudicate + aggregate). Their six
// summaries must be byte for byte the same. Run alone with `npx tsx bench/microdata.ts` (size:
// BENCH_MICRODATA_PERSONS, default 1 000 000), or from bench/run.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runSimulate } from "../src/cli/simulate.ts";

const SUMMARIES = ["flows", "impact", "reserve", "breakdowns", "winners", "exclusions"];

export interface MicrodataBench {
  persons: number;
  claims: number;
  generatedSeconds: number;
  dataSeconds: number;
  /** dataSeconds ÷ generatedSeconds. */
  ratio: number;
  sameSummaries: boolean;
}

function timedRun(args: string[]): number {
  const t = performance.now();
  const r = spawnSync("node", ["bin/fundsim.js", "run", ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`bench: fundsim run ${args.join(" ")} failed: ${r.stderr.slice(-2000)}`);
  return seconds;
}

export async function benchMicrodata(persons: number, { city = "lanzhou", year = 2023, reps = 2 } = {}): Promise<MicrodataBench> {
  const work = mkdtempSync(join(tmpdir(), "fundsim-bench-microdata-"));
  try {
    const data = join(work, "data");
    const sim = await runSimulate({ city, persons, year, seed: 1, chunkSize: 65_536, out: data });
    const common = ["--city", city, "--year", String(year), "--threads", "2", "--force"];
    const gen = join(work, "generated"), fromData = join(work, "from-data");
    let generatedSeconds = Infinity, dataSeconds = Infinity;
    for (let i = 0; i < reps; i++) {
      generatedSeconds = Math.min(generatedSeconds, timedRun([...common, "--persons", String(persons), "--seed", "1", "--out", gen]));
      dataSeconds = Math.min(dataSeconds, timedRun([...common, "--data", data, "--out", fromData]));
    }
    const sameSummaries = SUMMARIES.every((f) => readFileSync(join(gen, `${f}.parquet`)).equals(readFileSync(join(fromData, `${f}.parquet`))));
    return { persons, claims: sim.claims, generatedSeconds, dataSeconds, ratio: dataSeconds / generatedSeconds, sameSummaries };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.env.BENCH_MICRODATA_PERSONS ?? 1_000_000);
  const r = await benchMicrodata(n);
  console.log(
    `fundsim run --data, ${r.persons.toLocaleString("en")} persons and ${r.claims.toLocaleString("en")} claims (Parquet): ${r.dataSeconds.toFixed(1)} s; ` +
      `the same population generated in the run: ${r.generatedSeconds.toFixed(1)} s; ratio ${r.ratio.toFixed(2)}× (goal ≤ 1.5×); summaries identical: ${r.sameSummaries}`,
  );
}
