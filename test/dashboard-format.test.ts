// The dashboards' shared conventions, without a browser: money at a fund's scale (亿元 / 万元),
// the sign convention (effect on the pooled balance, with 增收 / 增支 words), the URL choices, the
// what-if undo history and the CSV export's headers and rounding.
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { fundMoney, MINUS } from "../src/components/format.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { effectOf, effectText, toneClass } from "../src/components/effect.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { urlChoice } from "../src/components/url-state.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { EditHistory } from "../src/components/whatif-history.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { toCsv } from "../src/components/chart-export.js";

describe("fundMoney", () => {
  it("writes 亿元 from 1 亿 up and 万元 below, with thousands separators and a true minus", () => {
    expect(fundMoney(577_600_000_000, { sign: true })).toBe("+57.8 亿元");
    expect(fundMoney(87_819_133_903, { sign: true })).toBe("+8.78 亿元");
    expect(fundMoney(10_000_000_000)).toBe("1.00 亿元");
    expect(fundMoney(9_999_999_999)).toBe("10,000 万元"); // just under 1 亿: 万元, rounded
    expect(fundMoney(-7_549_313_415)).toBe(`${MINUS}7,549 万元`);
    expect(fundMoney(5_178_000)).toBe("5.2 万元");
    expect(fundMoney(40_000, { sign: true })).toBe("0.0 万元"); // no "+" on what rounds to zero
  });
  it("writes ¥ bn and ¥ m in English", () => {
    expect(fundMoney(577_600_000_000, { lang: "en", sign: true })).toBe("+¥5.78 bn");
    expect(fundMoney(-7_549_313_415, { lang: "en" })).toBe(`${MINUS}¥75.5 m`);
  });
  it("refuses a fractional fen", () => {
    expect(() => fundMoney(1.5)).toThrow(/integer/);
  });
});

describe("the sign convention: effect on the pooled balance", () => {
  it("turns more spending into a negative effect worded 增支, coloured worse", () => {
    const e = effectOf("spending", 7_549_313_415);
    expect(e.fen).toBe(-7_549_313_415);
    expect(e.better).toBe(false);
    expect(e.word[0]).toBe("增支");
    expect(effectText("spending", 7_549_313_415)).toBe(`${MINUS}7,549 万元（增支）`);
    expect(effectText("spending", -100_000_000)).toBe("+100 万元（减支）");
    expect(effectText("income", 16_331_226_805, "en")).toBe("+¥163.3 m (more income)");
    expect(toneClass(effectOf("income", 5).better)).toBe("fs-better");
    expect(toneClass(effectOf("income", -5).better)).toBe("fs-worse");
  });
  it("words a neutral quantity without a sign or a colour", () => {
    expect(effectText("neutral", -40_555_426_178)).toBe("减少 4.06 亿元");
    expect(toneClass(effectOf("neutral", -1).better)).toBe("fs-same");
    expect(effectOf("deduction", 100).better).toBe(false); // more credited to accounts: less for the pool
  });
});

describe("urlChoice", () => {
  it("takes an allowed value, falls back on a missing one and says so on an unknown one", () => {
    expect(urlChoice("year", [2023, 2024], 2024, "?year=2023")).toEqual({ value: 2023, asked: "2023", ok: true });
    expect(urlChoice("year", [2023, 2024], 2024, "?lang=en")).toEqual({ value: 2024, asked: null, ok: true });
    expect(urlChoice("year", [2023, 2024], 2024, "?year=1999")).toEqual({ value: 2024, asked: "1999", ok: false });
  });
});

describe("EditHistory", () => {
  it("undoes and redoes, one step per burst of the same change, and a new change clears redo", () => {
    let now = 0;
    const h = new EditHistory({ now: () => now });
    h.record({ v: 0 }, "a");
    now += 100;
    h.record({ v: 1 }, "a"); // the same slider moving: one step
    now += 5000;
    h.record({ v: 2 }, "b");
    expect(h.undo({ v: 3 })).toEqual({ v: 2 });
    expect(h.undo({ v: 2 })).toEqual({ v: 0 });
    expect(h.canUndo).toBe(false);
    expect(h.redo({ v: 0 })).toEqual({ v: 2 });
    h.record({ v: 2 }, "c");
    expect(h.canRedo).toBe(false);
  });
  it("keeps copies, not the caller's objects", () => {
    const h = new EditHistory();
    const state = { edits: { x: 1 } };
    h.record(state, "k");
    state.edits.x = 2;
    expect(h.undo(state)).toEqual({ edits: { x: 1 } });
  });
});

describe("toCsv", () => {
  it("writes readable headers in the page's language, money to the fen, no chart-only fields", () => {
    const rows = [{ city: "jinan", cityName: "济南", year: 2024, component: "net", componentName: "净影响", order: 2, effectFen: 4_233_772_819, yuanPerCapita: 1008.123456789, value: 42337.73 }];
    const [head, line] = toCsv(rows, undefined, "zh").replace(/^\ufeff/, "").trim().split("\n");
    expect(head).toBe("城市代码,城市,年度,项目代码,项目,对当期结余的影响（元，全市）,人均（元）");
    expect(line).toBe("jinan,济南,2024,net,净影响,42337728.19,1008.12");
    expect(toCsv(rows, ["cityName", "effectFen"], "en").replace(/^\ufeff/, "").split("\n")[0]).toBe("City,Effect on the year's pooled balance (yuan; city total)");
    expect(toCsv([{ foo: 0.1234567891234 }], undefined, "zh")).toContain("0.123457");
  });
});
