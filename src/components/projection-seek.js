// The projection page's goal-seek form (src/projection.md): a lever, a target in months of reserve
// and a year, and what must meet the target — the central path (as `fundsim project --goal-seek`),
// a percentile of the Monte Carlo band (--target-percentile P) or the probability of falling short
// (--target-probability p); "Solve" runs goalSeekLever in the page's worker with the assumptions
// panel's values (projection-edit.js) and shows the result (projection-seek-result.js).
//
//   goalSeekForm({C, P, runner, panel, invalidation, url: true})
//
// A band target runs the same Monte Carlo as the command line at each bisection step: the reference
// sample, the build's population draws (P.samples of P.samplePersons persons, the band's own), seed
// P.seed, and the draws chosen (SEEK_DRAWS). With {url: true} the choices live in the page's URL
// (?lever=rate&target=8&seekYear=2030&seekOn=percentile&seekLevel=10&seekDraws=100; defaults are
// left out), so a link reopens the same form; the form is not run until "Solve".
import {bi, el} from "./dom.js";
import {currentLang, LANG_EVENT} from "./i18n.js";
import {urlChoice, writeUrl} from "./url-state.js";
import {LEVER_NAMES, leverNowText, leverValueText} from "./projection-levers.js";
import {bandCondition, drawsText, seekResult} from "./projection-seek-result.js";

/** What must meet the target, in the form's order. */
export const SEEK_ON = ["central", "percentile", "probability"];
export const SEEK_ON_NAMES = {
  central: ["中值路径", "the central path"],
  percentile: ["区间的百分位数", "a percentile of the band"],
  probability: ["低于目标的概率", "the probability of falling short"]
};
/** The Monte Carlo draws a band target may run at each step (the form's choice) and the default:
 *  each step runs every draw to the target year on the population draws, so the time grows with
 *  them (docs/projection.md, Goal-seek: measured). */
export const SEEK_DRAWS = [50, 100, 200];
export const SEEK_DEFAULT_DRAWS = 100;
/** The level of a band target in percent: the percentile P, or the probability p × 100. */
export const SEEK_DEFAULT_LEVEL = 10;
const levelOk = (x) => Number.isFinite(x) && x > 0 && x < 100;

/**
 * The goal-seek choices of a link (?lever=, ?target=, ?seekYear=, and for a target on the band
 * ?seekOn=percentile|probability, ?seekLevel=<percent>, ?seekDraws=) against the form's own
 * defaults: {lever, target, year, on, level, draws, problems: [[中文, English]]}; a value the form
 * does not offer is named and replaced by the default.
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
  // The target's kind, its level (percent) and the draws (a band target only).
  const k = urlChoice("seekOn", SEEK_ON, "central", search);
  say(k, "seekOn", SEEK_ON_NAMES.central);
  const d = urlChoice("seekDraws", SEEK_DRAWS, SEEK_DEFAULT_DRAWS, search);
  say(d, "seekDraws", [`${d.value} 次`, `${d.value} draws`]);
  const askedLevel = new URLSearchParams(search).get("seekLevel");
  let level = SEEK_DEFAULT_LEVEL;
  if (askedLevel !== null) {
    const x = askedLevel.trim() === "" ? NaN : Number(askedLevel);
    if (levelOk(x)) level = x;
    else say({ok: false, asked: askedLevel}, "seekLevel", [`${SEEK_DEFAULT_LEVEL}%`, `${SEEK_DEFAULT_LEVEL}%`]);
  }
  return {lever: l.value, target: tgt, year: y.value, on: k.value, level, draws: d.value, problems};
}

/**
 * The goal-seek form: lever, target months, year, and what must meet the target; "Solve" runs
 * goalSeekLever in the worker with the panel's current assumptions and shows the value, what it
 * achieves and the scenario file. It opens on the build's result (the cap keeping 6 months in the
 * last year on the central path).
 */
export function goalSeekForm({C, P, runner, panel, invalidation, url = false}) {
  const lang = () => currentLang();
  const levers = Object.keys(LEVER_NAMES).filter((id) => id in P.levers);
  const years = Array.from({length: P.years - 1}, (_, i) => P.baseYear + 1 + i);
  // The choices a link carries; the form is not run until "Solve".
  const asked = seekChoices({levers, years, lever: C.goalSeek.lever, target: C.goalSeek.target, year: P.lastYear}, url ? location.search : "");
  const leverSelect = el("select", {name: "lever", class: "pj-lever"}, levers.map((id) => el("option", {value: id, selected: id === asked.lever}, "")));
  const target = el("input", {type: "number", name: "target", class: "pj-target", min: 0, step: 0.5, value: asked.target});
  const yearSelect = el(
    "select",
    {name: "year", class: "pj-year"},
    years.map((y) => el("option", {value: y, selected: y === asked.year}, String(y)))
  );
  const onSelect = el("select", {name: "seekOn", class: "pj-seek-on"}, SEEK_ON.map((k) => el("option", {value: k, selected: k === asked.on}, "")));
  const level = el("input", {type: "number", name: "seekLevel", class: "pj-seek-level", min: 0, max: 100, step: 1, value: asked.level});
  const drawsSelect = el("select", {name: "seekDraws", class: "pj-seek-draws"}, SEEK_DRAWS.map((d) => el("option", {value: d, selected: d === asked.draws}, "")));
  const levelLabel = el("span", {});
  const bandFields = el("span", {class: "pj-seek-band"}, el("label", {}, levelLabel, level), el("label", {}, bi("每步抽样次数", "Draws per step"), drawsSelect));
  const levelValue = () => (level.value.trim() === "" ? NaN : Number(level.value));
  const keep = () => {
    if (!url) return;
    writeUrl("lever", leverSelect.value, {fallback: C.goalSeek.lever});
    // an empty or unusable number stays out of the URL (the form says why on "Solve")
    const x = target.value.trim() === "" ? NaN : Number(target.value);
    writeUrl("target", Number.isFinite(x) && x >= 0 && x !== C.goalSeek.target ? x : null);
    writeUrl("seekYear", yearSelect.value, {fallback: P.lastYear});
    writeUrl("seekOn", onSelect.value, {fallback: "central"});
    const band = onSelect.value !== "central";
    const l = levelValue();
    writeUrl("seekLevel", band && levelOk(l) ? l : null, {fallback: SEEK_DEFAULT_LEVEL});
    writeUrl("seekDraws", band ? drawsSelect.value : null, {fallback: SEEK_DEFAULT_DRAWS});
  };
  for (const e of [leverSelect, yearSelect, onSelect, drawsSelect]) e.addEventListener("change", keep);
  for (const e of [target, level]) e.addEventListener("input", keep);
  keep();
  const solve = el("button", {type: "submit", class: "pj-solve pj-primary"}, bi("求解", "Solve"));
  const progress = el("span", {class: "pj-progress", role: "status"});
  const range = el("span", {class: "pj-progress pj-range"});
  const condition = el("div", {class: "fs-kpi-sub pj-seek-condition"});
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
      el("label", {}, bi("满足目标的是", "Met by"), onSelect),
      bandFields,
      solve,
      progress
    ),
    condition,
    el("div", {class: "fs-kpi-sub"}, range),
    asked.problems.length ? el("div", {class: "fs-note fs-warn pj-url-problem", role: "status"}, asked.problems.map(([zh, en]) => el("div", {}, ...bi(`${zh}。`, `${en}.`)))) : null,
    result
  );

  /** The band target the form asks for (null: the central path), in the form's units. */
  const bandAsked = () =>
    onSelect.value === "central" ? null : {kind: onSelect.value, level: levelValue(), draws: Number(drawsSelect.value), samples: P.samples, samplePersons: P.samplePersons, seed: P.seed};

  const texts = () => {
    const en = lang() === "en";
    for (const o of leverSelect.options) o.textContent = LEVER_NAMES[o.value][en ? 1 : 0];
    for (const o of onSelect.options) o.textContent = SEEK_ON_NAMES[o.value][en ? 1 : 0];
    for (const o of drawsSelect.options) o.textContent = en ? `${o.value} draws` : `${o.value} 次`;
    const L = P.levers[leverSelect.value];
    const [loz, loe] = leverValueText(leverSelect.value, L.lo);
    const [hiz, hie] = leverValueText(leverSelect.value, L.hi);
    const [nz, ne] = leverNowText(leverSelect.value, C.levers);
    range.replaceChildren(...bi(`搜索范围 ${loz} 至 ${hiz}，现行改革方案：${nz}。其他参数不变；按上方当前假设计算。`, `Search range ${loe} to ${hie}; the reform now: ${ne}. Everything else unchanged; with the assumptions above.`));
    const band = bandAsked();
    bandFields.hidden = !band;
    levelLabel.replaceChildren(...(band?.kind === "probability" ? bi("概率不超过（%）", "Probability at most (%)") : bi("百分位数 P", "Percentile P")));
    const y = yearSelect.value, tg = target.value.trim() === "" ? "…" : target.value;
    if (!band) condition.replaceChildren(...bi(`条件：${y}年末可支付月数 ≥ ${tg} 个月（中值路径）`, `Condition: months of reserve at the end of ${y} ≥ ${tg} (central path)`));
    else {
      const [cz, ce] = bandCondition({...band, level: levelOk(band.level) ? band.level : "…"}, y, tg);
      const [dz, de] = drawsText(band);
      condition.replaceChildren(...bi(`条件：${cz}；每步${dz}`, `Condition: ${ce}; each step with ${de}`));
    }
  };
  texts();
  for (const e of [leverSelect, yearSelect, onSelect, drawsSelect]) e.addEventListener("change", texts);
  for (const e of [target, level]) e.addEventListener("input", texts);
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
    const band = bandAsked();
    if (band && !levelOk(band.level)) {
      progress.replaceChildren(...bi("请输入大于0、小于100的百分位数或概率（%）", "enter a percentile or probability (%) above 0 and below 100"));
      return;
    }
    const state = panel.value;
    if (state.invalid) {
      progress.replaceChildren(...bi("上方假设有无效输入，请先改正", "an assumption above is invalid: correct it first"));
      return;
    }
    solve.disabled = true;
    form.dataset.busy = "true";
    progress.replaceChildren(...bi(band ? "计算中（首次需载入总体抽样）……" : "计算中……", band ? "computing (loading the population draws the first time)…" : "computing…"));
    const lever = leverSelect.value;
    const t0 = performance.now();
    // The model's units: a percentile 0–100, a probability 0–1.
    const modelBand = band && {kind: band.kind, level: band.kind === "percentile" ? band.level : band.level / 100, draws: band.draws, seed: band.seed, dists: state.dists};
    try {
      const out = await runner.seek(C.city, {params: state.params, lever, target: t, year: Number(yearSelect.value), band: modelBand}, (p) => {
        const s = ((performance.now() - t0) / 1000).toFixed(0);
        progress.replaceChildren(
          ...bi(
            `第 ${p.done} 次（约 ${p.expected} 次，${s} 秒）：${leverValueText(lever, p.x)[0]} → ${p.months.toFixed(2)} 个月`,
            `step ${p.done} of about ${p.expected} (${s} s): ${leverValueText(lever, p.x)[1]} → ${p.months.toFixed(2)} months`
          )
        );
      });
      if (!out.ok) {
        progress.replaceChildren(...bi(`求解失败：${out.problem}`, `goal-seek failed: ${out.problem}`));
        return;
      }
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      progress.replaceChildren(...bi(`完成，${out.result.evaluations.length} 次计算，用时 ${s} 秒`, `done: ${out.result.evaluations.length} evaluations in ${s} s`));
      result.replaceChildren(seekResult(C, P, out.result, {source: "browser", edited: state.changed.length, persons: P.persons, band, check: out.check, seconds: out.ms / 1000}));
    } finally {
      solve.disabled = false;
      delete form.dataset.busy;
    }
  });
  return form;
}
