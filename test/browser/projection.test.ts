// The projection page (精算预测, src/projection.md) in headless Chromium: it renders with no console
// error, failed request or cell error; the balance/months band charts and the tornado have marks
// (the band is an area, the 6 and 15 month lines are drawn); choosing another city changes the
// numbers; the goal-seek result and the assumptions table are shown. Screenshots in both languages
// go to test-results/screenshots/projection-detail-*.png (pages.test.ts takes projection-zh/en.png).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, DIST, ensureBuilt, ensureChromium, RESULTS, serve, CHROMIUM_ARGS, defects } from "./setup.ts";

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

describe.skipIf(!present && !CI)("projection page", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let profile: string;

  beforeAll(async () => {
    if (!ensureChromium()) throw new Error(`${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it`);
    ensureBuilt();
    server = await serve();
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), "fundsim-chromium-"));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, tracesDir: profile, downloadsPath: profile });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(query = ""): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", serviceWorkers: "block" });
    const local = new URL(server.url).host;
    await context.route((url) => (url.protocol === "http:" || url.protocol === "https:") && url.host !== local, (route) => route.abort("blockedbyclient"));
    const page = await context.newPage();
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
      for (const c of ["projection-balance", "projection-months", "projection-tornado", "projection-response"]) {
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
      // Goal-seek, the five-city table and the assumptions table.
      expect(await page.locator(".fs-goal [data-metric='goal-seek']").innerText()).toMatch(/限额|无需调整|无法达到/);
      expect(await page.locator("table.fs-cities-table tbody tr").count()).toBe(5);
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
});
