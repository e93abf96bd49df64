// Chinese throughout in Chinese mode, English throughout in English (issue 15's "Done when"): on
// every page the config lists, and after the interactions that show new text (a what-if slider
// edit and an invalid value; the calculator's worked case with its trace opened), everything a
// reader sees or hears (test/browser/language-words.ts: visible text incl. header, sidebar and
// footer, chart SVG text, aria-labels, titles, alt, placeholders, options, chart text
// alternatives, CSS generated text, the document title) is checked:
//   - 中文 (the default): no Latin-letter word of two or more letters outside ZH_ALLOWED (file
//     formats and codes such as PDF, CSV, URL, UTC, the CLI's name; each entry says why);
//   - English (after the header's toggle, so text a page fails to re-render is caught too): no CJK
//     character, except in an original-language citation — an element marked lang="zh-CN" with
//     class fs-orig: a Chinese document's title, number or quoted article, given as written so a
//     reader can find the source. City names are English only (no "Lanzhou 兰州").
// A failure lists each offending word, where it was found (attribute, element path) and the text.
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/languages.test.ts
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM, chartsSettled, configPages, RESULTS, offlineContext, siteInBrowser, whatIfDrawn, whatIfSlider, type ListedPage } from "./setup.ts";
import { chineseText, collectTexts, dataTexts, englishWords, report, splitDataText, withoutAttributeCitations, type Finding, type Found } from "./language-words.ts";
import { refZh as traceRefZh } from "../../src/model/trace-words.ts";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { refZh as pageRefZh } from "../../src/components/cite.js";

const CI = !!process.env.CI;
const present = existsSync(CHROMIUM);
if (!present && !CI) {
  console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing. Run scripts/ensure-chromium.sh (as root) to enable the browser tests.`);
}

const pages: ListedPage[] = await configPages();

it("the pages cite an article in Chinese as the calculator's trace does (cite.js refZh = trace-words refZh)", () => {
  const refs = ["文件未规定起付标准金额（not stated in the text）", "第十六条; calibration.md (a share of own pension)", "国发〔1998〕44号; calibration.md (about 30% of the employer's 6%)", "第七条（一级定点医疗机构在职人员65%、退休人员70%）"];
  for (const r of refs) expect(pageRefZh(r), r).toBe(traceRefZh(r));
  expect(pageRefZh(refs[0])).toBe("文件未规定起付标准金额");
});

it("in an English tooltip only a citation's forms pass: a quotation, a document number, an article", () => {
  expect(withoutAttributeCitations("“提高10%” read as 10 points; 国办发〔2021〕14号; 第五条（四）; 第二十四条")).not.toMatch(/[\u4e00-\u9fff]/);
  const tip = [{ where: "title on td", text: "retirees 退休人员 get “提高10%”" }];
  expect(chineseText(tip).map((f) => f.tokens)).toEqual([["退休人员"]]);
  // in text, a citation must be marked (fs-orig): its form alone does not pass
  expect(chineseText([{ where: "text in p", text: "“提高10%”" }]).length).toBe(1);
});

describe.skipIf(!present && !CI)("every page in one language at a time", () => {
  const site = siteInBrowser();

  // The city files' own notes in the wrong language, by page (see splitDataText): listed, and failed.
  const DATA = dataTexts();
  const fileNotes = new Map<string, Set<string>>();

  afterAll(() => {
    const lines = [...fileNotes].flatMap(([where, set]) => [`## ${where}`, "", ...[...set].map((l) => `- ${l}`), ""]);
    const count = new Set([...fileNotes.values()].flatMap((s) => [...s])).size;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "languages-data-notes.md"), [`# City-file notes shown in the other language: ${count}`, "", "Each needs its translation in src/loaders/notes-zh/ (the test fails on them). Written by test/browser/languages.test.ts.", "", ...lines].join("\n"));
    if (count) console.warn(`[languages] ${count} notes of the city files are shown in one language only: test-results/languages-data-notes.md`);
  });

  async function open(path: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await offlineContext(site.browser, site.url, { viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // vitest compiles this file with esbuild's keepNames: functions sent to the page call __name.
    await page.addInitScript("globalThis.__name = (f) => f");
    await page.goto(site.url + path, { waitUntil: "load" });
    await chartsSettled(page);
    return { context, page };
  }

  /** Switch the page's language from the header, as a reader does, and wait for the redraw. */
  async function toggle(page: Page, lang: "zh" | "en") {
    await page.click(`#observablehq-header [data-fs-lang='${lang}']`);
    await page.waitForFunction((l) => document.documentElement.lang === (l === "en" ? "en" : "zh-CN"), lang);
    await chartsSettled(page);
  }

  /** What the reader sees or hears now; checked to be a real page (a broken collector must not pass). */
  async function texts(page: Page): Promise<Found[]> {
    const items = await collectTexts(page);
    expect(items.filter((i) => i.where.startsWith("text in")).length, "visible text pieces").toBeGreaterThan(10);
    return items;
  }

  /** Both kinds fail the test, each with its own message: the pages' own words, and the city files'
   *  notes (their Chinese belongs in src/loaders/notes-zh/; also listed in the file above). */
  const expectOneLanguage = (page: Page, findings: Finding[], mode: string, what: string) => {
    const { pages, files } = splitDataText(findings, DATA);
    const key = `${new URL(page.url()).pathname} (${mode})`;
    for (const l of report(files)) (fileNotes.get(key) ?? fileNotes.set(key, new Set()).get(key)!).add(l);
    expect.soft(report(pages), what).toEqual([]);
    expect.soft(report(files), `${what}: city-file notes without their translation in src/loaders/notes-zh/`).toEqual([]);
  };
  // Soft: a page's Chinese findings do not hide its English ones (the test still fails on either).
  const expectChinese = async (page: Page) => expectOneLanguage(page, englishWords(await texts(page)), "中文", "English words in Chinese mode");
  const expectEnglish = async (page: Page) => expectOneLanguage(page, chineseText(await texts(page)), "English", "Chinese text in English mode");

  it("the collector sees chart text, attributes and options, and finds words in the wrong language", async () => {
    const { context, page } = await open("/what-if");
    try {
      const items = await texts(page);
      // chart SVG text (vega's <text> elements), options, aria-labels, the title
      expect(items.some((i) => i.where.startsWith("text in") && /(^| )text$/.test(i.where))).toBe(true);
      expect(items.some((i) => i.where.startsWith("option of"))).toBe(true);
      expect(items.some((i) => i.where.startsWith("aria-label on"))).toBe(true);
      expect(items.some((i) => i.where === "document title")).toBe(true);
      // each chart's text alternative: its container's label
      expect(items.some((i) => i.where.startsWith("aria-label on") && i.where.includes("vega-embed") && i.text.startsWith("图表"))).toBe(true);
      // A word planted in each language is found, with where it was.
      await page.evaluate(() => {
        const p = document.createElement("p");
        p.textContent = "测试 planted";
        p.setAttribute("aria-label", "植入");
        document.querySelector("main")?.append(p);
      });
      const after = await collectTexts(page);
      expect(englishWords(after).some((f) => f.tokens.includes("planted") && f.where.startsWith("text in") && f.where.includes("main"))).toBe(true);
      expect(chineseText(after).some((f) => f.tokens.includes("植入") && f.where.startsWith("aria-label on"))).toBe(true);
    } finally {
      await context.close();
    }
  });

  for (const listed of pages) {
    it(`${listed.path} (${listed.name}): 中文 without English words, English without Chinese`, async () => {
      const { context, page } = await open(listed.path);
      try {
        expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
        await expectChinese(page);
        await toggle(page, "en");
        await expectEnglish(page);
      } finally {
        await context.close();
      }
    });
  }

  for (const lang of ["zh", "en"] as const) {
    it(`what-if after a slider edit and an invalid value, in ${lang === "zh" ? "中文" : "English"}`, async () => {
      const { context, page } = await open(`/what-if?city=ganzhou&year=2023${lang === "en" ? "&lang=en" : ""}`);
      const check = lang === "zh" ? expectChinese : expectEnglish;
      try {
        await whatIfDrawn(page, 0);
        const before = Number(await page.getAttribute(".wi-results", "data-run"));
        await page.fill(whatIfSlider("benefits.general.rate.level1"), "70");
        await whatIfDrawn(page, before);
        await check(page);
        const row = '.wi-param[data-path="benefits.general.rate.level2"]';
        await page.fill(`${row} input[type=number]`, "150");
        await page.waitForSelector(`${row} .wi-field-error:not([hidden])`);
        await page.waitForSelector(".wi-stale-note", { state: "visible" });
        await check(page);
      } finally {
        await context.close();
      }
    });
  }

  it("the calculator's worked case, its trace opened, in 中文 and then English", async () => {
    const { context, page } = await open("/calculator");
    try {
      await page.waitForSelector(".calc-view .calc-result-row");
      const openAll = () => page.$$eval(".calc-view details", (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await openAll();
      await page.waitForSelector(".calc-trace li");
      await expectChinese(page);
      await toggle(page, "en");
      await openAll();
      await page.waitForSelector(".calc-trace li");
      await expectEnglish(page);
    } finally {
      await context.close();
    }
  });
});
