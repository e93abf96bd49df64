// Individual-account credits (个人账户划入), month by month, as the scheme in force each month says.
import { ageOn, monthStart } from "./dates.ts";
import { applyRate, formatBp, formatFen } from "./money.ts";
import type { CreditRule } from "./policy-schema.ts";
import { type AccountRules, rulesAt, type Scheme } from "./policy.ts";
import type { Person } from "./types.ts";

export interface MonthCredit {
  month: number; // 1–12
  status: "active" | "flexible" | "retired";
  /** Fen credited, or null when an input the rule needs is missing. */
  creditFen: number | null;
  /** Part of the credit that is the employer's contribution (before the reform). */
  employerFen: number;
  /** Whether the pooled fund pays it (retiree fixed credits after the reform) rather than contributions. */
  fromPool: boolean;
  /** Part of the credit that is arrears paid back this month (补缴欠费): never from the pooled fund. */
  arrearsFen: number;
  /** Part of the credit the pooled fund pays (known even when an arrears part is not). */
  poolFen: number;
  trace: string;
}

/** Retired for crediting in `month`: from the month retiree benefits start, or the next one. */
export function creditsAsRetired(person: Person, year: number, month: number, starts: "next_month" | "same_month"): boolean {
  if (person.retiredOnDay === undefined) return person.status === "retired";
  const switchDay = person.retiredOnDay;
  // Credits switch at the first month start on or after retiredOn (same_month: its own month).
  const first = monthStart(year, month);
  const next = month === 12 ? monthStart(year + 1, 1) : monthStart(year, month + 1);
  if (starts === "same_month") return switchDay < next;
  return switchDay < first;
}

export function creditOf(
  rule: CreditRule,
  person: Person,
  month: number,
  provisionalMonths: number,
  trace = true,
): { fen: number | null; employerFen: number; fromPool: boolean; words: string } {
  return creditAmount(rule, person, month, provisionalMonths, trace);
}

function creditAmount(
  rule: CreditRule,
  person: Person,
  month: number,
  provisionalMonths: number,
  trace: boolean,
): { fen: number | null; employerFen: number; fromPool: boolean; words: string } {
  if (rule === "none") return { fen: 0, employerFen: 0, fromPool: false, words: trace ? "no account credit" : "" };
  if ("percentOfBase" in rule) {
    if (person.contributionBaseFen === undefined) return { fen: null, employerFen: 0, fromPool: false, words: trace ? "contributionBase not given" : "" };
    const own = applyRate(person.contributionBaseFen, rule.percentOfBase);
    const emp = rule.employerPercentOfBase ? applyRate(person.contributionBaseFen, rule.employerPercentOfBase) : 0;
    return {
      fen: own + emp,
      employerFen: emp,
      fromPool: false,
      words: trace ? `${formatBp(rule.percentOfBase)} of base ${formatFen(person.contributionBaseFen!)}${emp ? ` + employer part ${formatBp(rule.employerPercentOfBase!)}` : ""}` : "",
    };
  }
  if ("fixed" in rule) return { fen: rule.fixed, employerFen: 0, fromPool: true, words: trace ? `fixed ${formatFen(rule.fixed)}/month from the pooled fund` : "" };
  if ("percentOfOwnPension" in rule) {
    if (person.pensionFen === undefined) return { fen: null, employerFen: 0, fromPool: false, words: trace ? "pension not given" : "" };
    return { fen: applyRate(person.pensionFen, rule.percentOfOwnPension), employerFen: 0, fromPool: true, words: trace ? `${formatBp(rule.percentOfOwnPension)} of own pension ${formatFen(person.pensionFen!)}` : "" };
  }
  const full = applyRate(rule.averagePension, rule.percentOfAveragePension);
  if (rule.provisionalAveragePension !== undefined && rule.trueUpMonth !== undefined) {
    const prov = applyRate(rule.provisionalAveragePension, rule.percentOfAveragePension);
    if (month < rule.trueUpMonth) return { fen: prov, employerFen: 0, fromPool: true, words: trace ? `${formatBp(rule.percentOfAveragePension)} of the provisional average pension ${formatFen(rule.provisionalAveragePension!)}` : "" };
    if (month === rule.trueUpMonth && provisionalMonths > 0) {
      const back = provisionalMonths * (full - prov);
      return { fen: full + back, employerFen: 0, fromPool: true, words: trace ? `${formatBp(rule.percentOfAveragePension)} of the average pension ${formatFen(rule.averagePension)} + true-up ${provisionalMonths} × ${formatFen(full - prov)} (补划差额)` : "" };
    }
  }
  return { fen: full, employerFen: 0, fromPool: true, words: trace ? `${formatBp(rule.percentOfAveragePension)} of the average pension ${formatFen(rule.averagePension)}` : "" };
}

/** Arrears paid back (补缴欠费) in a month: `months` of contributions, each credited at the rule's
 *  share of the own base (Ganzhou 第六条（四）按本人参保缴费基数2%划入个人账户). Null without a base. */
export function arrearsCredit(rule: { percentOfBase: number }, person: Person, months: number): number | null {
  if (person.contributionBaseFen === undefined) return null;
  return months * applyRate(person.contributionBaseFen, rule.percentOfBase);
}

/** The arrears paid in `month` of `year` (months of contributions, summed), 0 when none. */
function arrearsPaidIn(person: Person, year: number, month: number): number {
  if (!person.arrears?.length) return 0;
  const from = monthStart(year, month);
  const until = month === 12 ? monthStart(year + 1, 1) : monthStart(year, month + 1);
  let n = 0;
  for (const a of person.arrears) if (a.day >= from && a.day < until) n += a.months;
  return n;
}

/** The last age band reached at `day` (−1: below the first, or no birth day known). */
function creditBand(bands: Array<{ fromAge: number }>, birthDay: number | undefined, day: number): number {
  if (bands.length === 0 || birthDay === undefined) return -1;
  const age = ageOn(birthDay, day);
  let i = -1;
  while (i + 1 < bands.length && age >= bands[i + 1].fromAge) i++;
  return i;
}

/** The credit rule of a month starting on `day` for a person crediting as `status`: by status, and
 *  by age band where the scheme has them (retiredAged70, activeByAge, retiredByAge), with its
 *  article and the band's words for the trace. The population engine's steady years read it too. */
export function creditRuleOf(a: AccountRules, status: MonthCredit["status"], hasAccount: boolean, birthDay: number | undefined, day: number): { rule: CreditRule; ref: string; band: string } {
  if (status === "flexible") return hasAccount ? { rule: a.flexible, ref: a.refs.flexible, band: "" } : { rule: a.flexibleWithoutAccount, ref: a.refs.flexibleWithoutAccount, band: "" };
  if (status === "retired") {
    if (a.retiredByAge.length) {
      const i = creditBand(a.retiredByAge, birthDay, day);
      if (i >= 0) return { rule: a.retiredByAge[i].rule, ref: a.refs.retiredByAge, band: ` (credit age band ${a.retiredByAge[i].fromAge}+ 年龄段)` };
      return { rule: a.retired, ref: `${a.refs.retired}; ${a.refs.retiredByAge}`, band: birthDay === undefined ? " (credit age band 年龄段: birthDate not given, the plain retiree credit)" : ` (credit age band 年龄段: under ${a.retiredByAge[0].fromAge})` };
    }
    const aged70 = a.retiredAged70 !== null && birthDay !== undefined && ageOn(birthDay, day) >= 70;
    return aged70 ? { rule: a.retiredAged70!, ref: a.refs.retiredAged70, band: "" } : { rule: a.retired, ref: a.refs.retired, band: a.retiredAged70 && birthDay === undefined ? " (birthDate not given: the under-70 rate)" : "" };
  }
  if (a.activeByAge.length) {
    const i = creditBand(a.activeByAge, birthDay, day);
    if (i >= 0) return { rule: a.activeByAge[i].rule, ref: a.refs.activeByAge, band: ` (credit age band ${a.activeByAge[i].fromAge}+ 年龄段)` };
    return { rule: a.active, ref: `${a.refs.active}; ${a.refs.activeByAge}`, band: birthDay === undefined ? " (credit age band 年龄段: birthDate not given, the plain active credit)" : ` (credit age band 年龄段: under ${a.activeByAge[0].fromAge})` };
  }
  return { rule: a.active, ref: a.refs.active, band: "" };
}

/** The twelve monthly credits of `year` (months outside the scheme's period are left out).
 *  With `trace` false the words are left empty (the population engine's fast path). */
export function monthlyCredits(scheme: Scheme, person: Person, year: number, trace = true): MonthCredit[] {
  const out: MonthCredit[] = [];
  let provisionalMonths = 0;
  for (let month = 1; month <= 12; month++) {
    const day = monthStart(year, month);
    const rules = rulesAt(scheme, day);
    if (!rules) continue;
    const a = rules.accounts;
    const retired = creditsAsRetired(person, year, month, a.retireeCreditStarts);
    const status: MonthCredit["status"] = retired ? "retired" : person.status === "flexible" ? "flexible" : "active";
    const { rule, ref, band: ageNote } = creditRuleOf(a, status, person.hasAccount, person.birthDay, day);
    const c = creditOf(rule, person, month, provisionalMonths, trace);
    if (rule !== "none" && "provisionalAveragePension" in rule && rule.trueUpMonth !== undefined) {
      if (month < rule.trueUpMonth) provisionalMonths++;
      else provisionalMonths = 0;
    }
    // Arrears paid back this month: credited where the data sets a share and the person has an account.
    let fen = c.fen;
    let arrearsFen = 0;
    let arrearsNote = "";
    const owed = arrearsPaidIn(person, year, month);
    if (owed > 0) {
      if (a.arrears && rule !== "none") {
        const extra = arrearsCredit(a.arrears, person, owed);
        fen = fen === null || extra === null ? null : fen + extra;
        arrearsFen = extra ?? 0;
        if (trace)
          arrearsNote =
            extra === null
              ? `; + arrears 补缴欠费 ${owed} month(s): contributionBase not given — ${a.refs.arrears}`
              : `; + arrears 补缴欠费 ${owed} month(s) × ${formatBp(a.arrears.percentOfBase)} of base ${formatFen(person.contributionBaseFen!)} = ${formatFen(extra)} — ${a.refs.arrears}`;
      } else if (trace) {
        arrearsNote = `; arrears 补缴欠费 ${owed} month(s) paid: not credited (${rule === "none" ? "no individual account" : "this scheme sets no credit for arrears"})`;
      }
    }
    out.push({
      month,
      status,
      creditFen: fen,
      arrearsFen,
      poolFen: c.fromPool ? c.fen ?? 0 : 0,
      employerFen: c.employerFen,
      fromPool: c.fromPool,
      trace: trace ? `${status}: ${c.words}${ageNote} — ${ref}${arrearsNote}` : "",
    });
  }
  return out;
}
