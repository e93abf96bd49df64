// Phones, print and accessible names (issue 15, "Dashboards a bureau can brief from"), in headless
// Chromium on the built site:
//   phones — every page in both languages at 390 × 844 (a phone: mobile viewport, touch): the page
//     is no wider than the screen and the 中文 / English toggle lies inside the viewport;
//   print — the overview and a city page printed with page.pdf(); under print media no button,
//     input, select or textarea is visible, the header is neither fixed nor sticky, the sidebar is
//     hidden, and the print-only line (date, page URL, data version) is shown and repeated on every
//     printed page (checked in the PDF's text when pdftotext is installed);
//   accessible names — on every page (both languages) every input, select, button and textarea has
//     a non-empty accessible name (aria-labelledby, aria-label, a <label>, or a button's text), the
//     skip link to the main content exists and leads to it, and small text has contrast ≥ 4.5 : 1.
// Screenshots go to test-results/responsive/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chartsSettled, configPages, type ListedPage, offlineContext, RESULTS, siteInBrowser, slug } from "./setup.ts";

const CI = !!process.env.CI;
const present = existsSync(CHROMIUM);
const SHOTS = join(RESULTS, "responsive");
const pages: ListedPage[] = await configPages();
const PHONE = { width: 390, height: 844 };
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

/** Every cell run and every chart drawn; on the what-if page, its worker's results too. */
async function settled(page: Page) {
  await chartsSettled(page, 0);
  // the what-if page draws its results from a worker after the cells have run
  if (await page.$(".wi-results")) {
    await page.waitForFunction(() => document.querySelectorAll(".wi-results .fs-chart .vega-embed svg").length === 3, undefined, { timeout: 60_000 });
  }
  await page.waitForTimeout(250);
}

/** Elements that stick out past the right edge of the viewport (outermost only), for messages. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>("body *")) {
      const b = e.getBoundingClientRect();
      if (b.width === 0 || b.right <= W + 1) continue;
      const parent = e.parentElement?.getBoundingClientRect();
      if (parent && parent.right > W + 1) continue;
      const cls = typeof e.className === "string" ? e.className.trim().replace(/\s+/g, ".") : "";
      out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${cls ? "." + cls : ""} right=${Math.round(b.right)}`);
    }
    return out.slice(0, 10);
  });
}

/** Controls without an accessible name: aria-labelledby, aria-label, a <label>, or a button's text. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (e: Element | null) => (e?.textContent ?? "").replace(/\s+/g, " ").trim();
    const out: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>("input, select, button, textarea")) {
      if (e instanceof HTMLInputElement && e.type === "hidden") continue;
      let name = "";
      const by = e.getAttribute("aria-labelledby");
      if (by) name = by.split(/\s+/).map((id) => text(document.getElementById(id))).join(" ").trim();
      if (!name) name = (e.getAttribute("aria-label") ?? "").trim();
      if (!name && "labels" in e && (e as HTMLInputElement).labels) name = [...(e as HTMLInputElement).labels!].map(text).join(" ").trim();
      if (!name && e instanceof HTMLButtonElement) name = text(e);
      if (!name && e instanceof HTMLInputElement && ["button", "submit", "reset"].includes(e.type)) name = e.value.trim();
      if (!name) {
        const cls = typeof e.className === "string" ? e.className.trim().replace(/\s+/g, ".") : "";
        const where = e.closest("[class]:not(input):not(button):not(select)")?.className ?? "";
        out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${cls ? "." + cls : ""}[type=${e.getAttribute("type") ?? ""}][name=${e.getAttribute("name") ?? ""}] in .${String(where).split(" ")[0]}`);
      }
    }
    return out;
  });
}

/** Visible small text (under 18.66 px bold / 24 px) whose contrast with its background is under 4.5 : 1. */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (s: string): number[] | null => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (e: Element | null): number[] => {
      for (let x = e; x; x = x.parentElement) {
        const c = rgba(getComputedStyle(x).backgroundColor);
        if (c && c[3] > 0.5) return c;
      }
      return [255, 255, 255, 1];
    };
    const out = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const e = n.parentElement;
      if (!e || !(n.textContent ?? "").trim()) continue;
      if (e.closest("svg, .vega-embed, [disabled], fieldset:disabled, .observablehq--inspect, .fs-print-meta")) continue;
      if (!e.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const s = getComputedStyle(e);
      const size = parseFloat(s.fontSize);
      const bold = Number(s.fontWeight) >= 700;
      if (size >= 24 || (bold && size >= 18.66)) continue;
      const fg = rgba(s.color);
      if (!fg) continue;
      const bg = background(e);
      const mixed = fg.slice(0, 3).map((c, i) => c * fg[3] + bg[i] * (1 - fg[3]));
      const [a, b] = [lum(mixed), lum(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) {
        const cls = typeof e.className === "string" ? e.className.trim().replace(/\s+/g, ".") : "";
        out.add(`${e.tagName.toLowerCase()}${cls ? "." + cls : ""} "${(n.textContent ?? "").trim().slice(0, 30)}" ${s.color} on rgb(${bg.slice(0, 3).join(",")}) = ${ratio.toFixed(2)}`);
      }
    }
    return [...out].slice(0, 15);
  });
}

describe.skipIf(!present && !CI)("phones, print and accessible names", () => {
  const site = siteInBrowser();

  beforeAll(() => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
  });

  async function open(path: string, lang: "zh" | "en", phone: boolean): Promise<{ context: BrowserContext; page: Page }> {
    const context = await offlineContext(site.browser, site.url, phone ? { viewport: PHONE, isMobile: true, hasTouch: true } : { viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url + path + (lang === "en" ? "?lang=en" : ""), { waitUntil: "load" });
    await settled(page);
    return { context, page };
  }

  for (const listed of pages) {
    it(`${listed.path} (${listed.name}) fits a 390 px phone in 中文 and English, toggle in view`, async () => {
      for (const lang of ["zh", "en"] as const) {
        const { context, page } = await open(listed.path, lang, true);
        try {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(width, `${lang}: page wider than the screen; sticking out: ${(await overflowing(page)).join("; ")}`).toBeLessThanOrEqual(PHONE.width);
          for (const which of ["zh", "en"]) {
            const box = await page.locator(`#observablehq-header [data-fs-lang='${which}']`).boundingBox();
            expect(box, `${lang}: toggle ${which} has a box`).not.toBeNull();
            expect(box!.x, `${lang}: toggle ${which} left`).toBeGreaterThanOrEqual(0);
            expect(box!.y, `${lang}: toggle ${which} top`).toBeGreaterThanOrEqual(0);
            expect(box!.x + box!.width, `${lang}: toggle ${which} right`).toBeLessThanOrEqual(PHONE.width);
            expect(box!.y + box!.height, `${lang}: toggle ${which} bottom`).toBeLessThanOrEqual(PHONE.height);
          }
          // still reachable after scrolling down
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
          await page.waitForTimeout(100);
          const after = await page.locator(`#observablehq-header [data-fs-lang='en']`).boundingBox();
          expect(after!.y, `${lang}: toggle in view after scrolling`).toBeGreaterThanOrEqual(0);
          expect(after!.y + after!.height).toBeLessThanOrEqual(PHONE.height);
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: join(SHOTS, `${slug(listed.path)}-${lang}-390.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    }, 180_000);
  }

  it("/what-if: the compare table, three pins wide, scrolls inside its own box at 390 px with its label column in view; the page does not widen", async () => {
    for (const lang of ["zh", "en"] as const) {
      const { context, page } = await open("/what-if", lang, true);
      try {
        for (let n = 1; n <= 3; n++) {
          await page.click(".wi-pin");
          await page.waitForSelector(`.wi-compare[data-pins="${n}"] .wi-compare-grid`);
        }
        const box = page.locator(".wi-compare-table");
        await box.scrollIntoViewIfNeeded();
        const before = await page.evaluate(() => {
          const holder = document.querySelector<HTMLElement>(".wi-compare-table")!;
          const b = holder.getBoundingClientRect();
          return { page: document.documentElement.scrollWidth, left: b.left, right: b.right, scroll: holder.scrollWidth, client: holder.clientWidth, overflowX: getComputedStyle(holder).overflowX };
        });
        expect(before.page, `${lang}: page wider than the screen; sticking out: ${(await overflowing(page)).join("; ")}`).toBeLessThanOrEqual(PHONE.width);
        expect(before.right, `${lang}: the box ends inside the screen`).toBeLessThanOrEqual(PHONE.width);
        expect(before.scroll, `${lang}: eight columns are wider than a phone: the box scrolls`).toBeGreaterThan(before.client);
        expect(before.overflowX).toBe("auto");
        // Scrolled to its far end: the label column stays at the box's left edge, the last column comes into view.
        const after = await page.evaluate(() => {
          const holder = document.querySelector<HTMLElement>(".wi-compare-table")!;
          holder.scrollLeft = holder.scrollWidth;
          const b = holder.getBoundingClientRect();
          const label = holder.querySelector("tbody tr td:first-child")!.getBoundingClientRect();
          const last = holder.querySelector("tbody tr td:last-child")!.getBoundingClientRect();
          return { page: document.documentElement.scrollWidth, scrolled: holder.scrollLeft, labelLeft: label.left - b.left, lastRight: last.right, boxRight: b.right };
        });
        expect(after.scrolled).toBeGreaterThan(0);
        expect(Math.abs(after.labelLeft), `${lang}: the label column is sticky`).toBeLessThanOrEqual(1);
        expect(after.lastRight).toBeLessThanOrEqual(after.boxRight + 1);
        expect(after.page).toBeLessThanOrEqual(PHONE.width);
        await box.screenshot({ path: join(SHOTS, `what-if-compare-${lang}-390.png`) });
      } finally {
        await context.close();
      }
    }
  }, 180_000);

  /** In print media: no visible control, no fixed or sticky header, no sidebar, the print-only line
   *  with the page's URL and a date, and the @page rule that repeats the URL on every printed page. */
  async function expectPrintable(page: Page, lang: string) {
    await page.emulateMedia({ media: "print" });
    await page.waitForTimeout(200);
    const state = await page.evaluate(() => {
      const visible = (e: Element) => (e as HTMLElement).checkVisibility({ opacityProperty: true, visibilityProperty: true });
      const controls = [...document.querySelectorAll("button, input, select, textarea")].filter(visible).map((e) => e.outerHTML.slice(0, 80));
      const header = document.getElementById("observablehq-header");
      const hs = header ? getComputedStyle(header) : null;
      const meta = document.querySelector<HTMLElement>(".fs-print-meta");
      return {
        controls,
        headerPosition: hs && hs.display !== "none" ? hs.position : "none",
        sidebar: !!document.getElementById("observablehq-sidebar") && visible(document.getElementById("observablehq-sidebar")!),
        meta: meta && visible(meta) ? meta.innerText : null,
        pageRule: document.getElementById("fs-print-page")?.textContent ?? "",
      };
    });
    const url = page.url().split("#")[0];
    expect(state.controls, `${lang}: visible controls in print`).toEqual([]);
    expect(["fixed", "sticky"], `${lang}: header position in print`).not.toContain(state.headerPosition);
    expect(state.sidebar, `${lang}: sidebar printed`).toBe(false);
    expect(state.meta, `${lang}: print-only line shown`).not.toBeNull();
    expect(state.meta).toContain(url);
    expect(state.meta).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(state.pageRule).toContain("@page");
    expect(state.pageRule).toContain(url);
  }

  for (const listed of pages) {
    it(`${listed.path} (${listed.name}): every control has an accessible name, skip link, contrast ≥ 4.5; prints without controls or a fixed header`, async () => {
      for (const lang of ["zh", "en"] as const) {
        const { context, page } = await open(listed.path, lang, false);
        try {
          expect(await unnamedControls(page), `${lang}: controls without a name`).toEqual([]);
          // the skip link: first focusable element, leads to <main>
          const skip = page.locator("a.fs-skip");
          expect(await skip.count(), `${lang}: skip link`).toBe(1);
          expect(await skip.getAttribute("href")).toBe("#observablehq-main");
          expect((await skip.innerText()).trim().length).toBeGreaterThan(0);
          await page.keyboard.press("Tab");
          expect(await page.evaluate(() => document.activeElement?.classList.contains("fs-skip")), `${lang}: Tab reaches the skip link first`).toBe(true);
          expect(await skip.isVisible(), `${lang}: skip link visible when focused`).toBe(true);
          await page.keyboard.press("Enter");
          expect(await page.evaluate(() => document.activeElement?.id)).toBe("observablehq-main");
          expect(await lowContrast(page), `${lang}: small text under 4.5 : 1`).toEqual([]);
          if (lang === "zh" || listed.path === "/") await page.screenshot({ path: join(SHOTS, `${slug(listed.path)}-${lang}-1440.png`), fullPage: false });
          await expectPrintable(page, lang);
        } finally {
          await context.close();
        }
      }
    }, 180_000);
  }

  // Every page in both languages is checked in print media above (with its accessibility); these two
  // are printed to PDF and read back page by page.
  for (const path of ["/", "/cities/lanzhou"]) for (const lang of ["zh", "en"] as const) {
    it(`${path} prints in ${lang === "zh" ? "中文" : "English"}: no controls, no fixed header or sidebar, date · URL · data version on every page`, async () => {
      const { context, page } = await open(path, lang, false);
      try {
        await expectPrintable(page, lang);
        const url = page.url();
        const file = join(SHOTS, `${slug(path)}-${lang}-print.pdf`);
        const pdf = await page.pdf({ path: file, format: "A4", printBackground: true });
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
        if (hasPdftotext) {
          const info = spawnSync("pdfinfo", [file], { encoding: "utf8" }).stdout;
          const count = Number(info.match(/Pages:\s+(\d+)/)?.[1] ?? 0);
          expect(count, "printed pages").toBeGreaterThan(0);
          // the first pages and the last (a long page's middle pages are printed alike; this keeps CI short)
          for (const n of [...new Set([1, 2, 3, count])].filter((n) => n <= count)) {
            const text = spawnSync("pdftotext", ["-f", String(n), "-l", String(n), "-layout", file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, "");
            expect(text, `page ${n} carries the URL`).toContain(url.replace(/\s+/g, ""));
            expect(text, `page ${n} carries the data version`).toMatch(/数据版本|Dataversion/);
          }
        }
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
