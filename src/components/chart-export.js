// What a chart's export buttons (chart.js exportRow) write: the CSV with readable headers (中文 on
// the Chinese page) and money to the fen, and the PNG / SVG with a source line under the chart
// (data source · export date · the page's URL), so an image pasted into a briefing says where it
// comes from.
//
//   toCsv(rows, columns?, lang)            "\ufeff城市,年度,…"
//   pngWithSource(view, sourceLine(lang), font) → a PNG data URL;  svgWithSource(…) → SVG text
import {csvFormatRows} from "d3-dsv";
import {translator} from "./i18n.js";

// ---- CSV ------------------------------------------------------------------------------------------
// Columns the dashboards' rows carry, with readable headers [中文, English] and how a value is
// written: fen → yuan with exactly two decimals (from the integer fen, no float), yuan → 2 decimals
// (the fen), wan → 6 decimals (the fen), share → 4 decimals, int, text. A key not listed keeps its
// name and any fraction is cut to 6 decimals.
const CSV_COLUMNS = {
  city: ["城市代码", "City code", "text"],
  cityName: ["城市", "City", "text"],
  year: ["年度", "Year", "int"],
  component: ["项目代码", "Item code", "text"],
  componentName: ["项目", "Item", "text"],
  effectFen: ["对当期结余的影响（元，全市）", "Effect on the year's pooled balance (yuan; city total)", "fen"],
  yuanPerCapita: ["人均（元）", "Per insured (yuan)", "yuan"],
  point: ["时点代码", "Point code", "text"],
  pointName: ["时点", "Point", "text"],
  months: ["可支付月数", "Months of reserve", "num"],
  better: ["改革后不低于改革前", "After not below before", "text"],
  dimension: ["分组维度", "Dimension", "text"],
  group: ["分组", "Group", "text"],
  part: ["变化", "Change", "text"],
  share: ["人数占比", "Share of persons", "share"],
  persons: ["模拟人数", "Persons simulated", "int"],
  meanGain: ["人均所得变化（元）", "Mean gain (yuan)", "yuan"],
  p10: ["10%分位（元）", "10th percentile (yuan)", "yuan"],
  p50: ["中位数（元）", "Median (yuan)", "yuan"],
  p90: ["90%分位（元）", "90th percentile (yuan)", "yuan"],
  shareGaining: ["所得增加人数占比", "Share gaining", "share"],
  shareLosing: ["所得减少人数占比", "Share losing", "share"],
  shareUnchanged: ["基本不变人数占比", "Share unchanged", "share"],
  scheme: ["方案代码", "Scheme code", "text"],
  schemeName: ["方案", "Scheme", "text"],
  claims: ["人次（全市）", "Claims (city)", "int"],
  fundFen: ["统筹基金支付（元，全市）", "Paid by the pool (yuan; city)", "fen"],
  amountFen: ["医疗费用（元，全市）", "Spending (yuan; city)", "fen"],
  accountFen: ["个人账户支付（元，全市）", "Paid from accounts (yuan; city)", "fen"],
  cashFen: ["个人现金支付（元，全市）", "Paid in cash (yuan; city)", "fen"],
  fundPerClaim: ["每人次统筹支付（元）", "Pooled per claim (yuan)", "yuan"],
  line: ["项目代码", "Line code", "text"],
  lineName: ["项目", "Line", "text"],
  fen: ["金额（元，全市）", "Amount (yuan; city)", "fen"],
  perCapita: ["人均（元）", "Per insured (yuan)", "yuan"],
  exclusion: ["原因代码", "Reason code", "text"],
  reason: ["原因", "Reason", "text"],
  kinds: ["费用类型", "Kinds of claim", "text"],
  sampleClaims: ["人次（样本）", "Claims (sample)", "int"],
  sampleFen: ["金额（元，样本）", "Amount (yuan; sample)", "fen"],
  cityClaims: ["人次（全市）", "Claims (city)", "int"],
  cityFen: ["金额（元，全市）", "Amount (yuan; city)", "fen"],
  level: ["医疗机构级别代码", "Level code", "text"],
  levelName: ["医疗机构级别", "Facility level", "text"],
  status: ["人员类别代码", "Status code", "text"],
  statusName: ["人员类别", "Status", "text"],
  rateBp: ["支付比例（基点）", "Rate (basis points)", "int"],
  rate: ["支付比例", "Rate", "share"],
  // the what-if page's rows (whatif-charts.js)
  sample_fen: ["金额（元，样本）", "Amount (yuan; sample)", "fen"],
  city_wan: ["全市合计（万元）", "City total (10k yuan)", "wan"],
  code: ["分组代码", "Group code", "text"],
  side: ["方向", "Side", "text"],
  label: ["占比", "Share (text)", "text"],
  mean_gain_yuan: ["人均所得变化（元）", "Mean gain (yuan)", "yuan"],
  p10_yuan: ["10%分位（元）", "10th percentile (yuan)", "yuan"],
  p50_yuan: ["中位数（元）", "Median (yuan)", "yuan"],
  p90_yuan: ["90%分位（元）", "90th percentile (yuan)", "yuan"],
  decile: ["医疗费用十等分组", "Spending decile", "text"]
};
/** Chart-only fields (positions, sort keys, values in the chart's display unit): not in the CSV. */
const CSV_HIDDEN = new Set(["order", "partOrder", "x0", "x1", "mid", "x", "labelAt", "value", "fund", "account", "wan"]);

/** Integer fen → "1234.56" (yuan, exact, no grouping). */
function fenText(v) {
  const n = Math.round(Number(v));
  const neg = n < 0;
  const a = Math.abs(n);
  return `${neg ? "-" : ""}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}
const fixed = (v, d) => {
  const s = Number(v).toFixed(d);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
};

function csvValue(v, kind) {
  if (v === null || v === undefined) return "";
  if (typeof v === "bigint") return kind === "fen" ? fenText(Number(v)) : v.toString();
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "";
    if (kind === "fen") return fenText(v);
    if (kind === "yuan") return Number(v).toFixed(2);
    if (kind === "wan") return Number(v).toFixed(6);
    if (kind === "share") return fixed(v, 4);
    if (kind === "int") return String(Math.round(v));
    return Number.isInteger(v) ? String(v) : fixed(v, 6);
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * Rows as CSV text with a BOM (so spreadsheet programs read the Chinese correctly): readable headers
 * in the page's language, money to the fen, chart-only fields left out. `columns`: the keys to
 * write, in order (default: every key of the first row that is not chart-only).
 */
export function toCsv(rows, columns, lang = "zh") {
  const keys = columns ?? Object.keys(rows[0] ?? {}).filter((k) => !CSV_HIDDEN.has(k) && typeof rows[0][k] !== "function");
  const i = lang === "en" ? 1 : 0;
  const header = keys.map((k) => CSV_COLUMNS[k]?.[i] ?? k);
  const body = rows.map((r) => keys.map((k) => csvValue(r[k], CSV_COLUMNS[k]?.[2])));
  return "\ufeff" + csvFormatRows([header, ...body]);
}

// ---- the source line of exported images ------------------------------------------------------------
/** "数据来源：… · 导出于 2026-11-29 · <URL>": what an exported PNG or SVG carries under the chart. */
export function sourceLine(lang = "zh", source) {
  const t = translator(lang);
  const d = new Date();
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const what = source ?? t("数据来源：fundsim 职工医保门诊共济基金影响模拟（合成参保人，政策文件与参数见“方法与数据”）", "Source: fundsim outpatient mutual-aid fund simulation (synthetic insured; texts and parameters under Methods & data)");
  return `${what} · ${t("导出于", "exported")} ${day} · ${typeof location === "undefined" ? "" : location.href}`;
}

/** Split text into lines no wider than `max` px as `measure` measures them. */
function wrap(text, max, measure) {
  const lines = [];
  let line = "";
  for (const ch of text) {
    if (line && measure(line + ch) > max) {
      lines.push(line);
      line = ch.trim() ? ch : "";
    } else line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

const SOURCE_FONT_PX = 10;
const SOURCE_LINE_PX = 14;

/** The chart as a PNG data URL (2×) with the source line under it. */
export async function pngWithSource(view, line, font = "sans-serif") {
  const chart = await view.toCanvas(2);
  const scale = 2;
  const ctx0 = document.createElement("canvas").getContext("2d");
  ctx0.font = `${SOURCE_FONT_PX * scale}px ${font}`;
  const lines = wrap(line, chart.width - 12 * scale, (s) => ctx0.measureText(s).width);
  const out = document.createElement("canvas");
  out.width = chart.width;
  out.height = chart.height + (lines.length * SOURCE_LINE_PX + 8) * scale;
  const ctx = out.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(chart, 0, 0);
  ctx.fillStyle = "#555";
  ctx.font = `${SOURCE_FONT_PX * scale}px ${font}`;
  lines.forEach((l, k) => ctx.fillText(l, 6 * scale, chart.height + (k + 1) * SOURCE_LINE_PX * scale));
  return out.toDataURL("image/png");
}

/** The chart's SVG text with the source line (a <text> element) added under it. */
export async function svgWithSource(view, line, font = "sans-serif") {
  const text = await view.toSVG();
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  const w = Number(svg.getAttribute("width")) || 600;
  const h = Number(svg.getAttribute("height")) || 400;
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${SOURCE_FONT_PX}px ${font}`;
  const lines = wrap(line, w - 12, (s) => ctx.measureText(s).width);
  const extra = lines.length * SOURCE_LINE_PX + 8;
  const NS = "http://www.w3.org/2000/svg";
  const g = doc.createElementNS(NS, "g");
  g.setAttribute("class", "fs-source");
  const bg = doc.createElementNS(NS, "rect");
  for (const [k, v] of Object.entries({x: 0, y: h, width: w, height: extra, fill: "white"})) bg.setAttribute(k, String(v));
  g.append(bg);
  lines.forEach((l, k) => {
    const t = doc.createElementNS(NS, "text");
    for (const [a, v] of Object.entries({x: 6, y: h + (k + 1) * SOURCE_LINE_PX, fill: "#555", "font-size": SOURCE_FONT_PX, "font-family": font})) t.setAttribute(a, String(v));
    t.textContent = l;
    g.append(t);
  });
  svg.append(g);
  svg.setAttribute("height", String(h + extra));
  const vb = (svg.getAttribute("viewBox") ?? `0 0 ${w} ${h}`).split(/[ ,]+/).map(Number);
  svg.setAttribute("viewBox", `${vb[0]} ${vb[1]} ${vb[2]} ${vb[3] + extra}`);
  return new XMLSerializer().serializeToString(doc);
}

