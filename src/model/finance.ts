// Fund-finance assumptions, in the engine's units. Loaded (with sources) by src/loaders/finance.ts.
export interface Finance {
  employerBp: number;
  employeeBp: number;
  /** Flexible workers in the combined mode (with an account). */
  flexibleBp: number;
  /** Pool-only members. */
  flexiblePoolOnlyBp: number;
  /** Share of inpatient / day-surgery policy-scope cost the pooled fund pays (outside the outpatient rules). */
  inpatientFundShareBp: number;
  /** Pooled spending a year per registered chronic/special patient (outside the outpatient rules). */
  chronicFundPerEnrolleeFen: number;
  /** Months of pooled outflow held at the start of the year. */
  openingReserveMonths: number;
  /** Opening account balance = this many months of the person's baseline credit. */
  accountOpeningMonths: number;
  /** The city's enrollees, to scale a simulated population to city totals. */
  insured: number;
  /** Share of the family-usable balance spent on family members a year. */
  familyUseShareBp: number;
  /** Pooled income not built from contributions here (maternity, large-expense premiums,
   *  subsidies, lump sums), as a share of contributions; calibrated per city. */
  otherIncomeShareBp: number;
}
