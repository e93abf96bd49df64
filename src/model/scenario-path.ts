// The one place a path or a key taken from a user writes into an object (issue 11): a scenario's
// `set` and `amend` paths (`benefits.general.rate.level3.retired`), from a scenario file, a what-if
// link, a calculator link or a page's edits. The CLI, the pipeline and the pages (the bundled
// src/model) all run this code.
//
// A path may not go through `__proto__`, `prototype` or `constructor` (they reach an object's
// prototype, not its data: `a.__proto__.polluted = 1` would give *every* object a `polluted`
// property, in the CLI until it exits and in a page until it is reloaded), and every key must be an
// own property already present in the scheme (Object.hasOwn, never `in`, which also finds inherited
// keys). Inside a parameter's value the one-value notations ("60%" for {active, retired}, one amount
// for the three levels) are expanded first, so the keys they stand for are present.
import { bi, chinese, english } from "./bilingual.ts";
import { showText } from "./limits.ts";

/** Keys that name an object's prototype or constructor, never data. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "prototype", "constructor"];
const FORBIDDEN = new Set(FORBIDDEN_KEYS);

/** A plain object (not null, not an array). */
export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** `node` has `key` as its own property (never an inherited one, never a forbidden key). */
export function hasOwnKey(node: unknown, key: string): node is Record<string, unknown> {
  return isRecord(node) && !FORBIDDEN.has(key) && Object.hasOwn(node, key);
}

/** The own property `key` of `node`, or undefined. */
export function ownValue(node: unknown, key: string): unknown {
  return hasOwnKey(node, key) ? node[key] : undefined;
}

/** Set `key` of `obj` as an own data property, whatever the key (`__proto__` included): the way to
 *  copy user-named keys into a fresh object without reaching a prototype's setter. */
export function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Why a dotted path may not be used (it goes through a forbidden key), or null. */
export function pathProblem(path: string): string | null {
  for (const k of path.split(".")) {
    if (FORBIDDEN.has(k)) return bi(`"${k}" is not a parameter: a path may not go through __proto__, prototype or constructor`, `"${k}" 不是参数：路径不得经过 __proto__、prototype 或 constructor`);
  }
  return null;
}

/**
 * The problems of the paths a scenario object names (`set` and each `amend[i].set`), before any
 * validation: a schema drops a `__proto__` key silently, so the keys are read here as they were
 * written (JSON.parse and YAML make `__proto__` an own key). Each problem names its path.
 */
export function scenarioPathProblems(raw: unknown): string[] {
  const out: string[] = [];
  const check = (set: unknown, where: string) => {
    if (!isRecord(set)) return;
    for (const path of Object.keys(set)) {
      const p = pathProblem(path);
      if (p) out.push(`${where}.${showText(path)}: ${p}`);
    }
  };
  check(ownValue(raw, "set"), "set");
  const amend = ownValue(raw, "amend");
  if (Array.isArray(amend)) amend.forEach((a, i) => check(ownValue(a, "set"), `amend[${i}].set`));
  return out;
}

/** A parameter as a policy file writes it: `value` or `values`, and `ref`. */
export const isRawParam = (x: unknown): x is Record<string, unknown> =>
  isRecord(x) && (Object.hasOwn(x, "value") || Object.hasOwn(x, "values")) && Object.hasOwn(x, "ref");

/** A deep copy of parsed data (JSON values only): no part of it is shared with the original, nor
 *  between its own parts (YAML anchors make one node appear at two places; structuredClone would
 *  keep them one). */
export function copyData<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

/** A dated amendment: the value in force on `from` (the scheme's period starts on `periodFrom`). */
export interface Dated {
  from: string;
  periodFrom: string;
}

/**
 * Set a scenario path in a scheme's raw data (as the policy file writes it), in place. `set`
 * (dated = null) replaces a parameter, or the part of every dated value a path inside the value
 * names; an amendment (dated) adds a value from its date, the one in force then with the change.
 * `ref` is appended to the parameter's article. Returns why the path cannot be set, or null.
 */
export function setScenarioPath(scheme: Record<string, unknown>, path: string, value: unknown, dated: Dated | null, ref: string): string | null {
  const bad = pathProblem(path);
  if (bad) return bad;
  const keys = path.split(".");
  let node: unknown = scheme;
  for (let i = 0; i < keys.length; i++) {
    if (isRawParam(node)) return setInsideParam(node, keys.slice(i), value, dated, ref);
    if (!isRecord(node)) return bi(`no parameter at "${showText(keys.slice(0, i).join("."))}"`, `"${showText(keys.slice(0, i).join("."))}" 处没有参数`);
    if (!Object.hasOwn(node, keys[i])) return bi(`unknown parameter "${showText(keys.slice(0, i + 1).join("."))}"`, `未知的参数 "${showText(keys.slice(0, i + 1).join("."))}"`);
    node = node[keys[i]];
  }
  if (isRawParam(node)) return setInsideParam(node, [], value, dated, ref);
  if (isRecord(node)) return bi(`"${showText(path)}" is a group of parameters, not one parameter`, `"${showText(path)}" 是一组参数，不是单个参数`);
  return bi(`"${showText(path)}" is not a parameter`, `"${showText(path)}" 不是参数`);
}

function setInsideParam(p: Record<string, unknown>, inner: string[], value: unknown, dated: Dated | null, ref: string): string | null {
  if (dated === null) {
    if (Object.hasOwn(p, "values") && isRecord(p.values)) {
      const values = p.values;
      for (const k of Object.keys(values)) {
        const v = putInside(values[k], inner, value);
        if (typeof v === "string") return bi(`${english(v)} (the value from ${showText(k)})`, `${chinese(v)}（自 ${showText(k)} 起的取值）`);
        values[k] = v.value; // k is an own key of values
      }
    } else {
      const v = putInside(p.value, inner, value);
      if (typeof v === "string") return v;
      p.value = v.value;
    }
  } else {
    // The value in force on `from` (with the change applied) from then on.
    let values: Record<string, unknown>;
    if (Object.hasOwn(p, "values") && isRecord(p.values)) values = p.values;
    else {
      values = {};
      defineOwn(values, dated.periodFrom, p.value);
    }
    const inForce = Object.keys(values)
      .filter((k) => k <= dated.from)
      .sort()
      .pop();
    const v = putInside(inForce !== undefined ? values[inForce] : undefined, inner, value);
    if (typeof v === "string") return v;
    defineOwn(values, dated.from, v.value);
    delete p.value;
    p.values = values;
  }
  p.ref = `${String(p.ref)}; ${ref}`;
  return null;
}

const cannotSetInside = (where: string) => bi(`cannot set "${where}" inside this parameter's value`, `无法在此参数的取值中设置 "${where}"`);

/** `old` with `value` at the keys `inner` (a copy; `old` is left as it was), or why it cannot be. */
function putInside(old: unknown, inner: string[], value: unknown): { value: unknown } | string {
  if (inner.length === 0) return { value };
  const where = showText(inner.join("."));
  // A one-value rate cell ("60%") is the active rate; retirees follow via retireeUplift.
  if (inner.length === 1 && inner[0] === "active" && typeof old === "string" && old.trim().endsWith("%")) return { value };
  if (old === undefined) return bi(`no value in force to set "${where}" inside`, `没有正在执行的取值可在其中设置 "${where}"`);
  const top = isRecord(old) ? copyData(old) : expandForInner(old, inner[0]);
  if (!isRecord(top)) return cannotSetInside(where);
  let n = top;
  for (let i = 0; i < inner.length; i++) {
    const k = inner[i];
    if (!Object.hasOwn(n, k)) {
      const has = Object.keys(n).map((x) => `"${showText(x)}"`);
      return bi(
        `cannot set "${where}" inside this parameter's value: it has no "${showText(k)}" (it has ${has.join(", ") || "nothing"})`,
        `无法在此参数的取值中设置 "${where}"：其中没有 "${showText(k)}"（${has.length ? `只有 ${has.join("、")}` : "其中为空"}）`,
      );
    }
    if (i === inner.length - 1) {
      n[k] = value; // an own data property: no setter is reached
      break;
    }
    const next = isRecord(n[k]) ? n[k] : expandForInner(n[k], inner[i + 1]);
    if (!isRecord(next)) return cannotSetInside(where);
    n[k] = next;
    n = next;
  }
  return { value: top };
}

/** A one-value notation written out so that the key set inside it exists: "60%" → {active, retired},
 *  one amount → {level1, level2, level3}. */
function expandForInner(old: unknown, key: string): unknown {
  if (old === undefined || old === null || isRecord(old) || Array.isArray(old)) return undefined;
  if (key === "active" || key === "retired") return { active: old, retired: old };
  if (key === "level1" || key === "level2" || key === "level3") return { level1: old, level2: old, level3: old };
  return undefined;
}
