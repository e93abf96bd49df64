// `fundsim brief`: the overview or a city page of the built site as a PDF briefing, rendered by
// Chromium with the site's print stylesheet (no controls, no repeated header; date, URL and data
// version on every page) — the same page, the same figures and words a reader sees on screen.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { showValue } from "../model/limits.ts";
import { cityIds, unknownCityMessage } from "../loaders/cities.ts";
import { checkOutputFile, writeFileAtomically } from "../pipeline/output-file.ts";
import { OutputError, PROJECT_ROOT } from "../pipeline/output-target.ts";
import { CHROMIUM, chartsSettled, launchChromium, offlineContext } from "../site/chromium.ts";
import { serve } from "../site/serve-dist.ts";
import { SITE_YEARS } from "../site/years.ts";
import { UsageError } from "./options.ts";

const YEARS: readonly number[] = SITE_YEARS;

/** The page of a briefing: the overview, or a city's page; its query carries the language and year. */
export function briefPath(city: string | undefined, lang: "zh" | "en", year: number): string {
  const page = city === undefined || city === "all" ? "/" : `/cities/${city}`;
  return `${page}?lang=${lang}&year=${year}`;
}

export function register(program: Command): void {
  program
    .command("brief")
    .description("print the overview or a city page of the built site (npm run build) to a PDF briefing (导出简报), with Chromium")
    .option("--city <city>", "a city id (a policy file's name in src/policies or a --policies directory), or \"all\" for the overview (default)", "all")
    .option("--year <year>", `the year shown (${YEARS.join(" or ")})`, String(YEARS[YEARS.length - 1]))
    .option("--lang <lang>", "zh (中文) or en", "zh")
    .requiredOption("--out <file>", "the PDF file to write (a new file; an existing PDF only with --force)")
    .option("--force", "replace an existing PDF file (never a file of another kind)")
    .option("--site <dir>", "the built site", join(PROJECT_ROOT, "dist"))
    .addHelpText(
      "after",
      `
The briefing is the page as built by \`npm run build\` (its figures are the build's), printed by
Chromium (${CHROMIUM}; FUNDSIM_CHROMIUM sets another) with the site's print stylesheet: A4, the
print date, the page's address and the data version on every page. The file is written under a
temporary name beside --out and renamed into place when complete.`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const city = String(opts.city);
      if (city !== "all" && !cityIds().includes(city)) throw new UsageError(unknownCityMessage(opts.city, "--city", ['"all"']));
      const year = Number(opts.year);
      if (!YEARS.includes(year) || !/^\d{4}$/.test(String(opts.year))) throw new UsageError(`--year: the site shows ${YEARS.join(" and ")}, got ${showValue(opts.year)}`);
      const lang = String(opts.lang);
      if (lang !== "zh" && lang !== "en") throw new UsageError(`--lang: zh or en, got ${showValue(opts.lang)}`);
      const target = checkOutputFile(String(opts.out), { option: "--out", force: Boolean(opts.force), magic: "%PDF-", kind: "PDF file" });
      const site = String(opts.site);
      if (!existsSync(join(site, "index.html"))) throw new UsageError(`--site: ${showValue(site)} holds no built site; run \`npm run build\` first`);
      if (!existsSync(CHROMIUM)) throw new UsageError(`Chromium is needed to print the briefing and ${CHROMIUM} is not there (install Debian's chromium, or set FUNDSIM_CHROMIUM)`);
      let chrome: Awaited<ReturnType<typeof launchChromium>>;
      try {
        chrome = await launchChromium();
      } catch (e) {
        throw new UsageError(`cannot start Chromium (${(e as Error).message.split("\n")[0]}); \`npm install\` brings playwright-core, which drives it`);
      }
      const server = await serve(site);
      try {
        const context = await offlineContext(chrome.browser, server.url, { viewport: { width: 1100, height: 1400 }, locale: lang === "zh" ? "zh-CN" : "en-US" });
        const page = await context.newPage();
        const path = briefPath(city, lang as "zh" | "en", year);
        const response = await page.goto(`${server.url}${path}`);
        if (!response || !response.ok()) throw new OutputError(`the built site has no page ${path.split("?")[0]} (rebuild with npm run build)`);
        await chartsSettled(page, 300);
        await page.emulateMedia({ media: "print" });
        const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
        writeFileAtomically(target, pdf);
        process.stdout.write(`wrote ${String(opts.out)}: ${city === "all" ? "overview" : city}, ${year}, ${lang}, ${pdf.length.toLocaleString("en")} bytes\n`);
      } finally {
        await server.close();
        await chrome.close();
      }
    });
}
