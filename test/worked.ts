// The worked cases both the oracle and the real command are checked against: the shared contract's
// examples (../shared/contract/examples, beside the repository in CI as here) and the hand-worked
// cases of test/cases/*.yaml.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const EXAMPLES = fileURLToPath(new URL("../../shared/contract/examples", import.meta.url));
export const CASES = join(import.meta.dirname, "cases");

export interface Expected {
  claims?: Array<Record<string, string>>;
  totals?: Record<string, string>;
  /** The account credits of the year: the fields listed (`year`, `total`, `fromPooledFund`, and
   *  `months`, each month listing the fields it checks, e.g. {month: 7, credit: "98.00"}). */
  accounts?: Record<string, unknown> & { months?: Array<Record<string, unknown>> };
}
export interface Worked {
  name: string;
  input: any;
  expected: Expected;
}

/** The shared contract's examples, each with its expected fields. */
export function examples(): Worked[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".input.json"))
    .sort()
    .map((f) => {
      const stem = f.replace(/\.input\.json$/, "");
      const expected = JSON.parse(readFileSync(join(EXAMPLES, `${stem}.expected.json`), "utf8"));
      return { name: `example ${stem}: ${expected.why ?? ""}`, input: JSON.parse(readFileSync(join(EXAMPLES, f), "utf8")), expected };
    });
}

/** The hand-worked cases, by file. */
export function cases(): Array<[string, Worked[]]> {
  return readdirSync(CASES)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => [f, parse(readFileSync(join(CASES, f), "utf8")) as Worked[]]);
}

/** The fields the expected object lists ("why" is not a field; {} checks nothing), from the actual output. */
export function pick(actual: any, expected: Expected): Expected {
  const out: Expected = {};
  if (expected.claims) {
    out.claims = expected.claims.map((e, i) => Object.fromEntries(Object.keys(e).map((k) => [k, actual?.claims?.[i]?.[k]])));
  }
  if (expected.totals) out.totals = Object.fromEntries(Object.keys(expected.totals).map((k) => [k, actual?.totals?.[k]]));
  if (expected.accounts) {
    const a = actual?.accounts;
    out.accounts = Object.fromEntries(
      Object.entries(expected.accounts).map(([k, v]) =>
        k === "months" && Array.isArray(v)
          ? [
              k,
              // A month entry naming its `month` is matched by number (a case may list a few months).
              v.map((m: Record<string, unknown>, i: number) => {
                const got = "month" in m ? a?.months?.find((x: { month: unknown }) => x.month === m.month) : a?.months?.[i];
                return Object.fromEntries(Object.keys(m).map((mk) => [mk, got?.[mk]]));
              }),
            ]
          : [k, a?.[k]],
      ),
    );
  }
  return out;
}
