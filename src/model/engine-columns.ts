// The person and claim columns the population engine reads, and the columns it returns: typed arrays, one entry per person or
// claim, codes as indexes into the const arrays of types.ts. Shared by the engine, the fund lines
// (fund.ts) and every producer (the generator, a bureau's microdata, the what-if sample codec).

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
  /** Expected in-catalogue inpatient + day-surgery cost of the year, fen (a synthetic population's
   *  calibrated expectation): when present the pooled inpatient line is built from it, otherwise from
   *  the realised inpatient claims (a bureau's own microdata). */
  inpatientExpectedFen?: Int32Array;
  /** Whole years of contributions (累计缴费年限) at the year's start, 0–80, where the general cap
   *  grows with them (caps.generalGrowth); absent = unknown: the plain cap (person.contributionYears). */
  contributionYears?: Uint8Array;
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
  /** CLAIM_FLAGS bitmask (work injury, third party, … Lüliang 不予支付); absent = no flags. */
  flags?: Uint8Array;
  /** 1 = away from the person's chosen or signed facility (选定/签约定点); absent = all at it. */
  notChosenFacility?: Uint8Array;
  /** FACILITY_TYPES index: 1 = a community health centre (社区卫生服务中心); absent = all hospitals. */
  facilityType?: Uint8Array;
}

/** What the engine returns for a chunk: per claim and per person, fen. */
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
  /** Per person: contributions collected in the year, maternity included (0 without finance). */
  contributionFen: Int32Array;
  /** Per person: of which the employer's maternity contribution (生育保险, merged since 2019). */
  maternityContributionFen: Int32Array;
  /** Per person: the pooled inpatient / day-surgery line — finance.inpatientFundShare of the
   *  expected in-catalogue cost where the persons carry it, else the sum of otherFundFen. */
  inpatientFundFen: Int32Array;
  /** Per person: pooled maternity spending (finance.maternityPerActive for a non-retired person). */
  maternityFundFen: Int32Array;
  /** Per person: the reconciliation line, finance.reconciliationShare of contributions. */
  reconciliationFen: Int32Array;
  /** Per person: pooled chronic/special spending, outside the outpatient rules (0 without finance). */
  chronicFundFen: Int32Array;
  /** Per person: the account's payments for family members (家庭共济) at year end (0 without finance). */
  familyUseFen: Int32Array;
  /** Per person: pooled income that is not contributions (interest, fiscal subsidies, late-payment
   *  fees), finance.nonContributionIncomeShare of contributions. */
  nonContributionIncomeFen: Int32Array;
}
