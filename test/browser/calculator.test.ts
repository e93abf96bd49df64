// The calculator page in headless Chromium: filled in through its form, it prints exactly what
// `fundsim calc` prints for the same input — for every contract example, a JSON pasted in, and
// bad input (the CLI's messages, word for word, and each problem in the page's language beside its
// field, claims counted from 1). Screenshots in both languages go to
// test-results/screenshots/calculator-example-{zh,en}.png.
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/calculator.test.ts
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { CHROMIUM, DIST, ensureBuilt, RESULTS, ROOT, serve, launchChromium, offlineContext } from "./setup.ts";

const present = existsSync(CHROMIUM);
const CI = !!process.env.CI;
const SHOTS = join(RESULTS, "screenshots");
const CONTRACT = join(ROOT, "..", "shared", "contract", "examples");
const EXAMPLES = existsSync(CONTRACT) ? readdirSync(CONTRACT).filter((f) => f.endsWith(".input.json")).sort() : [];

type Json = Record<string, unknown>;

/** English words in a Chinese text, quoted values (the reader's own input) aside. */
const latinWords = (zh: string): string[] => zh.replace(/"(?:[^"\\]|\\.)*"|“[^”]*”/g, "").match(/[A-Za-z]+/g) ?? [];

describe.skipIf(!present && !CI)("calculator page", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ensureBuilt();
    server = await serve();
    mkdirSync(SHOTS, { recursive: true });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  async function open(query = "", viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await offlineContext(browser, server.url, { viewport });
    // A link longer than the test server's header limit (16 KiB) is served the page directly.
    if (query.length > 8_000) await context.route((url) => url.pathname === "/calculator", (route) => route.fulfill({ path: join(DIST, "calculator.html"), contentType: "text/html; charset=utf-8" }));
    const page = await context.newPage();
    await page.addInitScript("globalThis.__name = (f) => f");
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${server.url}/calculator${query}`, { waitUntil: "load" });
    await page.waitForSelector(".calc-view");
    return { context, page, problems };
  }

  const field = (name: string) => `[data-field="${name}"]`;
  /** Wait until the result on the page is the one for the input in the JSON box. */
  async function settled(page: Page) {
    await page.waitForFunction(() => {
      const box = document.querySelector<HTMLTextAreaElement>('[data-field="json"]');
      const view = document.querySelector<HTMLElement>(".calc-view");
      return !!box && !!view && view.dataset.input === box.value;
    });
  }

  /** Fill the form field by field from a calculator input, as a person would. */
  async function fillForm(page: Page, input: Json) {
    const person = (input.person ?? {}) as Json;
    await page.selectOption(field("city"), String(input.city));
    await page.selectOption(field("scenario"), String(input.scenario ?? "reform"));
    await page.fill(field("year"), input.year === undefined ? "" : String(input.year));
    await page.selectOption(field("person.status"), String(person.status));
    await page.fill(field("person.birthDate"), String(person.birthDate ?? ""));
    await page.fill(field("person.retiredOn"), String(person.retiredOn ?? ""));
    await page.setChecked(field("person.oldWorker"), person.oldWorker === true);
    const two = (person.twoDiseases ?? []) as string[];
    await page.setChecked(field("person.twoDiseases.hypertension"), two.includes("hypertension"));
    await page.setChecked(field("person.twoDiseases.diabetes"), two.includes("diabetes"));
    await page.setChecked(field("person.hasAccount"), person.hasAccount !== false);
    for (const k of ["contributionBase", "pension", "accountBalance"]) await page.fill(field(`person.${k}`), person[k] === undefined ? "" : String(person[k]));
    // Remove the claims the page starts with, then add one row per claim.
    while ((await page.locator(".calc-claim").count()) > 0) await page.click(".calc-claim .calc-remove");
    const claims = (input.claims ?? []) as Json[];
    for (let i = 0; i < claims.length; i++) {
      const c = claims[i];
      await page.click(".calc-add");
      const f = (k: string) => field(`claims.${i}.${k}`);
      await page.fill(f("date"), String(c.date ?? ""));
      await page.selectOption(f("kind"), String(c.kind ?? "general"));
      await page.selectOption(f("level"), String(c.level));
      await page.fill(f("amount"), String(c.amount ?? ""));
      await page.fill(f("eligible"), c.eligible === undefined ? "" : String(c.eligible));
      await page.selectOption(f("setting"), String(c.setting ?? "facility"));
      await page.selectOption(f("area"), String(c.area ?? "local"));
      await page.setChecked(f("designated"), c.designated !== false);
      await page.setChecked(f("emergency"), c.emergency === true);
      await page.setChecked(f("prescription"), c.prescription !== false);
      await page.fill(f("facility"), c.facility === undefined ? "" : String(c.facility));
    }
  }

  for (const name of EXAMPLES) {
    it(`the form gives fundsim calc's output for ${name}`, async () => {
      const text = readFileSync(join(CONTRACT, name), "utf8");
      const input = JSON.parse(text) as Json;
      const cli = runCalc(text);
      expect(cli.code).toBe(0);
      const { context, page, problems } = await open();
      try {
        await fillForm(page, input);
        await settled(page);
        // The input the form built is the example's person-year …
        const built = JSON.parse(await page.inputValue(field("json"))) as Json;
        expect(runCalc(JSON.stringify(built)).stdout).toBe(cli.stdout);
        // … and the page shows what the CLI prints, character for character.
        expect(await page.textContent(".calc-output")).toBe(cli.stdout);
        const out = JSON.parse(cli.stdout) as { totals: { fund: string; outOfPocket: string }; claims: Array<{ fund: string }> };
        expect(await page.textContent('[data-total="fund"]')).toBe(out.totals.fund);
        expect(await page.textContent('[data-total="outOfPocket"]')).toBe(out.totals.outOfPocket);
        expect(await page.$$eval(".calc-result-row .calc-fund", (els) => els.map((e) => e.textContent))).toEqual(out.claims.map((c) => c.fund));
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("a pasted JSON runs as the CLI runs it and fills the form (examples/lanzhou-retiree.json)", async () => {
    const text = readFileSync(join(ROOT, "examples", "lanzhou-retiree.json"), "utf8");
    const cli = runCalc(text);
    const { context, page, problems } = await open();
    try {
      await page.fill(field("json"), text);
      await page.click(".calc-run-json");
      await page.waitForFunction((n) => document.querySelectorAll(".calc-claim").length === n, 4);
      expect(await page.textContent(".calc-output")).toBe(cli.stdout);
      expect(await page.inputValue(field("person.accountBalance"))).toBe("500");
      expect(await page.inputValue(field("claims.2.setting"))).toBe("pharmacy");
      expect(await page.inputValue(field("claims.3.kind"))).toBe("inpatient");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("bad input gets the CLI's messages, word for word", async () => {
    const { context, page, problems } = await open();
    try {
      await page.fill(field("claims.0.amount"), "-5");
      await page.fill(field("claims.1.eligible"), "9999");
      await page.fill(field("claims.1.date"), "2031-02-01");
      await settled(page);
      const built = await page.inputValue(field("json"));
      const cli = runCalc(built);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain('claims[0].amount: must be a non-negative amount with at most two decimals, got "-5"');
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("2");
      expect(await page.textContent(".calc-stderr")).toBe(cli.stderr);

      // In Chinese (the page's default): each problem in Chinese, claims counted from 1, no English
      // words but the input's own; the field is marked and the message is beside it.
      const listed = await page.$$eval(".calc-error-list li", (els) => els.map((e) => e.textContent ?? ""));
      expect(listed).toContain('第1条就诊记录 · 费用：应为不小于0、最多两位小数的金额（元），实为 "-5"');
      expect(listed).toContain('第2条就诊记录 · 政策范围内：不得超过费用 "860.50"，实为 "9999"');
      for (const m of listed) expect(latinWords(m), m).toEqual([]);
      expect(await page.getAttribute(field("claims.0.amount"), "aria-invalid")).toBe("true");
      expect(await page.getAttribute(field("claims.1.eligible"), "aria-invalid")).toBe("true");
      expect(await page.getAttribute(field("claims.0.date"), "aria-invalid")).toBeNull();
      expect(await page.$eval('.calc-claim[data-claim="0"]', (e) => [e.classList.contains("calc-invalid"), e.querySelector(".calc-n")?.textContent])).toEqual([true, "1"]);
      const besideZh = page.locator('.calc-form .calc-msg[data-for="claims[0].amount"] .fs-zh');
      expect(await besideZh.isVisible()).toBe(true);
      expect(await besideZh.textContent()).toBe('第1条就诊记录 · 费用：应为不小于0、最多两位小数的金额（元），实为 "-5"');
      expect(await page.locator('.calc-form .calc-msg[data-for="claims[0].amount"] .fs-en').isVisible()).toBe(false);
      // In English: the same problems in English, still counted from 1.
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.querySelector(".calc-errors-title")?.textContent === "Bad input:");
      expect(await page.$$eval(".calc-error-list li", (els) => els.map((e) => e.textContent))).toContain('claim 1 · amount: must be a non-negative amount with at most two decimals, got "-5"');
      expect(await page.locator('.calc-form .calc-msg[data-for="claims[0].amount"] .fs-en').isVisible()).toBe(true);
      await page.click("#observablehq-header [data-fs-lang='zh']");
      await page.waitForFunction(() => document.querySelector(".calc-errors-title")?.textContent === "输入有误：");

      // A date the rules do not cover (the input is otherwise fine).
      await page.fill(field("claims.0.amount"), "100");
      await page.fill(field("claims.1.eligible"), "");
      await settled(page);
      const cli2 = runCalc(await page.inputValue(field("json")));
      expect(cli2.stderr).toMatch(/claims\[1\]\.date: the Lanzhou reform rules cover 2023-01-01 to 2027-12-31/);
      expect(await page.textContent(".calc-stderr")).toBe(cli2.stderr);
      const dateMsg = (await page.textContent(".calc-error-list li")) ?? "";
      expect(dateMsg).toMatch(/^第2条就诊记录 · 日期：兰州.+的规则适用于 2023-01-01 至 2027-12-31（.+），实为 "2031-02-01"$/);
      expect(latinWords(dateMsg)).toEqual([]);
      expect(await page.getAttribute(field("claims.1.date"), "aria-invalid")).toBe("true");

      // Malformed JSON typed into the box: the CLI's message (the parser's own words differ
      // between Node and the browser's V8, so only what precedes them is compared).
      await page.fill(field("json"), '{"city": "lanzhou",');
      await page.click(".calc-run-json");
      await page.waitForFunction(() => document.querySelector(".calc-stderr")?.textContent?.includes("not valid JSON"));
      expect(await page.textContent(".calc-stderr")).toMatch(/^fundsim calc: \(input\): not valid JSON: /);
      expect(runCalc('{"city": "lanzhou",').stderr).toMatch(/^fundsim calc: \(input\): not valid JSON: /);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the URL carries the person-year", async () => {
    const a = await open();
    let url: string;
    let output: string | null;
    try {
      await a.page.selectOption(field("city"), "jinan");
      await a.page.setChecked(field("person.oldWorker"), true);
      await settled(a.page);
      url = a.page.url();
      output = await a.page.textContent(".calc-output");
      expect(output).toContain('"city": "jinan"');
    } finally {
      await a.context.close();
    }
    const b = await open(new URL(url).search);
    try {
      expect(await b.page.textContent(".calc-output")).toBe(output);
      expect(await b.page.isChecked(field("person.oldWorker"))).toBe(true);
      expect(b.problems).toEqual([]);
    } finally {
      await b.context.close();
    }
  });

  // ---- links and JSON the form cannot show: run as written, the CLI's messages in place ------------

  const link = (input: unknown) => `?c=${Buffer.from(typeof input === "string" ? input : JSON.stringify(input), "utf8").toString("base64url")}`;
  /** The messages shown beside form fields, in English. */
  const beside = (page: Page) => page.$$eval(".calc-form .calc-msg .fs-en", (els) => els.map((e) => e.textContent));
  const BEIJING = { city: "beijing", person: { status: "active" }, claims: [{ date: "2023-03-02", level: 1, amount: "100.00" }] };

  it('a link for the city "beijing" runs as written: exit status 2, the CLI\'s message beside the city, no Lanzhou result', async () => {
    const cli = runCalc(JSON.stringify(BEIJING));
    expect(cli.code).toBe(2);
    const { context, page, problems } = await open(link(BEIJING));
    try {
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("2");
      expect(await page.textContent(".calc-stderr")).toBe(cli.stderr);
      expect(await page.textContent(".calc-command")).toContain("退出状态 2");
      expect(await page.locator(".calc-output").count()).toBe(0);
      expect(await page.locator(".calc-result-row").count()).toBe(0);
      // The menu shows the value as written, not Lanzhou; the message is beside it.
      expect(await page.$eval(`${field("city")} option:checked`, (o) => o.textContent)).toBe('"beijing"');
      expect(await page.getAttribute(field("city"), "aria-invalid")).toBe("true");
      // The cities the page knows are the CLI's (the policy files found when the site was built).
      expect(cli.stderr).toMatch(/^fundsim calc: city: must be one of "lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"(, "[a-z_0-9]+")*, got "beijing"\n$/);
      expect(await beside(page)).toEqual([cli.stderr.replace(/^fundsim calc: /, "").trimEnd()]);
      expect(await page.textContent(".calc-problems")).toContain("退出状态 2");
      // The JSON box holds the link's input (indented, the same value).
      expect(JSON.parse(await page.inputValue(field("json")))).toEqual(BEIJING);
      // An edit elsewhere keeps the city as written: still the CLI's message.
      await page.fill(field("claims.0.amount"), "200");
      await settled(page);
      expect(JSON.parse(await page.inputValue(field("json")))).toEqual({ ...BEIJING, claims: [{ ...BEIJING.claims[0], amount: "200" }] });
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("2");
      // Choosing a city fixes it.
      await page.selectOption(field("city"), "jinan");
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("0");
      expect(await page.locator(`${field("city")} option[data-raw]`).count()).toBe(0);
      expect(await beside(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a level 7 gets the CLI's message naming claims[0].level with got 7, and the form keeps the 7", async () => {
    const input = { city: "lanzhou", person: { status: "retired" }, claims: [{ date: "2023-03-02", level: 7, amount: "100.00" }, { date: "2023-02-30", level: "3", amount: 50, colour: "red" }] };
    const cli = runCalc(JSON.stringify(input));
    const { context, page, problems } = await open(link(input));
    try {
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("2");
      expect(await page.textContent(".calc-stderr")).toBe(cli.stderr);
      expect(cli.stderr).toContain("claims[0].level: must be 1, 2 or 3, got 7\n");
      expect(await page.$eval(`${field("claims.0.level")} option:checked`, (o) => o.textContent)).toBe("7");
      expect(await page.$eval(`${field("claims.1.level")} option:checked`, (o) => o.textContent)).toBe('"3"');
      expect(await page.inputValue(field("claims.1.date"))).toBe("2023-02-30");
      expect(await page.inputValue(field("claims.1.amount"))).toBe("50");
      const msgs = await beside(page);
      expect(msgs).toContain("claim 1 · level: must be 1, 2 or 3, got 7");
      expect(msgs).toContain('claim 2 · level: must be 1, 2 or 3, got "3"');
      expect(msgs).toContain('claim 2 · date: must be a date YYYY-MM-DD, got "2023-02-30"');
      expect(await page.getAttribute(field("claims.0.level"), "aria-invalid")).toBe("true");
      // The message of a key the form has no field for is above the form, and the JSON editor is marked.
      expect(await page.textContent(".calc-problems-list .fs-en")).toContain('claim 2 · "colour": unknown field');
      expect(await page.textContent(".calc-problems-list .fs-zh")).toContain("第2条就诊记录 · “colour”：不认识的字段");
      expect(await page.getAttribute(field("json"), "aria-invalid")).toBe("true");
      // Editing another field keeps level 7, "3", the number 50 and the unknown key, as written.
      await page.fill(field("claims.0.amount"), "150");
      await settled(page);
      const box = JSON.parse(await page.inputValue(field("json")));
      expect(box.claims[0]).toEqual({ date: "2023-03-02", level: 7, amount: "150" });
      expect(box.claims[1]).toEqual(input.claims[1]);
      expect(await page.textContent(".calc-stderr")).toBe(runCalc(JSON.stringify(box)).stderr);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a 20 000-claim link is refused with a message in both languages, quickly", async () => {
    const claims = Array.from({ length: 20_000 }, (_, i) => ({ date: "2023-03-02", level: 1 + (i % 3), amount: "10.00" }));
    const big = { city: "lanzhou", person: { status: "active" }, claims };
    const started = Date.now();
    const { context, page, problems } = await open(link(big));
    try {
      // Too long for a link (64 KiB): not loaded, not run.
      await page.waitForSelector('.calc-view[data-code="refused"]', { timeout: 5_000 });
      expect(Date.now() - started).toBeLessThan(15_000);
      const note = await page.$$eval(".calc-notes .calc-refused span", (els) => els.map((e) => e.textContent));
      expect(note[0]).toMatch(/^链接中的输入有 [\d.,]+ (KiB|MiB)，超过链接可携带的上限 64 KiB，未载入。/);
      expect(note[1]).toMatch(/^The input in this link is [\d.,]+ (KiB|MiB), more than a link may carry \(64 KiB\); it was not loaded\./);
      expect(await page.locator(".calc-claim").count()).toBe(0);
      expect(await page.inputValue(field("json"))).toBe("");
      // The page is usable: the example loads and computes.
      await page.click(".calc-example");
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("0");
      expect(new URL(page.url()).searchParams.get("c")).toBeTruthy();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    // 20 000 claims that fit in 64 KiB: the request parser's claim limit, the CLI's message.
    const tiny = `{"city":"lanzhou","person":{"status":"active"},"claims":[${Array(20_000).fill("0").join(",")}]}`;
    const cli = runCalc(tiny);
    expect(cli.code).toBe(2);
    const t0 = Date.now();
    const b = await open(link(tiny));
    try {
      await b.page.waitForSelector('.calc-view[data-code="2"]', { timeout: 5_000 });
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await b.page.textContent(".calc-stderr")).toBe(cli.stderr);
      expect(cli.stderr).toContain("claims: at most 10000 claims in one request, got 20000");
      expect(await b.page.locator(".calc-claim").count()).toBe(0);
      const fixed = await b.page.$$eval(".calc-too-many span", (els) => els.map((e) => e.textContent));
      expect(fixed[0]).toContain("这份输入有 20,000 条就诊记录，超过每次计算最多 10,000 条的上限");
      expect(fixed[1]).toContain("This input has 20,000 claims, more than one calculation takes (10,000");
      expect(b.problems).toEqual([]);
    } finally {
      await b.context.close();
    }
  });

  it("a link that does not decode is not replaced by the default person-year", async () => {
    const { context, page, problems } = await open("?c=%%%not-base64");
    try {
      await page.waitForSelector('.calc-view[data-code="refused"]');
      expect(await page.textContent(".calc-notes")).toContain("cannot be decoded");
      expect(await page.locator(".calc-claim").count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("screenshots of a bad link at 1440 and 390 px (test-results/screenshots/calculator-bad-link-*.png)", async () => {
    const input = { city: "beijing", scenario: "reform", person: { status: "retired", birthDate: "1958-04-12" }, claims: [{ date: "2023-03-02", kind: "general", level: 7, amount: "420.00" }, { date: "2023-08-11", level: 1, amount: "860.50", eligible: "900.00", colour: "red" }] };
    for (const width of [1440, 390]) {
      const { context, page, problems } = await open(link(input), { width, height: 900 });
      try {
        await settled(page);
        // Nothing wider than the window: the claims table scrolls inside its box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.evaluate("window.scrollTo(0, 0)");
        await page.screenshot({ path: join(SHOTS, `calculator-bad-link-${width}.png`), fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it("screenshots of a worked case in 中文 and English", async () => {
    const text = readFileSync(join(ROOT, "examples", "lanzhou-retiree.json"), "utf8");
    const { context, page, problems } = await open("", { width: 1280, height: 1000 });
    try {
      await page.fill(field("json"), text);
      await page.click(".calc-run-json");
      await page.waitForFunction(() => document.querySelectorAll(".calc-claim").length === 4);
      await page.click(".calc-result-row + .calc-trace-row summary");
      // The trace in Chinese: every step, without English words; the rows counted from 1.
      const out = JSON.parse(runCalc(text).stdout) as {
        claims: Array<{ trace: string[]; steps: Array<{ zh: string }> }>;
        accounts: { months: Array<{ trace: string; steps: Array<{ zh: string }> }> };
      };
      const traces = await page.$$eval(".calc-trace", (ols) => ols.map((ol) => [...ol.querySelectorAll("li")].map((li) => li.textContent ?? "")));
      expect(traces).toEqual(out.claims.map((c) => c.steps.map((s) => s.zh)));
      for (const line of traces.flat()) expect(latinWords(line), line).toEqual([]);
      expect(await page.$$eval(".calc-result-row td:first-child", (els) => els.map((e) => e.textContent))).toEqual(["1", "2", "3", "4"]);
      // The account credits' month lines in Chinese too (issue 15), without English words.
      await page.click(".calc-accounts summary");
      const monthLines = () => page.$$eval(".calc-month-trace", (tds) => tds.map((td) => td.textContent ?? ""));
      const months = await monthLines();
      expect(months).toHaveLength(out.accounts.months.length);
      expect(months).toEqual(out.accounts.months.map((m) => m.steps[0].zh));
      for (const line of months) expect(latinWords(line), line).toEqual([]);
      await page.evaluate("window.scrollTo(0, 0)"); // fixed header and sidebar at the top of a full-page shot
      await page.screenshot({ path: join(SHOTS, "calculator-example-zh.png"), fullPage: true });
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.querySelector(".calc-results th:nth-child(2)")?.textContent === "Date");
      // In English the trace is the CLI's, line for line.
      expect(await page.$$eval(".calc-trace", (ols) => ols.map((ol) => [...ol.querySelectorAll("li")].map((li) => li.textContent)))).toEqual(out.claims.map((c) => c.trace));
      expect(await page.$eval(`${field("claims.0.kind")} option:checked`, (o) => o.textContent)).toBe("general");
      expect(await monthLines()).toEqual(out.accounts.months.map((m) => m.trace));
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(SHOTS, "calculator-example-en.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
