// The what-if page's results column, updated straight from the controls' input events: each event
// sends the scenario to the worker (whatif-runner.js) and, when the figures come back, redraws the
// headline table and swaps the charts' rows (whatif-live.js). Going around Framework's reactive
// scheduling (which waits for animation frames between a slider event and a cell re-running)
// keeps a slider move to one worker round trip plus the redraw.
//
//   const panel = whatIfResults({runner, controls, lang, ageBands});
//   invalidation.then(() => panel.dispose());
// The panel is rebuilt (by its Framework cell) when the language changes; the charts take the
// panel's own width (a ResizeObserver redraws them when it changes).
import {accountRows, accountSpec, outflowRows, outflowSpec, problemsBox, summaryTable, winnerRows, winnerSpec} from "./whatif-charts.js";
import {liveChart} from "./whatif-live.js";
import {comparePanel} from "./whatif-compare.js";
import {translator} from "./i18n.js";

function div(cls) {
  const d = document.createElement("div");
  d.className = cls;
  return d;
}

export function whatIfResults({runner, controls, lang = "zh", ageBands}) {
  const t = translator(lang);
  const root = div("wi-results");
  const status = div("wi-status");
  const problems = div("wi-problems-holder");
  const table = div("wi-summary-holder");
  // While a number box holds an invalid value nothing is computed, and the figures say so.
  const stale = div("wi-stale-note");
  stale.setAttribute("role", "alert");
  stale.hidden = true;
  const compare = comparePanel({lang});
  const charts = [div("wi-chart-holder"), div("wi-chart-holder"), div("wi-chart-holder")];
  // Placeholders until the first draw: a page is "settled" once every .fs-chart holds a chart.
  for (const c of charts) c.append(Object.assign(document.createElement("figure"), {className: "fs-chart wi-pending"}));
  root.append(status, stale, problems, table, compare, ...charts);
  status.textContent = t(
    "正在载入规则代码和所选城市、年度的合成样本（2万名参保人的全年就诊记录），并按改革前、改革方案和当前情景计算……首次运行 npm run dev 时样本由数据加载器现场模拟，约需一分钟。",
    "Loading the rules and the chosen city-year's synthetic sample (20,000 insured and their year of claims), then computing the baseline, the reform and this scenario… On the first npm run dev the data loader simulates the sample first: about a minute."
  );

  let disposed = false;
  let shown = 0;
  let pending = null; // the newest result not yet drawn
  let last = null; // the result drawn last
  let width = 0; // the panel's width, once it is on the page
  const observer = new ResizeObserver(() => {
    const w = Math.floor(root.clientWidth);
    if (!w || Math.abs(w - width) < 8) return;
    width = w;
    if (!pending) pending = last;
    drain();
  });
  observer.observe(root);

  async function draw(out) {
    const state = controls.value;
    const file = (name) => `whatif-${name}-${state.city}-${state.year}`;
    // The timing goes in the tooltip and data attributes, not in the text (which stays the same
    // for the same scenario, so a reloaded page reads the same).
    status.textContent = "";
    status.dataset.run = String(out.id);
    status.dataset.ms = out.ms ? String(Math.round(out.ms.total)) : "";
    root.title = out.ms ? t(`重算用时 ${Math.round(out.ms.total)} 毫秒（第${out.id}次）`, `Recomputed in ${Math.round(out.ms.total)} ms (run ${out.id})`) : "";
    problems.replaceChildren(problemsBox(out, {lang}));
    table.replaceChildren(summaryTable(out, {lang}));
    controls.markProblems?.(out.ok ? [] : out.problems.map((p, k) => [out.problemsZh?.[k] ?? p, p]));
    compare.update(out, state);
    const flow = outflowRows(out, {lang});
    const win = winnerRows(out, {lang, ageBands});
    const acc = accountRows(out, {lang});
    const figures = await Promise.all([
      liveChart("outflows", outflowSpec(flow, {width, lang}), {width, lang, filename: file("outflows"), data: flow, run: out.id}),
      liveChart("winners", winnerSpec(win, {width, lang}), {width, lang, filename: file("winners"), data: win, run: out.id}),
      liveChart("accounts", accountSpec(acc, {width, lang}), {width, lang, filename: file("accounts"), data: acc, run: out.id})
    ]);
    if (disposed) return;
    figures.forEach((f, i) => charts[i].firstChild !== f && charts[i].replaceChildren(f));
    root.dataset.run = String(out.id);
  }

  let drawing = false;
  async function drain() {
    if (drawing) return;
    drawing = true;
    try {
      while (pending && width && !disposed) {
        const out = pending;
        pending = null;
        await draw(out);
        last = out;
      }
    } finally {
      drawing = false;
    }
  }

  /** Whether the controls hold an invalid value: then the figures are marked as not up to date and nothing runs. */
  function blocked() {
    const bad = controls.value?.invalid ?? [];
    stale.hidden = !bad.length;
    root.classList.toggle("wi-stale", bad.length > 0);
    if (!bad.length) return false;
    stale.replaceChildren(
      t("以下输入无效，未重新计算；下方仍为上一次有效输入的结果：", "Invalid input, not computed; the figures below are still those of the last valid input:"),
      ...bad.map((b) => {
        const line = document.createElement("div");
        line.textContent = t(`${b.labelZh}：${b.zh}`, `${b.labelEn}: ${b.en}`);
        return line;
      })
    );
    return true;
  }

  async function update(event) {
    if (event && event.target !== controls) return;
    if (blocked()) return;
    let out;
    try {
      out = await runner.run(controls.value);
    } catch (error) {
      status.textContent = `${t("无法载入样本", "Could not load the sample")}: ${error.message}`;
      return;
    }
    if (disposed || out.id <= shown) return; // a newer run has been drawn already
    shown = out.id;
    pending = out;
    drain();
  }

  controls.addEventListener("input", update);
  update();
  root.dispose = () => {
    disposed = true;
    observer.disconnect();
    controls.removeEventListener("input", update);
  };
  return root;
}
