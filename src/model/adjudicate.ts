// Adjudicating one claim: which benefit pays it, the deductible it meets, the rate, the caps.
// Small pure functions chosen by the policy data (never by city); the only state is a person's
// year-to-date accumulators, passed in and updated. Integer fen and basis points throughout.
// `trace`, when given, collects the words that explain the result (the calculator's trace);
// the population engine passes null and pays nothing for it.
import { ageOn, dayFromCivil, isoFromDay, yearOfDay } from "./dates.ts";
import { assertInt32 } from "./limits.ts";
import { applyRate, formatBp, formatFen } from "./money.ts";
import type { ResolvedBenefit, Rules } from "./policy.ts";
import { AREAS, BENEFITS, type BenefitId, type Claim, CLAIM_FLAGS, EXCLUSIONS, type Exclusion, KINDS, type Person } from "./types.ts";

/** A person's year-to-date accumulators. Reset on 1 January (claims come in date order). */
export interface YearState {
  year: number;
  /** First and last day of `year` (so a claim's year is checked without date arithmetic). */
  firstDay: number;
  lastDay: number;
  /** Deductible met so far in the general and the TCM pool (counted across facilities)… */
  metGeneral: number;
  metTcm: number;
  /** …and by pool and facility where the deductible is counted per facility (Jinan before 2024):
   *  keys (pool + 2 × facility) and what each met, side by side in the first `facilities` slots
   *  (a person visits few facilities, so a short linear search beats a Map). */
  facilities: number;
  facilityKeys: number[];
  facilityMet: number[];
  capUsedGeneral: number;
  capUsedTwoDisease: number;
  capUsedPharmacy: number;
  /** Compliant self-burden (eligible − fund) on claims a benefit adjudicated (Jinan's second payment). */
  selfBurdenFen: number;
}

export function newYearState(year = -1): YearState {
  return { year, firstDay: 1, lastDay: 0, metGeneral: 0, metTcm: 0, facilities: 0, facilityKeys: [], facilityMet: [], capUsedGeneral: 0, capUsedTwoDisease: 0, capUsedPharmacy: 0, selfBurdenFen: 0 };
}

/** Start a new calendar year's accumulators when the claim's year differs. */
export function enterYear(state: YearState, day: number): void {
  if (day >= state.firstDay && day <= state.lastDay) return;
  const y = yearOfDay(day);
  startYear(state, y, dayFromCivil(y, 1, 1), dayFromCivil(y + 1, 1, 1) - 1);
}

/** Fresh accumulators for a calendar year whose first and last days the caller knows. */
export function startYear(state: YearState, year: number, firstDay: number, lastDay: number): void {
  {
    state.year = year;
    state.firstDay = firstDay;
    state.lastDay = lastDay;
    state.metGeneral = 0;
    state.metTcm = 0;
    state.facilities = 0;
    state.capUsedGeneral = 0;
    state.capUsedTwoDisease = 0;
    state.capUsedPharmacy = 0;
    state.selfBurdenFen = 0;
  }
}

// ---- status ------------------------------------------------------------------------------------

/** Retired on `day`: retiree benefits start on retiredOn; a retired person without it is retired all year. */
export function isRetiredOn(person: Person, day: number): boolean {
  if (person.retiredOnDay !== undefined) return day >= person.retiredOnDay;
  return person.status === "retired";
}

/** Column index into deductible/rate tables: (level − 1) × 2 + (retired ? 1 : 0). */
export function cell(level: number, retired: boolean): number {
  return (level - 1) * 2 + (retired ? 1 : 0);
}

// ---- which benefit -----------------------------------------------------------------------------

/** Common to all five cities (Lanzhou 第八条 says it in so many words). */
const INPATIENT_REF = "国办发〔2021〕14号; e.g. 兰州 第八条（日间手术及住院期间，不享受普通门诊统筹）";

export interface Route {
  benefit: ResolvedBenefit | null;
  exclusion: Exclusion | null;
  /** The article that decides the route, for the trace. */
  ref: string;
}

/** The benefit that pays a claim, or why none does. Checks in the order docs/calculation.md lists.
 *  Called per combination of claim codes when rules are compiled (kernelOf), and for the trace. */
export function route(rules: Rules, person: Person, claim: Claim): Route {
  const r = rules.refs;
  if (claim.kind === "inpatient") return { benefit: null, exclusion: "inpatient", ref: INPATIENT_REF };
  if (claim.kind === "day_surgery") return { benefit: null, exclusion: "day_surgery", ref: INPATIENT_REF };
  // Another payer's cost or outside the fund's scope (Lüliang 不予支付第1–4、9、13、14项).
  const flag = excludingFlag(rules, claim.flags ?? 0);
  if (flag >= 0) return { benefit: null, exclusion: CLAIM_FLAGS[flag], ref: r[`coverage.claimFlags.${CLAIM_FLAGS[flag]}`] };
  // Lanzhou 第八条: during an inpatient stay or day surgery no general outpatient pooling.
  if (claim.duringStay && rules.duringInpatientStay === "excluded") return { benefit: null, exclusion: "during_stay", ref: r["coverage.duringInpatientStay"] };
  // Non-designated: nothing unless an emergency where the area's rule excepts emergencies
  // (Lüliang 第5项 does, 第9项 in the city and 第11项 at a long-term residence do not).
  if (!claim.designated && !(claim.emergency && rules.nonDesignatedByArea[claim.area] === "emergency_only")) {
    return { benefit: null, exclusion: "non_designated", ref: r[`coverage.nonDesignatedByArea.${claim.area}`] ?? r["coverage.nonDesignated"] };
  }
  if (claim.area !== "local" && rules.areas[claim.area].excluded) {
    return { benefit: null, exclusion: "temporary_out_of_area", ref: r[`coverage.areas.${claim.area}`] };
  }
  // Paid only at the person's chosen or signed facility (选定/签约定点), perhaps but for emergencies.
  const nc = rules.notChosenFacility.rule;
  if (claim.notChosen && (nc === "excluded" || (nc === "emergency_only" && !claim.emergency))) {
    return { benefit: null, exclusion: "not_chosen_facility", ref: r["coverage.notChosenFacility"] };
  }
  if (claim.setting === "pharmacy" && !claim.prescription && rules.pharmacyWithoutPrescription === "excluded") {
    return { benefit: null, exclusion: "no_prescription", ref: r["coverage.pharmacy.withoutPrescription"] };
  }
  // Ganzhou 第三条: members of the account-less scheme are outside the benefit, retired or not.
  if (person.status === "flexible" && !person.hasAccount && rules.flexibleWithoutAccount === "excluded") {
    return { benefit: null, exclusion: "no_account_mode", ref: r["coverage.flexibleWithoutAccount"] };
  }
  let id: BenefitId | "excluded" = "general";
  let ref = "";

  switch (claim.kind) {
    case "general":
      break;
    case "chronic_special":
      if (rules.chronicOverflow === "excluded") return { benefit: null, exclusion: "chronic_special_self_pay", ref: r["coverage.chronicOverflow"] };
      ref = r["coverage.chronicOverflow"];
      break;
    case "two_disease":
      // Two-disease drugs of a person not registered for the benefit are ordinary outpatient costs.
      if (person.twoDiseases.length === 0) {
        ref = r["kinds.two_disease"];
        break;
      }
      // Neijiang 第十一条: a registered patient who meets the chronic criteria is in that scheme only.
      if (person.chronic && rules.twoDiseaseWithChronic === "chronic_scheme") return { benefit: null, exclusion: "chronic_scheme", ref: r["coverage.twoDiseaseWithChronic"] };
      [id, ref] = kindTarget(rules, "two_disease", claim.setting === "pharmacy");
      break;
    case "tcm":
      [id, ref] = kindTarget(rules, "tcm", claim.setting === "pharmacy");
      break;
    case "special_exam":
      [id, ref] = kindTarget(rules, "special_exam", claim.setting === "pharmacy");
      break;
  }
  if (id === "excluded") return { benefit: null, exclusion: "not_covered", ref };
  const benefit = rules.benefits[id] ?? null;
  if (!benefit) return { benefit: null, exclusion: id === "general" ? "no_general_pooling" : "not_covered", ref };
  return { benefit, exclusion: null, ref: ref || benefit.refs.benefit };
}

/** The benefit a claim kind goes to, at a facility or a pharmacy (kinds.atPharmacy), and its article. */
function kindTarget(rules: Rules, kind: "tcm" | "two_disease" | "special_exam", pharmacy: boolean): [BenefitId | "excluded", string] {
  const own = pharmacy ? rules.refs[`kinds.atPharmacy.${kind}`] : undefined;
  return own ? [rules.kindBenefitAtPharmacy[kind], own] : [rules.kindBenefit[kind], rules.refs[`kinds.${kind}`]];
}

// ---- the rules compiled to numbers -------------------------------------------------------------
//
// One set of rules (a dated segment) becomes flat numeric tables: the route of every combination
// of claim codes (tabulated by `route` itself, so routing is defined once), and each benefit's
// deductibles, rates and caps by cell. `adjudicateCoded` is the one implementation of the
// mechanisms: the calculator calls it through `adjudicate` (and explains its steps from `Detail`),
// the population engine calls it straight on its code columns.

/** Route-key bits: what routing reads of a claim and a person. */
export const KEY_PHARMACY = 1 << 3;
export const KEY_PRESCRIPTION = 1 << 4;
export const KEY_DESIGNATED = 1 << 5;
export const KEY_EMERGENCY = 1 << 6;
const KEY_AREA_SHIFT = 7;
export const KEY_FLEX_NO_ACCOUNT = 1 << 9;
export const KEY_TWO_DISEASE = 1 << 10;
export const KEY_DURING_STAY = 1 << 11;
/** The person is registered for the chronic/special-disease benefit (person.chronic). */
export const KEY_CHRONIC = 1 << 12;
/** The claim is away from the person's chosen facility (claim.notChosen). */
export const KEY_NOT_CHOSEN = 1 << 13;
const ROUTE_KEYS = 1 << 14;
/** Claim flags (CLAIM_FLAGS bitmask) sit above the tabulated bits: a flagged key is looked up
 *  without them and then checked against the kernel's flag table (flaggedOutcome). */
export const KEY_FLAG_SHIFT = 14;
const FLAG_MASK = (1 << CLAIM_FLAGS.length) - 1;
/** The person's age band on the claim's date (0–3, rules.ageBands) sits above the flags. */
export const KEY_AGE_SHIFT = KEY_FLAG_SHIFT + CLAIM_FLAGS.length;
const AGE_BANDS = 4;
/** The person's contribution-years step (0–3, rules.generalCapGrowth) sits above the age band. */
export const KEY_YEARS_SHIFT = KEY_AGE_SHIFT + 2;
/** The claim is at a community health centre (claim.community): its own rates and deductibles. */
export const KEY_COMMUNITY = 1 << (KEY_YEARS_SHIFT + 2);

/** The route key of a claim's codes (KINDS, AREAS indexes) and a person's bits. */
export function routeKey(kind: number, pharmacy: boolean, prescription: boolean, designated: boolean, emergency: boolean, area: number, personBits: number, duringStay = false, flags = 0, ageBand = 0): number {
  return kind | (pharmacy ? KEY_PHARMACY : 0) | (prescription ? KEY_PRESCRIPTION : 0) | (designated ? KEY_DESIGNATED : 0) | (emergency ? KEY_EMERGENCY : 0) | (area << KEY_AREA_SHIFT) | personBits | (duringStay ? KEY_DURING_STAY : 0) | (flags << KEY_FLAG_SHIFT) | (ageBand << KEY_AGE_SHIFT);
}

/** The step of the general cap (0 below the first of the kernel's capGrowthYears, else the last
 *  one reached) for a person with `years` of contributions; 0 when unknown or without steps. */
export function yearsStepOf(k: Kernel, years: number | undefined): number {
  const starts = k.capGrowthYears;
  if (starts.length === 0 || years === undefined) return 0;
  let step = 0;
  while (step < starts.length && years >= starts[step]) step++;
  return step;
}

/** The age band (0 below the first of the kernel's ageBands, else the last one reached) of a
 *  person born on `birthDay` on `day`: 0 when the scheme has no bands or the birth day is unknown. */
export function ageBandOf(k: Kernel, birthDay: number | undefined, day: number): number {
  const starts = k.ageBands;
  if (starts.length === 0 || birthDay === undefined) return 0;
  const age = ageOn(birthDay, day);
  let band = 0;
  while (band < starts.length && age >= starts[band]) band++;
  return band;
}

/** The person bits of a route key. */
export function personKeyBits(person: Person): number {
  return (person.status === "flexible" && !person.hasAccount ? KEY_FLEX_NO_ACCOUNT : 0) | (person.twoDiseases.length > 0 ? KEY_TWO_DISEASE : 0) | (person.chronic ? KEY_CHRONIC : 0);
}

/** The first of a claim's flags (CLAIM_FLAGS bitmask) that the scheme excludes, or −1. */
export function excludingFlag(rules: Rules, flags: number): number {
  for (let i = 0; i < CLAIM_FLAGS.length; i++) if (flags & (1 << i) && rules.claimFlags[i] === "excluded") return i;
  return -1;
}

/** A person's two-disease registrations as a mask: 1 hypertension, 2 diabetes. */
export function diseaseMask(person: Person): number {
  return (person.twoDiseases.includes("hypertension") ? 1 : 0) | (person.twoDiseases.includes("diabetes") ? 2 : 0);
}

const MECH_NONE = 0, MECH_ANNUAL = 1, MECH_PER_VISIT = 2;
const CAP_GENERAL = 1, CAP_TWO_DISEASE = 2, CAP_PHARMACY = 4;

export interface Kernel {
  rules: Rules;
  /** By route key: the BENEFITS index that pays, or −1 − the EXCLUSIONS index. */
  route: Int8Array;
  /** By BENEFITS index. */
  mechanism: Uint8Array;
  /** 1 = the TCM deductible pool. */
  tcmPool: Uint8Array;
  perFacility: Uint8Array;
  oldWorkerUpliftBp: Int32Array;
  /** CAP_GENERAL | CAP_TWO_DISEASE | CAP_PHARMACY. */
  caps: Uint8Array;
  /** 1 = the account pays the eligible cost before the deductible (自负段). */
  accountFirst: Uint8Array;
  /** By ((facility type × 4 + age band) × BENEFITS count + BENEFITS index) × 6 + cell; facility
   *  type 1 = a community health centre. */
  deductibleFen: Int32Array;
  rateBp: Int32Array;
  /** Ages at which age bands 1.. start (empty: no bands). */
  ageBands: Int32Array;
  /** The most paid for one claim; −1 = no per-visit cap. */
  perVisitCapFen: Int32Array;
  /** By AREAS index (local 0). */
  areaAdjustBp: Int32Array;
  /** Points added away from the chosen facility. */
  notChosenAdjustBp: number;
  pharmacyLevel: number;
  /** [active, retired]; 0 without a cap (a capped benefit then has no room, as the data says). */
  /** By contribution-years step × 2 + (retired ? 1 : 0). */
  generalCapFen: Int32Array;
  /** Contribution years at which steps 1.. of the general cap start (empty: none). */
  capGrowthYears: Int32Array;
  /** By disease mask. */
  twoDiseaseCapFen: Int32Array;
  /** [active, retired]: the pharmacy purchases' sub-cap. */
  pharmacyCapFen: Int32Array;
  /** By CLAIM_FLAGS index: the outcome of a claim with that flag (−1 − EXCLUSIONS index), or 0: no effect. */
  flagOutcome: Int8Array;
}

const kernels = new WeakMap<Rules, Kernel>();

/** The numeric tables of a set of rules (compiled once per segment). */
export function kernelOf(rules: Rules): Kernel {
  let k = kernels.get(rules);
  if (!k) kernels.set(rules, (k = compileKernel(rules)));
  return k;
}

function compileKernel(rules: Rules): Kernel {
  const table = new Int8Array(ROUTE_KEYS);
  const person: Person = { status: "active", oldWorker: false, twoDiseases: [], hasAccount: true };
  const claim: Claim = { day: 0, kind: "general", level: 1, amountFen: 0, eligibleFen: 0, setting: "facility", area: "local", designated: true, emergency: false, prescription: true, facility: 0 };
  for (let key = 0; key < ROUTE_KEYS; key++) {
    const kind = key & 7;
    if (kind >= KINDS.length) {
      table[key] = -1 - EXCLUSIONS.indexOf("not_covered");
      continue;
    }
    claim.kind = KINDS[kind];
    claim.setting = key & KEY_PHARMACY ? "pharmacy" : "facility";
    claim.prescription = (key & KEY_PRESCRIPTION) !== 0;
    claim.designated = (key & KEY_DESIGNATED) !== 0;
    claim.emergency = (key & KEY_EMERGENCY) !== 0;
    claim.area = AREAS[(key >> KEY_AREA_SHIFT) & 3];
    claim.duringStay = (key & KEY_DURING_STAY) !== 0;
    person.status = key & KEY_FLEX_NO_ACCOUNT ? "flexible" : "active";
    person.hasAccount = (key & KEY_FLEX_NO_ACCOUNT) === 0;
    person.twoDiseases = key & KEY_TWO_DISEASE ? ["hypertension"] : [];
    person.chronic = (key & KEY_CHRONIC) !== 0;
    claim.notChosen = (key & KEY_NOT_CHOSEN) !== 0;
    const rt = route(rules, person, claim);
    table[key] = rt.benefit ? BENEFITS.indexOf(rt.benefit.id) : -1 - EXCLUSIONS.indexOf(rt.exclusion!);
  }
  const nb = BENEFITS.length;
  const k: Kernel = {
    rules,
    route: table,
    mechanism: new Uint8Array(nb),
    tcmPool: new Uint8Array(nb),
    perFacility: new Uint8Array(nb),
    oldWorkerUpliftBp: new Int32Array(nb),
    caps: new Uint8Array(nb),
    accountFirst: new Uint8Array(nb),
    deductibleFen: new Int32Array(2 * AGE_BANDS * nb * 6),
    rateBp: new Int32Array(2 * AGE_BANDS * nb * 6),
    ageBands: Int32Array.from(rules.ageBands),
    perVisitCapFen: new Int32Array(nb * 6).fill(-1),
    areaAdjustBp: new Int32Array(AREAS.length),
    notChosenAdjustBp: assertInt32(rules.notChosenFacility.adjustBp, `${rules.city} ${rules.scheme}: coverage.notChosenFacility.rateAdjustment (bp)`),
    pharmacyLevel: rules.pharmacyLevel,
    generalCapFen: new Int32Array(2 * 4),
    capGrowthYears: Int32Array.from(rules.generalCapGrowth.map((g) => g.fromYears)),
    twoDiseaseCapFen: new Int32Array(4),
    pharmacyCapFen: new Int32Array(2),
    flagOutcome: new Int8Array(CLAIM_FLAGS.length),
  };
  CLAIM_FLAGS.forEach((f, i) => {
    if (excludingFlag(rules, 1 << i) === i) k.flagOutcome[i] = -1 - EXCLUSIONS.indexOf(f);
  });
  // Every amount and rate enters an Int32Array here: validation keeps them far inside (amounts ≤
  // MAX_AMOUNT_YUAN, rates and adjustments ≤ 100 points); a value past 32 bits would wrap silently.
  const at = `${rules.city} ${rules.scheme}`;
  if (rules.generalCapFen)
    for (let step = 0; step < 4; step++)
      rules.generalCapFen.forEach((v, i) => {
        const g = step > 0 ? rules.generalCapGrowth[step - 1] : undefined;
        k.generalCapFen[step * 2 + i] = assertInt32(v + (g ? g.addFen[i] : 0), `${at}: caps.general${g ? ` + caps.generalGrowth[${step - 1}].add` : ""}`);
      });
  if (rules.pharmacyCapFen) rules.pharmacyCapFen.forEach((v, i) => (k.pharmacyCapFen[i] = assertInt32(v, `${at}: caps.pharmacy`)));
  BENEFITS.forEach((id, i) => {
    const b = rules.benefits[id];
    if (!b) return;
    k.mechanism[i] = b.mechanism === "annual" ? MECH_ANNUAL : b.mechanism === "per_visit" ? MECH_PER_VISIT : MECH_NONE;
    k.tcmPool[i] = b.pool === "tcm" ? 1 : 0;
    k.perFacility[i] = b.perFacility ? 1 : 0;
    k.oldWorkerUpliftBp[i] = assertInt32(b.oldWorkerUpliftBp, `${at}: benefits.${id} old-worker uplift (bp)`);
    k.caps[i] = (b.caps.includes("general") ? CAP_GENERAL : 0) | (b.caps.includes("twoDisease") ? CAP_TWO_DISEASE : 0) | (b.caps.includes("pharmacy") ? CAP_PHARMACY : 0);
    k.accountFirst[i] = b.accountFirst ? 1 : 0;
    for (let c = 0; c < 6; c++) {
      // Band 0 reads the plain tables; band j ≥ 1 its own deductible (if any) and uplift. At a
      // community health centre (ft 1) the community rate and deductible replace the plain ones.
      for (let ft = 0; ft < 2; ft++)
        for (let j = 0; j < AGE_BANDS; j++) {
          const band = j > 0 && j <= b.ageUpliftBp.length ? j - 1 : -1;
          const ded = ft === 1 && b.communityDeductibleFen ? b.communityDeductibleFen[c] : band >= 0 && b.ageDeductibleFen[band] ? b.ageDeductibleFen[band]![c] : b.deductibleFen[c];
          const rate = ft === 1 && b.communityRateBp ? b.communityRateBp[c] : b.rateBp[c];
          k.deductibleFen[((ft * AGE_BANDS + j) * nb + i) * 6 + c] = assertInt32(ded, `${at}: benefits.${id}.deductible.amount`);
          k.rateBp[((ft * AGE_BANDS + j) * nb + i) * 6 + c] = assertInt32(rate + (band >= 0 ? b.ageUpliftBp[band] : 0), `${at}: benefits.${id}.rate (bp)`);
        }
      if (b.perVisitCapFen) k.perVisitCapFen[i * 6 + c] = assertInt32(b.perVisitCapFen[c], `${at}: benefits.${id}.perVisitCap`);
    }
  });
  AREAS.forEach((a, i) => {
    if (a !== "local") k.areaAdjustBp[i] = assertInt32(rules.areas[a].adjustBp, `${at}: coverage.areas.${a}.rateAdjustment (bp)`);
  });
  const t = rules.twoDiseaseCapFen;
  if (t) k.twoDiseaseCapFen.set([0, ...t.map((v) => assertInt32(v, `${at}: caps.twoDisease`))]);
  return k;
}

/** Calendar-year deductible: what remains of the amount after what earlier claims met. */
export function annualDeductible(amountFen: number, metFen: number, eligibleFen: number): number {
  return Math.min(eligibleFen, Math.max(0, amountFen - metFen));
}

/** Per-visit deductible: each claim meets its own. */
export function perVisitDeductible(amountFen: number, eligibleFen: number): number {
  return Math.min(eligibleFen, amountFen);
}

/** The steps of one adjudication, for the calculator's trace (filled only when asked for). */
export interface Detail {
  /** The level whose rate and deductible applied. */
  level: number;
  retired: boolean;
  /** Deductible met before this claim (annual mechanism). */
  metBeforeFen: number;
  /** Rate before it was held within 0–100%. */
  unclampedBp: number;
  /** Eligible minus deductible at the rate, before caps. */
  rawFen: number;
  /** Room left under the general, the two-disease and the pharmacy cap before this claim. */
  roomGeneralFen: number;
  roomTwoDiseaseFen: number;
  roomPharmacyFen: number;
  /** Paid by the account before the deductible (account-first benefits). */
  accountFirstFen: number;
  /** The community health centre's rates and deductible applied. */
  community: boolean;
}

/** The outcome of `adjudicateCoded`. */
export interface CodedResult {
  fundFen: number;
  deductibleFen: number;
  rateBp: number;
  /** BENEFITS index, or −1 − EXCLUSIONS index. */
  outcome: number;
}

/**
 * Adjudicate one claim, given as codes, against compiled rules, updating the year's accumulators
 * (the caller has started the claim's year). `retired`: the person is retired on the claim's day.
 * `diseases`: the person's two-disease mask. `level`: the claim's LEVELS index + 1. `balanceFen`:
 * the individual account's balance before the claim, which an account-first benefit spends first.
 */
export function adjudicateCoded(
  k: Kernel,
  key: number,
  level: number,
  retired: boolean,
  oldWorker: boolean,
  diseases: number,
  eligibleFen: number,
  facility: number,
  balanceFen: number,
  state: YearState,
  into: CodedResult,
  detail: Detail | null,
): CodedResult {
  const b = key < ROUTE_KEYS ? k.route[key] : flaggedOutcome(k, key);
  into.outcome = b;
  if (b < 0) {
    into.fundFen = 0;
    into.deductibleFen = 0;
    into.rateBp = 0;
    return into;
  }
  // A pharmacy claim reads the prescribing facility's level, or a fixed one.
  const lv = key & KEY_PHARMACY && k.pharmacyLevel !== 0 ? k.pharmacyLevel : level;
  const c = b * 6 + (lv - 1) * 2 + (retired ? 1 : 0);
  // The deductible and rate of the facility type and the person's age band (hospital, band 0: c
  // itself). A pharmacy claim reads the prescribing facility's type, unless its level is fixed.
  const community = (key & KEY_COMMUNITY) !== 0 && !(key & KEY_PHARMACY && k.pharmacyLevel !== 0);
  const cb = ((community ? AGE_BANDS : 0) + ((key >>> KEY_AGE_SHIFT) & 3)) * BENEFITS.length * 6 + c;

  // Account first (自负段): the account pays the eligible cost first; the rest meets the deductible.
  let fromAccount = 0;
  if (k.accountFirst[b] === 1 && balanceFen > 0) fromAccount = balanceFen < eligibleFen ? balanceFen : eligibleFen;
  const rest = eligibleFen - fromAccount;

  // Deductible.
  let ded = 0;
  let met = 0;
  const mech = k.mechanism[b];
  if (mech === MECH_ANNUAL) {
    if (k.perFacility[b] === 1) {
      const i = facilitySlot(state, k.tcmPool[b] + facility * 2);
      met = state.facilityMet[i];
      ded = annualDeductible(k.deductibleFen[cb], met, rest);
      state.facilityMet[i] = met + ded;
    } else if (k.tcmPool[b] === 1) {
      met = state.metTcm;
      ded = annualDeductible(k.deductibleFen[cb], met, rest);
      state.metTcm = met + ded;
    } else {
      met = state.metGeneral;
      ded = annualDeductible(k.deductibleFen[cb], met, rest);
      state.metGeneral = met + ded;
    }
  } else if (mech === MECH_PER_VISIT) ded = perVisitDeductible(k.deductibleFen[cb], rest);

  // Rate: the status table, the old-worker uplift, the area adjustment, held within 0–100%.
  let sum = k.rateBp[cb];
  if (oldWorker) sum += k.oldWorkerUpliftBp[b];
  sum += k.areaAdjustBp[(key >> KEY_AREA_SHIFT) & 3];
  if (key & KEY_NOT_CHOSEN) sum += k.notChosenAdjustBp;
  const bp = sum < 0 ? 0 : sum > 10000 ? 10000 : sum;
  const raw = applyRate(rest - ded, bp);

  // Caps: the per-visit cap, then every annual cap the benefit consumes.
  let fund = raw;
  const perVisit = k.perVisitCapFen[c];
  if (perVisit >= 0 && fund > perVisit) fund = perVisit;
  // The pharmacy sub-cap binds pharmacy claims only.
  const caps = key & KEY_PHARMACY ? k.caps[b] : k.caps[b] & ~CAP_PHARMACY;
  let roomGeneral = 0, roomTwo = 0, roomPharmacy = 0;
  if (caps & CAP_GENERAL) {
    roomGeneral = k.generalCapFen[((key >>> KEY_YEARS_SHIFT) & 3) * 2 + (retired ? 1 : 0)] - state.capUsedGeneral;
    if (roomGeneral < 0) roomGeneral = 0;
    if (fund > roomGeneral) fund = roomGeneral;
  }
  if (caps & CAP_TWO_DISEASE) {
    roomTwo = k.twoDiseaseCapFen[diseases] - state.capUsedTwoDisease;
    if (roomTwo < 0) roomTwo = 0;
    if (fund > roomTwo) fund = roomTwo;
  }
  if (caps & CAP_PHARMACY) {
    roomPharmacy = k.pharmacyCapFen[retired ? 1 : 0] - state.capUsedPharmacy;
    if (roomPharmacy < 0) roomPharmacy = 0;
    if (fund > roomPharmacy) fund = roomPharmacy;
  }
  if (caps & CAP_GENERAL) state.capUsedGeneral += fund;
  if (caps & CAP_TWO_DISEASE) state.capUsedTwoDisease += fund;
  if (caps & CAP_PHARMACY) state.capUsedPharmacy += fund;
  state.selfBurdenFen += eligibleFen - fund;
  if (detail) report(detail, lv, retired, met, sum, raw, roomGeneral, roomTwo, roomPharmacy, fromAccount, community);
  into.fundFen = fund;
  into.deductibleFen = ded;
  into.rateBp = bp;
  return into;
}

// Kept out of adjudicateCoded so that it stays small enough for V8 to inline into the engine's loop.
function report(d: Detail, level: number, retired: boolean, met: number, unclamped: number, raw: number, roomGeneral: number, roomTwo: number, roomPharmacy: number, fromAccount: number, community: boolean): void {
  d.accountFirstFen = fromAccount;
  d.community = community;
  d.level = level;
  d.retired = retired;
  d.metBeforeFen = met;
  d.unclampedBp = unclamped;
  d.rawFen = raw;
  d.roomGeneralFen = roomGeneral;
  d.roomTwoDiseaseFen = roomTwo;
  d.roomPharmacyFen = roomPharmacy;
}

const INPATIENT_OUTCOME = -1 - EXCLUSIONS.indexOf("inpatient");
const DAY_SURGERY_OUTCOME = -1 - EXCLUSIONS.indexOf("day_surgery");

/** The outcome of a flagged claim, in route's order: inpatient and day surgery first, then the
 *  first flag the scheme excludes, else the route of the unflagged key. */
function flaggedOutcome(k: Kernel, key: number): number {
  const b = k.route[key & (ROUTE_KEYS - 1)];
  if (b === INPATIENT_OUTCOME || b === DAY_SURGERY_OUTCOME) return b;
  const flags = (key >>> KEY_FLAG_SHIFT) & FLAG_MASK;
  for (let i = 0; i < k.flagOutcome.length; i++) if (flags & (1 << i) && k.flagOutcome[i] < 0) return k.flagOutcome[i];
  return b;
}

/** The slot of a per-facility deductible accumulator (added when the facility is new this year). */
function facilitySlot(state: YearState, key: number): number {
  const keys = state.facilityKeys;
  const n = state.facilities;
  let i = 0;
  while (i < n && keys[i] !== key) i++;
  if (i === n) {
    keys[i] = key;
    state.facilityMet[i] = 0;
    state.facilities = n + 1;
  }
  return i;
}

// ---- one claim, as the calculator sees it --------------------------------------------------------

export interface Adjudication {
  fundFen: number;
  deductibleFen: number;
  rateBp: number;
  benefit: BenefitId | null;
  exclusion: Exclusion | null;
}

const EXCLUSION_WORDS: Record<Exclusion, string> = {
  inpatient: "inpatient stay (住院): not outpatient pooling",
  day_surgery: "day surgery (日间手术): not outpatient pooling",
  non_designated: "non-designated facility (非定点): not paid",
  temporary_out_of_area: "temporary visit outside the city (临时外出就医): not paid",
  no_prescription: "pharmacy purchase without an external prescription (外配处方): not paid",
  no_account_mode: "pool-only member without an individual account (单建统筹): no general outpatient benefit",
  chronic_special_self_pay: "self-pay left by the chronic/special disease benefit (门诊慢特病): not eligible for general pooling",
  no_general_pooling: "no general outpatient pooling (普通门诊统筹) in this scheme",
  not_covered: "no benefit of this scheme pays this kind of claim",
  during_stay: "during an inpatient stay or day surgery (住院期间, person.stays): no general outpatient pooling",
  work_injury: "flagged work_injury: payable by the work-injury insurance fund (应当从工伤保险基金中支付): not paid",
  third_party: "flagged third_party: borne by a third party (应当由第三人负担): not paid",
  public_health: "flagged public_health: borne by public health (应当由公共卫生负担): not paid",
  wellness: "flagged wellness: fitness, wellness or a health check-up (体育健身、养生保健消费、健康体检): not paid",
  no_card: "flagged no_card: settled without the social-security card or e-voucher (未持医保电子凭证或社会保障卡): not paid",
  arrears_period: "flagged arrears_period: during contribution arrears or a waiting period (欠费期间、待遇等待期): not paid",
  other_not_payable: "flagged other_not_payable: otherwise outside the fund's scope (其它不符合统筹基金支付范围): not paid",
  not_chosen_facility: "at a facility other than the person's chosen or signed one (非选定定点, 选定/签约定点医疗机构以外): not paid",
  chronic_scheme: "two-disease drugs of a patient registered for the chronic/special-disease scheme (门诊慢特病): that scheme pays, not outpatient pooling",
};

/**
 * Adjudicate one claim against the rules in force on its date, updating the year's accumulators:
 * `adjudicateCoded` on the claim's codes, and, when `trace` is given, the words that explain it.
 * The caller has applied `enterYear(state, claim.day)`. `balanceFen`: the individual account's
 * balance before the claim (an account-first benefit spends it first; 0 when not tracked).
 */
export function adjudicate(
  rules: Rules,
  person: Person,
  claim: Claim,
  state: YearState,
  trace: string[] | null,
  balanceFen = 0,
  into: Adjudication = { fundFen: 0, deductibleFen: 0, rateBp: 0, benefit: null, exclusion: null },
): Adjudication {
  const k = kernelOf(rules);
  const band = ageBandOf(k, person.birthDay, claim.day);
  const key = routeKey(KINDS.indexOf(claim.kind), claim.setting === "pharmacy", claim.prescription, claim.designated, claim.emergency, AREAS.indexOf(claim.area), personKeyBits(person), claim.duringStay === true, claim.flags ?? 0, band) | (claim.notChosen ? KEY_NOT_CHOSEN : 0) | (yearsStepOf(k, person.contributionYears) << KEY_YEARS_SHIFT) | (claim.community ? KEY_COMMUNITY : 0);
  const retired = isRetiredOn(person, claim.day);
  const d: Detail | null = trace ? { level: 0, retired, metBeforeFen: 0, unclampedBp: 0, rawFen: 0, roomGeneralFen: 0, roomTwoDiseaseFen: 0, roomPharmacyFen: 0, accountFirstFen: 0, community: false } : null;
  const r = adjudicateCoded(k, key, claim.level, retired, person.oldWorker, diseaseMask(person), claim.eligibleFen, claim.facility, balanceFen, state, CODED, d);
  into.fundFen = r.fundFen;
  into.deductibleFen = r.deductibleFen;
  into.rateBp = r.rateBp;
  into.benefit = r.outcome >= 0 ? BENEFITS[r.outcome] : null;
  into.exclusion = r.outcome < 0 ? EXCLUSIONS[-1 - r.outcome] : null;
  if (trace) explain(rules, person, claim, into, d!, band, balanceFen, trace);
  return into;
}

const CODED: CodedResult = { fundFen: 0, deductibleFen: 0, rateBp: 0, outcome: 0 };

/** The calculator's words for one adjudication (what `adjudicateCoded` did, with the articles). */
function explain(rules: Rules, person: Person, claim: Claim, a: Adjudication, d: Detail, band: number, balanceFen: number, trace: string[]): void {
  const rt = route(rules, person, claim);
  if (!a.benefit) {
    const stay = a.exclusion === "during_stay" ? person.stays?.find((s) => s.from <= claim.day && claim.day <= s.to) : undefined;
    const when = stay
      ? ` — the stay ${isoFromDay(stay.from)} to ${isoFromDay(stay.to)}`
      : a.exclusion === "non_designated" && claim.emergency
        ? ` — an emergency, but the rule for ${claim.area} makes no emergency exception`
        : "";
    trace.push(`${EXCLUSION_WORDS[a.exclusion!]}${when}${rt.ref ? ` — ${rt.ref}` : ""}`);
    return;
  }
  const b = rules.benefits[a.benefit]!;
  const { level, retired } = d;
  const eligible = claim.eligibleFen;
  const c = cell(level, retired);
  trace.push(`benefit: ${BENEFIT_WORDS[b.id]}${rt.ref ? ` — ${rt.ref}` : ""}`);
  // Flags that did not exclude the claim: paid by the scheme's rule, or no rule of the scheme.
  CLAIM_FLAGS.forEach((f, i) => {
    if (!((claim.flags ?? 0) & (1 << i))) return;
    const rule = rules.claimFlags[i];
    trace.push(rule === "paid" ? `flag ${f}: paid as any claim — ${rules.refs[`coverage.claimFlags.${f}`]}` : `flag ${f}: this scheme's text sets no rule for it; paid as any claim`);
  });
  trace.push(
    `status: ${retired ? "retired 退休" : person.status === "flexible" ? "flexible 灵活就业 (active rates)" : "active 在职"}` +
      `; level ${level}${claim.setting === "pharmacy" ? ` (pharmacy 定点零售药店${rules.pharmacyLevel === 0 ? ", prescribing facility's level" : ""} — ${rules.refs["coverage.pharmacy.level"]})` : ""}` +
      `; eligible 政策范围内 ${formatFen(eligible)} of ${formatFen(claim.amountFen)}`,
  );
  // Age band (scheme ageBands): its own deductible and rate uplift.
  const ab = band > 0 ? band - 1 : -1;
  if (rules.ageBands.length) {
    const known = person.birthDay !== undefined;
    const name = ab >= 0 ? `${rules.ageBands[ab]}+` : `under ${rules.ageBands[0]}`;
    trace.push(`age band 年龄段: ${known ? `age ${ageOn(person.birthDay!, claim.day)} on the claim's date` : "birthDate not given"}, band ${name} — ${rules.refs.ageBands}`);
  }
  // Facility type: a community health centre's own rates and deductible, where the rules set them.
  const communityDed = d.community && b.communityDeductibleFen !== null;
  const communityRate = d.community && b.communityRateBp !== null;
  if (claim.community)
    trace.push(
      `facility type 社区卫生服务中心 (community health centre): ` +
        (!d.community
          ? `a pharmacy purchase reads the fixed pharmacy level's rates — ${rules.refs["coverage.pharmacy.level"]}`
          : communityDed || communityRate
            ? `its own ${[communityRate ? "rate" : "", communityDed ? "deductible" : ""].filter(Boolean).join(" and ")} — ${[communityRate ? b.refs.communityRate : "", communityDed ? b.refs.communityDeductible : ""].filter(Boolean).join("; ")}`
            : "this benefit sets no rate or deductible of its own there: as at a hospital"),
    );
  // Account first (自负段): what the account paid before the deductible.
  const rest = eligible - d.accountFirstFen;
  if (b.accountFirst)
    trace.push(
      `account first 账户先付 (自负段): the individual account pays ${formatFen(d.accountFirstFen)} of the eligible cost first` +
        `${balanceFen <= 0 ? " (balance empty or not tracked)" : ""}; ${formatFen(rest)} left for the deductible and the rate — ${b.refs.accountFirst}`,
    );
  const bandDed = communityDed ? b.communityDeductibleFen![c] : ab >= 0 && b.ageDeductibleFen[ab] ? b.ageDeductibleFen[ab]![c] : b.deductibleFen[c];
  const dedRef = communityDed ? `${b.refs.communityDeductible} (community health centre)` : ab >= 0 && b.ageDeductibleFen[ab] ? `${b.refs.ageDeductible} (age ${rules.ageBands[ab]}+)` : b.refs.deductible;
  const ded = a.deductibleFen;
  if (b.mechanism === "annual")
    trace.push(
      `deductible 起付标准: annual ${formatFen(bandDed)}${b.pool !== "general" ? ` (own ${b.pool} pool)` : ""}` +
        `${b.perFacility ? ` per facility${claim.facility ? ` #${claim.facility}` : ""}` : ""}, met before ${formatFen(d.metBeforeFen)}, this claim ${formatFen(ded)} — ${dedRef}`,
    );
  else if (b.mechanism === "per_visit") trace.push(`deductible 起付标准: ${formatFen(bandDed)} per visit at level ${level}, this claim ${formatFen(ded)} — ${dedRef}`);
  else trace.push(`deductible 起付标准: none — ${b.refs.deductible}`);

  const bp = a.rateBp;
  const parts = [communityRate ? `${formatBp(b.communityRateBp![c])} (community health centre, ${retired ? "retired" : "active"})` : `${formatBp(b.rateBp[c])} (level ${level}, ${retired ? "retired" : "active"})`];
  if (ab >= 0 && b.ageUpliftBp[ab]) parts.push(`${b.ageUpliftBp[ab] > 0 ? "+" : ""}${formatBp(b.ageUpliftBp[ab])} age ${rules.ageBands[ab]}+ — ${b.refs.ageUplift}`);
  if (person.oldWorker && b.oldWorkerUpliftBp) parts.push(`+${formatBp(b.oldWorkerUpliftBp)} old worker 建国前老工人`);
  if (claim.notChosen && rules.notChosenFacility.adjustBp) parts.push(`${formatBp(rules.notChosenFacility.adjustBp)} away from the chosen facility 非选定定点 — ${rules.refs["coverage.notChosenFacility"]}`);
  if (claim.area !== "local" && rules.areas[claim.area].adjustBp) parts.push(`${formatBp(rules.areas[claim.area].adjustBp)} ${claim.area} — ${rules.refs[`coverage.areas.${claim.area}`]}`);
  const refs = [communityRate ? b.refs.communityRate : b.refs.rateByLevel[level - 1]];
  if (retired && b.refs.retireeUplift) refs.push(b.refs.retireeUplift);
  const clamp = d.unclampedBp !== bp ? ` (${formatBp(d.unclampedBp)}, held within 0–100%)` : "";
  trace.push(`rate 支付比例: ${parts.join(" ")} = ${formatBp(bp)}${clamp} — ${[...new Set(refs)].join("; ")}`);
  trace.push(`(${formatFen(rest)} − ${formatFen(ded)}) × ${formatBp(bp)} = ${formatFen(d.rawFen)} (rounded half-up to the fen)`);

  // Caps: per visit, then the annual ones in the order the benefit lists them.
  let fund = d.rawFen;
  if (b.perVisitCapFen) {
    const pv = b.perVisitCapFen[c];
    trace.push(`per-visit cap 单次最高支付: ${formatFen(pv)}${fund > pv ? ` — pays ${formatFen(pv)}` : ", not reached"} — ${b.refs.perVisitCap}`);
    if (fund > pv) fund = pv;
  }
  for (const cap of b.caps) {
    if (cap === "pharmacy" && claim.setting !== "pharmacy") continue;
    const room = cap === "general" ? d.roomGeneralFen : cap === "twoDisease" ? d.roomTwoDiseaseFen : d.roomPharmacyFen;
    const step = cap === "general" ? yearsStepOf(kernelOf(rules), person.contributionYears) : 0;
    const years = person.contributionYears === undefined ? "contributionYears not given: no" : `${person.contributionYears}`;
    const growth =
      cap !== "general" || rules.generalCapGrowth.length === 0
        ? ""
        : step > 0
          ? ` (grown by ${formatFen(rules.generalCapGrowth[step - 1].addFen[d.retired ? 1 : 0])} for ${years} contribution years 缴费年限 — ${rules.refs["caps.generalGrowth"]})`
          : ` (${years} contribution years 缴费年限: below the first step, ${rules.generalCapGrowth[0].fromYears} — ${rules.refs["caps.generalGrowth"]})`;
    const ref = (cap === "pharmacy" ? `${rules.refs["caps.pharmacy"]}; ${b.refs.caps}` : b.refs.caps) + growth;
    if (fund > room) {
      trace.push(`cap 年度最高支付限额 (${CAP_WORDS[cap][0]}): ${formatFen(room)} left — pays ${formatFen(room)} — ${ref}`);
      fund = room;
    } else trace.push(`cap (${CAP_WORDS[cap][1]}): ${formatFen(room)} left, not reached — ${ref}`);
  }
  if (b.caps.length === 0) trace.push(`cap: outside the general cap — ${b.refs.caps}`);
}

const CAP_WORDS: Record<"general" | "twoDisease" | "pharmacy", [string, string]> = {
  general: ["general 普通门诊", "general"],
  twoDisease: ["two diseases 两病", "two diseases"],
  pharmacy: ["pharmacy purchases 定点零售药店购药", "pharmacy purchases"],
};

const BENEFIT_WORDS: Record<BenefitId, string> = {
  general: "general outpatient pooling 普通门诊统筹",
  tcm: "TCM outpatient 中医门诊",
  two_disease: "two-disease drugs 两病门诊用药",
  special_exam: "special examinations and treatments 门诊特殊检查治疗",
};

/** Jinan's second payment on the year's compliant self-burden above the threshold. */
export function secondPayment(rules: Rules, selfBurdenFen: number): number {
  const sp = rules.secondPayment;
  if (!sp || selfBurdenFen <= sp.thresholdFen) return 0;
  const paid = applyRate(selfBurdenFen - sp.thresholdFen, sp.rateBp);
  return sp.capFen === null ? paid : Math.min(paid, sp.capFen);
}
