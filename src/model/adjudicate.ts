// Adjudicating one claim: which benefit pays it, the deductible it meets, the rate, the caps.
// Small pure functions chosen by the policy data (never by city); the only state is a person's
// year-to-date accumulators, passed in and updated. Integer fen and basis points throughout.
// `trace`, when given, collects the words that explain the result (the calculator's trace);
// the population engine passes null and pays nothing for it.
import { dayFromCivil, isoFromDay, yearOfDay } from "./dates.ts";
import { assertInt32 } from "./limits.ts";
import { applyRate, formatBp, formatFen } from "./money.ts";
import type { ResolvedBenefit, Rules } from "./policy.ts";
import { AREAS, BENEFITS, type BenefitId, type Claim, EXCLUSIONS, type Exclusion, KINDS, type Person } from "./types.ts";

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
  /** Compliant self-burden (eligible − fund) on claims a benefit adjudicated (Jinan's second payment). */
  selfBurdenFen: number;
}

export function newYearState(year = -1): YearState {
  return { year, firstDay: 1, lastDay: 0, metGeneral: 0, metTcm: 0, facilities: 0, facilityKeys: [], facilityMet: [], capUsedGeneral: 0, capUsedTwoDisease: 0, selfBurdenFen: 0 };
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
  // Lanzhou 第八条: during an inpatient stay or day surgery no general outpatient pooling.
  if (claim.duringStay && rules.duringInpatientStay === "excluded") return { benefit: null, exclusion: "during_stay", ref: r["coverage.duringInpatientStay"] };
  if (!claim.designated && !(claim.emergency && rules.nonDesignated === "emergency_only")) {
    return { benefit: null, exclusion: "non_designated", ref: r["coverage.nonDesignated"] };
  }
  if (claim.area !== "local" && rules.areas[claim.area].excluded) {
    return { benefit: null, exclusion: "temporary_out_of_area", ref: r[`coverage.areas.${claim.area}`] };
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
      id = person.twoDiseases.length > 0 ? rules.kindBenefit.two_disease : "general";
      ref = r["kinds.two_disease"];
      break;
    case "tcm":
      id = rules.kindBenefit.tcm;
      ref = r["kinds.tcm"];
      break;
    case "special_exam":
      id = rules.kindBenefit.special_exam;
      ref = r["kinds.special_exam"];
      break;
  }
  if (id === "excluded") return { benefit: null, exclusion: "not_covered", ref };
  const benefit = rules.benefits[id] ?? null;
  if (!benefit) return { benefit: null, exclusion: id === "general" ? "no_general_pooling" : "not_covered", ref };
  return { benefit, exclusion: null, ref: ref || benefit.refs.benefit };
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
const ROUTE_KEYS = 1 << 12;

/** The route key of a claim's codes (KINDS, AREAS indexes) and a person's bits. */
export function routeKey(kind: number, pharmacy: boolean, prescription: boolean, designated: boolean, emergency: boolean, area: number, personBits: number, duringStay = false): number {
  return kind | (pharmacy ? KEY_PHARMACY : 0) | (prescription ? KEY_PRESCRIPTION : 0) | (designated ? KEY_DESIGNATED : 0) | (emergency ? KEY_EMERGENCY : 0) | (area << KEY_AREA_SHIFT) | personBits | (duringStay ? KEY_DURING_STAY : 0);
}

/** The person bits of a route key. */
export function personKeyBits(person: Person): number {
  return (person.status === "flexible" && !person.hasAccount ? KEY_FLEX_NO_ACCOUNT : 0) | (person.twoDiseases.length > 0 ? KEY_TWO_DISEASE : 0);
}

/** A person's two-disease registrations as a mask: 1 hypertension, 2 diabetes. */
export function diseaseMask(person: Person): number {
  return (person.twoDiseases.includes("hypertension") ? 1 : 0) | (person.twoDiseases.includes("diabetes") ? 2 : 0);
}

const MECH_NONE = 0, MECH_ANNUAL = 1, MECH_PER_VISIT = 2;
const CAP_GENERAL = 1, CAP_TWO_DISEASE = 2;

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
  /** CAP_GENERAL | CAP_TWO_DISEASE. */
  caps: Uint8Array;
  /** By BENEFITS index × 6 + cell. */
  deductibleFen: Int32Array;
  rateBp: Int32Array;
  /** By AREAS index (local 0). */
  areaAdjustBp: Int32Array;
  pharmacyLevel: number;
  /** [active, retired]; 0 without a cap (a capped benefit then has no room, as the data says). */
  generalCapFen: Int32Array;
  /** By disease mask. */
  twoDiseaseCapFen: Int32Array;
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
    deductibleFen: new Int32Array(nb * 6),
    rateBp: new Int32Array(nb * 6),
    areaAdjustBp: new Int32Array(AREAS.length),
    pharmacyLevel: rules.pharmacyLevel,
    generalCapFen: new Int32Array(2),
    twoDiseaseCapFen: new Int32Array(4),
  };
  // Every amount and rate enters an Int32Array here: validation keeps them far inside (amounts ≤
  // MAX_AMOUNT_YUAN, rates and adjustments ≤ 100 points); a value past 32 bits would wrap silently.
  const at = `${rules.city} ${rules.scheme}`;
  if (rules.generalCapFen) rules.generalCapFen.forEach((v, i) => (k.generalCapFen[i] = assertInt32(v, `${at}: caps.general`)));
  BENEFITS.forEach((id, i) => {
    const b = rules.benefits[id];
    if (!b) return;
    k.mechanism[i] = b.mechanism === "annual" ? MECH_ANNUAL : b.mechanism === "per_visit" ? MECH_PER_VISIT : MECH_NONE;
    k.tcmPool[i] = b.pool === "tcm" ? 1 : 0;
    k.perFacility[i] = b.perFacility ? 1 : 0;
    k.oldWorkerUpliftBp[i] = assertInt32(b.oldWorkerUpliftBp, `${at}: benefits.${id} old-worker uplift (bp)`);
    k.caps[i] = (b.caps.includes("general") ? CAP_GENERAL : 0) | (b.caps.includes("twoDisease") ? CAP_TWO_DISEASE : 0);
    for (let c = 0; c < 6; c++) {
      k.deductibleFen[i * 6 + c] = assertInt32(b.deductibleFen[c], `${at}: benefits.${id}.deductible.amount`);
      k.rateBp[i * 6 + c] = assertInt32(b.rateBp[c], `${at}: benefits.${id}.rate (bp)`);
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
  /** Room left under the general and the two-disease cap before this claim. */
  roomGeneralFen: number;
  roomTwoDiseaseFen: number;
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
 * `diseases`: the person's two-disease mask. `level`: the claim's LEVELS index + 1.
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
  state: YearState,
  into: CodedResult,
  detail: Detail | null,
): CodedResult {
  const b = k.route[key];
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

  // Deductible.
  let ded = 0;
  let met = 0;
  const mech = k.mechanism[b];
  if (mech === MECH_ANNUAL) {
    if (k.perFacility[b] === 1) {
      const i = facilitySlot(state, k.tcmPool[b] + facility * 2);
      met = state.facilityMet[i];
      ded = annualDeductible(k.deductibleFen[c], met, eligibleFen);
      state.facilityMet[i] = met + ded;
    } else if (k.tcmPool[b] === 1) {
      met = state.metTcm;
      ded = annualDeductible(k.deductibleFen[c], met, eligibleFen);
      state.metTcm = met + ded;
    } else {
      met = state.metGeneral;
      ded = annualDeductible(k.deductibleFen[c], met, eligibleFen);
      state.metGeneral = met + ded;
    }
  } else if (mech === MECH_PER_VISIT) ded = perVisitDeductible(k.deductibleFen[c], eligibleFen);

  // Rate: the status table, the old-worker uplift, the area adjustment, held within 0–100%.
  let sum = k.rateBp[c];
  if (oldWorker) sum += k.oldWorkerUpliftBp[b];
  sum += k.areaAdjustBp[(key >> KEY_AREA_SHIFT) & 3];
  const bp = sum < 0 ? 0 : sum > 10000 ? 10000 : sum;
  const raw = applyRate(eligibleFen - ded, bp);

  // Caps: the payment must fit under every cap the benefit consumes.
  let fund = raw;
  const caps = k.caps[b];
  let roomGeneral = 0, roomTwo = 0;
  if (caps & CAP_GENERAL) {
    roomGeneral = k.generalCapFen[retired ? 1 : 0] - state.capUsedGeneral;
    if (roomGeneral < 0) roomGeneral = 0;
    if (fund > roomGeneral) fund = roomGeneral;
  }
  if (caps & CAP_TWO_DISEASE) {
    roomTwo = k.twoDiseaseCapFen[diseases] - state.capUsedTwoDisease;
    if (roomTwo < 0) roomTwo = 0;
    if (fund > roomTwo) fund = roomTwo;
  }
  if (caps & CAP_GENERAL) state.capUsedGeneral += fund;
  if (caps & CAP_TWO_DISEASE) state.capUsedTwoDisease += fund;
  state.selfBurdenFen += eligibleFen - fund;
  if (detail) report(detail, lv, retired, met, sum, raw, roomGeneral, roomTwo);
  into.fundFen = fund;
  into.deductibleFen = ded;
  into.rateBp = bp;
  return into;
}

// Kept out of adjudicateCoded so that it stays small enough for V8 to inline into the engine's loop.
function report(d: Detail, level: number, retired: boolean, met: number, unclamped: number, raw: number, roomGeneral: number, roomTwo: number): void {
  d.level = level;
  d.retired = retired;
  d.metBeforeFen = met;
  d.unclampedBp = unclamped;
  d.rawFen = raw;
  d.roomGeneralFen = roomGeneral;
  d.roomTwoDiseaseFen = roomTwo;
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
  non_designated: "non-designated facility (非定点) without emergency: not paid",
  temporary_out_of_area: "temporary visit outside the city (临时外出就医): not paid",
  no_prescription: "pharmacy purchase without an external prescription (外配处方): not paid",
  no_account_mode: "pool-only member without an individual account (单建统筹): no general outpatient benefit",
  chronic_special_self_pay: "self-pay left by the chronic/special disease benefit (门诊慢特病): not eligible for general pooling",
  no_general_pooling: "no general outpatient pooling (普通门诊统筹) in this scheme",
  not_covered: "no benefit of this scheme pays this kind of claim",
  during_stay: "during an inpatient stay or day surgery (住院期间, person.stays): no general outpatient pooling",
};

/**
 * Adjudicate one claim against the rules in force on its date, updating the year's accumulators:
 * `adjudicateCoded` on the claim's codes, and, when `trace` is given, the words that explain it.
 * The caller has applied `enterYear(state, claim.day)`.
 */
export function adjudicate(
  rules: Rules,
  person: Person,
  claim: Claim,
  state: YearState,
  trace: string[] | null,
  into: Adjudication = { fundFen: 0, deductibleFen: 0, rateBp: 0, benefit: null, exclusion: null },
): Adjudication {
  const k = kernelOf(rules);
  const key = routeKey(KINDS.indexOf(claim.kind), claim.setting === "pharmacy", claim.prescription, claim.designated, claim.emergency, AREAS.indexOf(claim.area), personKeyBits(person), claim.duringStay === true);
  const retired = isRetiredOn(person, claim.day);
  const d: Detail | null = trace ? { level: 0, retired, metBeforeFen: 0, unclampedBp: 0, rawFen: 0, roomGeneralFen: 0, roomTwoDiseaseFen: 0 } : null;
  const r = adjudicateCoded(k, key, claim.level, retired, person.oldWorker, diseaseMask(person), claim.eligibleFen, claim.facility, state, CODED, d);
  into.fundFen = r.fundFen;
  into.deductibleFen = r.deductibleFen;
  into.rateBp = r.rateBp;
  into.benefit = r.outcome >= 0 ? BENEFITS[r.outcome] : null;
  into.exclusion = r.outcome < 0 ? EXCLUSIONS[-1 - r.outcome] : null;
  if (trace) explain(rules, person, claim, into, d!, trace);
  return into;
}

const CODED: CodedResult = { fundFen: 0, deductibleFen: 0, rateBp: 0, outcome: 0 };

/** The calculator's words for one adjudication (what `adjudicateCoded` did, with the articles). */
function explain(rules: Rules, person: Person, claim: Claim, a: Adjudication, d: Detail, trace: string[]): void {
  const rt = route(rules, person, claim);
  if (!a.benefit) {
    const stay = a.exclusion === "during_stay" ? person.stays?.find((s) => s.from <= claim.day && claim.day <= s.to) : undefined;
    const when = stay ? ` — the stay ${isoFromDay(stay.from)} to ${isoFromDay(stay.to)}` : "";
    trace.push(`${EXCLUSION_WORDS[a.exclusion!]}${when}${rt.ref ? ` — ${rt.ref}` : ""}`);
    return;
  }
  const b = rules.benefits[a.benefit]!;
  const { level, retired } = d;
  const eligible = claim.eligibleFen;
  const c = cell(level, retired);
  trace.push(`benefit: ${BENEFIT_WORDS[b.id]}${rt.ref ? ` — ${rt.ref}` : ""}`);
  trace.push(
    `status: ${retired ? "retired 退休" : person.status === "flexible" ? "flexible 灵活就业 (active rates)" : "active 在职"}` +
      `; level ${level}${claim.setting === "pharmacy" ? ` (pharmacy 定点零售药店${rules.pharmacyLevel === 0 ? ", prescribing facility's level" : ""} — ${rules.refs["coverage.pharmacy.level"]})` : ""}` +
      `; eligible 政策范围内 ${formatFen(eligible)} of ${formatFen(claim.amountFen)}`,
  );
  const ded = a.deductibleFen;
  if (b.mechanism === "annual")
    trace.push(
      `deductible 起付标准: annual ${formatFen(b.deductibleFen[c])}${b.pool !== "general" ? ` (own ${b.pool} pool)` : ""}` +
        `${b.perFacility ? ` per facility${claim.facility ? ` #${claim.facility}` : ""}` : ""}, met before ${formatFen(d.metBeforeFen)}, this claim ${formatFen(ded)} — ${b.refs.deductible}`,
    );
  else if (b.mechanism === "per_visit") trace.push(`deductible 起付标准: ${formatFen(b.deductibleFen[c])} per visit at level ${level}, this claim ${formatFen(ded)} — ${b.refs.deductible}`);
  else trace.push(`deductible 起付标准: none — ${b.refs.deductible}`);

  const bp = a.rateBp;
  const parts = [`${formatBp(b.rateBp[c])} (level ${level}, ${retired ? "retired" : "active"})`];
  if (person.oldWorker && b.oldWorkerUpliftBp) parts.push(`+${formatBp(b.oldWorkerUpliftBp)} old worker 建国前老工人`);
  if (claim.area !== "local" && rules.areas[claim.area].adjustBp) parts.push(`${formatBp(rules.areas[claim.area].adjustBp)} ${claim.area} — ${rules.refs[`coverage.areas.${claim.area}`]}`);
  const refs = [b.refs.rateByLevel[level - 1]];
  if (retired && b.refs.retireeUplift) refs.push(b.refs.retireeUplift);
  const clamp = d.unclampedBp !== bp ? ` (${formatBp(d.unclampedBp)}, held within 0–100%)` : "";
  trace.push(`rate 支付比例: ${parts.join(" ")} = ${formatBp(bp)}${clamp} — ${[...new Set(refs)].join("; ")}`);
  trace.push(`(${formatFen(eligible)} − ${formatFen(ded)}) × ${formatBp(bp)} = ${formatFen(d.rawFen)} (rounded half-up to the fen)`);

  // Caps, in the order the benefit lists them: the payment fits under each.
  let fund = d.rawFen;
  for (const cap of b.caps) {
    const room = cap === "general" ? d.roomGeneralFen : d.roomTwoDiseaseFen;
    if (fund > room) {
      trace.push(`cap 年度最高支付限额 (${cap === "general" ? "general 普通门诊" : "two diseases 两病"}): ${formatFen(room)} left — pays ${formatFen(room)} — ${b.refs.caps}`);
      fund = room;
    } else trace.push(`cap (${cap === "general" ? "general" : "two diseases"}): ${formatFen(room)} left, not reached — ${b.refs.caps}`);
  }
  if (b.caps.length === 0) trace.push(`cap: outside the general cap — ${b.refs.caps}`);
}

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
