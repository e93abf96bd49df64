// The projection page's interactive part (src/projection.md): the assumptions panel, the paths the
// worker recomputes under the edited assumptions beside the build's, and the goal-seek form.
//
//   const panel = assumptionsPanel(C, {url: true});    // an input: panel.value = {params, edits, changed}
//   const edited = Generators.input(panel);
//   editedCards(C, P, R, edited, {lang})               // last year's figures, edited vs the files'
//   editedSpec(C, R, {lang, field: "months" | "balance"}), editedRows(C, R, {lang})
//   goalSeekForm({C, P, runner, panel, invalidation}) // lever, target, year → the worker's goal-seek
//
// The panel and the form are built once per city with both languages in the DOM (bi(), class
// fs-zh / fs-en; <option> texts follow the language event), so toggling the language keeps the
// reader's edits and the goal-seek result. With {url: true} the edits live in the page's URL
// (?a.costTrend=6: the number typed, display units) and the goal-seek choices too (?lever=rate&
// target=8&seekYear=2030), so a link reopens the same view; a value the page cannot use is named in
// a note and left out, never computed. R is the worker's answer ({paths, firstDeficitYear,
// firstExhaustedYear, ms, id}); C one city of data/projection.json.
import {COLORS} from "./chart.js";
import {bi, el} from "./dom.js";
import {months as fmtMonths, num, trueMinus} from "./format.js";
import {currentLang, LANG_EVENT, translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {urlChoice, urlNumbers, writeUrl, writeUrlNumbers} from "./url-state.js";
import {moneyText, moneyUnit, paramLabel, paramValue} from "./projection.js";
import {assumptionsYaml, displayOf, EDIT_SPECS, editedKeys, editedParams, scenarioYaml} from "./projection-files.js";
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


function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = el("a", {href: url, download: name, rel: "noopener"});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
      const input = el("input", {type: "number", name: r.key, step: spec.step, min: range.min, max: range.max, value: fileDisplay, "aria-label": paramLabel(r.key, "en")});
      const undo = el("button", {type: "button", class: "pj-undo", title: "恢复文件值 / back to the file's value", disabled: true, onclick: () => ((input.value = String(fileDisplay)), typed(r.key))}, "↺");
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
    root.value = {params: editedParams(rows, edits), edits: {...edits}, changed: editedKeys(rows, edits), invalid: 0};
    if (url) writeUrlNumbers(EDIT_PREFIX, edits);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // The link's edits, as if typed (the file's own value is no edit).
  for (const [key, d] of Object.entries(fromUrl.edits)) {
    const it = items.get(key);
    it.input.value = String(d);
    if (d !== it.fileDisplay) edits[key] = d;
  }
  root.value = {params: editedParams(rows, edits), edits: {...edits}, changed: editedKeys(rows, edits), invalid: 0};
  if (url) writeUrlNumbers(EDIT_PREFIX, edits);
  mark();
  return root;
}

// ---- the edited paths --------------------------------------------------------------------------------

const last = (paths, role) => paths.filter((p) => p.role === role).at(-1);

const SERIES = (t) => ({
  reformFile: t("改革后·文件假设", "Reform, files' assumptions"),
  reformEdited: t("改革后·当前假设", "Reform, assumptions above"),
  baselineFile: t("改革前规则·文件假设", "Baseline, files' assumptions"),
  baselineEdited: t("改革前规则·当前假设", "Baseline, assumptions above")
});

/** Rows for the edited-path charts: the build's reform and baseline and the worker's, by year. */
export function editedRows(C, R, {lang = "zh"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const u = moneyUnit(lang);
  const row = (p, series, key) => ({year: p.year, series, key, months: p.months, balance: p.balanceWan * u.factor});
  return [
    ...C.paths.filter((p) => p.role === "reform").map((p) => row(p, S.reformFile, "reformFile")),
    ...R.paths.filter((p) => p.role === "reform").map((p) => row(p, S.reformEdited, "reformEdited")),
    ...C.paths.filter((p) => p.role === "baseline").map((p) => row(p, S.baselineFile, "baselineFile")),
    ...R.paths.filter((p) => p.role === "baseline").map((p) => row(p, S.baselineEdited, "baselineEdited"))
  ];
}

/** Months of reserve (with the 6 and 15 month lines) or the balance, edited against the files'. */
export function editedSpec(C, R, {lang = "zh", field = "months"} = {}) {
  const t = translator(lang);
  const S = SERIES(t);
  const u = moneyUnit(lang);
  const rows = editedRows(C, R, {lang});
  const domain = [S.reformFile, S.reformEdited, S.baselineFile, S.baselineEdited];
  const months = field === "months";
  const yTitle = months ? t("可支付月数（个月）", "Months of reserve") : t(`累计结余（${u.label}）`, `Balance (${u.label})`);
  const refs = months
    ? [
        {y: 6, label: t("6个月", "6 months")},
        {y: 15, label: t("15个月", "15 months")}
      ]
    : [{y: 0, label: ""}];
  return {
    title: {
      text: months
        ? t(`${cityName(C.city, "zh")}：可支付月数，当前假设与文件假设`, `${cityName(C.city, "en")}: months of reserve, edited vs files`)
        : t(`${cityName(C.city, "zh")}：年末累计结余，当前假设与文件假设`, `${cityName(C.city, "en")}: balance at year end, edited vs files`),
      // Two short lines: the charts stand two abreast.
      subtitle: t(
        ["橙色：按上方假设在浏览器中重算（与构建时同一样本、同一代码）；", "蓝、灰：构建时按假设文件计算。未修改时两者重合。"],
        ["Orange: recomputed here with the assumptions above;", "blue, grey: the build, with the files' assumptions.", "Same sample, same code: unedited, they coincide."]
      )
    },
    height: 260,
    data: {values: rows},
    layer: [
      {
        data: {values: refs},
        mark: {type: "rule", color: months ? "#c62828" : "#999", strokeDash: months ? [6, 4] : [1, 0], strokeWidth: months ? 1.2 : 1},
        encoding: {y: {field: "y", type: "quantitative"}}
      },
      ...(months
        ? [
            {
              data: {values: refs},
              mark: {type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, fontSize: 11, fontWeight: 600, color: "#c62828"},
              encoding: {y: {field: "y", type: "quantitative"}, x: {value: 0}, text: {field: "label"}}
            }
          ]
        : []),
      {
        mark: {type: "line", point: {size: 26, filled: true}},
        encoding: {
          x: {field: "year", type: "ordinal", title: t("年度", "Year"), axis: {labelAngle: 0}},
          y: {field, type: "quantitative", title: yTitle},
          color: {field: "series", type: "nominal", title: null, scale: {domain, range: [COLORS.reform, "#d9822b", COLORS.baseline, "#e9b07a"]}, legend: {orient: "bottom", columns: 2, symbolType: "stroke", symbolSize: 300, symbolStrokeWidth: 2.5, labelLimit: 240}},
          strokeDash: {field: "series", type: "nominal", title: null, scale: {domain, range: [[1, 0], [1, 0], [5, 3], [5, 3]]}},
          tooltip: [
            {field: "series", title: t("路径", "Path")},
            {field: "year", title: t("年度", "Year")},
            {field, title: yTitle, format: months ? ".2f" : u.fmt}
          ]
        }
      }
    ]
  };
}

const yearText = (y, t, none) => (y === null || y === undefined ? none : t(`${y}年`, String(y)));

/** The last year's figures under the edited assumptions, each with the files' beside it. */
export function editedCards(C, P, R, edited, {lang = "zh"} = {}) {
  const t = translator(lang);
  const Y = P.lastYear;
  const none = t(`${Y}年前无`, `none by ${Y}`);
  const e = last(R.paths, "reform"), f = last(C.paths, "reform"), eb = last(R.paths, "baseline"), fb = last(C.paths, "baseline");
  const warn = (m) => (m !== null && (m < 6 || m > 15) ? "fs-warn" : "");
  const card = (label, big, metric, value, ...sub) =>
    el(
      "div",
      {class: "fs-kpi"},
      el("div", {class: "fs-kpi-label"}, label),
      el("div", {class: "fs-kpi-big", "data-metric": metric, "data-value": value}, big),
      ...sub.map((s) => el("div", {class: "fs-kpi-sub"}, s))
    );
  const n = edited.changed.length;
  const cards = el(
    "div",
    {class: "fs-kpis pj-edited-cards", style: "grid-template-columns: repeat(auto-fit, minmax(200px, 1fr))", "data-city": C.city, "data-run": R.id, "data-edited": n},
    card(
      t(`${Y}年末可支付月数（当前假设）`, `Months of reserve, end of ${Y} (assumptions above)`),
      el("span", {class: warn(e.months)}, fmtMonths(e.months, {lang})),
      "edited-months-last",
      e.months ?? "",
      t(`文件假设：${fmtMonths(f.months, {lang})}`, `files' assumptions: ${fmtMonths(f.months, {lang})}`),
      t(`改革前规则：${fmtMonths(eb.months, {lang})}（文件假设 ${fmtMonths(fb.months, {lang})}）`, `baseline: ${fmtMonths(eb.months, {lang})} (files' ${fmtMonths(fb.months, {lang})})`)
    ),
    card(
      t(`${Y}年末累计结余（当前假设）`, `Balance at the end of ${Y} (assumptions above)`),
      moneyText(e.balanceWan, lang),
      "edited-balance-last",
      e.balanceWan,
      t(`文件假设：${moneyText(f.balanceWan, lang)}`, `files' assumptions: ${moneyText(f.balanceWan, lang)}`)
    ),
    card(
      t("首个当期赤字年份（当前假设）", "First deficit year (assumptions above)"),
      yearText(R.firstDeficitYear.reform, t, none),
      "edited-first-deficit",
      R.firstDeficitYear.reform ?? "",
      t(`文件假设：${yearText(C.firstDeficitYear.reform, t, none)}`, `files' assumptions: ${yearText(C.firstDeficitYear.reform, t, none)}`),
      t(`结余耗尽：${yearText(R.firstExhaustedYear.reform, t, none)}`, `balance exhausted: ${yearText(R.firstExhaustedYear.reform, t, none)}`)
    ),
    card(
      t("在浏览器中重算", "Recomputed in the browser"),
      t(`${num(P.persons, {lang})} 人`, `${num(P.persons, {lang})} persons`),
      "edited-sample",
      P.persons,
      t(`构建时的参考样本 × ${P.years} 年 × 2 种方案`, `the build's reference sample × ${P.years} years × 2 schemes`),
      n ? t(`已修改 ${n} 项假设`, `${n} assumption${n > 1 ? "s" : ""} edited`) : t("未修改假设", "no assumption edited")
    )
  );
  // The time it took is a tooltip (and data-ms), not text: the page reads the same on every load.
  const ms = t(`重算用时 ${num(R.ms, {lang})} 毫秒`, `recomputed in ${num(R.ms, {lang})} ms`);
  cards.lastChild.setAttribute("title", ms);
  cards.dataset.ms = String(Math.round(R.ms));
  return cards;
}

// ---- goal-seek -----------------------------------------------------------------------------------------

/** The levers, in the form's order: [中文, English]. */
export const LEVER_NAMES = {
  cap: ["普通门诊统筹年度最高支付限额", "General outpatient annual cap"],
  deductible: ["普通门诊统筹起付标准", "General outpatient deductible"],
  rate: ["普通门诊统筹支付比例（各级同时增减）", "General outpatient rates (all levels moved together)"],
  "retiree-credit": ["退休人员个人账户划入（统筹基金支付）", "Retiree account credit (paid by the pool)"],
  "active-credit": ["在职职工个人账户划入", "Active workers' account credit"]
};

/** A lever's value as read: [中文, English]. With `now` (C.levers), a rate shift also gives the
 *  rates it makes (each cell moved and held within 0–100 %, as the scenario writes them). */
export function leverValueText(lever, x, now = null) {
  const n = (v, d = 0) => [num(v, {decimals: d, lang: "zh"}), num(v, {decimals: d, lang: "en"})];
  if (lever === "cap" || lever === "deductible") return [`${n(x)[0]} 元`, `${n(x)[1]} yuan`];
  if (lever === "rate") {
    const s = `${x > 0 ? "+" : ""}${Number(x.toFixed(1))}`;
    if (!now?.rate) return [`${s} 个百分点`, `${s} percentage points`];
    const moved = now.rate.map((c) => c.map((r) => Number(Math.min(100, Math.max(0, r + x)).toFixed(2))));
    const [z, e] = leverNowText("rate", {rate: moved});
    return [`${s} 个百分点（${z}）`, `${s} percentage points (${e})`];
  }
  if (lever === "retiree-credit") return [`每月 ${n(x)[0]} 元`, `${n(x)[1]} yuan a month`];
  return [`缴费基数的 ${Number(x.toFixed(1))}%`, `${Number(x.toFixed(1))}% of the contribution base`];
}

const pair = (a, r, unit) => (a === r ? `${a}${unit}` : `${a}/${r}${unit}`);

/** The reform's own value of a lever (C.levers), as read: [中文, English]. */
export function leverNowText(lever, now) {
  const v = now?.[lever];
  if (v === null || v === undefined) return ["无", "none"];
  if (lever === "cap") return [`${pair(v[0], v[1], " 元")}${v[0] === v[1] ? "" : "（在职/退休）"}`, `${pair(v[0], v[1], " yuan")}${v[0] === v[1] ? "" : " (active/retired)"}`];
  if (lever === "deductible" || lever === "rate") {
    const unit = lever === "rate" ? "%" : lever === "deductible" ? " 元" : "";
    const unitEn = lever === "rate" ? "%" : " yuan";
    const same = v.every((c) => c[0] === v[0][0] && c[1] === v[0][1]);
    if (same) return [pair(v[0][0], v[0][1], unit), pair(v[0][0], v[0][1], unitEn)];
    return [
      v.map((c, i) => `${["一级", "二级", "三级"][i]} ${pair(c[0], c[1], unit)}`).join("，"),
      v.map((c, i) => `level ${i + 1} ${pair(c[0], c[1], unitEn)}`).join(", ")
    ];
  }
  if (v === "none") return ["不划入", "none"];
  if ("fixed" in v) return [`每月 ${v.fixed / 100} 元`, `${v.fixed / 100} yuan a month`];
  if ("percentOfBase" in v) return [`缴费基数的 ${v.percentOfBase / 100}%`, `${v.percentOfBase / 100}% of the contribution base`];
  if ("percentOfOwnPension" in v) return [`本人基本养老金的 ${v.percentOfOwnPension / 100}%`, `${v.percentOfOwnPension / 100}% of own pension`];
  if ("percentOfAveragePension" in v) return [`平均基本养老金的 ${v.percentOfAveragePension / 100}%`, `${v.percentOfAveragePension / 100}% of the average pension`];
  return ["—", "—"];
}

/** The result block of a goal-seek (the build's, or one run in the worker). */
function seekResult(C, P, g, {source, edited, persons}) {
  const status = g.value === null ? "not-reachable" : g.wholeRange ? "not-needed" : "found";
  const [vz, ve] = g.value === null ? ["—", "—"] : leverValueText(g.lever, g.value, C.levers);
  const [nz, ne] = leverNowText(g.lever, C.levers);
  const [lz, le] = LEVER_NAMES[g.lever];
  const [loz, loe] = leverValueText(g.lever, g.lo);
  const [hiz, hie] = leverValueText(g.lever, g.hi);
  const achieved = g.achieved === null ? "—" : g.achieved.toFixed(2);
  const head = {
    found: bi(`已求得：${lz} ${vz}`, `Found: ${le} ${ve}`),
    "not-needed": bi(`无需调整：搜索范围内最宽松的取值 ${vz} 仍满足目标`, `Not needed: the most generous value in the range, ${ve}, still meets the target`),
    "not-reachable": bi(`无法达到：${lz}在 ${loz} 至 ${hiz} 之间均不能满足目标`, `Not reachable: no ${le.toLowerCase()} from ${loe} to ${hie} meets the target`)
  }[status];
  const box = el(
    "div",
    {class: "fs-kpi pj-seek-result fs-goal", "data-status": status, "data-source": source, "data-lever": g.lever},
    el("div", {class: "fs-kpi-mid pj-seek-head", "data-metric": "goal-seek", style: "white-space: normal"}, head),
    el(
      "div",
      {class: "fs-kpi-sub"},
      el("span", {"data-metric": "seek-value", "data-value": g.value ?? ""}, bi(`取值：${vz}`, `value: ${ve}`)),
      " · ",
      el("span", {"data-metric": "seek-achieved", "data-value": g.achieved ?? ""}, bi(`${g.year}年末可支付月数 ${achieved} 个月（目标 ≥ ${g.target}）`, `${achieved} months of reserve at the end of ${g.year} (target ≥ ${g.target})`)),
      " · ",
      bi(`现行改革方案：${nz}`, `the reform now: ${ne}`)
    ),
    el(
      "div",
      {class: "fs-kpi-sub"},
      source === "build"
        ? bi(`构建时按假设文件预先计算（${LEVER_NAMES.cap[0]}、目标 ${g.target} 个月、${g.year}年）。在上方选择后点“求解”在浏览器中重新计算。`, `Computed at build time with the assumptions files (${LEVER_NAMES.cap[1].toLowerCase()}, ${g.target} months, ${g.year}). Choose above and press “Solve” to run one in the browser.`)
        : bi(
            `在浏览器中求解：${edited ? `按上方修改后的假设（${edited}项）` : "按假设文件"}，其他参数不变，参考样本 ${persons} 人。`,
            `Solved in the browser ${edited ? `with the edited assumptions above (${edited} edited)` : "with the assumptions files"}, everything else unchanged, on the reference sample of ${persons} persons.`
          )
    )
  );
  const yaml = g.scenario ? scenarioYaml(g, {city: C.city, edited: edited > 0, persons, name: `${cityName(C.city, "zh")} ${cityName(C.city, "en")}`}) : source === "build" ? C.goalSeek.yaml : null;
  if (yaml) {
    const pre = el("pre", {class: "pj-yaml fs-yaml"}, yaml);
    const note = el("span", {class: "fs-kpi-sub", style: "margin-left: 0.5rem"});
    const name = `goal-seek-${C.city}-${g.lever}-${g.year}.yaml`;
    box.append(
      el("div", {class: "fs-kpi-sub", style: "margin-top: 0.5rem"}, bi("情景文件（fundsim run / project --scenario 可直接读取）：", "Scenario file (fundsim run / project --scenario read it):")),
      pre,
      el(
        "div",
        {},
        el("button", {type: "button", class: "pj-save-scenario", onclick: () => download(yaml, name, "text/yaml;charset=utf-8")}, bi("保存情景文件（YAML）", "Save the scenario (YAML)")),
        " ",
        el(
          "button",
          {
            type: "button",
            class: "fs-copy",
            onclick: async () => {
              try {
                await navigator.clipboard.writeText(yaml);
                note.replaceChildren(...bi("已复制", "copied"));
              } catch {
                const range = document.createRange();
                range.selectNodeContents(pre);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                note.replaceChildren(...bi("已选中，请按 Ctrl+C 复制", "selected: press Ctrl+C to copy"));
              }
            }
          },
          bi("复制", "Copy")
        ),
        note
      )
    );
    if (edited) box.append(el("div", {class: "fs-kpi-sub"}, bi("假设已修改：运行时请同时用上方“下载假设文件”保存的文件（--assumptions）。", "Assumptions edited: run it with the file “Download the assumptions” saves (--assumptions).")));
  }
  const ev = el("details", {class: "fs-more"}, el("summary", {}, bi(`二分法求值过程（${g.evaluations.length}次）`, `Bisection steps (${g.evaluations.length})`)));
  const table = el(
    "table",
    {class: "fs-table pj-evaluations"},
    el("thead", {}, el("tr", {}, el("th", {class: "fs-num"}, "#"), el("th", {class: "fs-num"}, bi(lz, le)), el("th", {class: "fs-num"}, bi(`${g.year}年可支付月数`, `Months in ${g.year}`)))),
    el(
      "tbody",
      {},
      g.evaluations.map((e, i) => {
        const [xz, xe] = leverValueText(g.lever, e.x);
        return el("tr", {}, el("td", {class: "fs-num"}, String(i + 1)), el("td", {class: "fs-num"}, bi(xz, xe)), el("td", {class: "fs-num"}, e.y === null || !Number.isFinite(e.y) ? "—" : e.y.toFixed(2)));
      })
    )
  );
  ev.append(el("div", {class: "fs-table-wrap"}, table));
  box.append(ev);
  return box;
}

/**
 * The goal-seek choices of a link (?lever=, ?target=, ?seekYear=) against the form's own defaults:
 * {lever, target, year, problems: [[中文, English]]}; a value the form does not offer is named and
 * replaced by the default.
 */
export function seekChoices({levers, years, lever, target, year}, search = "") {
  const problems = [];
  const say = (c, name, [zh, en]) =>
    c.ok || problems.push([`链接中的 ${name}=${c.asked} 无效，显示 ${zh}`, `The link's ${name}=${c.asked} is not available; showing ${en}`]);
  const l = urlChoice("lever", levers, lever, search);
  say(l, "lever", LEVER_NAMES[l.value] ?? [l.value, l.value]);
  const y = urlChoice("seekYear", years, year, search);
  say(y, "seekYear", [`${y.value}年`, String(y.value)]);
  const askedTarget = new URLSearchParams(search).get("target");
  let tgt = target;
  if (askedTarget !== null) {
    const x = askedTarget.trim() === "" ? NaN : Number(askedTarget);
    if (Number.isFinite(x) && x >= 0) tgt = x;
    else say({ok: false, asked: askedTarget}, "target", [`${target} 个月`, `${target} months`]);
  }
  return {lever: l.value, target: tgt, year: y.value, problems};
}

/**
 * The goal-seek form: lever, target months and year; "Solve" runs goalSeekLever in the worker
 * with the panel's current assumptions and shows the value, the months it gives and the scenario
 * file. It opens on the build's result (the cap keeping 6 months in the last year).
 */
export function goalSeekForm({C, P, runner, panel, invalidation, url = false}) {
  const lang = () => currentLang();
  const levers = Object.keys(LEVER_NAMES).filter((id) => id in P.levers);
  const years = Array.from({length: P.years - 1}, (_, i) => P.baseYear + 1 + i);
  // The choices a link carries (?lever=, ?target=, ?seekYear=); the form is not run until "Solve".
  const asked = seekChoices({levers, years, lever: C.goalSeek.lever, target: C.goalSeek.target, year: P.lastYear}, url ? location.search : "");
  const leverSelect = el("select", {name: "lever", class: "pj-lever"}, levers.map((id) => el("option", {value: id, selected: id === asked.lever}, "")));
  const target = el("input", {type: "number", name: "target", class: "pj-target", min: 0, step: 0.5, value: asked.target});
  const yearSelect = el(
    "select",
    {name: "year", class: "pj-year"},
    years.map((y) => el("option", {value: y, selected: y === asked.year}, String(y)))
  );
  const keep = () => {
    if (!url) return;
    writeUrl("lever", leverSelect.value, {fallback: C.goalSeek.lever});
    // an empty or unusable target stays out of the URL (the form says why on "Solve")
    const x = target.value.trim() === "" ? NaN : Number(target.value);
    writeUrl("target", Number.isFinite(x) && x >= 0 && x !== C.goalSeek.target ? x : null);
    writeUrl("seekYear", yearSelect.value, {fallback: P.lastYear});
  };
  for (const e of [leverSelect, yearSelect]) e.addEventListener("change", keep);
  target.addEventListener("input", keep);
  keep();
  const solve = el("button", {type: "submit", class: "pj-solve pj-primary"}, bi("求解", "Solve"));
  const progress = el("span", {class: "pj-progress", role: "status"});
  const range = el("span", {class: "pj-progress pj-range"});
  const result = el("div", {class: "pj-seek-out"}, seekResult(C, P, {...C.goalSeek, scenario: null}, {source: "build", edited: 0, persons: P.persons}));
  const form = el(
    "form",
    // The browser's own validation would block a submit silently (e.g. a step it dislikes): ours says why.
    {class: "pj-seek", "data-city": C.city, novalidate: true},
    el(
      "div",
      {class: "pj-seek-fields"},
      el("label", {}, bi("调整的参数", "Lever"), leverSelect),
      el("label", {}, bi("目标：可支付月数不低于", "Target: months of reserve at least"), target),
      el("label", {}, bi("目标年度（年末）", "Target year (year end)"), yearSelect),
      solve,
      progress
    ),
    el("div", {class: "fs-kpi-sub"}, range),
    asked.problems.length ? el("div", {class: "fs-note fs-warn pj-url-problem", role: "status"}, asked.problems.map(([zh, en]) => el("div", {}, ...bi(`${zh}。`, `${en}.`)))) : null,
    result
  );

  const texts = () => {
    const en = lang() === "en";
    for (const o of leverSelect.options) o.textContent = LEVER_NAMES[o.value][en ? 1 : 0];
    const L = P.levers[leverSelect.value];
    const [loz, loe] = leverValueText(leverSelect.value, L.lo);
    const [hiz, hie] = leverValueText(leverSelect.value, L.hi);
    const [nz, ne] = leverNowText(leverSelect.value, C.levers);
    range.replaceChildren(...bi(`搜索范围 ${loz} 至 ${hiz}，现行改革方案：${nz}。其他参数不变；按上方当前假设计算。`, `Search range ${loe} to ${hie}; the reform now: ${ne}. Everything else unchanged; with the assumptions above.`));
  };
  texts();
  leverSelect.addEventListener("change", texts);
  const onLang = () => texts();
  document.addEventListener(LANG_EVENT, onLang);
  invalidation?.then(() => document.removeEventListener(LANG_EVENT, onLang));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const t = Number(target.value);
    if (target.value.trim() === "" || !Number.isFinite(t) || t < 0) {
      progress.replaceChildren(...bi("请输入不小于0的目标月数", "enter a target of 0 months or more"));
      return;
    }
    const state = panel.value;
    if (state.invalid) {
      progress.replaceChildren(...bi("上方假设有无效输入，请先改正", "an assumption above is invalid: correct it first"));
      return;
    }
    solve.disabled = true;
    form.dataset.busy = "true";
    progress.replaceChildren(...bi("计算中……", "computing…"));
    const lever = leverSelect.value;
    const t0 = performance.now();
    try {
      const out = await runner.seek(C.city, {params: state.params, lever, target: t, year: Number(yearSelect.value)}, (p) =>
        progress.replaceChildren(...bi(`第 ${p.done} 次（约 ${p.expected} 次）：${leverValueText(lever, p.x)[0]} → ${p.months.toFixed(2)} 个月`, `step ${p.done} of about ${p.expected}: ${leverValueText(lever, p.x)[1]} → ${p.months.toFixed(2)} months`))
      );
      if (!out.ok) {
        progress.replaceChildren(...bi(`求解失败：${out.problem}`, `goal-seek failed: ${out.problem}`));
        return;
      }
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      progress.replaceChildren(...bi(`完成，${out.result.evaluations.length} 次计算，用时 ${s} 秒`, `done: ${out.result.evaluations.length} evaluations in ${s} s`));
      result.replaceChildren(seekResult(C, P, out.result, {source: "browser", edited: state.changed.length, persons: P.persons}));
    } finally {
      solve.disabled = false;
      delete form.dataset.busy;
    }
  });
  return form;
}
