// Build the site once, before any test file starts, when the browser tests will run: a build with
// the data loaders takes minutes, longer than a test hook should wait, and must not race.
import { existsSync } from "node:fs";
import { CHROMIUM, ensureBuilt } from "./setup.ts";

export default function setup(): void {
  if (process.env.SKIP_BROWSER_BUILD === "1") return;
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  const r = ensureBuilt();
  if (r.built) console.log(`[global setup] built dist/ in ${r.seconds.toFixed(1)} s`);
}
