// The shape of what the generator produces, on 100k persons per city: not only that something was
// written, but that the distributions look like the calibration says.
import { describe, expect, it } from "vitest";
import { cityModel, generateChunks, type Chunk } from "../../src/loaders/population/index.ts";
import { AREA, KIND, NO_DAY, SETTING, STATUS } from "../../src/loaders/population/columns.ts";
import { CalibrationStats, shapeRows, targetRows } from "../../src/loaders/population/calibrate.ts";
import { KINDS, type CityId } from "../../src/model/types.ts";
import { cityIds } from "../../src/loaders/cities.ts";

const N = 100_000;
/** The base year: the calibration's utilisation, stays and spending are 2023 levels. */
const YEAR = 2023;
const cache = new Map<CityId, { chunks: Chunk[]; stats: CalibrationStats }>();
function population(city: CityId) {
  let hit = cache.get(city);
  if (!hit) {
    const model = cityModel(city, YEAR);
    const chunks = [...generateChunks(model, 2023, N)];
    const stats = new CalibrationStats();
    for (const c of chunks) stats.add(c);
    hit = { chunks, stats };
    cache.set(city, hit);
  }
  return hit;
}

describe.each(cityIds())("%s, 100k persons", (city) => {
  it("meets every 2023 calibration target within ±5% (O/S gated; the D/E ones within ±5% too), age-standardised to the national ages", () => {
    const { stats } = population(city);
    const model = cityModel(city, YEAR);
    const rows = targetRows(model.cal, stats, model);
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(["encounters", "hospitalisation", "costPerStay", "spendingActive", "spendingRetired"]));
    for (const id of ["encounters", "hospitalisation", "costPerStay", "spendingActive", "spendingRetired"]) expect(rows.find((r) => r.id === id)!.year, id).toBe(2023);
    expect(rows.find((r) => r.id === "hospitalisation")).toMatchObject({ target: 0.2186, gated: true });
    expect(rows.find((r) => r.id === "costPerStay")).toMatchObject({ target: 12175, gated: true });
    // Rebuilding the model from the population's year gives the same rows.
    expect(targetRows(model.cal, stats).map((r) => r.generated)).toEqual(rows.map((r) => r.generated));
    for (const r of rows) {
      expect.soft(Math.abs(r.gap), `${r.id}: target ${r.target}, generated ${r.generated}`).toBeLessThanOrEqual(0.05);
    }
  });

  it("has the retiree share of its calibration (older stand-ins for Neijiang and Ganzhou)", () => {
    const { stats } = population(city);
    const share = stats.byStatus[STATUS.retired] / stats.persons;
    expect(share).toBeCloseTo(cityModel(city, YEAR).pRetired, 2);
    if (city === "neijiang" || city === "ganzhou") expect(share).toBeGreaterThan(0.38);
    else expect(share).toBeLessThan(0.3);
  });

  it("has over-dispersed outpatient counts: many with none, variance well above the mean, a heavy top", () => {
    const { stats } = population(city);
    const shapes = Object.fromEntries(shapeRows(stats).map((s) => [s.label, s.value]));
    expect(shapes["active members with no outpatient encounter"]).toBeGreaterThan(0.2);
    expect(shapes["active members with no outpatient encounter"]).toBeLessThan(0.45);
    expect(shapes["retirees with no outpatient encounter"]).toBeGreaterThan(0.03);
    expect(shapes["retirees with no outpatient encounter"]).toBeLessThan(0.2);
    expect(shapes["outpatient count variance ÷ mean, active"]).toBeGreaterThan(3);
    expect(shapes["outpatient count variance ÷ mean, retired"]).toBeGreaterThan(3);
    expect(shapes["spending share of the top 1% of persons"]).toBeGreaterThan(0.1);
  });
});

describe("claims", () => {
  const { chunks } = population("lanzhou");
  const model = cityModel("lanzhou", YEAR);

  it("exercise every kind, both settings, every area, non-designated and emergency claims", () => {
    const kinds = new Float64Array(KINDS.length);
    const areas = new Float64Array(4);
    let pharmacyNoRx = 0;
    let pharmacyRx = 0;
    let nonDesignated = 0;
    let emergency = 0;
    for (const { claims: c } of chunks) {
      for (let j = 0; j < c.length; j++) {
        kinds[c.kind[j]]++;
        areas[c.area[j]]++;
        if (c.setting[j] === SETTING.pharmacy) c.prescription[j] ? pharmacyRx++ : pharmacyNoRx++;
        if (!c.designated[j]) nonDesignated++;
        if (c.emergency[j]) emergency++;
      }
    }
    for (let k = 0; k < KINDS.length; k++) expect(kinds[k], KINDS[k]).toBeGreaterThan(100);
    for (let a = 0; a < 4; a++) expect(areas[a]).toBeGreaterThan(100);
    expect(areas[AREA.local] / (areas[0] + areas[1] + areas[2] + areas[3])).toBeGreaterThan(0.9);
    expect(pharmacyRx).toBeGreaterThan(1000);
    expect(pharmacyNoRx).toBeGreaterThan(pharmacyRx);
    expect(nonDesignated).toBeGreaterThan(1000);
    expect(emergency).toBeGreaterThan(1000);
    // Inpatient stays ≈ 0.113 per active, 0.453 per retiree at the national ages (2023: 21.86 % with
    // day surgery); Lanzhou is younger, ≈ 0.20 a person.
    const ipRate = kinds[KIND.inpatient] / N;
    expect(ipRate).toBeGreaterThan(0.18);
    expect(ipRate).toBeLessThan(0.22);
  });

  it("are in date order per person, inside the year, with eligible ≤ amount and offsets that match", () => {
    const y0 = model.yearStartDay;
    for (const { persons: p, claims: c } of chunks) {
      expect(p.claimStart[p.count]).toBe(c.length);
      for (let i = 0; i < p.count; i++) {
        for (let j = p.claimStart[i]; j < p.claimStart[i + 1]; j++) {
          if (c.person[j] !== p.id[i]) throw new Error(`claim ${j} belongs to ${c.person[j]}, not ${p.id[i]}`);
          if (j > p.claimStart[i] && c.day[j] < c.day[j - 1]) throw new Error(`person ${p.id[i]}: claims out of date order`);
          if (c.day[j] < y0 || c.day[j] >= y0 + model.daysInYear) throw new Error(`claim ${j} outside the year`);
          if (c.eligibleFen[j] > c.amountFen[j] || c.eligibleFen[j] < 0 || c.amountFen[j] <= 0) throw new Error(`claim ${j}: bad amounts`);
        }
      }
    }
  });

  it("have a heavy-tailed cost per visit (mean well above median) and level 3 dearer than level 2", () => {
    const l3: number[] = [];
    const l2: number[] = [];
    for (const { claims: c } of chunks.slice(0, 2)) {
      for (let j = 0; j < c.length; j++) {
        if (c.setting[j] !== SETTING.facility || c.kind[j] >= KIND.inpatient) continue;
        if (c.level[j] === 2) l3.push(c.amountFen[j]);
        if (c.level[j] === 1) l2.push(c.amountFen[j]);
      }
    }
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
    expect(mean(l3)).toBeGreaterThan(1.25 * median(l3));
    expect(mean(l3)).toBeGreaterThan(mean(l2) * 1.3);
  });

  it("follow the seasonality: December days busier than February days", () => {
    const perMonth = new Float64Array(12);
    for (const { claims: c } of chunks) for (let j = 0; j < c.length; j++) perMonth[new Date(c.day[j] * 86_400_000).getUTCMonth()]++;
    const feb = perMonth[1] / 28; // 2023
    const dec = perMonth[11] / 31;
    expect(dec / feb).toBeGreaterThan(1.2);
    expect(dec / feb).toBeLessThan(1.45); // weights 1.12 / 0.85 = 1.32
  });
});

describe("persons", () => {
  it("have hypertension rising with age band as surveyed: 13% / 36.7% / 56.5%", () => {
    for (const city of ["lanzhou", "neijiang"] as const) {
      const { stats } = population(city);
      const prev = [0, 1, 2].map((b) => stats.htnBand[b] / stats.bandPersons[b]);
      expect(prev[0]).toBeCloseTo(0.13, 2);
      expect(prev[1]).toBeCloseTo(0.367, 1);
      expect(prev[2]).toBeCloseTo(0.565, 1);
    }
  });

  it("carry contribution bases within 60%–300% of the average wage, pensions for retirees, retirement dates", () => {
    const { chunks } = population("lanzhou");
    const model = cityModel("lanzhou", YEAR);
    let retiringThisYear = 0;
    let flexible = 0;
    let flexibleWithAccount = 0;
    let registered = 0;
    const bad: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && bad.length < 5) bad.push(what);
    };
    for (const { persons: p } of chunks) {
      for (let i = 0; i < p.count; i++) {
        const st = p.status[i];
        const base = p.contributionBaseFen[i];
        const who = `person ${p.id[i]}`;
        if (st !== STATUS.retired || p.retiredOnDay[i] > model.yearStartDay) check(base >= 384_000 && base <= 1_920_000, `${who}: base ${base}`);
        else check(base === 0, `${who}: retiree with a base`);
        if (st === STATUS.retired) {
          check(p.pensionFen[i] > 0 && p.retiredOnDay[i] !== NO_DAY, `${who}: retiree without pension or date`);
          if (p.retiredOnDay[i] >= model.yearStartDay) retiringThisYear++;
        } else check(p.pensionFen[i] === 0 && p.retiredOnDay[i] === NO_DAY, `${who}: pension or retirement date while not retired`);
        if (st === STATUS.flexible) {
          flexible++;
          flexibleWithAccount += p.hasAccount[i];
        } else check(p.hasAccount[i] === 1, `${who}: employee without account`);
        if (p.twoDiseases[i]) {
          registered++;
          check((p.twoDiseases[i] & ~p.diseases[i]) === 0, `${who}: registered for a condition not present`);
        }
        check(p.oldWorker[i] === 0, `${who}: old worker outside Jinan`);
      }
    }
    expect(bad).toEqual([]);
    expect(retiringThisYear).toBeGreaterThan(500);
    expect(flexible).toBeGreaterThan(5000);
    expect(flexibleWithAccount).toBe(0); // Lanzhou 第十六条: flexible workers have no account
    expect(registered).toBeGreaterThan(3000);
  });

  it("flag a few old workers in Jinan only, all retired and born in 1935 or earlier", () => {
    const { chunks } = population("jinan");
    let n = 0;
    for (const { persons: p } of chunks) {
      for (let i = 0; i < p.count; i++) {
        if (!p.oldWorker[i]) continue;
        n++;
        expect(p.status[i]).toBe(STATUS.retired);
        expect(new Date(p.birthDay[i] * 86_400_000).getUTCFullYear()).toBeLessThanOrEqual(1935);
      }
    }
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(2000);
  });

  it("retire at the statutory ages, delayed gradually from 2025", async () => {
    const { retirementMonth } = await import("../../src/loaders/population/model.ts");
    const m = cityModel("jinan", 2026);
    const ym = (y: number, mo: number) => y * 12 + mo - 1;
    // Man born 1964-12 reaches 60 in 2024-12: no delay. Born 1965-01: 60 in 2025-01, delayed 1 month.
    expect(retirementMonth(m, 0, ym(1964, 12))).toBe(ym(2024, 12));
    expect(retirementMonth(m, 0, ym(1965, 1))).toBe(ym(2025, 2));
    expect(retirementMonth(m, 0, ym(1965, 5))).toBe(ym(2025, 7)); // 2 months from May 2025
    // Woman of 50 born 1975-03: original 2025-03, one month per two → 2 months.
    expect(retirementMonth(m, 2, ym(1975, 3))).toBe(ym(2025, 5));
    // Caps: men +36 months (63), women of 50 +60 months (55).
    expect(retirementMonth(m, 0, ym(1990, 1))).toBe(ym(1990, 1) + 63 * 12);
    expect(retirementMonth(m, 2, ym(1990, 1))).toBe(ym(1990, 1) + 55 * 12);
  });
});
