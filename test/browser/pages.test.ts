// Every page the Framework config lists, opened in headless Chromium from a local static server:
// no console error, page error, failed request, HTTP ≥ 400 or request off 127.0.0.1; every chart
// drawn; the 中文 / English toggle changes the visible text. A full-page screenshot per page per
// language goes to test-results/screenshots/.
//
// dist/ is built here (npm run build) when missing or older than src/, so `npm test` alone runs
// this. Without /usr/bin/chromium the suite is skipped with a message, except under CI (CI set),
// where scripts/ensure-chromium.sh is run and a still-missing browser fails the suite.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { cityIds } from "../../src/loaders/cities.ts";
import { CHROMIUM, configPages, DIST, RESULTS, siteInBrowser, slug, type ListedPage, offlineContext, chartsSettled } from "./setup.ts";

const CI = !!process.env.CI;
const present = existsSync(CHROMIUM);
if (!present && !CI) {
  console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing. Run scripts/ensure-chromium.sh (as root) to enable the browser tests.`);
}

const SHOTS = join(RESULTS, "screenshots");
const pages: ListedPage[] = await configPages();

/** What went wrong on a page while it was open. */
interface Problems {
  list: string[];
}

function watch(page: Page, base: string): Problems {
  const problems: Problems = { list: [] };
  const local = new URL(base).host;
  page.on("console", (m) => {
    if (m.type() === "error") problems.list.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.list.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.list.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.list.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if ((u.protocol === "http:" || u.protocol === "https:" || u.protocol === "ws:" || u.protocol === "wss:") && u.host !== local) {
      problems.list.push(`request off 127.0.0.1: ${r.url()}`);
    }
  });
  return problems;
}

const settled = (page: Page) => chartsSettled(page);

/** Failures visible on the page itself: cell errors, chart error boxes, empty charts. */
async function pageDefects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const e of document.querySelectorAll(".observablehq--error")) out.push(`cell error: ${(e.textContent ?? "").slice(0, 300)}`);
    for (const e of document.querySelectorAll(".fs-chart-error")) out.push(`chart error: ${(e.textContent ?? "").slice(0, 300)}`);
    const embeds = [...document.querySelectorAll(".vega-embed")];
    embeds.forEach((v, i) => {
      const svgMarks = v.querySelectorAll("svg g[class*='role-mark'] > *").length;
      const canvas = v.querySelector("canvas");
      const drawn = svgMarks > 0 || (canvas !== null && canvas.width > 0 && canvas.height > 0);
      if (!drawn) out.push(`chart ${i + 1} has no marks`);
    });
    if (document.querySelectorAll(".fs-chart").length !== embeds.length + document.querySelectorAll(".fs-chart-error").length) {
      out.push("a chart figure holds neither a chart nor an error");
    }
    return out;
  });
}

/** The visible text of the page body (hidden language spans excluded) and its count of CJK characters. */
async function visibleText(page: Page): Promise<{ text: string; cjk: number }> {
  const text = await page.evaluate(() => (document.querySelector("main") as HTMLElement | null)?.innerText ?? "");
  return { text, cjk: (text.match(/[\u4e00-\u9fff]/g) ?? []).length };
}

describe.skipIf(!present && !CI)("pages in a browser", () => {
  const site = siteInBrowser();

  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  async function open(path: string, query = ""): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
    // Nothing leaves the machine: a request to another host is aborted (and reported by watch).
    const context = await offlineContext(site.browser, site.url, { acceptDownloads: true });
    const page = await context.newPage();
    const problems = watch(page, site.url);
    await page.goto(site.url + path + query, { waitUntil: "load" });
    await settled(page);
    return { context, page, problems };
  }

  it("the config lists the overview and dist/ has every listed page", () => {
    expect(pages.map((p) => p.path)).toContain("/");
    for (const p of pages) {
      const file = p.path === "/" ? "index.html" : `${p.path.replace(/^\//, "")}.html`;
      expect(existsSync(join(DIST, file)), `dist/${file}`).toBe(true);
    }
  });

  for (const listed of pages) {
    it(`${listed.path} (${listed.name}) renders in 中文 and English without errors`, async () => {
      const { context, page, problems } = await open(listed.path);
      try {
        const name = slug(listed.path);
        // Chinese by default
        expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
        expect(await pageDefects(page)).toEqual([]);
        const zh = await visibleText(page);
        expect(zh.text.length, "page has visible text").toBeGreaterThan(20);
        await page.screenshot({ path: join(SHOTS, `${name}-zh.png`), fullPage: true });

        // Toggle to English from the header
        await page.click("#observablehq-header [data-fs-lang='en']");
        await page.waitForFunction(() => document.documentElement.lang === "en");
        await settled(page);
        expect(await pageDefects(page)).toEqual([]);
        const en = await visibleText(page);
        expect(en.text, "English text differs from Chinese").not.toBe(zh.text);
        expect(en.cjk, "fewer Chinese characters in English").toBeLessThan(zh.cjk);
        expect(new URL(page.url()).searchParams.get("lang")).toBe("en");
        expect(await page.getAttribute("#observablehq-header [data-fs-lang='en']", "aria-pressed")).toBe("true");
        await page.screenshot({ path: join(SHOTS, `${name}-en.png`), fullPage: true });

        // The choice survives a reload (URL and localStorage) …
        await page.reload({ waitUntil: "load" });
        await settled(page);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
        expect((await visibleText(page)).text).toBe(en.text);
        // … and switches back
        await page.click("#observablehq-header [data-fs-lang='zh']");
        await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
        await settled(page);
        expect(new URL(page.url()).searchParams.get("lang")).toBeNull();
        expect((await visibleText(page)).cjk).toBe(zh.cjk);
        expect(await pageDefects(page)).toEqual([]);
        expect(problems.list).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("the overview's chart exports PNG, SVG and CSV", async () => {
    const { context, page, problems } = await open("/");
    try {
      // The rules chart (the overview's first charts are the fund effect's): marked by src/index.md.
      const figure = page.locator(".fs-chart[data-chart='general-pooling-rates']");
      await expect(figure.locator(".vega-embed svg").count()).resolves.toBe(1);
      const take = async (button: string) => {
        const [download] = await Promise.all([page.waitForEvent("download"), figure.locator(button).click()]);
        const path = join(RESULTS, "downloads", download.suggestedFilename());
        await download.saveAs(path);
        return { name: download.suggestedFilename(), path };
      };
      expect(await figure.locator(".fs-export-png").innerText()).toBe("导出PNG");
      expect(await figure.locator(".fs-export-csv").innerText()).toBe("下载CSV");
      const png = await take(".fs-export-png");
      expect(png.name).toMatch(/\.png$/);
      const svg = await take(".fs-export-svg");
      expect(svg.name).toMatch(/\.svg$/);
      const csv = await take(".fs-export-csv");
      expect(csv.name).toMatch(/\.csv$/);
      const { readFileSync } = await import("node:fs");
      const head = readFileSync(png.path).subarray(0, 8);
      expect(head.toString("hex")).toBe("89504e470d0a1a0a"); // PNG signature
      const text = readFileSync(csv.path, "utf8").replace(/^\ufeff/, "");
      const lines = text.trim().split(/\r?\n/);
      // readable headers (Chinese on the Chinese page), rates to at most 4 decimals
      expect(lines[0]).toBe("城市代码,城市,医疗机构级别代码,医疗机构级别,人员类别代码,人员类别,支付比例（基点）,支付比例");
      expect(lines.length).toBe(1 + cityIds().length * 3 * 2); // every city found × 3 levels × 2 statuses
      for (const l of lines.slice(1)) expect(l.split(",").at(-1)).toMatch(/^\d(\.\d{1,4})?$/);
      // exported images carry the source line: data source, date, URL
      const svgText = readFileSync(svg.path, "utf8");
      expect(svgText).toContain("<svg");
      expect(svgText).toContain("数据来源：fundsim");
      expect(svgText).toMatch(/导出于 \d{4}-\d{2}-\d{2}/);
      expect(svgText).toContain(new URL(page.url()).host);
      const { width, height } = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        return { width: img.naturalWidth, height: img.naturalHeight };
      }, readFileSync(png.path).toString("base64"));
      const box = await figure.locator(".vega-embed svg").boundingBox();
      expect(width).toBeGreaterThan(0);
      expect(height, "the PNG is taller than the chart by its source line").toBeGreaterThan(2 * (box?.height ?? 0));

      // A money chart's CSV: readable headers, yuan to the fen (no 15-decimal floats)
      const impact = page.locator(".fs-chart").first();
      const [dl] = await Promise.all([page.waitForEvent("download"), impact.locator(".fs-export-csv").click()]);
      const impactPath = join(RESULTS, "downloads", dl.suggestedFilename());
      await dl.saveAs(impactPath);
      const rows = readFileSync(impactPath, "utf8").replace(/^\ufeff/, "").trim().split(/\r?\n/).map((l) => l.split(","));
      expect(rows[0]).toContain("对当期结余的影响（元，全市）");
      expect(rows[0]).not.toContain("order");
      const col = rows[0].indexOf("对当期结余的影响（元，全市）");
      for (const r of rows.slice(1)) expect(r[col]).toMatch(/^-?\d+\.\d{2}$/);
      for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/\.\d{7,}/);
      expect(problems.list).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
