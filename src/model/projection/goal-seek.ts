// Goal-seek: the scheme parameters a bureau can move (levers), the scenario a lever's value makes,
// and the bisection for the value that keeps a target months of reserve. Separate: it writes
// scenarios and compiles them, where the rest of the folder only projects given schemes.
import { isoFromDay } from "../dates.ts";
import { MAX_ADJUSTMENT_BP, MAX_AMOUNT_YUAN, MAX_RATE_BP } from "../limits.ts";
import { formatBp } from "../money.ts";
import { type Policy, PolicyError, type Scheme, schemeForScenario } from "../policy.ts";
import type { Scenario } from "../policy-schema.ts";
import { projectDraws, quantile } from "./monte-carlo.ts";
import type { Assumptions, ProjectionParams, UncertaintySource } from "./params.ts";
import { prepareProjection, type ProjectionInput, projectScheme } from "./project.ts";
import type { BaseSample } from "./year-sample.ts";

/** What a lever at x writes into a scenario: `set` entries, and `amend` entries for a parameter
 *  whose dated values the lever keeps (the rate shift keeps Jinan-style dated steps, each shifted). */
export interface LeverChange {
  set: Record<string, unknown>;
  amend?: NonNullable<Scenario["amend"]>;
}

interface Lever {
  /** The scenario path(s) the lever amends (for the docs, the page and projection.json). */
  path: string;
  unit: string;
  step: number;
  /** The default search range… */
  lo: number;
  hi: number;
  /** …and the widest one accepted (--lo/--hi, the page): what the scenario's schema accepts. */
  min: number;
  max: number;
  label: string;
  /** The change at x; `scheme()` is the scheme the lever is applied to (compiled only for a lever
   *  that reads its current values). */
  change: (x: number, scheme: () => Scheme) => LeverChange;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** A rate in basis points as a policy file writes it, held within 0–100 % (what the schema accepts). */
const rateText = (bp: number) => formatBp(Math.min(10_000, Math.max(0, bp)));

/**
 * Every general outpatient rate cell (levels 1–3; active and retired where the text lists both)
 * moved by x percentage points — the way bureaus announce a rate change ("支付比例提高5个百分点"):
 * the gradient between levels and the retiree and old-worker uplifts stay as the text sets them.
 * A cell with dated values keeps its dates, each value shifted (`set` for the first, `amend` for
 * the later ones). Benefits that use general pooling's rates (Ganzhou's TCM) move with them.
 */
export function rateShiftChange(x: number, scheme: () => Scheme): LeverChange {
  const s = scheme();
  const rate = s.data.benefits.general?.rate;
  if (!rate || !("level1" in rate)) {
    throw new PolicyError([`benefits.general.rate: the ${s.name} scheme has no general outpatient rates to shift`], "goal-seek");
  }
  const bp = Math.round(x * 100);
  const cell = (v: { active: number; retired: number | null }): unknown =>
    v.retired === null ? rateText(v.active + bp) : { active: rateText(v.active + bp), retired: rateText(v.retired + bp) };
  const set: Record<string, unknown> = {};
  const byDate = new Map<string, Record<string, unknown>>();
  for (const level of ["level1", "level2", "level3"] as const) {
    const path = `benefits.general.rate.${level}`;
    rate[level].values.forEach((v, i) => {
      if (i === 0) set[path] = cell(v.value);
      else {
        const from = isoFromDay(v.from);
        if (!byDate.has(from)) byDate.set(from, {});
        byDate.get(from)![path] = cell(v.value);
      }
    });
  }
  const ref = `goal-seek: general outpatient rates ${bp >= 0 ? "+" : ""}${formatBp(bp)} (percentage points)`;
  const amend = [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([from, s]) => ({ from, ref, set: s }));
  return amend.length ? { set, amend } : { set };
}

/** The scheme parameters goal-seek can move, as scenario paths (policy files' names). */
export const LEVERS = {
  cap: { path: "caps.general", unit: "yuan", step: 1, lo: 0, hi: 20_000, min: 0, max: MAX_AMOUNT_YUAN, label: "general outpatient annual cap (yuan)", change: (x) => ({ set: { "caps.general": x } }) },
  deductible: {
    path: "benefits.general.deductible.amount", unit: "yuan", step: 1, lo: 0, hi: 5_000, min: 0, max: MAX_AMOUNT_YUAN, label: "general outpatient deductible (yuan)",
    change: (x) => ({ set: { "benefits.general.deductible.amount": x } }),
  },
  rate: {
    path: "benefits.general.rate.level1/level2/level3", unit: "percentage points", step: 0.1, lo: -30, hi: 30, min: -MAX_ADJUSTMENT_BP / 100, max: MAX_ADJUSTMENT_BP / 100,
    label: "general outpatient rates at every level, shifted (percentage points)", change: rateShiftChange,
  },
  "retiree-credit": {
    path: "accounts.retired", unit: "yuan a month", step: 1, lo: 0, hi: 500, min: 0, max: MAX_AMOUNT_YUAN, label: "retiree account credit (yuan a month, paid by the pool)",
    change: (x) => ({ set: { "accounts.retired": { fixed: x } } }),
  },
  "active-credit": {
    path: "accounts.active", unit: "% of base", step: 0.1, lo: 0, hi: 8, min: 0, max: MAX_RATE_BP / 100, label: "active account credit (% of the contribution base)",
    change: (x) => ({ set: { "accounts.active": { percentOfBase: `${round1(x)}%` } } }),
  },
} as const satisfies Record<string, Lever>;
export type LeverId = keyof typeof LEVERS;
export const LEVER_IDS = Object.keys(LEVERS) as LeverId[];

/** A scenario with the lever at x, on top of `base` (its own `set` and `amend` kept; the lever's
 *  value replaces every dated value of the parameter — the rate shift shifts each — and a later
 *  amendment of the parameter in `base` still applies from its date, except the rate shift's,
 *  which is computed after `base`'s amendments and so overrides them). */
export function leverScenario(policy: Policy, lever: LeverId, x: number, base: Scenario | null): Scenario {
  const L: Lever = LEVERS[lever];
  const c = L.change(x, () => (base ? schemeForScenario(policy, { ...base, city: policy.city }, "scenario") : policy.reform));
  const out: Scenario = {
    ...(base ?? { base: "reform" as const }),
    name: `${base?.name ?? "reform"} + ${lever} ${round1(x)}`,
    city: policy.city,
    set: { ...(base?.set ?? {}), ...c.set },
  };
  if (c.amend) out.amend = [...(base?.amend ?? []), ...c.amend];
  return out;
}

export interface GoalSeekResult {
  /** The value found (on the lever's grid), or null when no value in [lo, hi] meets the target. */
  value: number | null;
  /** The result at the value (or at the better end when none meets the target). */
  achieved: number;
  target: number;
  /** The whole range keeps the target: the value is the range's more generous end. */
  wholeRange: boolean;
  /** Evaluations at the ends and every step. */
  evaluations: Array<{ x: number; y: number }>;
}

/**
 * Find the value of a monotone lever on the grid lo + k·step for which `evaluate` (e.g. months of
 * reserve in the last year) is ≥ target and as close to it as the grid allows: the most generous
 * cap, the lowest deductible, the highest credit that still keeps the reserve. Bisection.
 */
export function goalSeek(evaluate: (x: number) => number, lo: number, hi: number, step: number, target: number): GoalSeekResult {
  const evaluations: Array<{ x: number; y: number }> = [];
  const f = (k: number) => {
    const x = lo + k * step;
    const y = evaluate(x);
    evaluations.push({ x, y });
    return y;
  };
  let kGood: number, kBad: number;
  const K = Math.round((hi - lo) / step);
  const y0 = f(0), yK = f(K);
  const ok0 = y0 >= target, okK = yK >= target;
  if (ok0 && okK) {
    // Both ends keep the target: the more generous end is the answer — which end that is depends
    // on the lever; report the end with the result nearer the target.
    const k = Math.abs(y0 - target) <= Math.abs(yK - target) ? 0 : K;
    return { value: round1(lo + k * step), achieved: k === 0 ? y0 : yK, target, wholeRange: true, evaluations };
  }
  if (!ok0 && !okK) return { value: null, achieved: Math.max(y0, yK), target, wholeRange: false, evaluations };
  [kGood, kBad] = ok0 ? [0, K] : [K, 0];
  let yGood = ok0 ? y0 : yK;
  while (Math.abs(kGood - kBad) > 1) {
    const mid = Math.floor((kGood + kBad) / 2);
    const y = f(mid);
    if (y >= target) [kGood, yGood] = [mid, y];
    else kBad = mid;
  }
  return { value: round1(lo + kGood * step), achieved: yGood, target, wholeRange: false, evaluations };
}

export interface LeverSeek {
  lever: LeverId;
  /** Months of reserve to keep (at least). */
  target: number;
  /** The calendar year whose closing months of reserve must meet the target (default: the last). */
  year?: number;
  /** The search range (default: the lever's). */
  lo?: number;
  hi?: number;
  /** Seek on the Monte Carlo band instead of the central path: "percentile" — the `level`-th
   *  percentile (0–100) of the year's months must reach the target; "probability" — the chance
   *  that the year's months fall below the target must be at most `level` (0–1), i.e. its
   *  level-quantile must reach the target. Every evaluation runs the same draws (common random
   *  numbers: the seed fixed), so the result is monotone in the lever up to the draws' noise. */
  band?: {
    kind: "percentile" | "probability";
    level: number;
    assumptions: Assumptions;
    samples: BaseSample[];
    draws: number;
    seed: number;
    sources?: UncertaintySource[];
  };
}

/** The quantile (0–1) of the months a band target asks for. */
export const bandQuantile = (band: NonNullable<LeverSeek["band"]>) => (band.kind === "percentile" ? band.level / 100 : band.level);

export interface LeverSeekResult extends GoalSeekResult {
  lever: LeverId;
  year: number;
  lo: number;
  hi: number;
  step: number;
  /** The scenario with the value found (null when none is). */
  scenario: Scenario | null;
}

/**
 * Goal-seek of a lever on a projection: the city's policy, a base scenario (null: the reform), the
 * sample and the numeric parameters fixed; each evaluation builds the lever's scenario, compiles
 * it, and projects it to the target year. The CLI, the page's build and its worker all call this.
 */
export function goalSeekLever(
  policy: Policy,
  base: Scenario | null,
  input: Omit<ProjectionInput, "schemes" | "params">,
  params: ProjectionParams,
  seek: LeverSeek,
  onStep?: (done: number, expected: number, x: number, months: number) => void,
): LeverSeekResult {
  const L: Lever = LEVERS[seek.lever];
  if (!L) throw new RangeError(`goal-seek: unknown lever ${seek.lever}`);
  const lo = seek.lo ?? L.lo, hi = seek.hi ?? L.hi;
  if (!(lo < hi)) throw new RangeError(`goal-seek: the range must have lo < hi, got ${lo}–${hi}`);
  if (!(lo >= L.min && hi <= L.max)) throw new RangeError(`goal-seek: the ${seek.lever} lever's range must lie within ${L.min} to ${L.max} (${L.unit}), got ${lo}–${hi}`);
  const last = input.baseYear + input.years - 1;
  const year = seek.year ?? last;
  const t = year - input.baseYear;
  if (!Number.isInteger(t) || t < 0 || t >= input.years) throw new RangeError(`goal-seek: the target year must be ${input.baseYear}–${last}, got ${year}`);
  const expected = Math.ceil(Math.log2((hi - lo) / L.step)) + 2;
  let done = 0;
  const band = seek.band;
  if (band && !(band.kind === "percentile" ? band.level > 0 && band.level < 100 : band.level > 0 && band.level < 1)) {
    throw new RangeError(`goal-seek: the ${band.kind} must lie within ${band.kind === "percentile" ? "0–100" : "0–1"} (exclusive), got ${band.level}`);
  }
  const evaluate = (x: number) => {
    const scheme = schemeForScenario(policy, leverScenario(policy, seek.lever, x, base), "goal-seek");
    // Years after the target cannot change it (the path is causal): project up to it only.
    let months: number;
    if (band) {
      const r = projectDraws({
        reference: input.sample, samples: band.samples, baseYear: input.baseYear, years: t + 1, scheme, baseline: input.baseline, finance: input.finance, insured: input.insured,
        structure: input.structure, rules: input.rules, assumptions: { ...band.assumptions, params }, draws: band.draws, seed: band.seed, sources: band.sources,
      });
      months = quantile(r.draws.map((d) => d.monthsPath[t]), bandQuantile(band));
    } else {
      const prep = prepareProjection({ ...input, years: t + 1, schemes: [scheme] });
      months = projectScheme(prep, params, 0).years[t].monthsOfReserve;
    }
    onStep?.(++done, expected, x, months);
    return months;
  };
  const r = goalSeek(evaluate, lo, hi, L.step, seek.target);
  return { ...r, lever: seek.lever, year, lo, hi, step: L.step, scenario: r.value === null ? null : leverScenario(policy, seek.lever, r.value, base) };
}
