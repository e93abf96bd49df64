// The population engine: the calculator's rules (the same `adjudicateCoded` kernel, `monthlyCredits`,
// `secondPayment`) applied to a chunk of persons and their claims held in typed arrays.
// Pure: no I/O, so it runs in worker threads and in the browser. Per person, claims are in date
// order (the generator guarantees it); objects are reused so the hot loop allocates nothing.
import { creditOf, type MonthCredit, monthlyCredits } from "./accounts.ts";
import {
  adjudicateCoded, type CodedResult, type Kernel, KEY_DESIGNATED, KEY_EMERGENCY, KEY_PHARMACY, KEY_PRESCRIPTION, kernelOf, newYearState,
  personKeyBits, secondPayment, startYear,
} from "./adjudicate.ts";
import { dayFromCivil, monthStart } from "./dates.ts";
import type { Finance } from "./finance.ts";
import { assertInt32 } from "./limits.ts";
import { applyRate } from "./money.ts";
import { type Rules, rulesAt, type Scheme } from "./policy.ts";
import type { CreditRule } from "./policy-schema.ts";
import { type Disease, KINDS, type Person, SETTINGS, STATUSES } from "./types.ts";

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
const SETTING_PHARMACY = SETTINGS.indexOf("pharmacy");
const STATUS_RETIRED = STATUSES.indexOf("retired");
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
  const state = newYearState();
  const yearEnd = Math.min(dayFromCivil(year, 12, 31), scheme.untilDay);
  const endRules = rulesAt(scheme, yearEnd);
  const monthStarts = new Int32Array(12);
  for (let m = 1; m <= 12; m++) monthStarts[m - 1] = monthStart(year, m);
  const a: CodedResult = { fundFen: 0, deductibleFen: 0, rateBp: 0, outcome: 0 };
  // When one set of rules covers the whole year, a person whose situation does not change within
  // it gets twelve equal credits.
  const yearRules = rulesAt(scheme, monthStarts[0]);
  const oneRulesAllYear = yearRules !== null && yearRules === rulesAt(scheme, monthStarts[11]) && yearRules.untilDay >= monthStarts[11];
  const creditOfMonth = new Int32Array(12);
  const trueUpYears = new Map<CreditRule, MonthCredit[]>();
  // Age 70 on a month's first day ⇔ born on or before that day 70 years earlier (ageOn, without
  // calendar arithmetic per person): for 1 January and 1 December.
  const born70 = new Int32Array([dayFromCivil(year - 70, 1, 1), dayFromCivil(year - 70, 12, 1)]);
  const yearLastDay = dayFromCivil(year, 12, 31);
  // The columns in locals: the hot loop calls into the kernel, after which the engine could not
  // otherwise assume the objects' fields unchanged.
  const { day: cDay, kind: cKind, setting: cSetting, prescription: cPrescription, designated: cDesignated, emergency: cEmergency } = claims;
  const { area: cArea, eligibleFen: cEligible, level: cLevel, facility: cFacility, amountFen: cAmount } = claims;
  const { fundFen: oFund, deductibleFen: oDeductible, benefit: oBenefit, exclusion: oExclusion, otherFundFen: oOther, accountFen: oAccount } = out;
  // The rules in force (compiled), and the days they cover; none before the first claim.
  let k: Kernel | null = null;
  let segFrom = 1, segUntil = 0;

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
    // A steady year: one set of rules all year and nothing that changes which credit rule applies
    // to the person within it (no retirement near the year, no 70th birthday).
    let steadyRule: CreditRule | null = null;
    const retired = person.retiredOnDay !== undefined ? person.retiredOnDay < monthStarts[0] : person.status === "retired";
    if (oneRulesAllYear && steadyYear(yearRules!, person, retired, monthStarts, born70)) {
      const acc = yearRules!.accounts;
      const aged70 = retired && acc.retiredAged70 !== null && person.birthDay !== undefined && person.birthDay <= born70[0];
      steadyRule = retired ? (aged70 ? acc.retiredAged70! : acc.retired) : person.status === "flexible" ? (person.hasAccount ? acc.flexible : acc.flexibleWithoutAccount) : acc.active;
    }
    if (steadyRule !== null && (steadyRule === "none" || !("trueUpMonth" in steadyRule) || steadyRule.trueUpMonth === undefined)) {
      // Twelve equal credits.
      const c = creditOf(steadyRule, person, 1, 0, false);
      const f = c.fen ?? 0;
      creditOfMonth.fill(f);
      credit = 12 * f;
      fromPool = c.fromPool ? credit : 0;
      employer = 12 * c.employerFen;
      if (finance && !retired) contribution = 12 * applyRate(person.contributionBaseFen!, contributionBp(finance, person.status, person.hasAccount));
    } else {
      // Month by month. A provisional credit trued up later (Neijiang) reads no person input, so
      // every retiree steady under the rule shares one year of credits.
      let months = steadyRule !== null ? trueUpYears.get(steadyRule) : undefined;
      if (!months) {
        months = monthlyCredits(scheme, person, year, false);
        if (steadyRule !== null) trueUpYears.set(steadyRule, months);
      }
      creditOfMonth.fill(0);
      for (const c of months) {
        if (finance && c.status !== "retired") contribution += applyRate(person.contributionBaseFen!, contributionBp(finance, c.status, person.hasAccount));
        const f = c.creditFen ?? 0;
        creditOfMonth[c.month - 1] = f;
        credit += f;
        fromPool += c.poolFen;
        employer += c.employerFen;
      }
    }
    // A person's year of credits or contributions enters an Int32 column: twelve months of a large
    // credit (a fixed credit near the amount limit, a share of a very high base) could pass 2^31 fen.
    // (x | 0) !== x is false exactly for the 32-bit integers: one cheap test per person.
    if ((credit | 0) !== credit || (fromPool | 0) !== fromPool || (employer | 0) !== employer || (contribution | 0) !== contribution) {
      personOverflow(p, year, { credits: credit, "credits from the pool": fromPool, "employer credits": employer, contributions: contribution });
    }
    out.creditFen[p] = credit;
    out.creditFromPoolFen[p] = fromPool;
    out.creditEmployerFen[p] = employer;
    out.contributionFen[p] = contribution;
    if (finance) out.otherIncomeFen[p] = applyRate(contribution, finance.otherIncomeShareBp);
    if (finance && persons.chronic && persons.chronic[p] === 1) out.chronicFundFen[p] = assertInt32(finance.chronicFundPerEnrolleeFen, "chronic fund spending per patient (fen)");
    let balance = persons.openingBalanceFen ? persons.openingBalanceFen[p] : 0;
    let nextMonth = 0;

    const personBits = personKeyBits(person);
    const diseases = persons.twoDiseases[p] & 3;
    const oldWorker = person.oldWorker;
    const retiredOn = persons.retiredOnDay[p];
    const retiredAllYear = persons.status[p] === STATUS_RETIRED;
    for (let j = persons.claimStart[p], end = persons.claimStart[p + 1]; j < end; j++) {
      const day = cDay[j];
      if (day < segFrom || day > segUntil) {
        const seg = rulesAt(scheme, day);
        if (seg === null) throw new RangeError(`claim on day ${day} is outside ${scheme.name}'s period`);
        k = kernelOf(seg);
        segFrom = seg.fromDay;
        segUntil = seg.untilDay;
      }
      while (nextMonth < 12 && monthStarts[nextMonth] <= day) balance += creditOfMonth[nextMonth++];
      const kind = cKind[j];
      const key =
        kind |
        (cSetting[j] === SETTING_PHARMACY ? KEY_PHARMACY : 0) |
        (cPrescription[j] === 1 ? KEY_PRESCRIPTION : 0) |
        (cDesignated[j] === 1 ? KEY_DESIGNATED : 0) |
        (cEmergency[j] === 1 ? KEY_EMERGENCY : 0) |
        (cArea[j] << 7) |
        personBits;
      // Retiree benefits start on retiredOn; retired without it = retired all year (isRetiredOn).
      const retired = retiredOn !== NO_DAY ? day >= retiredOn : retiredAllYear;
      const eligible = cEligible[j];
      adjudicateCoded(k!, key, cLevel[j] + 1, retired, oldWorker, diseases, eligible, cFacility[j], state, a, null);
      const fund = a.fundFen;
      oFund[j] = fund;
      oDeductible[j] = a.deductibleFen;
      const outcome = a.outcome;
      oBenefit[j] = outcome >= 0 ? outcome : -1;
      oExclusion[j] = outcome >= 0 ? -1 : -1 - outcome;
      let other = 0;
      if (finance && outcome < 0 && (kind === KIND_INPATIENT || kind === KIND_DAY_SURGERY)) {
        other = applyRate(eligible, finance.inpatientFundShareBp);
        oOther[j] = other;
      }
      const selfPay = cAmount[j] - fund - other;
      const fromAccount = selfPay < balance ? selfPay : balance;
      oAccount[j] = fromAccount;
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
    const second = endRules ? secondPayment(endRules, state.selfBurdenFen) : 0;
    if ((balance | 0) !== balance || (second | 0) !== second) personOverflow(p, year, { "closing account balance": balance, "second payment": second });
    out.closingBalanceFen[p] = balance;
    out.secondPaymentFen[p] = second;
  }
  return out;
}

/** A person-year total past 32 bits: unreachable with the bounded inputs of a real population, but
 *  an Int32 column would wrap it silently, so it stops the run with the figures. */
function personOverflow(p: number, year: number, values: Record<string, number>): never {
  for (const [what, x] of Object.entries(values)) assertInt32(x, `person ${p}, ${year}: ${what} (fen)`);
  throw new RangeError(`person ${p}, ${year}: a value is not a whole number of fen`);
}

function contributionBp(finance: Finance, status: string, hasAccount: boolean): number {
  return status === "active" || status === "retired" ? finance.employerBp + finance.employeeBp : hasAccount ? finance.flexibleBp : finance.flexiblePoolOnlyBp;
}

/** Nothing within the year changes which credit rule applies to the person (the caller has checked
 *  that one set of rules covers the year): no retirement near it, no 70th birthday of a retiree. */
function steadyYear(rules: Rules, person: Person, retired: boolean, monthStarts: Int32Array, born70: Int32Array): boolean {
  const r = person.retiredOnDay;
  if (r !== undefined && r > monthStarts[0] - 31 && r <= monthStarts[11] + 31) return false;
  // 70 by 1 January and by 1 December alike (the credit rule reads the age at each month's start).
  if (retired && rules.accounts.retiredAged70 !== null && person.birthDay !== undefined) return person.birthDay <= born70[0] === person.birthDay <= born70[1];
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
    out[p] = assertInt32(Math.round((jan?.creditFen ?? 0) * months), `person ${p}: opening account balance (fen)`);
  }
  return out;
}
