// The reconciliation factor's spread (src/loaders/reconciliation-spread.ts): the formula on a hand
// case, and the project's city files carrying what the derivation gives (they drift when the solve,
// the sample or the published accounts change: rerun `npx tsx src/loaders/reconciliation-spread.ts`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_DIRS } from "../src/loaders/cities.ts";
import { cityReconciliationSpread, reconciliationFactorSd, surplusRateSpread } from "../src/loaders/reconciliation-spread.ts";
import { loadPublished } from "../src/loaders/published.ts";

describe("the reconciliation factor's spread", () => {
  it("a hand case: σ 3 points, line 10 % of income, published surplus 25 % → sd 0.03 ÷ (0.75 × 0.10) = 0.4", () => {
    expect(reconciliationFactorSd({ perInsuredFen: 100, basisIncomePerInsuredFen: 1000, target: { basis: "pooled", surplusRate: 0.25 } }, 0.03)).toBeCloseTo(0.4, 12);
    // A negative line (the parts leave more surplus than published) spreads the same way.
    expect(reconciliationFactorSd({ perInsuredFen: -100, basisIncomePerInsuredFen: 1000, target: { basis: "pooled", surplusRate: 0.25 } }, 0.03)).toBeCloseTo(0.4, 12);
  });

  it("the national fund's surplus rates 2021–2024, by hand from the bulletins' income and spending", () => {
    const s = surplusRateSpread(loadPublished());
    expect(s.years).toEqual([2021, 2022, 2023, 2024]);
    // 1 − 14746.73/19003.10, 1 − 15243.80/20793.27, 1 − 17753.29/22931.65, 1 − 19102.54/23732.47
    expect(s.rates.map((r) => +(r * 100).toFixed(2))).toEqual([22.4, 26.69, 22.58, 19.51]);
    expect(s.sd * 100).toBeCloseTo(2.95, 2);
  });

  it("refuses a place with fewer than three published years", () => {
    expect(() => surplusRateSpread(loadPublished(), "nanchong")).toThrow(/three published years/);
  });

  const cities = readdirSync(PROJECT_DIRS.assumptions).filter((f) => f.endsWith(".yaml") && f !== "national.yaml").map((f) => f.replace(/\.yaml$/, ""));
  for (const city of cities) {
    it(`${city}'s assumptions file carries the derived SD (to 0.01) and says so`, () => {
      const file = parse(readFileSync(join(PROJECT_DIRS.assumptions, `${city}.yaml`), "utf8")) ?? {};
      const entry = file.reconciliationFactor;
      const derived = cityReconciliationSpread(city);
      expect(entry, `${city}.yaml: reconciliationFactor (derived sd ${derived.sd.toFixed(2)})`).toBeDefined();
      expect(entry.rating).toBe("D");
      expect(entry.dist.dist).toBe("normal");
      expect(Math.abs(entry.dist.sd - derived.sd), `${city}: file ${entry.dist.sd}, derived ${derived.sd.toFixed(3)}`).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(entry.source).toContain((derived.lineShareOfIncome * 100).toFixed(1));
    });
  }
});
