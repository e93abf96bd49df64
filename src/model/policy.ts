// From a city's policy data to the rules in force on a date.
// A scheme's parameters change on dates (Jinan 2024-01-01, a scenario's amendments); between two
// change dates every parameter is constant, so the scheme compiles to a few *segments*, each a
// flat `Rules` object the adjudication reads without any lookups.
import type { z } from "zod";
import { bi, chinese, english, issueMessage } from "./bilingual.ts";
import { isoFromDay, parseIsoDay } from "./dates.ts";
import {
  type CreditRule,
  type Param,
  type PolicyData,
  policySchema,
  type SchemeData,
  type Scenario,
  scenarioSchema,
} from "./policy-schema.ts";
import { showText } from "./limits.ts";
import { resolveShares } from "./shares.ts";
import { copyData, isRecord, ownValue, scenarioPathProblems, setScenarioPath } from "./scenario-path.ts";
import { AREAS, type Area, type BenefitId, CLAIM_FLAGS, type CityId, type Kind, type SchemeName } from "./types.ts";

export type CapId = "general" | "twoDisease" | "pharmacy";

export interface ResolvedBenefit {
  id: BenefitId;
  mechanism: "annual" | "per_visit" | "none";
  pool: "general" | "tcm";
  perFacility: boolean;
  /** Deductible by cell: index (level − 1) × 2 + (retired ? 1 : 0), fen. */
  deductibleFen: number[];
  /** Rate by cell (same index), basis points, retiree and benefit uplifts included. */
  rateBp: number[];
  oldWorkerUpliftBp: number;
  /** By age band 1..n (scheme ageBands): points added to the rate, and the deductible by cell
   *  (null: the plain deductible). */
  ageUpliftBp: number[];
  ageDeductibleFen: Array<number[] | null>;
  /** At a community health centre (claim.community): the rate by cell (uplifts of the benefit
   *  included, as rateBp) and the deductible by cell; null: as at a hospital. */
  communityRateBp: number[] | null;
  communityDeductibleFen: number[] | null;
  /** The individual account pays the eligible cost before the deductible (自负段). */
  accountFirst: boolean;
  caps: CapId[];
  /** The most paid for one claim, by cell (fen), or null: no per-visit cap. */
  perVisitCapFen: number[] | null;
  /** Articles: the rate's by level (index level − 1), the retiree uplift's where one applies. */
  refs: { benefit: string; deductible: string; rateByLevel: string[]; retireeUplift: string; caps: string; perVisitCap: string; ageUplift: string; ageDeductible: string; communityRate: string; communityDeductible: string; accountFirst: string };
}

export interface AccountRules {
  active: CreditRule;
  flexible: CreditRule;
  flexibleWithoutAccount: CreditRule;
  retired: CreditRule;
  retiredAged70: CreditRule | null;
  /** Credits by age band (from `fromAge` on, the last band reached), or empty. */
  activeByAge: Array<{ fromAge: number; rule: CreditRule }>;
  retiredByAge: Array<{ fromAge: number; rule: CreditRule }>;
  retireeCreditStarts: "next_month" | "same_month";
  /** Balance above which family members may be paid for (fen), or null: no family use. */
  familyUseThresholdFen: number | null;
  /** Arrears paid back (补缴欠费): the share of the own base credited per month paid, or null. */
  arrears: { percentOfBase: number } | null;
  refs: Record<"active" | "flexible" | "flexibleWithoutAccount" | "retired" | "retiredAged70" | "activeByAge" | "retiredByAge" | "retireeCreditStarts" | "arrears", string>;
}

/** Everything in force on the days [fromDay, untilDay] of one scheme. */
export interface Rules {
  city: CityId;
  scheme: string;
  fromDay: number;
  untilDay: number;
  flexibleWithoutAccount: "covered" | "excluded";
  nonDesignated: "emergency_only" | "excluded";
  /** By area: coverage.nonDesignatedByArea where given, else nonDesignated. */
  nonDesignatedByArea: Record<Area, "emergency_only" | "excluded">;
  /** By CLAIM_FLAGS index: what a flagged claim gets, or null where the scheme has no rule for it. */
  claimFlags: Array<"excluded" | "paid" | null>;
  /** A two-disease patient registered for the chronic/special scheme (person.chronic). */
  twoDiseaseWithChronic: "chronic_scheme" | "both";
  /** A claim away from the person's chosen facility (claim.notChosen). */
  notChosenFacility: { rule: "same" | "excluded" | "emergency_only"; adjustBp: number };
  chronicOverflow: "general" | "excluded";
  /** Outpatient claims during an inpatient stay (person.stays). */
  duringInpatientStay: "excluded" | "paid";
  areas: Record<Exclude<Area, "local">, { excluded: boolean; adjustBp: number }>;
  /** 0 = the prescribing facility's level; 1–3 = that level. */
  pharmacyLevel: 0 | 1 | 2 | 3;
  pharmacyWithoutPrescription: "excluded" | "paid";
  kindBenefit: Record<"tcm" | "two_disease" | "special_exam", BenefitId | "excluded">;
  /** The same at a designated pharmacy (kinds.atPharmacy, else as kindBenefit). */
  kindBenefitAtPharmacy: Record<"tcm" | "two_disease" | "special_exam", BenefitId | "excluded">;
  benefits: Partial<Record<BenefitId, ResolvedBenefit>>;
  /** [active, retired] fen. */
  generalCapFen: [number, number] | null;
  /** Steps by contribution years: from `fromYears` on the general cap is `addFen` [active, retired] higher. */
  generalCapGrowth: Array<{ fromYears: number; addFen: [number, number] }>;
  /** [hypertension only, diabetes only, both] fen. */
  twoDiseaseCapFen: [number, number, number] | null;
  /** Ages at which age bands 1.. start (empty: no bands). */
  ageBands: number[];
  /** Pharmacy purchases' annual sub-cap, [active, retired] fen. */
  pharmacyCapFen: [number, number] | null;
  secondPayment: { thresholdFen: number; rateBp: number; capFen: number | null } | null;
  accounts: AccountRules;
  /** The article of every parameter, by dotted path. */
  refs: Record<string, string>;
}

export interface Scheme {
  name: string;
  label: { zh: string; en: string };
  fromDay: number;
  untilDay: number;
  periodRef: string;
  segments: Rules[];
  /** The parsed data the segments were compiled from (for cards and scenarios). */
  data: SchemeData;
}

export interface Policy {
  city: CityId;
  name: { zh: string; en: string };
  province: { zh: string; en: string };
  document: PolicyData["document"];
  reform: Scheme;
  baseline: Scheme;
  /** The file's parsed YAML before validation: scenarios are applied to it. */
  raw: Record<string, unknown>;
}

// ---- validation with readable errors ------------------------------------------------------------

export class PolicyError extends Error {
  /** The problems as the command line prints them (English, as they always were). */
  readonly problems: string[];
  /** The same problems in Chinese, for the pages (./bilingual.ts: a message given only in English stays so). */
  readonly problemsZh: string[];
  constructor(
    problems: string[],
    readonly source: string,
  ) {
    const en = problems.map(english);
    super(en.map((p) => `${source}: ${p}`).join("\n"));
    this.name = "PolicyError";
    this.problems = en;
    this.problemsZh = problems.map(chinese);
  }
}

/** "one value per age band" in both languages. */
const perBand = (bands: number, got: number) => bi(`expected one value per age band (${bands}), got ${got}`, `应每个年龄段一个取值（共 ${bands} 个），实为 ${got} 个`);

/** Format zod issues as `path: message` lines, each message in both languages (./bilingual.ts). */
export function formatIssues(issues: z.core.$ZodIssue[], prefix = ""): string[] {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((s) => s !== "").join(".");
    let msg = issueMessage(i);
    if (i.code === "invalid_union" && "errors" in i) {
      // Show the closest alternative's first message rather than "Invalid input".
      const alts = (i as unknown as { errors: z.core.$ZodIssue[][] }).errors;
      const best = alts.slice().sort((a, b) => a.length - b.length)[0];
      if (best && best[0]) {
        // (the English as zod or the schema words it, as always; the Chinese from the issue)
        const at = best[0].path.join(".");
        msg = bi(english(best[0].message) + (at ? ` (at ${at})` : ""), chinese(issueMessage(best[0])) + (at ? `（位置 ${at}）` : ""));
      }
    }
    return `${path || "(top)"}: ${msg}`;
  });
}

/** Validate and compile a policy file's parsed YAML. Throws PolicyError naming each problem. */
export function compilePolicy(raw: unknown, source: string): Policy {
  // Amounts written as a share of a named average become yuan first (src/model/shares.ts).
  const shares = resolveShares(raw);
  if (shares.problems.length) throw new PolicyError(shares.problems, source);
  const parsed = policySchema.safeParse(shares.data);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), source);
  const data = parsed.data;
  const problems: string[] = [];
  const reform = compileScheme(data.city, "reform", data.reform, problems, "reform");
  const baseline = compileScheme(data.city, "baseline", data.baseline, problems, "baseline");
  if (problems.length) throw new PolicyError(problems, source);
  return {
    city: data.city,
    name: data.name,
    province: data.province,
    document: data.document,
    reform,
    baseline,
    raw: raw as Record<string, unknown>,
  };
}

// ---- parameters --------------------------------------------------------------------------------

function isParam(x: unknown): x is Param<unknown> {
  return typeof x === "object" && x !== null && Array.isArray((x as Param<unknown>).values) && typeof (x as Param<unknown>).ref === "string";
}

/** Every parameter in a parsed scheme, with its dotted path. */
export function collectParams(node: unknown, path = ""): Array<{ path: string; param: Param<unknown> }> {
  if (isParam(node)) return [{ path, param: node }];
  if (typeof node !== "object" || node === null || Array.isArray(node)) return [];
  const out: Array<{ path: string; param: Param<unknown> }> = [];
  for (const [k, v] of Object.entries(node)) out.push(...collectParams(v, path ? `${path}.${k}` : k));
  return out;
}

/** The value in force on `day` (the newest dated value on or before it). */
export function valueAt<T>(p: Param<T>, day: number): T | undefined {
  let found: T | undefined;
  for (const v of p.values) {
    if (v.from <= day) found = v.value;
    else break;
  }
  return found;
}

// ---- compiling a scheme into segments ------------------------------------------------------------

function compileScheme(city: CityId, name: string, data: SchemeData, problems: string[], where: string): Scheme {
  const fromDay = data.period.from;
  const untilDay = data.period.until;
  if (untilDay < fromDay) problems.push(`${where}.period: ${bi(`until ${isoFromDay(untilDay)} is before from ${isoFromDay(fromDay)}`, `结束日期 ${isoFromDay(untilDay)} 早于开始日期 ${isoFromDay(fromDay)}`)}`);
  const params = collectParams(data);
  const cuts = new Set<number>([fromDay]);
  for (const { path, param } of params) {
    const first = param.values[0];
    if (first && first.from > fromDay) {
      problems.push(`${where}.${path}: ${bi(`no value in force on the period's start ${isoFromDay(fromDay)} (first value from ${isoFromDay(first.from)})`, `执行期开始日 ${isoFromDay(fromDay)} 没有正在执行的取值（第一个取值自 ${isoFromDay(first.from)} 起）`)}`);
    }
    for (const v of param.values) if (v.from > fromDay && v.from <= untilDay) cuts.add(v.from);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const segments: Rules[] = [];
  for (let i = 0; i < starts.length; i++) {
    const segFrom = starts[i];
    const segUntil = i + 1 < starts.length ? starts[i + 1] - 1 : untilDay;
    try {
      segments.push(resolveRules(city, name, data, segFrom, segUntil, params));
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  return { name, label: data.label, fromDay, untilDay, periodRef: data.period.ref, segments, data };
}

function resolveRules(
  city: CityId,
  scheme: string,
  d: SchemeData,
  fromDay: number,
  untilDay: number,
  params: Array<{ path: string; param: Param<unknown> }>,
): Rules {
  const at = <T>(p: Param<T>): T => valueAt(p, fromDay) as T;
  const refs: Record<string, string> = {};
  for (const { path, param } of params) refs[path] = param.ref;

  const benefits: Partial<Record<BenefitId, ResolvedBenefit>> = {};
  const ageBands = d.ageBands ? at(d.ageBands) : [];
  const resolveBenefit = (id: BenefitId, seen: BenefitId[] = []): ResolvedBenefit | undefined => {
    if (benefits[id]) return benefits[id];
    const b = d.benefits[id];
    if (!b) return undefined;
    if (seen.includes(id)) throw new Error(`benefits.${id}.rate: ${bi(`sameAs forms a cycle (${[...seen, id].join(" → ")})`, `sameAs（同某待遇）循环引用（${[...seen, id].join(" → ")}）`)}`);
    const mechanism = at(b.deductible.mechanism);
    const amount = b.deductible.amount ? at(b.deductible.amount) : undefined;
    if (mechanism !== "none" && !amount) throw new Error(`benefits.${id}.deductible.amount: ${bi(`required when the mechanism is ${mechanism}`, `起付方式为 ${mechanism} 时必填`)}`);
    const deductibleFen: number[] = [];
    for (let l = 0; l < 3; l++) for (let s = 0; s < 2; s++) deductibleFen.push(amount ? amount[l][s] : 0);

    let rateBp: number[];
    let oldWorkerUpliftBp: number;
    let rateByLevel: string[];
    let retireeRef = "";
    let sameAsAgeUplift: number[] | null = null;
    let communityRateBp: number[] | null = null;
    let communityRef = "";
    if ("sameAs" in b.rate) {
      const otherId = at(b.rate.sameAs);
      const other = resolveBenefit(otherId, [...seen, id]);
      if (!other) throw new Error(`benefits.${id}.rate.sameAs: ${bi(`benefit "${otherId}" is not defined`, `待遇 "${otherId}" 未定义`)}`);
      const up = b.rate.uplift ? at(b.rate.uplift) : 0;
      rateBp = other.rateBp.map((r) => r + up);
      oldWorkerUpliftBp = other.oldWorkerUpliftBp;
      sameAsAgeUplift = other.ageUpliftBp;
      communityRateBp = other.communityRateBp ? other.communityRateBp.map((r) => r + up) : null;
      const own = b.rate.uplift ? `${b.rate.sameAs.ref}; ${b.rate.uplift.ref}` : b.rate.sameAs.ref;
      communityRef = other.refs.communityRate ? `${other.refs.communityRate}; ${own}` : "";
      rateByLevel = other.refs.rateByLevel.map((r) => `${r}; ${own}`);
      retireeRef = other.refs.retireeUplift;
    } else {
      const t = b.rate;
      const retireeUp = t.retireeUplift ? at(t.retireeUplift) : 0;
      rateBp = [];
      for (const cell of [at(t.level1), at(t.level2), at(t.level3)]) {
        rateBp.push(cell.active, cell.retired ?? cell.active + retireeUp);
      }
      oldWorkerUpliftBp = t.oldWorkerUplift ? at(t.oldWorkerUplift) : 0;
      rateByLevel = [t.level1.ref, t.level2.ref, t.level3.ref];
      if (t.community) {
        const cc = at(t.community);
        const cell = [cc.active, cc.retired ?? cc.active + retireeUp];
        communityRateBp = [0, 1, 2].flatMap(() => cell);
        communityRef = t.community.ref;
      }
      if (t.retireeUplift && retireeUp !== 0) retireeRef = t.retireeUplift.ref;
    }
    // A table rate plus its uplifts may pass 100% (an analyst raising a base rate): the uplift then
    // applies up to full reimbursement; adjudication clamps to 0–100% and the trace says so.
    // Age bands: one value per band of the scheme, or none.
    const bands = ageBands.length;
    const upl = "sameAs" in b.rate ? null : b.rate.ageUplift ? at(b.rate.ageUplift) : null;
    if (upl && upl.length !== bands) throw new Error(`benefits.${id}.rate.ageUplift: ${perBand(bands, upl.length)}`);
    const dba = b.deductible.amountByAge ? at(b.deductible.amountByAge) : null;
    if (dba && dba.length !== bands) throw new Error(`benefits.${id}.deductible.amountByAge: ${perBand(bands, dba.length)}`);
    // A benefit with another's rates (sameAs) takes its age uplifts too.
    const ageUpliftBp = sameAsAgeUplift ?? Array.from({ length: bands }, (_, i) => upl?.[i] ?? 0);
    const ageDeductibleFen = Array.from({ length: bands }, (_, i) => (dba ? dba[i].flatMap((x) => x) : null));
    if (b.deductible.community && mechanism === "none") throw new Error(`benefits.${id}.deductible.community: ${bi("the mechanism is none, so there is no deductible to set at a community health centre", "起付方式为 none（不设起付标准），社区卫生服务中心也就没有起付标准可设")}`);
    const caps = at(b.caps);
    for (const c of caps) {
      if (!d.caps[c]) throw new Error(`benefits.${id}.caps: ${bi(`names cap "${c}" but caps.${c} is not defined`, `列出了限额 "${c}"，但 caps.${c} 未定义`)}`);
    }
    const r: ResolvedBenefit = {
      id,
      mechanism,
      pool: b.deductible.pool ? at(b.deductible.pool) : "general",
      perFacility: b.deductible.scope ? at(b.deductible.scope) === "per_facility" : false,
      deductibleFen,
      rateBp,
      oldWorkerUpliftBp,
      ageUpliftBp,
      ageDeductibleFen,
      communityRateBp,
      communityDeductibleFen: b.deductible.community ? at(b.deductible.community).flat() : null,
      accountFirst: b.deductible.accountFirst ? at(b.deductible.accountFirst) : false,
      caps,
      perVisitCapFen: b.perVisitCap ? at(b.perVisitCap).flat() : null,
      refs: {
        benefit: refs[`kinds.${id}`] ?? "",
        deductible: b.deductible.amount?.ref ?? b.deductible.mechanism.ref,
        rateByLevel,
        retireeUplift: retireeRef,
        caps: b.caps.ref,
        perVisitCap: b.perVisitCap?.ref ?? "",
        ageUplift: "sameAs" in b.rate ? (benefits[at(b.rate.sameAs)]?.refs.ageUplift ?? "") : (b.rate.ageUplift?.ref ?? ""),
        ageDeductible: b.deductible.amountByAge?.ref ?? "",
        communityRate: communityRef,
        communityDeductible: b.deductible.community?.ref ?? "",
        accountFirst: b.deductible.accountFirst?.ref ?? "",
      },
    };
    benefits[id] = r;
    return r;
  };
  for (const id of Object.keys(d.benefits) as BenefitId[]) resolveBenefit(id);

  const kindBenefit = { tcm: at(d.kinds.tcm), two_disease: at(d.kinds.two_disease), special_exam: at(d.kinds.special_exam) };
  const ap = d.kinds.atPharmacy;
  const kindBenefitAtPharmacy = {
    tcm: ap?.tcm ? at(ap.tcm) : kindBenefit.tcm,
    two_disease: ap?.two_disease ? at(ap.two_disease) : kindBenefit.two_disease,
    special_exam: ap?.special_exam ? at(ap.special_exam) : kindBenefit.special_exam,
  };
  const nonDesignated = at(d.coverage.nonDesignated);
  const nd = d.coverage.nonDesignatedByArea;
  const nonDesignatedByArea = Object.fromEntries(AREAS.map((a) => [a, nd?.[a] ? at(nd[a]) : nonDesignated])) as Record<Area, "emergency_only" | "excluded">;
  const cf = d.coverage.claimFlags;
  const claimFlags = CLAIM_FLAGS.map((f) => (cf?.[f] ? at(cf[f]) : null));
  // A kind may name a benefit this scheme lacks (a baseline before the benefit existed): such
  // claims are simply not paid in this scheme.
  const pl = at(d.coverage.pharmacy.level);
  const sp = d.secondPayment;
  const capV = sp ? at(sp.cap) : "none";
  const acc = d.accounts;
  return {
    city,
    scheme,
    fromDay,
    untilDay,
    flexibleWithoutAccount: at(d.coverage.flexibleWithoutAccount),
    nonDesignated,
    nonDesignatedByArea,
    claimFlags,
    twoDiseaseWithChronic: d.coverage.twoDiseaseWithChronic ? at(d.coverage.twoDiseaseWithChronic) : "both",
    notChosenFacility: d.coverage.notChosenFacility ? at(d.coverage.notChosenFacility) : { rule: "same", adjustBp: 0 },
    chronicOverflow: at(d.coverage.chronicOverflow),
    duringInpatientStay: d.coverage.duringInpatientStay ? at(d.coverage.duringInpatientStay) : "paid",
    areas: {
      in_province: at(d.coverage.areas.in_province),
      out_of_province: at(d.coverage.areas.out_of_province),
      registered_elsewhere: at(d.coverage.areas.registered_elsewhere),
    },
    pharmacyLevel: pl === "prescribing" ? 0 : (Number(pl.slice(5)) as 1 | 2 | 3),
    pharmacyWithoutPrescription: at(d.coverage.pharmacy.withoutPrescription),
    kindBenefit,
    kindBenefitAtPharmacy,
    benefits,
    generalCapFen: d.caps.general ? at(d.caps.general) : null,
    generalCapGrowth: d.caps.generalGrowth ? at(d.caps.generalGrowth).map((g) => ({ fromYears: g.fromYears, addFen: g.add })) : [],
    pharmacyCapFen: d.caps.pharmacy ? at(d.caps.pharmacy) : null,
    ageBands,
    twoDiseaseCapFen: d.caps.twoDisease
      ? (() => {
          const c = at(d.caps.twoDisease);
          return [c.hypertension, c.diabetes, c.both] as [number, number, number];
        })()
      : null,
    secondPayment: sp ? { thresholdFen: at(sp.threshold), rateBp: at(sp.rate), capFen: capV === "none" ? null : capV } : null,
    accounts: {
      active: at(acc.active),
      flexible: at(acc.flexible),
      flexibleWithoutAccount: at(acc.flexibleWithoutAccount),
      retired: at(acc.retired),
      retiredAged70: acc.retiredAged70 ? at(acc.retiredAged70) : null,
      activeByAge: acc.activeByAge ? at(acc.activeByAge).map((b) => ({ fromAge: b.fromAge, rule: b.credit })) : [],
      retiredByAge: (() => {
        if (acc.retiredByAge && acc.retiredAged70) throw new Error(`accounts: ${bi("give retiredAged70 or retiredByAge, not both (retiredByAge [{fromAge: 70, credit}] says the same)", "retiredAged70 与 retiredByAge 只能给一个（retiredByAge [{fromAge: 70, credit}] 表达的是同一件事）")}`);
        return acc.retiredByAge ? at(acc.retiredByAge).map((b) => ({ fromAge: b.fromAge, rule: b.credit })) : [];
      })(),
      retireeCreditStarts: at(acc.retireeCreditStarts),
      familyUseThresholdFen: (() => {
        const f = acc.familyUse ? at(acc.familyUse) : "none";
        return f === "none" ? null : f.threshold;
      })(),
      arrears: (() => {
        const a = acc.arrears ? at(acc.arrears) : "none";
        return a === "none" ? null : a;
      })(),
      refs: {
        arrears: acc.arrears?.ref ?? "",
        active: acc.active.ref,
        flexible: acc.flexible.ref,
        flexibleWithoutAccount: acc.flexibleWithoutAccount.ref,
        retired: acc.retired.ref,
        retiredAged70: acc.retiredAged70?.ref ?? "",
        activeByAge: acc.activeByAge?.ref ?? "",
        retiredByAge: acc.retiredByAge?.ref ?? "",
        retireeCreditStarts: acc.retireeCreditStarts.ref,
      },
    },
    refs,
  };
}

/** The rules in force on `day`, or null outside the scheme's period. */
export function rulesAt(scheme: Scheme, day: number): Rules | null {
  if (day < scheme.fromDay || day > scheme.untilDay) return null;
  const segs = scheme.segments;
  for (let i = segs.length - 1; i >= 0; i--) if (segs[i].fromDay <= day) return segs[i];
  return null;
}

// ---- scenarios ---------------------------------------------------------------------------------

/** Validate a scenario object (from a file, a link, a calculator input). A path through
 *  `__proto__`, `prototype` or `constructor` is refused by name here: the schema would drop a
 *  `__proto__` key without a word (src/model/scenario-path.ts). */
export function parseScenario(raw: unknown, source: string): Scenario {
  const problems = scenarioPathProblems(raw);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues));
  if (problems.length || !parsed.success) throw new PolicyError(problems, source);
  return parsed.data;
}

/**
 * A city's policy with a scenario applied to its base scheme, compiled: the scenario's scheme and,
 * untouched, the other one. `set` replaces a parameter (all its dates) or, for a path that goes
 * inside a parameter's value (e.g. `benefits.general.rate.level3.retired`), that part of every dated
 * value. `amend` adds a dated value from its date on. The result is validated like a policy file.
 */
export function applyScenario(policy: Policy, scenario: Scenario, source: string): Policy {
  // A copy of the data with nothing shared: the YAML anchors (`coverage: *coverage`) make the
  // reform's and the baseline's nodes one object, which structuredClone would keep one, so an edit
  // of the reform's coverage would reach the baseline's. A JSON round trip writes each out.
  const raw = copyData(policy.raw);
  const base = ownValue(raw, scenario.base);
  if (!isRecord(base)) throw new PolicyError([`base: ${bi(`"${scenario.base}" is not a scheme of ${policy.city}`, `"${scenario.base}" 不是 ${policy.city} 的方案`)}`], source);
  const problems: string[] = [];
  const baseFrom = String(ownValue(ownValue(base, "period"), "from") ?? "");
  for (const [path, value] of Object.entries(scenario.set ?? {})) {
    const err = setScenarioPath(base, path, value, null, scenario.name ?? "scenario");
    if (err) problems.push(`set.${showText(path)}: ${err}`);
  }
  (scenario.amend ?? []).forEach((a, i) => {
    for (const [path, value] of Object.entries(a.set)) {
      const err = setScenarioPath(base, path, value, { from: a.from, periodFrom: baseFrom }, a.ref ?? scenario.name ?? "scenario");
      if (err) problems.push(`amend[${i}].set.${showText(path)}: ${err}`);
    }
  });
  if (problems.length) throw new PolicyError(problems, source);
  try {
    return compilePolicy(raw, source);
  } catch (e) {
    if (e instanceof PolicyError) {
      const unprefixed = (p: string) => p.replace(new RegExp(`^${scenario.base}\\.`), "");
      throw new PolicyError(e.problems.map((p, k) => bi(unprefixed(p), unprefixed(e.problemsZh[k]))), source);
    }
    throw e;
  }
}

/** The scheme a scenario makes of a city's policy (see applyScenario). */
export function schemeForScenario(policy: Policy, scenario: Scenario, source: string): Scheme {
  // A scenario written for another city is refused here, once, for the CLI, the calculator and the pages.
  if (scenario.city && scenario.city !== policy.city) throw new PolicyError([`city: ${bi(`the scenario is for ${scenario.city}, not ${policy.city}`, `此情景适用于 ${scenario.city}，不是 ${policy.city}`)}`], source);
  const scheme = applyScenario(policy, scenario, source)[scenario.base];
  return { ...scheme, name: scenario.name ?? `${scenario.base}+scenario`, label: { zh: scenario.name ?? "情景", en: scenario.name ?? "Scenario" } };
}

export function schemeOf(policy: Policy, name: SchemeName): Scheme {
  return policy[name];
}

/** Day number from an ISO date string, throwing on malformed input (for trusted literals). */
export function day(iso: string): number {
  const d = parseIsoDay(iso);
  if (d === null) throw new Error(`not a date: ${iso}`);
  return d;
}

export type { Kind };
