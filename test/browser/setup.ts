// Helpers for the browser tests: a fresh dist/ (built by `npm run build` when missing or older
// than its sources), a tiny static server for it on 127.0.0.1, and the pages the config lists.
import { spawnSync } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, launchChromium } from "../../src/site/chromium.ts";
import { serve as serveDir } from "../../src/site/serve-dist.ts";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cityIds } from "../../src/loaders/cities.ts";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

export const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
export const DIST = join(ROOT, "dist");
export const RESULTS = join(ROOT, "test-results");
// Chromium and the site's server are the briefing's own (src/site): one implementation.
export { CHROMIUM, CHROMIUM_ARGS, chartsSettled, launchChromium, offlineContext } from "../../src/site/chromium.ts";

/** The newest modification time among the files a build reads. */
function newestSource(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".observablehq" || entry.name === "node_modules") continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) visit(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  visit(join(ROOT, "src"));
  for (const f of ["observablehq.config.ts", "package.json", "package-lock.json", "tsconfig.json"]) {
    const p = join(ROOT, f);
    if (existsSync(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** The city ids dist/ was built with (its src/data/cities.json), or null when it has none. */
function builtCityIds(): string[] | null {
  const dir = join(DIST, "_file", "data");
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^cities\.[0-9a-f]+\.json$/.test(f)) : undefined;
  if (!file) return null;
  return (JSON.parse(readFileSync(join(dir, file), "utf8")) as Array<{ id: string }>).map((c) => c.id);
}

/** Why dist/ needs a build, or null when it is up to date. */
export function staleReason(): string | null {
  const index = join(DIST, "index.html");
  if (!existsSync(index)) return "dist/index.html is missing";
  if (statSync(index).mtimeMs < newestSource()) return "dist/ is older than src/ or the config";
  // A build made with another FUNDSIM_POLICIES (e.g. without the made-up city the tests add) would
  // leave the tests' city list and the pages' apart.
  const built = builtCityIds();
  if (built === null || built.join(",") !== cityIds().join(",")) return `dist/ was built with the cities ${built?.join(", ") ?? "(none)"}, the tests find ${cityIds().join(", ")}`;
  return null;
}

/** A directory lock: the browser test files run in parallel and must not build dist/ twice at once. */
const BUILD_LOCK = join(ROOT, ".tmp", "browser-build.lock");
function withBuildLock<T>(f: () => T): T {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // A lock older than 15 minutes is left over from a killed run.
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > 15 * 60_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() - started > 20 * 60_000) throw new Error(`timed out waiting for ${BUILD_LOCK}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return f();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Run `npm run build` when dist/ is missing or stale; throws with the build's log on failure. */
export function ensureBuilt(): { built: boolean; seconds: number; reason: string | null } {
  if (!staleReason()) return { built: false, seconds: 0, reason: null };
  // Another test file may be building: wait for it, then look again.
  return withBuildLock(() => buildNow());
}

function buildNow(): { built: boolean; seconds: number; reason: string | null } {
  const reason = staleReason();
  if (!reason) return { built: false, seconds: 0, reason };
  const started = Date.now();
  console.log(`[browser] ${reason}: running npm run build …`);
  const run = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "1", FORCE_COLOR: "0" },
    maxBuffer: 256 * 1024 * 1024,
  });
  mkdirSync(RESULTS, { recursive: true });
  const log = `${run.stdout ?? ""}\n${run.stderr ?? ""}`;
  writeFileSync(join(RESULTS, "build.log"), log);
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0 || !existsSync(join(DIST, "index.html"))) {
    throw new Error(`npm run build failed (exit ${run.status}); last lines of test-results/build.log:\n${log.split("\n").slice(-40).join("\n")}`);
  }
  console.log(`[browser] built dist/ in ${seconds.toFixed(1)} s`);
  return { built: true, seconds, reason };
}

/** Make sure /usr/bin/chromium exists; under CI, install it with scripts/ensure-chromium.sh. */
export function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (!process.env.CI) return false;
  const run = spawnSync("bash", [join(ROOT, "scripts/ensure-chromium.sh")], { stdio: "inherit" });
  return run.status === 0 && existsSync(CHROMIUM);
}

/** Serve `dir` (dist/ by default) on 127.0.0.1 at a free port: the site's own server (src/site). */
export async function serve(dir = DIST): Promise<{ url: string; close: () => Promise<void> }> {
  return serveDir(dir);
}

export interface ListedPage {
  name: string;
  path: string;
}

/** Every page the Framework config lists (sections flattened), e.g. "/", "/cities/lanzhou". */
export async function configPages(): Promise<ListedPage[]> {
  const config = (await import("../../observablehq.config.ts")).default as {
    pages: Array<{ name: string; path?: string; pages?: Array<{ name: string; path: string }> }>;
  };
  const out: ListedPage[] = [];
  for (const p of config.pages) {
    if (p.pages) out.push(...p.pages);
    else if (p.path) out.push({ name: p.name, path: p.path });
  }
  return out;
}

/** "/" → "index", "/cities/lanzhou" → "cities-lanzhou": for screenshot names. */
export function slug(path: string): string {
  const s = path.replace(/^\/+|\/+$/g, "").replace(/\/index$/, "").replace(/[^\w-]+/g, "-");
  return s === "" || s === "index" ? "index" : s;
}

/** What is wrong on a settled page: Framework cell errors, chart error boxes, charts with no marks. */
export async function defects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const e of document.querySelectorAll(".observablehq--error")) out.push(`cell error: ${(e.textContent ?? "").slice(0, 300)}`);
    for (const e of document.querySelectorAll(".fs-chart-error")) out.push(`chart error: ${(e.textContent ?? "").slice(0, 300)}`);
    document.querySelectorAll(".fs-chart .vega-embed").forEach((v, i) => {
      if (v.querySelectorAll("svg g[class*='role-mark'] > *").length === 0) out.push(`chart ${i + 1} has no marks`);
    });
    return out;
  });
}

/** Debian's Chromium with a fresh profile directory (Playwright passes its own --user-data-dir, so
 *  the directory is given as its temporary-files root); `close` removes it. */
// ---- the what-if page ------------------------------------------------------------------------------

/** Wait until the what-if results show the runner's newest run, later than `after`; its number. */
export async function whatIfDrawn(page: Page, after: number): Promise<number> {
  await page.waitForFunction(
    (after) => {
      const runner = (globalThis as unknown as { __fundsimWhatIf?: { requested: number } }).__fundsimWhatIf;
      const run = Number(document.querySelector<HTMLElement>(".wi-results")?.dataset.run ?? 0);
      const charts = document.querySelectorAll(".wi-results .fs-chart .vega-embed svg").length;
      return !!runner && run > after && run === runner.requested && charts === 3;
    },
    after,
    { timeout: 60_000 },
  );
  return Number(await page.getAttribute(".wi-results", "data-run"));
}

/** A flow line's fen in the what-if summary for a scheme. */
export const whatIfFen = (page: Page, line: string, scheme: string) => page.getAttribute(`.wi-summary tr[data-line="${line}"] td[data-scheme="${scheme}"]`, "data-fen");
/** The slider of a what-if parameter. */
export const whatIfSlider = (path: string) => `.wi-param[data-path="${path}"] input[type=range]`;

// ---- waiting for a page ------------------------------------------------------------------------------

// ---- one describe block's site and browser --------------------------------------------------------

/** The built site served on loopback and one Chromium, for the describe block that calls this (its
 *  beforeAll and afterAll are registered here); read `browser` and `url` inside the tests. */
export function siteInBrowser(): { readonly browser: Browser; readonly url: string } {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!ensureChromium()) throw new Error(`${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it`);
    ensureBuilt();
    server = await serve();
    ({ browser, close } = await launchChromium());
  }, 900_000);
  afterAll(async () => {
    await close?.();
    await server?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get url() {
      return server!.url;
    },
  };
}
