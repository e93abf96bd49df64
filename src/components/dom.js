// Small DOM builders shared by the components: `el(tag, attrs, ...children)` (attributes; `on…`
// keys add event listeners; false/null/undefined attributes and children are skipped; a value given
// as [zh, en] is an attribute in both languages, see biAttr) and `bi(zh, en)`, text in both
// languages of which CSS shows the one in force (class fs-zh / fs-en).
import {currentLang, LANG_EVENT} from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (Array.isArray(v) && v.length === 2) biAttr(e, k, v[0], v[1]);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** Text in both languages; CSS shows the one in force. */
export const bi = (zh, en) => [el("span", {class: "fs-zh"}, zh), el("span", {class: "fs-en"}, en)];

/** An attribute in both languages (an aria-label, a title, a placeholder): set for the language in
 *  force and re-set when the reader toggles it, so a screen reader or a tooltip speaks the page's
 *  language. The pairs ride on the node (data-fs-attrs); one listener serves the whole page. */
export function biAttr(node, name, zh, en) {
  const pairs = JSON.parse(node.getAttribute("data-fs-attrs") ?? "{}");
  pairs[name] = [zh, en];
  node.setAttribute("data-fs-attrs", JSON.stringify(pairs));
  node.setAttribute(name, currentLang() === "en" ? en : zh);
  return node;
}

if (typeof document !== "undefined") {
  document.addEventListener(LANG_EVENT, (e) => {
    const en = e.detail === "en";
    for (const node of document.querySelectorAll("[data-fs-attrs]")) {
      for (const [name, [zh, e2]] of Object.entries(JSON.parse(node.getAttribute("data-fs-attrs")))) node.setAttribute(name, en ? e2 : zh);
    }
  });
}

/** Text with `code` between backticks (a command, a file, a key: the same in both languages) as an
 *  element whose code parts are <code>. */
export function withCode(text, tag = "span") {
  return el(tag, {}, ...String(text).split(/`([^`]*)`/).map((part, i) => (i % 2 ? el("code", {}, part) : part)));
}

/** English text whose runs of Chinese (a term or an article quoted from the policy text, as the
 *  command line's trace gives them) are marked as original-language citations (class fs-orig). */
export function withCitations(text) {
  return el("span", {}, ...String(text).split(/([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef][\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef0-9%.,、·\/\- ]*[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]|[\u3400-\u4dbf\u4e00-\u9fff])/).map((part, i) => (i % 2 ? el("span", {class: "fs-orig", lang: "zh-CN"}, part) : part)));
}

/** Save `href` (a data: or blob: URL) as a file named `name`, as a click on a download link does. */
export function downloadHref(href, name) {
  const a = el("a", {href, download: name, rel: "noopener"});
  document.body.append(a);
  a.click();
  a.remove();
}

/** Save `text` as a file named `name` of MIME type `type`. */
export function download(text, name, type = "text/plain;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], {type}));
  downloadHref(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
