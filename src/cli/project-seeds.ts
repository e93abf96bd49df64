// The seed-to-seed spread of `fundsim project`'s central projection (--seeds, issue 13): the same
// projection on the reference samples of consecutive seeds, and the mean and sample SD of the last
// year's months of reserve. Also used without a run by the projection page's data
// (src/data/projection.json.ts) and scripts/doc-figures.ts.
import { cityCohorts } from "../loaders/projection-cohorts.ts";
import type { Finance } from "../model/finance.ts";
import type { Scheme } from "../model/policy.ts";
import type { ProjectionParams } from "../model/projection/params.ts";
import { prepareProjection, projectScheme, type SchemeProjection } from "../model/projection/project.ts";
import type { CityId } from "../model/types.ts";
import { sampleOf } from "./project-draws.ts";

/** The mean and the sample standard deviation (n − 1 in the denominator; NaN for one value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd };
}

/** The seed-to-seed spread of the central projection: each scheme's last-year months of reserve on
 *  the reference samples of seeds seed … seed + n − 1 (same size, same assumptions). */
export interface SeedSpread {
  seeds: number[];
  persons: number;
  year: number;
  schemes: Array<{ scheme: string; months: number[]; mean: number; sd: number }>;
}

/**
 * Projects the schemes centrally on the reference samples of `seeds` consecutive seeds from `seed`
 * and measures the spread of the last year's months of reserve. `first`, when given, is the
 * projection on `seed` itself (reused, not recomputed). Used by `fundsim project --seeds` and by
 * scripts/doc-figures.ts (the table in docs/projection.md).
 */
export function seedSpread(
  x: { city: CityId; baseYear: number; years: number; persons: number; seed: number; seeds: number; schemes: Scheme[]; baseline: Scheme; finance: Finance; params: ProjectionParams },
  first?: SchemeProjection[],
  onSeed?: (done: number, total: number) => void,
): SeedSpread {
  const seeds = Array.from({ length: x.seeds }, (_, i) => x.seed + i);
  const runs = seeds.map((seed, i) => {
    const r = i === 0 && first
      ? first
      : (() => {
          const prep = prepareProjection({ sample: sampleOf(x.city, x.baseYear, seed, x.persons), baseYear: x.baseYear, years: x.years, schemes: x.schemes, baseline: x.baseline, finance: x.finance, ...cityCohorts(x.city, x.baseYear, x.finance.insured) });
          return x.schemes.map((_, si) => projectScheme(prep, x.params, si));
        })();
    onSeed?.(i + 1, seeds.length);
    return r;
  });
  const schemes = x.schemes.map((_, si) => {
    const months = runs.map((r) => r[si].years[x.years - 1].monthsOfReserve);
    return { scheme: runs[0][si].scheme, months, ...meanSd(months) };
  });
  return { seeds, persons: x.persons, year: x.baseYear + x.years - 1, schemes };
}
