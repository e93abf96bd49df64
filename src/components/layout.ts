// The HTML fragments every page shares (head, header, footer) and the language boot script.
// Imported by observablehq.config.ts only; pages use ./i18n.js.
//
// Language state lives on <html>: data-lang="zh"|"en" and lang="zh-CN"|"en". The boot script
// below runs in <head> before the page renders, so static bilingual text (class fs-zh / fs-en)
// never flashes in the wrong language; it wires the header buttons, keeps localStorage and the
// URL (?lang=en) in step, translates the sidebar, and announces each change with the DOM event
// "fundsim:lang" that ./i18n.js turns into a reactive value.

export const LANG_STORAGE_KEY = "fundsim.lang";
export const LANG_EVENT = "fundsim:lang";

/** Chinese → English for navigation labels (sidebar pages, sections). */
export type NavLabels = Record<string, string>;

function bootScript(nav: NavLabels): string {
  // Plain browser JavaScript kept as text (not a serialised function: a transpiler could inject
  // helpers into a function's source). Small and dependency-free.
  return `(function (KEY, EVENT, NAV) {
  var root = document.documentElement;
  function norm(l) { return l === "en" ? "en" : l === "zh" ? "zh" : null; }
  function initial() {
    var l = null;
    try {
      l = norm(new URLSearchParams(location.search).get("lang"));
      if (l) localStorage.setItem(KEY, l); else l = norm(localStorage.getItem(KEY));
    } catch (e) { /* storage may be unavailable */ }
    return l || "zh";
  }
  function paint(l) {
    // The tab's title "page | site": each part through NAV (the config's title is Chinese).
    if (root.dataset.fsTitle === undefined) root.dataset.fsTitle = document.title;
    document.title = root.dataset.fsTitle.split(" | ").map(function (p) { return l === "en" && NAV[p] ? NAV[p] : p; }).join(" | ");
    document.querySelectorAll("[data-fs-lang]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-fs-lang") === l));
    });
    document.querySelectorAll("#observablehq-sidebar a, #observablehq-sidebar summary, #observablehq-sidebar .observablehq-section-header, #observablehq-toc div").forEach(function (el) {
      if (el.children.length > 0) return;
      if (el.dataset.fsZh === undefined) el.dataset.fsZh = (el.textContent || "").trim();
      var zh = el.dataset.fsZh, en = NAV[zh];
      if (en) el.textContent = l === "en" ? en : zh;
    });
  }
  function set(l, announce) {
    var lang = norm(l) || "zh";
    root.setAttribute("data-lang", lang);
    root.lang = lang === "en" ? "en" : "zh-CN";
    try {
      localStorage.setItem(KEY, lang);
      var u = new URL(location.href);
      if (lang === "en") u.searchParams.set("lang", "en"); else u.searchParams.delete("lang");
      if (u.href !== location.href) history.replaceState(history.state, "", u.href);
    } catch (e) { /* ignore */ }
    if (document.readyState !== "loading") paint(lang);
    if (announce !== false) document.dispatchEvent(new CustomEvent(EVENT, { detail: lang }));
    return lang;
  }
  function get() { return root.getAttribute("data-lang") === "en" ? "en" : "zh"; }
  window.fundsimLang = { get: get, set: set, nav: NAV };
  set(initial(), false);
  document.addEventListener("DOMContentLoaded", function () { paint(get()); });
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest("[data-fs-lang]") : null;
    if (!b) return;
    e.preventDefault();
    set(b.getAttribute("data-fs-lang"));
  });
})(${JSON.stringify(LANG_STORAGE_KEY)}, ${JSON.stringify(LANG_EVENT)}, ${JSON.stringify(nav).replace(/</g, "\\u003c")});`;
}

/** <head>: no favicon request, the language boot script. */
export function head(nav: NavLabels): string {
  return `<link rel="icon" href="data:,">
<meta name="color-scheme" content="light">
<script>${bootScript(nav)}</script>`;
}

/** The header bar: a short title and the 中文 / English toggle. */
export function header(): string {
  return `<div class="fs-header">
  <span class="fs-header-title"><span class="fs-zh">职工医保门诊共济 · 基金影响模拟</span><span class="fs-en">Outpatient mutual-aid fund simulator</span></span>
  <span class="fs-lang" role="group" aria-label="语言">
    <button type="button" data-fs-lang="zh" aria-pressed="true" title="中文">中文</button><button type="button" data-fs-lang="en" aria-pressed="false" title="English">English</button>
  </span>
</div>`;
}

/** The sidebar's home link. */
export function home(): string {
  return `<span class="fs-zh">门诊共济 基金影响模拟</span><span class="fs-en">Mutual-aid fund simulator</span>`;
}

export function footer(): string {
  return `<span class="fs-zh">fundsim · 模拟结果基于合成人群与公开政策文件，仅供测算参考，不代表任何医保部门的官方数据。</span><span class="fs-en">fundsim · Results come from a synthetic population and the published policy texts; for analysis only, not official figures of any medical insurance bureau.</span>`;
}
