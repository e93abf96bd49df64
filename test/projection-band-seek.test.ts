// The projection page's goal-seek on the Monte Carlo band (issue 13 item 3), in Node: the worker
// draws from the distributions the saved assumptions file gives `fundsim project` (editedDists), on
// the population draws the page ships (encoded, decoded: the band's own), and the scenario file's
// header gives the command that reproduces the percentile. The browser side: test/browser/projection.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assumptionsYaml, editedDists, editedParams, scenarioYaml } from "../src/components/projection-files.ts";
import { loadAssumptions } from "../src/loaders/assumptions.ts";
import { loadFinance } from "../src/loaders/finance.ts";
import { cityCohorts } from "../src/loaders/projection-cohorts.ts";
import { PAGE_SAMPLE_PERSONS, PAGE_SAMPLES, PAGE_SEED, pageDrawSample, pageSample } from "../src/loaders/projection-page.ts";
import { loadPolicy, loadScenarioFile } from "../src/loaders/policies.ts";
import { leverScenario } from "../src/model/projection/goal-seek.ts";
import { projectDraws } from "../src/model/projection/monte-carlo.ts";
import { type BaseSample, baseSampleOf } from "../src/model/projection/year-sample.ts";
import { decodeSample, encodeSample } from "../src/model/sample-codec.ts";

const dir = mkdtempSync(join(tmpdir(), "fundsim-band-seek-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
/** The rows the page has (projection.json's assumptions). */
const pageRows = (city: "lanzhou" | "neijiang") => loadAssumptions(city).rows.map((r) => ({ ...r, note: r.note ?? null, dist: r.dist ?? null }));

describe("the page's band goal-seek draws what the CLI draws", () => {
  it("editedDists: the distributions of the saved assumptions file, edited or not", () => {
    for (const [city, edits] of [
      ["neijiang", { costTrend: 5.7, pensionGrowth: 4.6, wageGrowth: 3.3, elasticityVisitsActive: -0.35, openingReserveMonths: 11.5 }],
      ["lanzhou", {}],
    ] as const) {
      const rows = pageRows(city);
      const a = loadAssumptions(city, { file: write(`${city}.yaml`, assumptionsYaml(city, rows, edits)) });
      expect(editedDists(rows, edits)).toEqual(a.dists);
      expect(editedParams(rows, edits)).toEqual(a.params);
      if (city === "lanzhou") expect(editedDists(rows, edits)).toEqual(loadAssumptions(city).dists);
    }
    // An edit moves a triangular range with it (4.6 % lies above Neijiang's 1–4 % for pensions).
    const moved = editedDists(pageRows("neijiang"), { pensionGrowth: 4.6 }).pensionGrowth as { dist: string; min: number; max: number };
    const file = loadAssumptions("neijiang").dists.pensionGrowth as { dist: string; min: number; max: number };
    expect(moved.dist).toBe(file.dist);
    expect(moved.max).toBeGreaterThan(file.max);
  });

  it("the shipped population draws (encoded, decoded) give the band's draws exactly", () => {
    const city = "lanzhou";
    const policy = loadPolicy(city);
    const { finance } = loadFinance(city);
    const a = loadAssumptions(city);
    const cohorts = cityCohorts(city, 2023, finance.insured);
    expect(PAGE_SAMPLES).toBeGreaterThan(1);
    // Small sizes: the identity of the samples, not their size, is under test.
    const built = Array.from({ length: 2 }, (_, i) => pageDrawSample(city, i));
    expect(built[0].persons.count).toBe(PAGE_SAMPLE_PERSONS);
    const shipped = built.map((s, i) => baseSampleOf(decodeSample(encodeSample({ city, year: 2023, seed: PAGE_SEED + 1 + i, firstId: 0 }, s, { keepFacilityIds: true }))));
    const band = (samples: BaseSample[]) =>
      projectDraws({ reference: pageSample(city, 800), samples, baseYear: 2023, years: 3, scheme: policy.reform, baseline: policy.baseline, finance, assumptions: a, draws: 6, seed: PAGE_SEED, ...cohorts })
        .draws.map((d) => d.monthsPath);
    const months = band(shipped);
    expect(months).toEqual(band(built));
    // …and pageDrawSample(i) is the sample of seed 1 + 1 + i (`fundsim project --samples`).
    expect(pageDrawSample(city, 1).persons.contributionBaseFen).toEqual(pageSample(city, PAGE_SAMPLE_PERSONS, PAGE_SEED + 2).persons.contributionBaseFen);
  });

  it("the scenario file of a band goal-seek names the Monte Carlo that reproduces it and reads back", () => {
    const policy = loadPolicy("lanzhou");
    const sc = leverScenario(policy, "active-credit", 2.4, null);
    const band = { kind: "percentile" as const, level: 10, draws: 50, samples: 5, samplePersons: 500 };
    const text = scenarioYaml({ lever: "active-credit", value: 2.4, year: 2032, target: 6, achieved: 6.59, scenario: sc }, { city: "lanzhou", persons: 5000, band });
    expect(text).toContain("keeps the 10th percentile of the months of reserve in 2032 ≥ 6");
    expect(text).toContain("--persons 5000 --draws 50 --samples 5 --sample-persons 500 --seed 1 --scenario");
    expect(loadScenarioFile(write("band.yaml", text))).toEqual(sc);
    const p = scenarioYaml({ lever: "cap", value: 3000, year: 2030, target: 6, achieved: 6.1, scenario: leverScenario(policy, "cap", 3000, null) }, { city: "lanzhou", persons: 5000, band: { ...band, kind: "probability", level: 0.1 } });
    expect(p).toContain("keeps P(months of reserve in 2030 < 6) ≤ 0.1");
  });
});
