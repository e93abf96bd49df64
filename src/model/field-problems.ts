// A problem with one field of the calculator's input, in both languages. The command line prints
// `${field}: ${en}` (problemLine), as it always has; the calculator page shows the Chinese or the
// English beside the field, with claims counted from 1 as a reader counts them (claims[3] is
// 第4条 / claim 4), while `field` keeps the input's own 0-based path.
import { showValue } from "./limits.ts";

export interface FieldProblem {
  /** The field as the input names it: "claims[3].amount", "person.birthDate", "(input)". */
  field: string;
  /** The claim's row counted from 1 (claims[3] → 4) when the field is a claim's; else null. */
  row: number | null;
  /** The field in words: {zh: "第4条就诊记录 · 费用", en: "claim 4 · amount"}. */
  where: { zh: string; en: string };
  /** What is wrong, without the field: Chinese, and English (the command line's words). */
  zh: string;
  en: string;
}

/** The command line's line for a problem. */
export const problemLine = (p: FieldProblem): string => `${p.field}: ${p.en}`;

/** The words for the input's keys: [中文, English]; a key not here (a typo) is shown as written. */
const KEY_WORDS: Record<string, [string, string]> = {
  "(input)": ["输入", "input"],
  city: ["城市", "city"],
  scenario: ["方案", "scenario"],
  year: ["账户年度", "account year"],
  person: ["参保人", "person"],
  claims: ["就诊记录", "claims"],
  status: ["人员类别", "status"],
  birthDate: ["出生日期", "birth date"],
  oldWorker: ["建国前老工人", "pre-1949 veteran worker"],
  twoDiseases: ["两病备案", "two diseases"],
  retiredOn: ["享受退休待遇日期", "retiree benefits from"],
  hasAccount: ["有个人账户", "has an account"],
  contributionBase: ["缴费基数", "contribution base"],
  pension: ["本人养老金", "own pension"],
  accountBalance: ["个人账户年初余额", "opening account balance"],
  arrears: ["补缴欠费", "arrears paid back"],
  paidOn: ["补缴日期", "paid on"],
  months: ["补缴月数", "months"],
  stays: ["住院期间", "inpatient stays"],
  from: ["起始日期", "from"],
  to: ["结束日期", "to"],
  chronic: ["门诊慢特病", "chronic/special disease"],
  contributionYears: ["累计缴费年限", "contribution years"],
  date: ["日期", "date"],
  kind: ["类别", "kind"],
  level: ["级别", "level"],
  amount: ["费用", "amount"],
  eligible: ["政策范围内", "eligible"],
  setting: ["场所", "setting"],
  area: ["地区", "area"],
  designated: ["定点", "designated"],
  emergency: ["急诊", "emergency"],
  prescription: ["外配处方", "prescription"],
  facility: ["机构", "facility"],
  flags: ["标记", "flags"],
  chosenFacility: ["选定定点", "chosen facility"],
  facilityType: ["机构类型", "facility type"],
};

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g;
/** An input path: "(input)", "claims[2].amount", "person.stays[0].to"; not a file's name. */
const PATH = /^(?:\(input\)|[A-Za-z_$][\w$]*)(?:\[\d+\])*(?:\.[A-Za-z_$][\w$]*(?:\[\d+\])*)*$/;

/** A field path in words, each list entry counted from 1 (anything else, e.g. a file, as it is). */
export function fieldWhere(field: string): { zh: string; en: string } {
  if (!PATH.test(field)) return { zh: field, en: field };
  const zh: string[] = [];
  const en: string[] = [];
  let last = "";
  for (const m of field.matchAll(SEGMENT)) {
    if (m[2] !== undefined) {
      const n = Number(m[2]) + 1;
      if (last === "claims") {
        zh[zh.length - 1] = `第${n}条就诊记录`;
        en[en.length - 1] = `claim ${n}`;
      } else {
        zh[zh.length - 1] += `第${n}项`;
        en[en.length - 1] += ` ${n}`;
      }
      last = "";
      continue;
    }
    const w = KEY_WORDS[m[1]];
    zh.push(w ? w[0] : `“${m[1]}”`);
    en.push(w ? w[1] : `"${m[1]}"`);
    last = m[1];
  }
  return { zh: zh.join(" · "), en: en.join(" · ") };
}

/** The 1-based claim row of a field ("claims[3].amount" → 4), or null. */
export function claimRow(field: string): number | null {
  const m = /^claims\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) + 1 : null;
}

export function fieldProblem(field: string, en: string, zh: string): FieldProblem {
  return { field, row: claimRow(field), where: fieldWhere(field), zh, en };
}

/** A bad value as a Chinese message shows it: as showValue, with its words for what is not a value. */
export function showZh(v: unknown): string {
  if (v === undefined) return "（未填）";
  if (Array.isArray(v)) return `含 ${v.length} 项的列表`;
  if (typeof v === "object" && v !== null) return "一个对象";
  const s = showValue(v);
  return s === "an unprintable value" ? "无法显示的值" : s;
}

/** The problems found so far, in order. */
export class ProblemList {
  readonly items: FieldProblem[] = [];
  add(field: string, en: string, zh: string): void {
    this.items.push(fieldProblem(field, en, zh));
  }
  get length(): number {
    return this.items.length;
  }
  lines(): string[] {
    return this.items.map(problemLine);
  }
}
