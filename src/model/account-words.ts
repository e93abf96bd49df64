// A month's account credit (./accounts.ts `CreditExplain`) in words, Chinese or English. The English
// words are the contract's `accounts.months[].trace` line, unchanged since the calculator first
// printed it (tests and users match on it); the Chinese say the same for the page in Chinese.
import type { ArrearsNote, CreditBand, CreditBasis, CreditExplain, MonthCredit } from "./accounts.ts";
import { formatBp as bp, formatFen as fen } from "./money.ts";
import { basis, type Lang, yuan } from "./trace-words.ts";

/** A month's credit in both languages. */
export function creditWords(x: CreditExplain): { zh: string; en: string } {
  return { zh: creditText(x, "zh"), en: creditText(x, "en") };
}

export function creditText(x: CreditExplain, lang: Lang): string {
  return lang === "zh"
    ? `${STATUS_ZH[x.status]}：${basisZh(x.credit)}${x.band ? bandZh(x.band) : ""}${basis(x.refs)}${x.arrears ? arrearsZh(x.arrears) : ""}`
    : `${x.status}: ${basisEn(x.credit)}${x.band ? bandEn(x.band) : ""} — ${x.refs.join("; ")}${x.arrears ? arrearsEn(x.arrears) : ""}`;
}

// ---- English (the contract's trace) -------------------------------------------------------------

function basisEn(c: CreditBasis): string {
  switch (c.basis) {
    case "none":
      return "no account credit";
    case "base_missing":
      return "contributionBase not given";
    case "percent_of_base":
      return `${bp(c.bp)} of base ${fen(c.baseFen)}${c.employerFen ? ` + employer part ${bp(c.employerBp)}` : ""}`;
    case "fixed":
      return `fixed ${fen(c.fen)}/month from the pooled fund`;
    case "pension_missing":
      return "pension not given";
    case "percent_of_own_pension":
      return `${bp(c.bp)} of own pension ${fen(c.pensionFen)}`;
    case "percent_of_average_pension":
      return `${bp(c.bp)} of the ${c.provisional ? "provisional " : ""}average pension ${fen(c.averageFen)}`;
    case "true_up":
      return `${bp(c.bp)} of the average pension ${fen(c.averageFen)} + true-up ${c.months} × ${fen(c.differenceFen)} (补划差额)`;
  }
}

function bandEn(b: CreditBand): string {
  switch (b.band) {
    case "from":
      return ` (credit age band ${b.fromAge}+ 年龄段)`;
    case "under":
      return ` (credit age band 年龄段: under ${b.fromAge})`;
    case "no_birth_date":
      return ` (credit age band 年龄段: birthDate not given, the plain ${b.retired ? "retiree" : "active"} credit)`;
    case "no_birth_date_under70":
      return " (birthDate not given: the under-70 rate)";
  }
}

function arrearsEn(a: ArrearsNote): string {
  switch (a.arrears) {
    case "credited":
      return `; + arrears 补缴欠费 ${a.months} month(s) × ${bp(a.bp)} of base ${fen(a.baseFen)} = ${fen(a.fen)} — ${a.refs.join("; ")}`;
    case "base_missing":
      return `; + arrears 补缴欠费 ${a.months} month(s): contributionBase not given — ${a.refs.join("; ")}`;
    case "not_credited":
      return `; arrears 补缴欠费 ${a.months} month(s) paid: not credited (${a.reason === "no_account" ? "no individual account" : "this scheme sets no credit for arrears"})`;
  }
}

// ---- Chinese --------------------------------------------------------------------------------------

const STATUS_ZH: Record<MonthCredit["status"], string> = { active: "在职", retired: "退休", flexible: "灵活就业" };

function basisZh(c: CreditBasis): string {
  switch (c.basis) {
    case "none":
      return "不计入个人账户";
    case "base_missing":
      return "未填缴费基数，无法算出划入额";
    case "percent_of_base":
      return `按本人缴费基数 ${yuan(c.baseFen)} 的 ${bp(c.bp)} 计入${c.employerFen ? `，另加单位缴费划入部分（缴费基数的 ${bp(c.employerBp)}）` : ""}`;
    case "fixed":
      return `由统筹基金按定额每月 ${yuan(c.fen)} 划入`;
    case "pension_missing":
      return "未填养老金，无法算出划入额";
    case "percent_of_own_pension":
      return `按本人基本养老金 ${yuan(c.pensionFen)} 的 ${bp(c.bp)} 划入`;
    case "percent_of_average_pension":
      return c.provisional
        ? `暂按基本养老金平均水平的暂定基数 ${yuan(c.averageFen)} 的 ${bp(c.bp)} 划入`
        : `按基本养老金平均水平 ${yuan(c.averageFen)} 的 ${bp(c.bp)} 划入`;
    case "true_up":
      return `按基本养老金平均水平 ${yuan(c.averageFen)} 的 ${bp(c.bp)} 划入，另补划差额 ${c.months} 个月 × ${yuan(c.differenceFen)}`;
  }
}

function bandZh(b: CreditBand): string {
  switch (b.band) {
    case "from":
      return `（划入年龄段：${b.fromAge}岁及以上）`;
    case "under":
      return `（划入年龄段：不满${b.fromAge}岁）`;
    case "no_birth_date":
      return `（划入年龄段：未填出生日期，按${b.retired ? "退休人员" : "在职职工"}的一般标准）`;
    case "no_birth_date_under70":
      return "（未填出生日期：按70岁以下的标准）";
  }
}

function arrearsZh(a: ArrearsNote): string {
  switch (a.arrears) {
    case "credited":
      return `；另补缴欠费 ${a.months} 个月，每月按本人缴费基数 ${yuan(a.baseFen)} 的 ${bp(a.bp)} 计入，共 ${yuan(a.fen)}${basis(a.refs)}`;
    case "base_missing":
      return `；另补缴欠费 ${a.months} 个月：未填缴费基数，无法算出计入额${basis(a.refs)}`;
    case "not_credited":
      return `；已补缴欠费 ${a.months} 个月：不计入（${a.reason === "no_account" ? "无个人账户计入" : "本方案未规定补缴欠费计入个人账户"}）`;
  }
}
