// The person-year calculator: the contract's computation (../shared/contract/calculator.md), pure.
// Claims are adjudicated in date order (ties in input order) and reported in input order.
import { adjudicate, enterYear, newDetail, newYearState, secondPayment } from "./adjudicate.ts";
import { creditWords } from "./account-words.ts";
import { type CreditExplain, monthlyCredits, type MonthCredit } from "./accounts.ts";
import { dayFromCivil, isoFromDay, monthStart, yearOfDay } from "./dates.ts";
import { explain, type StepKind, type TraceStep } from "./explain.ts";
import { type FieldProblem, fieldProblem, problemLine } from "./field-problems.ts";
import { formatBp, formatFen } from "./money.ts";
import { rulesAt, type Scheme } from "./policy.ts";
import type { CalcRequest } from "./request.ts";
import { stepWords } from "./trace-words.ts";

/** One step of a trace: its kind, its articles ("; "-joined), and its words in both languages
 *  (`en` is the step's `trace` line). */
export interface StepOut {
  /** A claim's step kind, or "account_credit" (a month's account credit, accounts.months[].steps). */
  step: StepKind | "account_credit";
  ref: string;
  zh: string;
  en: string;
}

const stepOut = (s: TraceStep): StepOut => ({ step: s.step, ref: s.refs.join("; "), ...stepWords(s) });
/** A month's credit as one step: its articles are the credit rule's and the arrears rule's. */
const creditStepOut = (x: CreditExplain): StepOut => ({ step: "account_credit", ref: [...x.refs, ...(x.arrears && "refs" in x.arrears ? x.arrears.refs : [])].join("; "), ...creditWords(x) });

export interface ClaimOut {
  date: string;
  kind: string;
  level: number;
  amount: string;
  eligible: string;
  fund: string;
  deductible: string;
  account?: string;
  outOfPocket: string;
  /** The benefit that paid ("general", "tcm", …) or "excluded". */
  rule: string;
  exclusion?: string;
  rate: string;
  trace: string[];
  /** The trace as steps, each in both languages (trace[i] = steps[i].en). */
  steps: StepOut[];
}

export interface CalcResponse {
  city: string;
  scenario: string;
  claims: ClaimOut[];
  totals: { amount: string; eligible: string; fund: string; deductible: string; account?: string; outOfPocket: string };
  annual?: {
    secondPayment: Array<{ year: number; selfBurden: string; threshold: string; paid: string; trace: string; steps: StepOut[] }>;
  };
  accounts?: {
    year: number;
    /** `steps`: the month's credit as one step in both languages (steps[0].en = trace). */
    months: Array<{ month: number; status: string; credit: string | null; trace: string; steps: StepOut[] }>;
    total: string | null;
    fromPooledFund: string;
    closingBalance?: string;
  };
}

/** Problems with the request against this scheme (dates it does not cover), as the CLI prints them. */
export function coverageProblems(scheme: Scheme, req: CalcRequest, cityName: string): string[] {
  return coverageIssues(scheme, req, { zh: cityName, en: cityName }).map(problemLine);
}

/** The same problems, structured and in both languages (`city`: the city's name in each). */
export function coverageIssues(scheme: Scheme, req: CalcRequest, city: { zh: string; en: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const period = `${isoFromDay(scheme.fromDay)} to ${isoFromDay(scheme.untilDay)} (${scheme.periodRef})`;
  const periodZh = `${city.zh}${scheme.label.zh}的规则适用于 ${isoFromDay(scheme.fromDay)} 至 ${isoFromDay(scheme.untilDay)}（${scheme.periodRef}）`;
  // The year of the account credits: it must share at least one day with the scheme's period
  // (otherwise no month is credited and `accounts` would be left out without a word).
  if (req.year !== undefined && (dayFromCivil(req.year + 1, 1, 1) - 1 < scheme.fromDay || dayFromCivil(req.year, 1, 1) > scheme.untilDay)) {
    const from = yearOfDay(scheme.fromDay), until = yearOfDay(scheme.untilDay);
    problems.push(
      fieldProblem(
        "year",
        `the ${city.en} ${scheme.name} rules cover ${period}, so year must be from ${from} to ${until}, got ${req.year}`,
        `${periodZh}，账户年度应在 ${from} 至 ${until} 之间，实为 ${req.year}`,
      ),
    );
  }
  req.claims.forEach((c, i) => {
    if (!rulesAt(scheme, c.day)) {
      problems.push(fieldProblem(`claims[${i}].date`, `the ${city.en} ${scheme.name} rules cover ${period}, got "${isoFromDay(c.day)}"`, `${periodZh}，实为 "${isoFromDay(c.day)}"`));
    }
  });
  return problems;
}

export function calculate(scheme: Scheme, req: CalcRequest): CalcResponse {
  const { person, claims } = req;
  const order = claims.map((_, i) => i).sort((a, b) => claims[a].day - claims[b].day || a - b);
  const out: ClaimOut[] = new Array(claims.length);
  const state = newYearState();
  const years: number[] = [];
  const selfBurden = new Map<number, number>();

  // The account, when an opening balance is given or a benefit of the scheme spends it first
  // (account first, 自负段; opening balance then 0 unless given): credited at each month's start,
  // it pays self-pay.
  const accountFirst = scheme.segments.some((s) => Object.values(s.benefits).some((b) => b.accountFirst));
  const tracksAccount = person.accountBalanceFen !== undefined || accountFirst;
  let balance = person.accountBalanceFen ?? 0;
  const creditsByYear = new Map<number, MonthCredit[]>();
  const creditsOf = (y: number): MonthCredit[] => {
    if (!creditsByYear.has(y)) creditsByYear.set(y, monthlyCredits(scheme, person, y));
    return creditsByYear.get(y)!;
  };
  // The next month whose credit has not yet reached the account (from January of the first year).
  let next: { year: number; month: number } | null = null;
  const creditUpTo = (day: number) => {
    next ??= { year: yearOfDay(day), month: 1 };
    while (monthStart(next.year, next.month) <= day) {
      const mc = creditsOf(next.year).find((x) => x.month === next!.month);
      if (mc?.creditFen) balance += mc.creditFen;
      next = next.month === 12 ? { year: next.year + 1, month: 1 } : { year: next.year, month: next.month + 1 };
    }
  };
  let fund = 0, ded = 0, account = 0;

  for (const i of order) {
    const c = claims[i];
    const rules = rulesAt(scheme, c.day);
    if (!rules) throw new Error(`claims[${i}].date is outside the scheme's period`); // checked by coverageProblems
    const year = yearOfDay(c.day);
    if (!years.includes(year)) years.push(year);
    enterYear(state, c.day);
    if (tracksAccount) creditUpTo(c.day);
    const detail = newDetail();
    const a = adjudicate(rules, person, c, state, detail, tracksAccount ? balance : 0);
    const steps = explain(rules, person, c, a, detail, tracksAccount ? balance : 0);
    selfBurden.set(year, state.selfBurdenFen);
    fund += a.fundFen;
    ded += a.deductibleFen;
    let accountFen = 0;
    if (tracksAccount) {
      accountFen = Math.min(balance, c.amountFen - a.fundFen);
      balance -= accountFen;
      account += accountFen;
      steps.push({ step: "account", paidFen: accountFen, balanceAfterFen: balance, openingGiven: person.accountBalanceFen !== undefined, refs: [] });
    }
    const words = steps.map(stepOut);
    out[i] = {
      date: isoFromDay(c.day),
      kind: c.kind,
      level: c.level,
      amount: formatFen(c.amountFen),
      eligible: formatFen(c.eligibleFen),
      fund: formatFen(a.fundFen),
      deductible: formatFen(a.deductibleFen),
      ...(tracksAccount ? { account: formatFen(accountFen) } : {}),
      outOfPocket: formatFen(c.amountFen - a.fundFen - accountFen),
      rule: a.benefit ?? "excluded",
      ...(a.exclusion ? { exclusion: a.exclusion } : {}),
      rate: formatBp(a.rateBp),
      trace: words.map((w) => w.en),
      steps: words,
    };
  }

  let amount = 0, eligible = 0;
  for (const c of claims) {
    amount += c.amountFen;
    eligible += c.eligibleFen;
  }
  const res: CalcResponse = {
    city: req.city,
    scenario: scheme.name,
    claims: out,
    totals: {
      amount: formatFen(amount),
      eligible: formatFen(eligible),
      fund: formatFen(fund),
      deductible: formatFen(ded),
      ...(tracksAccount ? { account: formatFen(account) } : {}),
      outOfPocket: formatFen(amount - fund - account),
    },
  };

  // Jinan's second payment: an annual settlement, reported apart from the claims.
  const sp: NonNullable<CalcResponse["annual"]>["secondPayment"] = [];
  for (const y of years.sort()) {
    const endRules = rulesAt(scheme, Math.min(dayFromCivil(y, 12, 31), scheme.untilDay));
    if (!endRules?.secondPayment) continue;
    const burden = selfBurden.get(y) ?? 0;
    const paid = secondPayment(endRules, burden);
    const s = endRules.secondPayment;
    const step = stepOut({ step: "second_payment", burdenFen: burden, thresholdFen: s.thresholdFen, bp: s.rateBp, capFen: s.capFen, refs: [endRules.refs["secondPayment.threshold"]] });
    sp.push({
      year: y,
      selfBurden: formatFen(burden),
      threshold: formatFen(s.thresholdFen),
      paid: formatFen(paid),
      trace: step.en,
      steps: [step],
    });
  }
  if (sp.length) res.annual = { secondPayment: sp };

  // Account credits for the year (the request's, or the first claim's).
  const year = req.year ?? years[0];
  if (year !== undefined) {
    const months = creditsByYear.get(year) ?? monthlyCredits(scheme, person, year);
    if (months.length) {
      const known = months.every((m) => m.creditFen !== null);
      const total = months.reduce((s, m) => s + (m.creditFen ?? 0), 0);
      const pool = months.reduce((s, m) => s + m.poolFen, 0);
      res.accounts = {
        year,
        months: months.map((m) => {
          const step = creditStepOut(m.explain!);
          return { month: m.month, status: m.status, credit: m.creditFen === null ? null : formatFen(m.creditFen), trace: step.en, steps: [step] };
        }),
        total: known ? formatFen(total) : null,
        fromPooledFund: formatFen(pool),
        ...(tracksAccount ? { closingBalance: formatFen(balance) } : {}),
      };
    }
  }
  return res;
}
