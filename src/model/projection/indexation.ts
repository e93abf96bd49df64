// Caps and deductibles indexed over a projection (capIndexation): bureaus raise them from time to
// time; a projection may move them with a share of wage growth. Off by default (the texts' amounts).
import { assertInt32 } from "../limits.ts";
import type { ResolvedBenefit, Rules, Scheme } from "../policy.ts";

/** A yuan amount in fen times `factor`, rounded to the whole yuan (bureaus set round amounts). */
const indexed = (fen: number, factor: number, what: string): number => assertInt32(Math.round((fen * factor) / 100) * 100, what);

/** The scheme with every annual cap and every deductible multiplied by `factor` (1: unchanged). */
export function indexScheme(scheme: Scheme, factor: number): Scheme {
  if (factor === 1) return scheme;
  const where = `${scheme.name}: indexed by ${factor.toPrecision(4)}`;
  const segments = scheme.segments.map((r): Rules => {
    const benefits: Rules["benefits"] = {};
    for (const [id, b] of Object.entries(r.benefits) as Array<[keyof Rules["benefits"], ResolvedBenefit]>) {
      benefits[id] = { ...b, deductibleFen: b.deductibleFen.map((d) => indexed(d, factor, `${where}: benefits.${id} deductible`)) };
    }
    return {
      ...r,
      benefits,
      generalCapFen: r.generalCapFen ? (r.generalCapFen.map((c) => indexed(c, factor, `${where}: caps.general`)) as [number, number]) : null,
      twoDiseaseCapFen: r.twoDiseaseCapFen ? (r.twoDiseaseCapFen.map((c) => indexed(c, factor, `${where}: caps.twoDisease`)) as [number, number, number]) : null,
    };
  });
  return { ...scheme, segments };
}
