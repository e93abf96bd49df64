// Adjudicating one claim: the deductible it meets, the rate, the caps, on the benefit that routing
// (./route.ts) chose. Small pure functions chosen by the policy data (never by city); the only state
// is a person's year-to-date accumulators, passed in and updated. Integer fen and basis points
// throughout. `Detail`, when asked for, records the intermediate amounts from which ./explain.ts
// builds the calculator's trace; the population engine asks for none and pays nothing for it.
import { ageOn, dayFromCivil, yearOfDay } from "./dates.ts";
import { assertInt32 } from "./limits.ts";
import { applyRate } from "./money.ts";
import type { Rules } from "./policy.ts";
import { excludingFlag, route } from "./route.ts";
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

/** An empty Detail for `adjudicate` to fill. */
export function newDetail(): Detail {
  return { level: 0, retired: false, metBeforeFen: 0, unclampedBp: 0, rawFen: 0, roomGeneralFen: 0, roomTwoDiseaseFen: 0, roomPharmacyFen: 0, accountFirstFen: 0, community: false };
}

/**
 * Adjudicate one claim against the rules in force on its date, updating the year's accumulators:
 * `adjudicateCoded` on the claim's codes; `detail`, when given, receives its intermediate amounts
 * (for ./explain.ts). The caller has applied `enterYear(state, claim.day)`. `balanceFen`: the
 * individual account's balance before the claim (an account-first benefit spends it first; 0 when
 * not tracked).
 */
export function adjudicate(
  rules: Rules,
  person: Person,
  claim: Claim,
  state: YearState,
  detail: Detail | null,
  balanceFen = 0,
  into: Adjudication = { fundFen: 0, deductibleFen: 0, rateBp: 0, benefit: null, exclusion: null },
): Adjudication {
  const k = kernelOf(rules);
  const band = ageBandOf(k, person.birthDay, claim.day);
  const key = routeKey(KINDS.indexOf(claim.kind), claim.setting === "pharmacy", claim.prescription, claim.designated, claim.emergency, AREAS.indexOf(claim.area), personKeyBits(person), claim.duringStay === true, claim.flags ?? 0, band) | (claim.notChosen ? KEY_NOT_CHOSEN : 0) | (yearsStepOf(k, person.contributionYears) << KEY_YEARS_SHIFT) | (claim.community ? KEY_COMMUNITY : 0);
  const retired = isRetiredOn(person, claim.day);
  if (detail) detail.retired = retired;
  const r = adjudicateCoded(k, key, claim.level, retired, person.oldWorker, diseaseMask(person), claim.eligibleFen, claim.facility, balanceFen, state, CODED, detail);
  into.fundFen = r.fundFen;
  into.deductibleFen = r.deductibleFen;
  into.rateBp = r.rateBp;
  into.benefit = r.outcome >= 0 ? BENEFITS[r.outcome] : null;
  into.exclusion = r.outcome < 0 ? EXCLUSIONS[-1 - r.outcome] : null;
  return into;
}

const CODED: CodedResult = { fundFen: 0, deductibleFen: 0, rateBp: 0, outcome: 0 };

/** Jinan's second payment on the year's compliant self-burden above the threshold. */
export function secondPayment(rules: Rules, selfBurdenFen: number): number {
  const sp = rules.secondPayment;
  if (!sp || selfBurdenFen <= sp.thresholdFen) return 0;
  const paid = applyRate(selfBurdenFen - sp.thresholdFen, sp.rateBp);
  return sp.capFen === null ? paid : Math.min(paid, sp.capFen);
}
