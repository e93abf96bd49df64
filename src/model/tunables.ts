// The tunable parameters of a city's scheme — every amount, rate and coverage choice its policy
// data holds, with the words, groups and slider ranges the what-if page shows for them. Separate
// because it reads the policy file's shape; scenario-edits.ts turns edits of them into a scenario.
import { policyCard } from "./card.ts";
import type { Policy } from "./policy.ts";
import { isRecord } from "./scenario-path.ts";

export type TunableKind = "yuan" | "percent" | "choice";

export interface Tunable {
  /** The dotted path a scenario's `set` names (the parameter's path plus any part inside its value). */
  path: string;
  /** The parameter's own path and the keys inside its value. */
  param: string;
  inner: string[];
  kind: TunableKind;
  /** For "choice": the allowed values. */
  options?: Array<{ value: string; zh: string; en: string }>;
  /** A yuan amount that may also be "none" (no cap). */
  allowNone?: boolean;
  min?: number;
  max?: number;
  step?: number;
  group: string;
  groupZh: string;
  groupEn: string;
  labelZh: string;
  labelEn: string;
  ref: string;
  assumption: boolean;
  note?: string;
  /** The parameter has dated values: an edit applies from 1 January of the simulated year. */
  dated: boolean;
}

const GROUPS: Array<[RegExp, string, string, string]> = [
  [/^benefits\.general\./, "general", "普通门诊统筹", "General outpatient pooling"],
  [/^benefits\.tcm\./, "tcm", "中医门诊", "TCM outpatient"],
  [/^benefits\.two_disease\./, "two_disease", "两病用药", "Hypertension & diabetes drugs"],
  [/^benefits\.special_exam\./, "special_exam", "门诊特殊检查治疗", "Special examinations"],
  [/^caps\./, "caps", "年度最高支付限额", "Annual caps"],
  [/^secondPayment\./, "secondPayment", "大额医疗费用二次支付", "Second payment"],
  [/^accounts\./, "accounts", "个人账户划入", "Individual-account crediting"],
  [/^coverage\./, "coverage", "支付范围", "Coverage"],
];

const INNER_WORDS: Record<string, [string, string]> = {
  active: ["在职", "active"],
  retired: ["退休", "retired"],
  level1: ["一级及以下", "level 1"],
  level2: ["二级", "level 2"],
  level3: ["三级", "level 3"],
  hypertension: ["高血压", "hypertension"],
  diabetes: ["糖尿病", "diabetes"],
  both: ["两病均有", "both diseases"],
  percentOfBase: ["缴费基数比例", "% of contribution base"],
  employerPercentOfBase: ["单位缴费划入比例", "employer part, % of base"],
  percentOfOwnPension: ["本人养老金比例", "% of own pension"],
  percentOfAveragePension: ["平均养老金比例", "% of average pension"],
  averagePension: ["平均养老金（元/月）", "average pension (yuan/month)"],
  provisionalAveragePension: ["暂按平均养老金（元/月）", "provisional average pension (yuan/month)"],
  fixed: ["定额（元/月）", "fixed (yuan/month)"],
  rateAdjustment: ["比例调整", "rate adjustment"],
  threshold: ["可共济的余额门槛（元）", "balance kept back (yuan)"],
};

const CHOICES: Array<[RegExp, string[]]> = [
  [/^coverage\.flexibleWithoutAccount$/, ["covered", "excluded"]],
  [/^coverage\.nonDesignated$/, ["emergency_only", "excluded"]],
  [/^coverage\.chronicOverflow$/, ["general", "excluded"]],
  [/^coverage\.duringInpatientStay$/, ["excluded", "paid"]],
  [/^coverage\.pharmacy\.level$/, ["prescribing", "level1", "level2", "level3"]],
  [/^coverage\.pharmacy\.withoutPrescription$/, ["excluded", "paid"]],
  [/^coverage\.areas\.\w+$/, ["same", "excluded"]],
  [/^benefits\.\w+\.deductible\.scope$/, ["combined", "per_facility"]],
  [/^accounts\.retireeCreditStarts$/, ["next_month", "same_month"]],
];

const CHOICE_WORDS: Record<string, [string, string]> = {
  covered: ["享受", "covered"],
  excluded: ["不予支付", "not paid"],
  emergency_only: ["仅急诊抢救", "emergencies only"],
  general: ["纳入普通门诊统筹", "general pooling"],
  prescribing: ["按开具处方机构级别", "prescribing facility's level"],
  level1: ["按一级", "as level 1"],
  level2: ["按二级", "as level 2"],
  level3: ["按三级", "as level 3"],
  paid: ["支付", "paid"],
  same: ["与本地一致", "as local"],
  combined: ["合并计算", "combined"],
  per_facility: ["按定点机构分别计算", "per facility"],
  next_month: ["退休次月起", "from the next month"],
  same_month: ["退休当月起", "from the same month"],
};

const isRawParam = (x: unknown): x is Record<string, unknown> => isRecord(x) && ("value" in x || "values" in x) && "ref" in x;

/** Keys inside a raw value that hold numbers (or "55%"), as paths. */
function leaves(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v === "number" || (typeof v === "string" && /%$/.test(v.trim()))) return [prefix];
  if (isRecord(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
  return [];
}

/** A round step for a slider reaching `max`. */
function niceStep(max: number): number {
  const raw = max / 200;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}
const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

function numberOf(raw: unknown): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "string") return Number(raw.trim().replace(/%$/, ""));
  return NaN;
}

/**
 * The tunable parameters of a city's scheme, from its policy data: every amount and rate (inside a
 * parameter's value as the file writes it: by level, by status, by disease, by credit formula), and
 * the coverage choices. Labels come from the policy card; ranges from the kind and the current value.
 */
export function deriveTunables(policy: Policy, schemeName: "reform" | "baseline" = "reform"): Tunable[] {
  const raw = policy.raw[schemeName] as Record<string, unknown>;
  const period = (raw.period ?? {}) as { from?: string; until?: string };
  const card = new Map(policyCard(policy, schemeName, period.from ?? "2023-01-01").map((r) => [r.key, r]));
  const out: Tunable[] = [];
  const walk = (node: unknown, path: string) => {
    if (!isRecord(node)) return;
    if (isRawParam(node)) return visit(path, node);
    for (const [k, v] of Object.entries(node)) if (k !== "label" && k !== "period") walk(v, path ? `${path}.${k}` : k);
  };
  // A benefit's rows sit under the benefit's heading: drop the card's "普通门诊统筹·" prefix.
  let inBenefit = false;
  const own = (label: string, lang: "zh" | "en") => (!inBenefit ? label : lang === "zh" ? label.replace(/^[^·]+·/, "") : label.replace(/^[^:]+: /, ""));
  const visit = (param: string, node: Record<string, unknown>) => {
    inBenefit = param.startsWith("benefits.");
    const group = GROUPS.find(([re]) => re.test(param));
    if (!group) return; // kinds.* (which benefit pays a claim kind) are structure, not amounts
    const values: unknown[] = isRecord(node.values) ? Object.values(node.values) : [node.value];
    const dated = isRecord(node.values) && Object.keys(node.values).length > 1;
    const row = card.get(param);
    const common = {
      param,
      group: group[1],
      groupZh: group[2],
      groupEn: group[3],
      ref: String(node.ref),
      assumption: node.assumption === true,
      note: typeof node.note === "string" ? node.note : undefined,
      dated,
    };
    const choice = CHOICES.find(([re]) => re.test(param));
    if (choice && values.every((v) => typeof v === "string")) {
      out.push({
        ...common,
        path: param,
        inner: [],
        kind: "choice",
        options: choice[1].map((value) => ({ value, zh: CHOICE_WORDS[value]?.[0] ?? value, en: CHOICE_WORDS[value]?.[1] ?? value })),
        labelZh: own(row?.labelZh ?? param, "zh"),
        labelEn: own(row?.labelEn ?? param, "en"),
      });
      return;
    }
    if (/\.(mechanism|pool|sameAs)$/.test(param) || /\.caps$/.test(param) || /trueUpMonth/.test(param)) return;
    // Leaves: the union over the dated values (Jinan's credit formulas change shape in 2024).
    const seen = new Map<string, { inner: string[]; current: number[]; percent: boolean }>();
    for (const v of values) {
      for (const inner of leaves(v)) {
        if (inner.includes("trueUpMonth")) continue;
        const key = inner.join(".");
        let x: unknown = v;
        for (const k of inner) x = (x as Record<string, unknown>)[k];
        const e = seen.get(key) ?? { inner, current: [], percent: typeof x === "string" };
        e.current.push(numberOf(x));
        seen.set(key, e);
      }
    }
    const isCap = /^secondPayment\.cap$/.test(param);
    if (isCap && !seen.size) seen.set("", { inner: [], current: [0], percent: false });
    for (const { inner, current, percent } of seen.values()) {
      const last = inner[inner.length - 1] ?? param.split(".").pop()!;
      const cur = Math.max(0, ...current.filter(Number.isFinite).map(Math.abs));
      let min = 0, max: number, step: number;
      if (percent) {
        if (/Uplift$|^uplift$/.test(last) || /\.rate\.(retireeUplift|oldWorkerUplift|uplift)$/.test(param)) [max, step] = [30, 1];
        else if (last === "rateAdjustment") [min, max, step] = [-50, 50, 1];
        else if (/PercentOfBase|percentOf/.test(last)) [max, step] = [Math.max(10, roundUp(cur * 2, 1)), 0.1];
        else [max, step] = [100, 1];
      } else if (/Pension$|^fixed$/.test(last)) {
        max = last === "fixed" ? Math.max(300, roundUp(cur * 3, 50)) : Math.max(10000, roundUp(cur * 2, 1000));
        step = last === "fixed" ? 1 : 10;
      } else if (/deductible/.test(param)) {
        // A per-visit deductible is tens of yuan; an annual one hundreds.
        const benefit = param.split(".")[1];
        const mech = (raw.benefits as Record<string, { deductible?: { mechanism?: { value?: unknown; values?: Record<string, unknown> } } }>)?.[benefit]?.deductible?.mechanism;
        const perVisit = [mech?.value, ...Object.values(mech?.values ?? {})].includes("per_visit");
        [max, step] = perVisit ? [Math.max(300, roundUp(cur * 3, 50)), 5] : [Math.max(1500, roundUp(cur * 3, 100)), 10];
      } else if (/^secondPayment\.threshold$/.test(param) || isCap) {
        max = Math.max(20000, roundUp(cur * 2, 1000));
        step = 100;
      } else {
        max = Math.max(5000, roundUp(cur * 3, 1000));
        step = niceStep(max) < 10 ? 10 : niceStep(max);
      }
      const words = inner.map((k) => INNER_WORDS[k] ?? [k, k]);
      out.push({
        ...common,
        path: [param, ...inner].join("."),
        inner,
        kind: percent ? "percent" : "yuan",
        ...(isCap ? { allowNone: true } : {}),
        min,
        max,
        step,
        labelZh: [own(row?.labelZh ?? param, "zh"), ...words.map((w) => w[0])].join("·"),
        labelEn: [own(row?.labelEn ?? param, "en"), ...words.map((w) => w[1])].join(", "),
      });
    }
  };
  walk(raw, "");
  return out;
}
