// The site built with a city that is only files (issue 14 "Done when"): the made-up city
// (test/made-up-city.ts), written by `fundsim new-city` in the global setup and found through
// FUNDSIM_POLICIES by the build, has its own page with its name, no console or page error and no
// broken cell, and is a choice on the what-if and projection pages. (The tests that iterate over
// every page or city — pages, dashboards, responsive — cover it too, through CITY_PAGES.)
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/made-up-city.test.ts
import { existsSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CITY_PAGES } from "../../observablehq.config.ts";
import { cityEntry } from "../../src/loaders/cities.ts";
import { MADE_UP, madeUpDir } from "../made-up-city.ts";
import { CHROMIUM, chartsSettled, defects, offlineContext, siteInBrowser } from "./setup.ts";

const present = existsSync(CHROMIUM);
const CI = !!process.env.CI;

describe.skipIf(!present && !CI)("a made-up city on the site", () => {
  const site = siteInBrowser();

  async function open(path: string, ready: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await offlineContext(site.browser, site.url);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${site.url}${path}`, { waitUntil: "load" });
    await page.waitForSelector(ready, { timeout: 90_000 });
    return { context, page, problems };
  }

  it("the tests and the build find it: a user's directory, in the config's city pages", () => {
    const entry = cityEntry(MADE_UP.id);
    expect(entry.builtin).toBe(false);
    expect(entry.files.policy).toBe(`${madeUpDir()}/${MADE_UP.id}.yaml`);
    expect(CITY_PAGES).toContainEqual({ id: MADE_UP.id, zh: MADE_UP.zh, en: MADE_UP.en });
  });

  it("its page shows its name (title and heading), with no error", async () => {
    const { context, page, problems } = await open(`/cities/${MADE_UP.id}`, "#fs-city-title");
    try {
      await chartsSettled(page);
      expect(await page.title()).toContain(MADE_UP.zh);
      expect(await page.textContent("#fs-city-title")).toContain(MADE_UP.zh);
      expect(await page.textContent("#fs-city-title")).toContain(MADE_UP.provinceZh);
      expect(await defects(page)).toEqual([]);
      // Its own figures: the headline cards are this city's, not another's.
      expect(await page.locator(`[data-city="${MADE_UP.id}"]`).count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the what-if page offers it and computes it", async () => {
    const { context, page, problems } = await open(`/what-if?city=${MADE_UP.id}`, ".wi-controls");
    try {
      const button = page.locator(`.wi-cities button[data-city="${MADE_UP.id}"]`);
      await expect(button.count()).resolves.toBe(1);
      expect(await button.textContent()).toContain(MADE_UP.zh);
      await page.waitForFunction((id) => document.querySelector('.wi-cities button[aria-pressed="true"]')?.getAttribute("data-city") === id, MADE_UP.id, { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelectorAll(".wi-results .fs-chart .vega-embed svg").length === 3, undefined, { timeout: 90_000 });
      expect(await page.textContent(".wi-messages")).not.toMatch(/must be/);
      expect(await defects(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the projection page offers it and shows its paths", async () => {
    const { context, page, problems } = await open(`/projection?city=${MADE_UP.id}`, "#fs-city");
    try {
      await chartsSettled(page);
      const choice = page.locator("#fs-city label", { hasText: MADE_UP.zh });
      expect(await choice.count()).toBe(1);
      expect(await page.locator(`#fs-city input:checked`).evaluate((e) => (e.parentElement?.textContent ?? "") + (e as HTMLInputElement).value)).toContain(MADE_UP.zh);
      expect(await defects(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
