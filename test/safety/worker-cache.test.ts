// The worker bundle cache (issue 11): code that every worker thread of a run executes must never
// come from a place others can write. It lived in os.tmpdir() under a predictable name, trusted
// whenever the hash of its listed source files matched: a planted file ran in every worker of the
// next big `run`. Now it lives in node_modules/.cache/fundsim/, and the code's own sha256 is checked.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CACHE_DIR, CACHE_FILE, hashOf, readCache, rebuild, sha256 } from "../../src/pipeline/worker-source.ts";

const ROOT = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "fundsim-worker-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Cached {
  inputs: string[];
  hash: string;
  codeHash?: string;
  code: string;
}

/** A genuine cache file in `file` (rebuild keeps none if a source changed while it built: retry). */
async function genuine(file: string): Promise<Cached> {
  for (let i = 0; i < 3 && !existsSync(file); i++) await rebuild(file);
  return JSON.parse(readFileSync(file, "utf8")) as Cached;
}

const planted = (sentinel: string) => `require("node:fs").writeFileSync(${JSON.stringify(sentinel)}, "planted code ran"); throw new Error("planted");`;

describe("worker bundle cache", () => {
  it("lives in the project's own cache directory, not the system temp directory", () => {
    expect(CACHE_DIR).toBe(join(ROOT, "node_modules", ".cache", "fundsim"));
    expect(CACHE_FILE.startsWith(CACHE_DIR)).toBe(true);
    // Not the shared temporary directory itself (the checkout may well lie somewhere below it).
    expect(dirname(CACHE_FILE)).not.toBe(tmpdir());
    expect(CACHE_FILE.startsWith(join(ROOT, "node_modules"))).toBe(true);
  });

  it("a cached bundle is used only when its code's sha256, its sources and its owner and mode check out", async () => {
    const own = join(dir, "own");
    mkdirSync(own, { mode: 0o755 });
    const file = join(own, "worker.json");
    const c = await genuine(file);
    expect(c.codeHash).toBe(sha256(c.code));
    expect(readCache(file)).toBe(c.code);

    const write = (x: Partial<Cached>) => writeFileSync(file, JSON.stringify({ ...c, ...x }), { mode: 0o644 });
    // The code replaced, the hashes kept (a valid-looking inputs hash): ignored.
    write({ code: planted(join(dir, "never")) });
    expect(readCache(file)).toBeUndefined();
    // The old format, with no code hash: ignored.
    write({ codeHash: undefined });
    expect(readCache(file)).toBeUndefined();
    // Inputs outside the project, or a source that changed: ignored.
    write({ inputs: ["/etc/hostname"], hash: hashOf(["/etc/hostname"]) });
    expect(readCache(file)).toBeUndefined();
    write({ hash: "0".repeat(64) });
    expect(readCache(file)).toBeUndefined();
    // Whole again: used; writable by others (the file or its directory): ignored.
    write({});
    expect(readCache(file)).toBe(c.code);
    if (process.platform !== "win32") {
      chmodSync(file, 0o666);
      expect(readCache(file)).toBeUndefined();
      chmodSync(file, 0o644);
      chmodSync(own, 0o777);
      expect(readCache(file)).toBeUndefined();
      chmodSync(own, 0o755);
      // A symbolic link planted in its place, even to a genuine file: ignored.
      const elsewhere = join(dir, "genuine.json");
      writeFileSync(elsewhere, JSON.stringify(c));
      rmSync(file);
      symlinkSync(elsewhere, file);
      expect(readCache(file)).toBeUndefined();
    }
  });

  it("a planted bundle (in the old temp-directory place, and in the new place with its code swapped) never runs", async () => {
    const c = await genuine(join(dir, "model.json"));
    const sentinel = join(dir, "SENTINEL");
    const code = planted(sentinel);
    // The old place: os.tmpdir() (TMPDIR here), the old name, the old format, a valid inputs hash.
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    const oldName = `fundsim-${basename(CACHE_FILE)}`;
    writeFileSync(join(tmp, oldName), JSON.stringify({ inputs: c.inputs, hash: hashOf(c.inputs), code }));
    // The new place: a genuine cache file with its code swapped, hashes kept.
    mkdirSync(CACHE_DIR, { recursive: true });
    const real = existsSync(CACHE_FILE) ? (JSON.parse(readFileSync(CACHE_FILE, "utf8")) as Cached) : c;
    writeFileSync(`${CACHE_FILE}.test-${process.pid}`, JSON.stringify({ ...real, code }));
    renameSync(`${CACHE_FILE}.test-${process.pid}`, CACHE_FILE);

    // 3 000 persons in chunks of 1 000 on two threads: the workers start from the bundle.
    const r = spawnSync(
      process.execPath,
      ["bin/fundsim.js", "run", "--city", "lanzhou", "--persons", "3000", "--chunk", "1000", "--threads", "2", "--out", join(dir, "out")],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: tmp, TZ: "Asia/Shanghai" }, timeout: 60_000 },
    );
    expect(existsSync(sentinel), "the planted code ran").toBe(false);
    expect(r.stderr).toMatch(/^lanzhou: 3000 persons, \d+ claims/);
    expect(r.status).toBe(0);
    // The swapped file was rebuilt: the cache holds the genuine bundle again.
    const now = readCache(CACHE_FILE);
    expect(now).toBeDefined();
    expect(now).not.toContain("planted");
  });
});
