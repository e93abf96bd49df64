// The dashboards' shared conventions, without a browser: money at a fund's scale (亿元 / 万元),
// the sign convention (effect on the pooled balance, with 增收 / 增支 words), the URL choices, the
// what-if undo history and the CSV export's headers and rounding.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

// The page modules read the site's city list through Framework's FileAttachment (browser only):
// here, the five built-in cities.
vi.mock("observablehq:stdlib", () => ({
  FileAttachment: () => ({
    json: async () =>
      [
        ["lanzhou", "兰州", "Lanzhou"],
        ["jinan", "济南", "Jinan"],
        ["neijiang", "内江", "Neijiang"],
        ["lvliang", "吕梁", "Lüliang"],
        ["ganzhou", "赣州", "Ganzhou"],
      ].map(([id, zh, en]) => ({ id, zh, en })),
  }),
}));
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

// ---- issue 15's review: zeros, minus signs, gain colours, structured finance values, URL state --------
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { change, months, num, pct, pp, trueMinus, wan } from "../src/components/format.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { gainScale, gainWordExpr, TONE_COLORS } from "../src/components/effect.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { urlNumbers, urlProblem } from "../src/components/url-state.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { changeWords, gainSpec } from "../src/components/city.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { winnerSpec } from "../src/components/whatif-charts.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { placeName, valueText } from "../src/components/methods.js";

describe("signed figures carry the true minus sign", () => {
  it("in plain numbers, percentages, points, changes and months; a negative that rounds to zero has no sign", () => {
    expect(num(-1234.5, { decimals: 1 })).toBe(`${MINUS}1,234.5`);
    expect(num(-0.01)).toBe("0");
    expect(pct(-0.0123)).toBe(`${MINUS}1.2%`);
    expect(pct(-0.00001)).toBe("0.0%");
    expect(pp(-0.025)).toBe(`${MINUS}2.5个百分点`);
    expect(pp(0.025, { lang: "en" })).toBe("+2.5 pp");
    expect(pp(0)).toBe("0.0个百分点");
    expect(change(-0.0005, { decimals: 2 })).toBe(`${MINUS}0.05%`);
    expect(change(0.1234, { decimals: 2 })).toBe("+12.34%");
    expect(months(-1.24)).toBe(`${MINUS}1.2 个月`);
    expect(trueMinus("-0.00")).toBe("0.00");
    for (const s of [num(-5), pct(-0.5), pp(-0.5), change(-0.5), months(-2)]) expect(s).not.toContain("-");
  });
});

describe("zeros in the flow tables are written in the column's unit", () => {
  it("a zero money change is 不变 0.0 万元, never — or a bare 0; what rounds to zero reads the same", () => {
    const money = (fen: number) => fundMoney(fen);
    expect(changeWords("spending", 0, "zh", money)).toBe("不变 0.0 万元");
    expect(changeWords("spending", 40_000, "zh", money)).toBe("不变 0.0 万元"); // 400 yuan in a city total
    expect(changeWords("spending", 75_493_134_153, "zh", money)).toBe("增支 7.55 亿元");
    expect(changeWords("income", -12_000_000, "en", (fen: number) => fundMoney(fen, { lang: "en" }))).toBe("less income ¥0.1 m");
    expect(changeWords("neutral", 0, "en", money)).toBe("unchanged 0.0 万元");
    expect(wan(0)).toBe("0.0 万元");
    expect(wan(-123_456_789)).toBe(`${MINUS}123.5 万元`);
  });
});

/** Every color encoding in a vega-lite spec, with the layer's data transform names. */
function colorEncodings(spec: unknown): Array<{ field?: string; scale?: { domain: string[]; range: string[] }; condition?: unknown }> {
  const out: Array<{ field?: string; scale?: { domain: string[]; range: string[] } }> = [];
  const visit = (x: unknown) => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(visit);
    const o = x as Record<string, unknown>;
    if (o.encoding && typeof o.encoding === "object" && (o.encoding as Record<string, unknown>).color) out.push((o.encoding as Record<string, never>).color);
    for (const v of Object.values(o)) visit(v);
  };
  visit(spec);
  return out;
}

describe("who gains and loses: bars coloured by the person's gain", () => {
  const rows = [
    { group: "在职", meanGain: -120, p10: -300, p50: -100, p90: 50, shareGaining: 0.2, shareLosing: 0.7, persons: 100 },
    { group: "退休", meanGain: 340, p10: 0, p50: 200, p90: 900, shareGaining: 0.8, shareLosing: 0.1, persons: 80 },
  ];
  it("city pages: the mean bars and the share bars share one scale, better off green and worse off red, with a legend in the page's language", () => {
    for (const lang of ["zh", "en"]) {
      const g = gainScale(lang);
      for (const width of [1200, 390]) {
        const colors = colorEncodings(gainSpec(rows, { dimension: "status", width, lang }));
        expect(colors).toHaveLength(2);
        for (const c of colors) {
          expect(c.field).toBe("outcome");
          expect(c.scale).toEqual({ domain: [g.better, g.worse], range: [TONE_COLORS.better, TONE_COLORS.worse] });
          expect((c as { title: string }).title).toMatch(lang === "en" ? /gain/ : /所得/);
        }
      }
    }
    expect(gainScale("zh").better).toBe("所得增加（受益）");
    expect(gainScale("en").worse).toBe("Worse off");
    // the mean bar's word comes from the sign of the mean gain
    const expr = gainWordExpr("meanGain", "en");
    const word = (meanGain: number) => new Function("datum", `return ${expr}`)({ meanGain });
    expect([word(340), word(-120), word(0)]).toEqual(["Better off", "Worse off", "About the same"]);
  });
  it("what-if: the share bars in the same colours and words", () => {
    const spec = winnerSpec([], { width: 390, lang: "zh" });
    const [bars] = colorEncodings(spec);
    expect(bars.scale).toEqual({ domain: gainScale("zh").domain, range: [TONE_COLORS.better, TONE_COLORS.worse] });
  });
  it("the colours are those of fs-better / fs-worse", () => {
    const css = readFileSync(new URL("../src/style.css", import.meta.url), "utf8");
    expect(css).toContain(`.fs-better { color: ${TONE_COLORS.better}; }`);
    expect(css).toContain(`.fs-worse { color: ${TONE_COLORS.worse}; }`);
  });
});

describe("the methods page's finance values", () => {
  it("words the published accounts (place, year, basis) in each language, not key: value text", () => {
    const row = { key: "publishedAccounts", value: "place: xinyu, name: 新余 Xinyu, year: 2023, basis: fund", parts: { place: "xinyu", name: "新余 Xinyu", year: 2023, basis: "fund" } };
    expect(valueText(row, "zh")).toBe("新余 2023年决算：职工医保基金（统筹基金 + 个人账户）");
    expect(valueText(row, "en")).toBe("Xinyu, accounts of 2023: the whole employee fund (pooled + accounts)");
    expect(valueText(row, "zh")).not.toMatch(/place:|basis:/);
    expect(placeName("全国 national", "en")).toBe("National");
    expect(placeName("全国 national", "zh")).toBe("全国");
  });
  it("writes negative numbers with the true minus sign", () => {
    expect(valueText({ key: "population.ageTilt", value: "-0.00425" })).toBe(`${MINUS}0.00425`);
    expect(valueText({ key: "x", value: "2023: -1.5%, 2024: 3%" })).toBe(`2023: ${MINUS}1.5%, 2024: 3%`);
    expect(valueText({ key: "x", value: "2023-06-01" })).toBe("2023-06-01"); // a date's hyphens stay
  });
});

describe("numbers in the URL (the projection page's edited assumptions)", () => {
  it("reads ?a.<key>=<number>, setting aside what is not a number, and ignores other parameters", () => {
    const { values, bad } = urlNumbers("a.", "?city=jinan&a.costTrend=6&a.wageGrowth=-0.5&a.x=abc&a.=1&a.empty=&lang=en");
    expect({ ...values }).toEqual({ costTrend: 6, wageGrowth: -0.5 });
    expect(bad).toEqual([{ key: "x", asked: "abc" }, { key: "empty", asked: "" }]);
    expect(Object.getPrototypeOf(urlNumbers("a.", "?a.__proto__=1").values)).toBe(null);
  });
  it("names the value shown instead of a bad one in the page's words", () => {
    const t = (zh: string, en: string) => en;
    expect(urlProblem({ ok: false, asked: "xyz", value: "lanzhou" }, "city", t, () => "Lanzhou")).toBe("The link's city=xyz is not available; showing Lanzhou.");
    expect(urlProblem({ ok: true, asked: null, value: "lanzhou" }, "city", t)).toBe("");
  });
});

describe("the methods page's opening reserve by year", () => {
  it("reads as months by year, not key: value text", () => {
    const row = { key: "openingReserveMonthsByYear", value: "2024: 23.9, 2025: 27.6", parts: { "2024": 23.9, "2025": 27.6 } };
    expect(valueText(row, "zh")).toBe("2024年 23.9 个月；2025年 27.6 个月");
    expect(valueText(row, "en")).toBe("2024: 23.9 months; 2025: 27.6 months");
  });
});
