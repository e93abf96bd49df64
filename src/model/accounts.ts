// Individual-account credits (个人账户划入), month by month, as the scheme in force each month says.
import { ageOn, monthStart } from "./dates.ts";
import { applyRate } from "./money.ts";
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
  /** How the credit was worked out, as data (./account-words.ts words it; its English is the
   *  contract's `trace` line); null on the population engine's fast path. */
  explain: CreditExplain | null;
}

/** A month's credit explained: the status credited as, the rule's arithmetic, the age band the rule
 *  came from, the articles, and any arrears paid back that month. */
export interface CreditExplain {
  status: MonthCredit["status"];
  credit: CreditBasis;
  band: CreditBand | null;
  refs: string[];
  arrears: ArrearsNote | null;
}

/** The credit rule applied, with the values it used (fen, basis points). `employerFen` 0: no employer part. */
export type CreditBasis =
  | { basis: "none" }
  | { basis: "base_missing" }
  | { basis: "percent_of_base"; bp: number; baseFen: number; employerBp: number; employerFen: number }
  | { basis: "fixed"; fen: number }
  | { basis: "pension_missing" }
  | { basis: "percent_of_own_pension"; bp: number; pensionFen: number }
  /** `provisional`: the provisional average until the true-up month (Neijiang 第四条（二）). */
  | { basis: "percent_of_average_pension"; bp: number; averageFen: number; provisional: boolean }
  /** The true-up month: the full credit plus the difference for each provisional month (补划差额). */
  | { basis: "true_up"; bp: number; averageFen: number; months: number; differenceFen: number };

/** Which credit age band applied (activeByAge / retiredByAge / retiredAged70). */
export type CreditBand =
  | { band: "from"; fromAge: number }
  | { band: "under"; fromAge: number }
  /** No birthDate: the plain active or retiree credit of a scheme with age bands. */
  | { band: "no_birth_date"; retired: boolean }
  /** No birthDate in a scheme with a 70+ retiree credit: the under-70 one. */
  | { band: "no_birth_date_under70" };

/** Arrears paid back in the month (补缴欠费): credited, not computable, or not credited and why. */
export type ArrearsNote =
  | { arrears: "credited"; months: number; bp: number; baseFen: number; fen: number; refs: string[] }
  | { arrears: "base_missing"; months: number; refs: string[] }
  | { arrears: "not_credited"; months: number; reason: "no_account" | "no_arrears_rule" };

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

/** The credit of one month under `rule`; `basis` (the explanation) only when `trace` is set. */
export function creditOf(
  rule: CreditRule,
  person: Person,
  month: number,
  provisionalMonths: number,
  trace = true,
): { fen: number | null; employerFen: number; fromPool: boolean; basis: CreditBasis | null } {
  const c = creditAmount(rule, person, month, provisionalMonths);
  return { fen: c.fen, employerFen: c.employerFen, fromPool: c.fromPool, basis: trace ? c.basis : null };
}

function creditAmount(rule: CreditRule, person: Person, month: number, provisionalMonths: number): { fen: number | null; employerFen: number; fromPool: boolean; basis: CreditBasis } {
  if (rule === "none") return { fen: 0, employerFen: 0, fromPool: false, basis: { basis: "none" } };
  if ("percentOfBase" in rule) {
    const base = person.contributionBaseFen;
    if (base === undefined) return { fen: null, employerFen: 0, fromPool: false, basis: { basis: "base_missing" } };
    const own = applyRate(base, rule.percentOfBase);
    const emp = rule.employerPercentOfBase ? applyRate(base, rule.employerPercentOfBase) : 0;
    return {
      fen: own + emp,
      employerFen: emp,
      fromPool: false,
      basis: { basis: "percent_of_base", bp: rule.percentOfBase, baseFen: base, employerBp: rule.employerPercentOfBase ?? 0, employerFen: emp },
    };
  }
  if ("fixed" in rule) return { fen: rule.fixed, employerFen: 0, fromPool: true, basis: { basis: "fixed", fen: rule.fixed } };
  if ("percentOfOwnPension" in rule) {
    if (person.pensionFen === undefined) return { fen: null, employerFen: 0, fromPool: false, basis: { basis: "pension_missing" } };
    return { fen: applyRate(person.pensionFen, rule.percentOfOwnPension), employerFen: 0, fromPool: true, basis: { basis: "percent_of_own_pension", bp: rule.percentOfOwnPension, pensionFen: person.pensionFen } };
  }
  const bp = rule.percentOfAveragePension;
  const full = applyRate(rule.averagePension, bp);
  if (rule.provisionalAveragePension !== undefined && rule.trueUpMonth !== undefined) {
    const prov = applyRate(rule.provisionalAveragePension, bp);
    if (month < rule.trueUpMonth) return { fen: prov, employerFen: 0, fromPool: true, basis: { basis: "percent_of_average_pension", bp, averageFen: rule.provisionalAveragePension, provisional: true } };
    if (month === rule.trueUpMonth && provisionalMonths > 0) {
      const back = provisionalMonths * (full - prov);
      return { fen: full + back, employerFen: 0, fromPool: true, basis: { basis: "true_up", bp, averageFen: rule.averagePension, months: provisionalMonths, differenceFen: full - prov } };
    }
  }
  return { fen: full, employerFen: 0, fromPool: true, basis: { basis: "percent_of_average_pension", bp, averageFen: rule.averagePension, provisional: false } };
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
 *  articles and the band that applied. The population engine's steady years read it too. */
export function creditRuleOf(a: AccountRules, status: MonthCredit["status"], hasAccount: boolean, birthDay: number | undefined, day: number): { rule: CreditRule; refs: string[]; band: CreditBand | null } {
  if (status === "flexible") return hasAccount ? { rule: a.flexible, refs: [a.refs.flexible], band: null } : { rule: a.flexibleWithoutAccount, refs: [a.refs.flexibleWithoutAccount], band: null };
  if (status === "retired") {
    if (a.retiredByAge.length) {
      const i = creditBand(a.retiredByAge, birthDay, day);
      if (i >= 0) return { rule: a.retiredByAge[i].rule, refs: [a.refs.retiredByAge], band: { band: "from", fromAge: a.retiredByAge[i].fromAge } };
      return { rule: a.retired, refs: [a.refs.retired, a.refs.retiredByAge], band: birthDay === undefined ? { band: "no_birth_date", retired: true } : { band: "under", fromAge: a.retiredByAge[0].fromAge } };
    }
    const aged70 = a.retiredAged70 !== null && birthDay !== undefined && ageOn(birthDay, day) >= 70;
    return aged70 ? { rule: a.retiredAged70!, refs: [a.refs.retiredAged70], band: null } : { rule: a.retired, refs: [a.refs.retired], band: a.retiredAged70 && birthDay === undefined ? { band: "no_birth_date_under70" } : null };
  }
  if (a.activeByAge.length) {
    const i = creditBand(a.activeByAge, birthDay, day);
    if (i >= 0) return { rule: a.activeByAge[i].rule, refs: [a.refs.activeByAge], band: { band: "from", fromAge: a.activeByAge[i].fromAge } };
    return { rule: a.active, refs: [a.refs.active, a.refs.activeByAge], band: birthDay === undefined ? { band: "no_birth_date", retired: false } : { band: "under", fromAge: a.activeByAge[0].fromAge } };
  }
  return { rule: a.active, refs: [a.refs.active], band: null };
}

/** The twelve monthly credits of `year` (months outside the scheme's period are left out).
 *  With `trace` false there is no explanation (the population engine's fast path). */
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
    const { rule, refs, band } = creditRuleOf(a, status, person.hasAccount, person.birthDay, day);
    const c = creditOf(rule, person, month, provisionalMonths, trace);
    if (rule !== "none" && "provisionalAveragePension" in rule && rule.trueUpMonth !== undefined) {
      if (month < rule.trueUpMonth) provisionalMonths++;
      else provisionalMonths = 0;
    }
    // Arrears paid back this month: credited where the data sets a share and the person has an account.
    let fen = c.fen;
    let arrearsFen = 0;
    let arrears: ArrearsNote | null = null;
    const owed = arrearsPaidIn(person, year, month);
    if (owed > 0) {
      if (a.arrears && rule !== "none") {
        const extra = arrearsCredit(a.arrears, person, owed);
        fen = fen === null || extra === null ? null : fen + extra;
        arrearsFen = extra ?? 0;
        if (trace)
          arrears =
            extra === null
              ? { arrears: "base_missing", months: owed, refs: [a.refs.arrears] }
              : { arrears: "credited", months: owed, bp: a.arrears.percentOfBase, baseFen: person.contributionBaseFen!, fen: extra, refs: [a.refs.arrears] };
      } else if (trace) {
        arrears = { arrears: "not_credited", months: owed, reason: rule === "none" ? "no_account" : "no_arrears_rule" };
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
      explain: trace ? { status, credit: c.basis!, band, refs, arrears } : null,
    });
  }
  return out;
}
