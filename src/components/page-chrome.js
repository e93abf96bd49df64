// What every page carries besides its content, added once per page by ./i18n.js (which every page
// imports):
//   - a skip link to the main content, the first thing Tab reaches (a.fs-skip, shown on focus);
//   - an accessible name for Framework's sidebar toggle (a checkbox whose <label>s are empty);
//   - on the overview and the city pages, a 导出简报 (PDF) button in the header: the browser's print
//     dialog with the print stylesheet (save as PDF); `fundsim brief` prints the same page headless;
//   - the print-only line: printed date, the page's URL and the data version (the page's build
//     time), shown at the top of the first printed page (.fs-print-meta, hidden on screen) and,
//     through an @page rule (style#fs-print-page), in the margin of every printed page.
// Layout only: nothing here reads or changes a number the pages show.
// The data version is the page's own build time (the HTML's Last-Modified, as the server sends it):
// a file attachment here would make every page, the calculator's too, wait for the results loader.

const pad = (n) => String(n).padStart(2, "0");
/** "2026-11-29 05:02 UTC+8" in the reader's time zone. */
function stamp(ms) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off < 0 ? "−" : "+"}${Math.floor(Math.abs(off) / 60)}${Math.abs(off) % 60 ? ":" + pad(Math.abs(off) % 60) : ""}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zone}`;
}

const isEn = () => document.documentElement.getAttribute("data-lang") === "en";

function metaText(en) {
  const built = stamp(Date.parse(document.lastModified));
  const printed = stamp(Date.now());
  return en
    ? {printed: `Printed ${printed}`, url: location.href, version: `Data version: built ${built}`}
    : {printed: `打印于 ${printed}`, url: location.href, version: `数据版本：构建于 ${built}`};
}

/** A CSS string literal. */
const cssString = (s) => `"${String(s).replace(/[\\"]/g, "\\$&").replace(/\n/g, " ")}"`;

/** The accessible names and tooltips of the page's chrome, in the language in force: Framework's
 *  sidebar toggle (its own title is English), the language group and the briefing button. */
function labelChrome(en) {
  const t = (zh, e) => (en ? e : zh);
  const set = (selector, attr, value) => document.querySelectorAll(selector).forEach((e) => e.setAttribute(attr, value));
  set("#observablehq-sidebar-toggle", "aria-label", t("目录", "Table of contents"));
  set("#observablehq-sidebar-toggle, #observablehq-sidebar-close, #observablehq-sidebar-backdrop", "title", t("显示或隐藏目录（Alt+B）", "Show or hide the contents (Alt+B)"));
  set(".fs-header .fs-lang", "aria-label", t("语言", "Language"));
  set(".fs-brief", "aria-label", t("导出简报（PDF）", "Export a briefing (PDF)"));
  set(".fs-brief", "title", t("打印本页为 PDF（选择“另存为 PDF”）", "Print this page to PDF (choose “Save as PDF”)"));
}

function refresh() {
  labelChrome(isEn());
  const m = metaText(isEn());
  const line = document.querySelector(".fs-print-meta");
  if (line) {
    line.querySelector(".fs-print-date").textContent = m.printed;
    line.querySelector(".fs-print-url").textContent = m.url;
    line.querySelector(".fs-print-version").textContent = m.version;
  }
  const style = document.getElementById("fs-print-page");
  if (style) {
    style.textContent = `@media print {
  @page {
    margin: 16mm 12mm 16mm 12mm;
    @top-left { content: ${cssString(m.url)}; font: 8pt sans-serif; color: #444; }
    @top-right { content: ${cssString(m.printed)}; font: 8pt sans-serif; color: #444; }
    @bottom-left { content: ${cssString(m.version)}; font: 8pt sans-serif; color: #444; }
    @bottom-right { content: counter(page) " / " counter(pages); font: 8pt sans-serif; color: #444; }
  }
}`;
  }
}

function install() {
  if (document.querySelector("a.fs-skip")) return;
  const main = document.getElementById("observablehq-main");
  if (main && !main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");

  const skip = document.createElement("a");
  skip.className = "fs-skip";
  skip.href = "#observablehq-main";
  skip.innerHTML = `<span class="fs-zh">跳到正文</span><span class="fs-en">Skip to main content</span>`;
  skip.addEventListener("click", (e) => {
    const target = document.getElementById("observablehq-main");
    if (!target) return;
    e.preventDefault();
    target.focus({preventScroll: true});
    target.scrollIntoView();
  });
  document.body.prepend(skip);


  // The briefing: the overview and the city pages (what leadership briefs from).
  const lang = document.querySelector(".fs-header .fs-lang");
  if (lang && /^\/(index)?$|^\/cities\//.test(location.pathname.replace(/\.html$/, ""))) {
    const brief = document.createElement("button");
    brief.type = "button";
    brief.className = "fs-brief";
    brief.innerHTML = `<span class="fs-zh">导出简报<span class="fs-brief-long">（PDF）</span></span><span class="fs-en">Briefing<span class="fs-brief-long"> (PDF)</span></span>`;
    brief.addEventListener("click", () => window.print());
    lang.before(brief);
  }

  const line = document.createElement("div");
  line.className = "fs-print-meta";
  line.setAttribute("aria-hidden", "true");
  line.innerHTML = `<span class="fs-print-date"></span> · <span class="fs-print-url"></span> · <span class="fs-print-version"></span>`;
  (main ?? document.body).before(line);

  const style = document.createElement("style");
  style.id = "fs-print-page";
  document.head.append(style);

  refresh();
  // The URL changes with the language (?lang=en); the date is the moment of printing.
  document.addEventListener("fundsim:lang", () => setTimeout(refresh, 0));
  addEventListener("beforeprint", refresh);
  matchMedia("print").addEventListener?.("change", refresh);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
}
