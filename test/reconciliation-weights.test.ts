// Issue 13 item 4: the reconciliation line is solved on the sample weighted to the city's cells
// (post-stratified, src/model/projection/structure.ts personWeights), as the projection weighs its
// sample — so the base year reproduces the published accounts whatever the sample's chance mix.
import { describe, expect, it } from "vitest";
import { loadFinanceFiles } from "../src/loaders/finance.ts";
import { cityModel, generateChunk, type Model } from "../src/loaders/population/index.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { openingBalances, runChunk } from "../src/model/engine.ts";
import { addChunk, emptyFlows } from "../src/model/fund.ts";
import { zeroParams } from "../src/model/projection/params.ts";
import { NATIONAL_RETIREMENT, project } from "../src/model/projection/project.ts";
import { personWeights, structureOfModel } from "../src/model/projection/structure.ts";
import { reconcileSample, solveReconciliationShare, surplusRate } from "../src/model/reconciliation.ts";

const PERSONS = 6000;

describe.each(["lanzhou", "ganzhou"])("%s: the line solved on a sample whose retiree share is 10 points off", (city) => {
  const files = loadFinanceFiles(city);
  const policy = loadPolicy(city);
  const year = files.published.year;
  const target = { basis: files.published.basis, surplusRate: 1 - files.published.spending100m / files.published.income100m };
  const model = cityModel(city, year);
  const structure = structureOfModel(model, files.finance.insured);
  const adjudicated = (m: Model) => {
    const { persons, claims } = generateChunk(m, 1, 0, PERSONS);
    const eng = { ...persons, openingBalanceFen: openingBalances(policy.baseline, persons, year, files.finance.accountOpeningMonths) };
    return { persons, eng, claims, outcome: runChunk(policy.reform, eng, claims, year, files.finance) };
  };
  // The same generator with 10 more points of retirees: a sample whose mix is not the city's.
  const skewed = adjudicated({ ...model, pRetired: model.pRetired + 0.1 });
  const retireeShare = (s: typeof skewed) => s.persons.status.reduce((n, x) => n + (x === 1 ? 1 : 0), 0) / PERSONS;
  const weighted = reconcileSample(skewed.eng, skewed.claims, skewed.outcome, personWeights(skewed, structure, year), target).share;
  const unweighted = solveReconciliationShare(addChunk(emptyFlows(), skewed.eng, skewed.claims, skewed.outcome), target);
  // The base year the projection reproduces: another sample (the city's mix), weighted to the cells.
  const baseYear = (share: number) => {
    const { persons, claims } = generateChunk(model, 2, 0, PERSONS);
    const r = project({
      sample: { persons, claims, ids: persons.id, sex: persons.sex }, baseYear: year, years: 1, schemes: [policy.reform], baseline: policy.baseline,
      finance: { ...files.finance, reconciliationShare: share }, params: zeroParams(files.finance.openingReserveMonths), structure, rules: NATIONAL_RETIREMENT,
    });
    return surplusRate(r.schemes[0].years[0].flows, target.basis);
  };

  it("the sample is skewed: its retiree share is the model's + about 10 points", () => {
    expect(retireeShare(skewed) - model.pRetired).toBeGreaterThan(0.08);
    expect(retireeShare(skewed) - model.pRetired).toBeLessThan(0.12);
  });
  it("weighted, the line reproduces the published surplus rate in the projection's base year within half a point; unweighted it misses by more than 3", () => {
    expect(Math.abs(baseYear(weighted) - target.surplusRate)).toBeLessThan(0.005);
    expect(Math.abs(baseYear(unweighted) - target.surplusRate)).toBeGreaterThan(0.03);
  });
});
