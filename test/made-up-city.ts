// A made-up city (issue 14: "a city is data"): written by `fundsim new-city` into a directory of
// its own, then found like any user's city through FUNDSIM_POLICIES. The test run's global setup
// (test/browser/global-setup.ts) creates it and adds its directory to FUNDSIM_POLICIES for every
// test worker and for the site build, so the tests that iterate over every city found (properties,
// differentials, the oracle's list, the browser pages) cover a city that is only files.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../", import.meta.url)));

/** Its id and names: fictional on purpose (示例 = "example"), so no reader takes its figures for a city's. */
export const MADE_UP = { id: "shili", zh: "示例市", en: "Shili", provinceZh: "示例省", provinceEn: "Shili Province" } as const;

/** The directory the test run wrote it to (set by the global setup for the workers), or null when
 *  this process was not started by vitest's global setup. */
export const MADE_UP_DIR_ENV = "FUNDSIM_TEST_MADE_UP_DIR";
export const madeUpDir = (): string | null => process.env[MADE_UP_DIR_ENV] ?? null;

/** Run the fundsim command as a user does (bin/fundsim.js: tsx on the sources). */
export function fundsim(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [join(ROOT, "bin/fundsim.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...env, TZ: "Asia/Shanghai", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** `fundsim new-city` for the made-up city into a new temporary directory of its own (each test run
 *  its own: runs of other engineers may overlap); returns it. Throws with the command's output on failure. */
export function writeMadeUpCity(env: NodeJS.ProcessEnv = process.env): string {
  const dir = mkdtempSync(join(tmpdir(), "fundsim-made-up-city-"));
  const r = fundsim(
    ["new-city", MADE_UP.id, "--policies", dir, "--name-zh", MADE_UP.zh, "--name-en", MADE_UP.en, "--province-zh", MADE_UP.provinceZh, "--province-en", MADE_UP.provinceEn],
    env,
  );
  if (r.status !== 0) throw new Error(`fundsim new-city ${MADE_UP.id} --policies ${dir} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return dir;
}

/** FUNDSIM_POLICIES with `dir` added (after the user's own directories, once). */
export function withPolicyDir(current: string | undefined, dir: string): string {
  const dirs = (current ?? "").split(delimiter).filter((d) => d.trim() !== "" && resolve(d) !== resolve(dir));
  return [...dirs, dir].join(delimiter);
}
