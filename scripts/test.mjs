// npm test: type-check, then vitest, then one plain closing line "N passed, M failed" that CI reads
// (vitest's own summary is coloured and not read by CI). Exits non-zero on any failure or on a run
// that executed no test.
import { spawnSync } from "node:child_process";
import { readFileSync, mkdirSync, rmSync } from "node:fs";

const env = { ...process.env, TZ: "Asia/Shanghai", FORCE_COLOR: process.stdout.isTTY ? "1" : "0" };
const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", "."], { stdio: "inherit", env });
if (tsc.status !== 0) {
  console.log("type-check failed");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

mkdirSync(".tmp", { recursive: true });
const report = ".tmp/vitest-report.json";
rmSync(report, { force: true });
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("npx", args, { stdio: "inherit", env });

let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
} catch {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
