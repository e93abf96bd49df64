// A month's account credit in both languages (issue 15): accounts.months[].steps says the month's
// credit in Chinese without English words and in English as the contract's `trace` line, which is
// unchanged (the worked cases pin lines the calculator printed before the words became data).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../src/loaders/policies.ts";
import { creditText, creditWords } from "../src/model/account-words.ts";
import type { ArrearsNote, CreditBand, CreditBasis, CreditExplain } from "../src/model/accounts.ts";
import { calculate } from "../src/model/calculator.ts";
import { parseRequest } from "../src/model/request.ts";
import { refZh } from "../src/model/trace-words.ts";
import { CITY_IDS, contractInput } from "./arbitraries.ts";

/** Latin-letter words in a Chinese text. */
const latinWords = (zh: string): string[] => zh.match(/[A-Za-z]+/g) ?? [];

/** The calculator's account months for an input under the city's reform or baseline. */
function months(input: Record<string, unknown>, scheme: "reform" | "baseline" = "reform") {
  const r = parseRequest(input, { cities: CITY_IDS });
  if (!r.ok) throw new Error(r.problems.join("\n"));
  const out = calculate(loadPolicy(input.city as string)[scheme], r.value);
  return out.accounts!.months;
}
const claim = (date: string) => [{ date, level: 1, amount: "100.00" }];

describe("account credit months: worked cases, English unchanged, Chinese beside it", () => {
  it("a retiree credited a share of the own pension (Lanzhou before the reform, 4%, an estimate)", () => {
    const m = months({ city: "lanzhou", person: { status: "retired", pension: "3000.00" }, claims: claim("2022-03-01") }, "baseline")[0];
    expect(m.credit).toBe("120.00");
    expect(m.trace).toBe("retired: 4% of own pension 3000.00 — calibration.md (a share of own pension)");
    expect(m.steps).toEqual([{ step: "account_credit", ref: "calibration.md (a share of own pension)", en: m.trace, zh: "退休：按本人基本养老金 3000.00元 的 4% 划入；依据：本模型校准说明" }]);
  });

  it("a fixed credit from the pooled fund (Lanzhou 第十六条, 90 a month)", () => {
    const m = months({ city: "lanzhou", person: { status: "retired" }, claims: claim("2023-01-05") })[0];
    expect(m.credit).toBe("90.00");
    expect(m.trace).toBe("retired: fixed 90.00/month from the pooled fund — 第十六条（我市2022年基本养老金平均水平的2%，金额为90元/月）");
    expect(m.steps[0].zh).toBe("退休：由统筹基金按定额每月 90.00元 划入；依据：第十六条（我市2022年基本养老金平均水平的2%，金额为90元/月）");
    expect(m.steps[0].ref).toBe("第十六条（我市2022年基本养老金平均水平的2%，金额为90元/月）");
  });

  it("not given: the pension, the contribution base (no credit worked out)", () => {
    const retired = months({ city: "lanzhou", person: { status: "retired" }, claims: claim("2022-03-01") }, "baseline")[0];
    expect(retired.credit).toBeNull();
    expect(retired.trace).toBe("retired: pension not given — calibration.md (a share of own pension)");
    expect(retired.steps[0].zh).toBe("退休：未填养老金，无法算出划入额；依据：本模型校准说明");
    const active = months({ city: "lanzhou", person: { status: "active" }, claims: claim("2023-03-01") })[0];
    expect(active.credit).toBeNull();
    expect(active.trace).toBe("active: contributionBase not given — 第十六条（本人参保缴费基数的2%；原单位缴纳部分不再计入）");
    expect(active.steps[0].zh).toBe("在职：未填缴费基数，无法算出划入额；依据：第十六条（本人参保缴费基数的2%；原单位缴纳部分不再计入）");
    // Jinan's 70+ credit without a birth date: the under-70 one, said so.
    const jinan = months({ city: "jinan", person: { status: "retired" }, claims: claim("2024-02-01") })[0];
    expect(jinan.trace).toBe("retired: 2% of the average pension 5000.00 (birthDate not given: the under-70 rate) — （十四）（退休人员个人账户计入政策保持不变；自2024年1月起70周岁以下……2023年度基本养老金平均水平的2%）");
    expect(jinan.steps[0].zh).toBe("退休：按基本养老金平均水平 5000.00元 的 2% 划入（未填出生日期：按70岁以下的标准）；依据：（十四）（退休人员个人账户计入政策保持不变；自2024年1月起70周岁以下……2023年度基本养老金平均水平的2%）");
  });

  it("arrears paid back (Ganzhou 第六条（四）): credited from the base, or not worked out without it", () => {
    const ref = "第六条（四）（参保人员补缴欠费(含不足缴费年限补缴)按本人参保缴费基数2%划入个人账户）";
    const [withBase] = months({ city: "ganzhou", person: { status: "active", contributionBase: "1000.11", arrears: [{ paidOn: "2023-01-10", months: 3 }] }, claims: claim("2023-02-01") });
    expect(withBase.trace).toBe(`active: 2% of base 1000.11 — 第六条（一）（计入标准由本人参保缴费基数3.2%调整为2%）; + arrears 补缴欠费 3 month(s) × 2% of base 1000.11 = 60.00 — ${ref}`);
    expect(withBase.steps[0].zh).toBe(`在职：按本人缴费基数 1000.11元 的 2% 计入；依据：第六条（一）（计入标准由本人参保缴费基数3.2%调整为2%）；另补缴欠费 3 个月，每月按本人缴费基数 1000.11元 的 2% 计入，共 60.00元；依据：${ref}`);
    expect(withBase.steps[0].ref).toBe(`第六条（一）（计入标准由本人参保缴费基数3.2%调整为2%）; ${ref}`);
    const [noBase] = months({ city: "ganzhou", person: { status: "retired", arrears: [{ paidOn: "2023-01-10", months: 5 }] }, claims: claim("2023-02-01") });
    expect(noBase.credit).toBeNull();
    expect(noBase.trace).toBe(`retired: 2.5% of the average pension 3080.00 — 第六条（三）（根据本实施办法实施改革当年全省基本养老金平均水平的2.5%）; + arrears 补缴欠费 5 month(s): contributionBase not given — ${ref}`);
    expect(noBase.steps[0].zh).toContain(`；另补缴欠费 5 个月：未填缴费基数，无法算出计入额；依据：${ref}`);
  });

  it("Neijiang's true-up month (第四条（二）): the difference back-paid, in both languages", () => {
    const m = months({ city: "neijiang", person: { status: "retired" }, claims: claim("2023-02-01") }).find((x) => x.month === 7)!;
    expect(m.trace).toMatch(/^retired: 2\.8% of the average pension 2900\.00 \+ true-up 6 × 2\.80 \(补划差额\) — 第四条（二）/);
    expect(m.steps[0].zh).toMatch(/^退休：按基本养老金平均水平 2900\.00元 的 2\.8% 划入，另补划差额 6 个月 × 2\.80元；依据：第四条（二）/);
  });
});

// Every kind of basis, band and arrears note (Records over the kinds: a new kind fails to compile).
const REF = "第十六条（我市2022年基本养老金平均水平的2%，金额为90元/月）";
const BASES: Record<CreditBasis["basis"], CreditBasis[]> = {
  none: [{ basis: "none" }],
  base_missing: [{ basis: "base_missing" }],
  percent_of_base: [
    { basis: "percent_of_base", bp: 200, baseFen: 500_000, employerBp: 180, employerFen: 9000 },
    { basis: "percent_of_base", bp: 200, baseFen: 500_000, employerBp: 0, employerFen: 0 },
  ],
  fixed: [{ basis: "fixed", fen: 9000 }],
  pension_missing: [{ basis: "pension_missing" }],
  percent_of_own_pension: [{ basis: "percent_of_own_pension", bp: 400, pensionFen: 300_000 }],
  percent_of_average_pension: [
    { basis: "percent_of_average_pension", bp: 280, averageFen: 290_000, provisional: true },
    { basis: "percent_of_average_pension", bp: 280, averageFen: 290_000, provisional: false },
  ],
  true_up: [{ basis: "true_up", bp: 280, averageFen: 290_000, months: 6, differenceFen: 280 }],
};
const BANDS: Record<CreditBand["band"], CreditBand[]> = {
  from: [{ band: "from", fromAge: 70 }],
  under: [{ band: "under", fromAge: 45 }],
  no_birth_date: [
    { band: "no_birth_date", retired: true },
    { band: "no_birth_date", retired: false },
  ],
  no_birth_date_under70: [{ band: "no_birth_date_under70" }],
};
const ARREARS: Record<ArrearsNote["arrears"], ArrearsNote[]> = {
  credited: [{ arrears: "credited", months: 3, bp: 200, baseFen: 100_011, fen: 6000, refs: [REF] }],
  base_missing: [{ arrears: "base_missing", months: 5, refs: [REF] }],
  not_credited: [
    { arrears: "not_credited", months: 2, reason: "no_account" },
    { arrears: "not_credited", months: 2, reason: "no_arrears_rule" },
  ],
};

describe("account credit words, every kind", () => {
  const all: CreditExplain[] = [];
  for (const credit of Object.values(BASES).flat())
    for (const band of [null, ...Object.values(BANDS).flat()])
      for (const arrears of [null, ...Object.values(ARREARS).flat()])
        for (const status of ["active", "retired", "flexible"] as const) all.push({ status, credit, band, refs: [REF, "国发〔1998〕44号; calibration.md (about 30% of the employer's 6% went to the account)"], arrears });

  it("said in Chinese without English words, citing every article, and differently in English", () => {
    for (const x of all) {
      const w = creditWords(x);
      expect(latinWords(w.zh), w.zh).toEqual([]);
      expect(w.zh).not.toBe(w.en);
      expect(w.zh).toContain(REF);
      expect(w.zh).toContain("国发〔1998〕44号；本模型校准说明");
      expect(creditText(x, "en")).toBe(w.en);
      expect(w.en).toContain(` — ${REF}; 国发〔1998〕44号; calibration.md (about 30% of the employer's 6% went to the account)`);
    }
  });

  it("the English words are the trace lines the calculator always printed (a few, verbatim)", () => {
    const x = (credit: CreditBasis, band: CreditBand | null = null, arrears: ArrearsNote | null = null): CreditExplain => ({ status: "retired", credit, band, refs: ["第十六条"], arrears });
    expect(creditText(x(BASES.percent_of_base[0]), "en")).toBe("retired: 2% of base 5000.00 + employer part 1.8% — 第十六条");
    expect(creditText(x(BASES.percent_of_average_pension[0], BANDS.from[0]), "en")).toBe("retired: 2.8% of the provisional average pension 2900.00 (credit age band 70+ 年龄段) — 第十六条");
    expect(creditText(x(BASES.none[0], BANDS.no_birth_date[0], ARREARS.not_credited[0]), "en")).toBe(
      "retired: no account credit (credit age band 年龄段: birthDate not given, the plain retiree credit) — 第十六条; arrears 补缴欠费 2 month(s) paid: not credited (no individual account)",
    );
    expect(creditText(x(BASES.fixed[0], BANDS.under[0]), "zh")).toBe("退休：由统筹基金按定额每月 90.00元 划入（划入年龄段：不满45岁）；依据：第十六条");
  });

  it("an article's English gloss is left out of the Chinese; the Chinese text itself is kept", () => {
    expect(refZh("calibration.md (a share of own pension)")).toBe("本模型校准说明");
    expect(refZh("文件未规定起付标准金额（not stated in the text）")).toBe("文件未规定起付标准金额");
    expect(refZh("第六条（四）（参保人员补缴欠费(含不足缴费年限补缴)按本人参保缴费基数2%划入个人账户）")).toBe("第六条（四）（参保人员补缴欠费(含不足缴费年限补缴)按本人参保缴费基数2%划入个人账户）");
  });
});

describe("account credit months of random person-years (every city found, reform and baseline)", () => {
  it("trace = steps[0].en; the Chinese has no English words", () => {
    let seen = 0;
    for (const city of CITY_IDS) {
      const policy = loadPolicy(city);
      for (const x of fc.sample(contractInput(city), { seed: 1515 + CITY_IDS.indexOf(city), numRuns: 40 })) {
        const r = parseRequest(x, { cities: CITY_IDS });
        if (!r.ok) throw new Error(r.problems.join("\n"));
        for (const scheme of [policy.reform, policy.baseline]) {
          let out;
          try {
            out = calculate(scheme, r.value);
          } catch {
            continue; // a claim outside the baseline's period
          }
          for (const m of out.accounts?.months ?? []) {
            seen++;
            expect(m.steps).toHaveLength(1);
            expect(m.steps[0].en).toBe(m.trace);
            expect(m.steps[0].step).toBe("account_credit");
            expect(latinWords(m.steps[0].zh), `${city}: ${m.steps[0].zh}`).toEqual([]);
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(1000);
  });
});
