// The goal-seek levers as the projection page reads them: their names, a value found and the
// reform's own value (C.levers of data/projection.json), each as [中文, English].
import {num} from "./format.js";

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
