// A person's expected in-catalogue (policy-scope) inpatient and day-surgery cost for the year, from
// the calibrated use and cost by status and age (and the person's known conditions): what the
// generator's draws give on average, before the gamma frailty and the lognormal costs are drawn.
//
// Why: the pooled fund's inpatient line sits outside the outpatient rules (the same under reform and
// baseline) and is heavy-tailed (cost per stay), so summed over a sample's realised stays it carries
// most of a sample's noise in the pooled net — about 90 % of the seed-to-seed variance at 20 000
// persons (measured, docs/projection.md). Summed over persons at its expectation, it is the issue's
// "inpatient spending built from use and cost by status and age" and its noise is only that of the
// sample's status, age and condition mix. The claims themselves stay realised: the person's
// self-pay, account payments and the claim breakdowns read them.
//
// The expectation mirrors src/loaders/population/visits.ts exactly where it matters:
//   stays      ipRate[status, age] × the conditions' multipliers (frailty has mean 1),
//   day surg.  dsRate[status] (no condition multiplier),
//   cost       exp(mu + σ²/2): ipMu / dsMu are solved as log(mean) − σ²/2,
//   scope      E[max(0, 1 − (1 − m)·Exp(1))] = m + (1 − m)·e^(−1/(1 − m)) (the draw is floored at 0).
// Ignored (each below one part in a million here): the cap on one claim's amount, rounding to the
// fen, and the cap on encounters a person can have in a year.
import type { Model } from "./model.ts";
import { AGE_COUNT } from "./model.ts";

/** E[eligible share] of a claim whose share is 1 − (1 − m)·Exp(1), floored at 0. */
export function expectedScopeShare(m: number): number {
  return m >= 1 ? 1 : m + (1 - m) * Math.exp(-1 / (1 - m));
}

const tables = new WeakMap<Model, Float64Array>();

/** Expected in-catalogue inpatient + day-surgery cost (yuan) by status group (0 active/flexible,
 *  1 retired) × age × conditions (bit 1 hypertension, 2 diabetes, 4 chronic/special). */
export function expectedInpatientTable(model: Model): Float64Array {
  let t = tables.get(model);
  if (t) return t;
  t = new Float64Array(2 * AGE_COUNT * 8);
  const scope = expectedScopeShare(model.inpatientScopeShare);
  const dsCost = Math.exp(model.dsMu + (model.dsSigma * model.dsSigma) / 2);
  for (let s = 0; s < 2; s++) {
    const ipCost = Math.exp(model.ipMu[s] + (model.ipSigma * model.ipSigma) / 2);
    for (let age = 0; age < AGE_COUNT; age++) {
      for (let c = 0; c < 8; c++) {
        let mult = 1;
        if (c & 1) mult *= model.ipMult[0];
        if (c & 2) mult *= model.ipMult[1];
        if (c & 4) mult *= model.ipMult[2];
        const stays = model.ipRate[s * AGE_COUNT + age] * mult;
        t[(s * AGE_COUNT + age) * 8 + c] = (stays * ipCost + model.dsRate[s] * dsCost) * scope;
      }
    }
  }
  tables.set(model, t);
  return t;
}

/** A person's expected in-catalogue inpatient + day-surgery cost for the year, whole fen. */
export function expectedInpatientFen(model: Model, retired: boolean, age: number, diseases: number, chronic: boolean): number {
  const c = (diseases & 3) | (chronic ? 4 : 0);
  return Math.round(expectedInpatientTable(model)[((retired ? 1 : 0) * AGE_COUNT + age) * 8 + c] * 100);
}
