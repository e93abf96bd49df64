import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ageOn, civilFromDay, dayFromCivil, isoFromDay, parseIsoDay } from "../src/model/dates.ts";
import { MAX_AMOUNT_FEN } from "../src/model/limits.ts";
import { applyRate, formatBp, formatFen, parsePercent, parseYuan, parseYuanAnySize, yuanProblem } from "../src/model/money.ts";

describe("money", () => {
  it("parses yuan with at most two decimals into fen, and nothing else", () => {
    expect(parseYuan("260.50")).toBe(26050);
    expect(parseYuan(85.5)).toBe(8550);
    expect(parseYuan("0")).toBe(0);
    for (const bad of ["-5", "1.234", "", "1e3", "abc", -1, 1e21, null, "1,000"]) expect(parseYuan(bad), String(bad)).toBeNull();
  });
  it("accepts at most 10 000 000 yuan (the single-amount limit), and says why an amount is refused", () => {
    expect(parseYuan("10000000")).toBe(MAX_AMOUNT_FEN);
    expect(parseYuan(10_000_000)).toBe(MAX_AMOUNT_FEN);
    for (const big of ["10000000.01", "30000000", 30_000_000, "99999999999999999999"]) expect(parseYuan(big), String(big)).toBeNull();
    expect(parseYuanAnySize("30000000")).toBe(3_000_000_000);
    expect(yuanProblem("30000000")).toBe("above_limit");
    expect(yuanProblem(1e21)).toBe("above_limit");
    expect(yuanProblem("99999999999999999999.5")).toBe("above_limit");
    expect(yuanProblem("-5")).toBe("malformed");
    expect(yuanProblem("100")).toBeNull();
    // Padding: accepted in policy files, refused where asked (the calculator's request).
    expect(parseYuan(" 100 ")).toBe(10000);
    expect(yuanProblem(" 100 ")).toBeNull();
    expect(yuanProblem("  100 ", false)).toBe("padded");
    expect(parseYuan("  100 ", false)).toBeNull();
    expect(yuanProblem(" 1,00 ", false)).toBe("malformed");
  });
  it("formats fen with exactly two decimals and round-trips", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_FEN }), (f) => parseYuan(formatFen(f)) === f));
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e13 }), (f) => parseYuanAnySize(formatFen(f)) === f));
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
  it("rounds exactly when fen × bp passes 2^53 (a year's self-burden of thousands of large claims)", () => {
    const exact = (f: number, bp: number) => Number((BigInt(f) * BigInt(bp) + 5000n) / 10000n);
    expect(applyRate(10_000_000_000_000, 9999)).toBe(exact(10_000_000_000_000, 9999));
    expect(applyRate(9_007_199_254_740, 10000)).toBe(9_007_199_254_740);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 49 }), fc.integer({ min: 0, max: 10000 }), (f, bp) => applyRate(f, bp) === exact(f, bp)));
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
