// A zero change on the what-if page reads as on the city pages (issue 15): "不变 0.0 万元" /
// "unchanged ¥0.0 m" in the compare table, "不变 0" in the summary's unitless 万元 column, and what
// rounds to zero in the column's unit likewise — never "0" alone or "0.0 万元（增支）".
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { fundMoney, months, wan } from "../src/components/format.js";
// @ts-expect-error -- a page module in plain JavaScript, without type declarations
import { effectText, unchangedText } from "../src/components/effect.js";

const fund = (lang: string) => (fen: number) => fundMoney(fen, { lang });
const column = (lang: string) => (fen: number) => wan(fen, { lang, unit: false, decimals: lang === "en" ? 1 : 0 });

describe("unchangedText: a change that rounds to zero in its column's unit", () => {
  it("zero, in both languages and both columns", () => {
    expect(unchangedText(0, "zh", fund("zh"))).toBe("不变 0.0 万元");
    expect(unchangedText(0, "en", fund("en"))).toBe("unchanged ¥0.0 m");
    expect(unchangedText(0, "zh", column("zh"))).toBe("不变 0");
    expect(unchangedText(0, "en", column("en"))).toBe("unchanged 0.00");
  });
  it("what rounds to zero is unchanged too, either sign; what does not is left to the other words", () => {
    expect(unchangedText(-40_000, "zh", fund("zh"))).toBe("不变 0.0 万元"); // 400 yuan at a fund's scale
    expect(unchangedText(499_999, "zh", column("zh"))).toBe("不变 0"); // 4,999.99 yuan, under half a 万元
    expect(unchangedText(500_000, "zh", column("zh"))).toBeNull(); // half a 万元 rounds up to 1
    expect(unchangedText(-100_000_000, "en", fund("en"))).toBeNull();
    expect(effectText("spending", 100_000_000)).toBe("\u2212100 万元（增支）");
  });
  it("months of reserve: a change under 0.05 months reads 不变 0.0 个月, a real one keeps its number", () => {
    const m = (lang: string) => (x: number) => months(x, { lang });
    expect(unchangedText(0.04, "zh", m("zh"))).toBe("不变 0.0 个月");
    expect(unchangedText(-0.01, "en", m("en"))).toBe("unchanged 0.0 months");
    expect(unchangedText(0.06, "zh", m("zh"))).toBeNull();
  });
});
