// One-at-a-time sensitivity of the last year's months of reserve to each uncertain assumption at
// its 5th and 95th percentiles. Separate from the Monte Carlo, whose quantiles and ratio path it uses.
import { clampToRange } from "../assumption-ranges.ts";
import { quantileOf, ratioPath } from "./monte-carlo.ts";
import { type Assumptions, PARAM_KEYS, type ParamKey, type ProjectionParams } from "./params.ts";
import { type PreparedProjection, projectScheme } from "./project.ts";

export interface TornadoBar {
  key: ParamKey;
  /** The parameter at its 5th and 95th percentiles (others central). */
  low: number;
  high: number;
  /** Months of reserve and balance (city fen) in the last year at low and high. */
  monthsAtLow: number;
  monthsAtHigh: number;
  balanceAtLowFen: number;
  balanceAtHighFen: number;
  /** |monthsAtHigh − monthsAtLow|. */
  swing: number;
}

/** One-at-a-time sensitivity of the last year's months of reserve, largest swing first.
 *  `evaluate` gives the last year's months and balance under a set of parameters (e.g. the
 *  projection itself, or ratioPath averaged over a few population draws). */
export function tornado(a: Assumptions, evaluate: (q: ProjectionParams) => { months: number; balanceFen: number }): { central: { months: number; balanceFen: number }; bars: TornadoBar[] } {
  const bars: TornadoBar[] = [];
  for (const key of PARAM_KEYS) {
    const d = a.dists[key];
    if (!d) continue;
    const low = clampToRange(key, quantileOf(d, a.params[key], 0.05)), high = clampToRange(key, quantileOf(d, a.params[key], 0.95));
    const L = evaluate({ ...a.params, [key]: low }), H = evaluate({ ...a.params, [key]: high });
    bars.push({ key, low, high, monthsAtLow: L.months, monthsAtHigh: H.months, balanceAtLowFen: L.balanceFen, balanceAtHighFen: H.balanceFen, swing: Math.abs(H.months - L.months) });
  }
  bars.sort((x, y) => y.swing - x.swing);
  return { central: evaluate(a.params), bars };
}

/** A tornado for the reference, each evaluation the mean of ratioPath over the given samples. */
export function tornadoByRatio(ref: PreparedProjection, preps: PreparedProjection[], a: Assumptions) {
  const refCentral = projectScheme(ref, a.params, 0);
  const centrals = preps.map((p) => projectScheme(p, a.params, 0));
  const Y = ref.years;
  return tornado(a, (q) => {
    let months = 0, balanceFen = 0;
    preps.forEach((p, i) => {
      const path = ratioPath(ref, refCentral, p, centrals[i], q);
      months += path.months[Y - 1] / preps.length;
      balanceFen += path.balanceFen[Y - 1] / preps.length;
    });
    return { months, balanceFen };
  });
}
