// The what-if page in headless Chromium: sliders recompute the figures (in the worker, with the
// rules of src/model), a saved scenario is a file `fundsim run --scenario` runs and that gives, in
// Node and in the pipeline, the very pooled outflow the page shows; the URL carries the scenario;
// a loaded file and a scenario that breaks a rule behave. Screenshots in both languages go to
// test-results/screenshots/what-if-scenario-{zh,en}.png.
//
// Run under the build lock (another engineer builds the same dist/):
//   flock /tmp/fundsim-build.lock npx vitest run test/browser/whatif.test.ts
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadFinance } from "../../src/loaders/finance.ts";
import { loadPolicy, loadScenarioFile, resolveScheme } from "../../src/loaders/policies.ts";
import { openingBalances, runChunk } from "../../src/model/engine.ts";
import { addChunk, emptyFlows } from "../../src/model/fund.ts";
import { parseScenario } from "../../src/model/policy.ts";
import type { Scenario } from "../../src/model/policy-schema.ts";
import type { CityId } from "../../src/model/types.ts";
import { decodeSample } from "../../src/model/sample-codec.ts";
import { CHROMIUM, DIST, ensureBuilt, ROOT, RESULTS, serve, launchChromium, offlineContext, whatIfDrawn, whatIfFen, whatIfSlider } from "./setup.ts";

const present = existsSync(CHROMIUM);
const CI = !!process.env.CI;
const SHOTS = join(RESULTS, "screenshots");

/** The sample file the build wrote for a city-year. */
function sampleFile(city: string, year: number): string {
  const dir = join(DIST, "_file", "data");
  const f = readdirSync(dir).find((x) => new RegExp(`^sample-${city}-${year}\\.[0-9a-f]+\\.bin$`).test(x));
  if (!f) throw new Error(`no sample for ${city} ${year} in dist/_file/data`);
  return join(dir, f);
}

/** Pooled outflow (and income) of a scenario on the page's sample, in Node: runChunk + addChunk. */
function nodeFlows(city: CityId, year: number, scenario: Scenario | null, source = "scenario") {
  const policy = loadPolicy(city);
  const scheme = scenario ? resolveScheme(policy, scenario, source) : policy.reform;
  const { finance } = loadFinance(city);
  const sample = decodeSample(readFileSync(sampleFile(city, year)));
  const eng = { ...sample.persons, openingBalanceFen: openingBalances(policy.baseline, sample.persons, year, finance.accountOpeningMonths) };
  return addChunk(emptyFlows(), eng, sample.claims, runChunk(scheme, eng, sample.claims, year, finance));
}

describe.skipIf(!present && !CI)("what-if page", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  const tmp = mkdtempSync(join(tmpdir(), "fundsim-whatif-"));
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
    rmSync(tmp, { recursive: true, force: true });
  });

  interface Opened {
    context: BrowserContext;
    page: Page;
    problems: string[];
  }

  async function open(query: string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
    const context = await offlineContext(browser, server.url, { viewport, acceptDownloads: true });
    const page = await context.newPage();
    // vitest compiles this file with esbuild's keepNames: functions sent to the page call __name.
    await page.addInitScript("globalThis.__name = (f) => f");
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${server.url}/what-if${query}`, { waitUntil: "load" });
    await drawn(page, 0);
    return { context, page, problems };
  }

  const drawn = whatIfDrawn;
  const fen = whatIfFen;
  const slider = whatIfSlider;
  const number = (path: string) => `.wi-param[data-path="${path}"] input[type=number]`;

  /** Move a slider (or type in its box) and wait for the redraw. */
  async function set(page: Page, path: string, value: number, how: "range" | "number" = "range") {
    const before = Number(await page.getAttribute(".wi-results", "data-run"));
    await page.fill(how === "range" ? slider(path) : number(path), String(value));
    return drawn(page, before);
  }

  /** The edits every test below makes in Ganzhou 2023. */
  async function edit(page: Page) {
    await set(page, "benefits.general.rate.level1", 70);
    await set(page, "caps.general.retired", 2600, "number");
    await set(page, "benefits.tcm.rate.uplift", 8);
    await set(page, "accounts.active.percentOfBase", 2.5);
  }

  it("moving a slider changes the figures, without errors", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      const reform = await fen(page, "pooled_outflow", "reform");
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(reform);
      // No edit: the scenario is the reform, a zero change worded as on the city pages (issue 15), never "0" alone.
      const vsReform = page.locator('.wi-summary tr[data-line="pooled_outflow"] td.wi-delta').last();
      expect(await vsReform.innerText()).toBe("不变 0");
      expect(await vsReform.getAttribute("class")).not.toMatch(/fs-better|fs-worse/);
      // The page's reform-as-written figures are the engine's on the same sample.
      expect(reform).toBe(String(nodeFlows("ganzhou", 2023, null).pooledOutflowFen));
      await set(page, "benefits.general.rate.level1", 70);
      const moved = await fen(page, "pooled_outflow", "scenario");
      expect(Number(moved)).toBeGreaterThan(Number(reform));
      expect(await page.locator('.wi-param[data-path="benefits.general.rate.level1"]').getAttribute("class")).toContain("wi-changed");
      expect(await page.inputValue(number("benefits.general.rate.level1"))).toBe("70");
      // Back to the reform's value: the reform's figures again.
      const before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click('.wi-param[data-path="benefits.general.rate.level1"] .wi-reset');
      await drawn(page, before);
      await page.waitForFunction(() => !document.querySelector(".wi-param.wi-changed"));
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(reform);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("switching city and year loads that sample; the reform's figures are the engine's", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      for (const [city, year] of [["jinan", 2023], ["jinan", 2024], ["lvliang", 2024], ["neijiang", 2023], ["lanzhou", 2024]] as const) {
        const before = Number(await page.getAttribute(".wi-results", "data-run"));
        if ((await page.getAttribute('.wi-cities button[aria-pressed="true"]', "data-city")) !== city) await page.click(`.wi-cities button[data-city="${city}"]`);
        if ((await page.inputValue(".wi-year")) !== String(year)) await page.selectOption(".wi-year", String(year));
        await drawn(page, before);
        expect(await fen(page, "pooled_outflow", "reform"), `${city} ${year}`).toBe(String(nodeFlows(city, year, null).pooledOutflowFen));
        expect(new URL(page.url()).searchParams.get("city")).toBe(city);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("a saved scenario is a file fundsim run accepts, and Node and the pipeline give the page's pooled outflow", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      await edit(page);
      const before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.fill(".wi-name", "test scenario");
      await drawn(page, before);
      const shown = await fen(page, "pooled_outflow", "scenario");
      const shownIncome = await fen(page, "pooled_income", "scenario");
      const take = async (button: string) => {
        const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
        const path = join(tmp, download.suggestedFilename());
        await download.saveAs(path);
        return path;
      };
      const yamlPath = await take(".wi-save-yaml");
      const jsonPath = await take(".wi-save-json");
      expect(yamlPath).toMatch(/test-scenario\.yaml$/);
      // Both files hold the same scenario, in the scenario file format.
      const fromYaml = parseScenario(parseYaml(readFileSync(yamlPath, "utf8")), yamlPath);
      const fromJson = parseScenario(JSON.parse(readFileSync(jsonPath, "utf8")), jsonPath);
      expect(fromJson).toEqual(fromYaml);
      expect(fromYaml).toMatchObject({
        name: "test scenario",
        city: "ganzhou",
        base: "reform",
        set: { "benefits.general.rate.level1": "70%", "caps.general.retired": 2600, "benefits.tcm.rate.uplift": "8%", "accounts.active.percentOfBase": "2.5%" },
      });
      // The engine on the same sample, in Node, through the CLI's scenario loader.
      const flows = nodeFlows("ganzhou", 2023, loadScenarioFile(yamlPath), yamlPath);
      expect(String(flows.pooledOutflowFen)).toBe(shown);
      expect(String(flows.pooledIncomeFen)).toBe(shownIncome);

      // `fundsim run` on the same 20,000 persons (seed 1): the same pooled outflow, to the fen.
      const out = join(tmp, "run");
      const run = spawnSync(process.execPath, ["bin/fundsim.js", "run", "--city", "ganzhou", "--year", "2023", "--scenario", yamlPath, "--persons", "20000", "--threads", "1", "--out", out], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, FORCE_COLOR: "0" },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("test scenario vs baseline");
      const db = await DuckDBInstance.create(":memory:");
      const conn = await db.connect();
      const rows = (await conn.runAndReadAll(`SELECT scheme, line, fen FROM '${join(out, "flows.parquet")}' WHERE line IN ('pooled_outflow_fen', 'pooled_income_fen')`)).getRowObjectsJS();
      conn.closeSync();
      const line = (scheme: string, l: string) => String(rows.find((r) => r.scheme === scheme && r.line === l)?.fen);
      expect(line("reform", "pooled_outflow_fen")).toBe(shown);
      expect(line("reform", "pooled_income_fen")).toBe(shownIncome);
      expect(line("baseline", "pooled_outflow_fen")).toBe(await fen(page, "pooled_outflow", "baseline"));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("the URL carries the scenario: a reopened link shows the same parameters and figures", async () => {
    const a = await open("?city=ganzhou&year=2023");
    let url: string;
    let shown: string | null;
    try {
      await edit(a.page);
      url = a.page.url();
      shown = await fen(a.page, "pooled_outflow", "scenario");
      expect(new URL(url).searchParams.get("s")).toBeTruthy();
      expect(a.problems).toEqual([]);
    } finally {
      await a.context.close();
    }
    const b = await open(new URL(url).search);
    try {
      expect(await fen(b.page, "pooled_outflow", "scenario")).toBe(shown);
      expect(await b.page.inputValue(number("benefits.general.rate.level1"))).toBe("70");
      expect(await b.page.inputValue(number("caps.general.retired"))).toBe("2600");
      expect(await b.page.inputValue(number("accounts.active.percentOfBase"))).toBe("2.5");
      const changed = await b.page.$$eval(".wi-param.wi-changed", (els) => els.map((e) => (e as HTMLElement).dataset.path).sort());
      expect(changed).toEqual(["accounts.active.percentOfBase", "benefits.general.rate.level1", "benefits.tcm.rate.uplift", "caps.general.retired"]);
      expect(b.problems).toEqual([]);
    } finally {
      await b.context.close();
    }
  });

  it("loads a scenario file with dated amendments (examples/ganzhou-jiangxi-2023-07.yaml)", async () => {
    const { context, page, problems } = await open("?city=lanzhou&year=2023");
    try {
      const before = Number(await page.getAttribute(".wi-results", "data-run"));
      const file = join(ROOT, "examples", "ganzhou-jiangxi-2023-07.yaml");
      await page.setInputFiles(".wi-file", file);
      await drawn(page, before);
      // The file names its city: the page switches to Ganzhou and lists the amendment.
      expect(await page.getAttribute('.wi-cities button[aria-pressed="true"]', "data-city")).toBe("ganzhou");
      expect(await page.textContent(".wi-base")).toContain("2023-07-01");
      expect(await page.inputValue(".wi-name")).toBe("江西省2023年7月调整");
      const expected = nodeFlows("ganzhou", 2023, loadScenarioFile(file), file);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(String(expected.pooledOutflowFen));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("an invalid value is shown as an error beside its field and is not computed; a valid one clears it", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      const reform = await fen(page, "pooled_outflow", "scenario");
      const run = Number(await page.getAttribute(".wi-results", "data-run"));
      const row = '.wi-param[data-path="benefits.general.rate.level2"]';
      await page.fill(number("benefits.general.rate.level2"), "150");
      await page.waitForSelector(`${row} .wi-field-error:not([hidden])`);
      expect(await page.textContent(`${row} .wi-field-error`)).toContain("应在 0%–100% 之间，输入为 150%");
      expect(await page.getAttribute(number("benefits.general.rate.level2"), "aria-invalid")).toBe("true");
      // not computed: the results say so, and nothing ran
      expect(await page.isVisible(".wi-stale-note")).toBe(true);
      expect(await page.textContent(".wi-stale-note")).toContain("未重新计算");
      await page.waitForTimeout(500);
      expect(Number(await page.getAttribute(".wi-results", "data-run"))).toBe(run);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(reform);
      // a negative amount in yuan, and an empty box, are errors too
      await page.fill(number("caps.general.retired"), "-5");
      await page.waitForSelector('.wi-param[data-path="caps.general.retired"] .wi-field-error:not([hidden])');
      expect(await page.textContent('.wi-param[data-path="caps.general.retired"] .wi-field-error')).toContain("不能为负数");
      await page.fill(number("caps.general.retired"), "");
      expect(await page.textContent('.wi-param[data-path="caps.general.retired"] .wi-field-error')).toContain("请输入数值");
      // still not computed while the rate's box is invalid
      await page.fill(number("caps.general.retired"), "2600");
      expect(await page.isHidden('.wi-param[data-path="caps.general.retired"] .wi-field-error')).toBe(true);
      expect(Number(await page.getAttribute(".wi-results", "data-run"))).toBe(run);
      // a valid value clears its error and is computed
      const before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.fill(number("benefits.general.rate.level2"), "60");
      await drawn(page, before);
      expect(await page.isHidden(`${row} .wi-field-error`)).toBe(true);
      expect(await page.isHidden(".wi-stale-note")).toBe(true);
      expect(await page.getAttribute(number("benefits.general.rate.level2"), "aria-invalid")).toBeNull();
      expect(await fen(page, "pooled_outflow", "scenario")).not.toBe(reform);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("undo and redo step through the edits; each city keeps its own edits", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      const reform = await fen(page, "pooled_outflow", "scenario");
      expect(await page.isDisabled(".wi-undo")).toBe(true);
      await set(page, "benefits.general.rate.level1", 70);
      const edited = await fen(page, "pooled_outflow", "scenario");
      expect(edited).not.toBe(reform);
      let before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click(".wi-undo");
      await drawn(page, before);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(reform);
      expect(await page.inputValue(number("benefits.general.rate.level1"))).not.toBe("70");
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click(".wi-redo");
      await drawn(page, before);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(edited);
      expect(await page.inputValue(number("benefits.general.rate.level1"))).toBe("70");
      // the keyboard does the same
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.focus(slider("benefits.general.rate.level1"));
      await page.keyboard.press("Control+z");
      await drawn(page, before);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(reform);
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.keyboard.press("Control+Shift+z");
      await drawn(page, before);
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(edited);

      // Jinan and back: Ganzhou's edit is still there
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click('.wi-cities button[data-city="jinan"]');
      await drawn(page, before);
      expect(await page.$$(".wi-param.wi-changed")).toHaveLength(0);
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click('.wi-cities button[data-city="ganzhou"]');
      await drawn(page, before);
      expect(await page.inputValue(number("benefits.general.rate.level1"))).toBe("70");
      expect(await page.inputValue(".wi-year")).toBe("2023");
      expect(await fen(page, "pooled_outflow", "scenario")).toBe(edited);
      // and undo goes back across the city switches
      before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click(".wi-undo");
      await drawn(page, before);
      expect(await page.getAttribute('.wi-cities button[aria-pressed="true"]', "data-city")).toBe("jinan");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("pinned scenarios are compared side by side with their difference", async () => {
    const { context, page, problems } = await open("?city=ganzhou&year=2023");
    try {
      const reformNet = Number(await fen(page, "pooled_net", "scenario"));
      await page.click(".wi-pin");
      await page.waitForSelector('.wi-compare[data-pins="1"] .wi-compare-grid');
      // current − the pin just made: nothing, worded "不变 0.0 万元" as on the city pages
      expect(await page.locator('.wi-compare-grid tr[data-line="pooled_outflow"] td[data-diff="1"]').innerText()).toBe("不变 0.0 万元");
      await set(page, "benefits.general.rate.level1", 70);
      await page.click(".wi-pin");
      await page.waitForSelector('.wi-compare[data-pins="2"]');
      await set(page, "benefits.general.rate.level1", 80);
      const table = ".wi-compare-grid";
      expect(await page.locator(`${table} thead th.wi-pin-head`).count()).toBe(2);
      expect(await page.locator(`${table} thead th[data-diff]`).count()).toBe(2);
      // current − pin 1 (the reform): a higher rate pays more, so the balance falls: 增支, coloured worse
      const outflowDiff = page.locator(`${table} tr[data-line="pooled_outflow"] td[data-diff="1"]`);
      expect(await outflowDiff.innerText()).toMatch(/^−[\d,.]+ (亿元|万元)（增支）$/);
      expect(await outflowDiff.getAttribute("class")).toContain("fs-worse");
      const netNow = Number(await fen(page, "pooled_net", "scenario"));
      expect(netNow).toBeLessThan(reformNet);
      expect(await page.locator(`${table} tr[data-line="pooled_net"] td[data-diff="1"]`).innerText()).toMatch(/^−/);
      // current − pin 2 (70 %) is smaller than current − pin 1
      const amountOf = async (pin: number) => {
        const t = await page.locator(`${table} tr[data-line="pooled_outflow"] td[data-diff="${pin}"]`).innerText();
        const m = /([\d,.]+) (亿元|万元)/.exec(t)!;
        return Number(m[1].replace(/,/g, "")) * (m[2] === "亿元" ? 10_000 : 1);
      };
      expect(await amountOf(2)).toBeLessThan(await amountOf(1));
      // a third pin, then unpin one
      await page.click(".wi-pin");
      await page.waitForSelector('.wi-compare[data-pins="3"]');
      await page.click(`${table} th[data-pin="1"] .wi-unpin`);
      await page.waitForSelector('.wi-compare[data-pins="2"]');
      expect(await page.locator(`${table} th[data-pin="1"]`).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("defaults to the latest year, as the other pages; shows gains by spending decile", async () => {
    const { context, page, problems } = await open("?city=lvliang");
    try {
      expect(await page.inputValue(".wi-year")).toBe("2024");
      const winners = page.locator(".wi-results .fs-chart").nth(1);
      const text = await winners.locator("svg").textContent();
      expect(text).toContain("医疗费用第1组");
      expect(text).toContain("医疗费用第10组");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("screenshots of an edited scenario in 中文 and English", async () => {
    const { context, page, problems } = await open("?city=jinan&year=2024", { width: 1280, height: 2000 });
    try {
      await set(page, "benefits.general.rate.level3", 60);
      await set(page, "caps.general", 8000, "number");
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(SHOTS, "what-if-scenario-zh.png"), fullPage: true });
      const before = Number(await page.getAttribute(".wi-results", "data-run"));
      await page.click("#observablehq-header [data-fs-lang='en']");
      await drawn(page, before);
      expect(await page.textContent(".wi-summary")).toContain("Pooled fund outflow");
      // a line the edits leave as it was (contributions, vs the reform) reads "unchanged 0.00", never a bare number
      expect(await page.$$eval(".wi-summary td.wi-delta", (tds) => tds.map((td) => td.textContent).filter((x) => /^[\d.]+$/.test(x ?? "")))).toEqual([]);
      // The controls keep their state across the language switch.
      expect(await page.inputValue(number("caps.general"))).toBe("8000");
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(SHOTS, "what-if-scenario-en.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
