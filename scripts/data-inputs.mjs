// Before `npm run dev`: Framework keeps a data loader's output until the loader file itself
// changes, so a changed city file (a policy, calibration, finance or assumptions YAML, in src/ or
// in a directory FUNDSIM_POLICIES names), a different FUNDSIM_POLICIES or FUNDSIM_RUNS would show stale pages.
// This fingerprints those inputs and clears the loader cache when they differ from the last run.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const CACHE = join(ROOT, "src", ".observablehq", "cache");
const STAMP = join(CACHE, ".fundsim-inputs");

const yamlIn = (dir) => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)) : []);
const userDirs = (process.env.FUNDSIM_POLICIES ?? "").split(delimiter).filter((d) => d.trim() !== "").map((d) => resolve(d));
const files = [
  ...yamlIn(join(ROOT, "src", "policies")),
  ...["calibration", "finance", "assumptions", "published"].flatMap((k) => yamlIn(join(ROOT, "src", "loaders", k))),
  ...userDirs.flatMap((d) => [d, ...["calibration", "finance", "assumptions"].map((k) => join(d, k))].flatMap(yamlIn)),
];
// A user's run outputs the pages read (FUNDSIM_RUNS, src/data/results.json.ts): their run.json.
const runDirs = (process.env.FUNDSIM_RUNS ?? "").split(delimiter).filter((d) => d.trim() !== "").map((d) => resolve(d));
files.push(...runDirs.map((d) => join(d, "run.json")).filter((f) => existsSync(f)));
const hash = createHash("sha256").update(`FUNDSIM_POLICIES=${userDirs.join(delimiter)}\nFUNDSIM_RUNS=${runDirs.join(delimiter)}\n`);
for (const f of files) hash.update(`${f}\n`).update(readFileSync(f));
const key = hash.digest("hex");

const before = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : null;
if (before !== key) {
  if (before !== null || existsSync(CACHE)) {
    rmSync(CACHE, { recursive: true, force: true });
    process.stdout.write("fundsim: the city files, FUNDSIM_POLICIES or FUNDSIM_RUNS changed since the last run: the data loaders recompute (a few minutes).\n");
  }
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(STAMP, `${key}\n`);
}
