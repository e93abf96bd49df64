// The cities the site is built with, in list order: every policy file found in src/policies and in
// the directories FUNDSIM_POLICIES names (src/loaders/cities.ts). Pages read it through
// src/components/cities.js; nothing in the browser lists cities in code.
// Run by Framework through tsx (cwd = project root); prints JSON to stdout.
import { cityRegistry } from "../loaders/cities.ts";

process.stdout.write(
  JSON.stringify(
    cityRegistry().map((c) => ({ id: c.id, zh: c.name.zh, en: c.name.en, provinceZh: c.province?.zh ?? "", provinceEn: c.province?.en ?? "", builtin: c.builtin })),
  ),
);
