// Charts that follow a slider: the first call in a slot embeds the vega-lite spec (as chart.js's
// vegaChart does: same theme, same figure, same PNG · SVG · CSV row); later calls with the same spec
// (apart from its rows), width and language only swap the rows of the view's "table" dataset and
// re-run the view — no re-parse, no new SVG tree — so a redraw costs milliseconds.
//
//   const figure = await liveChart("outflows", spec, {width, lang, filename, data: rows, run: out.id});
// The spec's data must be {name: "table"}; `data` holds the rows (drawn and downloaded as CSV).
import vegaEmbed from "vega-embed";
import {prepareSpec, toCsv} from "./chart.js";
import {translator} from "./i18n.js";

const slots = new Map(); // slot → {key, figure, view, rows, filename, columns}

function download(href, name) {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}

function downloadText(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function liveChart(slot, spec, {width, lang = "zh", filename = "chart", data = [], columns, run} = {}) {
  const key = JSON.stringify([spec, width, lang]);
  let entry = slots.get(slot);
  if (entry && entry.key === key) {
    entry.rows = data;
    entry.filename = filename;
    entry.view.data("table", data);
    await entry.view.runAsync();
    if (run !== undefined) entry.figure.dataset.run = String(run);
    return entry.figure;
  }
  entry?.view?.finalize();
  slots.delete(slot);

  const t = translator(lang);
  const figure = document.createElement("figure");
  figure.className = "fs-chart";
  const holder = document.createElement("div");
  figure.append(holder);
  let view;
  try {
    const full = {...spec, data: {name: "table", values: data}};
    view = (await vegaEmbed(holder, prepareSpec(full, {width, lang}), {mode: "vega-lite", renderer: "svg", actions: false, defaultStyle: true, tooltip: {theme: "light"}})).view;
  } catch (error) {
    console.error(error);
    const box = document.createElement("div");
    box.className = "fs-chart-error";
    box.textContent = `${t.key("chartError")}: ${error?.message ?? error}`;
    holder.replaceWith(box);
    return figure;
  }
  entry = {key, figure, view, rows: data, filename, columns};
  slots.set(slot, entry);
  const e = entry;
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
  button(t.key("exportPng"), async () => download(await e.view.toImageURL("png", 2), `${e.filename}.png`), "fs-export-png");
  button(t.key("exportSvg"), async () => downloadText(await e.view.toSVG(), `${e.filename}.svg`, "image/svg+xml"), "fs-export-svg");
  button(t.key("downloadCsv"), () => downloadText(toCsv(e.rows, e.columns), `${e.filename}.csv`, "text/csv;charset=utf-8"), "fs-export-csv");
  figure.append(row);
  if (run !== undefined) figure.dataset.run = String(run);
  return figure;
}

/** Forget every live chart (their views are finalised). */
export function disposeLiveCharts() {
  for (const e of slots.values()) e.view.finalize();
  slots.clear();
}
