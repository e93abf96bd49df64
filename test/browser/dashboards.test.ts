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
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { gainScale, TONE_COLORS } from "../../src/components/effect.js";
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

/** A headline figure's tone: "better" / "worse" / "same" from its fs-better / fs-worse class. */
const tone = (cls: string | null) => (/\bfs-better\b/.test(cls ?? "") ? "better" : /\bfs-worse\b/.test(cls ?? "") ? "worse" : "same");
/** What the tone of a signed effect on the pooled balance must be. */
const toneOf = (fen: number) => (fen > 0 ? "better" : fen < 0 ? "worse" : "same");

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
      expect(await cards.count()).toBe(CITY_PAGES.length); // the five, and any city added as files
      expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-city")))).toEqual(CITY_PAGES.map((c) => c.id));
      const first = await page.evaluate(() => {
        const kpi = document.querySelector(".fs-kpi");
        const rules = document.querySelector(".fs-policy-card");
        return kpi && rules ? !!(kpi.compareDocumentPosition(rules) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
      });
      expect(first, "the fund cards come before the rules cards").toBe(true);
      const read = () =>
        cards.evaluateAll((els) =>
          els.map((e) => {
            const m = (k: string) => e.querySelector(`[data-metric=${k}]`);
            return {
              net: m("net")?.textContent ?? "",
              income: m("income")?.textContent ?? "",
              spending: m("spending")?.textContent ?? "",
              labels: e.textContent ?? "",
              months: m("months")?.textContent ?? "",
              fen: ["net", "income", "spending"].map((k) => Number(m(k)?.getAttribute("data-effect-fen"))),
              classes: ["net", "income", "spending"].map((k) => m(k)?.className ?? ""),
            };
          }),
        );
      const zh = await read();
      for (const c of zh) {
        // 亿元 from 1 亿 up, 万元 below; a true minus sign; the sign is the effect on the pooled balance
        expect(c.net).toMatch(/^[+−]?[\d,]+(\.\d+)? (亿元|万元)$/);
        expect(/亿元/.test(c.net)).toBe(Math.abs(c.fen[0]) >= 1e10);
        expect(c.net + c.income + c.spending).not.toContain("-");
        expect(c.income).toMatch(/^[+−][\d,.]+ (亿元|万元) （(增收|减收)）$/);
        expect(c.spending).toMatch(/^[+−][\d,.]+ (亿元|万元) （(增支|减支)）$/);
        // 增支 is a negative effect on the balance, 减支 a positive one
        expect(c.spending.startsWith("−")).toBe(c.spending.includes("增支"));
        // The headline is on NHSA's bulletin basis and says so.
        expect(c.labels).toContain("公报口径");
        expect(c.months).toMatch(/^\d+\.\d → \d+\.\d 个月$/);
        // net = income effect + spending effect (each in city fen, rounded separately)
        const [net, income, spending] = c.fen;
        expect(Math.abs(income + spending - net)).toBeLessThanOrEqual(2);
        // colours mean better / worse for the fund
        c.fen.forEach((f, i) => expect(tone(c.classes[i]), `${c.net} ${c.income} ${c.spending}`).toBe(toneOf(f)));
      }
      // 同比 where two years exist
      if (results.years.length > 1) for (const c of zh) expect(c.labels).toContain("同比");

      // The page's finding in one sentence above the cards: the five cities' total in 亿元 (or 万元),
      // the sign words, the basis label, who gains and who pays, all above the fold.
      const head = page.locator(".fs-headline");
      expect(await head.count()).toBe(1);
      const headText = await head.innerText();
      expect(headText).toMatch(/^\d{4}年，改革使([一两三四五六七八九十]|\d+)市统筹基金当期结余合计(增加|减少) [\d,.]+ (亿元|万元)/);
      expect(headText).toMatch(/增收|减收/);
      expect(headText).toMatch(/增支|减支/);
      expect(headText).toContain("国家医保局统计公报口径");
      expect(headText).toContain("谁受益、谁负担");
      if (results.years.length > 1) expect(headText).toMatch(/同比|持平/);
      const netFen = Number(await head.getAttribute("data-net-fen"));
      const sum = (i: number) => zh.reduce((s, c) => s + c.fen[i], 0);
      expect(netFen).toBe(sum(0));
      expect(tone(await head.locator("[data-metric=net]").getAttribute("class"))).toBe(toneOf(netFen));
      expect(tone(await head.locator("[data-metric=income]").getAttribute("class"))).toBe(toneOf(sum(1)));
      expect(tone(await head.locator("[data-metric=spending]").getAttribute("class"))).toBe(toneOf(sum(2)));
      expect(await head.locator("[data-who=gain]").getAttribute("class")).toContain("fs-better");
      expect(await head.locator("[data-who=lose]").getAttribute("class")).toContain("fs-worse");
      const whoBottom = await page.locator(".fs-who").evaluate((e) => e.getBoundingClientRect().bottom);
      expect(whoBottom, "who gains and who pays is above the fold").toBeLessThan(900);
      const headFirst = await page.evaluate(() => !!(document.querySelector(".fs-headline")!.compareDocumentPosition(document.querySelector(".fs-kpi")!) & Node.DOCUMENT_POSITION_FOLLOWING));
      expect(headFirst).toBe(true);
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
        expect(c.net).toMatch(/^[+−]?¥[\d,]+(\.\d+)? (m|bn)$/);
        expect(c.spending).toMatch(/\((more|less) spending\)$/);
        expect(c.months).toMatch(/^\d+\.\d → \d+\.\d months$/);
      }
      expect(await page.locator(".fs-headline").innerText()).toMatch(/^In \d{4} the reform (adds|takes) ¥[\d,.]+ (m|bn)/);
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
        // one headline card for this city, and the finding in one sentence above it
        expect(await page.locator(`.fs-kpi[data-city=${c.id}] [data-metric=net]`).innerText()).toMatch(/(亿元|万元)$/);
        const head = page.locator(`.fs-headline[data-city=${c.id}]`);
        expect(await head.innerText()).toMatch(new RegExp(`^\\d{4}年，改革使${c.zh}统筹基金当期结余(增加|减少) [\\d,.]+ (亿元|万元)`));
        expect(await head.innerText()).toMatch(/（(增支|减支)）/);
        expect(tone(await head.locator("[data-metric=net]").getAttribute("class"))).toBe(toneOf(Number(await head.getAttribute("data-net-fen"))));
        // the flow table words its changes (no sign to misread) and colours them for the fund
        const flowText = await page.locator("table[data-table=flows]").innerText();
        expect(flowText).toMatch(/增支 [\d,.]+ (亿元|万元)/);
        const changes = await page.locator("table[data-table=flows] tbody tr").evaluateAll((trs) => trs.map((tr) => tr.children[3]?.textContent ?? ""));
        // a zero is written in the column's unit ("不变 0.0 万元"), never "—" or a bare "0"
        for (const x of changes) expect(x).toMatch(/^(增收|减收|增支|减支|多划入账户|少划入账户|增加|减少|不变) [\d,.]+ (亿元|万元)$/);
        expect(changes).toContain("不变 0.0 万元");
        const perInsured = await page.locator("table[data-table=flows] tbody tr").evaluateAll((trs) => trs.map((tr) => tr.children[4]?.textContent ?? ""));
        for (const x of perInsured) expect(x).toMatch(/^(增收|减收|增支|减支|多划入账户|少划入账户|增加|减少|不变) [\d,]+\.\d 元$/);
        const money = await page.locator("table[data-table=flows] tbody tr").evaluateAll((trs) => trs.flatMap((tr) => [tr.children[1]?.textContent ?? "", tr.children[2]?.textContent ?? ""]));
        for (const x of money) expect(x).toMatch(/^−?[\d,]+(\.\d+)? (亿元|万元)$/);
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

  it("a city page's who-gains-and-loses charts colour every bar by the person's gain, with a legend, in 中文 and English", async () => {
    const { context, page, errors } = await open("/cities/lanzhou");
    try {
      for (const lang of ["zh", "en"] as const) {
        if (lang === "en") {
          await page.click("#observablehq-header [data-fs-lang='en']");
          await page.waitForFunction(() => document.documentElement.lang === "en");
          await settled(page);
        }
        const g = gainScale(lang);
        const charts = await page.evaluate(
          ([title]) =>
            [...document.querySelectorAll("figure.fs-chart")]
              .filter((f) => new RegExp(title).test(f.querySelector("svg")?.textContent ?? ""))
              .map((f) => ({
                text: f.querySelector("svg")?.textContent ?? "",
                bars: [...f.querySelectorAll("g.mark-rect path[aria-roledescription=bar]")].map((p) => ({ fill: p.getAttribute("fill"), label: p.getAttribute("aria-label") ?? "" })),
              })),
          [lang === "en" ? "Gains and losses" : "受益与负担"],
        );
        expect(charts.length, `${lang}: the four gains charts`).toBe(4);
        const mean = lang === "en" ? /Mean \(yuan\): (−?[\d,.]+)/ : /均值（元）: (−?[\d,.]+)/;
        const change = lang === "en" ? /Change: ([^;]+)/ : /变化: ([^;]+)/;
        let meanBars = 0;
        let shareBars = 0;
        for (const c of charts) {
          expect(c.text, `${lang}: legend title`).toContain(lang === "en" ? "Colour: the person's gain" : "颜色：参保人所得变化");
          expect(c.text).toContain(g.better);
          expect(c.text).toContain(g.worse);
          for (const b of c.bars) {
            const m = mean.exec(b.label);
            const w = change.exec(b.label);
            if (m) {
              meanBars++;
              const v = Number(m[1].replace("−", "-").replace(/,/g, ""));
              // (a mean that rounds to 0 yuan may lie either side of zero)
              if (v !== 0) expect(b.fill, `${lang}: mean bar ${b.label}`).toBe(v > 0 ? TONE_COLORS.better : TONE_COLORS.worse);
            } else if (w) {
              shareBars++;
              expect(b.fill, `${lang}: share bar ${b.label}`).toBe(w[1].trim() === g.better ? TONE_COLORS.better : TONE_COLORS.worse);
            } else throw new Error(`${lang}: a bar neither a mean nor a share: ${b.label}`);
          }
        }
        expect(meanBars).toBeGreaterThan(10);
        expect(shareBars).toBe(meanBars * 2);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the overview and a city page keep the year (and the unit) in the URL: a reopened link shows the same view", async () => {
    if (results.years.length < 2) return;
    const latest = Math.max(...results.years);
    const other = Math.min(...results.years);
    const a = await open("/");
    let link: string;
    try {
      expect(new URL(a.page.url()).searchParams.get("year")).toBeNull(); // the default stays out of the URL
      await a.page.locator("#fs-year label", { hasText: String(other) }).first().click();
      await a.page.locator(".fs-controls label", { hasText: "人均" }).first().click();
      await settled(a.page);
      link = a.page.url();
      expect(new URL(link).searchParams.get("year")).toBe(String(other));
      expect(new URL(link).searchParams.get("unit")).toBe("pc");
      expect(await a.page.getAttribute(".fs-headline", "data-year")).toBe(String(other));
      expect(a.errors).toEqual([]);
    } finally {
      await a.context.close();
    }
    const b = await open(new URL(link).pathname + new URL(link).search);
    try {
      expect(await b.page.getAttribute(".fs-headline", "data-year")).toBe(String(other));
      expect(await b.page.locator("#fs-year label:has(input:checked)").innerText()).toContain(String(other));
      expect(await b.page.locator(".fs-chart").first().innerText()).toContain("元/人");
      // the cards link to the city pages for the same year
      expect(await b.page.getAttribute(".fs-kpi[data-city=jinan] h3 a", "href")).toContain(`year=${other}`);
      expect(b.errors).toEqual([]);
    } finally {
      await b.context.close();
    }
    const c = await open(`/cities/jinan?year=${other}`);
    try {
      expect(await c.page.getAttribute(".fs-headline", "data-year")).toBe(String(other));
      await c.page.locator("#fs-year label", { hasText: String(latest) }).first().click();
      await settled(c.page);
      expect(await c.page.getAttribute(".fs-headline", "data-year")).toBe(String(latest));
      expect(new URL(c.page.url()).searchParams.get("year")).toBeNull();
      expect(c.errors).toEqual([]);
    } finally {
      await c.context.close();
    }
    // a year the results do not hold: said on the page, the latest shown
    const d = await open("/?year=1999");
    try {
      expect(await d.page.getAttribute(".fs-headline", "data-year")).toBe(String(latest));
      expect(await d.page.locator("#fs-year").innerText()).toContain("year=1999");
    } finally {
      await d.context.close();
    }
  });

  it("while the results load, the page says what it is waiting for (no bare spinner)", async () => {
    const context = await offlineContext(browser, server.url);
    try {
      const page = await context.newPage();
      let release: () => void = () => {};
      const held = new Promise<void>((ok) => (release = ok));
      // Hold the results back, as the first `npm run dev` does while the loader simulates.
      await page.route(/\/_file\/data\/results\.[0-9a-f]+\.json$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(server.url + "/", { waitUntil: "domcontentloaded" });
      const note = page.locator(".fs-loading");
      await note.waitFor({ state: "visible", timeout: 10_000 });
      expect(await note.innerText()).toContain("正在载入各市模拟结果");
      release();
      await settled(page);
      expect(await note.isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });

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
      // The reconciliation line: how it was solved and its size, city by city (issue 12).
      expect(await page.locator("table[data-table=reconciliation-solve] tbody tr").count()).toBe(CITY_PAGES.length);
      const reconciliation = page.locator("table[data-table=reconciliation] tbody tr");
      expect(await reconciliation.count()).toBe(CITY_PAGES.length);
      for (const cells of await reconciliation.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? "")))) {
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
