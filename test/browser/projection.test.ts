// The projection page (精算预测, src/projection.md) in headless Chromium: it renders with no console
// error, failed request or cell error; the balance/months band charts and the tornado have marks
// (the band is an area, the 6 and 15 month lines are drawn); choosing another city changes the
// numbers; the goal-seek result and the assumptions table are shown. The interactive part: the
// worker recomputes the central paths — at the files' assumptions exactly the build's, an edit moves
// them, reset restores them, and the assumptions file the page saves gives `fundsim project` the
// page's path; the goal-seek form finds a value whose saved scenario meets the target in
// `fundsim project`, and on the 10th percentile of the Monte Carlo band a value whose scenario meets
// it in the CLI's Monte Carlo (same draws). Screenshots in both languages go to test-results/screenshots/projection-*.png
// (pages.test.ts takes projection-zh/en.png).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAssumptions } from "../../src/loaders/assumptions.ts";
import { loadFinance } from "../../src/loaders/finance.ts";
import { pageDrawSample, pageSample } from "../../src/loaders/projection-page.ts";
import { cityCohorts } from "../../src/loaders/projection-cohorts.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../../src/loaders/policies.ts";
import { leverScenario } from "../../src/model/projection/goal-seek.ts";
import { projectDraws, quantile } from "../../src/model/projection/monte-carlo.ts";
import { prepareProjection, projectScheme } from "../../src/model/projection/project.ts";
import type { CityId } from "../../src/model/types.ts";
import { CHROMIUM, DIST, ensureBuilt, ensureChromium, RESULTS, ROOT, serve, launchChromium, offlineContext, defects } from "./setup.ts";

const CI = !!process.env.CI;
const present = existsSync(CHROMIUM);
if (!present && !CI) console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing. Run scripts/ensure-chromium.sh (as root) to enable the browser tests.`);
const SHOTS = join(RESULTS, "screenshots");

async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () => {
      if (document.querySelector("observablehq-loading")) return false;
      const charts = [...document.querySelectorAll(".fs-chart")];
      return charts.length > 0 && charts.every((f) => f.querySelector(".fs-chart-error") || f.querySelector(".vega-embed svg"));
    },
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(200);
}

/** Marks of one chart by type: e.g. {area: 1, line: 4, rule: 3, rect: 0}. */
async function marks(page: Page, chart: string): Promise<Record<string, number>> {
  return page.evaluate((name) => {
    const svg = document.querySelector(`.fs-chart[data-chart='${name}'] .vega-embed svg`);
    const count = (type: string) => (svg ? svg.querySelectorAll(`g.mark-${type}[class*='role-mark'] > *`).length : 0);
    return { area: count("area"), line: count("line"), rule: count("rule"), rect: count("rect"), text: count("text"), symbol: count("symbol") };
  }, chart);
}

const metric = (page: Page, name: string) => page.locator(`.fs-kpis [data-metric='${name}']`).first().innerText();

/** The build's projection.json (the page's data). */
function built(): {
  persons: number;
  lastYear: number;
  cities: Record<string, { paths: Array<{ role: string; year: number; months: number; balanceWan: number }>; goalSeek: { lever: string; status: string } }>;
} {
  const dir = join(DIST, "_file", "data");
  const f = readdirSync(dir).find((x) => /^projection\.[0-9a-f]+\.json$/.test(x));
  if (!f) throw new Error("no projection.json in dist/_file/data");
  return JSON.parse(readFileSync(join(dir, f), "utf8"));
}

/** `fundsim project` on the page's sample size; its months of reserve by role and year. */
async function cliMonths(args: string[], out: string): Promise<Map<string, number>> {
  const run = spawnSync(process.execPath, ["bin/fundsim.js", "project", ...args, "--out", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", TZ: "Asia/Shanghai" } });
  expect(run.status, run.stderr).toBe(0);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const rows = (await conn.runAndReadAll(`SELECT role, year, months_of_reserve FROM '${join(out, "projection.parquet")}'`)).getRowObjectsJS();
  conn.closeSync();
  return new Map(rows.map((r) => [`${r.role} ${r.year}`, Number(r.months_of_reserve)]));
}

/** Wait until the edited-path block shows the runner's newest projection, later than `after`. */
async function recomputed(page: Page, after: number): Promise<number> {
  await page.waitForFunction(
    (after) => {
      const runner = (globalThis as unknown as { __fundsimProjection?: { requested: number } }).__fundsimProjection;
      const run = Number(document.querySelector<HTMLElement>(".pj-edited-cards")?.dataset.run ?? 0);
      const charts = document.querySelectorAll(".pj-edited-charts .fs-chart .vega-embed svg").length;
      return !!runner && run > after && run === runner.requested && charts === 2 && !document.querySelector("observablehq-loading");
    },
    after,
    { timeout: 60_000 },
  );
  return Number(await page.getAttribute(".pj-edited-cards", "data-run"));
}

const value = async (page: Page, name: string) => Number(await page.getAttribute(`[data-metric='${name}']`, "data-value"));

/** The page's address as it stands (history.replaceState included). */
const href = (page: Page) => page.evaluate(() => location.href);

/** Type into a parameter's box and wait for the recompute. */
async function edit(page: Page, key: string, typed: string) {
  const before = Number(await page.getAttribute(".pj-edited-cards", "data-run"));
  await page.fill(`.pj-param[data-key='${key}'] input`, typed);
  return recomputed(page, before);
}

/** A screenshot of the page from one h2 to the next. */
async function section(page: Page, from: string, to: string, path: string) {
  // From the top: a full-page capture draws the fixed header and sidebar where the scroll left them.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.evaluate(
    ([a, b]) => {
      const y = (t: string) => [...document.querySelectorAll("h2")].find((h) => h.textContent!.includes(t))!.getBoundingClientRect().top + scrollY;
      return { top: y(a), bottom: y(b) };
    },
    [from, to],
  );
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: box.top - 8, width: 1280, height: box.bottom - box.top } });
}

describe.skipIf(!present && !CI)("projection page", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let closeBrowser: (() => Promise<void>) | undefined;
  let scratch: string;

  beforeAll(async () => {
    if (!ensureChromium()) throw new Error(`${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it`);
    ensureBuilt();
    server = await serve();
    mkdirSync(SHOTS, { recursive: true });
    ({ browser, close: closeBrowser } = await launchChromium());
    scratch = mkdtempSync(join(tmpdir(), "fundsim-projection-page-"));
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Click a download button and keep the file. */
  async function take(page: Page, button: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    const path = join(scratch, download.suggestedFilename());
    await download.saveAs(path);
    return path;
  }

  async function open(query = ""): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await offlineContext(browser, server.url, { acceptDownloads: true });
    const page = await context.newPage();
    // vitest compiles this file with esbuild's keepNames: functions sent to the page call __name.
    await page.addInitScript("globalThis.__name = (f) => f");
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${server.url}/projection${query}`, { waitUntil: "load" });
    await settled(page);
    return { context, page, problems };
  }

  it("dist/ has the page", () => {
    expect(existsSync(join(DIST, "projection.html"))).toBe(true);
  });

  it("renders its charts in 中文 and English with no errors, and switching city changes the numbers", async () => {
    const { context, page, problems } = await open();
    try {
      expect(await defects(page)).toEqual([]);
      // The four charts, each with its export row.
      for (const c of ["projection-balance", "projection-months", "projection-tornado", "projection-variance", "projection-response"]) {
        expect(await page.locator(`.fs-chart[data-chart='${c}'] .vega-embed svg`).count(), c).toBe(1);
        expect(await page.locator(`.fs-chart[data-chart='${c}'] .fs-export-png`).count(), c).toBe(1);
      }
      // Band charts: the 5–95 % area and the lines; the months chart has its 6 and 15 month rules.
      const balance = await marks(page, "projection-balance");
      expect(balance.area).toBeGreaterThan(0);
      expect(balance.line).toBeGreaterThanOrEqual(2);
      const months = await marks(page, "projection-months");
      expect(months.area).toBeGreaterThan(0);
      expect(months.rule).toBeGreaterThanOrEqual(2);
      expect(await page.locator(".fs-chart[data-chart='projection-months'] svg").innerHTML()).toContain("6个月");
      // Tornado: two bars per uncertain parameter.
      const tornado = await marks(page, "projection-tornado");
      expect(tornado.rect).toBeGreaterThanOrEqual(10);
      // Issue 13: the band says what it holds, and the variance decomposition stands beside the tornado.
      expect(await page.locator(".pj-band-sources li[data-source]").evaluateAll((xs) => xs.map((x) => x.getAttribute("data-source")))).toEqual(["parameters", "process", "structural", "sampling"]);
      expect(await page.locator(".pj-band-sources").innerText()).toMatch(/参数不确定性[\s\S]*逐年波动[\s\S]*结构不确定性[\s\S]*抽样误差/);
      expect((await marks(page, "projection-variance")).rect).toBeGreaterThanOrEqual(4);
      expect(await page.locator(".pj-sensitivity .fs-chart[data-chart='projection-variance']").count()).toBe(1);
      expect(await page.locator(".fs-chart[data-chart='projection-variance'] svg").innerHTML()).toContain("方差分解");
      // Goal-seek, the five-city table and the assumptions table.
      expect(await page.locator(".pj-seek-result[data-source='build'] [data-metric='goal-seek']").innerText()).toMatch(/限额|无需调整|无法达到/);
      expect(await page.locator("table.fs-cities-table tbody tr").count()).toBe(Object.keys(built().cities).length);
      expect(await page.locator("table.fs-assumptions tbody tr").count()).toBeGreaterThanOrEqual(14);

      const first = { months: await metric(page, "months-last"), balance: await metric(page, "balance-last") };
      expect(first.months).toMatch(/个月/);
      expect(first.balance).toMatch(/万元/);
      await page.screenshot({ path: join(SHOTS, "projection-detail-lanzhou-zh.png"), fullPage: true });

      // Another city: the headline numbers change, the charts redraw.
      await page.locator("#fs-city label", { hasText: "赣州" }).click();
      await page.waitForFunction(() => document.querySelector(".fs-kpis")?.getAttribute("data-city") === "ganzhou");
      await settled(page);
      const second = { months: await metric(page, "months-last"), balance: await metric(page, "balance-last") };
      expect(second.months).not.toBe(first.months);
      expect(second.balance).not.toBe(first.balance);
      expect(await defects(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, "projection-detail-ganzhou-zh.png"), fullPage: true });

      // English.
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await settled(page);
      expect(await defects(page)).toEqual([]);
      expect(await metric(page, "months-last")).toMatch(/months/);
      expect(await page.locator(".fs-chart[data-chart='projection-months'] svg").innerHTML()).toContain("6 months");
      expect(await page.locator(".pj-band-sources").innerText()).toMatch(/Parameter uncertainty[\s\S]*Year-to-year variation[\s\S]*Structural uncertainty[\s\S]*Sampling error/);
      expect(await page.locator(".fs-chart[data-chart='projection-variance'] svg").innerHTML()).toContain("Variance of the");
      await page.screenshot({ path: join(SHOTS, "projection-detail-ganzhou-en.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("opens on the city named in ?city=", async () => {
    const { context, page, problems } = await open("?city=jinan");
    try {
      expect(await page.locator(".fs-kpis").first().getAttribute("data-city")).toBe("jinan");
      expect(await defects(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it("keeps the city, the edited assumptions and the goal-seek choices in the URL: a link reproduces the view, in 中文 and English", async () => {
    const a = await open("?city=jinan");
    let link: string;
    let shown: { months: number; balance: number; year: string };
    try {
      await recomputed(a.page, 0);
      // the default city would stay out of the URL; jinan is kept, and nothing else yet
      expect([...new URL(await href(a.page)).searchParams.keys()].filter((k) => k !== "lang")).toEqual(["city"]);
      await edit(a.page, "costTrend", "6");
      await edit(a.page, "openingReserveMonths", "12");
      await a.page.selectOption(".pj-lever", "rate");
      const years = await a.page.locator(".pj-year option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      await a.page.selectOption(".pj-year", years[2]);
      await a.page.fill(".pj-target", "8");
      // a target on the band: the probability of falling short, at most 5 %, with 200 draws a step
      await a.page.selectOption(".pj-seek-on", "probability");
      await a.page.fill(".pj-seek-level", "5");
      await a.page.selectOption(".pj-seek-draws", "200");
      // (location.href: Playwright's page.url() follows history.replaceState a moment late)
      link = await href(a.page);
      const q = new URL(link).searchParams;
      expect(q.get("city")).toBe("jinan");
      expect(q.get("a.costTrend")).toBe("6");
      expect(q.get("a.openingReserveMonths")).toBe("12");
      expect([q.get("lever"), q.get("seekYear"), q.get("target")]).toEqual(["rate", years[2], "8"]);
      expect([q.get("seekOn"), q.get("seekLevel"), q.get("seekDraws")]).toEqual(["probability", "5", "200"]);
      shown = { months: await value(a.page, "edited-months-last"), balance: await value(a.page, "edited-balance-last"), year: years[2] };
      expect(a.problems).toEqual([]);
    } finally {
      await a.context.close();
    }
    // The link, opened afresh (and in English): the same city, edits, recomputed path and choices.
    for (const lang of ["zh", "en"] as const) {
      const b = await open(new URL(link).search + (lang === "en" ? "&lang=en" : ""));
      try {
        await recomputed(b.page, 0);
        expect(await b.page.locator(".fs-kpis").first().getAttribute("data-city")).toBe("jinan");
        expect(await b.page.inputValue(".pj-param[data-key='costTrend'] input")).toBe("6");
        expect(await b.page.inputValue(".pj-param[data-key='openingReserveMonths'] input")).toBe("12");
        expect(await b.page.getAttribute(".pj-status", "data-state")).toBe("edited");
        expect(await value(b.page, "edited-months-last")).toBeCloseTo(shown.months, 9);
        expect(await value(b.page, "edited-balance-last")).toBeCloseTo(shown.balance, 3);
        expect(await b.page.inputValue(".pj-lever")).toBe("rate");
        expect(await b.page.inputValue(".pj-year")).toBe(shown.year);
        expect(await b.page.inputValue(".pj-target")).toBe("8");
        expect([await b.page.inputValue(".pj-seek-on"), await b.page.inputValue(".pj-seek-level"), await b.page.inputValue(".pj-seek-draws")]).toEqual(["probability", "5", "200"]);
        expect(await b.page.locator(".pj-seek-condition").innerText()).toContain(lang === "en" ? "≤ 5%" : "≤ 5%");
        expect(await b.page.locator(".pj-url-problem:visible").count()).toBe(0);
        // Another city starts from the files, and its URL says so.
        const run = Number(await b.page.getAttribute(".pj-edited-cards", "data-run"));
        await b.page.locator("#fs-city label", { hasText: lang === "en" ? "Lanzhou" : "兰州" }).click();
        await b.page.waitForFunction(() => document.querySelector(".pj-panel")?.getAttribute("data-city") === "lanzhou");
        await recomputed(b.page, run);
        const q = new URL(await href(b.page)).searchParams;
        expect(q.get("city")).toBeNull(); // the default city
        expect([...q.keys()].filter((k) => k.startsWith("a."))).toEqual([]);
        expect(await b.page.getAttribute(".pj-status", "data-state")).toBe("files");
        expect(await defects(b.page)).toEqual([]);
        expect(b.problems).toEqual([]);
      } finally {
        await b.context.close();
      }
    }
  });

  it("a link with values the page cannot use says so in a note and shows the files' view, never an error", async () => {
    const { context, page, problems } = await open("?city=atlantis&a.costTrend=abc&a.wageGrowth=999&a.noSuchKey=1&a.pensionGrowth=4&lever=zzz&target=-3&seekYear=1990&seekOn=median&seekLevel=100&seekDraws=7");
    try {
      await recomputed(page, 0);
      expect(await page.locator(".fs-kpis").first().getAttribute("data-city")).toBe("lanzhou");
      expect(await page.locator("#fs-city .fs-note").innerText()).toContain("city=atlantis");
      const notes = await page.locator(".pj-panel .pj-url-problem").innerText();
      for (const bad of ["a.costTrend=abc", "a.wageGrowth=999", "a.noSuchKey=1"]) expect(notes).toContain(bad);
      expect(notes).not.toContain("pensionGrowth");
      // the usable edit is applied, the others are not
      expect(await page.inputValue(".pj-param[data-key='pensionGrowth'] input")).toBe("4");
      expect(await page.locator(".pj-param[data-invalid]").count()).toBe(0);
      expect(await page.getAttribute(".pj-status", "data-state")).toBe("edited");
      const seekNote = await page.locator(".pj-seek .pj-url-problem").innerText();
      for (const bad of ["lever=zzz", "target=-3", "seekYear=1990", "seekOn=median", "seekLevel=100", "seekDraws=7"]) expect(seekNote).toContain(bad);
      expect(await page.inputValue(".pj-seek-on")).toBe("central");
      // what is kept in the URL is what the page shows
      const q = new URL(await href(page)).searchParams;
      expect([...q.keys()].filter((k) => k.startsWith("a."))).toEqual(["a.pensionGrowth"]);
      expect(q.get("lever")).toBeNull();
      expect(await defects(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(SHOTS, "projection-bad-link-zh.png"), fullPage: false });
    } finally {
      await context.close();
    }
  });

  it("recomputes the paths in the worker: the build's at the files' assumptions, moved by an edit, restored by reset; the saved assumptions give the CLI the page's path", async () => {
    const { context, page, problems } = await open();
    try {
      const P = built();
      const file = P.cities.lanzhou.paths.filter((p) => p.role === "reform").at(-1)!;
      let run = await recomputed(page, 0);
      // Same sample, same code: the browser's central path is the build's.
      expect(await value(page, "edited-months-last")).toBeCloseTo(file.months, 9);
      expect(await value(page, "edited-balance-last")).toBeCloseTo(file.balanceWan, 3);
      expect(await page.locator(".pj-status").innerText()).toContain("与假设文件相同");
      const lines = await marks(page, "projection-edited-months");
      expect(lines.line).toBeGreaterThanOrEqual(4);
      expect(lines.rule).toBeGreaterThanOrEqual(2);

      // A higher cost trend: fewer months, a smaller balance; the build's figures stay.
      run = await edit(page, "costTrend", "6");
      const edited = { months: await value(page, "edited-months-last"), balance: await value(page, "edited-balance-last") };
      expect(edited.months).toBeLessThan(file.months - 1);
      expect(edited.balance).toBeLessThan(file.balanceWan);
      expect(await page.getAttribute(".pj-edited-cards", "data-edited")).toBe("1");
      // The worker's recompute of both paths (10 years × 5 000 persons × 2 schemes) stays well under 2 s.
      expect(Number(await page.getAttribute(".pj-edited-cards", "data-ms"))).toBeLessThan(2000);
      expect(await page.locator(".pj-param[data-key='costTrend'][data-changed]").count()).toBe(1);
      expect(await metric(page, "months-last")).toBe(`${file.months.toFixed(1)} 个月`);
      // A second edit, and an invalid one that is refused without a recompute.
      run = await edit(page, "openingReserveMonths", "12");
      const twice = await value(page, "edited-months-last");
      expect(twice).toBeLessThan(edited.months);
      await page.fill(".pj-param[data-key='wageGrowth'] input", "99");
      await page.waitForSelector(".pj-param[data-key='wageGrowth'][data-invalid]");
      expect(await page.locator(".pj-status").getAttribute("data-state")).toBe("invalid");
      await page.waitForTimeout(600);
      expect(Number(await page.getAttribute(".pj-edited-cards", "data-run"))).toBe(run);
      // …nor a goal-seek on assumptions that are not the ones shown.
      await page.click(".pj-solve");
      expect(await page.locator(".pj-seek-fields .pj-progress").innerText()).toContain("无效输入");
      expect(await page.getAttribute(".pj-seek-result", "data-source")).toBe("build");
      run = await edit(page, "wageGrowth", "5");
      expect(await value(page, "edited-months-last")).toBe(twice);
      expect(await defects(page)).toEqual([]);
      await section(page, "调整假设", "敏感性分析", join(SHOTS, "projection-edit-zh.png"));

      // The assumptions file the page saves: the CLI on the same 5 000 persons gives the page's path.
      const yamlPath = await take(page, ".pj-save-assumptions");
      expect(yamlPath).toMatch(/assumptions-lanzhou\.yaml$/);
      const a = loadAssumptions("lanzhou", { file: yamlPath });
      expect(a.params.costTrend).toBe(0.06);
      expect(a.params.openingReserveMonths).toBe(12);
      const cli = await cliMonths(["--city", "lanzhou", "--persons", String(P.persons), "--assumptions", yamlPath], join(scratch, "assumed"));
      expect(cli.get(`scenario ${P.lastYear}`)).toBeCloseTo(twice, 9);

      // Reset: the files' assumptions, the build's path again.
      await page.click(".pj-reset");
      run = await recomputed(page, run);
      expect(await page.getAttribute(".pj-edited-cards", "data-edited")).toBe("0");
      expect(await value(page, "edited-months-last")).toBeCloseTo(file.months, 9);
      expect(await page.inputValue(".pj-param[data-key='costTrend'] input")).toBe("4");
      expect(await page.locator(".pj-param[data-changed]").count()).toBe(0);
      expect(await defects(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);

  it("goal-seek in the worker: the rate found, saved as a scenario with the edited assumptions, meets the target in the CLI; 0.1 point more misses it", async () => {
    const city: CityId = "ganzhou";
    const { context, page, problems } = await open(`?city=${city}`);
    try {
      const P = built();
      const year = 2030;
      let run = await recomputed(page, 0);
      expect(await page.getAttribute(".pj-seek-result", "data-source")).toBe("build");
      // An edited assumption the goal-seek must use, and a target between the ends of the range.
      run = await edit(page, "utilisationTrend", "3");
      const assumptionsPath = await take(page, ".pj-save-assumptions");
      const cliAt = await cliMonths(["--city", city, "--persons", String(P.persons), "--assumptions", assumptionsPath], join(scratch, "gz-central"));
      // About half-way to what +30 points would give (Ganzhou: ≈ 3 months fewer in 2030).
      const target = Math.round((cliAt.get(`scenario ${year}`)! - 1.5) * 2) / 2;
      await page.selectOption(".pj-lever", "rate");
      await page.fill(".pj-target", String(target));
      await page.selectOption(".pj-year", String(year));
      await page.click(".pj-solve");
      await page.waitForSelector(".pj-seek-result[data-source='browser']", { timeout: 90_000 });
      expect(await page.getAttribute(".pj-seek-result", "data-status")).toBe("found");
      const found = await value(page, "seek-value");
      const achieved = await value(page, "seek-achieved");
      expect(found).toBeGreaterThan(0); // below the reform's own result: rates can rise
      expect(achieved).toBeGreaterThanOrEqual(target);
      expect(await page.locator(".pj-seek-result [data-metric='goal-seek']").innerText()).toContain("已求得");
      expect(await page.locator(".pj-seek-result").innerText()).toContain("按上方修改后的假设（1项）");
      await section(page, "目标求解", "各市一览", join(SHOTS, "projection-goal-seek-zh.png"));

      // The saved scenario and the saved assumptions through `fundsim project`: the target is met.
      const scenarioPath = await take(page, ".pj-save-scenario");
      expect(scenarioPath).toMatch(new RegExp(`goal-seek-${city}-rate-${year}\\.yaml$`));
      const sc = loadScenarioFile(scenarioPath);
      expect(sc).toMatchObject({ city, base: "reform" });
      expect(Object.keys(sc.set!)).toEqual(["benefits.general.rate.level1", "benefits.general.rate.level2", "benefits.general.rate.level3"]);
      const cli = await cliMonths(["--city", city, "--persons", String(P.persons), "--assumptions", assumptionsPath, "--scenario", scenarioPath], join(scratch, "gz-seek"));
      expect(cli.get(`scenario ${year}`)).toBeCloseTo(achieved, 9);
      expect(cli.get(`scenario ${year}`)).toBeGreaterThanOrEqual(target);
      // One grid step more generous misses it (the model functions on the same sample, in Node).
      const policy = loadPolicy(city);
      const a = loadAssumptions(city, { file: assumptionsPath });
      const months = (x: number) =>
        projectScheme(
          prepareProjection({
            sample: pageSample(city, P.persons), baseYear: 2023, years: year - 2023 + 1, schemes: [resolveScheme(policy, leverScenario(policy, "rate", x, null))], baseline: policy.baseline,
            finance: loadFinance(city).finance, ...cityCohorts(city, 2023, loadFinance(city).finance.insured),
          }),
          a.params, 0,
        ).years.at(-1)!.monthsOfReserve;
      expect(months(found + 0.1)).toBeLessThan(target);

      // A target no deductible can reach is reported as such, with no scenario to save.
      await page.selectOption(".pj-lever", "deductible");
      await page.fill(".pj-target", "100");
      await page.click(".pj-solve");
      await page.waitForSelector(".pj-seek-result[data-lever='deductible']", { timeout: 90_000 });
      expect(await page.getAttribute(".pj-seek-result", "data-status")).toBe("not-reachable");
      expect(await page.locator(".pj-seek-result .pj-save-scenario").count()).toBe(0);
      expect(await page.locator(".pj-seek-result [data-metric='goal-seek']").innerText()).toContain("无法达到");

      // English: the form and the result switch language and keep their state.
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await recomputed(page, run - 1);
      expect(await page.locator(".pj-seek-result [data-metric='goal-seek']").innerText()).toContain("Not reachable");
      expect(await page.locator(".pj-lever option[value='rate']").innerText()).toBe("General outpatient rates (all levels moved together)");
      expect(await page.inputValue(".pj-param[data-key='utilisationTrend'] input")).toBe("3");
      expect(await page.locator(".fs-chart[data-chart='projection-edited-months'] svg").innerHTML()).toContain("6 months");
      expect(await defects(page)).toEqual([]);
      await section(page, "Edit the assumptions", "Sensitivity", join(SHOTS, "projection-edit-en.png"));
      await section(page, "Goal-seek", "All cities", join(SHOTS, "projection-goal-seek-en.png"));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it("goal-seek on the 10th percentile in the worker: the value, saved with the edited assumptions, meets it in the CLI's Monte Carlo (same draws); one step more generous misses it", async () => {
    const city: CityId = "lanzhou";
    const { context, page, problems } = await open(`?city=${city}`);
    try {
      const P = built() as ReturnType<typeof built> & { samples: number; samplePersons: number; seed: number };
      const lever = "active-credit", year = P.lastYear, target = 6, draws = 50;
      let run = await recomputed(page, 0);
      run = await edit(page, "costTrend", "4.5");
      const assumptionsPath = await take(page, ".pj-save-assumptions");
      await page.selectOption(".pj-lever", lever);
      await page.fill(".pj-target", String(target));
      await page.selectOption(".pj-seek-on", "percentile");
      await page.fill(".pj-seek-level", "10");
      await page.selectOption(".pj-seek-draws", String(draws));
      const q = new URL(await href(page)).searchParams;
      expect([q.get("seekOn"), q.get("seekLevel"), q.get("seekDraws")]).toEqual(["percentile", null, String(draws)]); // 10: the default
      expect(await page.locator(".pj-seek-condition").innerText()).toContain(`第 10 百分位数 ≥ ${target} 个月`);
      await page.click(".pj-solve");
      await page.waitForSelector(".pj-seek-result[data-source='browser']", { timeout: 280_000 });
      const box = ".pj-seek-result[data-source='browser']";
      expect(await page.getAttribute(box, "data-status")).toBe("found");
      expect(await page.getAttribute(box, "data-target-kind")).toBe("percentile");
      const found = await value(page, "seek-value");
      const achieved = await value(page, "seek-achieved");
      const share = await value(page, "seek-share");
      expect(achieved).toBeGreaterThanOrEqual(target);
      expect(share).toBeLessThanOrEqual(0.1);
      expect(Number(await page.getAttribute("[data-metric='seek-draws']", "data-value"))).toBe(draws);
      const seconds = Number(await page.getAttribute("[data-metric='seek-draws']", "data-seconds"));
      expect(seconds).toBeGreaterThan(0);
      console.log(`[projection] the page's 10th-percentile goal-seek (${lever}, ${draws} draws, ${await page.locator(".pj-evaluations tbody tr").count()} steps): ${seconds.toFixed(1)} s in the worker`);
      const text = await page.locator(box).innerText();
      expect(text).toContain("第 10 百分位数");
      expect(text).toContain(`蒙特卡洛 ${draws} 次`);
      expect(text).toContain("P（可支付月数 < 6）");
      await section(page, "目标求解", "各市一览", join(SHOTS, "projection-goal-seek-percentile-zh.png"));

      // The saved scenario through `fundsim project` with the same draws: its 10th percentile of the
      // last year's months (draws.parquet) is the page's, and meets the target.
      const scenarioPath = await take(page, ".pj-save-scenario");
      expect(readFileSync(scenarioPath, "utf8")).toContain(`--draws ${draws} --samples ${P.samples} --sample-persons ${P.samplePersons} --seed ${P.seed}`);
      const out = join(scratch, "band-seek");
      const cli = spawnSync(
        process.execPath,
        ["bin/fundsim.js", "project", "--city", city, "--persons", String(P.persons), "--draws", String(draws), "--samples", String(P.samples), "--sample-persons", String(P.samplePersons),
          "--seed", String(P.seed), "--assumptions", assumptionsPath, "--scenario", scenarioPath, "--threads", "1", "--out", out],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", TZ: "Asia/Shanghai" } },
      );
      expect(cli.status, cli.stderr).toBe(0);
      const db = await DuckDBInstance.create(":memory:");
      const conn = await db.connect();
      const months = (await conn.runAndReadAll(`SELECT months FROM '${join(out, "draws.parquet")}' ORDER BY draw`)).getRowObjectsJS().map((r) => Number(r.months));
      conn.closeSync();
      expect(months.length).toBe(draws);
      expect(quantile(months, 0.1)).toBeCloseTo(achieved, 9);
      expect(quantile(months, 0.1)).toBeGreaterThanOrEqual(target);
      expect(months.filter((m) => m < target).length / draws).toBeCloseTo(share, 12);
      // One grid step (0.1 % of the base) more generous misses it: the model's Monte Carlo in Node.
      const policy = loadPolicy(city);
      const { finance } = loadFinance(city);
      const p10 = (x: number) =>
        quantile(
          projectDraws({
            reference: pageSample(city, P.persons), samples: Array.from({ length: P.samples }, (_, i) => pageDrawSample(city, i)), baseYear: P.lastYear - 9, years: 10,
            scheme: resolveScheme(policy, leverScenario(policy, lever, x, null)), baseline: policy.baseline, finance, assumptions: loadAssumptions(city, { file: assumptionsPath }),
            draws, seed: P.seed, ...cityCohorts(city, P.lastYear - 9, finance.insured),
          }).draws.map((d) => d.monthsPath.at(-1)!),
          0.1,
        );
      expect(p10(found)).toBeCloseTo(achieved, 9);
      expect(p10(Math.round((found + 0.1) * 10) / 10)).toBeLessThan(target);

      // English: the result and the form switch language and keep their state.
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await recomputed(page, run - 1);
      const en = await page.locator(box).innerText();
      expect(en).toContain("10th percentile of the months of reserve");
      expect(en).toContain(`${draws} Monte Carlo draws`);
      expect(await page.locator(".pj-seek-on option[value='percentile']").innerText()).toBe("a percentile of the band");
      expect(await defects(page)).toEqual([]);
      await section(page, "Goal-seek", "All cities", join(SHOTS, "projection-goal-seek-percentile-en.png"));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
