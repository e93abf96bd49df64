// A tunable's value in a compiled scheme, and the scenario an analyst's edits make (the same `set` /
// `amend` format `fundsim run --scenario` reads). Separate from tunables.ts, which derives what can
// be edited from the policy file; this reads and writes values.
import { parseIsoDay } from "./dates.ts";
import { type Scheme, valueAt } from "./policy.ts";
import type { Param, Scenario } from "./policy-schema.ts";
import { defineOwn, isRecord } from "./scenario-path.ts";
import type { Tunable } from "./tunables.ts";
import type { CityId } from "./types.ts";

/** The parameter at a dotted path in a compiled scheme's data. */
function paramAt(data: unknown, path: string): Param<unknown> | undefined {
  let node: unknown = data;
  for (const k of path.split(".")) {
    if (!isRecord(node)) return undefined;
    node = node[k];
  }
  return isRecord(node) && Array.isArray(node.values) ? (node as unknown as Param<unknown>) : undefined;
}

/** Walk a compiled value (by-level arrays of [active, retired], rate cells, credit objects) by the
 *  file's keys. */
function pick(v: unknown, inner: string[]): unknown {
  let x = v;
  for (const k of inner) {
    if (Array.isArray(x)) {
      const level = /^level([123])$/.exec(k);
      if (level && x.length === 3) x = x[Number(level[1]) - 1];
      else if (k === "active" || k === "retired") x = (Array.isArray(x[0]) ? x[0] : x)[k === "active" ? 0 : 1];
      else return undefined;
    } else if (isRecord(x)) x = x[k];
    else return undefined;
  }
  // A one-value notation reads as the first (level 1, active) cell.
  while (Array.isArray(x)) x = x[0];
  if (isRecord(x) && "active" in x) x = x.active;
  return x;
}

/** A tunable's value in force on `isoDate` in a scheme, in the file's units: yuan, percent points
 *  (55 for "55%"), a choice's string, or null for "none". */
export function tunableValue(scheme: Scheme, t: Tunable, isoDate: string): number | string | null | undefined {
  const day = parseIsoDay(isoDate);
  if (day === null) throw new Error(`not a date: ${isoDate}`);
  const p = paramAt(scheme.data, t.param);
  if (!p) return undefined;
  const at = Math.max(day, scheme.fromDay);
  const inForce = valueAt(p, at);
  // An area rule compiles to {excluded, adjustBp}: "same" / "excluded" or a rate adjustment.
  if (isRecord(inForce) && "excluded" in inForce && "adjustBp" in inForce) {
    const a = inForce as { excluded: boolean; adjustBp: number };
    if (t.kind === "choice") return a.excluded ? "excluded" : a.adjustBp === 0 ? "same" : undefined;
    return a.excluded ? undefined : a.adjustBp / 100;
  }
  const v = pick(inForce, t.inner);
  if (t.kind === "choice") return typeof v === "string" ? v : undefined;
  if (v === "none") return null;
  if (typeof v !== "number") return undefined;
  return v / 100; // fen → yuan, basis points → percent points
}

/** The value as a scenario file writes it: 600, "55%", "none", "excluded". */
export function scenarioValue(t: Tunable, v: number | string | null): number | string {
  if (t.kind === "choice") return String(v);
  if (v === null) return "none";
  const n = Math.round(Number(v) * 100) / 100;
  if (t.kind === "percent") return `${n}%`;
  return n;
}

export interface Edits {
  /** Tunable path → value in the file's units (see tunableValue). */
  [path: string]: number | string | null;
}

/**
 * The scenario an analyst's edits make on top of a base scenario (a loaded file, or none): edits of
 * parameters with one value go to `set`; edits of dated parameters to an amendment from 1 January of
 * the simulated year, so the other years keep their own values.
 */
export function scenarioFromEdits(
  tunables: Tunable[],
  edits: Edits,
  year: number,
  base: Scenario | null,
  meta: { city: CityId; name?: string; description?: string },
): Scenario {
  // Paths are copied as own keys (defineOwn), never by assignment or Object.assign, which would
  // reach Object.prototype's `__proto__` setter for a key of that name; scenario-path.ts refuses such
  // a path when the scenario is applied.
  const copy = (o: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) defineOwn(out, k, v);
    return out;
  };
  const set = copy(base?.set ?? {});
  const amend = (base?.amend ?? []).map((a) => ({ ...a, set: copy(a.set) }));
  const dated: Record<string, unknown> = {};
  const byPath = new Map(tunables.map((t) => [t.path, t]));
  for (const [path, v] of Object.entries(edits)) {
    const t = byPath.get(path);
    if (!t) continue;
    const value = scenarioValue(t, v);
    if (t.kind === "choice" && /^coverage\.areas\./.test(t.param) && value !== "same" && value !== "excluded") continue;
    defineOwn(t.dated ? dated : set, path, value);
  }
  const from = `${year}-01-01`;
  if (Object.keys(dated).length) {
    const own = amend.find((a) => a.from === from && a.ref === WHATIF_REF);
    if (own) for (const [k, v] of Object.entries(dated)) defineOwn(own.set, k, v);
    else amend.push({ from, ref: WHATIF_REF, set: dated });
  }
  const out: Scenario = {
    ...(meta.name ?? base?.name ? { name: meta.name ?? base?.name } : {}),
    ...(meta.description ?? base?.description ? { description: meta.description ?? base?.description } : {}),
    city: meta.city,
    base: "reform",
  } as Scenario;
  if (Object.keys(set).length) out.set = set;
  if (amend.length) out.amend = amend;
  return out;
}

/** The `ref` of the amendment the what-if page writes for dated parameters. */
export const WHATIF_REF = "情景分析 what-if";
