// The population engine: the calculator's rules (the same `adjudicate`, `monthlyCredits`,
// `secondPayment`) applied to a chunk of persons and their claims held in typed arrays.
// Pure: no I/O, so it runs in worker threads and in the browser. Per person, claims are in date
// order (the generator guarantees it); objects are reused so the hot loop allocates nothing.
import { creditOf, monthlyCredits } from "./accounts.ts";
import { type Adjudication, adjudicate, newYearState, secondPayment, startYear } from "./adjudicate.ts";
import { ageOn, dayFromCivil, monthStart } from "./dates.ts";
import type { Finance } from "./finance.ts";
import { applyRate } from "./money.ts";
import { type Rules, rulesAt, type Scheme } from "./policy.ts";
import { AREAS, BENEFITS, type Claim, type Disease, EXCLUSIONS, KINDS, LEVELS, type Person, SETTINGS, STATUSES } from "./types.ts";

/** "No day" in Int32 day columns (not retired by the end of the year). */
export const NO_DAY = -2147483648;

/** The person columns the rules read (a structural subset of the generator's PersonColumns). */
export interface EnginePersons {
  count: number;
  status: Uint8Array;
  birthDay: Int32Array;
  retiredOnDay: Int32Array;
  hasAccount: Uint8Array;
  oldWorker: Uint8Array;
  /** Bitmask registered for the two-disease benefit: 1 hypertension, 2 diabetes. */
  twoDiseases: Uint8Array;
  contributionBaseFen: Int32Array;
  pensionFen: Int32Array;
  /** count + 1 offsets into the claims. */
  claimStart: Uint32Array;
  /** Opening individual-account balance, fen; absent = 0. */
  openingBalanceFen?: Int32Array;
  /** 0/1 registered chronic/special-disease patient (for the chronic fund spending). */
  chronic?: Uint8Array;
}

/** The claim columns the rules read. Codes are indexes into the const arrays of types.ts. */
export interface EngineClaims {
  length: number;
  day: Int32Array;
  kind: Uint8Array;
  /** LEVELS index: 0 = level 1. */
  level: Uint8Array;
  setting: Uint8Array;
  area: Uint8Array;
  amountFen: Int32Array;
  eligibleFen: Int32Array;
  designated: Uint8Array;
  emergency: Uint8Array;
  prescription: Uint8Array;
  facility: Uint32Array;
}

export interface ChunkOutcome {
  /** Per claim. */
  fundFen: Int32Array;
  deductibleFen: Int32Array;
  accountFen: Int32Array;
  /** BENEFITS index, or −1 when excluded. */
  benefit: Int8Array;
  /** EXCLUSIONS index, or −1 when a benefit adjudicated the claim. */
  exclusion: Int8Array;
  /** Per person: the year's account credits, the part paid by the pooled fund, the employer part. */
  creditFen: Int32Array;
  creditFromPoolFen: Int32Array;
  creditEmployerFen: Int32Array;
  secondPaymentFen: Int32Array;
  closingBalanceFen: Int32Array;
  /** Per claim: the pooled fund's inpatient / day-surgery payment, outside the outpatient rules
   *  (finance.inpatientFundShare; 0 without finance). */
  otherFundFen: Int32Array;
  /** Per person: contributions paid in the year (0 without finance). */
  contributionFen: Int32Array;
  /** Per person: pooled chronic/special spending, outside the outpatient rules (0 without finance). */
  chronicFundFen: Int32Array;
  /** Per person: the account's payments for family members (家庭共济) at year end (0 without finance). */
  familyUseFen: Int32Array;
  /** Per person: other pooled income attributed to them (finance.otherIncomeShare of contributions). */
  otherIncomeFen: Int32Array;
}

const KIND_INPATIENT = KINDS.indexOf("inpatient");
const KIND_DAY_SURGERY = KINDS.indexOf("day_surgery");
const DISEASE_SETS: Disease[][] = [[], ["hypertension"], ["diabetes"], ["hypertension", "diabetes"]];

/** Adjudicate one chunk for one calendar year under a scheme. */
export function runChunk(scheme: Scheme, persons: EnginePersons, claims: EngineClaims, year: number, finance?: Finance): ChunkOutcome {
  const n = claims.length;
  const out: ChunkOutcome = {
    fundFen: new Int32Array(n),
    deductibleFen: new Int32Array(n),
    accountFen: new Int32Array(n),
    benefit: new Int8Array(n),
    exclusion: new Int8Array(n),
    creditFen: new Int32Array(persons.count),
    creditFromPoolFen: new Int32Array(persons.count),
    creditEmployerFen: new Int32Array(persons.count),
    secondPaymentFen: new Int32Array(persons.count),
    closingBalanceFen: new Int32Array(persons.count),
    otherFundFen: new Int32Array(n),
    contributionFen: new Int32Array(persons.count),
    chronicFundFen: new Int32Array(persons.count),
    familyUseFen: new Int32Array(persons.count),
    otherIncomeFen: new Int32Array(persons.count),
  };
  const person: Person = { status: "active", oldWorker: false, twoDiseases: [], hasAccount: true };
  const claim: Claim = {
    day: 0, kind: "general", level: 1, amountFen: 0, eligibleFen: 0, setting: "facility", area: "local",
    designated: true, emergency: false, prescription: true, facility: 0,
  };
  const state = newYearState();
  const yearEnd = Math.min(dayFromCivil(year, 12, 31), scheme.untilDay);
  const endRules = rulesAt(scheme, yearEnd);
  const monthStarts: number[] = [];
  for (let m = 1; m <= 12; m++) monthStarts.push(monthStart(year, m));
  const benefitIndex = Object.fromEntries(BENEFITS.map((b, i) => [b, i])) as Record<string, number>;
  const exclusionIndex = Object.fromEntries(EXCLUSIONS.map((e, i) => [e, i])) as Record<string, number>;
  const a: Adjudication = { fundFen: 0, deductibleFen: 0, rateBp: 0, benefit: null, exclusion: null };
  // When one set of rules covers the whole year, a person whose situation does not change within
  // it (no retirement, no 70th birthday, no provisional credit) gets twelve equal credits.
  const yearRules = rulesAt(scheme, monthStarts[0]);
  const oneRulesAllYear = yearRules !== null && yearRules === rulesAt(scheme, monthStarts[11]) && yearRules.untilDay >= monthStarts[11];
  const creditOfMonth = new Int32Array(12);
  const yearLastDay = dayFromCivil(year, 12, 31);
  const hasTrueUp = yearRules !== null && [yearRules.accounts.retired, yearRules.accounts.retiredAged70].some((r) => r && r !== "none" && "trueUpMonth" in r && r.trueUpMonth !== undefined);
  let seg: Rules | null = null;

  for (let p = 0; p < persons.count; p++) {
    person.status = STATUSES[persons.status[p]];
    person.birthDay = persons.birthDay[p];
    person.retiredOnDay = persons.retiredOnDay[p] === NO_DAY ? undefined : persons.retiredOnDay[p];
    person.hasAccount = persons.hasAccount[p] === 1;
    person.oldWorker = persons.oldWorker[p] === 1;
    person.twoDiseases = DISEASE_SETS[persons.twoDiseases[p] & 3];
    person.contributionBaseFen = persons.contributionBaseFen[p];
    person.pensionFen = persons.pensionFen[p];
    startYear(state, year, monthStarts[0], yearLastDay);

    // Account credits of the year; they reach the balance at each month's start.
    let credit = 0, fromPool = 0, employer = 0, contribution = 0;
    const steady = oneRulesAllYear && !hasTrueUp && steadyYear(yearRules!, person, monthStarts);
    if (steady) {
      // No retirement near the year: retired all year or not at all.
      const retired = person.retiredOnDay !== undefined ? person.retiredOnDay < monthStarts[0] : person.status === "retired";
      const acc = yearRules!.accounts;
      const aged70 = retired && acc.retiredAged70 !== null && person.birthDay !== undefined && ageOn(person.birthDay, monthStarts[0]) >= 70;
      const rule = retired ? (aged70 ? acc.retiredAged70! : acc.retired) : person.status === "flexible" ? (person.hasAccount ? acc.flexible : acc.flexibleWithoutAccount) : acc.active;
      const c = creditOf(rule, person, 1, 0, false);
      const f = c.fen ?? 0;
      creditOfMonth.fill(f);
      credit = 12 * f;
      fromPool = c.fromPool ? credit : 0;
      employer = 12 * c.employerFen;
      if (finance && !retired) contribution = 12 * applyRate(person.contributionBaseFen!, contributionBp(finance, person.status, person.hasAccount));
    } else {
      creditOfMonth.fill(0);
      for (const c of monthlyCredits(scheme, person, year, false)) {
        if (finance && c.status !== "retired") contribution += applyRate(person.contributionBaseFen!, contributionBp(finance, c.status, person.hasAccount));
        const f = c.creditFen ?? 0;
        creditOfMonth[c.month - 1] = f;
        credit += f;
        if (c.fromPool) fromPool += f;
        employer += c.employerFen;
      }
    }
    out.creditFen[p] = credit;
    out.creditFromPoolFen[p] = fromPool;
    out.creditEmployerFen[p] = employer;
    out.contributionFen[p] = contribution;
    if (finance) out.otherIncomeFen[p] = applyRate(contribution, finance.otherIncomeShareBp);
    if (finance && persons.chronic && persons.chronic[p] === 1) out.chronicFundFen[p] = finance.chronicFundPerEnrolleeFen;
    let balance = persons.openingBalanceFen ? persons.openingBalanceFen[p] : 0;
    let nextMonth = 0;

    for (let j = persons.claimStart[p], end = persons.claimStart[p + 1]; j < end; j++) {
      const day = claims.day[j];
      if (seg === null || day < seg.fromDay || day > seg.untilDay) {
        seg = rulesAt(scheme, day);
        if (seg === null) throw new RangeError(`claim on day ${day} is outside ${scheme.name}'s period`);
      }
      while (nextMonth < 12 && monthStarts[nextMonth] <= day) balance += creditOfMonth[nextMonth++];
      claim.day = day;
      claim.kind = KINDS[claims.kind[j]];
      claim.level = LEVELS[claims.level[j]];
      claim.amountFen = claims.amountFen[j];
      claim.eligibleFen = claims.eligibleFen[j];
      claim.setting = SETTINGS[claims.setting[j]];
      claim.area = AREAS[claims.area[j]];
      claim.designated = claims.designated[j] === 1;
      claim.emergency = claims.emergency[j] === 1;
      claim.prescription = claims.prescription[j] === 1;
      claim.facility = claims.facility[j];
      adjudicate(seg, person, claim, state, null, a);
      out.fundFen[j] = a.fundFen;
      out.deductibleFen[j] = a.deductibleFen;
      out.benefit[j] = a.benefit === null ? -1 : benefitIndex[a.benefit];
      out.exclusion[j] = a.exclusion === null ? -1 : exclusionIndex[a.exclusion];
      let other = 0;
      if (finance && a.exclusion !== null && (claims.kind[j] === KIND_INPATIENT || claims.kind[j] === KIND_DAY_SURGERY)) {
        other = applyRate(claim.eligibleFen, finance.inpatientFundShareBp);
        out.otherFundFen[j] = other;
      }
      const selfPay = claim.amountFen - a.fundFen - other;
      const fromAccount = selfPay < balance ? selfPay : balance;
      out.accountFen[j] = fromAccount;
      balance -= fromAccount;
    }
    while (nextMonth < 12) balance += creditOfMonth[nextMonth++];
    // Family use: a share of the balance above the city's threshold pays family members' care.
    const threshold = endRules ? endRules.accounts.familyUseThresholdFen : null;
    if (finance && threshold !== null && balance > threshold) {
      const family = applyRate(balance - threshold, finance.familyUseShareBp);
      out.familyUseFen[p] = family;
      balance -= family;
    }
    out.closingBalanceFen[p] = balance;
    out.secondPaymentFen[p] = endRules ? secondPayment(endRules, state.selfBurdenFen) : 0;
  }
  return out;
}

function contributionBp(finance: Finance, status: string, hasAccount: boolean): number {
  return status === "active" || status === "retired" ? finance.employerBp + finance.employeeBp : hasAccount ? finance.flexibleBp : finance.flexiblePoolOnlyBp;
}

/** Nothing that changes a person's monthly credit happens within the year (the caller has
 *  checked the rules: one set all year, no provisional credit). */
function steadyYear(rules: Rules, person: Person, monthStarts: number[]): boolean {
  const r = person.retiredOnDay;
  if (r !== undefined && r > monthStarts[0] - 31 && r <= monthStarts[11] + 31) return false;
  if (rules.accounts.retiredAged70 !== null && person.birthDay !== undefined) {
    const a0 = ageOn(person.birthDay, monthStarts[0]);
    if (a0 !== ageOn(person.birthDay, monthStarts[11]) && (a0 === 69 || a0 === 70)) return false;
  }
  return true;
}

/** Opening account balances: `months` of each person's January credit under `scheme` (the
 *  baseline: what accounts accumulated before the reform). The same opening serves both schemes. */
export function openingBalances(scheme: Scheme, persons: EnginePersons, year: number, months: number): Int32Array {
  const out = new Int32Array(persons.count);
  const person: Person = { status: "active", oldWorker: false, twoDiseases: [], hasAccount: true };
  for (let p = 0; p < persons.count; p++) {
    person.status = STATUSES[persons.status[p]];
    person.birthDay = persons.birthDay[p];
    person.retiredOnDay = persons.retiredOnDay[p] === NO_DAY ? undefined : persons.retiredOnDay[p];
    person.hasAccount = persons.hasAccount[p] === 1;
    person.contributionBaseFen = persons.contributionBaseFen[p];
    person.pensionFen = persons.pensionFen[p];
    const jan = monthlyCredits(scheme, person, year, false)[0];
    out[p] = Math.round((jan?.creditFen ?? 0) * months);
  }
  return out;
}
