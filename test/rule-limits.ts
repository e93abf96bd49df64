// The rule figures the property tests bound the calculator by (caps, deductibles, the pharmacy
// level, the active general rate), for every city found. A city the oracle transcribes
// (test/oracle/oracle.ts) gets them from that transcription of its text, independent of its policy
// file; any other city (a user's, e.g. the made-up one) from its compiled policy file — there the
// properties check that the calculator keeps to the figures its own file states.
import { loadPolicy, resolveScheme } from "../src/loaders/policies.ts";
import { dayFromCivil } from "../src/model/dates.ts";
import { rulesAt, type ResolvedBenefit, type Rules as ModelRules, type Scheme } from "../src/model/policy.ts";
import { hasOracle, oracle, rulesFor } from "./oracle/oracle.ts";

type Level = 1 | 2 | 3;
type Status = "active" | "retired";

export interface Limits {
  /** The general annual cap by status, fen (Infinity: the city has none). */
  capFen: Record<Status, number>;
  /** The largest two-disease sub-cap, fen, and whether two-disease payments also count against the general cap. */
  twoDisease: { capFen: number; sharesGeneralCap: boolean } | null;
  /** Per visit by level, or annual (the general pool's, TCM's own pool's where it has one), fen. */
  deductible: { perVisitFen: Record<Level, number> } | { annualFen: number; tcmAnnualFen: number | null; perFacility: boolean };
  /** A pharmacy claim is paid at this level instead of the prescribing facility's. */
  pharmacyLevel: Level | null;
  /** The active general rate at a level, percentage points. */
  activeRate: Record<Level, number>;
}

const day = (iso: string) => dayFromCivil(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10));
const cellMax = (cells: Array<number[] | null | undefined>, level?: Level) =>
  Math.max(0, ...cells.flatMap((c) => (c ? (level ? [c[(level - 1) * 2], c[(level - 1) * 2 + 1]] : c) : [])));

function schemeOf(city: string, scenario: "reform" | "baseline"): Scheme {
  return resolveScheme(loadPolicy(city), scenario);
}

function fromModel(R: ModelRules): Limits {
  const general = R.benefits.general as ResolvedBenefit | undefined;
  const tcm = R.benefits.tcm as ResolvedBenefit | undefined;
  const two = R.benefits.two_disease as ResolvedBenefit | undefined;
  const growth = (i: 0 | 1) => Math.max(0, ...R.generalCapGrowth.map((g) => g.addFen[i]));
  const deductibleCells = (b: ResolvedBenefit | undefined) => (b ? [b.deductibleFen, ...b.ageDeductibleFen, b.communityDeductibleFen] : []);
  return {
    capFen: R.generalCapFen ? { active: R.generalCapFen[0] + growth(0), retired: R.generalCapFen[1] + growth(1) } : { active: Infinity, retired: Infinity },
    twoDisease: R.twoDiseaseCapFen && two ? { capFen: Math.max(...R.twoDiseaseCapFen), sharesGeneralCap: two.caps.includes("general") } : null,
    deductible:
      general?.mechanism === "per_visit"
        ? { perVisitFen: { 1: cellMax(deductibleCells(general), 1), 2: cellMax(deductibleCells(general), 2), 3: cellMax(deductibleCells(general), 3) } }
        : { annualFen: cellMax(deductibleCells(general)), tcmAnnualFen: tcm?.pool === "tcm" ? cellMax(deductibleCells(tcm)) : null, perFacility: general?.perFacility ?? false },
    pharmacyLevel: R.pharmacyLevel === 0 ? null : R.pharmacyLevel,
    activeRate: { 1: (general?.rateBp[0] ?? 0) / 100, 2: (general?.rateBp[2] ?? 0) / 100, 3: (general?.rateBp[4] ?? 0) / 100 },
  };
}

/** The figures in force on `date` under a scheme. */
export function limitsFor(city: string, scenario: "reform" | "baseline", date: string): Limits {
  if (!hasOracle(city)) {
    const R = rulesAt(schemeOf(city, scenario), day(date));
    if (!R) throw new Error(`${city} ${scenario}: no rules on ${date}`);
    return fromModel(R);
  }
  const R = rulesFor(city, scenario, date);
  const y = (x: number) => Math.round(x * 100);
  return {
    capFen: { active: y(R.cap.active), retired: y(R.cap.retired) },
    twoDisease: R.twoDisease ? { capFen: y(Math.max(...Object.values(R.twoDisease.caps))), sharesGeneralCap: R.twoDisease.sharesGeneralCap } : null,
    deductible:
      "perVisit" in R.deductible
        ? { perVisitFen: { 1: y(R.deductible.perVisit[1]), 2: y(R.deductible.perVisit[2]), 3: y(R.deductible.perVisit[3]) } }
        : { annualFen: y(Math.max(...Object.values(R.deductible.annual))), tcmAnnualFen: R.tcm ? y(Math.max(...Object.values(R.tcm.deductible))) : null, perFacility: R.deductiblePerFacility },
    pharmacyLevel: R.pharmacyLevel,
    activeRate: { 1: R.rate[1].active, 2: R.rate[2].active, 3: R.rate[3].active },
  };
}

/** The largest figures of a city's reform over every date it has rules for (a scenario `set`
 *  replaces a parameter on all dates, so a raise from these never lowers a date's figure). For the
 *  cities the oracle does not transcribe. */
export function reformMaxima(city: string): { capFen: Record<Status, number> | null; twoDiseaseCapFen: [number, number, number] | null; activeRate: Record<Level, number> } {
  const segs = schemeOf(city, "reform").segments;
  const caps = segs.map((s) => s.generalCapFen).filter((c): c is [number, number] => c !== null);
  const twos = segs.map((s) => s.twoDiseaseCapFen).filter((c): c is [number, number, number] => c !== null);
  const rates = segs.map((s) => fromModel(s).activeRate);
  return {
    capFen: caps.length ? { active: Math.max(...caps.map((c) => c[0])), retired: Math.max(...caps.map((c) => c[1])) } : null,
    twoDiseaseCapFen: twos.length ? ([0, 1, 2].map((i) => Math.max(...twos.map((t) => t[i]))) as [number, number, number]) : null,
    activeRate: { 1: Math.max(...rates.map((r) => r[1])), 2: Math.max(...rates.map((r) => r[2])), 3: Math.max(...rates.map((r) => r[3])) },
  };
}

/** Which benefit each claim falls under: the oracle's reading of the kind where it transcribes the
 *  city (independent of the real output's labels), else the calculator's own label. */
export function benefitLabels(input: { city: string; claims: unknown[] }, out: { claims: Array<{ rule?: string }> }): string[] {
  return hasOracle(input.city) ? oracle(input).claims.map((c) => c.rule) : out.claims.map((c) => c.rule ?? "");
}
