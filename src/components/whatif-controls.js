// The what-if page's control panel: city and year, a slider (with a number box) or a menu for every
// tunable parameter of the city's reform, save / load a scenario file, a shareable link, undo /
// redo (whatif-history.js). Each city keeps its own edits while another city is shown. A number
// box holding something that is not a valid value shows the error beside it and is not computed
// (the panel's value lists it under `invalid`; the results say they are not up to date).
//
//   const controls = whatIfControls({policies, model, initial: readWhatIfUrl(location.search, policies, model)});
//   const state = Generators.input(controls);   // {city, year, scenario, edits, changed, invalid}
//   controls.markProblems(problems)              // the rules' objections, beside the fields they name
//
// Labels are written in both languages (class fs-zh / fs-en), so the panel is built once and keeps
// its state when the reader switches language. The scenario is the format `fundsim run --scenario`
// reads (src/model/policy-schema.ts scenarioSchema), built by scenarioFromEdits (src/model/scenario-edits.ts).
import {parse as parseYaml, stringify as stringifyYaml} from "yaml";
import {showValue} from "../model/limits.js";
import {currentLang, LANG_EVENT} from "./i18n.js";
import {cityName} from "./cities.js";
import {el, bi, download} from "./dom.js";
import {cite, refZh} from "./cite.js";
import {noteAttr} from "./notes.js";
import {copy, EditHistory} from "./whatif-history.js";


/** The year a page shows unless asked otherwise: the latest simulated (as the overview and city pages). */
export function defaultYear(years) {
  return Math.max(...years);
}

/**
 * The city, year and scenario a URL asks for: ?city=ganzhou&year=2023&s=<encoded scenario>. What
 * the page cannot use is named in `problems` (an unknown city or year, a scenario that does not
 * decode, is not valid, or names a path through __proto__ — src/model/scenario-path.ts); the page
 * then shows the first city, its latest year (defaultYear), no scenario.
 */
export function readWhatIfUrl(search, policies, model) {
  const q = new URLSearchParams(search);
  const cities = policies.cities.map((c) => c.city);
  const problems = [];
  const askedCity = q.get("city");
  if (askedCity !== null && !cities.includes(askedCity)) problems.push(`link: city: must be one of ${cities.map((c) => `"${c}"`).join(", ")}, got ${showValue(askedCity)}`);
  const out = {city: cities.includes(askedCity) ? askedCity : cities[0], year: policies.years[0], base: null, problems};
  const c = policies.cities.find((x) => x.city === out.city);
  const askedYear = q.get("year");
  if (askedYear !== null && !c.years.includes(Number(askedYear))) problems.push(`link: year: must be one of ${c.years.join(", ")} for ${out.city}, got ${showValue(askedYear)}`);
  out.year = c.years.includes(Number(askedYear)) ? Number(askedYear) : defaultYear(c.years);
  const s = q.get("s");
  if (s) {
    try {
      const raw = model.decodeScenarioParam(s);
      const scenario = model.parseScenario({...raw, city: out.city}, "link");
      model.schemeForScenario(compiled(model, c), scenario, "link");
      out.base = scenario;
    } catch (e) {
      problems.push(...(e instanceof model.PolicyError ? e.problems.map((p) => `${e.source}: ${p}`) : [`link: ${e.message}`]));
    }
  }
  return out;
}

const policyCache = new WeakMap();
/** A city's policy compiled from its shipped data (once). */
function compiled(model, cityEntry) {
  let p = policyCache.get(cityEntry);
  if (!p) policyCache.set(cityEntry, (p = model.compilePolicy(cityEntry.raw, `src/policies/${cityEntry.city}.yaml`)));
  return p;
}


const same = (a, b) => a === b || (typeof a === "number" && typeof b === "number" && Math.abs(a - b) < 1e-9);

/**
 * What is wrong with a number box's text for a parameter, as [中文, English], or null. Rates are
 * 0–100 % (an adjustment −100 to 100 %), yuan amounts not negative, both to the fen / 0.01 %.
 * The rules (src/model) check more (e.g. a cap below its deductible): those problems come back
 * from the worker and are shown beside the field they name (markProblems).
 */
export function fieldError(t, {value, badInput = false}) {
  const text = String(value ?? "").trim();
  if (badInput) return ["不是有效数字", "not a number"];
  if (text === "") return ["请输入数值（或点 ↺ 恢复改革方案取值）", "enter a number (or ↺ for the reform's value)"];
  const v = Number(text);
  if (!Number.isFinite(v)) return [`不是有效数字：${text}`, `not a number: ${text}`];
  if (t.kind === "percent") {
    const lo = (t.min ?? 0) < 0 ? -100 : 0;
    if (v < lo || v > 100) return [`应在 ${lo}%–100% 之间，输入为 ${text}%`, `must be from ${lo}% to 100%, got ${text}%`];
  } else if (v < 0) return [`不能为负数，输入为 ${text} 元`, `cannot be negative, got ${text} yuan`];
  if (Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) return [`最多两位小数，输入为 ${text}`, `at most two decimals, got ${text}`];
  return null;
}

/** The file text of a scenario: YAML with a comment saying how to run it, or JSON. */
export function scenarioFileText(scenario, {year, format = "yaml"}) {
  if (format === "json") return JSON.stringify(scenario, null, 2) + "\n";
  return (
    `# fundsim scenario — ${cityName(scenario.city, "zh")} ${cityName(scenario.city, "en")}, saved from the what-if page (情景分析) for ${year}\n` +
    `# Run: node bin/fundsim.js run --city ${scenario.city} --year ${year} --scenario <this file> --out <dir>\n` +
    stringifyYaml(scenario, {lineWidth: 0})
  );
}

export function whatIfControls({policies, model, initial}) {
  // memory: the other cities' {year, base, edits, name}, kept while this city is shown.
  const state = {city: initial.city, year: initial.year, base: initial.base, edits: {}, name: initial.base?.name ?? "", memory: {}};
  const invalid = {}; // path → [zh, en]: a number box whose text is not a valid value (not computed)
  const steps = new EditHistory(); // (not `history`: that name is the page's History, used by writeUrl)
  const root = el("div", {class: "wi-controls"});
  // The inner inputs' own events stop here: listeners on the panel hear one "input" per change,
  // dispatched by emit() once the scenario is up to date.
  root.addEventListener("input", (e) => e.target !== root && e.stopImmediatePropagation());
  root.addEventListener("change", (e) => e.target !== root && e.stopImmediatePropagation());
  const cityEntry = () => policies.cities.find((c) => c.city === state.city);

  // ---- city and year ----------------------------------------------------------------------------
  const cityButtons = el(
    "div",
    {class: "wi-cities", role: "group", "aria-label": ["城市", "City"]},
    policies.cities.map((c) =>
      el("button", {type: "button", "data-city": c.city, "aria-pressed": String(c.city === state.city), onclick: () => switchCity(c.city)}, bi(c.name.zh, c.name.en))
    )
  );
  const yearSelect = el("select", {class: "wi-year", name: "year", onchange: () => (remember(), (state.year = Number(yearSelect.value)), rebuild())});
  const place = el("div", {class: "wi-place"}, cityButtons, el("label", {class: "wi-year-label"}, bi("模拟年度", "Year"), yearSelect));

  // ---- toolbar ------------------------------------------------------------------------------------
  const nameInput = el("input", {type: "text", class: "wi-name", name: "name", placeholder: ["情景名称", "Scenario name"], "aria-label": ["情景名称", "Scenario name"], oninput: () => (remember("name"), (state.name = nameInput.value.trim()), emit())});
  const fileInput = el("input", {type: "file", accept: ".yaml,.yml,.json", class: "wi-file", hidden: true, "aria-label": ["载入情景文件", "Load a scenario file"], onchange: () => fileInput.files[0] && loadFile(fileInput.files[0])});
  const undoButton = el("button", {type: "button", class: "wi-undo", title: ["撤销（Ctrl+Z）", "Undo (Ctrl+Z)"], disabled: true, onclick: () => undo()}, bi("↶ 撤销", "↶ Undo"));
  const redoButton = el("button", {type: "button", class: "wi-redo", title: ["重做（Ctrl+Shift+Z 或 Ctrl+Y）", "Redo (Ctrl+Shift+Z or Ctrl+Y)"], disabled: true, onclick: () => redo()}, bi("↷ 重做", "↷ Redo"));
  const toolbar = el(
    "div",
    {class: "wi-toolbar"},
    undoButton,
    redoButton,
    el("button", {type: "button", class: "wi-reset-all", onclick: () => (remember(), resetAll())}, bi("恢复改革方案", "Reset to the reform")),
    el("button", {type: "button", class: "wi-save-yaml", onclick: () => save("yaml")}, bi("保存YAML", "Save YAML")),
    el("button", {type: "button", class: "wi-save-json", onclick: () => save("json")}, bi("保存JSON", "Save JSON")),
    el("button", {type: "button", class: "wi-load", onclick: () => fileInput.click()}, bi("载入情景文件", "Load a scenario")),
    el("button", {type: "button", class: "wi-copy-link", onclick: () => copyLink()}, bi("复制链接", "Copy link")),
    fileInput
  );
  const messages = el("div", {class: "wi-messages", role: "status"});
  const baseNote = el("div", {class: "wi-base"});
  const params = el("div", {class: "wi-params"});
  root.append(place, el("div", {class: "wi-name-row"}, nameInput), toolbar, messages, baseNote, params);

  let tunables = [];
  let defaults = {}; // the reform as written, on 1 January of the year
  let baseValues = {}; // under the loaded scenario (= defaults without one)
  const rows = new Map(); // path → {t, set(v), mark()}

  function valuesOf(scheme) {
    const out = {};
    for (const t of tunables) out[t.path] = model.tunableValue(scheme, t, `${state.year}-01-01`);
    return out;
  }

  function current(path) {
    return Object.hasOwn(state.edits, path) ? state.edits[path] : baseValues[path];
  }

  function say(kind, lines) {
    messages.replaceChildren(...lines.map((l) => el("div", {class: `wi-msg wi-${kind}`}, l)));
  }

  // ---- history: undo / redo, and each city's edits -------------------------------------------------
  function snapshot() {
    return copy({city: state.city, year: state.year, base: state.base, edits: state.edits, name: state.name, memory: state.memory});
  }
  /** Record the state before a change (`key`: changes with the same key in quick succession are one step). */
  function remember(key) {
    steps.record(snapshot(), key);
    updateHistoryButtons();
  }
  function restore(snap) {
    // The field in focus is drawn again: focus its successor, so the keyboard stays in the panel.
    const focused = root.contains(document.activeElement) ? document.activeElement.getAttribute("name") : null;
    Object.assign(state, copy(snap));
    for (const k of Object.keys(invalid)) delete invalid[k];
    nameInput.value = state.name;
    say("info", []);
    rebuild();
    updateHistoryButtons();
    if (focused) root.querySelector(`[name="${CSS.escape(focused)}"]`)?.focus();
  }
  function undo() {
    const s = steps.undo(snapshot());
    if (s) restore(s);
  }
  function redo() {
    const s = steps.redo(snapshot());
    if (s) restore(s);
  }
  function updateHistoryButtons() {
    undoButton.disabled = !steps.canUndo;
    redoButton.disabled = !steps.canRedo;
  }
  // Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) while the focus is in the controls, or nowhere (an undo redraws
  // the rows, so the focused field goes and the focus falls back to the page's body); a text field
  // keeps its own undo.
  const onKey = (e) => {
    if (!root.isConnected) return;
    if (!(e.ctrlKey || e.metaKey) || e.target === nameInput) return;
    if (!(root.contains(e.target) || e.target === document.body)) return;
    const k = e.key.toLowerCase();
    if (k === "z" && !e.shiftKey) (e.preventDefault(), undo());
    else if ((k === "z" && e.shiftKey) || k === "y") (e.preventDefault(), redo());
  };
  document.addEventListener("keydown", onKey);

  function switchCity(city) {
    if (city === state.city) return;
    remember();
    // This city's edits stay for when the reader comes back to it.
    state.memory[state.city] = {year: state.year, base: state.base, edits: state.edits, name: state.name};
    const back = state.memory[city];
    delete state.memory[city];
    state.city = city;
    state.year = back?.year ?? state.year;
    state.base = back?.base ?? null;
    state.edits = back?.edits ?? {};
    state.name = back?.name ?? "";
    nameInput.value = state.name;
    for (const k of Object.keys(invalid)) delete invalid[k];
    say("info", []);
    rebuild();
  }

  function resetAll() {
    state.base = null;
    state.edits = {};
    state.name = "";
    nameInput.value = "";
    say("info", []);
    rebuild();
  }

  /** Rebuild the parameter rows for the city and year (keeping edits and the loaded scenario). */
  function rebuild() {
    const c = cityEntry();
    // The rows are drawn again from the state: a number box's invalid text goes with them.
    for (const k of Object.keys(invalid)) delete invalid[k];
    for (const b of cityButtons.children) b.setAttribute("aria-pressed", String(b.dataset.city === state.city));
    yearSelect.replaceChildren(...c.years.map((y) => el("option", {value: y, selected: y === state.year}, String(y))));
    if (!c.years.includes(state.year)) state.year = defaultYear(c.years);
    yearSelect.value = String(state.year);
    tunables = c.tunables;
    const policy = compiled(model, c);
    defaults = valuesOf(policy.reform);
    baseValues = defaults;
    if (state.base) {
      try {
        baseValues = valuesOf(model.schemeForScenario(policy, {...state.base, city: state.city}, "scenario"));
      } catch (e) {
        say("error", e instanceof model.PolicyError ? e.problems.map((p, k) => bi(e.problemsZh[k], p)) : [e.message]);
        state.base = null;
      }
    }
    renderBase();
    renderParams(c);
    emit();
  }

  function renderBase() {
    const b = state.base;
    if (!b) return baseNote.replaceChildren();
    const amend = b.amend ?? [];
    baseNote.replaceChildren(
      el(
        "div",
        {class: "wi-base-title"},
        bi("已载入情景：", "Loaded scenario: "),
        el("strong", {}, b.name ?? "—"),
        b.description ? el("div", {class: "wi-base-desc"}, b.description) : null
      ),
      amend.length
        ? el(
            "div",
            {class: "wi-base-amend"},
            bi(`分期调整（滑块显示${state.year}年1月1日的取值）：`, `Dated amendments (sliders show the values on 1 January ${state.year}):`),
            el("ul", {}, amend.map((a) => el("li", {}, `${a.from}: `, Object.entries(a.set).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("; "))))
          )
        : null
    );
  }

  function renderParams(c) {
    rows.clear();
    const groups = new Map();
    for (const t of tunables) {
      if (!groups.has(t.group)) groups.set(t.group, {zh: t.groupZh, en: t.groupEn, items: []});
      groups.get(t.group).items.push(t);
    }
    const raw = c.raw.reform;
    params.replaceChildren(
      ...[...groups].map(([id, g]) => {
        const count = el("span", {class: "wi-count"});
        const details = el(
          "details",
          {class: "wi-group", "data-group": id, open: id !== "coverage"},
          el("summary", {}, bi(g.zh, g.en), count),
          g.items.map((t) => paramRow(t, raw))
        );
        details.updateCount = () => {
          const n = g.items.filter((t) => !same(current(t.path), defaults[t.path])).length;
          count.textContent = n ? ` · ${n}` : "";
        };
        return details;
      })
    );
    markAll();
  }

  function markAll() {
    for (const r of rows.values()) r.mark();
    for (const d of params.children) d.updateCount?.();
  }

  function datedText(raw, t) {
    let node = raw;
    for (const k of t.param.split(".")) node = node !== null && typeof node === "object" && Object.hasOwn(node, k) ? node[k] : undefined;
    if (!node?.values) return "";
    return Object.entries(node.values)
      .map(([d, v]) => `${d}: ${JSON.stringify(v)}`)
      .join("; ");
  }

  function setEdit(path, v) {
    remember(`edit:${path}`);
    clearInvalid(path);
    if (same(v, baseValues[path])) delete state.edits[path];
    else state.edits[path] = v;
    rows.get(path)?.mark();
    for (const d of params.children) d.updateCount?.();
    emit();
  }

  function paramRow(t, raw) {
    // The article in the page's language (a quoted Chinese article is shown, as a citation, in the
    // row itself; a tooltip cannot mark one), then the note.
    const [noteZh, noteEn] = t.note ? noteAttr(t.note) : ["", ""];
    const refTitle = [[refZh(t.ref ?? ""), noteZh].filter(Boolean).join(" — "), noteEn];
    const label = el(
      "div",
      {class: "wi-label"},
      bi(t.labelZh, t.labelEn.charAt(0).toUpperCase() + t.labelEn.slice(1)),
      t.assumption ? el("span", {class: "wi-tag wi-assumption", title: noteAttr(t.note)}, bi("假设", "assumption")) : null,
      t.dated ? el("span", {class: "wi-tag wi-dated", title: datedText(raw, t)}, bi(`按年取值·改动自${state.year}年起`, `dated · edits apply from ${state.year}`)) : null,
      el("span", {class: "wi-ref", title: refTitle}, ...bi(cite(t.ref, "zh"), cite(t.ref, "en")))
    );
    const row = el("div", {class: "wi-param", "data-path": t.path, "data-kind": t.kind});
    const labelEn = t.labelEn.charAt(0).toUpperCase() + t.labelEn.slice(1);
    const name = [t.labelZh, labelEn];
    const reset = el("button", {type: "button", class: "wi-reset", title: ["恢复改革方案取值", "Reset to the reform's value"], "aria-label": [`恢复改革方案取值：${t.labelZh}`, `Reset ${t.labelEn} to the reform's value`], onclick: () => apply(defaults[t.path], true)}, "↺");
    let apply;
    let errorTarget = null;
    const v0 = current(t.path);
    if (t.kind === "choice") {
      const select = el(
        "select",
        {name: t.path, "aria-label": name, onchange: () => setEdit(t.path, select.value)},
        t.options.map((o) => el("option", {value: o.value, "data-zh": o.zh, "data-en": o.en}, currentLang() === "en" ? o.en : o.zh))
      );
      if (v0 === undefined) select.append(el("option", {value: "", disabled: true}, "—"));
      select.value = v0 ?? "";
      apply = (v, edit) => {
        select.value = v ?? "";
        if (edit) setEdit(t.path, v);
      };
      row.append(label, el("div", {class: "wi-input"}, select, reset));
    } else {
      const unit = t.kind === "percent" ? "%" : "元";
      const range = el("input", {type: "range", name: t.path, min: t.min, max: t.max, step: t.step, "aria-label": [`${t.labelZh}（滑块）`, `${labelEn} (slider)`]});
      const number = el("input", {type: "number", name: `${t.path}#number`, min: t.kind === "percent" ? t.min : 0, step: "any", "aria-label": name});
      const none = t.allowNone ? el("input", {type: "checkbox", name: `${t.path}#none`}) : null;
      const show = (v) => {
        const isNone = v === null;
        if (none) none.checked = isNone;
        range.disabled = number.disabled = isNone || v === undefined;
        if (typeof v === "number") {
          range.value = String(v);
          number.value = String(v);
        } else number.value = "";
      };
      show(v0);
      range.addEventListener("input", () => {
        const v = Number(range.value);
        number.value = String(v);
        setEdit(t.path, v);
      });
      number.addEventListener("input", () => {
        const problem = fieldError(t, {value: number.value, badInput: number.validity?.badInput});
        if (problem) return setInvalid(t.path, problem);
        const v = Math.round(Number(number.value) * 100) / 100;
        range.value = String(v);
        setEdit(t.path, v);
      });
      none?.addEventListener("change", () => {
        const v = none.checked ? null : Number(range.value);
        show(v);
        setEdit(t.path, v);
      });
      apply = (v, edit) => {
        show(v);
        if (edit) setEdit(t.path, v);
      };
      row.append(
        label,
        el(
          "div",
          {class: "wi-input"},
          range,
          number,
          el("span", {class: "wi-unit"}, t.kind === "percent" ? unit : bi("元", "yuan")),
          none ? el("label", {class: "wi-none"}, none, bi("不设", "none")) : null,
          reset
        )
      );
      if (v0 === undefined) row.append(el("div", {class: "wi-na"}, bi(`${state.year}年不适用`, `not in force in ${state.year}`)));
      errorTarget = number;
    }
    // The error beside the field: a typed value that is not valid, or the rules' objection to it.
    const errorId = `wi-err-${t.path.replace(/[^\w-]+/g, "-")}`;
    const error = el("div", {class: "wi-field-error", id: errorId, role: "alert", hidden: true});
    row.append(error);
    const showError = (msg, kind = "input") => {
      error.hidden = !msg;
      error.dataset.kind = msg ? kind : "";
      error.replaceChildren(...(msg ? (Array.isArray(msg) ? bi(msg[0], msg[1]) : [msg]) : []));
      row.classList.toggle("wi-invalid", !!msg);
      if (errorTarget) {
        if (msg) errorTarget.setAttribute("aria-invalid", "true"), errorTarget.setAttribute("aria-describedby", errorId);
        else errorTarget.removeAttribute("aria-invalid"), errorTarget.removeAttribute("aria-describedby");
      }
    };
    if (t.kind === "choice") errorTarget = row.querySelector("select");
    rows.set(t.path, {
      t,
      set: apply,
      showError,
      mark: () => {
        const changed = !same(current(t.path), defaults[t.path]);
        row.classList.toggle("wi-changed", changed);
        reset.disabled = !changed;
      }
    });
    return row;
  }

  function setInvalid(path, msg) {
    invalid[path] = msg;
    rows.get(path)?.showError(msg, "input");
    emit();
  }
  function clearInvalid(path) {
    if (!Object.hasOwn(invalid, path)) return;
    delete invalid[path];
    rows.get(path)?.showError(null);
  }
  /** Show the rules' problems (as the worker words them: a line, or [zh, en]) beside the fields they
   *  name; [] clears them. */
  function markProblems(problems = []) {
    for (const [path, r] of rows) {
      if (Object.hasOwn(invalid, path)) continue;
      const hit = problems.find((p) => (Array.isArray(p) ? p[1] : p).includes(path));
      r.showError(hit ?? null, "rule");
    }
  }
  root.markProblems = markProblems;

  function scenario() {
    return model.scenarioFromEdits(tunables, state.edits, state.year, state.base ? {...state.base, city: state.city} : null, {
      city: state.city,
      ...(state.name ? {name: state.name} : {}),
      description: state.base?.description ?? `情景分析页面 / fundsim what-if page, ${state.year}`
    });
  }

  function emit() {
    root.emittedAt = performance.now();
    const s = scenario();
    const changed = tunables.filter((t) => !same(current(t.path), defaults[t.path])).length;
    const bad = Object.entries(invalid).map(([path, [zh, en]]) => {
      const t = rows.get(path)?.t;
      return {path, labelZh: t?.labelZh ?? path, labelEn: t?.labelEn ?? path, zh, en};
    });
    root.value = {city: state.city, year: state.year, scenario: s, edits: {...state.edits}, changed, invalid: bad};
    updateHistoryButtons();
    writeUrl(s);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function writeUrl(s) {
    try {
      const u = new URL(location.href);
      u.searchParams.set("city", state.city);
      u.searchParams.set("year", String(state.year));
      // The page's default description is left out of the link (it is written again on load).
      const link = state.base?.description ? s : {...s, description: undefined};
      if (s.set || s.amend || s.name) u.searchParams.set("s", model.encodeScenarioParam(link));
      else u.searchParams.delete("s");
      if (u.href !== location.href) history.replaceState(history.state, "", u.href);
    } catch {
      /* ignore */
    }
  }

  function save(format) {
    const s = scenario();
    const base = (state.name || `${state.city}-whatif-${state.year}`).replace(/[^\w\u4e00-\u9fff.-]+/g, "-");
    download(scenarioFileText(s, {year: state.year, format}), `${base}.${format}`, format === "json" ? "application/json" : "application/yaml");
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(location.href);
      say("info", [currentLang() === "en" ? "Link copied." : "链接已复制。"]);
    } catch {
      say("info", [location.href]);
    }
  }

  async function loadFile(file) {
    const text = await file.text();
    fileInput.value = "";
    let value;
    try {
      value = parseYaml(text, {prettyErrors: true});
    } catch (e) {
      return say("error", [`${file.name}: ${String(e.message).split("\n")[0]}`]);
    }
    let s, city;
    try {
      s = model.parseScenario(value, file.name);
      city = s.city ?? state.city;
      const c = policies.cities.find((x) => x.city === city);
      model.schemeForScenario(compiled(model, c), {...s, city}, file.name);
    } catch (e) {
      return say("error", e instanceof model.PolicyError ? e.problems.map((p, k) => bi(`${e.source}：${e.problemsZh[k]}`, `${e.source}: ${p}`)) : [String(e.message)]);
    }
    remember();
    if (city !== state.city) {
      // The file is for another city: this city's edits are kept for when the reader comes back.
      state.memory[state.city] = {year: state.year, base: state.base, edits: state.edits, name: state.name};
      delete state.memory[city];
      state.city = city;
    }
    for (const k of Object.keys(invalid)) delete invalid[k];
    state.base = s;
    state.edits = {};
    state.name = s.name ?? "";
    nameInput.value = state.name;
    say("info", [currentLang() === "en" ? `Loaded ${file.name}.` : `已载入 ${file.name}。`]);
    rebuild();
  }

  // Menus' option texts follow the language (buttons and labels switch by CSS).
  const onLang = () => {
    if (!root.isConnected && root.wasConnected) return document.removeEventListener(LANG_EVENT, onLang), document.removeEventListener("keydown", onKey);
    const en = currentLang() === "en";
    for (const o of root.querySelectorAll("option[data-zh]")) o.textContent = en ? o.dataset.en : o.dataset.zh;
  };
  document.addEventListener(LANG_EVENT, onLang);
  requestAnimationFrame(() => (root.wasConnected = root.isConnected));

  if (initial.problems?.length) say("error", initial.problems);
  if (state.name) nameInput.value = state.name;
  rebuild();
  return root;
}
