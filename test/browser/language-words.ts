// What a reader sees or hears on a page, and which of it is in the other language: the check behind
// test/browser/languages.test.ts (issue 15: "no English words in Chinese mode outside a short
// allow-list (units, codes)", and the inverse in English).
//
// Collected (elements that are not rendered — display:none, a closed <details>, the other
// language's .fs-zh/.fs-en span, a [hidden] error box — are skipped; visually hidden text that a
// screen reader reads is kept):
//   - every visible text node of the body: header, sidebar, main, footer, table captions, chart
//     SVG text (axis labels, titles, legends), figure captions;
//   - CSS generated content (::before / ::after strings);
//   - the attributes a reader sees or hears: aria-label, aria-roledescription, aria-description,
//     aria-valuetext (not inside an aria-hidden subtree, where none is read), title, alt,
//     placeholder, an input button's value;
//   - the text an aria-labelledby / aria-describedby points to (read aloud even when hidden);
//   - every <option> of a visible <select>, and the document's title (the tab, the PDF's name).
// Text in an original-language citation (class fs-orig, lang="zh-CN") is collected as "cited text":
// allowed in English mode, checked like any text in Chinese mode.
// Not collected, by rule: code (<code>, <pre>, <kbd>, <samp>, <textarea>: commands, file names,
// JSON keys the CLI reads — the same in both languages), and the language switch's two buttons
// ([data-fs-lang]: each language is named in itself, "中文" and "English", on purpose).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { parse as parseYaml } from "yaml";
import { readNotesZh } from "../../src/loaders/notes-zh.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One piece of text and where it was found ("text in main > div.calc-view", "aria-label on …"). */
export interface Found {
  where: string;
  text: string;
}

/** Everything a reader of the page sees or hears, as it is rendered now. */
export async function collectTexts(page: Page): Promise<Found[]> {
  return page.evaluate(() => {
    const out: Array<{ where: string; text: string }> = [];
    const CODE = "code, pre, kbd, samp, textarea, script, style, noscript";
    const SKIP = `${CODE}, [data-fs-lang]`;
    const visible = (el: Element) => el.checkVisibility({ checkVisibilityCSS: true });
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
        const cls = typeof e.className === "string" && e.className.trim() ? `.${e.className.trim().split(/\s+/)[0]}` : "";
        const id = e.id ? `#${e.id}` : "";
        parts.unshift(`${e.tagName.toLowerCase()}${id}${cls}`);
      }
      return parts.join(" > ");
    };
    // Text nodes.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? "").trim();
      const el = n.parentElement;
      if (!text || !el || el.closest(SKIP) || !visible(el)) continue;
      // <option>s are read below, per visible <select>.
      if (el.closest("select, datalist")) continue;
      // An original-language citation (see chineseText) is told apart by its `where`.
      const cited = el.closest('.fs-orig[lang="zh-CN"]') ? "cited " : "";
      out.push({ where: `${cited}text in ${describe(el)}`, text });
    }
    const ATTRS = ["aria-label", "aria-roledescription", "aria-description", "aria-valuetext", "title", "alt", "placeholder"];
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest(SKIP) || !visible(el)) continue;
      // ARIA text inside an aria-hidden subtree (a chart's SVG, whose text alternative is its
      // container's label) is neither shown nor read; a tooltip (title) there still shows.
      const unheard = el.closest('[aria-hidden="true"]') !== null;
      for (const a of ATTRS) {
        if (unheard && a.startsWith("aria-")) continue;
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push({ where: `${a} on ${describe(el)}`, text: v });
      }
      if (el instanceof HTMLInputElement && ["button", "submit", "reset"].includes(el.type) && el.value) out.push({ where: `value of ${describe(el)}`, text: el.value });
      for (const ref of unheard ? [] : ["aria-labelledby", "aria-describedby"]) {
        for (const id of (el.getAttribute(ref) ?? "").split(/\s+/).filter(Boolean)) {
          const target = document.getElementById(id);
          // As the accessible name is computed: a rendered target's rendered text (its other
          // language's span left out), a hidden target's whole text.
          const text = (target instanceof HTMLElement && visible(target) ? target.innerText : target?.textContent)?.trim();
          if (target && text && !target.closest(SKIP)) out.push({ where: `${ref} of ${describe(el)} → #${id}`, text });
        }
      }
      for (const pseudo of ["::before", "::after"]) {
        const content = getComputedStyle(el, pseudo).content;
        const strings = content && content !== "none" && content !== "normal" ? content.match(/"(?:[^"\\]|\\.)*"/g) ?? [] : [];
        const text = strings.map((s) => s.slice(1, -1)).join("").trim();
        if (text) out.push({ where: `${pseudo} of ${describe(el)}`, text });
      }
      if (el instanceof HTMLSelectElement) {
        for (const o of el.options) if (o.text.trim()) out.push({ where: `option of ${describe(el)}`, text: o.text });
      }
    }
    if (document.title.trim()) out.push({ where: "document title", text: document.title });
    return out;
  });
}

/** Latin-letter words allowed in Chinese mode: codes and units a Chinese reader reads as they are.
 *  Keep it short; each entry says why. Compared case-sensitively (an allowed code is upper case). */
export const ZH_ALLOWED: Record<string, string> = {
  PDF: "file format (导出简报 (PDF))",
  PNG: "file format of a chart export (导出PNG)",
  SVG: "file format of a chart export (导出SVG)",
  CSV: "file format of a download (下载CSV)",
  JSON: "the calculator's input and output format, as the CLI names it",
  YAML: "the scenario file format, as the CLI names it",
  URL: "a link's address, the word Chinese interfaces use",
  UTC: "time zone of a time stamp (UTC+8)",
  DRG: "inpatient payment by diagnosis-related groups: the policy term Chinese texts use as is (DRG付费)",
  DIP: "inpatient payment by diagnosis-intervention packet (按病种分值付费): the policy term Chinese texts use as is",
  Ctrl: "a key's name as printed on the keyboard (撤销 Ctrl+Z)",
  Shift: "a key's name as printed on the keyboard (重做 Ctrl+Shift+Z)",
  Alt: "a key's name as printed on the keyboard (目录 Alt+B)",
  fundsim: "the command-line program's name",
};

/** CJK text allowed in English mode. None: an English page names a city in English only (no
 *  "Lanzhou 兰州"); a Chinese source is quoted only as a marked citation (see chineseText). */
export const EN_ALLOWED: Record<string, string> = {};

/** A piece of text with words or characters in the wrong language, and where it was found. */
export interface Finding {
  tokens: string[];
  where: string;
  text: string;
}

function findAll(items: Found[], pattern: RegExp, allowed: Record<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const item of items) {
    const tokens = [...new Set([...item.text.matchAll(pattern)].map((m) => m[0]).filter((w) => !Object.hasOwn(allowed, w)))];
    if (tokens.length) out.push({ tokens, where: item.where, text: item.text });
  }
  return out;
}

/** Latin-letter words of two or more letters, outside ZH_ALLOWED. */
export const englishWords = (items: Found[]): Finding[] => findAll(items, /[A-Za-z]{2,}/g, ZH_ALLOWED);

/** Runs of CJK characters (ideographs, CJK punctuation, full-width forms), outside EN_ALLOWED and
 *  outside original-language citations: text in an element marked class="fs-orig" lang="zh-CN" (a
 *  Chinese document's title, number or quoted article, given as written so the reader can find the
 *  source; the English around it says what it is). */
export const chineseText = (items: Found[]): Finding[] =>
  findAll(items.filter((i) => !i.where.startsWith("cited ")).map((i) => (i.where.startsWith("text in") ? i : { ...i, text: withoutAttributeCitations(i.text) })), /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+/g, EN_ALLOWED);

/** An attribute (a tooltip) cannot mark a citation, so there a citation is told by its form: a quotation
 *  in quotation marks (“提高10%”), a document number (国办发〔2021〕14号) or an article (第二十四条,
 *  第五条（四）). Only these forms are set aside; any other Chinese in an English tooltip is a finding. */
export function withoutAttributeCitations(text: string): string {
  return text
    .replace(/“[^”]*”|「[^」]*」/g, " ")
    .replace(/[\u4e00-\u9fff]+〔\d{4}〕\d+号/g, " ")
    .replace(/第[一二三四五六七八九十百零〇\d]+[条款项](?:（[一二三四五六七八九十\d]+）)*/g, " ");
}

/** One line per distinct finding, for a failure message: the words, where, and the text (cut). */
export function report(findings: Finding[]): string[] {
  const cut = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…` : s).replace(/\s+/g, " ");
  return [...new Set(findings.map((f) => `[${f.tokens.join(" ")}] ${f.where}: "${cut(f.text)}"`))];
}

// ---- text that comes from the city files, not from the pages ------------------------------------
//
// The notes and sources of the policy, calibration, finance, assumption and published-accounts files
// (and the skeleton a new city starts from) are written in English; their Chinese is in
// src/loaders/notes-zh/*.yaml (src/components/notes.js shows it). `splitDataText` tells a finding that
// is a file's note from one the pages themselves say, so that each fails with the message that says
// where its fix belongs (a translation, or the page), and the notes are listed in
// test-results/languages-data-notes.md.

/** Every string value (≥ 8 characters) of the city files found: the project's and FUNDSIM_POLICIES'. */
export function dataTexts(): string[] {
  const dirs = [join(ROOT, "src/policies"), ...["assumptions", "calibration", "finance", "published", "skeleton"].map((d) => join(ROOT, "src/loaders", d))];
  for (const d of (process.env.FUNDSIM_POLICIES ?? "").split(":").filter(Boolean)) dirs.push(d, ...["assumptions", "calibration", "finance"].map((k) => join(d, k)));
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (v.trim().length >= 8) out.add(v.trim().replace(/\s+/g, " "));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => /\.ya?ml(\.in)?$/.test(f))) {
      try {
        walk(parseYaml(readFileSync(join(dir, f), "utf8").replace(/\{\{[^}]*\}\}/g, "x")));
      } catch {
        // a template that is not YAML until filled: its lines as they stand
        for (const m of readFileSync(join(dir, f), "utf8").matchAll(/(?:note|source): "([^"]{8,})"/g)) out.add(m[1]);
      }
    }
  }
  return [...out];
}

/** The files' notes in Chinese (src/loaders/notes-zh) as a tooltip shows them — backticks left out,
 *  as src/components/notes.js noteAttr does, since an attribute cannot mark code — each with the
 *  words of its code (`collectionBp`, `calibration.md`): code there, as <code> text is elsewhere,
 *  not English. */
const NOTE_CODE = readNotesZh()
  .map((n) => ({ text: n.zh.replace(/`/g, "").trim().replace(/\s+/g, " "), code: new Set([...n.zh.matchAll(/`([^`]*)`/g)].flatMap((m) => m[1].match(/[A-Za-z]{2,}/g) ?? [])) }))
  .filter((n) => n.code.size > 0);

/** A finding without the words a translated note shown in it (a tooltip) holds as code; null when
 *  none is left. */
function withoutNoteCode(f: Finding): Finding | null {
  const text = f.text.trim().replace(/\s+/g, " ");
  const code = NOTE_CODE.filter((n) => text.includes(n.text));
  if (!code.length) return f;
  const tokens = f.tokens.filter((t) => !code.some((n) => n.code.has(t)));
  return tokens.length ? { ...f, tokens } : null;
}

/** Findings whose text holds a city file's string (or is part of one): the files' notes. */
export function splitDataText(findings: Finding[], data: readonly string[]): { pages: Finding[]; files: Finding[] } {
  const pages: Finding[] = [], files: Finding[] = [];
  for (const found of findings) {
    const f = withoutNoteCode(found);
    if (!f) continue;
    const text = f.text.trim().replace(/\s+/g, " ");
    const fromFile = data.some((s) => text.includes(s) || (text.length >= 12 && s.includes(text)));
    (fromFile ? files : pages).push(f);
  }
  return { pages, files };
}
