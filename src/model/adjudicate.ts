// Adjudicating one claim: which benefit pays it, the deductible it meets, the rate, the caps.
// Small pure functions chosen by the policy data (never by city); the only state is a person's
// year-to-date accumulators, passed in and updated. Integer fen and basis points throughout.
// `trace`, when given, collects the words that explain the result (the calculator's trace);
// the population engine passes null and pays nothing for it.
import { dayFromCivil, yearOfDay } from "./dates.ts";
import { applyRate, formatBp, formatFen } from "./money.ts";
import type { CapId, ResolvedBenefit, Rules } from "./policy.ts";
import type { BenefitId, Claim, Exclusion, Person } from "./types.ts";

/** A person's year-to-date accumulators. Reset on 1 January (claims come in date order). */
export interface YearState {
  year: number;
  /** First and last day of `year` (so a claim's year is checked without date arithmetic). */
  firstDay: number;
  lastDay: number;
  /** Deductible met so far in the general and the TCM pool (counted across facilities)… */
  metGeneral: number;
  metTcm: number;
  /** …and by pool and facility where the deductible is counted per facility (Jinan before 2024). */
  deductibleMet: Map<number, number>;
  capUsedGeneral: number;
  capUsedTwoDisease: number;
  /** Compliant self-burden (eligible − fund) on claims a benefit adjudicated (Jinan's second payment). */
  selfBurdenFen: number;
}

export function newYearState(year = -1): YearState {
  return { year, firstDay: 1, lastDay: 0, metGeneral: 0, metTcm: 0, deductibleMet: new Map(), capUsedGeneral: 0, capUsedTwoDisease: 0, selfBurdenFen: 0 };
}

/** Start a new calendar year's accumulators when the claim's year differs. */
export function resetYear(state: YearState): void {
  state.firstDay = 1;
  state.lastDay = 0;
}

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
    if (state.deductibleMet.size) state.deductibleMet.clear();
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

/** The benefit that pays a claim, or why none does. Checks in the order docs/calculation.md lists. */
export function route(rules: Rules, person: Person, claim: Claim, into?: Route): Route {
  const rt = routeOf(rules, person, claim);
  if (!into) return rt === ROUTE_BENEFIT ? { benefit: routed.benefit, exclusion: null, ref: routed.ref } : rt;
  if (rt === ROUTE_BENEFIT) {
    into.benefit = routed.benefit;
    into.exclusion = null;
    into.ref = routed.ref;
  } else {
    into.benefit = null;
    into.exclusion = rt.exclusion;
    into.ref = rt.ref;
  }
  return into;
}

/** Scratch for the common case (a benefit pays), so routing allocates nothing per claim. */
const ROUTE_BENEFIT: Route = { benefit: null, exclusion: null, ref: "" };
const routed = { benefit: null as ResolvedBenefit | null, ref: "" };

function routeOf(rules: Rules, person: Person, claim: Claim): Route {
  const r = rules.refs;
  if (claim.kind === "inpatient") return { benefit: null, exclusion: "inpatient", ref: INPATIENT_REF };
  if (claim.kind === "day_surgery") return { benefit: null, exclusion: "day_surgery", ref: INPATIENT_REF };
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
  routed.benefit = benefit;
  routed.ref = ref || benefit.refs.benefit;
  return ROUTE_BENEFIT;
}

// ---- the mechanisms ----------------------------------------------------------------------------

/** The level whose rate and deductible apply (a pharmacy claim: the prescribing level or a fixed one). */
export function effectiveLevel(rules: Rules, claim: Claim): number {
  return claim.setting === "pharmacy" && rules.pharmacyLevel !== 0 ? rules.pharmacyLevel : claim.level;
}

function poolKey(b: ResolvedBenefit, claim: Claim): number {
  return (b.pool === "tcm" ? 1 : 0) + (b.perFacility ? claim.facility * 2 : 0);
}

/** Calendar-year deductible: what remains of the amount after what earlier claims met. */
export function annualDeductible(amountFen: number, metFen: number, eligibleFen: number): number {
  return Math.min(eligibleFen, Math.max(0, amountFen - metFen));
}

/** Per-visit deductible: each claim meets its own. */
export function perVisitDeductible(amountFen: number, eligibleFen: number): number {
  return Math.min(eligibleFen, amountFen);
}

/** The rate in basis points: status table + old-worker uplift + area adjustment, within 0–100%. */
export function rate(b: ResolvedBenefit, rules: Rules, person: Person, claim: Claim, level: number, retired: boolean): number {
  let bp = b.rateBp[cell(level, retired)];
  if (person.oldWorker) bp += b.oldWorkerUpliftBp;
  if (claim.area !== "local") bp += rules.areas[claim.area].adjustBp;
  return bp < 0 ? 0 : bp > 10000 ? 10000 : bp;
}

/** The two-disease sub-cap for the diseases a person is registered for. */
export function twoDiseaseCap(rules: Rules, person: Person): number {
  const c = rules.twoDiseaseCapFen;
  if (!c) return 0;
  const h = person.twoDiseases.includes("hypertension");
  const d = person.twoDiseases.includes("diabetes");
  return h && d ? c[2] : h ? c[0] : d ? c[1] : 0;
}

/** Room left under a cap this year. */
export function capRemaining(rules: Rules, person: Person, state: YearState, cap: CapId, retired: boolean): number {
  if (cap === "general") {
    const limit = rules.generalCapFen ? rules.generalCapFen[retired ? 1 : 0] : 0;
    return Math.max(0, limit - state.capUsedGeneral);
  }
  return Math.max(0, twoDiseaseCap(rules, person) - state.capUsedTwoDisease);
}

// ---- one claim ---------------------------------------------------------------------------------

const SCRATCH_ROUTE: Route = { benefit: null, exclusion: null, ref: "" };

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
};

/**
 * Adjudicate one claim against the rules in force on its date, updating the year's accumulators.
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
  const rt = route(rules, person, claim, SCRATCH_ROUTE);
  const b = rt.benefit;
  if (!b) {
    if (trace) trace.push(`${EXCLUSION_WORDS[rt.exclusion!]}${rt.ref ? ` — ${rt.ref}` : ""}`);
    into.fundFen = 0;
    into.deductibleFen = 0;
    into.rateBp = 0;
    into.benefit = null;
    into.exclusion = rt.exclusion;
    return into;
  }
  const retired = isRetiredOn(person, claim.day);
  const level = effectiveLevel(rules, claim);
  const eligible = claim.eligibleFen;
  if (trace) {
    trace.push(`benefit: ${BENEFIT_WORDS[b.id]}${rt.ref ? ` — ${rt.ref}` : ""}`);
    trace.push(
      `status: ${retired ? "retired 退休" : person.status === "flexible" ? "flexible 灵活就业 (active rates)" : "active 在职"}` +
        `; level ${level}${claim.setting === "pharmacy" ? ` (pharmacy 定点零售药店${rules.pharmacyLevel === 0 ? ", prescribing facility's level" : ""} — ${rules.refs["coverage.pharmacy.level"]})` : ""}` +
        `; eligible 政策范围内 ${formatFen(eligible)} of ${formatFen(claim.amountFen)}`,
    );
  }

  // Deductible.
  let ded = 0;
  const c = cell(level, retired);
  if (b.mechanism === "annual") {
    let met: number;
    if (b.perFacility) {
      const key = poolKey(b, claim);
      met = state.deductibleMet.get(key) ?? 0;
      ded = annualDeductible(b.deductibleFen[c], met, eligible);
      state.deductibleMet.set(key, met + ded);
    } else if (b.pool === "tcm") {
      met = state.metTcm;
      ded = annualDeductible(b.deductibleFen[c], met, eligible);
      state.metTcm = met + ded;
    } else {
      met = state.metGeneral;
      ded = annualDeductible(b.deductibleFen[c], met, eligible);
      state.metGeneral = met + ded;
    }
    if (trace)
      trace.push(
        `deductible 起付标准: annual ${formatFen(b.deductibleFen[c])}${b.pool !== "general" ? ` (own ${b.pool} pool)` : ""}` +
          `${b.perFacility ? ` per facility${claim.facility ? ` #${claim.facility}` : ""}` : ""}, met before ${formatFen(met)}, this claim ${formatFen(ded)} — ${b.refs.deductible}`,
      );
  } else if (b.mechanism === "per_visit") {
    ded = perVisitDeductible(b.deductibleFen[c], eligible);
    if (trace) trace.push(`deductible 起付标准: ${formatFen(b.deductibleFen[c])} per visit at level ${level}, this claim ${formatFen(ded)} — ${b.refs.deductible}`);
  } else if (trace) trace.push(`deductible 起付标准: none — ${b.refs.deductible}`);

  // Rate.
  const bp = rate(b, rules, person, claim, level, retired);
  const raw = applyRate(eligible - ded, bp);
  if (trace) {
    const parts = [`${formatBp(b.rateBp[c])} (level ${level}, ${retired ? "retired" : "active"})`];
    if (person.oldWorker && b.oldWorkerUpliftBp) parts.push(`+${formatBp(b.oldWorkerUpliftBp)} old worker 建国前老工人`);
    if (claim.area !== "local" && rules.areas[claim.area].adjustBp) parts.push(`${formatBp(rules.areas[claim.area].adjustBp)} ${claim.area} — ${rules.refs[`coverage.areas.${claim.area}`]}`);
    const refs = [b.refs.rateByLevel[level - 1]];
    if (retired && b.refs.retireeUplift) refs.push(b.refs.retireeUplift);
    const sum = b.rateBp[c] + (person.oldWorker ? b.oldWorkerUpliftBp : 0) + (claim.area !== "local" ? rules.areas[claim.area].adjustBp : 0);
    const clamp = sum !== bp ? ` (${formatBp(sum)}, held within 0–100%)` : "";
    trace.push(`rate 支付比例: ${parts.join(" ")} = ${formatBp(bp)}${clamp} — ${[...new Set(refs)].join("; ")}`);
    trace.push(`(${formatFen(eligible)} − ${formatFen(ded)}) × ${formatBp(bp)} = ${formatFen(raw)} (rounded half-up to the fen)`);
  }

  // Caps: the payment must fit under every cap the benefit consumes.
  let fund = raw;
  for (const cap of b.caps) {
    const room = capRemaining(rules, person, state, cap, retired);
    if (fund > room) {
      if (trace) trace.push(`cap 年度最高支付限额 (${cap === "general" ? "general 普通门诊" : "two diseases 两病"}): ${formatFen(room)} left — pays ${formatFen(room)} — ${b.refs.caps}`);
      fund = room;
    } else if (trace) trace.push(`cap (${cap === "general" ? "general" : "two diseases"}): ${formatFen(room)} left, not reached — ${b.refs.caps}`);
  }
  if (trace && b.caps.length === 0) trace.push(`cap: outside the general cap — ${b.refs.caps}`);
  for (const cap of b.caps) {
    if (cap === "general") state.capUsedGeneral += fund;
    else state.capUsedTwoDisease += fund;
  }
  state.selfBurdenFen += eligible - fund;
  into.fundFen = fund;
  into.deductibleFen = ded;
  into.rateBp = bp;
  into.benefit = b.id;
  into.exclusion = null;
  return into;
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
