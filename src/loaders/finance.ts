// Fund-finance assumptions per city: national.yaml overridden by <city>.yaml, every value sourced.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Finance } from "../model/finance.ts";
import { sharePercent } from "../model/policy-schema.ts";
import { PolicyError, formatIssues } from "../model/policy.ts";
import type { CityId } from "../model/types.ts";
import { parseYamlWithLines } from "./policies.ts";

export const FINANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), "finance");

const sourced = <T extends z.ZodType>(v: T) =>
  z
    .strictObject({ value: v, source: z.string().min(1), rating: z.enum(["O", "S", "D", "E"]), note: z.string().optional() })
    .refine((s) => s.rating !== "E" || !!s.note, { message: "an E (estimated) value needs a note", path: ["note"] });

const schema = z.strictObject({
  employerRate: sourced(sharePercent),
  employeeRate: sourced(sharePercent),
  flexibleRate: sourced(sharePercent),
  flexiblePoolOnlyRate: sourced(sharePercent),
  inpatientFundShare: sourced(sharePercent),
  chronicFundPerEnrolleeYuan: sourced(z.number().nonnegative()),
  openingReserveMonths: sourced(z.number().nonnegative()),
  accountOpeningMonths: sourced(z.number().nonnegative()),
  insured: sourced(z.number().int().positive()),
  familyUseShare: sourced(sharePercent),
  otherIncomeShare: sourced(sharePercent),
});

export interface SourcedRow {
  key: string;
  value: string | number;
  source: string;
  rating: string;
  note?: string;
  city: boolean;
}

export function loadFinance(city: CityId): { finance: Finance; rows: SourcedRow[] } {
  const read = (name: string) => {
    const file = join(FINANCE_DIR, `${name}.yaml`);
    return (parseYamlWithLines(readFileSync(file, "utf8"), `src/loaders/finance/${name}.yaml`).value ?? {}) as Record<string, unknown>;
  };
  const national = read("national");
  const local = read(city);
  const merged = { ...national, ...local };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), `src/loaders/finance/${city}.yaml`);
  const d = parsed.data;
  const rows: SourcedRow[] = Object.entries(merged).map(([key, v]) => {
    const s = v as { value: string | number; source: string; rating: string; note?: string };
    return { key, value: s.value, source: s.source, rating: s.rating, note: s.note, city: key in local };
  });
  return {
    finance: {
      employerBp: d.employerRate.value,
      employeeBp: d.employeeRate.value,
      flexibleBp: d.flexibleRate.value,
      flexiblePoolOnlyBp: d.flexiblePoolOnlyRate.value,
      inpatientFundShareBp: d.inpatientFundShare.value,
      chronicFundPerEnrolleeFen: Math.round(d.chronicFundPerEnrolleeYuan.value * 100),
      openingReserveMonths: d.openingReserveMonths.value,
      accountOpeningMonths: d.accountOpeningMonths.value,
      insured: d.insured.value,
      familyUseShareBp: d.familyUseShare.value,
      otherIncomeShareBp: d.otherIncomeShare.value,
    },
    rows,
  };
}
