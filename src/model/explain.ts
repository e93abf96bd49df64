// The calculator's explanation of one adjudication: what `adjudicateCoded` did, step by step, as
// data (the rule, the values used, the article). ./trace-words.ts says each step in Chinese or
// English; the contract's `trace` is the English words, unchanged.
import { type Adjudication, ageBandOf, cell, type Detail, kernelOf, yearsStepOf } from "./adjudicate.ts";
import { ageOn, isoFromDay } from "./dates.ts";
import type { Rules } from "./policy.ts";
import { route } from "./route.ts";
import { type Area, type BenefitId, type Claim, CLAIM_FLAGS, type ClaimFlag, type Exclusion, type Person } from "./types.ts";

export type CapId = "general" | "twoDisease" | "pharmacy";

/** One step of a claim's explanation. Money in fen, rates in basis points; `refs` are the articles. */
export type TraceStep =
  /** No outpatient benefit pays: why, with the stay or the emergency that did not help. */
  | { step: "excluded"; exclusion: Exclusion; refs: string[]; refsZh?: string[]; stay?: { from: string; to: string }; emergencyArea?: Area }
  | { step: "benefit"; benefit: BenefitId; refs: string[] }
  /** A flag that did not exclude the claim: the scheme pays it (`paid`), or has no rule for it. */
  | { step: "flag"; flag: ClaimFlag; paid: boolean; refs: string[] }
  | { step: "status"; status: "active" | "retired" | "flexible"; level: number; pharmacy: boolean; prescribingLevel: boolean; eligibleFen: number; amountFen: number; refs: string[] }
  /** The person's age band: `age` null when birthDate is not given; `band` −1 below the first. */
  | { step: "age_band"; age: number | null; band: number; fromAge: number; refs: string[] }
  /** At a community health centre: the fixed pharmacy level applies, its own rate/deductible, or none. */
  | { step: "facility_type"; applies: "pharmacy_level" | "own" | "as_hospital"; rate: boolean; deductible: boolean; refs: string[] }
  | { step: "account_first"; paidFen: number; balanceEmpty: boolean; restFen: number; refs: string[] }
  /** `basis`: the plain deductible, the community health centre's, or the age band's (from `fromAge`). */
  | { step: "deductible"; mechanism: "annual" | "per_visit" | "none"; amountFen: number; pool: string; perFacility: boolean; facility: number; metBeforeFen: number; claimFen: number; level: number; basis: "plain" | "community" | "age"; fromAge: number; refs: string[] }
  | { step: "rate"; parts: RatePart[]; bp: number; unclampedBp: number; refs: string[] }
  /** (eligible − account first − deductible) × rate, before caps. */
  | { step: "payment"; restFen: number; deductibleFen: number; bp: number; rawFen: number; refs: string[] }
  | { step: "per_visit_cap"; capFen: number; reached: boolean; refs: string[] }
  | { step: "cap"; cap: CapId; roomFen: number; reached: boolean; growth: CapGrowth | null; refs: string[] }
  /** The benefit's payments count toward no annual cap. */
  | { step: "no_cap"; refs: string[] }
  /** The individual account pays the self-pay (calculator.ts). */
  | { step: "account"; paidFen: number; balanceAfterFen: number; openingGiven: boolean; refs: string[] }
  /** Jinan's annual second payment (calculator.ts). */
  | { step: "second_payment"; burdenFen: number; thresholdFen: number; bp: number; capFen: number | null; refs: string[] };

export type StepKind = TraceStep["step"];

/** A term of the rate's sum. */
export type RatePart =
  | { part: "base"; bp: number; community: boolean; level: number; retired: boolean }
  | { part: "age"; bp: number; fromAge: number; ref: string }
  | { part: "old_worker"; bp: number }
  | { part: "not_chosen"; bp: number; ref: string }
  | { part: "area"; bp: number; area: Area; ref: string };

/** The general cap's growth with contribution years: `step` 0 = below the first (`fromYears`). */
export interface CapGrowth {
  years: number | null;
  step: number;
  addFen: number;
  fromYears: number;
  ref: string;
}

/** The steps of one adjudication (`a`, with the `d` that `adjudicate` filled). */
export function explain(rules: Rules, person: Person, claim: Claim, a: Adjudication, d: Detail, balanceFen: number): TraceStep[] {
  const steps: TraceStep[] = [];
  const rt = route(rules, person, claim);
  const refs = (...r: Array<string | undefined>): string[] => r.filter((x): x is string => !!x);
  if (!a.benefit) {
    const stay = a.exclusion === "during_stay" ? person.stays?.find((s) => s.from <= claim.day && claim.day <= s.to) : undefined;
    steps.push({
      step: "excluded",
      exclusion: a.exclusion!,
      refs: refs(rt.ref),
      ...(rt.refZh ? { refsZh: [rt.refZh] } : {}),
      ...(stay ? { stay: { from: isoFromDay(stay.from), to: isoFromDay(stay.to) } } : a.exclusion === "non_designated" && claim.emergency ? { emergencyArea: claim.area } : {}),
    });
    return steps;
  }
  const b = rules.benefits[a.benefit]!;
  const { level, retired } = d;
  const eligible = claim.eligibleFen;
  const c = cell(level, retired);
  steps.push({ step: "benefit", benefit: b.id, refs: refs(rt.ref) });
  // Flags that did not exclude the claim: paid by the scheme's rule, or no rule of the scheme.
  CLAIM_FLAGS.forEach((flag, i) => {
    if (!((claim.flags ?? 0) & (1 << i))) return;
    const paid = rules.claimFlags[i] === "paid";
    steps.push({ step: "flag", flag, paid, refs: paid ? [rules.refs[`coverage.claimFlags.${flag}`]] : [] });
  });
  const pharmacy = claim.setting === "pharmacy";
  steps.push({
    step: "status",
    status: retired ? "retired" : person.status === "flexible" ? "flexible" : "active",
    level,
    pharmacy,
    prescribingLevel: rules.pharmacyLevel === 0,
    eligibleFen: eligible,
    amountFen: claim.amountFen,
    refs: pharmacy ? [rules.refs["coverage.pharmacy.level"]] : [],
  });
  // Age band (scheme ageBands): its own deductible and rate uplift.
  const band = ageBandOf(kernelOf(rules), person.birthDay, claim.day);
  const ab = band > 0 ? band - 1 : -1;
  if (rules.ageBands.length) {
    steps.push({ step: "age_band", age: person.birthDay !== undefined ? ageOn(person.birthDay, claim.day) : null, band: ab, fromAge: ab >= 0 ? rules.ageBands[ab] : rules.ageBands[0], refs: [rules.refs.ageBands] });
  }
  // Facility type: a community health centre's own rates and deductible, where the rules set them.
  const communityDed = d.community && b.communityDeductibleFen !== null;
  const communityRate = d.community && b.communityRateBp !== null;
  if (claim.community) {
    const applies = !d.community ? "pharmacy_level" : communityDed || communityRate ? "own" : "as_hospital";
    steps.push({
      step: "facility_type",
      applies,
      rate: communityRate,
      deductible: communityDed,
      refs: applies === "pharmacy_level" ? [rules.refs["coverage.pharmacy.level"]] : applies === "own" ? [communityRate ? b.refs.communityRate : "", communityDed ? b.refs.communityDeductible : ""].filter(Boolean) : [],
    });
  }
  // Account first (自负段): what the account paid before the deductible.
  const rest = eligible - d.accountFirstFen;
  if (b.accountFirst) steps.push({ step: "account_first", paidFen: d.accountFirstFen, balanceEmpty: balanceFen <= 0, restFen: rest, refs: [b.refs.accountFirst] });
  const ageDed = !communityDed && ab >= 0 && !!b.ageDeductibleFen[ab];
  const ded = a.deductibleFen;
  steps.push({
    step: "deductible",
    mechanism: b.mechanism,
    amountFen: communityDed ? b.communityDeductibleFen![c] : ageDed ? b.ageDeductibleFen[ab]![c] : b.deductibleFen[c],
    pool: b.pool,
    perFacility: b.perFacility,
    facility: claim.facility,
    metBeforeFen: d.metBeforeFen,
    claimFen: ded,
    level,
    basis: b.mechanism === "none" ? "plain" : communityDed ? "community" : ageDed ? "age" : "plain",
    fromAge: ageDed ? rules.ageBands[ab] : 0,
    refs: [b.mechanism === "none" ? b.refs.deductible : communityDed ? b.refs.communityDeductible : ageDed ? b.refs.ageDeductible : b.refs.deductible],
  });

  const bp = a.rateBp;
  const parts: RatePart[] = [{ part: "base", bp: communityRate ? b.communityRateBp![c] : b.rateBp[c], community: communityRate, level, retired }];
  if (ab >= 0 && b.ageUpliftBp[ab]) parts.push({ part: "age", bp: b.ageUpliftBp[ab], fromAge: rules.ageBands[ab], ref: b.refs.ageUplift });
  if (person.oldWorker && b.oldWorkerUpliftBp) parts.push({ part: "old_worker", bp: b.oldWorkerUpliftBp });
  if (claim.notChosen && rules.notChosenFacility.adjustBp) parts.push({ part: "not_chosen", bp: rules.notChosenFacility.adjustBp, ref: rules.refs["coverage.notChosenFacility"] });
  if (claim.area !== "local" && rules.areas[claim.area].adjustBp) parts.push({ part: "area", bp: rules.areas[claim.area].adjustBp, area: claim.area, ref: rules.refs[`coverage.areas.${claim.area}`] });
  const rateRefs = [communityRate ? b.refs.communityRate : b.refs.rateByLevel[level - 1]];
  if (retired && b.refs.retireeUplift) rateRefs.push(b.refs.retireeUplift);
  steps.push({ step: "rate", parts, bp, unclampedBp: d.unclampedBp, refs: [...new Set(rateRefs)] });
  steps.push({ step: "payment", restFen: rest, deductibleFen: ded, bp, rawFen: d.rawFen, refs: [] });

  // Caps: per visit, then the annual ones in the order the benefit lists them.
  let fund = d.rawFen;
  if (b.perVisitCapFen) {
    const pv = b.perVisitCapFen[c];
    steps.push({ step: "per_visit_cap", capFen: pv, reached: fund > pv, refs: [b.refs.perVisitCap] });
    if (fund > pv) fund = pv;
  }
  for (const cap of b.caps) {
    if (cap === "pharmacy" && !pharmacy) continue;
    const room = cap === "general" ? d.roomGeneralFen : cap === "twoDisease" ? d.roomTwoDiseaseFen : d.roomPharmacyFen;
    let growth: CapGrowth | null = null;
    if (cap === "general" && rules.generalCapGrowth.length) {
      const step = yearsStepOf(kernelOf(rules), person.contributionYears);
      growth = {
        years: person.contributionYears ?? null,
        step,
        addFen: step > 0 ? rules.generalCapGrowth[step - 1].addFen[d.retired ? 1 : 0] : 0,
        fromYears: rules.generalCapGrowth[0].fromYears,
        ref: rules.refs["caps.generalGrowth"],
      };
    }
    steps.push({ step: "cap", cap, roomFen: room, reached: fund > room, growth, refs: cap === "pharmacy" ? [rules.refs["caps.pharmacy"], b.refs.caps] : [b.refs.caps] });
    if (fund > room) fund = room;
  }
  if (b.caps.length === 0) steps.push({ step: "no_cap", refs: [b.refs.caps] });
  return steps;
}
