// The calculator contract (/work/shared/contract/calculator.md) checked from outside: every shared
// example and every hand-worked case in test/cases/*.yaml goes through the real command
// `node bin/fundsim.js calc -` (input on standard input), plus the contract's error behaviour.
// Processes are started concurrently up front (two at a time), then each case checks its result.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cases, examples, type Expected, pick, type Worked } from "./worked.ts";

const ROOT = join(import.meta.dirname, "..");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCommand(args: string[], stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/fundsim.js", ...args], {
      cwd: ROOT,
      env: { ...process.env, TZ: "Asia/Shanghai", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => {}); // the command may exit before reading everything
    child.stdin.end(stdin);
  });
}

/** Run jobs with at most `n` at a time (the machine has two cores). */
async function pool<T>(jobs: Array<() => Promise<T>>, n = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

function worked(): Worked[] {
  return [...examples(), ...cases().flatMap(([, c]) => c)];
}

const strip = (e: Expected & { why?: unknown }): Expected => {
  const out: Expected = {};
  if (e.claims) out.claims = e.claims;
  if (e.totals) out.totals = e.totals;
  if (e.accounts) out.accounts = e.accounts;
  return out;
};

describe("fundsim calc: worked examples and cases through the real command", () => {
  const all = worked();
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await pool(all.map((w) => () => runCommand(["calc", "-"], JSON.stringify(w.input))));
  }, 300_000);

  all.forEach((w, i) => {
    it(w.name, () => {
      const r = runs[i];
      expect(r.code, `exit status (stderr: ${r.stderr})`).toBe(0);
      const out = JSON.parse(r.stdout);
      const input = w.input as { city: string; claims: unknown[] };
      expect(out.city).toBe(input.city);
      expect(out.claims).toHaveLength(input.claims.length);
      expect(pick(out, w.expected)).toEqual(strip(w.expected));
      // money is a string with exactly two decimals
      for (const c of out.claims) for (const k of ["amount", "eligible", "fund", "deductible", "outOfPocket"]) expect(c[k]).toMatch(/^\d+\.\d\d$/);
      for (const k of ["amount", "fund", "outOfPocket"]) expect(out.totals[k]).toMatch(/^\d+\.\d\d$/);
    });
  });
});

describe("fundsim calc: bad input exits 2 with a message naming the field and nothing on standard output", () => {
  const good = { city: "lanzhou", person: { status: "active" }, claims: [{ date: "2023-03-02", kind: "general", level: 3, amount: "100.00" }] };
  const withClaim = (patch: Record<string, unknown>) => ({ ...good, claims: [{ ...good.claims[0], ...patch }] });
  const bad: Array<{ name: string; stdin: string; mentions: string[] }> = [
    { name: "an unknown city", stdin: JSON.stringify({ ...good, city: "beijing" }), mentions: ["city"] },
    { name: "an unknown claim kind", stdin: JSON.stringify(withClaim({ kind: "dental" })), mentions: ["claims[0].kind"] },
    { name: 'a negative amount "-5"', stdin: JSON.stringify(withClaim({ amount: "-5" })), mentions: ["claims[0].amount"] },
    { name: "an amount with three decimals", stdin: JSON.stringify(withClaim({ amount: "10.005" })), mentions: ["claims[0].amount"] },
    { name: "a malformed amount", stdin: JSON.stringify(withClaim({ amount: "12,50" })), mentions: ["claims[0].amount"] },
    { name: "eligible above amount", stdin: JSON.stringify(withClaim({ amount: "100.00", eligible: "100.01" })), mentions: ["claims[0].eligible"] },
    { name: "a date the rules do not cover (2019-05-01)", stdin: JSON.stringify(withClaim({ date: "2019-05-01" })), mentions: ["claims[0].date"] },
    {
      name: "a date after Ganzhou's two-year text lapses (2025-01-01)",
      stdin: JSON.stringify({ ...withClaim({ date: "2025-01-01" }), city: "ganzhou" }),
      mentions: ["claims[0].date"],
    },
    {
      name: "a year outside the city's period (Ganzhou 2023–2024, year 2026)",
      stdin: JSON.stringify({ ...withClaim({ date: "2024-03-02" }), city: "ganzhou", year: 2026 }),
      mentions: ["year: the Ganzhou reform rules cover 2023-01-01 to 2024-12-31", "so year must be from 2023 to 2024, got 2026"],
    },
    {
      name: "a year before the city's period (Lanzhou from 2023, year 2022)",
      stdin: JSON.stringify({ ...good, year: 2022 }),
      mentions: ["year:", "2023-01-01 to 2027-12-31", "got 2022"],
    },
    {
      name: "arrears with a month count that is not a whole number from 1 to 600, and a bad date",
      stdin: JSON.stringify({ ...good, person: { status: "active", arrears: [{ paidOn: "2023-02-30", months: 1.5 }] } }),
      mentions: ["person.arrears[0].paidOn: must be a date", "person.arrears[0].months: must be a whole number of months from 1 to 600, got 1.5"],
    },
    {
      name: "a stay that ends before it starts",
      stdin: JSON.stringify({ ...good, person: { status: "active", stays: [{ from: "2023-03-10", to: "2023-03-01" }] } }),
      mentions: ['person.stays[0].to: must not be before from "2023-03-10", got "2023-03-01"'],
    },
    { name: "a facility level outside 1–3", stdin: JSON.stringify(withClaim({ level: 4 })), mentions: ["claims[0].level"] },
    // Issue 11: every number bounded where it enters.
    { name: "an amount above 10 000 000 yuan", stdin: JSON.stringify(withClaim({ amount: "30000000" })), mentions: ["claims[0].amount: must be at most 10,000,000 yuan"] },
    { name: "an amount padded with spaces", stdin: JSON.stringify(withClaim({ amount: "  100 " })), mentions: ['claims[0].amount: must be an amount without spaces around it, got "  100 "'] },
    {
      name: "a disease listed twice",
      stdin: JSON.stringify({ ...good, person: { status: "active", twoDiseases: ["diabetes", "diabetes"] } }),
      mentions: ['person.twoDiseases[1]: must not repeat an earlier entry, got "diabetes" again'],
    },
    {
      name: "a birth date after the claims",
      stdin: JSON.stringify({ ...good, person: { status: "active", birthDate: "2030-01-01" } }),
      mentions: ["person.birthDate: must not be after the first claim's date 2023-03-02"],
    },
    {
      name: "20 000 claims (MAX_CLAIMS is 10 000)",
      stdin: JSON.stringify({ ...good, claims: Array.from({ length: 20_000 }, () => good.claims[0]) }),
      mentions: ["claims: at most 10000 claims in one request, got 20000"],
    },
    { name: "unparseable JSON", stdin: '{"city": "lanzhou", "claims": [', mentions: [] },
    {
      name: "two problems: one message for each",
      stdin: JSON.stringify({ ...good, claims: [{ ...good.claims[0], amount: "-5" }, { ...good.claims[0], kind: "dental" }] }),
      mentions: ["claims[0].amount", "claims[1].kind"],
    },
  ];
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await pool(bad.map((b) => () => runCommand(["calc", "-"], b.stdin)));
  }, 120_000);

  bad.forEach((b, i) => {
    it(`${b.name}: exit 2, empty stdout, stderr names ${b.mentions.join(" and ") || "the problem"}`, () => {
      const r = runs[i];
      expect(r.code, `stderr: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().length).toBeGreaterThan(0);
      for (const m of b.mentions) expect(r.stderr).toContain(m);
    });
  });
});

describe("fundsim calc --help", () => {
  it("exits 0 and describes the input fields", async () => {
    const r = await runCommand(["calc", "--help"], "");
    expect(r.code).toBe(0);
    const text = r.stdout + r.stderr;
    for (const field of ["city", "scenario", "status", "retiredOn", "claims", "date", "kind", "level", "amount", "eligible"]) {
      expect(text, `help mentions ${field}`).toContain(field);
    }
  });
});
