import { describe, expect, it } from "vitest";
import { invNormal, mix32, Rng, STREAM } from "../../src/loaders/population/rng.ts";

describe("counter-based RNG", () => {
  it("gives the same draws for the same (seed, person, stream), whatever was drawn before", () => {
    const a = new Rng(7, 123, STREAM.visits);
    const first = Array.from({ length: 5 }, () => a.nextU32());
    const b = new Rng(1, 1, 1);
    for (let i = 0; i < 100; i++) b.next();
    b.reset(7, 123, STREAM.visits);
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(first);
    expect(a.at(2)).toBe(first[2]);
  });

  it("separates seeds, persons and streams", () => {
    const draw = (s: number, p: number, st: number) => new Rng(s, p, st).nextU32();
    const seen = new Set<number>();
    for (let p = 0; p < 2000; p++) for (const st of [STREAM.person, STREAM.visits]) for (const s of [0, 1]) seen.add(draw(s, p, st));
    expect(seen.size).toBeGreaterThan(7990); // 8000 draws, collisions only by chance
  });

  it("is uniform: deciles of 200k draws within 2% of 10% each", () => {
    const r = new Rng(3, 9, 1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 200_000; i++) bins[Math.floor(r.next() * 10)]++;
    for (const b of bins) expect(Math.abs(b / 20_000 - 1)).toBeLessThan(0.02);
  });

  it("has uncorrelated first draws across consecutive person ids", () => {
    const r = new Rng();
    let sxy = 0;
    let prev = 0;
    const n = 100_000;
    for (let p = 0; p < n; p++) {
      r.reset(11, p, STREAM.person);
      const u = r.next() - 0.5;
      sxy += u * prev;
      prev = u;
    }
    expect(Math.abs(sxy / n / (1 / 12))).toBeLessThan(0.02);
  });

  it("mix32 is a bijection on a sample (no collisions over 1M inputs)", () => {
    const set = new Set<number>();
    for (let i = 0; i < 1 << 20; i++) set.add(mix32(i));
    expect(set.size).toBe(1 << 20);
  });

  it("draws normal, gamma and Poisson with the right mean and variance", () => {
    const r = new Rng(5, 5, 5);
    const n = 100_000;
    const moments = (f: () => number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = f();
        s += x;
        s2 += x * x;
      }
      const m = s / n;
      return { mean: m, variance: s2 / n - m * m };
    };
    const z = moments(() => r.normal());
    expect(Math.abs(z.mean)).toBeLessThan(0.015);
    expect(z.variance).toBeCloseTo(1, 1);
    for (const k of [0.55, 1, 3]) {
      const g = moments(() => r.gamma(k));
      expect(g.mean / k).toBeCloseTo(1, 1);
      expect(g.variance / k).toBeCloseTo(1, 1);
    }
    for (const lambda of [0.3, 4, 50]) {
      const p = moments(() => r.poisson(lambda));
      expect(p.mean / lambda).toBeCloseTo(1, 1);
      expect(p.variance / lambda).toBeCloseTo(1, 1);
    }
    expect(invNormal(0.975)).toBeCloseTo(1.959964, 5);
    expect(invNormal(0.001)).toBeCloseTo(-3.090232, 5);
  });
});
