import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ageOn, civilFromDay, dayFromCivil, isoFromDay, parseIsoDay } from "../src/model/dates.ts";
import { applyRate, formatBp, formatFen, parsePercent, parseYuan } from "../src/model/money.ts";

describe("money", () => {
  it("parses yuan with at most two decimals into fen, and nothing else", () => {
    expect(parseYuan("260.50")).toBe(26050);
    expect(parseYuan(85.5)).toBe(8550);
    expect(parseYuan("0")).toBe(0);
    for (const bad of ["-5", "1.234", "", "1e3", "abc", -1, 1e21, null, "1,000"]) expect(parseYuan(bad), String(bad)).toBeNull();
  });
  it("formats fen with exactly two decimals and round-trips", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e13 }), (f) => parseYuan(formatFen(f)) === f));
    expect(formatFen(5)).toBe("0.05");
    expect(formatFen(-1234)).toBe("-12.34");
  });
  it("rounds a rate half-up to the fen", () => {
    expect(applyRate(1, 5000)).toBe(1); // 0.5 fen → 1
    expect(applyRate(3, 5000)).toBe(2); // 1.5 → 2
    expect(applyRate(84950, 7000)).toBe(59465);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 10000 }), (f, bp) => {
      const exact = (f * bp) / 10000;
      const r = applyRate(f, bp);
      return r - exact <= 0.5 && exact - r < 0.5;
    }));
  });
  it("parses percentages into basis points", () => {
    expect(parsePercent("55%")).toBe(5500);
    expect(parsePercent("2.5%")).toBe(250);
    expect(parsePercent("-10%")).toBe(-1000);
    expect(parsePercent("55")).toBeNull();
    expect(formatBp(250)).toBe("2.5%");
  });
});

describe("dates", () => {
  it("day numbers round-trip through the civil calendar", () => {
    fc.assert(fc.property(fc.integer({ min: -50000, max: 100000 }), (d) => {
      const c = civilFromDay(d);
      return dayFromCivil(c.year, c.month, c.day) === d && parseIsoDay(isoFromDay(d)) === d;
    }));
    expect(isoFromDay(0)).toBe("1970-01-01");
    expect(parseIsoDay("2024-02-29")).not.toBeNull();
    expect(parseIsoDay("2023-02-29")).toBeNull();
  });
  it("ages turn on the birthday", () => {
    const b = parseIsoDay("1954-03-10")!;
    expect(ageOn(b, parseIsoDay("2024-03-09")!)).toBe(69);
    expect(ageOn(b, parseIsoDay("2024-03-10")!)).toBe(70);
  });
});
