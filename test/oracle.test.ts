// The oracle (test/oracle/oracle.ts) against every worked example: the shared contract examples
// and the hand-worked cases in test/cases/*.yaml. Reads nothing of src/ but the list of cities
// found (src/loaders/cities.ts): a city found that the oracle does not transcribe is a skipped test
// saying so, never a silent pass.
import { describe, expect, it } from "vitest";
import { cityIds } from "../src/loaders/cities.ts";
import { hasOracle, noOracleTitle, oracle, ORACLE_CITIES } from "./oracle/oracle.ts";
import { cases, examples, pick } from "./worked.ts";

const casesOf = (city: string) => [...cases()].reduce((n, [, list]) => n + list.filter((c) => c.input.city === city).length, 0);

describe("oracle: every city found", () => {
  const found = cityIds();
  it("transcribes only cities that are found (the five seed cities' policy files are in src/policies)", () => {
    for (const city of ORACLE_CITIES) expect(found).toContain(city);
  });
  for (const city of found) {
    // A transcription is checked by the city's hand-worked cases below: at least six of them.
    if (hasOracle(city)) it(`${city}: transcribed, with at least 6 hand-worked cases`, () => expect(casesOf(city)).toBeGreaterThanOrEqual(6));
    else it.skip(noOracleTitle(city), () => {});
  }
});


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
