// Hostile links and files on the pages (issue 11): a what-if link, a loaded scenario file and a
// calculator link whose scenario `set` path goes through __proto__ / constructor.prototype. Each page
// shows the CLI's message, Object.prototype stays as it was (in the page and in the what-if worker),
// and the page stays usable: switch city, move a slider, compute.
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/hostile.test.ts
import { existsSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import type { Scenario } from "../../src/model/policy-schema.ts";
import { encodeScenarioParam } from "../../src/model/scenario-url.ts";
import { cityIds } from "../../src/loaders/cities.ts";
import { MADE_UP } from "../made-up-city.ts";
import { CHROMIUM, offlineContext, siteInBrowser, whatIfDrawn, whatIfFen, whatIfSlider } from "./setup.ts";

const present = existsSync(CHROMIUM);
const CI = !!process.env.CI;

/** A scenario whose `set` goes through __proto__, encoded with the what-if page's own codec. */
function pollutingScenarioParam(): string {
  const set: Record<string, unknown> = { "benefits.general.rate.level1.__proto__.polluted": "yes", "caps.general.constructor.prototype.polluted": "yes" };
  // An own "__proto__" key, as JSON.parse makes it from a hand-written link.
  Object.defineProperty(set, "__proto__", { value: { polluted: "yes" }, enumerable: true });
  return encodeScenarioParam({ base: "reform", name: "polluter", set } as unknown as Scenario);
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe.skipIf(!present && !CI)("hostile links and files", () => {
  const site = siteInBrowser();

  async function open(path: string, ready: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await offlineContext(site.browser, site.url);
    const page = await context.newPage();
    await page.addInitScript("globalThis.__name = (f) => f");
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${site.url}${path}`, { waitUntil: "load" });
    await page.waitForSelector(ready, { timeout: 60_000 });
    return { context, page, problems };
  }

  /** Object.prototype in the page (and in its workers) has no `polluted`, and no new key. */
  async function clean(page: Page) {
    const check = () => ({ polluted: (({}) as Record<string, unknown>).polluted, keys: Object.getOwnPropertyNames(Object.prototype).length });
    const here = await page.evaluate(check);
    expect(here.polluted).toBeUndefined();
    expect(here.keys).toBe(Object.getOwnPropertyNames(Object.prototype).length);
    for (const w of page.workers()) expect(await w.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
  }

  // ---- the what-if page ------------------------------------------------------------------------------

  const drawn = whatIfDrawn;
  const fen = whatIfFen;
  const slider = whatIfSlider;

  it("what-if: a link whose scenario goes through __proto__ is refused by name; the page stays usable", async () => {
    const { context, page, problems } = await open(`/what-if?city=ganzhou&year=2023&s=${pollutingScenarioParam()}`, ".wi-controls");
    try {
      await drawn(page, 0);
      const msg = await page.textContent(".wi-messages");
      expect(msg).toContain('link: set.__proto__: "__proto__" is not a parameter: a path may not go through __proto__, prototype or constructor');
      expect(msg).toContain('link: set.benefits.general.rate.level1.__proto__.polluted: "__proto__" is not a parameter');
      expect(msg).toContain('link: set.caps.general.constructor.prototype.polluted: "constructor" is not a parameter');
      await clean(page);
      // The reform as written is shown (the scenario was not loaded) …
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(await fen(page, "pooled_outflow", "reform"));
      // … another city loads and computes …
      let run = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click('.wi-cities button[data-city="jinan"]');
      run = await drawn(page, run);
      expect(await page.getAttribute('.wi-cities button[aria-pressed="true"]', "data-city")).toBe("jinan");
      // … and a slider moves the figures.
      const reform = await fen(page, "pooled_outflow", "reform");
      await page.fill(slider("benefits.general.rate.level1"), "90");
      await drawn(page, run);
      expect(Number(await fen(page, "pooled_outflow", "scenario"))).toBeGreaterThan(Number(reform));
      await clean(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("what-if: a link with an unknown city or year says so instead of quietly showing another", async () => {
    const { context, page, problems } = await open("/what-if?city=beijing&year=1999", ".wi-controls");
    try {
      await drawn(page, 0);
      const msg = await page.textContent(".wi-messages");
      // every city found, the made-up one the test run adds included (test/made-up-city.ts)
      expect(msg).toContain(`link: city: must be one of ${cityIds().map((c) => `"${c}"`).join(", ")}, got "beijing"`);
      expect(cityIds()).toContain(MADE_UP.id);
      expect(msg).toMatch(/link: year: must be one of 2023, 2024 for lanzhou, got "1999"/);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("what-if: a loaded scenario file whose path goes through __proto__ is refused by name", async () => {
    const { context, page, problems } = await open("/what-if?city=lanzhou&year=2023", ".wi-controls");
    try {
      let run = await drawn(page, 0);
      const yaml = 'name: polluter\ncity: lanzhou\nset:\n  "__proto__":\n    polluted: yes\n  "benefits.general.rate.level1.__proto__.polluted": yes\n';
      await page.setInputFiles(".wi-file", { name: "polluter.yaml", mimeType: "application/yaml", buffer: Buffer.from(yaml) });
      await page.waitForFunction(() => document.querySelector(".wi-messages")?.textContent?.includes("polluter.yaml"));
      const msg = await page.textContent(".wi-messages");
      expect(msg).toContain('polluter.yaml: set.__proto__: "__proto__" is not a parameter');
      expect(msg).toContain('polluter.yaml: set.benefits.general.rate.level1.__proto__.polluted: "__proto__" is not a parameter');
      await clean(page);
      const reform = await fen(page, "pooled_outflow", "reform");
      await page.fill(slider("benefits.general.rate.level1.active"), "90");
      run = await drawn(page, run);
      expect(Number(await fen(page, "pooled_outflow", "scenario"))).toBeGreaterThan(Number(reform));
      await clean(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  // ---- the calculator -------------------------------------------------------------------------------

  const field = (name: string) => `[data-field="${name}"]`;
  async function settled(page: Page) {
    await page.waitForFunction(() => {
      const box = document.querySelector<HTMLTextAreaElement>('[data-field="json"]');
      const view = document.querySelector<HTMLElement>(".calc-view");
      return !!box && !!view && view.dataset.input === box.value;
    });
  }

  it("calculator: a link whose inline scenario goes through __proto__ gets the CLI's message; the page stays usable", async () => {
    const input = {
      city: "lanzhou",
      scenario: { set: { "benefits.general.rate.level1.__proto__.polluted": "yes", "constructor.prototype.polluted": "yes" } },
      person: { status: "active" },
      claims: [{ date: "2023-03-02", level: 1, amount: "1000.00" }],
    };
    const text = JSON.stringify(input);
    const cli = runCalc(text);
    expect(cli.code).toBe(2);
    const { context, page, problems } = await open(`/calculator?c=${b64(text)}`, ".calc-view");
    try {
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("2");
      expect(await page.textContent(".calc-stderr")).toBe(cli.stderr);
      // Beside the scenario menu, which shows the object as "see the JSON".
      const beside = await page.textContent(".calc-field:has([data-field='scenario']) .calc-msg");
      expect(beside).toContain('scenario: set.benefits.general.rate.level1.__proto__.polluted: "__proto__" is not a parameter');
      await clean(page);
      // The reform instead of the object: computed.
      await page.selectOption(field("scenario"), "reform");
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("0");
      // Another city: computed, for that city.
      await page.selectOption(field("city"), "jinan");
      await settled(page);
      expect(await page.getAttribute(".calc-view", "data-code")).toBe("0");
      const box = await page.inputValue(field("json"));
      expect(JSON.parse(box).city).toBe("jinan");
      expect(await page.textContent(".calc-output")).toBe(runCalc(box).stdout);
      await clean(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("calculator: an input with its own __proto__ keys, typed into the JSON editor, is an unknown field", async () => {
    const { context, page, problems } = await open("/calculator", ".calc-view");
    try {
      const text = '{"__proto__": {"polluted": "yes"}, "city": "lanzhou", "person": {"status": "active", "__proto__": {"polluted": "yes"}}, "claims": [{"date": "2023-03-02", "level": 1, "amount": "10", "__proto__": {"polluted": "yes"}}]}';
      const cli = runCalc(text);
      expect(cli.stderr).toContain("__proto__: unknown field");
      await page.fill(field("json"), text);
      await page.click(".calc-run-json");
      await settled(page);
      expect(await page.textContent(".calc-stderr")).toBe(cli.stderr);
      await clean(page);
      // An edit in the form keeps the keys it has no field for (the CLI still names them).
      await page.fill(field("claims.0.amount"), "20");
      await settled(page);
      const box = await page.inputValue(field("json"));
      expect(Object.hasOwn(JSON.parse(box), "__proto__")).toBe(true);
      expect(JSON.parse(box).claims[0].amount).toBe("20");
      expect(await page.textContent(".calc-stderr")).toBe(runCalc(box).stderr);
      await clean(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
