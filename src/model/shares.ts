// Amounts written as a share of a named average (上年度职工平均工资的2%, …): a scheme's `averages`
// names dated figures (yuan), and any amount of its parameters may be written
// `{shareOf: <name>, percent: "2%"}`. Before validation each such parameter becomes dated values,
// one from each date on which it or the average changes, the amount rounded half-up to the fen;
// its `ref` gains the share and the average's article. The policy file's own text (policy.raw) is
// left as written, so cards and scenarios still see the share.
import { bi } from "./bilingual.ts";
import { showZh } from "./field-problems.ts";
import { isoFromDay, parseIsoDay } from "./dates.ts";
import { showValue } from "./limits.ts";
import { formatFen, parsePercent, parseYuanAnySize } from "./money.ts";
import { copyData, isRawParam, isRecord } from "./scenario-path.ts";

const isShare = (x: unknown): x is { shareOf: unknown; percent: unknown } => isRecord(x) && Object.hasOwn(x, "shareOf");

function hasShare(x: unknown): boolean {
  if (isShare(x)) return true;
  if (Array.isArray(x)) return x.some(hasShare);
  return isRecord(x) && Object.values(x).some(hasShare);
}

/** A raw parameter's values by start day (−Infinity: from the period's start). */
function datedValues(p: Record<string, unknown>): Array<{ from: number; value: unknown }> {
  if (Object.hasOwn(p, "value")) return [{ from: -Infinity, value: p.value }];
  if (!isRecord(p.values)) return [];
  return Object.entries(p.values)
    .map(([k, value]) => ({ from: parseIsoDay(k) ?? NaN, value }))
    .filter((v) => !Number.isNaN(v.from))
    .sort((a, b) => a.from - b.from);
}

function inForce(values: Array<{ from: number; value: unknown }>, day: number): unknown {
  let found: unknown;
  for (const v of values) if (v.from <= day) found = v.value;
  return found;
}

/**
 * The policy's raw data with every share of an average resolved to yuan (a copy), and the problems
 * found, each `path: message` (an unknown average, a malformed share, no average in force).
 */
export function resolveShares(raw: unknown): { data: unknown; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(raw) || !hasShare(raw)) return { data: raw, problems };
  const data = copyData(raw) as Record<string, unknown>;
  for (const schemeName of ["reform", "baseline"]) {
    const scheme = data[schemeName];
    if (!isRecord(scheme)) continue;
    const averages = isRecord(scheme.averages) ? scheme.averages : {};
    const walk = (node: unknown, path: string): void => {
      if (!isRecord(node)) return;
      if (isRawParam(node)) {
        if (hasShare(node.value) || hasShare(node.values)) resolveParam(node, path, averages, problems);
        return;
      }
      for (const [k, v] of Object.entries(node)) if (k !== "averages") walk(v, `${path}.${k}`);
    };
    walk(scheme, schemeName);
  }
  return { data, problems };
}

function resolveParam(p: Record<string, unknown>, path: string, averages: Record<string, unknown>, problems: string[]): void {
  const own = datedValues(p);
  const used = new Set<string>();
  const collect = (x: unknown): void => {
    if (isShare(x)) used.add(String(x.shareOf));
    else if (Array.isArray(x)) x.forEach(collect);
    else if (isRecord(x)) Object.values(x).forEach(collect);
  };
  own.forEach((v) => collect(v.value));
  const avgValues = new Map<string, Array<{ from: number; value: unknown }>>();
  for (const name of used) {
    const a = averages[name];
    if (!isRawParam(a)) {
      problems.push(
        `${path}: shareOf: ${bi(
          `unknown average ${showValue(name)} (expected one of the scheme's averages: ${Object.keys(averages).join(", ") || "none defined"})`,
          `未知的平均值 ${showValue(name)}（应为本方案 averages 中的一个：${Object.keys(averages).join("、") || "本方案未定义任何平均值"}）`,
        )}`,
      );
      return;
    }
    avgValues.set(name, datedValues(a));
  }
  const starts = [...new Set([...own.map((v) => v.from), ...[...avgValues.values()].flatMap((vs) => vs.map((v) => v.from))])].sort((a, b) => a - b);
  const out: Record<string, unknown> = {};
  for (const day of starts) {
    const where = day === -Infinity ? "the period's start" : isoFromDay(day);
    const resolve = (x: unknown, at: string): unknown => {
      if (isShare(x)) {
        const bp = parsePercent(x.percent);
        const avg = parseYuanAnySize(inForce(avgValues.get(String(x.shareOf))!, day));
        if (bp === null || bp < 0) problems.push(`${at}.percent: ${bi(`expected a share such as "2%", got ${showValue(x.percent)}`, `应为比例，如 "2%"，实为 ${showZh(x.percent)}`)}`);
        else if (avg === null) problems.push(`${at}: ${bi(`no value of averages.${String(x.shareOf)} in force from ${where}`, `averages.${String(x.shareOf)} 自${day === -Infinity ? "执行期开始" : ` ${where} `}起没有正在执行的取值`)}`);
        else if (Object.keys(x).some((k) => k !== "shareOf" && k !== "percent")) problems.push(`${at}: ${bi("expected {shareOf, percent} only", "应只含 {shareOf, percent}（所依据的平均值、比例）")}`);
        // Half-up to the fen: fen × bp / 10 000.
        else return formatFen(Math.floor((avg * bp + 5000) / 10000));
        return x;
      }
      if (Array.isArray(x)) return x.map((y, i) => resolve(y, `${at}.${i}`));
      if (isRecord(x)) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, resolve(y, `${at}.${k}`)]));
      return x;
    };
    const v = inForce(own, day);
    // From the period's start only where every average used has an undated value too.
    const ready = [...avgValues.values()].every((vs) => inForce(vs, day) !== undefined);
    const key = Object.hasOwn(p, "value") ? "value" : "values";
    if (v !== undefined && (ready || day !== -Infinity)) out[day === -Infinity ? "" : isoFromDay(day)] = resolve(v, `${path}.${key}`);
  }
  if (problems.length) return;
  const shares = [...used].map((n) => `averages.${n} — ${String((averages[n] as Record<string, unknown>).ref)}`).join("; ");
  p.ref = `${String(p.ref)} (amounts as a share of ${shares})`;
  // Undated throughout: one value; otherwise dated values from the first date an average has (the
  // compiler then checks that one is in force on the period's start).
  if ("" in out) p.value = out[""];
  else {
    delete p.value;
    p.values = out;
  }
}
