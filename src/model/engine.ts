// The population engine: the calculator's rules (the same `adjudicateCoded` kernel, `monthlyCredits`,
// `secondPayment`) applied to a chunk of persons and their claims held in typed arrays.
// Pure: no I/O, so it runs in worker threads and in the browser. Per person, claims are in date
// order (the generator guarantees it); objects are reused so the hot loop allocates nothing.
import { creditOf, creditRuleOf, type MonthCredit, monthlyCredits } from "./accounts.ts";
import {
  adjudicateCoded, ageBandOf, type CodedResult, type Kernel, KEY_AGE_SHIFT, KEY_CHRONIC, KEY_COMMUNITY, KEY_DESIGNATED, KEY_EMERGENCY, KEY_FLAG_SHIFT, KEY_NOT_CHOSEN, KEY_PHARMACY, KEY_PRESCRIPTION,
  KEY_YEARS_SHIFT, kernelOf, newYearState, personKeyBits, secondPayment, startYear, yearsStepOf,
} from "./adjudicate.ts";
import { dayFromCivil, monthStart } from "./dates.ts";
import type { Finance } from "./finance.ts";
import { assertInt32 } from "./limits.ts";
import { applyRate } from "./money.ts";
import { reconciliationFen } from "./reconciliation.ts";
import { rulesAt, type Scheme } from "./policy.ts";
import type { CreditRule } from "./policy-schema.ts";
import { type Disease, KINDS, type Person, SETTINGS, STATUSES } from "./types.ts";
import { type ChunkOutcome, type EngineClaims, type EnginePersons, NO_DAY } from "./engine-columns.ts";

// The columns (and NO_DAY) live in engine-columns.ts, which fund.ts reads without the engine.
export { NO_DAY } from "./engine-columns.ts";
export type { ChunkOutcome, EngineClaims, EnginePersons } from "./engine-columns.ts";


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
    maternityContributionFen: new Int32Array(persons.count),
    inpatientFundFen: new Int32Array(persons.count),
    maternityFundFen: new Int32Array(persons.count),
    reconciliationFen: new Int32Array(persons.count),
    chronicFundFen: new Int32Array(persons.count),
    familyUseFen: new Int32Array(persons.count),
    nonContributionIncomeFen: new Int32Array(persons.count),
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
  const yearLastDay = dayFromCivil(year, 12, 31);
  // The columns in locals: the hot loop calls into the kernel, after which the engine could not
  // otherwise assume the objects' fields unchanged.
  const { day: cDay, kind: cKind, setting: cSetting, prescription: cPrescription, designated: cDesignated, emergency: cEmergency } = claims;
  const { area: cArea, eligibleFen: cEligible, level: cLevel, facility: cFacility, amountFen: cAmount, facilityType } = claims;
  const { contributionYears } = persons;
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
    let credit = 0, fromPool = 0, employer = 0, contribution = 0, maternity = 0;
    // A steady year: one set of rules all year and nothing that changes which credit rule applies
    // to the person within it (no retirement near the year, no 70th birthday).
    let steadyRule: CreditRule | null = null;
    const retired = person.retiredOnDay !== undefined ? person.retiredOnDay < monthStarts[0] : person.status === "retired";
    if (oneRulesAllYear && steadyYear(person, monthStarts)) {
      // The credit rule of 1 January, unless an age band (a 70th birthday …) changes it by 1 December.
      const acc = yearRules!.accounts;
      const status = retired ? "retired" : person.status === "flexible" ? "flexible" : "active";
      const jan = creditRuleOf(acc, status, person.hasAccount, person.birthDay, monthStarts[0]).rule;
      const byAge = status === "retired" ? acc.retiredAged70 !== null || acc.retiredByAge.length > 0 : status === "active" && acc.activeByAge.length > 0;
      if (!byAge || creditRuleOf(acc, status, person.hasAccount, person.birthDay, monthStarts[11]).rule === jan) steadyRule = jan;
    }
    if (steadyRule !== null && (steadyRule === "none" || !("trueUpMonth" in steadyRule) || steadyRule.trueUpMonth === undefined)) {
      // Twelve equal credits.
      const c = creditOf(steadyRule, person, 1, 0, false);
      const f = c.fen ?? 0;
      creditOfMonth.fill(f);
      credit = 12 * f;
      fromPool = c.fromPool ? credit : 0;
      employer = 12 * c.employerFen;
      if (finance && !retired) {
        contribution = 12 * applyRate(person.contributionBaseFen!, contributionBp(finance, person.status, person.hasAccount));
        maternity = 12 * applyRate(person.contributionBaseFen!, maternityBp(finance, person.status));
      }
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
        if (finance && c.status !== "retired") {
          contribution += applyRate(person.contributionBaseFen!, contributionBp(finance, c.status, person.hasAccount));
          maternity += applyRate(person.contributionBaseFen!, maternityBp(finance, c.status));
        }
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
    if (finance) {
      // Collected: what is due times the collection rate (each part rounded on its own).
      maternity = applyRate(maternity, finance.collectionBp);
      contribution = applyRate(contribution, finance.collectionBp) + maternity;
    }
    if ((credit | 0) !== credit || (fromPool | 0) !== fromPool || (employer | 0) !== employer || (contribution | 0) !== contribution) {
      personOverflow(p, year, { credits: credit, "credits from the pool": fromPool, "employer credits": employer, contributions: contribution });
    }
    out.creditFen[p] = credit;
    out.creditFromPoolFen[p] = fromPool;
    out.creditEmployerFen[p] = employer;
    out.contributionFen[p] = contribution;
    out.maternityContributionFen[p] = maternity;
    if (finance) {
      out.nonContributionIncomeFen[p] = applyRate(contribution, finance.nonContributionIncomeShareBp);
      out.reconciliationFen[p] = assertInt32(reconciliationFen(contribution, finance.reconciliationShare), "the reconciliation line of a person (fen)");
      if (persons.status[p] !== STATUS_RETIRED) out.maternityFundFen[p] = finance.maternityPerActiveFen;
    }
    const expectedInpatient = finance && persons.inpatientExpectedFen ? persons.inpatientExpectedFen[p] : -1;
    let realisedInpatient = 0;
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
        personBits |
        // A registered chronic patient (Neijiang 第十一条) and the claim's flags (Lüliang 不予支付):
        // optional columns, absent = none.
        (persons.chronic !== undefined && persons.chronic[p] === 1 ? KEY_CHRONIC : 0) |
        (claims.flags !== undefined ? claims.flags[j] << KEY_FLAG_SHIFT : 0) |
        (claims.notChosenFacility !== undefined && claims.notChosenFacility[j] === 1 ? KEY_NOT_CHOSEN : 0) |
        // The age band where the rules have age bands (rates, deductibles by age).
        (k!.ageBands.length !== 0 ? ageBandOf(k!, persons.birthDay[p], day) << KEY_AGE_SHIFT : 0) |
        // The general cap's contribution-years step, and a community health centre's own rates.
        (contributionYears !== undefined && k!.capGrowthYears.length !== 0 ? yearsStepOf(k!, contributionYears[p]) << KEY_YEARS_SHIFT : 0) |
        (facilityType !== undefined && facilityType[j] === 1 ? KEY_COMMUNITY : 0);
      // Retiree benefits start on retiredOn; retired without it = retired all year (isRetiredOn).
      const retired = retiredOn !== NO_DAY ? day >= retiredOn : retiredAllYear;
      const eligible = cEligible[j];
      // The balance credited up to the claim's day: an account-first benefit spends it first.
      adjudicateCoded(k!, key, cLevel[j] + 1, retired, oldWorker, diseases, eligible, cFacility[j], balance, state, a, null);
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
        realisedInpatient += other;
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
    if ((balance | 0) !== balance || (second | 0) !== second || (realisedInpatient | 0) !== realisedInpatient) {
      personOverflow(p, year, { "closing account balance": balance, "second payment": second, "inpatient fund payments": realisedInpatient });
    }
    out.closingBalanceFen[p] = balance;
    out.secondPaymentFen[p] = second;
    if (finance) out.inpatientFundFen[p] = expectedInpatient >= 0 ? applyRate(expectedInpatient, finance.inpatientFundShareBp) : realisedInpatient;
  }
  return out;
}

/** A person-year total past 32 bits: unreachable with the bounded inputs of a real population, but
 *  an Int32 column would wrap it silently, so it stops the run with the figures. */
function personOverflow(p: number, year: number, values: Record<string, number>): never {
  for (const [what, x] of Object.entries(values)) assertInt32(x, `person ${p}, ${year}: ${what} (fen)`);
  throw new RangeError(`person ${p}, ${year}: a value is not a whole number of fen`);
}

/** The employer's maternity rate: employees only (flexible workers pay no maternity part). */
function maternityBp(finance: Finance, status: string): number {
  return status === "active" ? finance.maternityEmployerBp : 0;
}

function contributionBp(finance: Finance, status: string, hasAccount: boolean): number {
  return status === "active" || status === "retired" ? finance.employerBp + finance.employeeBp : hasAccount ? finance.flexibleBp : finance.flexiblePoolOnlyBp;
}

/** No retirement near the year changes the person's status for crediting (the caller has checked
 *  that one set of rules covers the year, and checks the age bands). */
function steadyYear(person: Person, monthStarts: Int32Array): boolean {
  const r = person.retiredOnDay;
  return !(r !== undefined && r > monthStarts[0] - 31 && r <= monthStarts[11] + 31);
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
