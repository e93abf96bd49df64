import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_YEAR_INPUTS, CALIBRATION_DIR, CalibrationError, SCOPES, baseYearLevels, listSourced, loadCalibration, parseCalibration } from "../../src/loaders/calibration/schema.ts";
import { cityModel } from "../../src/loaders/population/index.ts";
import { type CityId } from "../../src/model/types.ts";
import { cityIds, cityRegistry } from "../../src/loaders/cities.ts";
import { parse as parseYaml } from "yaml";

/** The project's own cities: their calibration files (src/loaders/calibration) carry sourced figures;
 *  a user's city (the test run's made-up one) starts from new-city's marked placeholders. */
const PROJECT_CITIES = cityRegistry().filter((c) => c.builtin).map((c) => c.id);

const national = readFileSync(join(CALIBRATION_DIR, "national.yaml"), "utf8");
/** The calibration values `fundsim calibrate` measures (calibrate.ts targetRows). */
const TARGETS = [
  "population.retireeShare",
  "population.flexibleShareOfActive",
  "costs.spendingActive",
  "costs.spendingRetired",
  "utilisation.encountersPerInsured",
  "utilisation.hospitalisationRate",
  "costs.costPerStay",
  "costs.visitCostLevel1",
  "costs.visitCostLevel2",
  "costs.visitCostLevel3",
  "disease.hypertensionByBand",
];

describe("calibration files", () => {
  it.each(cityIds())("%s: validates, and every value carries a source, a rating (E with a note) and the level it comes from", (city) => {
    const cal = loadCalibration(city);
    expect(cal.city).toBe(city);
    const values = listSourced(cal);
    expect(values.length).toBeGreaterThan(60);
    for (const v of values) {
      expect(["O", "S", "D", "E"]).toContain(v.rating);
      expect(v.source.length).toBeGreaterThan(0);
      expect(SCOPES).toContain(v.scope);
      if (v.rating === "E") expect(v.note?.length ?? 0).toBeGreaterThan(10);
    }
  });

  it.each(cityIds())("%s: every calibration target states its year; the base-year targets are 2023 figures", (city) => {
    const all = new Map(listSourced(loadCalibration(city)).map((v) => [v.path, v]));
    for (const t of TARGETS) expect(all.get(t)?.year, t).toBeTypeOf("number");
    for (const t of ["costs.spendingActive", "costs.spendingRetired", "utilisation.encountersPerInsured", "utilisation.hospitalisationRate", "costs.costPerStay", "population.retireeShare"]) {
      expect(all.get(t)?.year, t).toBe(2023);
    }
    expect(all.get("utilisation.encounterStandardRetireeShare")?.year).toBe(2023);
  });

  it("every city-file value says its level, and national.yaml holds national figures only", () => {
    for (const city of PROJECT_CITIES) {
      const raw = parseYaml(readFileSync(join(CALIBRATION_DIR, `${city}.yaml`), "utf8")) as Record<string, unknown>;
      for (const [section, values] of Object.entries(raw)) {
        if (typeof values !== "object" || values === null) continue;
        for (const [key, v] of Object.entries(values as Record<string, { scope?: string }>)) expect(SCOPES, `${city} ${section}.${key}`).toContain(v.scope);
      }
    }
    const noScope = "city: jinan\nname: 济南\npopulation:\n  oldWorkerShare:\n    value: 0.3\n    source: none found\n    rating: E\n    note: a share of retirees\n";
    expect(() => parseCalibration(national, noScope, { national: "national.yaml", city: "jinan.yaml" })).toThrow(/^jinan\.yaml:5:\d+: population\.oldWorkerShare\.scope: a city value needs a scope/);
    const badNational = national.replace(/(retireeShare:\n    value: 0\.2695\n)/, "$1    scope: city\n");
    expect(badNational).not.toBe(national);
    expect(() => parseCalibration(badNational, "city: jinan\nname: 济南\n")).toThrow(/population\.retireeShare\.scope: national\.yaml holds national figures/);
    expect(() => parseCalibration(national, noScope.replace("rating: E", "rating: E\n    scope: county"))).toThrow(/oldWorkerShare\.scope/);
  });

  it("uses the provincial stand-ins (E) for the older cities: Nanchong for Neijiang, Xinyu for Ganzhou; the national share (E) where none was found", () => {
    const nj = loadCalibration("neijiang").population.retireeShare;
    expect(nj.value).toBeCloseTo(159.1 / 363.4, 3);
    expect(nj).toMatchObject({ rating: "E", scope: "province" });
    const gz = loadCalibration("ganzhou").population.retireeShare;
    expect(gz.value).toBeCloseTo(88.6 / 224.3, 3);
    expect(gz).toMatchObject({ rating: "E", scope: "province" });
    for (const city of ["lanzhou", "jinan", "lvliang"] as const) {
      const r = loadCalibration(city).population.retireeShare;
      expect(r.value).toBeCloseTo(9996 / 37095, 3);
      expect(r).toMatchObject({ rating: "E", scope: "national" });
      expect(r.note).toMatch(/No .* found/);
    }
  });

  it("takes each city's age structure from its own census, else its province's (Lanzhou's own, not Gansu's)", () => {
    const tilt = (c: CityId) => loadCalibration(c).population.ageTilt;
    expect(tilt("lanzhou")).toMatchObject({ scope: "city", year: 2020 });
    expect(tilt("lanzhou").source).toContain("69.24");
    expect(tilt("lvliang")).toMatchObject({ scope: "city", year: 2020 });
    expect(tilt("ganzhou")).toMatchObject({ scope: "city", year: 2021 });
    expect(tilt("jinan")).toMatchObject({ scope: "province" });
    expect(tilt("neijiang")).toMatchObject({ scope: "province" });
    // Younger than the nation (60+ ÷ 15–59 below 0.295): Lanzhou, Lüliang, Ganzhou; older: Shandong, Sichuan.
    for (const c of ["lanzhou", "lvliang", "ganzhou"] as const) expect(tilt(c).value).toBeGreaterThan(0);
    for (const c of ["jinan", "neijiang"] as const) expect(tilt(c).value).toBeLessThan(0);
    expect(tilt("lanzhou").value).toBeGreaterThan(tilt("lvliang").value);
    expect(loadCalibration("lanzhou").population.ageTilt.value).not.toBe(0);
  });

  it("puts the base year at 2023 levels: encounters, hospitalisation, cost per stay and spending, with their sources", () => {
    for (const city of cityIds()) {
      const c = loadCalibration(city);
      // 21.04 × 1.202 ÷ 3.7095
      expect(c.utilisation.encountersPerInsured).toMatchObject({ value: 6.82, rating: "D", scope: "national", year: 2023 });
      expect(c.utilisation.encountersPerInsured.value).toBeCloseTo((21.04 * 1.202) / 3.7095, 2);
      expect(c.utilisation.encounterStandardRetireeShare.value).toBeCloseTo(9996 / 37095, 4);
      expect(c.utilisation.hospitalisationRate).toMatchObject({ value: 0.2186, rating: "S", year: 2023 });
      expect(c.costs.costPerStay).toMatchObject({ value: 12175, rating: "S", year: 2023 });
      // 2021 spending (O) × the growth of fund spending per insured at a constant status mix.
      const k = (17753.29 / 14746.73) * ((26106 * 2097 + 9324 * 8002) / (27099 * 2097 + 9996 * 8002));
      expect(c.costs.spendingActive).toMatchObject({ value: Math.round(2097 * k), rating: "D", year: 2023 });
      expect(c.costs.spendingRetired).toMatchObject({ value: Math.round(8002 * k), rating: "D", year: 2023 });
      expect(c.costs.visitCostLevel3).toMatchObject({ value: 379.3, rating: "O", year: 2024 });
      expect(c.costs.visitCostLevel2).toMatchObject({ value: 240.8, rating: "O", year: 2024 });
      expect(c.disease.hypertensionByBand.value).toEqual([0.13, 0.367, 0.565]);
      for (const v of [c.utilisation.encountersPerInsured, c.utilisation.hospitalisationRate, c.costs.spendingActive, c.costs.costPerStay]) {
        expect(v.source).toMatch(/\[national\.[a-z_.*0-9]+|calibration\.md/);
      }
    }
  });

  it("solves the model so the national 2023 mix meets the hospitalisation rate, and the cost per stay lands within ±5 % of 12,175 without tuning", () => {
    const m = cityModel("jinan", 2023);
    const U = m.cal.utilisation;
    const p0 = U.encounterStandardRetireeShare.value;
    const ds = m.expected.daySurgery;
    // The model's per-status stay rates are its national-reference ones (its expected.inpatient is at the city's ages).
    const refStays = U.hospitalisationRate.value - ((1 - p0) * ds[0] + p0 * ds[1]);
    const ipActive = refStays / (1 - p0 + p0 * U.retiredToActiveInpatientRatio.value);
    expect(ipActive).toBeCloseTo(0.1131, 4);
    const cost = m.expected.inpatientCostYuan;
    const dsCost = m.cal.costs.daySurgeryCost.value;
    const perStay =
      ((1 - p0) * (ipActive * cost[0] + ds[0] * dsCost) + p0 * (ipActive * U.retiredToActiveInpatientRatio.value * cost[1] + ds[1] * dsCost)) /
      U.hospitalisationRate.value;
    expect(Math.abs(perStay / 12175 - 1)).toBeLessThan(0.05);
    // Retirees' stays cost more than active members' (solved from the spending ratio).
    expect(cost[1]).toBeGreaterThan(cost[0]);
  });

  it("gives the five cities different populations: every pair differs in retiree share or age mix, and in expected claims per insured", () => {
    const sig = cityIds().map((city) => {
      const m = cityModel(city, 2023);
      const e = m.expected;
      const meanAge = (pmf: Float64Array) => pmf.reduce((s, w, a) => s + w * a, 0);
      return {
        city,
        retired: m.pRetired,
        ageActive: meanAge(e.agePmf[0]),
        ageRetired: meanAge(e.agePmf[1]),
        claims: (1 - m.pRetired) * e.encounters[0] + m.pRetired * e.encounters[1],
        spending: (1 - m.pRetired) * e.spendingYuan[0] + m.pRetired * e.spendingYuan[1],
      };
    });
    for (let i = 0; i < sig.length; i++) {
      for (let j = i + 1; j < sig.length; j++) {
        const [a, b] = [sig[i], sig[j]];
        const pair = `${a.city} / ${b.city}`;
        const population = Math.abs(a.retired - b.retired) >= 0.01 || Math.abs(a.ageActive - b.ageActive) >= 0.1 || Math.abs(a.ageRetired - b.ageRetired) >= 0.1;
        expect(population, pair).toBe(true);
        expect(Math.abs(a.claims / b.claims - 1), `${pair}: claims per insured ${a.claims} vs ${b.claims}`).toBeGreaterThan(0.002);
        expect(Math.abs(a.spending / b.spending - 1), `${pair}: spending per insured`).toBeGreaterThan(0.002);
      }
    }
  });

  it("lists, per city, the base-year inputs that fall back to national figures (what the cities still share, and why)", () => {
    const levels = Object.fromEntries(PROJECT_CITIES.map((c) => [c, baseYearLevels(loadCalibration(c))]));
    for (const c of PROJECT_CITIES) {
      expect(levels[c].map((v) => v.path)).toEqual([...BASE_YEAR_INPUTS]);
      // Every city has some of its own figures (city or province) among its base-year inputs.
      expect(levels[c].filter((v) => v.scope !== "national").length, c).toBeGreaterThanOrEqual(3);
      // A city value restating a national figure says why in its note.
      const cal = loadCalibration(c);
      const raw = parseYaml(readFileSync(join(CALIBRATION_DIR, `${c}.yaml`), "utf8")) as Record<string, Record<string, { scope?: string; note?: string }>>;
      for (const [section, values] of Object.entries(raw)) {
        if (typeof values !== "object" || values === null) continue;
        for (const [key, v] of Object.entries(values)) if (v.scope === "national") expect(v.note, `${c} ${section}.${key}`).toMatch(/found/);
      }
      expect(cal.population.avgWageMonthly.scope).not.toBe("national");
      expect(cal.population.avgPensionMonthly.scope).not.toBe("national");
    }
    // The three cities without a retiree share of their own share the national one, each saying so.
    const sharing = PROJECT_CITIES.filter((c) => levels[c].find((v) => v.path === "population.retireeShare")!.scope === "national");
    expect(sharing).toEqual(["lanzhou", "jinan", "lvliang"]);
  });

  it("reports a bad value with file, line and path", () => {
    const city = "city: lanzhou\nname: 兰州\npopulation:\n  retireeShare:\n    value: 1.7\n    source: x\n    rating: E\n    scope: city\n    note: too many retirees\n";
    try {
      parseCalibration(national, city, { national: "national.yaml", city: "lanzhou.yaml" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalibrationError);
      expect((e as Error).message).toMatch(/^lanzhou\.yaml:5:\d+: population\.retireeShare\.value: /);
    }
  });

  it("refuses an estimate without a note, and a value without a rating", () => {
    const noNote = "city: jinan\nname: 济南\npopulation:\n  oldWorkerShare:\n    value: 0.3\n    source: none found\n    rating: E\n    scope: city\n";
    expect(() => parseCalibration(national, noNote)).toThrow(/oldWorkerShare\.note: an E \(estimated\) value needs a note/);
    const noRating = "city: jinan\nname: 济南\npopulation:\n  oldWorkerShare:\n    value: 0.3\n    source: none found\n    scope: city\n";
    expect(() => parseCalibration(national, noRating)).toThrow(/oldWorkerShare\.rating/);
  });

  it("reports YAML syntax errors with a line number, and an unknown city", () => {
    expect(() => parseCalibration(national, "city: [jinan\n", { national: "n.yaml", city: "bad.yaml" })).toThrow(/^bad\.yaml:\d+:\d+: /);
    expect(() => loadCalibration("paris" as never)).toThrow(/city: must be a city found \(lanzhou, jinan, neijiang, lvliang, ganzhou\b.*\), got "paris"/);
  });
});
