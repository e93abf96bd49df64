// Before any test file starts: write the made-up city (test/made-up-city.ts) with `fundsim new-city`
// and add its directory to FUNDSIM_POLICIES, so every worker and the site build find a sixth city
// that is only files; then build the site once when the browser tests will run (a build with the
// data loaders takes minutes, longer than a test hook should wait, and must not race).
import { existsSync, rmSync } from "node:fs";
import { MADE_UP_DIR_ENV, withPolicyDir, writeMadeUpCity } from "../made-up-city.ts";
import { CHROMIUM, ensureBuilt } from "./setup.ts";

export default function setup(): () => void {
  const started = Date.now();
  const dir = writeMadeUpCity();
  // The workers are forked after this returns and inherit the environment.
  process.env.FUNDSIM_POLICIES = withPolicyDir(process.env.FUNDSIM_POLICIES, dir);
  process.env[MADE_UP_DIR_ENV] = dir;
  console.log(`[global setup] made-up city in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s); FUNDSIM_POLICIES=${process.env.FUNDSIM_POLICIES}`);
  const teardown = () => rmSync(dir, { recursive: true, force: true });
  if (process.env.SKIP_BROWSER_BUILD === "1") return teardown;
  if (!existsSync(CHROMIUM) && !process.env.CI) return teardown;
  const r = ensureBuilt();
  if (r.built) console.log(`[global setup] built dist/ in ${r.seconds.toFixed(1)} s`);
  return teardown;
}
