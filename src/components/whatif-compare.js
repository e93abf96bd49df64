// Pinned what-if scenarios, compared side by side: "固定当前情景" keeps the figures of the scenario
// on screen (up to three pins); the table shows the current scenario beside each pin and the
// difference, current minus pin, as its effect on the pooled balance (words and colours of
// ./effect.js). Pins live in this module, so they survive the results panel being rebuilt when
// the language changes; they hold figures, not a scenario to recompute.
//
//   const compare = comparePanel({lang});   // an element
//   compare.update(out, controls.value);    // after each drawn result
import {fundMoney, months as fmtMonths} from "./format.js";
import {effectOf, effectText, toneClass, unchangedText} from "./effect.js";
import {translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {scenarioFigures} from "./whatif-charts.js";

/** At most this many pins (a fourth replaces the oldest). */
export const MAX_PINS = 3;
const pins = [];
let nextPin = 1;

function node(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A figure as text: money at a fund's scale, or months. */
function show(f, v, lang) {
  return f.id === "months" ? fmtMonths(v, {lang}) : fundMoney(v, {lang});
}

/** current − pin, in the sign convention of the dashboards (months: 0.1-month steps). */
function differenceText(f, d, lang) {
  if (f.id === "months") {
    const e = effectOf("balance", Math.round(d * 10));
    return {text: `${d > 0.05 ? "+" : ""}${Math.abs(d) < 0.05 ? "0.0" : d.toFixed(1).replace("-", "\u2212")}`, better: e.better};
  }
  // what rounds to zero reads "不变 0.0 万元", as on the city pages; "—" would read as missing
  const same = unchangedText(d, lang, (fen) => fundMoney(fen, {lang}));
  if (same) return {text: same, better: null};
  return {text: effectText(f.kind, d, lang), better: effectOf(f.kind, d).better};
}

export function comparePanel({lang = "zh"} = {}) {
  const t = translator(lang);
  const root = node("section", "wi-compare");
  root.setAttribute("aria-label", t("情景对比", "Compare scenarios"));
  const head = node("div", "wi-compare-head");
  const pinButton = node("button", "wi-pin", t("固定当前情景，用于对比", "Pin this scenario to compare"));
  pinButton.type = "button";
  const hint = node("span", "wi-compare-hint", t(`最多固定${MAX_PINS}个情景；表中差额为“当前 − 固定”，按对统筹基金当期结余的影响着色。`, `Up to ${MAX_PINS} pins; differences are current minus pin, coloured by their effect on the pooled balance.`));
  head.append(pinButton, hint);
  const holder = node("div", "wi-compare-table");
  root.append(head, holder);
  let current = null; // {figures, label, city, year}

  function label(state) {
    const name = state.scenario?.name;
    const changed = state.changed ? t(`改动${state.changed}项`, `${state.changed} changed`) : t("改革方案原文", "reform as written");
    return `${name ? name + " · " : ""}${cityName(state.city, lang)} ${state.year} · ${changed}`;
  }

  function render() {
    holder.replaceChildren();
    root.dataset.pins = String(pins.length);
    if (!pins.length || !current) return;
    const table = node("table", "wi-compare-grid");
    const hrow = table.createTHead().insertRow();
    const th = (text, cls) => {
      const c = node("th", cls, text);
      hrow.append(c);
      return c;
    };
    th(t("全市合计", "City totals"));
    th(t("当前情景", "Current"), "wi-num").title = current.label;
    for (const p of pins) {
      const c = th("", "wi-num wi-pin-head");
      c.dataset.pin = String(p.id);
      c.append(node("span", "wi-pin-name", `${t("固定", "Pin")} ${p.id}`));
      c.title = p.label;
      const x = node("button", "wi-unpin", "×");
      x.type = "button";
      x.setAttribute("aria-label", t(`取消固定 ${p.id}`, `Unpin ${p.id}`));
      x.addEventListener("click", () => {
        pins.splice(pins.indexOf(p), 1);
        render();
      });
      c.append(x);
    }
    for (const p of pins) th(t(`当前 − 固定${p.id}`, `Current − pin ${p.id}`), "wi-num wi-delta").dataset.diff = String(p.id);
    const body = table.createTBody();
    current.figures.forEach((f, i) => {
      const row = body.insertRow();
      row.dataset.line = f.id;
      row.insertCell().textContent = t(f.zh, f.en);
      const cur = row.insertCell();
      cur.className = "wi-num";
      cur.textContent = show(f, f.value, lang);
      for (const p of pins) {
        const c = row.insertCell();
        c.className = "wi-num";
        c.dataset.pin = String(p.id);
        c.textContent = show(f, p.figures[i].value, lang);
      }
      for (const p of pins) {
        const d = differenceText(f, f.value - p.figures[i].value, lang);
        const c = row.insertCell();
        c.className = `wi-num wi-delta ${toneClass(d.better)}`;
        c.dataset.diff = String(p.id);
        c.textContent = d.text;
      }
    });
    const cap = table.createCaption();
    cap.textContent = [`${t("当前：", "Current: ")}${current.label}`, ...pins.map((p) => `${t(`固定${p.id}：`, `Pin ${p.id}: `)}${p.label}`)].join(t("　", "  ·  "));
    holder.append(table);
  }

  pinButton.addEventListener("click", () => {
    if (!current) return;
    if (pins.length >= MAX_PINS) pins.shift();
    pins.push({id: nextPin++, figures: current.figures, label: current.label, city: current.city, year: current.year});
    render();
  });

  root.update = (out, state) => {
    const figures = out.ok ? scenarioFigures(out) : null;
    pinButton.disabled = !figures;
    if (figures) current = {figures, label: label(state), city: state.city, year: state.year};
    render();
  };
  render();
  return root;
}
