// The calibration report: every target of a city's calibration beside what the generated
// population gives, with the gap. Targets are calibration values themselves (one number, one
// place): the table below names which values are measured and how.
//
// Utilisation and spending targets are national figures for the national population; a city's own
// population differs from it by its age structure (population.ageTilt) and its retiree share. They
// are therefore measured age-standardised (each status reweighted from the city's ages to the
// national reference ages of the model) and at the national status mix; the city's crude levels
// are listed among the shape rows.

import { KIND, SETTING, STATUS, type Chunk } from "./columns.ts";
import { AGE_COUNT, HTN_BANDS, buildModel, type Model } from "./model.ts";
import type { Calibration, Rating, Scope, Sourced } from "../calibration/schema.ts";

const AGES = AGE_COUNT;

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
  /** The simulated year (birth year + age of any person). */
  year = 0;
  /** By status group s (0 active incl. flexible, 1 retired) and age: index s·AGES + age. Persons,
   *  encounters, spending (fen), stays (inpatient and day surgery) and their cost (fen). */
  byAge = {
    persons: new Float64Array(2 * AGES),
    encounters: new Float64Array(2 * AGES),
    spendFen: new Float64Array(2 * AGES),
    stays: new Float64Array(2 * AGES),
    staysFen: new Float64Array(2 * AGES),
  };
  /** Sum of ages by status group (mean age). */
  ageSum = [0, 0];
  /** Per-person spending (fen) for the concentration measure. */
  private spendSample: number[] = [];

  add(chunk: Chunk): void {
    const p = chunk.persons;
    const c = chunk.claims;
    const n = p.count;
    const perPersonOut = new Uint32Array(n);
    const perPersonFen = new Float64Array(n);
    const perPersonStays = new Uint32Array(n);
    const perPersonStayFen = new Float64Array(n);
    const first = p.firstId;
    if (n > 0 && this.year === 0) this.year = new Date(p.birthDay[0] * 86_400_000).getUTCFullYear() + p.age[0];
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
      } else {
        if (k === KIND.inpatient) this.group.inpatient[p.status[i] === STATUS.retired ? 1 : 0]++;
        perPersonStays[i]++;
        perPersonStayFen[i] += fen;
      }
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
      const x = s * AGES + Math.min(age, AGES - 1);
      const A = this.byAge;
      A.persons[x]++;
      A.encounters[x] += p.claimStart[i + 1] - p.claimStart[i];
      A.spendFen[x] += perPersonFen[i];
      A.stays[x] += perPersonStays[i];
      A.staysFen[x] += perPersonStayFen[i];
      this.ageSum[s] += age;
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
  /** Level of the target's figure (city, province, national) and the year it describes. */
  scope: Scope;
  year?: number;
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

function row(id: string, label: string, s: Sourced<number>, generated: number, unit: TargetRow["unit"]): TargetRow {
  const target = s.value;
  const gap = target === 0 ? 0 : (generated - target) / target;
  const gated = s.rating === "O" || s.rating === "S";
  return { id, label, source: s.source, rating: s.rating, scope: s.scope, year: s.year, note: s.note, target, generated, gap, unit, gated, pass: Math.abs(gap) <= TOLERANCE };
}

/** Per status group, the weight that moves a person of age a from the city's ages to the
 *  reference ages: reference pmf ÷ city pmf (1 where the city has the national structure). */
function standardWeights(model: Model): [Float64Array, Float64Array] {
  return [0, 1].map((s) => {
    const w = new Float64Array(AGES);
    const ref = model.expected.referenceAgePmf[s];
    const own = model.expected.agePmf[s];
    for (let a = 0; a < AGES; a++) w[a] = own[a] > 0 ? ref[a] / own[a] : 0;
    return w;
  }) as [Float64Array, Float64Array];
}

/** Age-standardised measures per status group, from the by-age sums. */
export function standardised(model: Model, st: CalibrationStats) {
  const W = standardWeights(model);
  const A = st.byAge;
  const out = { persons: [0, 0], encounters: [0, 0], spendYuan: [0, 0], stays: [0, 0], staysYuan: [0, 0] };
  for (let s = 0; s < 2; s++) {
    let n = 0;
    let e = 0;
    let f = 0;
    let k = 0;
    let kf = 0;
    for (let a = 0; a < AGES; a++) {
      const x = s * AGES + a;
      const w = W[s][a];
      n += w * A.persons[x];
      e += w * A.encounters[x];
      f += w * A.spendFen[x];
      k += w * A.stays[x];
      kf += w * A.staysFen[x];
    }
    out.persons[s] = n;
    out.encounters[s] = e / n;
    out.spendYuan[s] = f / 100 / n;
    out.stays[s] = k / n;
    out.staysYuan[s] = kf / 100 / n;
  }
  return out;
}

const worse = (a: Rating, b: Rating): Rating => (RATING_ORDER.indexOf(a) >= RATING_ORDER.indexOf(b) ? a : b);
const RATING_ORDER: readonly Rating[] = ["O", "S", "D", "E"];

/** The targets of a calibration measured on the accumulated statistics. Utilisation and spending
 *  are age-standardised to the model's national reference ages and taken at the national status
 *  mix (encounterStandardRetireeShare); the model is rebuilt from the calibration and the
 *  population's year unless given. */
export function targetRows(cal: Calibration, st: CalibrationStats, model: Model = buildModel(cal, st.year)): TargetRow[] {
  const std = standardised(model, st);
  const p0 = cal.utilisation.encounterStandardRetireeShare.value;
  const atMix = (x: number[]) => (1 - p0) * x[0] + p0 * x[1];
  const P = cal.population;
  const D = cal.disease;
  const C = cal.costs;
  const U = cal.utilisation;
  const active = st.byStatus[STATUS.active] + st.byStatus[STATUS.flexible];
  const ratio: Sourced<number> = {
    value: C.spendingRetired.value / C.spendingActive.value,
    source: `${C.spendingRetired.source}; ${C.spendingActive.source}`,
    rating: worse(C.spendingRetired.rating, C.spendingActive.rating),
    scope: C.spendingRetired.scope === C.spendingActive.scope ? C.spendingRetired.scope : "national",
    year: C.spendingRetired.year,
    note: "The ratio of the two spending figures.",
  };
  const mixLabel = "national mix";
  const rows: TargetRow[] = [
    row("retireeShare", "retirees, share of insured", P.retireeShare, st.byStatus[STATUS.retired] / st.persons, "share"),
    row("flexibleShare", "flexible workers, share of active members", P.flexibleShareOfActive, st.byStatus[STATUS.flexible] / active, "share"),
    row("spendingActive", "spending per active member, incl. inpatient (national ages)", C.spendingActive, std.spendYuan[0], "yuan"),
    row("spendingRetired", "spending per retiree, incl. inpatient (national ages)", C.spendingRetired, std.spendYuan[1], "yuan"),
    row("spendingRatio", "spending per capita, retired ÷ active (national ages)", ratio, std.spendYuan[1] / std.spendYuan[0], "ratio"),
    row("encounters", `settled encounters per insured (${mixLabel})`, U.encountersPerInsured, atMix(std.encounters), "count"),
    row("hospitalisation", `hospitalisation rate, stays incl. day surgery (${mixLabel})`, U.hospitalisationRate, atMix(std.stays), "share"),
    row("costPerStay", `cost per stay incl. day surgery (${mixLabel})`, C.costPerStay, atMix(std.staysYuan) / atMix(std.stays), "yuan"),
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
    { label: "encounters per insured, this city's own mix", value: (g.encounters[0] + g.encounters[1]) / st.persons, unit: "count", note: "crude: the city's retiree share and ages" },
    { label: "encounters per active member, own ages", value: g.encounters[0] / g.persons[0], unit: "count", note: "crude" },
    { label: "encounters per retiree, own ages", value: g.encounters[1] / g.persons[1], unit: "count", note: "crude" },
    { label: "spending per insured, this city's own mix", value: (g.spendFen[0] + g.spendFen[1]) / 100 / st.persons, unit: "yuan", note: "crude" },
    { label: "spending per active member, own ages", value: g.spendFen[0] / 100 / g.persons[0], unit: "yuan", note: "crude" },
    { label: "spending per retiree, own ages", value: g.spendFen[1] / 100 / g.persons[1], unit: "yuan", note: "crude" },
    { label: "inpatient stays per insured", value: (g.inpatient[0] + g.inpatient[1]) / st.persons, unit: "count", note: "crude, without day surgery" },
    { label: "mean age, active members", value: st.ageSum[0] / g.persons[0], unit: "count", note: "the city's age structure (ageTilt)" },
    { label: "mean age, retirees", value: st.ageSum[1] / g.persons[1], unit: "count", note: "the city's age structure (ageTilt)" },
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

/** The report as a plain-text table. `measured`: what the measured column is and the report's
 *  first line names (default: the generated population of `seed`; `fundsim calibrate --from`: a
 *  bureau's data). */
export function formatReport(
  model: Model, persons: number, seed: number, rows: TargetRow[], shapes: ShapeRow[],
  measured: { column: string; what: string } = { column: "generated", what: `seed ${seed}` },
): string {
  const head = ["target", "source", "rating", "level", "year", "target value", measured.column, "gap %", "check"];
  const body = rows.map((r) => [
    r.label,
    r.source.length > 52 ? r.source.slice(0, 51) + "…" : r.source,
    r.rating,
    r.scope,
    r.year === undefined ? "—" : String(r.year),
    fmt(r.target, r.unit),
    fmt(r.generated, r.unit),
    (r.gap >= 0 ? "+" : "") + (r.gap * 100).toFixed(2),
    r.gated ? (r.pass ? "ok" : "FAIL") : "(not gated)",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 5 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  const out: string[] = [];
  out.push(`calibration report: ${model.cal.name} (${model.city}), year ${model.year}, ${persons.toLocaleString("en-US")} persons, ${measured.what}`);
  out.push("");
  out.push("ratings: O official, S secondary, D derived, E estimate; O and S targets must be within ±5%");
  out.push("level: where the figure comes from (city, province, national); year: the year it describes");
  const p0 = model.cal.utilisation.encounterStandardRetireeShare.value;
  out.push(`national mix: age-standardised to the national ages, at the national ${(p0 * 100).toFixed(1)}% retired (${model.cal.utilisation.encounterStandardRetireeShare.year ?? "—"})`);
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
