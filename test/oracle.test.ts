// The oracle (test/oracle/oracle.ts) against every worked example: the shared contract examples
// and the hand-worked cases in test/cases/*.yaml. Needs nothing from src/.
import { describe, expect, it } from "vitest";
import { oracle } from "./oracle/oracle.ts";
import { cases, examples, pick } from "./worked.ts";


describe("oracle: shared contract examples", () => {
  const all = examples();
  it("finds the examples", () => expect(all.length).toBeGreaterThanOrEqual(5));
  for (const ex of all) {
    it(ex.name, () => {
      const got = oracle(ex.input);
      expect(got.claims).toHaveLength(ex.input.claims.length);
      expect(pick(got, ex.expected)).toEqual({ claims: ex.expected.claims, totals: ex.expected.totals });
    });
  }
});

describe("oracle: hand-worked cases", () => {
  const files = cases();
  it("has at least 6 cases for each of the five cities", () => {
    const byCity = new Map<string, number>();
    for (const [, list] of files) for (const c of list) byCity.set(c.input.city, (byCity.get(c.input.city) ?? 0) + 1);
    for (const city of ["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"]) expect(byCity.get(city) ?? 0).toBeGreaterThanOrEqual(6);
  });
  for (const [file, list] of files) {
    describe(file, () => {
      for (const c of list) {
        it(c.name, () => {
          const got = oracle(c.input);
          expect(got.claims).toHaveLength(c.input.claims.length);
          // every case lists all three figures of every claim and all totals
          expect(c.expected.claims).toHaveLength(c.input.claims.length);
          expect(pick(got, c.expected)).toEqual(c.expected);
          // the claim's figures split the amount exactly
          for (const cl of got.claims) expect((Number(cl.fund) * 100 + Number(cl.outOfPocket) * 100).toFixed(0)).toBe((Number(cl.amount) * 100).toFixed(0));
        });
      }
    });
  }
});
