// The back-test on the methods page (issue 12 item 4), in headless Chromium: the national composite's
// table has a row per line and year of the data loader's output, calibrated lines are marked, the
// cities' table is there (folded), the chart draws, and English replaces the Chinese labels.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chartsSettled, defects, DIST, ensureBuilt, ensureChromium, launchChromium, offlineContext, serve } from "./setup.ts";

const present = existsSync(CHROMIUM);

describe.skipIf(!present && !process.env.CI)("the back-test on the methods page", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let closeBrowser: (() => Promise<void>) | undefined;
  let data: { persons: number; rows: Array<{ place: string; fit: string }> };

  beforeAll(async () => {
    if (!ensureChromium()) throw new Error(`${CHROMIUM} is missing`);
    ensureBuilt();
    const dir = join(DIST, "_file", "data");
    data = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith("backtest.") && f.endsWith(".json"))!), "utf8"));
    server = await serve();
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  it("shows the composite's table, the cities' table and the chart, in both languages", async () => {
    const context = await offlineContext(browser, server.url);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/methods`, { waitUntil: "load" });
      await chartsSettled(page);
      expect(await defects(page)).toEqual([]);
      const national = data.rows.filter((r) => r.place === "national");
      expect(national.length).toBeGreaterThan(20);
      const rows = page.locator("table[data-table=backtest-national] tbody tr");
      expect(await rows.count()).toBe(national.length);
      const text = await page.locator("table[data-table=backtest-national]").innerText();
      expect(text).toContain("校准（按构造吻合）");
      expect(text).toContain("样本外");
      expect(await page.locator("table[data-table=backtest-cities] tbody tr").count()).toBe(data.rows.length - national.length);
      const title = await page.locator(".fs-chart svg").evaluateAll((svgs) => svgs.map((s) => s.textContent ?? "").join("\n"));
      expect(title).toContain("回测：模型与公布决算的误差");
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await chartsSettled(page);
      expect(await page.locator("table[data-table=backtest-national]").innerText()).toContain("calibrated (matched by construction)");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
