// npm run bench: speed and memory as ratios measured in one run, written to BENCHMARKS.md with the
// machine and the date. BENCH_QUICK=1 scales the large runs down tenfold.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { isoFromDay } from "../src/model/dates.ts";
import { type EngineClaims, type EnginePersons, NO_DAY, runChunk } from "../src/model/engine.ts";
import { applyRate, formatFen } from "../src/model/money.ts";
import { rulesAt } from "../src/model/policy.ts";
import { AREAS, DISEASES, KINDS, LEVELS, SETTINGS, STATUSES } from "../src/model/types.ts";
import { appendColumns, createTableFor } from "../src/pipeline/duckdb.ts";
import { oracle } from "../test/oracle/oracle.ts";
import { benchMicrodata } from "./microdata.ts";

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const QUICK = process.env.BENCH_QUICK === "1";
const rows: BenchRow[] = [];
const add = (r: BenchRow) => {
  rows.push(r);
  console.log(`${r.name}: ${r.value.toLocaleString("en", { maximumFractionDigits: 2 })} ${r.unit}${r.note ? ` — ${r.note}` : ""}`);
};
/** The issue's goals, each measured in this run. */
const goals: Array<{ goal: string; met: boolean; measured: string }> = [];
const goal = (g: string, met: boolean, measured: string) => goals.push({ goal: g, met, measured });
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, (performance.now() - t) / 1000];
};
/** Best of n (the machine is shared: the minimum is the least disturbed). */
const best = <T>(n: number, f: () => T): [T, number] => {
  let out: [T, number] = time(f);
  for (let i = 1; i < n; i++) {
    const r = time(f);
    if (r[1] < out[1]) out = r;
  }
  return out;
};

const city = "lanzhou";
const year = 2023;
const policy = loadPolicy(city);
const { finance } = loadFinance(city);
const model = cityModel(city, year);
const N = QUICK ? 50_000 : 200_000;
const { persons, claims } = generateChunk(model, 1, 0, N);
console.log(`sample: ${N} persons, ${claims.length} claims (${city} ${year})`);

// 1. The engine on one chunk (the reform scheme, with accounts and finance).
// The engine and the floor (2.) are timed interleaved, seven times each after a warm-up, and the
// best of each kept: a disturbance of the shared machine then hits both sides alike.
const engineRun = () => runChunk(policy.reform, persons, claims, year, finance);
const outcome = engineRun();
engineRun();
let tEngine = Infinity, tBare = Infinity;
for (let i = 0; i < 7; i++) {
  tEngine = Math.min(tEngine, time(engineRun)[1]);
  tBare = Math.min(tBare, time(barePass)[1]);
}
add({ name: "engine throughput", value: claims.length / tEngine / 1e6, unit: "M claims/s", note: `${N} person-years with their account credits in ${tEngine.toFixed(3)} s, one thread` });

// 2. The floor: a bare streaming pass over the same columns — it reads every person and claim
// column the engine reads and writes every column the engine writes (allocated per chunk, as the
// engine's are), with one rate by level and the account's running balance but none of the rules.
function barePass(): Int32Array {
  const n = claims.length, m = persons.count;
  const fund = new Int32Array(n), ded = new Int32Array(n), acc = new Int32Array(n), other = new Int32Array(n);
  const benefit = new Int8Array(n), exclusion = new Int8Array(n);
  const perPerson = Array.from({ length: 10 }, () => new Int32Array(m));
  const rates = [6500, 6000, 5500];
  const c = claims;
  const ps: EnginePersons = persons;
  for (let p = 0; p < m; p++) {
    let balance = (ps.openingBalanceFen ? ps.openingBalanceFen[p] : 0) + ps.contributionBaseFen[p] + ps.pensionFen[p];
    const flags = ps.status[p] + ps.hasAccount[p] + ps.oldWorker[p] + ps.twoDiseases[p] + (ps.chronic ? ps.chronic[p] : 0);
    const retiredOn = persons.retiredOnDay[p], born = persons.birthDay[p];
    for (let j = persons.claimStart[p], end = persons.claimStart[p + 1]; j < end; j++) {
      const f = c.day[j] >= retiredOn ? applyRate(c.eligibleFen[j], rates[c.level[j]]) : 0;
      const code = c.kind[j] + c.setting[j] + c.area[j] + c.designated[j] + c.emergency[j] + c.prescription[j] + flags;
      fund[j] = f;
      ded[j] = c.facility[j] & 1;
      benefit[j] = code;
      exclusion[j] = -code;
      other[j] = born;
      const self = c.amountFen[j] - f;
      const a = self < balance ? self : balance;
      acc[j] = a;
      balance -= a;
    }
    for (const col of perPerson) col[p] = balance;
  }
  return fund;
}
add({
  name: "engine ÷ bare streaming pass",
  value: tEngine / tBare,
  unit: "× slower",
  note: `floor ${(claims.length / tBare / 1e6).toFixed(0)} M claims/s: every column the engine reads and writes, one rate by level, no rules; goal ≤ 3×`,
});
goal("engine no more than 3× the bare pass", tEngine / tBare <= 3, `${(tEngine / tBare).toFixed(2)}×`);
{
  // The same two measures for Jinan, the city with the most mechanisms (per-facility deductible
  // in 2023, 70+ retiree credits, the second payment).
  const jp = loadPolicy("jinan");
  const jf = loadFinance("jinan").finance;
  const [, tJinan] = best(3, () => runChunk(jp.reform, persons, claims, year, jf));
  add({ name: "engine ÷ bare streaming pass, Jinan's rules", value: tJinan / tBare, unit: "× slower", note: `${(claims.length / tJinan / 1e6).toFixed(1)} M claims/s on the same population` });
}

// 3. The same rules as DuckDB SQL with window functions (Lanzhou reform, general pooling).
{
  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const c = await db.connect();
  const personOf = new Uint32Array(claims.length);
  for (let p = 0; p < persons.count; p++) personOf.fill(p, persons.claimStart[p], persons.claimStart[p + 1]);
  const retiredOn = new Int32Array(claims.length);
  const status = new Uint8Array(claims.length);
  const hasAccount = new Uint8Array(claims.length);
  for (let j = 0; j < claims.length; j++) {
    retiredOn[j] = persons.retiredOnDay[personOf[j]];
    status[j] = persons.status[personOf[j]];
    hasAccount[j] = persons.hasAccount[personOf[j]];
  }
  const seq = new Uint32Array(claims.length).map((_, i) => i);
  const cols = { seq, person: personOf, day: claims.day, kind: claims.kind, level: claims.level, setting: claims.setting, designated: claims.designated, emergency: claims.emergency, prescription: claims.prescription, eligible: claims.eligibleFen, retired_on: retiredOn, status, has_account: hasAccount };
  await createTableFor(c, "claims", cols);
  await appendColumns(c, "claims", cols, claims.length);
  const r = rulesAt(policy.reform, persons.claimStart.length ? claims.day[0] : 0)!;
  const g = r.benefits.general!;
  const cap = r.generalCapFen![0];
  const ded = g.deductibleFen[0];
  // Paid kinds: every outpatient kind but inpatient / day surgery; Lanzhou pays chronic overflow.
  const sql = `
    CREATE OR REPLACE TABLE adjudicated AS
    WITH e AS (
      SELECT *, (retired_on <> ${NO_DAY} AND day >= retired_on) OR (status = 1 AND retired_on = ${NO_DAY}) AS retired
      FROM claims
      WHERE kind NOT IN (${KINDS.indexOf("inpatient")}, ${KINDS.indexOf("day_surgery")})
        AND (designated = 1 OR emergency = 1) AND (setting = 0 OR prescription = 1)),
    d AS (
      SELECT *, sum(eligible) OVER w AS cum_e, coalesce(sum(eligible) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prev_e
      FROM e WINDOW w AS (PARTITION BY person ORDER BY day, seq)),
    r AS (
      SELECT *, least(cum_e, ${ded}) - least(prev_e, ${ded}) AS deductible,
        floor(((eligible - (least(cum_e, ${ded}) - least(prev_e, ${ded}))) *
          CASE level ${[0, 1, 2].map((l) => `WHEN ${l} THEN CASE WHEN retired THEN ${g.rateBp[l * 2 + 1]} ELSE ${g.rateBp[l * 2]} END`).join(" ")} END + 5000) / 10000) AS raw
      FROM d),
    c AS (
      SELECT *, sum(raw) OVER w AS cum_raw, coalesce(sum(raw) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prev_raw
      FROM r WINDOW w AS (PARTITION BY person ORDER BY day, seq))
    SELECT seq, person, least(cum_raw, ${cap}) - least(prev_raw, ${cap}) AS fund FROM c`;
  // Timed on one thread, as the engine is (each side scales across cores by chunks / partitions),
  // and on two for information. Best of three, like the engine.
  const timeSql = async (threads: number) => {
    await c.run(`SET threads = ${threads}`);
    await c.run(sql); // warm-up
    let bestT = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await c.run(sql);
      bestT = Math.min(bestT, (performance.now() - t) / 1000);
    }
    return bestT;
  };
  const tSql2 = await timeSql(2);
  const tSql = await timeSql(1);
  const sqlFund = Number((await c.runAndReadAll("SELECT sum(fund) FROM adjudicated")).getRows()[0][0]);
  let engineFund = 0;
  for (let j = 0; j < claims.length; j++) engineFund += outcome.fundFen[j];
  // The SQL has rules only, no finance lines (contributions, inpatient shares, family use): the
  // engine is timed the same way, still doing every benefit and the accounts.
  const [, tRules] = best(5, () => runChunk(policy.reform, persons, claims, year));
  goal("engine ≥ 5× faster than the same rules in DuckDB SQL", tSql / tRules >= 5, `${(tSql / tRules).toFixed(1)}×`);
  add({
    name: "DuckDB SQL (window functions) ÷ engine",
    value: tSql / tRules,
    unit: "× faster (engine)",
    note: `both on one thread, rules only: SQL ${tSql.toFixed(3)} s, engine ${tRules.toFixed(3)} s (with the finance lines ${tEngine.toFixed(3)} s: ${(tSql / tEngine).toFixed(1)}×; SQL on 2 threads ${tSql2.toFixed(3)} s); fund totals ${sqlFund === engineFund ? "equal" : `DIFFER (${sqlFund} vs ${engineFund})`}; the SQL does general pooling only, the engine every benefit and the accounts; goal ≥ 5×`,
  });
  c.closeSync();
}

// 4. The plain decimal.js oracle on the same person-years (contract JSON in, JSON out).
{
  const M = QUICK ? 2000 : 10_000;
  const inputs: unknown[] = [];
  for (let p = 0; p < M; p++) {
    const cl = [];
    for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) {
      cl.push({
        date: isoFromDay(claims.day[j]), kind: KINDS[claims.kind[j]], level: LEVELS[claims.level[j]], amount: formatFen(claims.amountFen[j]), eligible: formatFen(claims.eligibleFen[j]),
        setting: SETTINGS[claims.setting[j]], area: AREAS[claims.area[j]], designated: claims.designated[j] === 1, emergency: claims.emergency[j] === 1, prescription: claims.prescription[j] === 1,
      });
    }
    inputs.push({
      city, person: {
        status: STATUSES[persons.status[p]], hasAccount: persons.hasAccount[p] === 1,
        twoDiseases: DISEASES.filter((_, i) => (persons.twoDiseases[p] >> i) & 1),
        ...(persons.retiredOnDay[p] !== NO_DAY ? { retiredOn: isoFromDay(persons.retiredOnDay[p]) } : {}),
      }, claims: cl,
    });
  }
  const claimsM = persons.claimStart[M];
  const [, tOracle] = best(1, () => inputs.map((i) => oracle(i as Parameters<typeof oracle>[0])));
  const sub: EnginePersons = { ...persons, count: M, claimStart: persons.claimStart.subarray(0, M + 1) };
  const subClaims: EngineClaims = { ...claims, length: claimsM };
  const [, tEng] = best(3, () => runChunk(policy.reform, sub, subClaims, year));
  add({ name: "decimal.js oracle ÷ engine", value: tOracle / tEng, unit: "× faster (engine)", note: `${M} person-years, ${claimsM} claims; goal ≥ 50×` });
  goal("engine ≥ 50× faster than the decimal.js oracle", tOracle / tEng >= 50, `${(tOracle / tEng).toFixed(0)}×`);
}

// 5. A city-year end to end, and memory against population size (child processes, fresh heaps).
function runChild(persons: number, threads: number): { seconds: number; maxRssMb: number } {
  const out = join(mkdtempSync(join(tmpdir(), "bench-")), "out");
  const script = `
    import { runPipeline } from "./src/pipeline/run.ts";
    const t = performance.now();
    await runPipeline({ cities: ["${city}"], year: ${year}, seed: 1, persons: ${persons}, threads: ${threads}, scenario: null, out: ${JSON.stringify(out)}, csv: false });
    console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const file = join(process.cwd(), `.bench-child-${process.pid}.ts`);
  writeFileSync(file, script);
  try {
    const r = spawnSync("npx", ["tsx", file], { encoding: "utf8", maxBuffer: 1 << 24 });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    if (r.status !== 0 || !line.startsWith("{")) throw new Error(`bench child failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(line);
  } finally {
    rmSync(file, { force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
{
  const M = QUICK ? 200_000 : 1_000_000;
  runChild(20_000, 2); // warm-up: builds the worker bundle after a source change, fills the OS cache
  const bestChild = (persons: number, threads: number) => [0, 1, 2].map(() => runChild(persons, threads)).reduce((x, y) => (y.seconds < x.seconds ? y : x));
  const two = bestChild(M, 2);
  const one = bestChild(M, 1);
  add({ name: `city-year, ${M / 1e6} M insured, generate + adjudicate (reform and baseline) + aggregate to Parquet`, value: two.seconds, unit: "s", note: `2 worker threads, best of 3; 1 thread: ${one.seconds.toFixed(1)} s (×${(one.seconds / two.seconds).toFixed(2)}); goal < 5 s` });
  goal("1 M city-year under 5 s on 2 cores", two.seconds < 5 && M === 1_000_000, `${two.seconds.toFixed(2)} s`);
  const small = QUICK ? 200_000 : 2_000_000;
  const large = small * 10;
  const a = runChild(small, 2);
  const b = runChild(large, 2);
  add({ name: `peak memory, ${large / 1e6} M ÷ ${small / 1e6} M persons`, value: b.maxRssMb / a.maxRssMb, unit: "×", note: `${a.maxRssMb.toFixed(0)} MB vs ${b.maxRssMb.toFixed(0)} MB peak RSS; goal ≤ 2×` });
  goal("peak memory 20 M ÷ 2 M ≤ 2×", b.maxRssMb / a.maxRssMb <= 2, `${(b.maxRssMb / a.maxRssMb).toFixed(2)}×`);
  const perMillion = b.seconds / (large / 1e6);
  add({
    name: "national year extrapolated (371 M insured)",
    value: (perMillion * 371) / 60,
    unit: "min",
    note: `from ${b.seconds.toFixed(0)} s for ${large / 1e6} M on 2 cores (${perMillion.toFixed(1)} s per million), memory bounded at ≈ ${b.maxRssMb.toFixed(0)} MB`,
  });
}

// 5b. A bureau's extract: the same population as Parquet through `fundsim run --data`, against it
//     generated in the run (bench/microdata.ts; alone: `npx tsx bench/microdata.ts`).
{
  const M = QUICK ? 100_000 : 1_000_000;
  const r = await benchMicrodata(M, { city, year });
  add({
    name: `fundsim run --data, ${M / 1e6} M persons (Parquet) ÷ the same population generated in the run`,
    value: r.ratio,
    unit: "×",
    note: `${r.claims.toLocaleString("en")} claims; ${r.dataSeconds.toFixed(1)} s vs ${r.generatedSeconds.toFixed(1)} s, command line, 2 threads, best of 2; summaries ${r.sameSummaries ? "identical" : "DIFFERENT"}; goal ≤ 1.5×`,
  });
  goal("1 M-person extract through run --data within 1.5× of generating it", r.ratio <= 1.5 && r.sameSummaries && M === 1_000_000, `${r.ratio.toFixed(2)}×`);
}

// 6. The engine against the calculator on 1 M random person-years (10 × 100 k: five cities, reform
//    and baseline; CI runs the same test at 100 k).
{
  const per = QUICK ? 10_000 : 100_000;
  const t = performance.now();
  const r = spawnSync("npx", ["vitest", "run", "test/engine-differential.test.ts"], { encoding: "utf8", env: { ...process.env, DIFF_PERSONS: String(per), TZ: "Asia/Shanghai" } });
  const passed = /Tests\s+\S*\s*10 passed/.test(r.stdout.replace(/\x1b\[[0-9;]*m/g, ""));
  add({ name: `engine = calculator on ${(per * 10).toLocaleString("en")} random person-years`, value: passed ? 1 : 0, unit: passed ? "all equal" : "FAILED", note: `claim by claim, credits and second payments; ${((performance.now() - t) / 1000).toFixed(0)} s` });
}

// 7. Benchmarks that live beside their code.
for (const [file, fn] of [["./population.ts", "benchPopulation"], ["./projection.ts", "benchProjection"], ["./whatif.ts", "benchWhatIf"]] as const) {
  if (!existsSync(new URL(file, import.meta.url))) continue;
  const mod = (await import(file)) as Record<string, () => Promise<BenchRow[]>>;
  if (typeof mod[fn] === "function") for (const r of await mod[fn]()) add(r);
}

/** Why a goal is not met, when it is not (the measured numbers are in the tables above). */
const LIMITS = [
  {
    goal: "1 M-person extract through run --data within 1.5× of generating it",
    text: `Reading an extract replaces generation (≈ 3 s per million on one thread) by DuckDB's work:
  every check (one scan of each file, the claims joined to the persons), the working copy sorted by
  person and date, and one filtered scan per chunk; each on 2 threads within a 1 GB memory limit.`,
  },
  {
    goal: "engine no more than 3× the bare pass",
    text: `Measured by swapping parts out: the kernel call
  (\`adjudicateCoded\`, route-table lookup, deductible accumulator, rate cell with uplifts, caps; too
  large for V8 to inline into the loop) is about a fifth of the engine's time. The rest is the glue the
  floor does not have: composing each claim's route key from six code columns, crediting months and
  letting the account pay self-pay in date order, and per person choosing the credit rule (steady year
  or month by month) and resetting the year's accumulators. Jinan's rules (per-facility deductibles in
  2023, 70+ credits) cost more. The machine's timing varies by ±15–30% between runs.`,
  },
  {
    goal: "engine ≥ 5× faster than the same rules in DuckDB SQL",
    text: `The SQL computes general pooling only, with no accounts, so it does less work per claim than
  the engine; the engine's per-claim cost is as described for the bare pass.`,
  },
  {
    goal: "1 M city-year under 5 s on 2 cores",
    text: `Generation (≈ 3 s per million on one thread) and the two adjudications dominate; each worker's
  first chunks run slowly while the JIT warms up, and two threads each run ≈ 1.25× slower than one alone
  on this VM.`,
  },
  {
    goal: "peak memory 20 M ÷ 2 M ≤ 2×",
    text: `Workers hold one chunk and sum persons into fixed-size cubes; only the sparse spending × gain
  histogram grows with the population, bounded by its bin grid.`,
  },
];

const cpu = cpus();
const md = `# Benchmarks

Measured by \`npm run bench\`${QUICK ? " (BENCH_QUICK=1: large runs scaled down tenfold)" : ""} on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" / ")}.
Ratios are taken within this one run, so a busy machine moves both sides alike.

| measure | value | unit | note |
|---|---:|---|---|
${rows.map((r) => `| ${r.name} | ${r.value.toLocaleString("en", { maximumFractionDigits: 2 })} | ${r.unit} | ${r.note ?? ""} |`).join("\n")}

## The goals

| goal | measured | met |
|---|---:|---|
${goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? "yes" : "**no**"} |`).join("\n")}

${goals.some((g) => !g.met) ? "## What limits the goals not met\n\n" + LIMITS.filter((l) => goals.some((g) => !g.met && g.goal === l.goal)).map((l) => `- **${l.goal}.** ${l.text}`).join("\n") : "Every goal is met in this run."}

## How it is measured

- The engine and the floor run on the same 200 000-person Lanzhou chunk (one thread, best of five).
  The floor reads every person and claim column the engine reads and writes every column it writes,
  with one rate by level and the account's running balance but no rules: the cost of streaming the
  data, which no rule engine can beat. The engine's rules are compiled once per dated rule set into
  numeric tables (\`kernelOf\`) and applied by \`adjudicateCoded\` — the calculator's own kernel.
- SQL and engine are compared on one thread each; each side scales across cores by partitions or
  chunks. The SQL does Lanzhou's general pooling only (deductible and cap by window sums); the engine,
  timed for this ratio without the finance lines (contributions, inpatient shares, family use: not
  rules, and not in the SQL), still does every benefit and the accounts. The ratio with the finance
  lines is in the note.
- The extract: \`fundsim simulate\` writes the population (Parquet), then \`fundsim run --data\` (every
  check, DuckDB's working copy, the chunk reads) and \`fundsim run --persons\` on the same population
  run as commands, interleaved, best of two each; their summaries must be byte for byte the same.
- City-year runs are child processes (fresh heaps) of \`runPipeline\`, after a warm-up run, best of three;
  peak memory is the child's maximum resident set.
`;
writeFileSync("BENCHMARKS.md", md);
console.log("\nwrote BENCHMARKS.md");
