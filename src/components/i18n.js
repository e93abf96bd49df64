// Chinese first, English on request. The language lives on <html data-lang>, set before the page
// renders by the boot script in the page head (src/components/layout.ts), toggled by the header's
// 中文 / English buttons, persisted in localStorage ("fundsim.lang") and in the URL (?lang=en).
//
// In a page:
//   import {lang, t} from "./components/i18n.js";
//   # ${t("总览", "Overview")}            ← re-renders when the language changes
//   const label = t.key("deductible");   ← from the shared dictionary below
// `lang` and `t` are generators, so Framework re-runs every cell that reads them when the reader
// toggles the language. Long static prose can instead be written twice in Markdown:
//   <div class="fs-zh">中文……</div><div class="fs-en">English…</div>   (CSS shows one)
//
// Importing this module also adds the skip link and the print-only line to the page (every page
// imports it): see ./page-chrome.js.
import "./page-chrome.js";

export const LANGS = ["zh", "en"];
const EVENT = "fundsim:lang";
/** The event the language toggle dispatches on document. */
export const LANG_EVENT = EVENT;
const KEY = "fundsim.lang";

/** The language now in force: "zh" or "en". */
export function currentLang() {
  if (typeof document === "undefined") return "zh";
  return document.documentElement.getAttribute("data-lang") === "en" ? "en" : "zh";
}

/** Switch the language everywhere on the page (header buttons call the same code). */
export function setLang(l) {
  if (typeof window !== "undefined" && window.fundsimLang) return window.fundsimLang.set(l);
  // No boot script (e.g. a page rendered outside this site's layout): minimal fallback.
  const lang = l === "en" ? "en" : "zh";
  document.documentElement.setAttribute("data-lang", lang);
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* ignore */
  }
  document.dispatchEvent(new CustomEvent(EVENT, {detail: lang}));
  return lang;
}

/** A translator for one language: t(zh, en) → the string for `lang`; t.key(k) reads DICT. */
export function translator(lang) {
  const t = (zh, en) => (lang === "en" ? (en ?? zh) : zh);
  t.lang = lang;
  t.locale = lang === "en" ? "en-US" : "zh-CN";
  t.key = (k) => {
    const e = DICT[k];
    if (!e) return k;
    return lang === "en" ? e[1] : e[0];
  };
  return t;
}

// Like Observable's Generators.observe: a generator of promises, one per change.
function observe(initialize) {
  let stale = false;
  let value;
  let resolve;
  const dispose = initialize((x) => {
    value = x;
    if (resolve) resolve(x), (resolve = null);
    else stale = true;
    return x;
  });
  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      return {done: false, value: stale ? ((stale = false), Promise.resolve(value)) : new Promise((r) => (resolve = r))};
    },
    throw() {
      return {done: true};
    },
    return() {
      if (dispose) dispose();
      return {done: true};
    }
  };
}

/** A fresh generator of the language: "zh", then each new choice. */
export function langGenerator(map = (l) => l) {
  return observe((change) => {
    change(map(currentLang()));
    if (typeof document === "undefined") return;
    const listener = (e) => change(map(e.detail === "en" ? "en" : "zh"));
    document.addEventListener(EVENT, listener);
    return () => document.removeEventListener(EVENT, listener);
  });
}

/** Reactive language for pages: "zh" | "en". */
export const lang = langGenerator();
/** Reactive translator for pages: t(zh, en), t.key(k), t.lang. */
export const t = langGenerator(translator);

/** Shared vocabulary: [中文, English]. Pages may use their own t(zh, en) for one-off text. */
export const DICT = {
  overview: ["总览", "Overview"],
  city: ["城市", "City"],
  cities: ["城市", "Cities"],
  reform: ["改革后", "Reform"],
  baseline: ["改革前（基线）", "Baseline (before the reform)"],
  active: ["在职", "Active"],
  retired: ["退休", "Retired"],
  flexible: ["灵活就业", "Flexible"],
  status: ["人员类别", "Status"],
  level: ["医疗机构级别", "Facility level"],
  level1: ["一级及以下", "Level 1 & below"],
  level2: ["二级", "Level 2"],
  level3: ["三级", "Level 3"],
  deductible: ["起付标准", "Deductible"],
  rate: ["支付比例", "Reimbursement rate"],
  cap: ["最高支付限额", "Annual cap"],
  account: ["个人账户", "Individual account"],
  accountCredit: ["个人账户划入", "Account crediting"],
  fund: ["统筹基金", "Pooling fund"],
  fundBalance: ["累计结余", "Accumulated balance"],
  monthsPayable: ["可支付月数", "Months of expenditure covered"],
  yoy: ["同比", "Year on year"],
  article: ["条款", "Article"],
  source: ["出处", "Source"],
  assumption: ["假设", "Assumption"],
  assumptionNote: ["政策文本未明确，此处为模型假设（可在情景中调整）", "The text leaves this open: a model assumption (adjustable in scenarios)"],
  exportPng: ["导出PNG", "Export PNG"],
  exportSvg: ["导出SVG", "Export SVG"],
  downloadCsv: ["下载CSV", "Download CSV"],
  chartError: ["图表无法显示", "The chart could not be drawn"],
  general: ["普通门诊统筹", "General outpatient pooling"],
  tcm: ["中医门诊", "TCM outpatient"],
  two_disease: ["两病用药", "Hypertension & diabetes drugs"],
  special_exam: ["门诊特殊检查", "Special outpatient exams"],
  wanYuan: ["万元", "10k yuan"],
  yuan: ["元", "yuan"],
  months: ["个月", "months"]
};

