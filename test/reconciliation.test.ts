// The fund's parts and the one reconciliation line (issue 12 item 2): the solve on hand cases, the
// solved line meeting the published accounts on the reference sample, the same line in both schemes,
// and the expected inpatient cost against what the generator draws.
import { describe, expect, it } from "vitest";
import { loadFinance, RECONCILIATION_SAMPLE } from "../src/loaders/finance.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { expectedInpatientFen, expectedScopeShare } from "../src/loaders/population/expected-inpatient.ts";
import { cityModel, generateChunk } from "../src/loaders/population/index.ts";
import { openingBalances, runChunk } from "../src/model/engine.ts";
import { addChunk, bulletinIncome, bulletinSpending, emptyFlows, type FundFlows } from "../src/model/fund.ts";
import { type Finance, openingMonthsIn } from "../src/model/finance.ts";
import { applyRate } from "../src/model/money.ts";
import { solveReconciliationShare, surplusRate } from "../src/model/reconciliation.ts";
import { KINDS } from "../src/model/types.ts";
import { cityIds } from "../src/loaders/cities.ts";

function flows(parts: Partial<FundFlows>): FundFlows {
  const f = { ...emptyFlows(), ...parts };
  return f;
}

describe("the reconciliation solve, by hand", () => {
  it("pooled basis: income 800 + R against spending 700 at a 30 % surplus → R = 700 ÷ 0.7 − 800 = 200, a fifth of contributions 1 000", () => {
    // Bulletin income = pooled income − retiree credits = (1 000 − 300 + 150) − 50 = 800; spending = 750 − 50 = 700.
    const f = flows({ contributionsFen: 1000, creditsFromContributionsFen: 300, nonContributionIncomeFen: 150, pooledIncomeFen: 850, retireeCreditsFen: 50, pooledOutflowFen: 750 });
    expect(bulletinIncome(f)).toBe(800);
    expect(bulletinSpending(f)).toBe(700);
    expect(solveReconciliationShare(f, { basis: "pooled", surplusRate: 0.3 })).toBeCloseTo(0.2, 12);
  });

  it("fund basis adds the accounts: (800 + 350 + R) against (700 + 250) at 10 % → R = 950 ÷ 0.9 − 1 150 = −94.4…", () => {
    const f = flows({ contributionsFen: 1000, creditsFromContributionsFen: 300, nonContributionIncomeFen: 150, pooledIncomeFen: 850, retireeCreditsFen: 50, pooledOutflowFen: 750, accountCreditsFen: 350, accountPaidFen: 200, accountFamilyFen: 50 });
    expect(solveReconciliationShare(f, { basis: "fund", surplusRate: 0.1 })).toBeCloseTo((950 / 0.9 - 1150) / 1000, 12);
    expect(surplusRate(f, "fund")).toBeCloseTo(1 - 950 / 1150, 12);
  });

  it("refuses flows that already hold a line, a surplus rate of 100 % or more, and no contributions", () => {
    expect(() => solveReconciliationShare(flows({ contributionsFen: 1, reconciliationFen: 5 }), { basis: "pooled", surplusRate: 0.1 })).toThrow(/already/);
    expect(() => solveReconciliationShare(flows({ contributionsFen: 1 }), { basis: "pooled", surplusRate: 1 })).toThrow(/below 100%/);
    expect(() => solveReconciliationShare(flows({}), { basis: "pooled", surplusRate: 0.1 })).toThrow(/contributions/);
  });
});

describe("each city's line, solved on the reference sample", () => {
  for (const city of cityIds()) {
    it(`${city}: the reform in the published year meets the published surplus rate; the line is a share of contributions, the same in both schemes`, () => {
      const { finance, published, reconciliation: r } = loadFinance(city);
      const target = 1 - published.spending100m / published.income100m;
      expect(r.target.surplusRate).toBeCloseTo(target, 12);
      expect(r.surplusRateWith).toBeCloseTo(target, 3); // per-person rounding of the line only
      expect(r.share).toBe(finance.reconciliationShare);
      const policy = loadPolicy(city);
      const { persons, claims } = generateChunk(cityModel(city, published.year), RECONCILIATION_SAMPLE.seed, 0, 3000);
      const eng = { ...persons, openingBalanceFen: openingBalances(policy.baseline, persons, published.year, finance.accountOpeningMonths) };
      const reform = runChunk(policy.reform, eng, claims, published.year, finance);
      const baseline = runChunk(policy.baseline, eng, claims, published.year, finance);
      expect(Array.from(reform.reconciliationFen)).toEqual(Array.from(baseline.reconciliationFen));
      for (let p = 0; p < persons.count; p++) expect(reform.reconciliationFen[p]).toBe(Math.round(reform.contributionFen[p] * r.share));
      const f = addChunk(emptyFlows(), eng, claims, reform);
      expect(f.pooledIncomeFen).toBe(f.contributionsFen - f.creditsFromContributionsFen + f.nonContributionIncomeFen + f.reconciliationFen);
    });
  }
});

describe("the inpatient line from expected cost", () => {
  it("E[max(0, 1 − (1 − m)·Exp(1))] = m + (1 − m)·e^(−1/(1 − m)), against a quadrature", () => {
    for (const m of [0, 0.5, 0.8, 0.95, 1]) {
      let sum = 0;
      const N = 200_000;
      for (let i = 0; i < N; i++) {
        const x = -Math.log(1 - (i + 0.5) / N); // Exp(1) quantiles
        sum += Math.max(0, 1 - (1 - m) * x);
      }
      expect(expectedScopeShare(m)).toBeCloseTo(sum / N, 3);
    }
  });

  it("the persons' expected in-catalogue inpatient cost matches what the generator draws, within sampling error", () => {
    const model = cityModel("lanzhou", 2023);
    const { persons, claims } = generateChunk(model, 7, 0, 60_000);
    const inpatient = [KINDS.indexOf("inpatient"), KINDS.indexOf("day_surgery")];
    let expected = 0, realised = 0, sq = 0;
    for (let p = 0; p < persons.count; p++) {
      expected += persons.inpatientExpectedFen[p];
      let x = 0;
      for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) if (inpatient.includes(claims.kind[j])) x += claims.eligibleFen[j];
      realised += x;
      sq += x * x;
    }
    const n = persons.count;
    const se = Math.sqrt((sq / n - (realised / n) ** 2) / n) * n;
    expect(Math.abs(realised - expected)).toBeLessThan(4 * se);
    expect(se / expected).toBeLessThan(0.03); // a test that can tell
  });

  it("a person's expectation rises with age and with the conditions' multipliers", () => {
    const model = cityModel("jinan", 2023);
    expect(expectedInpatientFen(model, false, 60, 0, false)).toBeGreaterThan(expectedInpatientFen(model, false, 30, 0, false));
    expect(expectedInpatientFen(model, true, 75, 3, true)).toBeGreaterThan(expectedInpatientFen(model, true, 75, 0, false));
  });

  it("the engine pays the fund's share of the expectation where persons carry it, else of the realised stays", () => {
    const city = "lanzhou";
    const { finance } = loadFinance(city);
    const policy = loadPolicy(city);
    const { persons, claims } = generateChunk(cityModel(city, 2023), 3, 0, 2000);
    const withExp = runChunk(policy.reform, persons, claims, 2023, finance);
    const without = runChunk(policy.reform, { ...persons, inpatientExpectedFen: undefined }, claims, 2023, finance);
    for (let p = 0; p < persons.count; p++) {
      expect(withExp.inpatientFundFen[p]).toBe(applyRate(persons.inpatientExpectedFen[p], finance.inpatientFundShareBp));
      let realised = 0;
      for (let j = persons.claimStart[p]; j < persons.claimStart[p + 1]; j++) realised += without.otherFundFen[j];
      expect(without.inpatientFundFen[p]).toBe(realised);
    }
  });
});

describe("the opening reserve of a year", () => {
  it("is the base year's months until a later year's published balance, then that year's", () => {
    const f = { openingReserveMonths: 22.1, openingReserveMonthsByYear: { "2024": 23.9, "2025": 27.6 } } as unknown as Finance;
    expect([2023, 2024, 2025, 2030].map((y) => openingMonthsIn(f, y))).toEqual([22.1, 23.9, 27.6, 27.6]);
    expect(openingMonthsIn({ ...f, openingReserveMonthsByYear: {} }, 2026)).toBe(22.1);
  });
});
