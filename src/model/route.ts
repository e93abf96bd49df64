// Routing a claim: which benefit of a scheme pays it, or why none does, with the article that
// decides. Defined once: the kernel tabulates it for every combination of claim codes (kernelOf in
// ./adjudicate.ts) and the calculator's trace reads it again for the article (./explain.ts).
import type { ResolvedBenefit, Rules } from "./policy.ts";
import { type BenefitId, type Claim, CLAIM_FLAGS, type Exclusion, type Person } from "./types.ts";

/** Common to all five cities (Lanzhou 第八条 says it in so many words); the Chinese trace's wording. */
const INPATIENT_REF = "国办发〔2021〕14号; e.g. 兰州 第八条（日间手术及住院期间，不享受普通门诊统筹）";
const INPATIENT_REF_ZH = "国办发〔2021〕14号；如兰州 第八条（日间手术及住院期间，不享受普通门诊统筹）";

export interface Route {
  benefit: ResolvedBenefit | null;
  exclusion: Exclusion | null;
  /** The article that decides the route, for the trace. */
  ref: string;
  /** The article in the Chinese trace, where `ref` is not already Chinese throughout. */
  refZh?: string;
}

/** The benefit that pays a claim, or why none does. Checks in the order docs/calculation.md lists.
 *  Called per combination of claim codes when rules are compiled (kernelOf), and for the trace. */
export function route(rules: Rules, person: Person, claim: Claim): Route {
  const r = rules.refs;
  if (claim.kind === "inpatient") return { benefit: null, exclusion: "inpatient", ref: INPATIENT_REF, refZh: INPATIENT_REF_ZH };
  if (claim.kind === "day_surgery") return { benefit: null, exclusion: "day_surgery", ref: INPATIENT_REF, refZh: INPATIENT_REF_ZH };
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

/** The first of a claim's flags (CLAIM_FLAGS bitmask) that the scheme excludes, or −1. */
export function excludingFlag(rules: Rules, flags: number): number {
  for (let i = 0; i < CLAIM_FLAGS.length; i++) if (flags & (1 << i) && rules.claimFlags[i] === "excluded") return i;
  return -1;
}
