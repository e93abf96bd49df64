// The result block of a goal-seek on the projection page (the build's, or one the worker ran): the
// value found, what it achieves — the months on the central path, or on the Monte Carlo band the
// percentile or the probability of falling short, with the draws used and the time taken — the
// scenario to save, and the bisection's steps. Both languages in the DOM (bi()).
//
//   seekResult(C, P, g, {source: "build" | "browser", edited, persons, band, check, seconds})
//
// g is goalSeekLever's result (src/model/projection/goal-seek.ts); band, for a band target, the
// form's {kind: "percentile" | "probability", level (percent: P, or p × 100), draws, samples,
// samplePersons, seed}; check the worker's band at the value ({quantile, shareBelow, draws}).
import {bi, el} from "./dom.js";
import {num} from "./format.js";
import {cityName} from "./cities.js";
import {scenarioYaml} from "./projection-files.js";
import {LEVER_NAMES, leverNowText, leverValueText} from "./projection-levers.js";
import {scenarioBlock} from "./projection-save.js";

const pct = (x, lang) => `${num(x * 100, {decimals: 1, lang})}%`;
/** "10th", "21st", "12.5th" (English ordinals of a percentile). */
export const ordinal = (n) => {
  const i = Math.round(n);
  if (i !== n) return `${n}th`;
  const s = i % 100 >= 11 && i % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][i % 10] ?? "th";
  return `${i}${s}`;
};

/** What a band target asks, as read: [中文, English] (the condition the value must meet). */
export function bandCondition(band, year, target) {
  if (band.kind === "percentile") {
    return [`${year}年末可支付月数的第 ${band.level} 百分位数 ≥ ${target} 个月`, `the ${ordinal(band.level)} percentile of the months of reserve at the end of ${year} ≥ ${target}`];
  }
  return [`P（${year}年末可支付月数 < ${target} 个月）≤ ${band.level}%`, `P(months of reserve at the end of ${year} < ${target}) ≤ ${band.level}%`];
}

/** The Monte Carlo a band goal-seek runs, as read: [中文, English]. */
export function drawsText(band) {
  return [
    `蒙特卡洛 ${band.draws} 次（${band.samples} 个各 ${num(band.samplePersons, {lang: "zh"})} 人的总体抽样，随机种子 ${band.seed}）`,
    `${band.draws} Monte Carlo draws (on ${band.samples} population draws of ${num(band.samplePersons, {lang: "en"})} persons, seed ${band.seed})`
  ];
}

export function seekResult(C, P, g, {source, edited, persons, band = null, check = null, seconds = null}) {
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
  // What the value achieves: the central path's months, or the band's percentile / probability.
  let achievedText;
  if (!band) achievedText = bi(`${g.year}年末可支付月数 ${achieved} 个月（目标 ≥ ${g.target}）`, `${achieved} months of reserve at the end of ${g.year} (target ≥ ${g.target})`);
  else if (band.kind === "percentile") {
    achievedText = bi(
      `${g.year}年末可支付月数第 ${band.level} 百分位数 ${achieved} 个月（目标 ≥ ${g.target}）`,
      `${ordinal(band.level)} percentile of the months of reserve at the end of ${g.year}: ${achieved} (target ≥ ${g.target})`
    );
  } else {
    achievedText = bi(`${g.year}年末可支付月数的 ${band.level}% 分位数 ${achieved} 个月（目标 ≥ ${g.target}）`, `the ${band.level}% quantile of the months at the end of ${g.year}: ${achieved} (target ≥ ${g.target})`);
  }
  const shareLine = check
    ? el(
        "span",
        {"data-metric": "seek-share", "data-value": check.shareBelow},
        bi(
          `P（可支付月数 < ${g.target}）= ${pct(check.shareBelow, "zh")}${band.kind === "probability" ? `（目标 ≤ ${band.level}%）` : ""}`,
          `P(months < ${g.target}) = ${pct(check.shareBelow, "en")}${band.kind === "probability" ? ` (target ≤ ${band.level}%)` : ""}`
        )
      )
    : null;
  const [dz, de] = band ? drawsText(band) : ["", ""];
  const secs = seconds === null ? "" : seconds.toFixed(1);
  const where =
    source === "build"
      ? bi(`构建时按假设文件预先计算（${LEVER_NAMES.cap[0]}、目标 ${g.target} 个月、${g.year}年、中值路径）。在上方选择后点“求解”在浏览器中重新计算。`, `Computed at build time with the assumptions files (${LEVER_NAMES.cap[1].toLowerCase()}, ${g.target} months, ${g.year}, central path). Choose above and press “Solve” to run one in the browser.`)
      : bi(
          `在浏览器中求解：${edited ? `按上方修改后的假设（${edited}项）` : "按假设文件"}，其他参数不变，参考样本 ${persons} 人${band ? `，每步${dz}` : "，中值路径"}${secs ? `，用时 ${secs} 秒` : ""}。`,
          `Solved in the browser ${edited ? `with the edited assumptions above (${edited} edited)` : "with the assumptions files"}, everything else unchanged, on the reference sample of ${persons} persons${band ? `, each step with ${de}` : ", central path"}${secs ? `, in ${secs} s` : ""}.`
        );
  const box = el(
    "div",
    {class: "fs-kpi pj-seek-result fs-goal", "data-status": status, "data-source": source, "data-lever": g.lever, "data-target-kind": band ? band.kind : "central"},
    el("div", {class: "fs-kpi-mid pj-seek-head", "data-metric": "goal-seek", style: "white-space: normal"}, head),
    el(
      "div",
      {class: "fs-kpi-sub"},
      el("span", {"data-metric": "seek-value", "data-value": g.value ?? ""}, bi(`取值：${vz}`, `value: ${ve}`)),
      " · ",
      el("span", {"data-metric": "seek-achieved", "data-value": g.achieved ?? ""}, achievedText),
      ...(shareLine ? [" · ", shareLine] : []),
      " · ",
      bi(`现行改革方案：${nz}`, `the reform now: ${ne}`)
    ),
    el(
      "div",
      {class: "fs-kpi-sub"},
      band ? el("span", {"data-metric": "seek-draws", "data-value": band.draws, "data-seconds": seconds ?? ""}, where) : where
    )
  );
  // The scenario to save: the CLI runs it (with the band's draws for a band target).
  const cliBand = band ? {kind: band.kind, level: band.kind === "percentile" ? band.level : band.level / 100, draws: band.draws, samples: band.samples, samplePersons: band.samplePersons} : null;
  const yaml = g.scenario
    ? scenarioYaml(g, {city: C.city, edited: edited > 0, persons, name: `${cityName(C.city, "zh")} ${cityName(C.city, "en")}`, band: cliBand})
    : source === "build"
      ? C.goalSeek.yaml
      : null;
  if (yaml) box.append(...scenarioBlock(yaml, `goal-seek-${C.city}-${g.lever}-${g.year}.yaml`, {edited: edited > 0}).filter(Boolean));
  const ev = el("details", {class: "fs-more"}, el("summary", {}, bi(`二分法求值过程（${g.evaluations.length}次）`, `Bisection steps (${g.evaluations.length})`)));
  const yHead = !band
    ? bi(`${g.year}年可支付月数`, `Months in ${g.year}`)
    : band.kind === "percentile"
      ? bi(`${g.year}年可支付月数第 ${band.level} 百分位数`, `${ordinal(band.level)} percentile of months in ${g.year}`)
      : bi(`${g.year}年可支付月数 ${band.level}% 分位数`, `${band.level}% quantile of months in ${g.year}`);
  const table = el(
    "table",
    {class: "fs-table pj-evaluations"},
    el("thead", {}, el("tr", {}, el("th", {class: "fs-num"}, "#"), el("th", {class: "fs-num"}, bi(lz, le)), el("th", {class: "fs-num"}, yHead))),
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
