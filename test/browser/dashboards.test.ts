// The dashboards, page by page, in headless Chromium (pages.test.ts checks every page for errors and
// the language toggle; this file checks what each dashboard shows):
//   the overview shows the five cities' numbers, and its year and unit choices change them;
//   each city page draws its charts, flow and exclusion tables and rules cards;
//   the methods page lists every assumption, the calibration report and the finance values.
// Screenshots go to test-results/dashboards/ (pages.test.ts owns test-results/screenshots/).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_PAGES } from "../../observablehq.config.ts";
import { CHROMIUM, DIST, ensureBuilt, ensureChromium, RESULTS, serve, launchChromium, offlineContext, defects, chartsSettled } from "./setup.ts";

const CI = !!process.env.CI;
const present = existsSync(CHROMIUM);
const SHOTS = join(RESULTS, "dashboards");

const settled = (page: Page) => chartsSettled(page);

/** Cell errors, chart error boxes and charts without marks. */

/** The export file names of the charts on the page (each chart's PNG/SVG/CSV row is present). */
async function chartCount(page: Page): Promise<{ charts: number; exportRows: number }> {
  return page.evaluate(() => ({
    charts: document.querySelectorAll(".fs-chart .vega-embed svg").length,
    exportRows: document.querySelectorAll(".fs-chart .fs-chart-actions .fs-export-png").length,
  }));
}

/** A number out of a formatted amount: "+96,910 万元" → 96910, "-¥12.3 m" → -12.3. */
function amount(text: string): number {
  const m = /([+\-−]?)\s*¥?\s*([\d,]+(?:\.\d+)?)/.exec(text.replace(/\s+/g, " "));
  if (!m) return Number.NaN;
  return (m[1] === "-" || m[1] === "−" ? -1 : 1) * Number(m[2].replace(/,/g, ""));
}

describe.skipIf(!present && !CI)("dashboards", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let closeBrowser: (() => Promise<void>) | undefined;
  let results: { years: number[]; persons: number; cities: Array<{ city: string }> };
  let methods: { assumptions: unknown[]; report: { rows: unknown[] } | null; finance: unknown[] };

  beforeAll(async () => {
    if (!ensureChromium()) throw new Error(`${CHROMIUM} is missing`);
    ensureBuilt();
    const data = join(DIST, "_file", "data");
    const file = (prefix: string) => join(data, readdirSync(data).find((f) => f.startsWith(prefix) && f.endsWith(".json"))!);
    results = JSON.parse(readFileSync(file("results."), "utf8"));
    methods = JSON.parse(readFileSync(file("methods."), "utf8"));
    server = await serve();
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  async function open(path: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await offlineContext(browser, server.url);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(server.url + path, { waitUntil: "load" });
    await settled(page);
    return { context, page, errors };
  }

  it("the results cover the five cities and at least one year", () => {
    expect(results.cities.map((c) => c.city).sort()).toEqual(CITY_PAGES.map((c) => c.id).sort());
    expect(results.years.length).toBeGreaterThan(0);
    expect(results.persons).toBeGreaterThanOrEqual(10_000);
  });

  it("the overview shows each city's pooled-fund numbers first, and the year and unit choices change them", async () => {
    const { context, page, errors } = await open("/");
    try {
      expect(await defects(page)).toEqual([]);
      // Five city cards, before the rules section
      const cards = page.locator(".fs-kpi[data-city]");
      expect(await cards.count()).toBe(5);
      expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-city")))).toEqual(CITY_PAGES.map((c) => c.id));
      const first = await page.evaluate(() => {
        const kpi = document.querySelector(".fs-kpi");
        const rules = document.querySelector(".fs-policy-card");
        return kpi && rules ? !!(kpi.compareDocumentPosition(rules) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
      });
      expect(first, "the fund cards come before the rules cards").toBe(true);
      const read = () =>
        cards.evaluateAll((els) =>
          els.map((e) => ({
            net: e.querySelector("[data-metric=net]")?.textContent ?? "",
            income: e.querySelector("[data-metric=income]")?.textContent ?? "",
            spending: e.querySelector("[data-metric=spending]")?.textContent ?? "",
            labels: e.textContent ?? "",
            months: e.querySelector("[data-metric=months]")?.textContent ?? "",
          })),
        );
      const zh = await read();
      for (const c of zh) {
        expect(c.net).toMatch(/^[+\-−]?[\d,]+ 万元$/);
        expect(c.income).toMatch(/万元$/);
        expect(c.spending).toMatch(/万元$/);
        // The headline is on NHSA's bulletin basis and says so.
        expect(c.labels).toContain("公报口径");
        expect(c.months).toMatch(/^\d+\.\d → \d+\.\d 个月$/);
        // net = income − spending on the bulletin basis (rounded to 1 万元 each)
        expect(Math.abs(amount(c.income) - amount(c.spending) - amount(c.net))).toBeLessThanOrEqual(2);
      }
      // The leadership charts: effect, months of reserve (with the 6 and 15 month lines), gainers, age
      const { charts, exportRows } = await chartCount(page);
      expect(charts).toBeGreaterThanOrEqual(5);
      expect(exportRows).toBe(charts);
      const text = await page.locator("main").innerText();
      expect(text).toContain("可支付月数");
      expect(text).toMatch(/6个月/);
      expect(text).toMatch(/15个月/);
      expect(text).toContain("在职职工");
      expect(text).toContain("退休人员");
      await page.screenshot({ path: join(SHOTS, "overview-zh.png"), fullPage: true });

      // Another year gives other numbers
      if (results.years.length > 1) {
        const other = Math.min(...results.years);
        await page.locator("#fs-year label", { hasText: String(other) }).first().click();
        await settled(page);
        const zh2 = await read();
        expect(zh2.map((c) => c.net)).not.toEqual(zh.map((c) => c.net));
        expect(await page.locator("main").innerText()).toContain(`${other}年`);
        expect(await defects(page)).toEqual([]);
      }

      // Per insured: the effect chart redraws in yuan
      const before = await page.locator(".fs-chart").first().innerHTML();
      await page.locator(".fs-controls label", { hasText: "人均" }).first().click();
      await settled(page);
      expect(await page.locator(".fs-chart").first().innerHTML()).not.toBe(before);
      expect(await page.locator(".fs-chart").first().innerText()).toContain("元/人");

      // English: the same cards in ¥ millions
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await settled(page);
      const en = await read();
      for (const c of en) {
        expect(c.net).toMatch(/¥[\d,]+(\.\d+)? m$/);
        expect(c.months).toMatch(/^\d+\.\d → \d+\.\d months$/);
      }
      expect(await defects(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, "overview-en-per-insured.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const c of CITY_PAGES) {
    it(`the ${c.en} page draws its charts, tables and rules`, async () => {
      const { context, page, errors } = await open(`/cities/${c.id}`);
      try {
        expect(await defects(page)).toEqual([]);
        expect(await page.locator("main h1").first().innerText()).toContain(c.zh);
        // one headline card for this city
        expect(await page.locator(`.fs-kpi[data-city=${c.id}] [data-metric=net]`).innerText()).toMatch(/万元$/);
        // fund by status, level, kind, month; accounts ×2; gains ×4; exclusions
        const { charts, exportRows } = await chartCount(page);
        expect(charts).toBeGreaterThanOrEqual(11);
        expect(exportRows).toBe(charts);
        const flows = page.locator("table[data-table=flows] tbody tr");
        expect(await flows.count()).toBeGreaterThanOrEqual(15);
        expect(await page.locator("table[data-table=flows]").innerText()).toContain("统筹基金当期结余");
        expect(await page.locator("table[data-table=exclusions] tbody tr").count()).toBeGreaterThan(0);
        // the rules: reform and baseline cards, with articles
        expect(await page.locator(`.fs-policy-card[data-city=${c.id}]`).count()).toBe(2);
        expect(await page.locator(`.fs-policy-card[data-city=${c.id}] .fs-ref`).count()).toBeGreaterThan(5);
        const text = await page.locator("main").innerText();
        for (const word of ["在职职工", "退休人员", "一级及以下", "个人账户", "受益与负担"]) expect(text).toContain(word);
        await page.screenshot({ path: join(SHOTS, `city-${c.id}-zh.png`), fullPage: true });
        if (c.id === "jinan" || c.id === "lanzhou") {
          await page.click("#observablehq-header [data-fs-lang='en']");
          await page.waitForFunction(() => document.documentElement.lang === "en");
          await settled(page);
          expect(await defects(page)).toEqual([]);
          expect(await page.locator("main h1").first().innerText()).toContain(c.en);
          await page.screenshot({ path: join(SHOTS, `city-${c.id}-en.png`), fullPage: true });
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("the methods page lists every assumption, the calibration report and the finance values", async () => {
    const { context, page, errors } = await open("/methods");
    try {
      expect(await defects(page)).toEqual([]);
      const rows = page.locator("table[data-table=assumptions] tbody tr");
      expect(await rows.count()).toBe(methods.assumptions.length);
      expect(methods.assumptions.length).toBeGreaterThan(20);
      // every assumption row names its article or source
      const refs = await rows.evaluateAll((trs) => trs.map((tr) => (tr.children[4]?.textContent ?? "").trim()));
      expect(refs.filter((r) => r === "" || r === "—")).toEqual([]);
      if (methods.report) {
        expect(await page.locator("table[data-table=calibration-report] tbody tr").count()).toBe(methods.report.rows.length);
        expect((await chartCount(page)).charts).toBeGreaterThanOrEqual(1);
      }
      expect(await page.locator("table[data-table=finance] tbody tr").count()).toBeGreaterThanOrEqual(9);
      expect(await page.locator("table[data-table=calibration] tbody tr").count()).toBeGreaterThan(30);
      // The balancing line is shown with its size, city by city (issue 12).
      const balancing = page.locator("table[data-table=balancing] tbody tr");
      expect(await balancing.count()).toBe(5);
      for (const cells of await balancing.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? "")))) {
        expect(cells[1]).toMatch(/万元$/);
        expect(cells[2]).toMatch(/%$/);
      }
      const text = await page.locator("main").innerText();
      for (const word of ["假设", "校准", "人社部发〔2009〕67号", "国办发〔2021〕14号"]) expect(text).toContain(word);
      // The full calculation rules are there, folded
      expect(await page.locator("#fs-calculation").innerHTML()).toContain("Money and rounding");
      await page.screenshot({ path: join(SHOTS, "methods-zh.png"), fullPage: true });

      // The city choice filters the assumptions
      await page.locator(".fs-controls label", { hasText: "济南" }).first().click();
      await settled(page);
      const jinan = await page.locator("table[data-table=assumptions] tbody tr").count();
      expect(jinan).toBeGreaterThan(0);
      expect(jinan).toBeLessThan(methods.assumptions.length);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
