// Fund-finance assumptions, in the engine's units. Loaded (with sources) by src/loaders/finance.ts;
// the reconciliation share is solved by src/model/reconciliation.ts against published accounts.
export interface Finance {
  employerBp: number;
  employeeBp: number;
  /** Flexible workers in the combined mode (with an account). */
  flexibleBp: number;
  /** Pool-only members. */
  flexiblePoolOnlyBp: number;
  /** Employers' maternity contribution (生育保险, merged into employee insurance since 2019), a share
   *  of employees' bases on top of employerBp. */
  maternityEmployerBp: number;
  /** Share of contributions due that is collected (compliance). */
  collectionBp: number;
  /** Share of in-catalogue inpatient / day-surgery cost the pooled fund pays (outside the outpatient rules). */
  inpatientFundShareBp: number;
  /** Pooled spending a year per registered chronic/special patient (outside the outpatient rules). */
  chronicFundPerEnrolleeFen: number;
  /** Pooled maternity spending (medical costs and allowances) a year per non-retired insured. */
  maternityPerActiveFen: number;
  /** Months of pooled spending (NHSA's bulletin basis) held at the start of the base year (the
   *  published accounts' year); later years' openings where published: openingMonthsIn(). */
  openingReserveMonths: number;
  /** Opening months of later years, by year, from published balances (may be empty). */
  openingReserveMonthsByYear: Record<string, number>;
  /** Opening account balance = this many months of the person's baseline credit. */
  accountOpeningMonths: number;
  /** The city's enrollees, to scale a simulated population to city totals. */
  insured: number;
  /** Share of the family-usable balance spent on family members a year. */
  familyUseShareBp: number;
  /** Pooled income that is not contributions (interest, fiscal subsidies, late-payment fees and other
   *  income), as a share of contributions. */
  nonContributionIncomeShareBp: number;
  /** The reconciliation line: what the parts above do not explain of the published accounts, as a
   *  share of contributions (signed; solved, not read from a file; 0 = not reconciled). */
  reconciliationShare: number;
}

/** The opening reserve of a simulated year in months of that year's pooled spending (bulletin basis):
 *  the published balance of the year before where the finance files give one, else the latest
 *  earlier year's months (the base year's at the least). */
export function openingMonthsIn(finance: Finance, year: number): number {
  let months = finance.openingReserveMonths;
  let best = -Infinity;
  for (const [y, m] of Object.entries(finance.openingReserveMonthsByYear)) {
    const n = Number(y);
    if (n <= year && n > best) {
      best = n;
      months = m;
    }
  }
  return months;
}
