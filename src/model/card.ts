// A city's rules as a card: each parameter in force on a date, written as the text writes it
// ("55%", 200 yuan), with its article. Used by the pages and the methods table.
import { parseIsoDay } from "./dates.ts";
import type { Policy } from "./policy.ts";

export interface CardRow {
  key: string;
  labelZh: string;
  labelEn: string;
  value: string;
  valueEn: string;
  ref: string;
  assumption: boolean;
  note?: string;
  rating?: string;
  /** The value changes on a later date within the period (Jinan 2024). */
  changes: string[];
}

const LABELS: Array<[RegExp, string, string]> = [
  [/^benefits\.(\w+)\.deductible\.amount$/, "起付标准", "deductible"],
  [/^benefits\.(\w+)\.deductible\.mechanism$/, "起付方式", "deductible basis"],
  [/^benefits\.(\w+)\.deductible\.pool$/, "起付线累计", "deductible pool"],
  [/^benefits\.(\w+)\.deductible\.scope$/, "起付线计算范围", "deductible scope"],
  [/^benefits\.(\w+)\.rate\.level1$/, "一级及以下支付比例", "rate, level 1"],
  [/^benefits\.(\w+)\.rate\.level2$/, "二级支付比例", "rate, level 2"],
  [/^benefits\.(\w+)\.rate\.level3$/, "三级支付比例", "rate, level 3"],
  [/^benefits\.(\w+)\.rate\.retireeUplift$/, "退休人员提高", "retiree uplift"],
  [/^benefits\.(\w+)\.rate\.oldWorkerUplift$/, "建国前老工人提高", "old-worker uplift"],
  [/^benefits\.(\w+)\.rate\.sameAs$/, "支付比例同", "rates as"],
  [/^benefits\.(\w+)\.rate\.uplift$/, "比例提高", "rate uplift"],
  [/^benefits\.(\w+)\.caps$/, "计入限额", "caps consumed"],
  [/^benefits\.(\w+)\.deductible\.amountByAge$/, "各年龄段起付标准", "deductible by age band"],
  [/^benefits\.(\w+)\.deductible\.community$/, "社区卫生服务中心起付标准", "deductible at a community health centre"],
  [/^benefits\.(\w+)\.deductible\.accountFirst$/, "个人账户先行支付（自负段）", "account pays first (自负段)"],
  [/^benefits\.(\w+)\.rate\.ageUplift$/, "各年龄段比例提高", "rate uplift by age band"],
  [/^benefits\.(\w+)\.rate\.community$/, "社区卫生服务中心支付比例", "rate at a community health centre"],
  [/^benefits\.(\w+)\.perVisitCap$/, "单次最高支付", "per-visit cap"],
  [/^ageBands$/, "年龄段起始年龄", "age bands from"],
  [/^caps\.pharmacy$/, "定点零售药店购药年度限额", "annual cap, pharmacy purchases"],
  [/^caps\.generalGrowth$/, "按缴费年限提高限额", "cap growth by contribution years"],
  [/^coverage\.notChosenFacility$/, "非选定定点医疗机构就医", "away from the chosen facility"],
  [/^accounts\.activeByAge$/, "在职职工按年龄段划入", "account credit, active, by age band"],
  [/^accounts\.retiredByAge$/, "退休人员按年龄段划入", "account credit, retired, by age band"],
  [/^caps\.general$/, "普通门诊年度最高支付限额", "annual cap, general"],
  [/^caps\.twoDisease$/, "两病年度限额", "annual cap, two diseases"],
  [/^secondPayment\.threshold$/, "二次支付起付标准", "second payment threshold"],
  [/^secondPayment\.rate$/, "二次支付比例", "second payment rate"],
  [/^secondPayment\.cap$/, "二次支付限额", "second payment cap"],
  [/^accounts\.active$/, "在职职工个人账户划入", "account credit, active"],
  [/^accounts\.flexible$/, "灵活就业人员个人账户划入", "account credit, flexible"],
  [/^accounts\.flexibleWithoutAccount$/, "单建统筹人员", "pool-only members"],
  [/^accounts\.retired$/, "退休人员个人账户划入", "account credit, retired"],
  [/^accounts\.retiredAged70$/, "70周岁及以上退休人员划入", "account credit, retired 70+"],
  [/^accounts\.retireeCreditStarts$/, "在职转退休划入调整", "retiree credit starts"],
  [/^accounts\.familyUse$/, "个人账户家庭共济", "family use of accounts"],
  [/^accounts\.arrears$/, "补缴欠费划入个人账户", "arrears paid back, credited"],
  [/^coverage\.duringInpatientStay$/, "住院及日间手术期间门诊", "outpatient claims during an inpatient stay"],
  [/^coverage\.flexibleWithoutAccount$/, "无个人账户的灵活就业人员", "flexible workers without account"],
  [/^coverage\.nonDesignated$/, "非定点机构", "non-designated facilities"],
  [/^coverage\.nonDesignatedByArea\.local$/, "统筹区内非定点机构", "non-designated facilities in the city"],
  [/^coverage\.nonDesignatedByArea\.in_province$/, "省内临时外出非定点机构", "non-designated facilities, temporary in province"],
  [/^coverage\.nonDesignatedByArea\.out_of_province$/, "省外临时外出非定点机构", "non-designated facilities, temporary out of province"],
  [/^coverage\.nonDesignatedByArea\.registered_elsewhere$/, "异地长期居住地非定点机构", "non-designated facilities at a long-term residence"],
  [/^coverage\.claimFlags\.work_injury$/, "应由工伤保险基金支付", "payable by work-injury insurance"],
  [/^coverage\.claimFlags\.third_party$/, "应由第三人负担", "borne by a third party"],
  [/^coverage\.claimFlags\.public_health$/, "应由公共卫生负担", "borne by public health"],
  [/^coverage\.claimFlags\.wellness$/, "体育健身、养生保健、健康体检", "fitness, wellness, check-ups"],
  [/^coverage\.claimFlags\.no_card$/, "未持社会保障卡或医保电子凭证结算", "settled without card or e-voucher"],
  [/^coverage\.claimFlags\.arrears_period$/, "欠费期间或待遇等待期", "arrears or waiting period"],
  [/^coverage\.claimFlags\.other_not_payable$/, "其它不符合统筹基金支付范围", "otherwise outside the fund's scope"],
  [/^averages\.(\w+)$/, "平均水平（计算基数）", "named average"],
  [/^coverage\.twoDiseaseWithChronic$/, "符合门诊慢特病标准的两病患者", "two-disease patients in the chronic scheme"],
  [/^kinds\.atPharmacy\.tcm$/, "中医门诊·定点零售药店支付渠道", "TCM at a pharmacy: paid under"],
  [/^kinds\.atPharmacy\.two_disease$/, "两病用药·定点零售药店支付渠道", "two-disease drugs at a pharmacy: paid under"],
  [/^kinds\.atPharmacy\.special_exam$/, "特殊检查治疗·定点零售药店支付渠道", "special exams at a pharmacy: paid under"],
  [/^coverage\.chronicOverflow$/, "慢特病自付部分", "chronic/special self-pay"],
  [/^coverage\.areas\.in_province$/, "省内临时外出就医", "temporary, in province"],
  [/^coverage\.areas\.out_of_province$/, "省外临时外出就医", "temporary, out of province"],
  [/^coverage\.areas\.registered_elsewhere$/, "异地长期居住备案", "registered long-term residents"],
  [/^coverage\.pharmacy\.level$/, "定点零售药店按", "pharmacy paid at"],
  [/^coverage\.pharmacy\.withoutPrescription$/, "无外配处方购药", "pharmacy without prescription"],
  [/^kinds\.(\w+)$/, "支付渠道", "paid under"],
];

const BENEFIT_ZH: Record<string, [string, string]> = {
  general: ["普通门诊统筹", "general pooling"],
  tcm: ["中医门诊", "TCM"],
  two_disease: ["两病用药", "two diseases"],
  special_exam: ["特殊检查治疗", "special exams"],
};
const KIND_ZH: Record<string, [string, string]> = { tcm: ["中医门诊", "TCM claims"], two_disease: ["两病用药", "two-disease drugs"], special_exam: ["特殊检查治疗", "special exams"] };

const WORDS: Record<string, [string, string]> = {
  active: ["在职", "active"],
  retired: ["退休", "retired"],
  level1: ["一级", "level 1"],
  level2: ["二级", "level 2"],
  level3: ["三级", "level 3"],
  hypertension: ["高血压", "hypertension"],
  diabetes: ["糖尿病", "diabetes"],
  both: ["两病均有", "both"],
  annual: ["按年度累计", "annual, cumulative"],
  per_visit: ["按次", "per visit"],
  none: ["无", "none"],
  combined: ["合并计算", "combined"],
  per_facility: ["按定点机构分别计算", "per facility"],
  covered: ["享受", "covered"],
  excluded: ["不予支付", "not paid"],
  same: ["与本地一致", "as local"],
  emergency_only: ["急诊抢救除外不予支付", "not paid unless emergency"],
  prescribing: ["开具处方机构级别", "prescribing facility's level"],
  paid: ["支付", "paid"],
  chronic_scheme: ["执行门诊慢特病政策，不重复享受", "chronic scheme only"],
  next_month: ["次月起", "from the next month"],
  same_month: ["享受退休待遇起", "from the month benefits start"],
  general: ["普通门诊统筹", "general pooling"],
  tcm: ["中医门诊", "TCM"],
  two_disease: ["两病", "two diseases"],
  twoDisease: ["两病限额", "two-disease cap"],
  special_exam: ["特殊检查治疗", "special exams"],
  percentOfBase: ["缴费基数的", "of base"],
  employerPercentOfBase: ["单位划入", "employer part"],
  fixed: ["定额", "fixed"],
  percentOfOwnPension: ["本人养老金的", "of own pension"],
  percentOfAveragePension: ["平均养老金的", "of average pension"],
  averagePension: ["平均养老金", "average pension"],
  provisionalAveragePension: ["暂按", "provisional"],
  trueUpMonth: ["补差月份", "true-up month"],
  rateAdjustment: ["比例调整", "rate adjustment"],
  threshold: ["可用余额超过", "balance above"],
  shareOf: ["按平均水平", "share of average"],
  percent: ["比例", "percent"],
  fromAge: ["起始年龄", "from age"],
  credit: ["划入", "credit"],
  fromYears: ["缴费年限满", "from contribution years"],
  add: ["提高", "add"],
};

/** Keys whose value reads before the word in English ("2% of base") but after it in Chinese. */
const VALUE_FIRST_EN = new Set(["percentOfBase", "percentOfOwnPension", "percentOfAveragePension"]);

function words(v: unknown, lang: 0 | 1, key = ""): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => words(x, lang, key)).join(lang ? " + " : "、") : lang ? "none" : "无";
  if (typeof v === "boolean") return v ? (lang ? "yes" : "是") : lang ? "no" : "否";
  // Ages and years, not yuan.
  if (typeof v === "number" && (key === "ageBands" || key === "fromAge")) return `${v}${lang ? "" : "周岁"}`;
  if (typeof v === "number" && key === "fromYears") return `${v}${lang ? " years" : "年"}`;
  if (v !== null && typeof v === "object") {
    return Object.entries(v)
      .map(([k, x]) => (lang === 1 && VALUE_FIRST_EN.has(k) ? `${words(x, lang, k)} ${WORDS[k][1]}` : `${WORDS[k]?.[lang] ?? k} ${words(x, lang, k)}`))
      .join(" / ");
  }
  if (typeof v === "number") return key === "trueUpMonth" ? `${v}${lang ? "" : "月"}` : `${v}${lang ? " yuan" : "元"}`;
  if (typeof v === "string") return v.endsWith("%") ? v : (WORDS[v]?.[lang] ?? v);
  return String(v);
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The card of a scheme ("reform" or "baseline") on an ISO date. */
export function policyCard(policy: Policy, scheme: "reform" | "baseline", isoDate: string): CardRow[] {
  const raw = policy.raw[scheme] as Record<string, unknown>;
  const day = parseIsoDay(isoDate);
  if (day === null) throw new Error(`policyCard: not a date: ${isoDate}`);
  const rows: CardRow[] = [];
  const walk = (node: unknown, path: string) => {
    if (!isObj(node)) return;
    if (("value" in node || "values" in node) && "ref" in node) {
      let value: unknown = node.value;
      const changes: string[] = [];
      if (isObj(node.values)) {
        const keys = Object.keys(node.values).sort();
        const inForce = keys.filter((k) => k <= isoDate).pop() ?? keys[0];
        value = node.values[inForce];
        for (const k of keys) if (k > isoDate) changes.push(`${k}: ${words(node.values[k], 0)}`);
      }
      const m = LABELS.find(([re]) => re.test(path));
      const sub = /^benefits\.(\w+)\./.exec(path)?.[1] ?? /^kinds\.(\w+)$/.exec(path)?.[1];
      const prefixZh = sub ? `${(path.startsWith("kinds") ? KIND_ZH : BENEFIT_ZH)[sub]?.[0] ?? sub}·` : "";
      const prefixEn = sub ? `${(path.startsWith("kinds") ? KIND_ZH : BENEFIT_ZH)[sub]?.[1] ?? sub}: ` : "";
      rows.push({
        key: path,
        labelZh: prefixZh + (m?.[1] ?? path),
        labelEn: prefixEn + (m?.[2] ?? path),
        value: words(value, 0, path.split(".").pop()),
        valueEn: words(value, 1, path.split(".").pop()),
        ref: String(node.ref),
        assumption: node.assumption === true,
        note: typeof node.note === "string" ? node.note : undefined,
        rating: typeof node.rating === "string" ? node.rating : undefined,
        changes,
      });
      return;
    }
    for (const [k, v] of Object.entries(node)) if (k !== "label" && k !== "period") walk(v, path ? `${path}.${k}` : k);
  };
  walk(raw, "");
  return rows;
}
