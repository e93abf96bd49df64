// fast-check arbitraries for random, valid calculator inputs (contract:
// /work/shared/contract/calculator.md), one person-year per value, per city.
// Dates: from the reform's start to the end of that year; Jinan two years (its rules change on 2024-01-01).
import fc from "fast-check";
import { cityIds } from "../src/loaders/cities.ts";
import { loadPolicy } from "../src/loaders/policies.ts";
import { isoFromDay, yearOfDay } from "../src/model/dates.ts";

/** Every city found (src/policies and FUNDSIM_POLICIES: the test run adds a made-up one,
 *  test/made-up-city.ts), in list order: the random tests run on each. */
export const CITY_IDS: readonly string[] = cityIds();
/** A city id; the five seed cities get the weights and fields their rules make interesting. */
export type CityName = string;

export interface ContractClaim {
  date: string;
  kind?: string;
  level: 1 | 2 | 3;
  amount: string | number;
  eligible?: string | number;
  setting?: "facility" | "pharmacy";
  area?: "local" | "in_province" | "out_of_province" | "registered_elsewhere";
  designated?: boolean;
  emergency?: boolean;
  prescription?: boolean;
  facility?: string;
}
export interface ContractInput {
  city: CityName;
  scenario?: "reform" | "baseline";
  person: {
    status: "active" | "retired" | "flexible";
    oldWorker?: boolean;
    twoDiseases?: Array<"hypertension" | "diabetes">;
    retiredOn?: string;
    hasAccount?: boolean;
  };
  claims: ContractClaim[];
}

const DAY = 86_400_000;
export const isoDate = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
export const dayOf = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;

/** The calendar range the random claims of a city fall in. */
export function dateRange(city: CityName): { from: string; to: string } {
  const start = loadPolicy(city).reform.fromDay;
  const last = yearOfDay(start) + (city === "jinan" ? 1 : 0);
  return { from: isoFromDay(start), to: `${last}-12-31` };
}

/** Dates where rules switch: the turn of each year in range (Jinan's figures change on 2024-01-01). */
const EDGES = [2022, 2023, 2024, 2025, 2026, 2027].flatMap((y) => [`${y}-01-01`, `${y}-12-31`]);

/** A date in [from, to], now and then one of the edges of a year. */
export const dateIn = (from: string, to: string): fc.Arbitrary<string> => {
  const uniform = fc.integer({ min: dayOf(from), max: dayOf(to) }).map(isoDate);
  const edges = EDGES.filter((d) => d >= from && d <= to);
  return fc.oneof({ arbitrary: uniform, weight: 9 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
};

/** Fen → yuan string with two decimals. */
export const yuan = (fen: number): string => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;

/** Amounts in fen: zero, cents, ordinary visits, big bills, and very large ones. */
export const fenArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 99 }), weight: 2 },
  { arbitrary: fc.integer({ min: 100, max: 100_000 }), weight: 24 }, // up to 1000 yuan
  { arbitrary: fc.integer({ min: 100_000, max: 1_000_000 }), weight: 3 }, // up to 10 000 yuan
  { arbitrary: fc.integer({ min: 1_000_000, max: 100_000_000 }), weight: 1 }, // up to 1 000 000 yuan
);

/** The same amount written the ways the contract allows: "12.50", "12.5", "12", or the number 12.5. */
export const amountText = (fen: number): fc.Arbitrary<string | number> =>
  fc.constantFrom<"fixed" | "short" | "number">("fixed", "fixed", "short", "number").map((how) => {
    if (how === "fixed") return yuan(fen);
    if (how === "number") return fen / 100;
    return String(fen / 100); // shortest form: "12.5", "12", "0.05"
  });

/** Claim kinds, weighted; more TCM and two-disease claims where those have their own benefit. */
const kindsWeighted = (city: CityName) =>
  fc.oneof(
    { arbitrary: fc.constant("general"), weight: 12 },
    { arbitrary: fc.constant("tcm"), weight: city === "ganzhou" ? 6 : 3 },
    { arbitrary: fc.constant("two_disease"), weight: city === "ganzhou" || city === "neijiang" ? 8 : 3 },
    { arbitrary: fc.constant("special_exam"), weight: 2 },
    { arbitrary: fc.constant("chronic_special"), weight: 2 },
    { arbitrary: fc.constant("inpatient"), weight: 1 },
    { arbitrary: fc.constant("day_surgery"), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 2 }, // default: general
  );

const AREAS_WEIGHTED = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 10 },
  { arbitrary: fc.constant("local" as const), weight: 2 },
  { arbitrary: fc.constant("in_province" as const), weight: 2 },
  { arbitrary: fc.constant("out_of_province" as const), weight: 2 },
  { arbitrary: fc.constant("registered_elsewhere" as const), weight: 2 },
);

/** A flag that is usually left out (its default), sometimes written either way. */
const rareFlag = (def: boolean) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: fc.constant(def), weight: 1 }, { arbitrary: fc.constant(!def), weight: 2 });

/** Drop keys whose value is undefined, so the object is what JSON would carry. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function claimArb(city: CityName, date: fc.Arbitrary<string>): fc.Arbitrary<ContractClaim> {
  return fc
    .record({
      date,
      kind: kindsWeighted(city),
      level: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
      fen: fenArb,
      eligibleShare: fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 100 }), weight: 1 }),
      setting: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom("facility" as const, "pharmacy" as const), weight: 2 }),
      prescription: rareFlag(true),
      area: AREAS_WEIGHTED,
      designated: rareFlag(true),
      emergency: rareFlag(false),
      facility: city === "jinan" ? fc.option(fc.constantFrom("A", "B", "C"), { nil: undefined, freq: 2 }) : fc.constant(undefined),
    })
    .chain((r) => {
      // eligible ≤ amount: absent (= amount), or a share of it, written in any allowed form
      const eligibleFen = r.eligibleShare < 0 ? null : Math.floor((r.fen * r.eligibleShare) / 100);
      return fc.tuple(amountText(r.fen), eligibleFen === null ? fc.constant(undefined) : amountText(eligibleFen)).map(([amount, eligible]) =>
        compact<ContractClaim>({
          date: r.date,
          kind: r.kind,
          level: r.level,
          amount,
          eligible,
          setting: r.setting,
          prescription: r.setting === "pharmacy" ? r.prescription : undefined,
          area: r.area,
          designated: r.designated,
          emergency: r.emergency,
          facility: r.facility,
        }),
      );
    });
}

export function personArb(city: CityName): fc.Arbitrary<ContractInput["person"]> {
  const { from, to } = dateRange(city);
  return fc
    .record({
      status: fc.constantFrom("active" as const, "retired" as const, "flexible" as const),
      retiredOn: fc.option(dateIn(from, to), { nil: undefined, freq: 2 }), // mid-year retirement about half the time
      oldWorker: city === "jinan" ? rareFlag(false) : fc.constant(undefined),
      twoDiseases: fc.option(fc.subarray(["hypertension", "diabetes"] as Array<"hypertension" | "diabetes">), {
        nil: undefined,
        freq: city === "ganzhou" || city === "neijiang" ? 3 : 1,
      }),
      hasAccount: rareFlag(true),
    })
    .map((p) =>
      compact({
        status: p.status,
        // a start date of retiree benefits only makes sense for a retiree
        retiredOn: p.status === "retired" ? p.retiredOn : undefined,
        // 建国前老工人 are retirees
        oldWorker: p.status === "retired" ? p.oldWorker : undefined,
        twoDiseases: p.twoDiseases,
        // 统账结合 vs 单建统筹 is a flexible worker's choice
        hasAccount: p.status === "flexible" ? p.hasAccount : undefined,
      }),
    );
}

export interface InputOptions {
  /** Claims with pairwise distinct dates (for order-independence). */
  distinctDates?: boolean;
  /** Allow scenario "baseline" (default: reform only, sometimes written out, sometimes omitted). */
  baseline?: boolean;
  maxClaims?: number;
}

/** How many claims a person-year has: often a few, often many (so that caps are reached). */
const claimCount = (max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 1, max: Math.min(8, max) }), fc.integer({ min: 1, max }));

/** A random person-year for one city. */
export function contractInput(city: CityName, opts: InputOptions = {}): fc.Arbitrary<ContractInput> {
  const { from, to } = dateRange(city);
  const maxClaims = opts.maxClaims ?? 40;
  const scenario = opts.baseline
    ? fc.constantFrom<"reform" | "baseline" | undefined>(undefined, "reform", "baseline")
    : fc.constantFrom<"reform" | undefined>(undefined, "reform");
  const claims = opts.distinctDates
    ? claimCount(maxClaims)
        .chain((n) => fc.uniqueArray(fc.integer({ min: dayOf(from), max: dayOf(to) }), { minLength: n, maxLength: n }))
        .chain((days) =>
          fc
            .array(claimArb(city, fc.constant("")), { minLength: days.length, maxLength: days.length })
            .map((cs) => cs.map((c, i) => ({ ...c, date: isoDate(days[i]) }))),
        )
    : // a few dates shared by several claims, so that ties (input order) happen
      fc
        .tuple(fc.array(dateIn(from, to), { minLength: 1, maxLength: 8 }), claimCount(maxClaims))
        .chain(([pool, n]) =>
          fc.array(claimArb(city, fc.oneof(dateIn(from, to), fc.constantFrom(...pool))), { minLength: n, maxLength: n }),
        );
  return fc
    .record({ scenario, person: personArb(city), claims })
    .map((r) => compact<ContractInput>({ city, scenario: r.scenario, person: r.person, claims: r.claims }));
}
