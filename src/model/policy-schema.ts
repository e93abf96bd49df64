// The shape of a city's policy file (src/policies/<city>.yaml) and of a scenario file.
// Every number is a *parameter*: dated values and the article of the text it comes from.
// Amounts are written as the text writes them (yuan, "55%") and converted to fen / basis points
// here, once, at load.
import { z } from "zod";
import { bi } from "./bilingual.ts";
import { parseIsoDay } from "./dates.ts";
import { showZh } from "./field-problems.ts";
import { charCount, groupDigits, hasControl, MAX_ADJUSTMENT_BP, MAX_AMOUNT_FEN, MAX_AMOUNT_TEXT, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_RATE_BP, showValue } from "./limits.ts";
import { formatBp, formatFen, parsePercent, parseYuanAnySize } from "./money.ts";
import { BENEFITS, CITY_ID_PATTERN, CLAIM_FLAGS, type ClaimFlag, DISEASES } from "./types.ts";

// ---- scalar notations -------------------------------------------------------------------------

export const isoDate = z
  .string({ error: (i) => bi("expected a date YYYY-MM-DD", `应为日期，格式 YYYY-MM-DD，实为 ${showZh(i.input)}`) })
  .refine((s) => parseIsoDay(s) !== null, { error: (i) => bi(`expected a date YYYY-MM-DD, got ${showValue(i.input)}`, `应为日期，格式 YYYY-MM-DD，实为 ${showZh(i.input)}`) })
  .transform((s) => parseIsoDay(s) as number);

const yuanExpected = `expected an amount in yuan from 0 to ${MAX_AMOUNT_TEXT} with at most two decimals`;
const yuanExpectedZh = `应为 0 至 ${MAX_AMOUNT_TEXT} 元的金额，最多两位小数`;

/** Yuan with at most two decimals, from 0 to MAX_AMOUNT_YUAN (10 million) → fen. The limit is the
 *  last check (on the fen), so that inside a union (a value by level or status) its message is the
 *  one reported, not the union's "Invalid input". */
export const yuan = z
  .union([z.number(), z.string()], { error: (i) => bi(`expected an amount in yuan, got ${showValue(i.input)}`, `应为金额（元），实为 ${showZh(i.input)}`) })
  .refine((v) => parseYuanAnySize(v) !== null, { error: (i) => bi(`${yuanExpected}, got ${showValue(i.input)}`, `${yuanExpectedZh}，实为 ${showZh(i.input)}`) })
  .transform((v) => parseYuanAnySize(v) as number)
  .refine((fen) => fen <= MAX_AMOUNT_FEN, { error: (i) => bi(`${yuanExpected}, got ${yuanOfFen(i.input as number)}`, `${yuanExpectedZh}，实为 ${yuanOfFen(i.input as number)}`) });

/** Fen as the yuan a file writes: 3000000000 → "30000000", 150 → "1.5". */
const yuanOfFen = (fen: number) => formatFen(fen).replace(/\.00$/, "").replace(/(\.\d)0$/, "$1");

/** "55%" → 5500 basis points: the notation only (any sign and size). Every percentage of a policy
 *  is one of the kinds below, each bounded: a rate, a share, an adjustment. */
export const percent = z
  .string({ error: (i) => bi(`expected a percentage such as "55%", got ${showValue(i.input)}`, `应为百分比，如 "55%"，实为 ${showZh(i.input)}`) })
  .refine((v) => parsePercent(v) !== null, {
    error: (i) => bi(`expected a percentage such as "55%" (at most two decimals), got ${showValue(i.input)}`, `应为百分比，如 "55%"（最多两位小数），实为 ${showZh(i.input)}`),
  })
  .transform((v) => parsePercent(v) as number);

/** A share of something (an account credit's percentage of the base or the pension): 0–100%. */
export const sharePercent = percent.refine((bp) => bp >= 0 && bp <= MAX_RATE_BP, {
  error: (i) => bi(`expected a share from 0% to 100%, got "${formatBp(i.input as number)}"`, `应为 0% 至 100% 的比例，实为 "${formatBp(i.input as number)}"`),
});

/** An adjustment added to a rate (an area's rate adjustment, an uplift): −100 to +100 points. */
export const adjustmentPercent = percent.refine((bp) => Math.abs(bp) <= MAX_ADJUSTMENT_BP, {
  error: (i) => bi(`expected an adjustment from -100 to +100 percentage points, got "${formatBp(i.input as number)}"`, `应为 -100 至 +100 个百分点的调整，实为 "${formatBp(i.input as number)}"`),
});

// ---- a parameter: dated values with a reference ------------------------------------------------

export interface Param<T> {
  /** Values in date order; `from` is a day number, or -Infinity for "from the period's start". */
  values: Array<{ from: number; value: T }>;
  /** The article of the source text (第七条, （三）, exclusion 12 …). */
  ref: string;
  note?: string;
  /** A reading the texts leave open, exposed as a parameter with this default. */
  assumption: boolean;
  /** For figures from calibration sources: the rating O/S/D/E. */
  rating?: "O" | "S" | "D" | "E";
}

const meta = {
  ref: z.string({ error: bi("every parameter needs `ref`: the article it comes from", "每个参数都须有 ref：其所依据的文件条款") }).min(1, { error: bi("every parameter needs `ref`: the article it comes from", "每个参数都须有 ref：其所依据的文件条款") }),
  note: z.string().optional(),
  assumption: z.boolean().optional(),
  rating: z.enum(["O", "S", "D", "E"]).optional(),
};

/** A parameter holding values of `inner`: either `value` (from the period's start) or `values`
 *  keyed by the date each takes effect. */
export function param<T extends z.ZodType>(inner: T) {
  return z
    .strictObject({ value: inner.optional(), values: z.record(z.string(), inner).optional(), ...meta })
    .superRefine((p, ctx) => {
      const has = (p.value !== undefined ? 1 : 0) + (p.values !== undefined ? 1 : 0);
      if (has !== 1) ctx.addIssue({ code: "custom", message: bi("give exactly one of `value` or `values` (dated)", "value（单一取值）与 values（按日期取值）须给且只给一个") });
      for (const k of Object.keys(p.values ?? {})) {
        if (parseIsoDay(k) === null) ctx.addIssue({ code: "custom", path: ["values", k], message: bi(`expected a date key YYYY-MM-DD, got ${showValue(k)}`, `键应为日期，格式 YYYY-MM-DD，实为 ${showZh(k)}`) });
      }
    })
    .transform((p): Param<z.output<T>> => {
      const values =
        p.value !== undefined
          ? [{ from: -Infinity, value: p.value as z.output<T> }]
          : Object.entries(p.values as Record<string, z.output<T>>)
              .map(([k, value]) => ({ from: parseIsoDay(k) as number, value }))
              .sort((a, b) => a.from - b.from);
      return { values, ref: p.ref, note: p.note, assumption: p.assumption ?? false, rating: p.rating };
    });
}

// ---- compound values ---------------------------------------------------------------------------

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * The form of a value chosen by its shape (`pick(input)`), instead of a union that tries every form:
 * a bad value is then reported by the form it is written in, at its own path ("… from 0 to
 * 10,000,000 …, got 30000000" at `level2.retired`), not as another form's "expected object" or a
 * union's "Invalid input".
 */
function byForm<S extends z.ZodType>(pick: (v: unknown) => S) {
  return z
    .unknown()
    .superRefine((v, ctx) => {
      const r = pick(v).safeParse(v);
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
    })
    .transform((v) => pick(v).parse(v) as z.output<S>);
}

/** A one-value form, or an object form for an object input. */
function byShape<V extends z.ZodType, O extends z.ZodType>(valueForm: V, objectForm: O, isObjectForm: (v: unknown) => boolean) {
  return byForm<V | O>((v) => (isObjectForm(v) ? objectForm : valueForm));
}

/** By status: one value for all, or {active, retired}. Output: [active, retired]. */
export function byStatus<T extends z.ZodType>(inner: T) {
  return byShape(inner, z.strictObject({ active: inner, retired: inner }), isObject).transform((v): [z.output<T>, z.output<T>] => {
    if (v !== null && typeof v === "object" && "active" in (v as object)) {
      const o = v as unknown as { active: z.output<T>; retired: z.output<T> };
      return [o.active, o.retired];
    }
    return [v as z.output<T>, v as z.output<T>];
  });
}

/** By level (and status): one value, {active, retired}, or {level1, level2, level3} of either.
 *  Output: [[l1 active, l1 retired], [l2 …], [l3 …]]. */
export function byLevelStatus<T extends z.ZodType>(inner: T) {
  const s = byStatus(inner);
  const byLevel = (v: unknown) => isObject(v) && ("level1" in v || "level2" in v || "level3" in v);
  return byShape(s, z.strictObject({ level1: s, level2: s, level3: s }), byLevel).transform((v): Array<[z.output<T>, z.output<T>]> => {
    if (Array.isArray(v)) return [v, v, v] as Array<[z.output<T>, z.output<T>]>;
    const o = v as { level1: [z.output<T>, z.output<T>]; level2: [z.output<T>, z.output<T>]; level3: [z.output<T>, z.output<T>] };
    return [o.level1, o.level2, o.level3];
  });
}

/** A reimbursement rate: 0–100%. */
const ratePercent = percent.refine((bp) => bp >= 0 && bp <= MAX_RATE_BP, { error: (i) => bi(`expected a rate from 0% to 100%, got "${formatBp(i.input as number)}"`, `应为 0% 至 100% 的支付比例，实为 "${formatBp(i.input as number)}"`) });

/** A rate cell: "60%" (retired then = active + retireeUplift) or {active, retired} as the text lists. */
const rateCell = byShape(ratePercent, z.strictObject({ active: ratePercent, retired: ratePercent }), isObject).transform((v) =>
  typeof v === "number" ? { active: v, retired: null as number | null } : { active: v.active, retired: v.retired as number | null },
);

/** Per-disease two-disease cap: hypertension only, diabetes only, both. */
const byDiseases = z.strictObject({ hypertension: yuan, diabetes: yuan, both: yuan });

const areaRule = byShape(z.enum(["same", "excluded"]), z.strictObject({ rateAdjustment: adjustmentPercent }), isObject)
  .transform((v) =>
    v === "same" ? { excluded: false, adjustBp: 0 } : v === "excluded" ? { excluded: true, adjustBp: 0 } : { excluded: false, adjustBp: v.rateAdjustment },
  );

/** How an individual account is credited each month. */
const creditForms = {
  percentOfBase: z.strictObject({ percentOfBase: sharePercent, employerPercentOfBase: sharePercent.optional() }),
  fixed: z.strictObject({ fixed: yuan }),
  percentOfOwnPension: z.strictObject({ percentOfOwnPension: sharePercent }),
  percentOfAveragePension: z.strictObject({
    percentOfAveragePension: sharePercent,
    averagePension: yuan,
    /** Credited on a provisional average until `trueUpMonth`, then the difference is back-paid. */
    provisionalAveragePension: yuan.optional(),
    trueUpMonth: z.number().int().min(1).max(12).optional(),
  }),
};
const anyCredit = z.union([z.literal("none"), ...Object.values(creditForms)] as [z.ZodLiteral<"none">, ...Array<(typeof creditForms)[keyof typeof creditForms]>]);
/** The form named by the object's key ({percentOfBase: …}, {fixed: …} …); anything else is tried
 *  against every form. */
const credit = byForm((v) => {
  if (isObject(v)) for (const [k, form] of Object.entries(creditForms)) if (k in v) return form as (typeof creditForms)[keyof typeof creditForms];
  return anyCredit;
});
export type CreditRule = z.output<typeof credit>;

/** Account credits by age band: [{fromAge, credit}], ascending. */
const creditBands = z
  .array(z.strictObject({ fromAge: z.number({ error: bi("expected an age (whole years from 1 to 120)", "应为年龄（1 至 120 的整岁数）") }).int().min(1).max(120), credit }), { error: bi("expected a list of {fromAge, credit}", "应为 {fromAge, credit}（起始年龄、划入标准）的列表") })
  .min(1)
  .max(3, { error: bi("expected at most 3 age bands", "年龄段最多 3 个") })
  .refine((a) => a.every((x, i) => i === 0 || x.fromAge > a[i - 1].fromAge), { error: bi("expected fromAge in ascending order, each once", "fromAge（起始年龄）应从小到大排列，且各不相同") });

/** The items `distinct` checks, in Chinese. */
const DISTINCT_ZH: Record<string, string> = { cap: "限额" };

/** A list whose items are all different: `caps: [general, general]` is a slip, not a double cap. */
function distinct<T extends z.ZodArray<z.ZodType>>(list: T, what: string) {
  return list.superRefine((items, ctx) => {
    const seen = new Set<unknown>();
    (items as unknown[]).forEach((x, i) => {
      if (seen.has(x)) ctx.addIssue({ code: "custom", path: [i], message: bi(`expected each ${what} at most once, got ${showValue(x)} again`, `每个${DISTINCT_ZH[what] ?? what}只能出现一次，${showZh(x)} 重复出现`) });
      seen.add(x);
    });
  });
}

const benefitId = z.enum(BENEFITS);
/** The benefit that pays a claim kind, or "excluded". */
const kindTarget = z.union([benefitId, z.literal("excluded")]);
const nonDesignatedRule = z.enum(["emergency_only", "excluded"]);
const flagRule = () => param(z.enum(["excluded", "paid"]));
const capId = z.enum(["general", "twoDisease", "pharmacy"]);

/** Age bands: the ages (completed years on the claim's date) at which bands 1, 2, 3 start, ascending. */
const ageBandStarts = z
  .array(z.number().int().min(1).max(120), { error: bi("expected a list of ages (whole years from 1 to 120)", "应为年龄（1 至 120 的整岁数）的列表") })
  .min(1)
  .max(3, { error: bi("expected at most 3 age bands", "年龄段最多 3 个") })
  .refine((a) => a.every((x, i) => i === 0 || x > a[i - 1]), { error: bi("expected the ages in ascending order, each once", "年龄应从小到大排列，且各不相同") });

const rateTable = z.strictObject({
  level1: param(rateCell),
  level2: param(rateCell),
  level3: param(rateCell),
  /** Points added for retirees where a level lists one rate. */
  retireeUplift: param(adjustmentPercent).optional(),
  /** Points added for 建国前老工人 on top of the status rate (Jinan). */
  oldWorkerUplift: param(adjustmentPercent).optional(),
  /** Points added in each age band (scheme `ageBands`), one per band. */
  ageUplift: param(z.array(adjustmentPercent)).optional(),
  /** The rate at a community health centre (社区卫生服务中心, claims[].facilityType "community"), in
   *  place of the level's; retirees as a level's cell (its own or + retireeUplift). */
  community: param(rateCell).optional(),
});
const rateSameAs = z.strictObject({
  /** The rates of another benefit (Ganzhou: TCM and two diseases use general pooling's rates). */
  sameAs: param(benefitId),
  uplift: param(adjustmentPercent).optional(),
});

const benefit = z.strictObject({
  deductible: z.strictObject({
    mechanism: param(z.enum(["annual", "per_visit", "none"])),
    /** Which annual accumulator the benefit's eligible cost fills (Ganzhou TCM: its own). */
    pool: param(z.enum(["general", "tcm"])).optional(),
    /** Jinan before 2024: counted per designated facility. */
    scope: param(z.enum(["combined", "per_facility"])).optional(),
    amount: param(byLevelStatus(yuan)).optional(),
    /** The amount in each age band (scheme `ageBands`), one per band, in place of `amount`. */
    amountByAge: param(z.array(byLevelStatus(yuan))).optional(),
    /** The amount at a community health centre (claims[].facilityType "community"), in place of
     *  `amount` and `amountByAge` there. */
    community: param(byLevelStatus(yuan)).optional(),
    /** Account first (Shanghai-style 自负段): the individual account pays the claim's eligible cost
     *  first; only what it leaves meets the deductible, then the rate. */
    accountFirst: param(z.boolean({ error: (i) => bi(`expected true or false, got ${showValue(i.input)}`, `应为 true（是）或 false（否），实为 ${showZh(i.input)}`) })).optional(),
  }),
  rate: byShape(rateTable, rateSameAs, (v) => isObject(v) && "sameAs" in v),
  /** The cap accumulators the benefit's payments consume (all must have room), each at most once. */
  caps: param(distinct(z.array(capId), "cap")),
  /** The most the fund pays for one claim (单次/次均最高支付), by level and status, before the annual
   *  caps; absent: no per-visit cap. */
  perVisitCap: param(byLevelStatus(yuan)).optional(),
});
export type BenefitInput = z.input<typeof benefit>;

export const schemeSchema = z.strictObject({
  label: z.strictObject({ zh: z.string(), en: z.string() }),
  period: z.strictObject({ from: isoDate, until: isoDate, ...meta }),
  coverage: z.strictObject({
    /** 单建统筹 / 住院医疗保险 members (flexible workers with no account). */
    flexibleWithoutAccount: param(z.enum(["covered", "excluded"])),
    nonDesignated: param(nonDesignatedRule),
    /** Where the text rules on non-designated facilities by area, each with its own article
     *  (Lüliang 不予支付第9项 in the city and 第11项 at a long-term residence, neither excepting
     *  emergencies as 第5项 does); an area not listed follows `nonDesignated`. */
    nonDesignatedByArea: z
      .strictObject({
        local: param(nonDesignatedRule).optional(),
        in_province: param(nonDesignatedRule).optional(),
        out_of_province: param(nonDesignatedRule).optional(),
        registered_elsewhere: param(nonDesignatedRule).optional(),
      })
      .optional(),
    /** Claims flagged (claims[].flags) as another payer's or outside the fund's scope: "excluded"
     *  (the flag is the exclusion code) or "paid"; a flag not listed is not a rule of the scheme
     *  and changes nothing (the trace says so). */
    claimFlags: z.strictObject(Object.fromEntries(CLAIM_FLAGS.map((f) => [f, flagRule().optional()])) as { [F in ClaimFlag]: z.ZodOptional<ReturnType<typeof flagRule>> }).optional(),
    /** A two-disease patient also registered for the chronic/special-disease benefit (person.chronic):
     *  "chronic_scheme" — that scheme pays the drugs, not the two-disease benefit nor general pooling
     *  (Neijiang 第十一条 不得重复享受待遇); "both" or absent: the two-disease benefit pays as for anyone. */
    twoDiseaseWithChronic: param(z.enum(["chronic_scheme", "both"])).optional(),
    /** A claim at a facility other than the person's chosen or signed one (claims[].chosenFacility
     *  false): "same" (paid alike; also when absent), "excluded", "emergency_only" (excluded unless
     *  an emergency) or {rateAdjustment} (points added to the rate). */
    notChosenFacility: param(
      byShape(z.enum(["same", "excluded", "emergency_only"]), z.strictObject({ rateAdjustment: adjustmentPercent }), isObject).transform((v) =>
        typeof v === "string" ? { rule: v, adjustBp: 0 } : { rule: "same" as const, adjustBp: v.rateAdjustment },
      ),
    ).optional(),
    /** The chronic/special scheme's self-pay or over-limit part: general pooling, or excluded. */
    chronicOverflow: param(z.enum(["general", "excluded"])),
    /** Outpatient claims dated within an inpatient stay or day surgery (person.stays): excluded
     *  (Lanzhou 第八条) or paid as any other; absent: paid. */
    duringInpatientStay: param(z.enum(["excluded", "paid"])).optional(),
    areas: z.strictObject({
      in_province: param(areaRule),
      out_of_province: param(areaRule),
      registered_elsewhere: param(areaRule),
    }),
    pharmacy: z.strictObject({
      level: param(z.enum(["prescribing", "level1", "level2", "level3"])),
      withoutPrescription: param(z.enum(["excluded", "paid"])),
    }),
  }),
  /** Which benefit pays each claim kind ("excluded": none); general is always general. */
  kinds: z.strictObject({
    tcm: param(kindTarget),
    two_disease: param(kindTarget),
    special_exam: param(kindTarget),
    /** Where a kind bought at a designated pharmacy (外配处方) goes elsewhere than at a facility
     *  (Neijiang 第十一条（二）: two-disease drugs 在定点医疗机构门诊); absent: as at a facility. */
    atPharmacy: z.strictObject({ tcm: param(kindTarget).optional(), two_disease: param(kindTarget).optional(), special_exam: param(kindTarget).optional() }).optional(),
  }),
  benefits: z.strictObject({
    general: benefit.optional(),
    tcm: benefit.optional(),
    two_disease: benefit.optional(),
    special_exam: benefit.optional(),
  }),
  /** Age bands (rates and deductibles by age): the ages at which bands 1–3 start; a benefit's
   *  `rate.ageUplift` and `deductible.amountByAge` give one value per band. Below the first: band 0,
   *  the plain tables. A person without a birthDate is in band 0. */
  ageBands: param(ageBandStarts).optional(),
  /** Named averages (yuan, dated: 上年度职工平均工资, 平均养老金 …) that amounts elsewhere in the
   *  scheme may be written as a share of: {shareOf: <name>, percent: "2%"} (src/model/shares.ts). */
  averages: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: bi("expected an average's name (letters, digits, _)", "平均值的名称应由字母、数字或 _ 组成，以字母开头") }), param(yuan)).optional(),
  caps: z.strictObject({
    general: param(byStatus(yuan)).optional(),
    twoDisease: param(byDiseases).optional(),
    /** The general cap grows with the person's contribution years (person.contributionYears): from
     *  each `fromYears` on (ascending, at most 3), the cap is `add` higher (by status). */
    generalGrowth: param(
      z
        .array(z.strictObject({ fromYears: z.number().int().min(1).max(80), add: byStatus(yuan) }))
        .min(1)
        .max(3, { error: bi("expected at most 3 steps", "最多 3 档") })
        .refine((a) => a.every((x, i) => i === 0 || x.fromYears > a[i - 1].fromYears), { error: bi("expected fromYears in ascending order, each once", "fromYears（起始缴费年限）应从小到大排列，且各不相同") }),
    ).optional(),
    /** The most the fund pays a year for purchases at designated pharmacies (定点零售药店), by
     *  status: consumed only by pharmacy claims of a benefit that lists "pharmacy" in its caps,
     *  alongside its other caps (a sub-limit within the general cap). */
    pharmacy: param(byStatus(yuan)).optional(),
  }),
  secondPayment: z
    .strictObject({
      threshold: param(yuan),
      rate: param(ratePercent),
      cap: param(z.union([yuan, z.literal("none")])),
    })
    .optional(),
  accounts: z.strictObject({
    active: param(credit),
    flexible: param(credit),
    /** Flexible workers in the pool-only mode. */
    flexibleWithoutAccount: param(credit),
    retired: param(credit),
    /** Retirees aged 70 and over, where the text sets their own rate (Jinan). */
    retiredAged70: param(credit).optional(),
    /** Credits by age band (Beijing/Shanghai-style): from each `fromAge` on (completed years on the
     *  month's first day; ascending, at most 3) the credit of actives, or of retirees, is `credit`
     *  in place of `active` / `retired`; below the first band and without a birthDate, the plain one. */
    activeByAge: param(creditBands).optional(),
    retiredByAge: param(creditBands).optional(),
    retireeCreditStarts: param(z.enum(["next_month", "same_month"])),
    /** Arrears paid back (补缴欠费): credited to the account at a share of the own base for each month
     *  paid (Ganzhou 第六条（四）), in the month of payment; absent or "none": not credited. */
    arrears: param(z.union([z.literal("none"), z.strictObject({ percentOfBase: sharePercent })])).optional(),
    /** Family mutual aid (家庭共济): the balance above `threshold` may pay family members' costs. */
    familyUse: param(z.union([z.literal("none"), z.strictObject({ threshold: yuan })])).optional(),
  }),
});
export type SchemeInput = z.input<typeof schemeSchema>;
export type SchemeData = z.output<typeof schemeSchema>;

/** A city's id (the policy file's name; which cities exist is src/loaders/cities.ts's business). */
const cityId = z.string().regex(CITY_ID_PATTERN, bi("must be a city id: 2–32 lowercase letters a–z, digits or _, starting with a letter", "应为城市代码：2 至 32 个小写字母 a–z、数字或 _，以字母开头"));

export const policySchema = z.strictObject({
  city: cityId,
  /** The city's place in lists (pages, tables); cities without one follow, by id. */
  listOrder: z.number().int().min(1).max(9999).optional(),
  name: z.strictObject({ zh: z.string(), en: z.string() }),
  province: z.strictObject({ zh: z.string(), en: z.string() }),
  document: z.strictObject({
    title: z.string(),
    number: z.string().optional(),
    seed: z.string(),
    note: z.string().optional(),
  }),
  reform: schemeSchema,
  baseline: schemeSchema,
});
export type PolicyData = z.output<typeof policySchema>;

/** The texts `boundedText` checks, in Chinese. */
const TEXT_ZH: Record<string, string> = { "a name": "名称", "a description": "说明" };

/** Text of at most `max` characters and no control characters (a scenario's name travels into every
 *  file, terminal and page of a run); `lines`: newlines and tabs allowed (a description). */
function boundedText(max: number, what: string, lines = false) {
  return z
    .string({ error: (i) => bi(`expected ${what} (text), got ${showValue(i.input)}`, `${TEXT_ZH[what] ?? what}应为文字，实为 ${showZh(i.input)}`) })
    .refine((s) => charCount(s, max) <= max, {
      error: (i) => bi(`expected ${what} of at most ${max} characters, got ${groupDigits(charCount(i.input as string, max))} characters: ${showValue(i.input)}`, `${TEXT_ZH[what] ?? what}最多 ${max} 个字符，实有 ${groupDigits(charCount(i.input as string, max))} 个：${showZh(i.input)}`),
    })
    .refine((s) => s.length > 2 * max || !hasControl(s, lines), { error: (i) => bi(`expected ${what} without control characters, got ${showValue(i.input)}`, `${TEXT_ZH[what] ?? what}不得含控制字符，实为 ${showZh(i.input)}`) });
}

/** A scenario: a base scheme of a city with overrides (`set`) and dated amendments (`amend`).
 *  Paths are dotted paths into the scheme, e.g. `benefits.general.rate.level3.retired`. */
export const scenarioSchema = z.strictObject({
  name: boundedText(MAX_NAME_CHARS, "a name").optional(),
  description: boundedText(MAX_DESCRIPTION_CHARS, "a description", true).optional(),
  city: cityId.optional(),
  base: z.enum(["reform", "baseline"]).default("reform"),
  set: z.record(z.string(), z.unknown()).optional(),
  amend: z
    .array(
      z.strictObject({
        from: z.string().refine((s) => parseIsoDay(s) !== null, { error: bi("expected a date YYYY-MM-DD", "应为日期，格式 YYYY-MM-DD") }),
        ref: z.string().optional(),
        set: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
});
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export { DISEASES };
