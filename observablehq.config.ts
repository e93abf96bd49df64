// Observable Framework configuration. Offline-safe (see shared/offline-recipe.md): no web fonts
// (globalStylesheets holds only the Inputs stylesheet, fonts are system fonts in src/style.css),
// no favicon request, no npm: imports anywhere. Telemetry is off in the package scripts.
//
// Pages: one line each in PAGES below. A page is listed only once its Markdown file exists under
// src/, so a line can be added before the page is written. The test in test/browser visits every
// page this config lists, in both languages.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { footer, head, header, home, type NavLabels } from "./src/components/layout.ts";
import { cityRegistry } from "./src/loaders/cities.ts";

const SRC = fileURLToPath(new URL("./src/", import.meta.url));

/** One page per city found (src/policies and the directories FUNDSIM_POLICIES names), in list order. */
export const CITY_PAGES = cityRegistry().map((c) => ({ id: c.id, zh: c.name.zh, en: c.name.en }));

interface PageLine {
  zh: string;
  en: string;
  /** URL path as Framework routes it ("/" for the overview). */
  path: string;
  /** Source file under src/ (a parameterised file for the city pages; a page loader's page as its .md). */
  file: string;
}
interface SectionLine {
  zh: string;
  en: string;
  file: string;
  pages: Array<{ zh: string; en: string; path: string }>;
}

// ---- the pages: one line each -------------------------------------------------------------------
const PAGES: Array<PageLine | SectionLine> = [
  { zh: "总览", en: "Overview", path: "/", file: "index.md" },
  { zh: "城市", en: "Cities", file: "cities/[city].md", pages: CITY_PAGES.map((c) => ({ zh: c.zh, en: c.en, path: `/cities/${c.id}` })) },
  { zh: "情景分析", en: "What-if", path: "/what-if", file: "what-if.md" },
  { zh: "计算器", en: "Calculator", path: "/calculator", file: "calculator.md" },
  { zh: "精算预测", en: "Projection", path: "/projection", file: "projection.md" },
  { zh: "方法与数据", en: "Methods & data", path: "/methods", file: "methods.md" },
];
// --------------------------------------------------------------------------------------------------

const present = PAGES.filter((p) => existsSync(SRC + p.file) || existsSync(`${SRC}${p.file}.ts`));

/** The site's name, as the tab's title ends ("page | site"). */
const SITE_TITLE = { zh: "职工医保门诊共济 基金影响模拟", en: "Outpatient mutual-aid fund simulator" };

/** Chinese → English navigation labels, for the sidebar when English is chosen (and the tab's title). */
const nav: NavLabels = { [SITE_TITLE.zh]: SITE_TITLE.en };
for (const p of present) {
  nav[p.zh] = p.en;
  if ("pages" in p) for (const c of p.pages) nav[c.zh] = c.en;
}

export default {
  // Chinese; the boot script puts the tab's title in English through `nav` (SITE_TITLE).
  title: SITE_TITLE.zh,
  root: "src",
  home: home(),
  pages: present.map((p) =>
    "pages" in p ? { name: p.zh, pages: p.pages.map((c) => ({ name: c.zh, path: c.path })) } : { name: p.zh, path: p.path },
  ),
  pager: false,
  // Off: the table of contents is built from heading text at build time, so it cannot follow the
  // language toggle.
  toc: false,
  search: false,
  style: "style.css",
  // The default global stylesheet asks Google Fonts for Source Serif: keep only the local one.
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  head: head(nav),
  header: header(),
  footer: footer(),
  linkify: false,
  typographer: false,
};
