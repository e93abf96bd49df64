// The shape of a city's policy file (src/policies/<city>.yaml) and of a scenario file.
// Every number is a *parameter*: dated values and the article of the text it comes from.
// Amounts are written as the text writes them (yuan, "55%") and converted to fen / basis points
// here, once, at load.
import { z } from "zod";
import { parseIsoDay } from "./dates.ts";
import { formatBp, parsePercent, parseYuan } from "./money.ts";
import { BENEFITS, DISEASES } from "./types.ts";

// ---- scalar notations -------------------------------------------------------------------------

export const isoDate = z
  .string({ error: "expected a date YYYY-MM-DD" })
  .refine((s) => parseIsoDay(s) !== null, { error: (i) => `expected a date YYYY-MM-DD, got ${JSON.stringify(i.input)}` })
  .transform((s) => parseIsoDay(s) as number);

/** Yuan with at most two decimals → fen. */
export const yuan = z
  .union([z.number(), z.string()], { error: (i) => `expected an amount in yuan, got ${JSON.stringify(i.input)}` })
  .refine((v) => parseYuan(v) !== null, {
    error: (i) => `expected a non-negative amount in yuan with at most two decimals, got ${JSON.stringify(i.input)}`,
  })
  .transform((v) => parseYuan(v) as number);

/** "55%" → 5500 basis points. */
export const percent = z
  .string({ error: (i) => `expected a percentage such as "55%", got ${JSON.stringify(i.input)}` })
  .refine((v) => parsePercent(v) !== null, {
    error: (i) => `expected a percentage such as "55%" (at most two decimals), got ${JSON.stringify(i.input)}`,
  })
  .transform((v) => parsePercent(v) as number);

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
  ref: z.string({ error: "every parameter needs `ref`: the article it comes from" }).min(1),
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
      if (has !== 1) ctx.addIssue({ code: "custom", message: "give exactly one of `value` or `values` (dated)" });
      for (const k of Object.keys(p.values ?? {})) {
        if (parseIsoDay(k) === null) ctx.addIssue({ code: "custom", path: ["values", k], message: `expected a date key YYYY-MM-DD, got "${k}"` });
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

/** By status: one value for all, or {active, retired}. Output: [active, retired]. */
export function byStatus<T extends z.ZodType>(inner: T) {
  return z
    .union([inner, z.strictObject({ active: inner, retired: inner })])
    .transform((v): [z.output<T>, z.output<T>] => {
      if (v !== null && typeof v === "object" && "active" in (v as object)) {
        const o = v as { active: z.output<T>; retired: z.output<T> };
        return [o.active, o.retired];
      }
      return [v as z.output<T>, v as z.output<T>];
    });
}

/** By level (and status): one value, {active, retired}, or {level1, level2, level3} of either.
 *  Output: [[l1 active, l1 retired], [l2 …], [l3 …]]. */
export function byLevelStatus<T extends z.ZodType>(inner: T) {
  const s = byStatus(inner);
  return z
    .union([z.strictObject({ level1: s, level2: s, level3: s }), s])
    .transform((v): Array<[z.output<T>, z.output<T>]> => {
      if (Array.isArray(v)) return [v, v, v] as Array<[z.output<T>, z.output<T>]>;
      const o = v as { level1: [z.output<T>, z.output<T>]; level2: [z.output<T>, z.output<T>]; level3: [z.output<T>, z.output<T>] };
      return [o.level1, o.level2, o.level3];
    });
}

/** A reimbursement rate: 0–100%. */
const ratePercent = percent.refine((bp) => bp >= 0 && bp <= 10000, { error: (i) => `expected a rate from 0% to 100%, got "${formatBp(i.input as number)}"` });

/** A rate cell: "60%" (retired then = active + retireeUplift) or {active, retired} as the text lists. */
const rateCell = z
  .union([ratePercent, z.strictObject({ active: ratePercent, retired: ratePercent })])
  .transform((v) => (typeof v === "number" ? { active: v, retired: null as number | null } : { active: v.active, retired: v.retired as number | null }));

/** Per-disease two-disease cap: hypertension only, diabetes only, both. */
const byDiseases = z.strictObject({ hypertension: yuan, diabetes: yuan, both: yuan });

const areaRule = z
  .union([z.literal("same"), z.literal("excluded"), z.strictObject({ rateAdjustment: percent })])
  .transform((v) =>
    v === "same" ? { excluded: false, adjustBp: 0 } : v === "excluded" ? { excluded: true, adjustBp: 0 } : { excluded: false, adjustBp: v.rateAdjustment },
  );

/** How an individual account is credited each month. */
const credit = z
  .union([
    z.literal("none"),
    z.strictObject({ percentOfBase: percent, employerPercentOfBase: percent.optional() }),
    z.strictObject({ fixed: yuan }),
    z.strictObject({ percentOfOwnPension: percent }),
    z.strictObject({
      percentOfAveragePension: percent,
      averagePension: yuan,
      /** Credited on a provisional average until `trueUpMonth`, then the difference is back-paid. */
      provisionalAveragePension: yuan.optional(),
      trueUpMonth: z.number().int().min(1).max(12).optional(),
    }),
  ])
  .transform((v) => v);
export type CreditRule = z.output<typeof credit>;

const benefitId = z.enum(BENEFITS);
const capId = z.enum(["general", "twoDisease"]);

const rateTable = z.strictObject({
  level1: param(rateCell),
  level2: param(rateCell),
  level3: param(rateCell),
  /** Points added for retirees where a level lists one rate. */
  retireeUplift: param(percent).optional(),
  /** Points added for 建国前老工人 on top of the status rate (Jinan). */
  oldWorkerUplift: param(percent).optional(),
});
const rateSameAs = z.strictObject({
  /** The rates of another benefit (Ganzhou: TCM and two diseases use general pooling's rates). */
  sameAs: param(benefitId),
  uplift: param(percent).optional(),
});

const benefit = z.strictObject({
  deductible: z.strictObject({
    mechanism: param(z.enum(["annual", "per_visit", "none"])),
    /** Which annual accumulator the benefit's eligible cost fills (Ganzhou TCM: its own). */
    pool: param(z.enum(["general", "tcm"])).optional(),
    /** Jinan before 2024: counted per designated facility. */
    scope: param(z.enum(["combined", "per_facility"])).optional(),
    amount: param(byLevelStatus(yuan)).optional(),
  }),
  rate: z.union([rateTable, rateSameAs]),
  /** The cap accumulators the benefit's payments consume (all must have room). */
  caps: param(z.array(capId)),
});
export type BenefitInput = z.input<typeof benefit>;

export const schemeSchema = z.strictObject({
  label: z.strictObject({ zh: z.string(), en: z.string() }),
  period: z.strictObject({ from: isoDate, until: isoDate, ...meta }),
  coverage: z.strictObject({
    /** 单建统筹 / 住院医疗保险 members (flexible workers with no account). */
    flexibleWithoutAccount: param(z.enum(["covered", "excluded"])),
    nonDesignated: param(z.enum(["emergency_only", "excluded"])),
    /** The chronic/special scheme's self-pay or over-limit part: general pooling, or excluded. */
    chronicOverflow: param(z.enum(["general", "excluded"])),
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
    tcm: param(z.union([benefitId, z.literal("excluded")])),
    two_disease: param(z.union([benefitId, z.literal("excluded")])),
    special_exam: param(z.union([benefitId, z.literal("excluded")])),
  }),
  benefits: z.strictObject({
    general: benefit.optional(),
    tcm: benefit.optional(),
    two_disease: benefit.optional(),
    special_exam: benefit.optional(),
  }),
  caps: z.strictObject({
    general: param(byStatus(yuan)).optional(),
    twoDisease: param(byDiseases).optional(),
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
    retireeCreditStarts: param(z.enum(["next_month", "same_month"])),
    /** Family mutual aid (家庭共济): the balance above `threshold` may pay family members' costs. */
    familyUse: param(z.union([z.literal("none"), z.strictObject({ threshold: yuan })])).optional(),
  }),
});
export type SchemeInput = z.input<typeof schemeSchema>;
export type SchemeData = z.output<typeof schemeSchema>;

export const policySchema = z.strictObject({
  city: z.enum(["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"]),
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

/** A scenario: a base scheme of a city with overrides (`set`) and dated amendments (`amend`).
 *  Paths are dotted paths into the scheme, e.g. `benefits.general.rate.level3.retired`. */
export const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  city: z.enum(["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"]).optional(),
  base: z.enum(["reform", "baseline"]).default("reform"),
  set: z.record(z.string(), z.unknown()).optional(),
  amend: z
    .array(
      z.strictObject({
        from: z.string().refine((s) => parseIsoDay(s) !== null, { error: "expected a date YYYY-MM-DD" }),
        ref: z.string().optional(),
        set: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
});
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export { DISEASES };
