// vegaChart(spec, {width, lang, filename, data, invalidation}) → a <figure> holding a vega-lite
// chart (rendered by vega-embed from node_modules, SVG) and a button row under it:
// 导出PNG · 导出SVG · 下载CSV. One zh-CN theme for every chart; system fonts only.
//
//   import {vegaChart} from "./components/chart.js";
//   display(await vegaChart(spec, {width, lang, filename: "rates", invalidation}));
//
// The CSV is `data` when given, else the spec's inline data (spec.data.values), else the first
// dataset the view holds. Rendering failures show a red box (class fs-chart-error), which the
// browser test treats as a failed page.
import vegaEmbed from "vega-embed";
import {translator} from "./i18n.js";
import {pngWithSource, sourceLine, svgWithSource, toCsv} from "./chart-export.js";
import {download, downloadHref} from "./dom.js";

export const FONT = '"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

/** Colours: status and scheme pairs stay recognisable across pages. */
export const COLORS = {
  active: "#1f5fa8",
  retired: "#d9822b",
  flexible: "#5b9e5b",
  reform: "#1f5fa8",
  baseline: "#9aa5b1",
  category: ["#1f5fa8", "#d9822b", "#5b9e5b", "#b5495b", "#7a5ea8", "#3d9da1", "#a88b2a", "#6b6b6b"]
};

const ZH_NUMBER = {decimal: ".", thousands: ",", grouping: [3], currency: ["¥", ""]};
const ZH_TIME = {
  dateTime: "%Y年%-m月%-d日 %A %X",
  date: "%Y年%-m月%-d日",
  time: "%H:%M:%S",
  periods: ["上午", "下午"],
  days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
  shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
  months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
  shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]
};
const EN_NUMBER = {decimal: ".", thousands: ",", grouping: [3], currency: ["¥", ""]};

/** The shared vega-lite config (spec.config entries override it). */
export function theme(lang = "zh") {
  return {
    font: FONT,
    background: "white",
    padding: 6,
    locale: lang === "en" ? {number: EN_NUMBER} : {number: ZH_NUMBER, time: ZH_TIME},
    view: {stroke: null},
    title: {font: FONT, fontSize: 14, fontWeight: 600, anchor: "start", color: "#222", subtitleColor: "#666", subtitleFontSize: 12},
    axis: {
      labelFont: FONT,
      titleFont: FONT,
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 500,
      titleColor: "#444",
      labelColor: "#555",
      gridColor: "#ebebeb",
      domainColor: "#999",
      tickColor: "#999"
    },
    legend: {labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, orient: "top"},
    header: {labelFont: FONT, titleFont: FONT, labelFontSize: 12, titleFontSize: 12, titleFontWeight: 500},
    text: {font: FONT},
    range: {category: COLORS.category},
    bar: {discreteBandSize: {band: 0.8}},
    line: {strokeWidth: 2},
    point: {size: 40}
  };
}

function isPlainObject(x) {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}
function merge(base, over) {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out = {...base};
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

const COMPOSITE = ["facet", "hconcat", "vconcat", "concat", "repeat"];

/** A title's text: a string, lines, or a title object's text. */
const titleText = (title) => {
  const text = title && typeof title === "object" && !Array.isArray(title) ? title.text : title;
  return Array.isArray(text) ? text.join(" ") : typeof text === "string" ? text : "";
};

/** The chart's text alternative when its spec gives none: "图表：title，subtitle" in the page's language. */
export function chartDescription(spec, lang = "zh") {
  const t = translator(lang);
  const title = titleText(spec.title);
  const subtitle = spec.title && typeof spec.title === "object" && !Array.isArray(spec.title) ? titleText(spec.title.subtitle) : "";
  const parts = [title, subtitle].filter(Boolean).join(t("，", ", "));
  return parts ? t(`图表：${parts}`, `Chart: ${parts}`) : t("图表", "Chart");
}

/** The spec as rendered: theme merged in, the width filled for single views. */
export function prepareSpec(spec, {width, lang = "zh"} = {}) {
  const out = {...spec, config: merge(theme(lang), spec.config ?? {})};
  const composite = COMPOSITE.some((k) => k in spec) || (spec.encoding && (spec.encoding.row || spec.encoding.column || spec.encoding.facet));
  if (out.description === undefined) out.description = chartDescription(spec, lang);
  // Long titles are cut with an ellipsis rather than overflow a narrow chart.
  if (width && out.title !== undefined) {
    const title = typeof out.title === "string" || Array.isArray(out.title) ? {text: out.title} : out.title;
    out.title = {limit: Math.max(120, Math.floor(width) - 24), ...title};
  }
  if (!composite && out.width === undefined && width) {
    out.width = Math.max(120, Math.floor(width) - 12);
    out.autosize = out.autosize ?? {type: "fit-x", contains: "padding"};
  }
  return out;
}


function tableRows(spec, view, data) {
  if (Array.isArray(data)) return data;
  if (spec.data && Array.isArray(spec.data.values)) return spec.data.values;
  if (Array.isArray(spec.datasets ? Object.values(spec.datasets)[0] : null)) return Object.values(spec.datasets)[0];
  try {
    return view.data("source_0") ?? [];
  } catch {
    return [];
  }
}

/** Embed a vega-lite spec in a new figure; on failure the figure shows an error box and view is null. */
export async function embedChart(spec, {width, lang = "zh", filename = "chart"} = {}) {
  const figure = document.createElement("figure");
  figure.className = "fs-chart";
  const holder = document.createElement("div");
  figure.append(holder);
  try {
    const result = await vegaEmbed(holder, prepareSpec(spec, {width, lang}), {
      mode: "vega-lite",
      renderer: "svg",
      actions: false, // exportRow replaces vega-embed's menu (whose editor link leaves the site)
      defaultStyle: true,
      downloadFileName: filename,
      tooltip: {theme: "light"}
    });
    // What a screen reader reads of a chart is its container: the role (vega-view names it in
    // English, "visualization") and the localised text alternative (`description`, prepareSpec).
    // vega's own ARIA inside the SVG is English ("X-axis titled … for a linear scale", "rect mark
    // container"): hidden from assistive technology, like the drawing itself.
    holder.setAttribute("aria-roledescription", translator(lang)("图表", "chart"));
    holder.querySelector("svg")?.setAttribute("aria-hidden", "true");
    return {figure, view: result.view};
  } catch (error) {
    console.error(error);
    const box = document.createElement("div");
    box.className = "fs-chart-error";
    box.textContent = `${translator(lang).key("chartError")}: ${error?.message ?? error}`;
    holder.replaceWith(box);
    return {figure, view: null};
  }
}

/** The PNG · SVG · CSV row under a chart; `current()` gives {view, filename, rows, columns, source?} at
 *  click time. Images carry the source line (sourceLine), CSVs readable headers (toCsv). */
export function exportRow(lang, current) {
  const t = translator(lang);
  const row = document.createElement("div");
  row.className = "fs-chart-actions";
  const button = (label, action, cls) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    b.addEventListener("click", action);
    row.append(b);
  };
  button(t.key("exportPng"), async () => { const c = current(); downloadHref(await pngWithSource(c.view, sourceLine(lang, c.source), FONT), `${c.filename}.png`); }, "fs-export-png");
  button(t.key("exportSvg"), async () => { const c = current(); download(await svgWithSource(c.view, sourceLine(lang, c.source), FONT), `${c.filename}.svg`, "image/svg+xml"); }, "fs-export-svg");
  button(t.key("downloadCsv"), () => { const c = current(); download(toCsv(c.rows, c.columns, lang), `${c.filename}.csv`, "text/csv;charset=utf-8"); }, "fs-export-csv");
  return row;
}

/**
 * Render a vega-lite spec. Options: width (page width, e.g. Framework's `width`), lang ("zh"|"en"),
 * filename (export base name), data (rows for the CSV), columns (CSV column order), source (the
 * exported images' data-source text, default: the simulation), caption
 * (text under the chart), invalidation (Framework's promise: the view is finalised on re-run).
 */
export async function vegaChart(spec, {width, lang = "zh", filename = "chart", data, columns, source, caption, invalidation} = {}) {
  const {figure, view} = await embedChart(spec, {width, lang, filename});
  if (!view) return figure;
  if (invalidation) invalidation.then(() => view.finalize());
  figure.append(exportRow(lang, () => ({view, filename, rows: tableRows(spec, view, data), columns, source})));
  if (caption) {
    const c = document.createElement("figcaption");
    c.className = "fs-chart-caption";
    c.textContent = caption;
    figure.append(c);
  }
  return figure;
}
