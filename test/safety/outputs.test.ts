// Output directories (issue 11): `run`, `project` and `simulate` never destroy what they did not
// write. Through the real CLI, with small runs (1 000 persons, ~1 s each): the repository wipe
// (`--out .` in a clone), a user's directory, a file, "", /, the home directory, a previous output
// replaced file by file, stale temporary directories of dead processes, file-system errors, and an
// interrupted run.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/fundsim.js");
const base = mkdtempSync(join(tmpdir(), "fundsim-outputs-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (name = "t") => {
  const d = join(base, `${name}-${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

function fundsim(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? ROOT, encoding: "utf8", env: { ...process.env, TZ: "Asia/Shanghai", ...o.env }, timeout: 60_000 });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}
const RUN = ["run", "--city", "lanzhou", "--persons", "1000", "--threads", "1"];
const RUN_FILES = ["breakdowns", "exclusions", "flows", "impact", "reserve", "winners"].map((f) => `${f}.parquet`).concat("run.json");

/** Every file and directory below `dir` with its contents: equal snapshots, nothing changed. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p} ${readFileSync(p, "utf8")}`);
    }
  };
  walk(dir);
  return out;
}

/** A directory that looks like a clone: .git, sources, a README. */
function fakeClone(): string {
  const d = fresh("clone");
  mkdirSync(join(d, ".git", "objects"), { recursive: true });
  writeFileSync(join(d, ".git", "HEAD"), "ref: refs/heads/main\n");
  mkdirSync(join(d, "src"));
  writeFileSync(join(d, "src", "a.ts"), "export const a = 1;\n");
  writeFileSync(join(d, "README.md"), "# my work\n");
  return d;
}

/** A pid that is certainly not running: a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

const marker = (dir: string) => JSON.parse(readFileSync(join(dir, ".fundsim-output.json"), "utf8")) as { fundsim: string; command: string; files: string[]; version: string; written: string };

describe("--out refused before anything is written or removed", () => {
  it('`--out .` in a clone: exit 2, one message, the clone (and its .git) untouched', () => {
    const clone = fakeClone();
    const before = snapshot(clone);
    const r = fundsim([...RUN, "--out", "."], { cwd: clone });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('fundsim run: --out: "." is the current directory; give a new or a previous output directory (nothing was written)\n');
    expect(r.stdout).toBe("");
    expect(snapshot(clone)).toEqual(before);
    // A parent of the working directory, and the clone named from outside with --force: refused too.
    const up = fundsim([...RUN, "--out", "..", "--force"], { cwd: join(clone, "src") });
    expect(up.status).toBe(2);
    expect(up.stderr).toContain('--out: ".." is a parent of the current directory');
    const git = fundsim([...RUN, "--out", clone, "--force"]);
    expect(git.status).toBe(2);
    expect(git.stderr).toContain("is the root of a git work tree (it holds .git)");
    expect(snapshot(clone)).toEqual(before);
  });

  it('`--out ""` and blanks: refused, the working directory untouched', () => {
    const clone = fakeClone();
    const before = snapshot(clone);
    for (const out of ["", "   "]) {
      const r = fundsim([...RUN, "--out", out], { cwd: clone });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^fundsim run: --out: " *" names no directory; give a new or a previous output directory \(nothing was written\)\n$/);
    }
    expect(snapshot(clone)).toEqual(before);
  });

  it("`--out /`: refused before the simulation starts (a 50 M-person run is refused at once)", () => {
    const r = fundsim(["run", "--city", "lanzhou", "--persons", "50000000", "--out", "/"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('fundsim run: --out: "/" is a filesystem root; give a new or a previous output directory (nothing was written)\n');
    expect(r.seconds).toBeLessThan(15);
    const p = fundsim(["project", "--city", "lanzhou", "--persons", "5000000", "--out", "/"]);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('fundsim project: --out: "/" is a filesystem root');
  });

  it("the home directory (and a parent of it) and fundsim's own directory: refused even with --force", () => {
    const home = fresh("home");
    writeFileSync(join(home, ".profile"), "export X=1\n");
    const before = snapshot(home);
    const env = { HOME: home };
    const r = fundsim([...RUN, "--out", home, "--force"], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is your home directory");
    const parent = fundsim([...RUN, "--out", base, "--force"], { env });
    expect(parent.status).toBe(2);
    expect(parent.stderr).toContain("is a parent of your home directory");
    expect(snapshot(home)).toEqual(before);
    const own = fundsim([...RUN, "--out", ROOT, "--force"], { cwd: base });
    expect(own.status).toBe(2);
    expect(own.stderr).toContain("is fundsim's own directory (where its package.json is)");
  });

  it("a file, a device, a path through a file: refused, the file unchanged", () => {
    const d = fresh("file");
    const file = join(d, "results.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const r = fundsim([...RUN, "--out", file, "--force"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out: ".*results\.csv" is a file, not a directory; .*\(nothing was written\)\n$/);
    expect(readFileSync(file, "utf8")).toBe("a,b\n1,2\n");
    const dev = fundsim([...RUN, "--out", "/dev/null"]);
    expect(dev.status).toBe(2);
    expect(dev.stderr).toContain('"/dev/null" is a device, not a directory');
    // ENOTDIR: a file where a directory of the path should be.
    const through = fundsim([...RUN, "--out", join(file, "sub")]);
    expect(through.status).toBe(2);
    expect(through.stderr).toMatch(/cannot be made: ".*results\.csv" is a file, not a directory/);
    expect(through.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(readdirSync(d)).toEqual(["results.csv"]);
  });

  it.skipIf(process.getuid?.() === 0)("a read-only parent directory: EACCES as one message, nothing left behind", () => {
    const d = fresh("ro");
    chmodSync(d, 0o555);
    try {
      const r = fundsim([...RUN, "--out", join(d, "out")]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^fundsim run: --out: cannot write ".*": permission denied \(EACCES\) \(nothing was written\)\n$/);
      expect(readdirSync(d)).toEqual([]);
    } finally {
      chmodSync(d, 0o755);
    }
  });
});

describe("a user's directory at --out", () => {
  it("is refused without --force; with --force our files are added and the user's file survives", () => {
    const d = fresh("mine");
    writeFileSync(join(d, "keep.txt"), "my notes\n");
    const r = fundsim([...RUN, "--out", d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^fundsim run: --out: ".*" is a directory fundsim run did not write \(it holds 1 entry and no \.fundsim-output\.json\); .*--force.*\(nothing was written\)\n$/);
    expect(readdirSync(d)).toEqual(["keep.txt"]);

    const f = fundsim([...RUN, "--out", d, "--force"]);
    expect(f.stderr).not.toContain("Error");
    expect(f.status).toBe(0);
    expect(readFileSync(join(d, "keep.txt"), "utf8")).toBe("my notes\n");
    expect(readdirSync(d).sort()).toEqual([".fundsim-output.json", "keep.txt", ...RUN_FILES].sort());
    const m = marker(d);
    expect(m).toMatchObject({ fundsim: "output", command: "run" });
    expect(m.files.sort()).toEqual(RUN_FILES.sort());
    expect(new Date(m.written).getTime()).toBeGreaterThan(Date.now() - 120_000);
  });

  it("another command's output is not this command's: refused without --force (simulate, project)", () => {
    const d = fresh("other");
    expect(fundsim([...RUN, "--out", join(d, "o")]).status).toBe(0);
    const sim = fundsim(["simulate", "--city", "lanzhou", "--persons", "500", "--out", join(d, "o")]);
    expect(sim.status).toBe(2);
    expect(sim.stderr).toContain("holds the output of fundsim run, not of fundsim simulate");
    const proj = fundsim(["project", "--city", "lanzhou", "--persons", "500", "--years", "2", "--out", join(d, "o")]);
    expect(proj.status).toBe(2);
    expect(proj.stderr).toContain("holds the output of fundsim run, not of fundsim project");
    expect(readdirSync(join(d, "o")).sort()).toEqual([".fundsim-output.json", ...RUN_FILES].sort());
  });

  it("simulate writes its marker; a user's directory needs --force and keeps its files", () => {
    const d = fresh("sim");
    writeFileSync(join(d, "persons.txt"), "mine\n");
    expect(fundsim(["simulate", "--city", "lanzhou", "--persons", "500", "--out", d]).status).toBe(2);
    const r = fundsim(["simulate", "--city", "lanzhou", "--persons", "500", "--out", d, "--force"]);
    expect(r.status).toBe(0);
    expect(readdirSync(d).sort()).toEqual([".fundsim-output.json", "claims.parquet", "persons.parquet", "persons.txt"]);
    expect(marker(d)).toMatchObject({ command: "simulate", files: ["claims.parquet", "persons.parquet"] });
    // Its own previous output: replaced without --force.
    expect(fundsim(["simulate", "--city", "lanzhou", "--persons", "600", "--out", d]).status).toBe(0);
  });
});

describe("a previous output of the same command", () => {
  it("is replaced file by file: files the old marker lists and this run did not write go, nothing else does", () => {
    const d = fresh("prev");
    const out = join(d, "o");
    const first = fundsim([...RUN, "--out", out, "--csv"]);
    expect(first.status).toBe(0);
    const csv = RUN_FILES.filter((f) => f.endsWith(".parquet")).map((f) => f.replace(".parquet", ".csv"));
    expect(marker(out).files.sort()).toEqual([...RUN_FILES, ...csv].sort());
    writeFileSync(join(out, "notes.txt"), "mine\n");
    // A marker that lists what is not ours (outside the directory, in a subdirectory) removes none of it.
    writeFileSync(join(d, "victim.txt"), "outside\n");
    mkdirSync(join(out, "sub"));
    writeFileSync(join(out, "sub", "deep.txt"), "deep\n");
    const m = marker(out);
    writeFileSync(join(out, ".fundsim-output.json"), JSON.stringify({ ...m, files: [...m.files, "../victim.txt", "sub/deep.txt", "sub", "/etc/hostname", ".."] }));

    const second = fundsim([...RUN, "--out", out]);
    expect(second.stderr).toMatch(/^lanzhou: 1000 persons, \d+ claims, [\d.]+ s\n$/);
    expect(second.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([".fundsim-output.json", "notes.txt", "sub", ...RUN_FILES].sort());
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(d, "victim.txt"), "utf8")).toBe("outside\n");
    expect(readFileSync(join(out, "sub", "deep.txt"), "utf8")).toBe("deep\n");
    expect(marker(out).files.sort()).toEqual(RUN_FILES.sort());
    expect(readdirSync(d).sort()).toEqual(["o", "victim.txt"]); // no temporary directory left
  });

  it("removes stale temporary directories of dead processes that carry our marker, and nothing else", () => {
    const d = fresh("stale");
    const out = join(d, "o");
    mkdirSync(out); // empty but for a temporary directory of ours: an empty output directory
    const dead = deadPid();
    const plant = (dir: string, pid: number, withMarker: boolean) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "half.parquet"), "x");
      if (withMarker) writeFileSync(join(dir, ".fundsim-tmp.json"), JSON.stringify({ fundsim: "temporary", pid, command: "run", started: "2026-01-01T00:00:00Z" }));
    };
    plant(join(d, `.o.tmp-${dead}`), dead, true); // ours, writer dead: removed
    plant(join(out, `.fundsim.tmp-${dead}`), dead, true); // ours, inside: removed
    plant(join(d, `.o.tmp-${dead + 1}`), dead + 1, false); // no marker: not ours, kept
    plant(join(d, `.o.tmp-${process.pid}`), process.pid, true); // its writer (this test) is alive: kept
    const r = fundsim([...RUN, "--out", out]);
    expect(r.status).toBe(0);
    expect(existsSync(join(d, `.o.tmp-${dead}`))).toBe(false);
    expect(existsSync(join(out, `.fundsim.tmp-${dead}`))).toBe(false);
    expect(existsSync(join(d, `.o.tmp-${dead + 1}`, "half.parquet"))).toBe(true);
    expect(existsSync(join(d, `.o.tmp-${process.pid}`, "half.parquet"))).toBe(true);
  });
});

describe("interrupted", () => {
  it("SIGTERM mid-run removes the temporary directory and writes nothing (exit 143)", async () => {
    const d = fresh("int");
    // Two worker threads: the main thread waits on them, so the signal is handled at once.
    const child = spawn(process.execPath, [BIN, "run", "--city", "lanzhou", "--persons", "2000000", "--threads", "2", "--out", join(d, "o")], { cwd: ROOT });
    const t0 = Date.now();
    while (!readdirSync(d).some((f) => f.startsWith(".o.tmp-")) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(d).some((f) => f.startsWith(".o.tmp-"))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(143);
    expect(readdirSync(d)).toEqual([]);
  });
});
