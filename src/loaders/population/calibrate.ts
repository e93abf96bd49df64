// The calibration report: every target of a city's calibration beside what the generated
// population gives, with the gap. Targets are calibration values themselves (one number, one
// place): the table below names which values are measured and how.

import { KIND, SETTING, STATUS, type Chunk } from "./columns.ts";
import { HTN_BANDS, type Model } from "./model.ts";
import type { Calibration, Rating, Sourced } from "../calibration/schema.ts";

/** Streaming accumulators over generated chunks (no claim is kept). */
export class CalibrationStats {
  persons = 0;
  byStatus = new Float64Array(3);
  /** Status group (0 active incl. flexible, 1 retired): persons, encounters, spending fen, outpatient encounters,
   *  persons without outpatient encounters, sum of squared outpatient counts, inpatient stays. */
  group = { persons: [0, 0], encounters: [0, 0], spendFen: [0, 0], outpatient: [0, 0], zeroOutpatient: [0, 0], outpatientSq: [0, 0], inpatient: [0, 0] };
  /** Outpatient facility claims by level: count, amount fen. */
  levelCount = new Float64Array(3);
  levelFen = new Float64Array(3);
  htnBand = new Float64Array(3);
  bandPersons = new Float64Array(3);
  dmAdults = 0;
  adults = 0;
  diabetics = 0;
  diabetesDiagnosedProxy = 0;
  kindCount = new Float64Array(7);
  pharmacy = 0;
  claims = 0;
  /** Per-person spending (fen) for the concentration measure. */
  private spendSample: number[] = [];

  add(chunk: Chunk): void {
    const p = chunk.persons;
    const c = chunk.claims;
    const n = p.count;
    const perPersonOut = new Uint32Array(n);
    const perPersonFen = new Float64Array(n);
    const first = p.firstId;
    for (let j = 0; j < c.length; j++) {
      const i = c.person[j] - first;
      const k = c.kind[j];
      const fen = c.amountFen[j];
      perPersonFen[i] += fen;
      this.kindCount[k]++;
      if (k !== KIND.inpatient && k !== KIND.day_surgery) {
        perPersonOut[i]++;
        if (c.setting[j] === SETTING.facility) {
          this.levelCount[c.level[j]]++;
          this.levelFen[c.level[j]] += fen;
        } else this.pharmacy++;
      } else if (k === KIND.inpatient) this.group.inpatient[p.status[i] === STATUS.retired ? 1 : 0]++;
    }
    this.claims += c.length;
    const g = this.group;
    for (let i = 0; i < n; i++) {
      const st = p.status[i];
      this.byStatus[st]++;
      const s = st === STATUS.retired ? 1 : 0;
      g.persons[s]++;
      g.encounters[s] += p.claimStart[i + 1] - p.claimStart[i];
      g.spendFen[s] += perPersonFen[i];
      const o = perPersonOut[i];
      g.outpatient[s] += o;
      g.outpatientSq[s] += o * o;
      if (o === 0) g.zeroOutpatient[s]++;
      const age = p.age[i];
      for (let b = 0; b < 3; b++) {
        if (age >= HTN_BANDS[b][0] && age <= HTN_BANDS[b][1]) {
          this.bandPersons[b]++;
          if (p.diseases[i] & 1) this.htnBand[b]++;
        }
      }
      if (age >= 18) {
        this.adults++;
        if (p.diseases[i] & 2) this.dmAdults++;
      }
      if ((i & 15) === 0) this.spendSample.push(perPersonFen[i]);
    }
    this.persons += n;
  }

  /** Share of spending by the top 1% of spenders (on a 1-in-16 sample of persons). */
  top1Share(): number {
    const a = Float64Array.from(this.spendSample).sort();
    let total = 0;
    for (const x of a) total += x;
    let top = 0;
    for (let i = Math.floor(a.length * 0.99); i < a.length; i++) top += a[i];
    return total > 0 ? top / total : 0;
  }
}

export interface TargetRow {
  id: string;
  label: string;
  source: string;
  rating: Rating;
  note?: string;
  target: number;
  generated: number;
  /** (generated − target) / target. */
  gap: number;
  unit: "share" | "yuan" | "count" | "ratio";
  /** O and S targets must be within tolerance. */
  gated: boolean;
  pass: boolean;
}

export interface ShapeRow {
  label: string;
  value: number;
  unit: "share" | "yuan" | "count" | "ratio";
  note: string;
}

export const TOLERANCE = 0.05;

function row(id: string, label: string, s: Sourced<number>, generated: number, unit: TargetRow["unit"], ratingOverride?: { rating: Rating; source: string; note?: string }): TargetRow {
  const src = ratingOverride ?? s;
  const target = s.value;
  const gap = target === 0 ? 0 : (generated - target) / target;
  const gated = src.rating === "O" || src.rating === "S";
  return { id, label, source: src.source, rating: src.rating, note: src.note, target, generated, gap, unit, gated, pass: Math.abs(gap) <= TOLERANCE };
}

/** The targets of a calibration measured on the accumulated statistics. */
export function targetRows(cal: Calibration, st: CalibrationStats): TargetRow[] {
  const g = st.group;
  const perCap = (s: number) => g.spendFen[s] / 100 / g.persons[s];
  const enc = (s: number) => g.encounters[s] / g.persons[s];
  const p0 = cal.utilisation.encounterStandardRetireeShare.value;
  const P = cal.population;
  const D = cal.disease;
  const C = cal.costs;
  const active = st.byStatus[STATUS.active] + st.byStatus[STATUS.flexible];
  const rows: TargetRow[] = [
    row("retireeShare", "retirees, share of insured", P.retireeShare, st.byStatus[STATUS.retired] / st.persons, "share"),
    row("flexibleShare", "flexible workers, share of active members", P.flexibleShareOfActive, st.byStatus[STATUS.flexible] / active, "share"),
    row("spendingActive", "spending per active member (incl. inpatient)", C.spendingActive, perCap(0), "yuan"),
    row("spendingRetired", "spending per retiree (incl. inpatient)", C.spendingRetired, perCap(1), "yuan"),
    row(
      "spendingRatio",
      "spending per capita, retired ÷ active",
      { value: C.spendingRetired.value / C.spendingActive.value, source: C.spendingRetired.source, rating: C.spendingRetired.rating },
      perCap(1) / perCap(0),
      "ratio",
      { rating: C.spendingRetired.rating, source: "8,002 ÷ 2,097 (national 2021, reported 2023-02)", note: "Ratio of the two sourced figures (3.8×)." },
    ),
    row("encounters", `settled encounters per insured, at the national ${(p0 * 100).toFixed(1)}% retired`, cal.utilisation.encountersPerInsured, (1 - p0) * enc(0) + p0 * enc(1), "count"),
    row("visitCostLevel2", "cost per level-2 outpatient visit", C.visitCostLevel2, st.levelFen[1] / 100 / st.levelCount[1], "yuan"),
    row("visitCostLevel3", "cost per level-3 outpatient visit", C.visitCostLevel3, st.levelFen[2] / 100 / st.levelCount[2], "yuan"),
    row("visitCostLevel1", "cost per level-1 outpatient visit", C.visitCostLevel1, st.levelFen[0] / 100 / st.levelCount[0], "yuan"),
  ];
  const bandLabels = ["20–44", "45–64", "65+"];
  for (let b = 0; b < 3; b++) {
    const v = D.hypertensionByBand;
    rows.push(
      row(`hypertension${b}`, `hypertension prevalence, ages ${bandLabels[b]}`, { ...v, value: v.value[b] }, st.htnBand[b] / st.bandPersons[b], "share"),
    );
  }
  return rows;
}

/** Shape measures that have no source (E choices), shown for judgement. */
export function shapeRows(st: CalibrationStats): ShapeRow[] {
  const g = st.group;
  const varOverMean = (s: number) => {
    const m = g.outpatient[s] / g.persons[s];
    return (g.outpatientSq[s] / g.persons[s] - m * m) / m;
  };
  return [
    { label: "active members with no outpatient encounter", value: g.zeroOutpatient[0] / g.persons[0], unit: "share", note: "E: negative binomial, dispersion" },
    { label: "retirees with no outpatient encounter", value: g.zeroOutpatient[1] / g.persons[1], unit: "share", note: "E" },
    { label: "outpatient count variance ÷ mean, active", value: varOverMean(0), unit: "ratio", note: "over-dispersed (> 1)" },
    { label: "outpatient count variance ÷ mean, retired", value: varOverMean(1), unit: "ratio", note: "over-dispersed (> 1)" },
    { label: "encounters per insured, this city's own mix", value: (g.encounters[0] + g.encounters[1]) / st.persons, unit: "count", note: "older cities higher" },
    { label: "inpatient stays per insured", value: (g.inpatient[0] + g.inpatient[1]) / st.persons, unit: "count", note: "E" },
    { label: "pharmacy share of outpatient encounters", value: st.pharmacy / (st.pharmacy + st.levelCount[0] + st.levelCount[1] + st.levelCount[2]), unit: "share", note: "E" },
    { label: "diabetes prevalence, insured adults", value: st.dmAdults / st.adults, unit: "share", note: "12.8% of all adults (O) — the insured are older" },
    { label: "spending share of the top 1% of persons", value: st.top1Share(), unit: "share", note: "heavy tail" },
  ];
}

function fmt(v: number, unit: TargetRow["unit"]): string {
  if (unit === "share") return (v * 100).toFixed(1) + "%";
  if (unit === "yuan") return v.toFixed(1);
  return v.toFixed(unit === "ratio" ? 2 : 2);
}

/** The report as a plain-text table. */
export function formatReport(model: Model, persons: number, seed: number, rows: TargetRow[], shapes: ShapeRow[]): string {
  const head = ["target", "source", "rating", "target value", "generated", "gap %", "check"];
  const body = rows.map((r) => [
    r.label,
    r.source.length > 52 ? r.source.slice(0, 51) + "…" : r.source,
    r.rating,
    fmt(r.target, r.unit),
    fmt(r.generated, r.unit),
    (r.gap >= 0 ? "+" : "") + (r.gap * 100).toFixed(2),
    r.gated ? (r.pass ? "ok" : "FAIL") : "(not gated)",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  const out: string[] = [];
  out.push(`calibration report: ${model.cal.name} (${model.city}), year ${model.year}, ${persons.toLocaleString("en-US")} persons, seed ${seed}`);
  out.push("");
  out.push("ratings: O official, S secondary, D derived, E estimate; O and S targets must be within ±5%");
  out.push("");
  out.push(line(head));
  out.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const b of body) out.push(line(b));
  const failed = rows.filter((r) => r.gated && !r.pass);
  out.push("");
  out.push(
    failed.length === 0
      ? `every O/S target within ±${TOLERANCE * 100}%`
      : `${failed.length} O/S target(s) outside ±${TOLERANCE * 100}%: ${failed.map((r) => r.id).join(", ")}`,
  );
  out.push("");
  out.push("shape (no source; E choices documented in the calibration files):");
  const sw = Math.max(...shapes.map((s) => s.label.length));
  for (const s of shapes) out.push(`  ${s.label.padEnd(sw)}  ${fmt(s.value, s.unit).padStart(8)}  ${s.note}`);
  return out.join("\n");
}
