import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CALIBRATION_DIR, CalibrationError, listSourced, loadCalibration, parseCalibration } from "../../src/loaders/calibration/schema.ts";
import { CITIES } from "../../src/model/types.ts";

const national = readFileSync(join(CALIBRATION_DIR, "national.yaml"), "utf8");

describe("calibration files", () => {
  it.each(CITIES)("%s: validates, and every value carries a source and a rating (E with a note)", (city) => {
    const cal = loadCalibration(city);
    expect(cal.city).toBe(city);
    const values = listSourced(cal);
    expect(values.length).toBeGreaterThan(60);
    for (const v of values) {
      expect(["O", "S", "D", "E"]).toContain(v.rating);
      expect(v.source.length).toBeGreaterThan(0);
      if (v.rating === "E") expect(v.note?.length ?? 0).toBeGreaterThan(10);
    }
  });

  it("uses the provincial stand-ins (E) for the older cities: Nanchong for Neijiang, Xinyu for Ganzhou", () => {
    const nj = loadCalibration("neijiang").population.retireeShare;
    expect(nj.value).toBeCloseTo(159.1 / 363.4, 3);
    expect(nj.rating).toBe("E");
    const gz = loadCalibration("ganzhou").population.retireeShare;
    expect(gz.value).toBeCloseTo(88.6 / 224.3, 3);
    expect(gz.rating).toBe("E");
    expect(loadCalibration("lanzhou").population.retireeShare.value).toBeCloseTo(9996 / 37095, 3);
  });

  it("keeps the national shape targets with their official ratings in every city", () => {
    for (const city of CITIES) {
      const c = loadCalibration(city);
      expect(c.costs.spendingActive).toMatchObject({ value: 2097, rating: "O" });
      expect(c.costs.spendingRetired).toMatchObject({ value: 8002, rating: "O" });
      expect(c.costs.visitCostLevel3).toMatchObject({ value: 379.3, rating: "O" });
      expect(c.costs.visitCostLevel2).toMatchObject({ value: 240.8, rating: "O" });
      expect(c.disease.hypertensionByBand.value).toEqual([0.13, 0.367, 0.565]);
    }
  });

  it("reports a bad value with file, line and path", () => {
    const city = "city: lanzhou\nname: 兰州\npopulation:\n  retireeShare:\n    value: 1.7\n    source: x\n    rating: E\n    note: too many retirees\n";
    try {
      parseCalibration(national, city, { national: "national.yaml", city: "lanzhou.yaml" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalibrationError);
      expect((e as Error).message).toMatch(/^lanzhou\.yaml:5:\d+: population\.retireeShare\.value: /);
    }
  });

  it("refuses an estimate without a note, and a value without a rating", () => {
    const noNote = "city: jinan\nname: 济南\npopulation:\n  oldWorkerShare:\n    value: 0.3\n    source: none found\n    rating: E\n";
    expect(() => parseCalibration(national, noNote)).toThrow(/oldWorkerShare\.note: an E \(estimated\) value needs a note/);
    const noRating = "city: jinan\nname: 济南\npopulation:\n  oldWorkerShare:\n    value: 0.3\n    source: none found\n";
    expect(() => parseCalibration(national, noRating)).toThrow(/oldWorkerShare\.rating/);
  });

  it("reports YAML syntax errors with a line number, and an unknown city", () => {
    expect(() => parseCalibration(national, "city: [jinan\n", { national: "n.yaml", city: "bad.yaml" })).toThrow(/^bad\.yaml:\d+:\d+: /);
    expect(() => loadCalibration("paris" as never)).toThrow(/unknown city "paris"/);
  });
});
