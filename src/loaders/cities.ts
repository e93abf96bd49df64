// Which cities exist: one policy file each, found in the project's src/policies/ and in every
// directory a user names — `--policies DIR` on any fundsim command, or FUNDSIM_POLICIES=DIR for
// the pages (several directories joined by ":"). A city is its four data files:
//
//   DIR/<id>.yaml               the rules (src/model/policy-schema.ts)
//   DIR/calibration/<id>.yaml   the base-year population and care (extends the national file)
//   DIR/finance/<id>.yaml       the fund's finance (extends the national file)
//   DIR/assumptions/<id>.yaml   the projection's assumptions (extends the national file)
//
// (the project's own cities keep theirs in src/loaders/{calibration,finance,assumptions}/).
// `fundsim new-city ID` writes a commented skeleton of the four. Nothing else names a city: the
// CLI, the data loaders, the pages and the tests all take the list from here (Node) or from
// src/data/cities.json (the browser).
import { existsSync, readdirSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PolicyError } from "../model/policy.ts";
import { showValue } from "../model/limits.ts";
import { CITY_ID_PATTERN } from "../model/types.ts";
import { fileDisplayName, readChecked } from "./yaml-file.ts";

/** The environment variable that adds directories of city files (for the pages and child processes). */
export const POLICIES_ENV = "FUNDSIM_POLICIES";

const LOADERS = dirname(fileURLToPath(import.meta.url));
/** The project's own city files. */
export const PROJECT_DIRS = {
  policies: join(LOADERS, "..", "policies"),
  calibration: join(LOADERS, "calibration"),
  finance: join(LOADERS, "finance"),
  assumptions: join(LOADERS, "assumptions"),
} as const;

/** What a city id is, in words (the pattern: CITY_ID_PATTERN in src/model/types.ts; the id names the policy file, URLs and output columns). */
export const CITY_ID_WORDS = "2–32 characters: lowercase letters a–z, digits and _, starting with a letter";
/** File names in the policy directories that are not cities. */
const NOT_CITIES = new Set(["national"]);

export interface CityFiles {
  policy: string;
  calibration: string;
  finance: string;
  assumptions: string;
}

export interface CityEntry {
  id: string;
  name: { zh: string; en: string };
  province: { zh: string; en: string } | null;
  /** Position in lists (policy file's `listOrder`); cities without one follow, by id. */
  listOrder: number | null;
  /** One of the project's own cities (src/policies). */
  builtin: boolean;
  files: CityFiles;
}

/** The directories a user added, in order: FUNDSIM_POLICIES (":"-separated), absolute. */
export function userPolicyDirs(env: string | undefined = process.env[POLICIES_ENV]): string[] {
  return (env ?? "").split(delimiter).filter((d) => d.trim() !== "").map((d) => resolve(d));
}

/** Checks a directory a user names; the message says which option or variable named it. */
export function policyDirProblem(dir: string): string | null {
  if (!existsSync(dir)) return `no such directory: ${showValue(dir)}`;
  if (!statSync(dir).isDirectory()) return `not a directory: ${showValue(dir)}`;
  return null;
}

/** The light part of a policy file the list needs (the whole file is checked by loadPolicy). */
function readHeader(file: string, id: string): Pick<CityEntry, "name" | "province" | "listOrder"> {
  return readChecked(file, (value) => {
    const v = value as Record<string, unknown>;
    const problems: string[] = [];
    if (v.city !== id) problems.push(`city: must be "${id}", the file's name, got ${showValue(v.city)}`);
    const name = v.name as Record<string, unknown> | undefined;
    if (typeof name !== "object" || name === null || typeof name.zh !== "string" || typeof name.en !== "string" || !name.zh.trim() || !name.en.trim()) {
      problems.push(`name: must be { zh: …, en: … }, the city's name in Chinese and English`);
    }
    const province = v.province as Record<string, unknown> | undefined;
    const order = v.listOrder;
    if (order !== undefined && !(typeof order === "number" && Number.isInteger(order) && order >= 1 && order <= 9999)) {
      problems.push(`listOrder: must be a whole number from 1 to 9999 (the city's place in lists), got ${showValue(order)}`);
    }
    if (problems.length > 0) throw new PolicyError(problems, fileDisplayName(file));
    return {
      name: { zh: String(name!.zh), en: String(name!.en) },
      province: province && typeof province.zh === "string" && typeof province.en === "string" ? { zh: province.zh, en: province.en } : null,
      listOrder: (order as number | undefined) ?? null,
    };
  });
}

function scan(dir: string, builtin: boolean): CityEntry[] {
  const policiesDir = builtin ? PROJECT_DIRS.policies : dir;
  const companion = (kind: "calibration" | "finance" | "assumptions", id: string) => join(builtin ? PROJECT_DIRS[kind] : join(dir, kind), `${id}.yaml`);
  const out: CityEntry[] = [];
  for (const f of readdirSync(policiesDir).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort()) {
    const id = f.replace(/\.ya?ml$/, "");
    if (NOT_CITIES.has(id)) continue;
    const file = join(policiesDir, f);
    if (!CITY_ID_PATTERN.test(id)) throw new PolicyError([`the file's name is the city's id: ${CITY_ID_WORDS}, got ${showValue(id)}`], fileDisplayName(file));
    const files: CityFiles = { policy: file, calibration: companion("calibration", id), finance: companion("finance", id), assumptions: companion("assumptions", id) };
    const missing = (["calibration", "finance", "assumptions"] as const).filter((k) => !existsSync(files[k]));
    if (missing.length > 0) {
      throw new PolicyError(
        missing.map((k) => `${k}: missing ${fileDisplayName(files[k])} (a city is four files: the policy, calibration/, finance/ and assumptions/; \`fundsim new-city ${id} --policies ${fileDisplayName(dir)}\` writes the missing ones)`),
        fileDisplayName(file),
      );
    }
    out.push({ id, ...readHeader(file, id), builtin, files });
  }
  return out;
}

let memo: { key: string; entries: CityEntry[] } | null = null;

/** Every city found, in list order (the project's and the user's directories). Memoised per FUNDSIM_POLICIES. */
export function cityRegistry(): CityEntry[] {
  const dirs = userPolicyDirs();
  const key = dirs.join(delimiter);
  if (memo?.key === key) return memo.entries;
  const entries = scan(PROJECT_DIRS.policies, true);
  for (const dir of dirs) {
    const problem = policyDirProblem(dir);
    if (problem) throw new PolicyError([problem], POLICIES_ENV);
    for (const e of scan(dir, false)) {
      const twin = entries.find((x) => x.id === e.id);
      if (twin) throw new PolicyError([`city "${e.id}" is defined twice: here and in ${fileDisplayName(twin.files.policy)} (each city once)`], fileDisplayName(e.files.policy));
      entries.push(e);
    }
  }
  entries.sort((a, b) => (a.listOrder ?? Infinity) - (b.listOrder ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  memo = { key, entries };
  return entries;
}

/** The ids of every city found, in list order. */
export function cityIds(): string[] {
  return cityRegistry().map((c) => c.id);
}

/** What `--city` and friends say when a city is not found. */
export function unknownCityMessage(id: unknown, option = "city", extra: string[] = []): string {
  const where = ["src/policies", ...userPolicyDirs().map(fileDisplayName)].join(", ");
  return `${option}: must be a city found (${cityIds().join(", ")}: the policy files in ${where})${extra.length ? ` or ${extra.join(" or ")}` : ""}, got ${showValue(id)}`;
}

/** Files given for one city on the command line (`--calibration FILE`, `--finance FILE`) that
 *  replace its own for one command; in the environment so that worker threads and child processes
 *  read the same (set by src/cli/options.ts applyCityFiles). JSON: {city, calibration?, finance?}. */
export const CITY_FILES_ENV = "FUNDSIM_CITY_FILES";
type Replaceable = "calibration" | "finance";

function replacedFiles(): ({ city: string } & Partial<Record<Replaceable, string>>) | null {
  const raw = process.env[CITY_FILES_ENV];
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { city?: unknown; calibration?: unknown; finance?: unknown };
    if (typeof v.city !== "string") throw new Error("no city");
    return { city: v.city, ...(typeof v.calibration === "string" ? { calibration: v.calibration } : {}), ...(typeof v.finance === "string" ? { finance: v.finance } : {}) };
  } catch {
    throw new PolicyError([`must be {"city": …, "calibration"?: FILE, "finance"?: FILE} (set by --calibration/--finance), got ${showValue(raw)}`], CITY_FILES_ENV);
  }
}

/** The entry of one city (with any file the command line replaces); an unknown id is a PolicyError naming the cities found. */
export function cityEntry(id: string): CityEntry {
  const e = cityRegistry().find((c) => c.id === id);
  if (!e) throw new PolicyError([unknownCityMessage(id)], "cities");
  const given = replacedFiles();
  if (given?.city !== id) return e;
  return { ...e, files: { ...e.files, ...(given.calibration ? { calibration: given.calibration } : {}), ...(given.finance ? { finance: given.finance } : {}) } };
}

export function isCity(id: unknown): id is string {
  return typeof id === "string" && cityRegistry().some((c) => c.id === id);
}
