// Charts that follow a slider: the first call in a slot embeds the vega-lite spec (as chart.js's
// vegaChart does: same theme, same figure, same PNG · SVG · CSV row); later calls with the same spec
// (apart from its rows), width and language only swap the rows of the view's "table" dataset and
// re-run the view — no re-parse, no new SVG tree — so a redraw costs milliseconds.
//
//   const figure = await liveChart("outflows", spec, {width, lang, filename, data: rows, run: out.id});
// The spec's data must be {name: "table"}; `data` holds the rows (drawn and downloaded as CSV).
import {embedChart, exportRow} from "./chart.js";

const slots = new Map(); // slot → {key, figure, view, rows, filename, columns}

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

  const {figure, view} = await embedChart({...spec, data: {name: "table", values: data}}, {width, lang, filename});
  if (!view) return figure;
  entry = {key, figure, view, rows: data, filename, columns};
  slots.set(slot, entry);
  const e = entry;
  figure.append(exportRow(lang, () => e));
  if (run !== undefined) figure.dataset.run = String(run);
  return figure;
}

/** Forget every live chart (their views are finalised). */
export function disposeLiveCharts() {
  for (const e of slots.values()) e.view.finalize();
  slots.clear();
}
