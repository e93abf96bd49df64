// A counter-based deterministic random number generator keyed by (seed, person id, stream).
//
// Every draw is a pure function of (seed, personId, stream, counter): nothing depends on the
// order in which persons are generated, on chunk boundaries or on threads. The construction is
// a 32-bit integer hash (a "lowbias32"-style finaliser, Wellons' hash-prospector) applied twice:
//   k1 = H(H(seed ^ C1) ^ personId), k2 = H(k1 ^ H(stream + C2))
//   draw(i) = H(H(k1 + i·φ) ^ k2)
// k1 is a bijection of personId for a given seed, so two persons never share a key; the outer
// xor with k2 decorrelates streams whose Weyl sequences k1 + i·φ happen to overlap.
// All arithmetic is Math.imul / shifts on 32-bit integers: no allocation, no BigInt.

/** Mixes a 32-bit integer (bijective). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

const GOLDEN = 0x9e3779b9 | 0;
const SEED_SALT = 0xa511e9b3 | 0;
const STREAM_SALT = 0x632be5ab | 0;
const INV_2_32 = 1 / 4294967296;

/** The independent streams a person's draws come from. */
export const STREAM = { person: 1, visits: 2 } as const;

/** A stream of draws for one (seed, person, stream). Reuse one instance with `reset` in hot loops. */
export class Rng {
  private k1 = 0;
  private k2 = 0;
  private ctr = 0;

  constructor(seed = 0, personId = 0, stream = 0) {
    this.reset(seed, personId, stream);
  }

  reset(seed: number, personId: number, stream: number): this {
    const k1 = mix32(mix32((seed ^ SEED_SALT) | 0) ^ (personId | 0));
    this.k1 = k1 | 0;
    this.k2 = mix32(k1 ^ mix32((stream + STREAM_SALT) | 0)) | 0;
    this.ctr = 0;
    return this;
  }

  /** The i-th draw of this stream as a uint32 (random access, does not move the counter). */
  at(i: number): number {
    return mix32(mix32((this.k1 + Math.imul(i, GOLDEN)) | 0) ^ this.k2);
  }

  /** Next uint32. */
  nextU32(): number {
    const i = this.ctr++;
    return mix32(mix32((this.k1 + Math.imul(i, GOLDEN)) | 0) ^ this.k2);
  }

  /** Uniform in the open interval (0, 1). */
  next(): number {
    const i = this.ctr++;
    return (mix32(mix32((this.k1 + Math.imul(i, GOLDEN)) | 0) ^ this.k2) + 0.5) * INV_2_32;
  }

  /** Integer in [0, n) for n ≤ 2^32 (multiply-shift; bias < n / 2^32). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal by inversion (one uniform per draw, so draw counts stay fixed). */
  normal(): number {
    return invNormal(this.next());
  }

  /** Exponential with mean 1. */
  exp1(): number {
    return -Math.log(this.next());
  }

  /**
   * Gamma(shape, scale 1) by Marsaglia & Tsang (2000); shape < 1 by the boost
   * Gamma(a) = Gamma(a + 1) · U^(1/a).
   */
  gamma(shape: number): number {
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      return g * Math.pow(this.next(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Poisson(lambda): inversion by sequential search up to 30, a normal approximation above. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const u = this.next();
      let p = Math.exp(-lambda);
      let f = p;
      let k = 0;
      while (u > f && k < 200) {
        k++;
        p *= lambda / k;
        f += p;
      }
      return k;
    }
    const x = Math.floor(lambda + Math.sqrt(lambda) * this.normal() + 0.5);
    return x < 0 ? 0 : x;
  }
}

// Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF, p in (0, 1). */
export function invNormal(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}
