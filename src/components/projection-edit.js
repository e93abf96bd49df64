// The projection page's assumptions editor (src/projection.md): the central values of one city's
// assumptions, edited, checked against their ranges, kept in the URL, reset, saved as an assumptions
// file. The worker's paths under them are projection-edited.js; the goal-seek form, which runs
// under them, projection-seek.js.
//
//   const panel = assumptionsPanel(C, {url: true});    // an input: panel.value = {params, dists, edits, changed, invalid}
//   const edited = Generators.input(panel);
//
// The panel is built once per city with both languages in the DOM (bi(), class fs-zh / fs-en), so
// toggling the language keeps the reader's edits. With {url: true} the edits live in the page's URL
// (?a.costTrend=6: the number typed, display units), so a link reopens the same view; a value the
// page cannot use is named in a note and left out, never computed. C is one city of
// data/projection.json.
import {bi, download, el} from "./dom.js";
import {trueMinus} from "./format.js";
import {cityName} from "./cities.js";
import {urlNumbers, writeUrlNumbers} from "./url-state.js";
import {paramLabel, paramValue} from "./projection.js";
import {assumptionsYaml, displayOf, EDIT_SPECS, editedDists, editedKeys, editedParams} from "./projection-files.js";
// The ranges are the model's own table (src/model/assumption-ranges.ts, which the assumptions loader
// checks files against and the projection model's bundle exports): one table, so the editor accepts
// exactly what `fundsim project --assumptions` accepts.
import {ASSUMPTION_RANGES, displayRange} from "../model/assumption-ranges.js";

/** Why a typed number (display units: rates in percent) cannot be used, or null: [中文, English]. */
function rangeProblem(key, display) {
  if (!ASSUMPTION_RANGES[key]) return ["未知参数", "unknown parameter"];
  if (typeof display !== "number" || !Number.isFinite(display)) return ["请输入数字", "enter a number"];
  const {min, max, unit} = displayRange(key);
  const u = unit === "%" ? "%" : unit === "months" ? " 个月" : unit === "years" ? " 年" : "";
  const ue = unit === "%" ? "%" : unit === "months" ? " months" : unit === "years" ? " years" : "";
  const [lo, hi] = [trueMinus(String(min)), trueMinus(String(max))];
  if (display < min || display > max) return [`应在 ${lo}${u} 至 ${hi}${u} 之间`, `must be from ${lo}${ue} to ${hi}${ue}`];
  return null;
}


/** The URL parameters of the edited assumptions: ?a.<key>=<number typed>. */
export const EDIT_PREFIX = "a.";

/**
 * The edits a link carries for one city's assumptions: {edits: {key: number typed}, problems:
 * [[中文, English]]}: each parameter that is not a number, not an assumption of the page or out of
 * its range is a problem and left out.
 */
export function urlEdits(rows, search = typeof location === "undefined" ? "" : location.search) {
  const {values, bad} = urlNumbers(EDIT_PREFIX, search);
  const known = new Set(rows.map((r) => r.key));
  const edits = Object.create(null);
  const problems = bad.map(({key, asked}) => [`链接中的 ${EDIT_PREFIX}${key}=${asked} 不是数字，已忽略`, `The link's ${EDIT_PREFIX}${key}=${asked} is not a number: ignored`]);
  for (const [key, x] of Object.entries(values)) {
    const p = known.has(key) ? rangeProblem(key, x) : ["不是本页可修改的假设", "not an assumption this page edits"];
    if (p) problems.push([`链接中的 ${EDIT_PREFIX}${key}=${x} ${p[0]}，已忽略`, `The link's ${EDIT_PREFIX}${key}=${x}: ${p[1]}; ignored`]);
    else edits[key] = x;
  }
  return {edits, problems};
}

// The URL's edits belong to the view the link opened: the first panel takes them; a panel built
// after the reader changes city starts from the files, as before (and clears them from the URL).
let urlEditsTaken = false;

const unitText = (unit) => (unit === "months" ? bi("个月", "months") : unit === "years" ? bi("年", "years") : unit);

// ---- the assumptions panel -------------------------------------------------------------------------

/** The editable central values of one city's assumptions, with reset and a YAML download. */
export function assumptionsPanel(C, {debounce = 250, url = false} = {}) {
  const rows = C.assumptions;
  const fromUrl = url && !urlEditsTaken ? urlEdits(rows) : {edits: {}, problems: []};
  if (url) urlEditsTaken = true;
  // key → the number typed (valid ones only). The keys are the build's assumption names, not the
  // reader's; the object has no prototype all the same, so no key reaches one (issue 11).
  const edits = Object.create(null);
  const bad = new Set();
  const root = el("div", {class: "pj-panel", "data-city": C.city});
  // The inner inputs' own events stop here: a listener on the panel hears one "input" per settled
  // change, dispatched by emit().
  root.addEventListener("input", (e) => e.target !== root && e.stopImmediatePropagation());
  root.addEventListener("change", (e) => e.target !== root && e.stopImmediatePropagation());

  const status = el("span", {class: "pj-status", role: "status"});
  const reset = el("button", {type: "button", class: "pj-reset", onclick: () => resetAll()}, bi("恢复文件默认值", "Reset to the files' values"));
  const save = el(
    "button",
    {type: "button", class: "pj-save-assumptions", onclick: () => download(assumptionsYaml(C.city, rows, edits, `${cityName(C.city, "zh")} ${cityName(C.city, "en")}`), `assumptions-${C.city}.yaml`, "text/yaml;charset=utf-8")},
    bi("下载假设文件（YAML）", "Download the assumptions (YAML)")
  );
  const items = new Map();
  const params = el(
    "div",
    {class: "pj-params"},
    rows.map((r) => {
      const spec = EDIT_SPECS[r.key];
      const range = displayRange(r.key);
      const fileDisplay = displayOf(r.key, r.value);
      const input = el("input", {type: "number", name: r.key, step: spec.step, min: range.min, max: range.max, value: fileDisplay, "aria-label": [paramLabel(r.key, "zh"), paramLabel(r.key, "en")]});
      const undo = el("button", {type: "button", class: "pj-undo", title: ["恢复文件值", "Back to the file's value"], "aria-label": [`${paramLabel(r.key, "zh")}：恢复文件值`, `${paramLabel(r.key, "en")}: back to the file's value`], disabled: true, onclick: () => ((input.value = String(fileDisplay)), typed(r.key))}, "↺");
      const problem = el("span", {class: "pj-problem"});
      const item = el(
        "div",
        {class: "pj-param", "data-key": r.key},
        el("label", {class: "pj-label", for: `pj-${C.city}-${r.key}`}, bi(paramLabel(r.key, "zh"), paramLabel(r.key, "en"))),
        el("div", {class: "pj-row"}, input, el("span", {class: "pj-unit"}, unitText(spec.unit)), undo),
        el("span", {class: "pj-file"}, bi(`文件值 ${paramValue(r.key, r.value, "zh")} · 评级 ${r.rating}`, `file: ${paramValue(r.key, r.value, "en")} · rating ${r.rating}`)),
        problem
      );
      input.id = `pj-${C.city}-${r.key}`;
      input.addEventListener("input", () => typed(r.key));
      items.set(r.key, {input, undo, problem, item, fileDisplay});
      return item;
    })
  );
  const urlNote = el(
    "div",
    {class: "fs-note fs-warn pj-url-problem", role: "status", hidden: fromUrl.problems.length ? null : true},
    fromUrl.problems.map(([zh, en]) => el("div", {}, ...bi(`${zh}。`, `${en}.`)))
  );
  root.append(el("div", {class: "pj-toolbar"}, reset, save, status), urlNote, params);

  // The panel's value: the parameters to project with and the distributions the goal-seek's Monte
  // Carlo draws from (both as the saved assumptions file gives them to `fundsim project`).
  const state = () => ({params: editedParams(rows, edits), dists: editedDists(rows, edits), edits: {...edits}, changed: editedKeys(rows, edits), invalid: 0});

  let timer = null;
  function typed(key) {
    const it = items.get(key);
    const text = it.input.value.trim();
    const d = text === "" ? NaN : Number(text);
    const p = rangeProblem(key, d);
    it.problem.replaceChildren(...(p ? bi(p[0], p[1]) : []));
    if (p) {
      bad.add(key);
      it.item.setAttribute("data-invalid", "");
    } else {
      bad.delete(key);
      it.item.removeAttribute("data-invalid");
      if (d === it.fileDisplay) delete edits[key];
      else edits[key] = d;
    }
    mark();
    clearTimeout(timer);
    // An invalid box holds the recompute, and the goal-seek form refuses to run until it is fixed.
    root.value = {...root.value, invalid: bad.size};
    if (!bad.size) timer = setTimeout(emit, debounce);
  }

  function resetAll() {
    for (const [key, it] of items) {
      it.input.value = String(it.fileDisplay);
      it.problem.replaceChildren();
      it.item.removeAttribute("data-invalid");
      delete edits[key];
    }
    bad.clear();
    mark();
    clearTimeout(timer);
    emit();
  }

  function mark() {
    const changed = editedKeys(rows, edits);
    for (const [key, it] of items) {
      it.item.toggleAttribute("data-changed", changed.includes(key));
      it.undo.disabled = !changed.includes(key) && !bad.has(key);
    }
    status.dataset.state = bad.size ? "invalid" : changed.length ? "edited" : "files";
    status.replaceChildren(
      ...(bad.size
        ? bi(`有 ${bad.size} 项输入无效，未重新计算`, `${bad.size} invalid input${bad.size > 1 ? "s" : ""}: not recomputed`)
        : changed.length
          ? bi(`已修改 ${changed.length} 项：${changed.map((k) => paramLabel(k, "zh")).join("、")}`, `${changed.length} edited: ${changed.map((k) => paramLabel(k, "en")).join(", ")}`)
          : bi("与假设文件相同", "as in the assumptions files"))
    );
  }

  function emit() {
    root.value = state();
    if (url) writeUrlNumbers(EDIT_PREFIX, edits);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // The link's edits, as if typed (the file's own value is no edit).
  for (const [key, d] of Object.entries(fromUrl.edits)) {
    const it = items.get(key);
    it.input.value = String(d);
    if (d !== it.fileDisplay) edits[key] = d;
  }
  root.value = state();
  if (url) writeUrlNumbers(EDIT_PREFIX, edits);
  mark();
  return root;
}
