// `fundsim brief` on the built site (issue 15 item 3): the overview and a city page printed to PDF
// by Chromium with the print stylesheet — a real PDF, its pages, and (when pdftotext is installed)
// the page's words, the print date and the data version in it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runFundsim } from "../../src/cli/program.ts";
import { CHROMIUM, chartsSettled, DIST, offlineContext, siteInBrowser } from "./setup.ts";

const present = existsSync(CHROMIUM) && existsSync(join(DIST, "index.html"));
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;
const dir = mkdtempSync(join(tmpdir(), "fundsim-brief-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!present && !process.env.CI)("the 导出简报 button", () => {
  const site = siteInBrowser();
  it("is in the header of the overview and the city pages (opening the print dialog), not elsewhere", async () => {
    const context = await offlineContext(site.browser, site.url);
    const page = await context.newPage();
    for (const [path, expected] of [["/", 1], ["/cities/jinan", 1], ["/what-if", 0], ["/methods", 0]] as const) {
      await page.goto(`${site.url}${path}`);
      await chartsSettled(page, 0);
      expect(await page.locator(".fs-header .fs-brief").count(), path).toBe(expected);
      if (expected) {
        await page.evaluate(() => {
          (window as unknown as { printed: number }).printed = 0;
          window.print = () => void ((window as unknown as { printed: number }).printed += 1);
        });
        await page.locator(".fs-header .fs-brief").click();
        expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
        await page.emulateMedia({ media: "print" });
        expect(await page.locator(".fs-header .fs-brief").isVisible()).toBe(false);
        await page.emulateMedia({ media: "screen" });
      }
    }
    await context.close();
  }, 120_000);
});

describe.skipIf(!present && !process.env.CI)("fundsim brief prints the built site", () => {
  for (const [city, lang, word] of [["jinan", "zh", "济南"], ["all", "en", "pooled fund"]] as const) {
    it(`${city}, ${lang}: a PDF of the page with its words, date and data version`, async () => {
      const out = join(dir, `${city}-${lang}.pdf`);
      const status = await runFundsim(["brief", "--city", city, "--lang", lang, "--out", out, "--site", DIST]);
      expect(status).toBe(0);
      const bytes = readFileSync(out);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const pages = (bytes.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(1);
      if (hasPdftotext) {
        const text = spawnSync("pdftotext", ["-layout", out, "-"], { encoding: "utf8" }).stdout;
        expect(text).toContain(word);
        expect(text).toMatch(lang === "zh" ? /打印于/ : /Printed/);
        expect(text).toMatch(lang === "zh" ? /数据版本/ : /Data version/);
        // no controls in print: the language toggle's words are not printed as buttons
        expect(text).not.toMatch(/中文\s*\/\s*English/);
      }
    }, 120_000);
  }
});
