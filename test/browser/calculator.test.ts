// The calculator page in headless Chromium: filled in through its form, it prints exactly what
// `fundsim calc` prints for the same input — for every contract example, a JSON pasted in, and
// bad input (the CLI's messages, word for word). Screenshots in both languages go to
// test-results/screenshots/calculator-example-{zh,en}.png.
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/calculator.test.ts
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { CHROMIUM, ensureBuilt, RESULTS, ROOT, serve, launchChromium, offlineContext } from "./setup.ts";

const present = existsSync(CHROMIUM);
const CI = !!process.env.CI;
const SHOTS = join(RESULTS, "screenshots");
const CONTRACT = join(ROOT, "..", "shared", "contract", "examples");
const EXAMPLES = existsSync(CONTRACT) ? readdirSync(CONTRACT).filter((f) => f.endsWith(".input.json")).sort() : [];

type Json = Record<string, unknown>;

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

      // A date the rules do not cover (the input is otherwise fine).
      await page.fill(field("claims.0.amount"), "100");
      await page.fill(field("claims.1.eligible"), "");
      await settled(page);
      const cli2 = runCalc(await page.inputValue(field("json")));
      expect(cli2.stderr).toMatch(/claims\[1\]\.date: the Lanzhou reform rules cover 2023-01-01 to 2027-12-31/);
      expect(await page.textContent(".calc-stderr")).toBe(cli2.stderr);

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

  it("screenshots of a worked case in 中文 and English", async () => {
    const text = readFileSync(join(ROOT, "examples", "lanzhou-retiree.json"), "utf8");
    const { context, page, problems } = await open("", { width: 1280, height: 1000 });
    try {
      await page.fill(field("json"), text);
      await page.click(".calc-run-json");
      await page.waitForFunction(() => document.querySelectorAll(".calc-claim").length === 4);
      await page.click(".calc-result-row + .calc-trace-row summary");
      await page.evaluate("window.scrollTo(0, 0)"); // fixed header and sidebar at the top of a full-page shot
      await page.screenshot({ path: join(SHOTS, "calculator-example-zh.png"), fullPage: true });
      await page.click("#observablehq-header [data-fs-lang='en']");
      await page.waitForFunction(() => document.querySelector(".calc-results th:nth-child(2)")?.textContent === "Date");
      expect(await page.$eval(`${field("claims.0.kind")} option:checked`, (o) => o.textContent)).toBe("general");
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(SHOTS, "calculator-example-en.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
