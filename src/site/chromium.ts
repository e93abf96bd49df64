// Debian's Chromium driven by playwright-core: launched headless with everything that would reach
// out to the network switched off, a context in which a request to any other host is aborted, and
// the wait until a page of this site has drawn. Used by `fundsim brief` and the browser tests.
// playwright-core is a development dependency: it is imported when needed, and its absence is a
// user's error (one message), not a crash.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";

export const CHROMIUM = process.env.FUNDSIM_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Chromium with a throwaway profile; `close` removes it. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "fundsim-chromium-"));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, tracesDir: profile, downloadsPath: profile });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A browser context on the served site in which nothing leaves the machine: a request to any
 *  other host is aborted (and shows as a failed request). Chinese locale, 1280 × 900 unless given. */
export async function offlineContext(browser: Browser, siteUrl: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", serviceWorkers: "block", ...options });
  const local = new URL(siteUrl).host;
  await context.route((url) => (url.protocol === "http:" || url.protocol === "https:") && url.host !== local, (route) => route.abort("blockedbyclient"));
  return context;
}

/** Wait until Framework has run every cell and every chart has drawn (or shows its error box), and
 *  the projection editor's worker has drawn its cards, then `pause` ms more for a language change to
 *  finish re-rendering dependent cells. */
export async function chartsSettled(page: Page, pause = 150): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () => {
      if (document.querySelector("observablehq-loading")) return false;
      const charts = [...document.querySelectorAll(".fs-chart")];
      return charts.every((f) => f.querySelector(".fs-chart-error") || f.querySelector(".vega-embed svg, .vega-embed canvas"));
    },
    undefined,
    { timeout: 30_000 },
  );
  // The projection page's editor recomputes the central paths in a worker after the cells have run;
  // its cards appear when that is done (a page read before then reads differently after a reload).
  if (await page.$(".pj-panel")) await page.waitForSelector(".pj-edited-cards", { timeout: 60_000 });
  await page.waitForTimeout(pause);
}
