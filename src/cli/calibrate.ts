// `fundsim calibrate --city X|all [--persons N] [--year Y] [--seed S] [--json]`: every calibration
// target beside what the generated population gives, with the gap. Exits 1 when an O or S
// target is outside ±5%, 2 on a bad argument.
// `fundsim calibrate --city X --from DIR`: a bureau's own persons and claims (the format of
// `fundsim run --data`, src/loaders/microdata.ts) measured the same way, beside the targets and
// beside a generated population of the city by status and age band, so the bureau sees where its
// data differ from the model. Differences are the point there, so nothing is gated (exit 0).

import type { Command } from "commander";
import { cityIds } from "../loaders/cities.ts";
import { cityModel, generateChunk } from "../loaders/population/index.ts";
import { CalibrationStats, formatReport, shapeRows, targetRows, type ShapeRow, type TargetRow } from "../loaders/population/calibrate.ts";
import { parsePopulationArgs, type PopulationArgs } from "./simulate.ts";
import { Microdata, MicrodataError } from "../loaders/microdata.ts";
import { printable } from "../loaders/read-input.ts";
import { AGE_BANDS, ageBandCode } from "../loaders/population/columns.ts";
import type { CityId } from "../model/types.ts";
import { showText } from "../model/limits.ts";
import { addCityFileOptions, applyCityFiles } from "./options.ts";

export const DEFAULT_CALIBRATE_PERSONS = 1_000_000;

export interface CalibrationReport {
  city: string;
  year: number;
  persons: number;
  seed: number;
  rows: TargetRow[];
  shapes: ShapeRow[];
  text: string;
  ok: boolean;
}

/** Generates a city's population (without writing it) and measures the targets. */
export function runCalibration(a: Omit<PopulationArgs, "chunkSize"> & { chunkSize?: number }): CalibrationReport {
  const model = cityModel(a.city, a.year);
  const st = new CalibrationStats();
  const size = a.chunkSize ?? 65_536;
  for (let first = 0; first < a.persons; first += size) st.add(generateChunk(model, a.seed, first, Math.min(size, a.persons - first)));
  const rows = targetRows(model.cal, st);
  const shapes = shapeRows(st);
  return {
    city: a.city,
    year: a.year,
    persons: a.persons,
    seed: a.seed,
    rows,
    shapes,
    text: formatReport(model, a.persons, a.seed, rows, shapes),
    ok: rows.every((r) => !r.gated || r.pass),
  };
}

/** One status group and age band: the bureau's data beside the generated population. */
export interface BandRow {
  status: "active" | "retired";
  /** AGE_BANDS label, or "all". */
  ageBand: string;
  persons: { data: number; model: number };
  /** Share of the group's persons in the band. */
  share: { data: number; model: number };
  /** Per person and year: settled encounters (claims), inpatient + day-surgery stays, spending (yuan). */
  encounters: { data: number; model: number };
  stays: { data: number; model: number };
  spendingYuan: { data: number; model: number };
}

export interface DataCalibrationReport extends Omit<CalibrationReport, "ok"> {
  dir: string;
  /** The generated population compared with. */
  modelPersons: number;
  bands: BandRow[];
}

/** The by-age sums of a status group (0 active incl. flexible, 1 retired) in each age band and in all. */
function bandSums(st: CalibrationStats, s: number) {
  const A = st.byAge;
  const ages = A.persons.length / 2;
  const sums = Array.from({ length: AGE_BANDS.length + 1 }, () => ({ persons: 0, encounters: 0, stays: 0, spendFen: 0 }));
  for (let age = 0; age < ages; age++) {
    const x = s * ages + age;
    for (const b of [ageBandCode(age), AGE_BANDS.length]) {
      sums[b].persons += A.persons[x];
      sums[b].encounters += A.encounters[x];
      sums[b].stays += A.stays[x];
      sums[b].spendFen += A.spendFen[x];
    }
  }
  return sums;
}

export function bandRows(data: CalibrationStats, model: CalibrationStats): BandRow[] {
  const rows: BandRow[] = [];
  const per = (x: number, n: number) => (n > 0 ? x / n : NaN);
  for (const s of [0, 1]) {
    const d = bandSums(data, s), m = bandSums(model, s);
    const all = AGE_BANDS.length;
    for (let b = 0; b <= all; b++) {
      if (d[b].persons === 0 && m[b].persons === 0) continue;
      rows.push({
        status: s === 0 ? "active" : "retired",
        ageBand: b === all ? "all" : AGE_BANDS[b],
        persons: { data: d[b].persons, model: m[b].persons },
        share: { data: per(d[b].persons, d[all].persons), model: per(m[b].persons, m[all].persons) },
        encounters: { data: per(d[b].encounters, d[b].persons), model: per(m[b].encounters, m[b].persons) },
        stays: { data: per(d[b].stays, d[b].persons), model: per(m[b].stays, m[b].persons) },
        spendingYuan: { data: per(d[b].spendFen / 100, d[b].persons), model: per(m[b].spendFen / 100, m[b].persons) },
      });
    }
  }
  return rows;
}

function formatBands(rows: BandRow[], modelPersons: number, seed: number): string {
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");
  const num = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "—");
  const gap = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${a >= b ? "+" : ""}${(((a - b) / b) * 100).toFixed(0)}%` : "—");
  const head = ["status", "age band", "persons", "share", "model", "encounters", "model", "Δ", "stays", "model", "Δ", "spending ¥", "model", "Δ"];
  const body = rows.map((r) => [
    r.status, r.ageBand, r.persons.data.toLocaleString("en-US"), pct(r.share.data), pct(r.share.model),
    num(r.encounters.data, 2), num(r.encounters.model, 2), gap(r.encounters.data, r.encounters.model),
    num(r.stays.data, 3), num(r.stays.model, 3), gap(r.stays.data, r.stays.model),
    num(r.spendingYuan.data, 0), num(r.spendingYuan.model, 0), gap(r.spendingYuan.data, r.spendingYuan.model),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [
    `the bureau's data beside the model (a generated population of ${modelPersons.toLocaleString("en-US")} persons, seed ${seed}), per person and year, crude (own ages):`,
    "share: of the status group's persons; encounters: settled claims; stays: inpatient and day surgery; spending: all claims, yuan; Δ: data vs model",
    line(head),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...body.map(line),
  ].join("\n");
}

/** Measures a bureau's data (checked as `fundsim run --data` checks it) and a generated population
 *  of the same city and year. `year` undefined: the claims' year. `modelPersons` default: the
 *  data's persons, at most DEFAULT_CALIBRATE_PERSONS. */
export async function runDataCalibration(a: { city: CityId; dir: string; year?: number; seed: number; modelPersons?: number; chunkSize?: number }): Promise<DataCalibrationReport> {
  const data = await Microdata.open(a.dir, a.year, { min: 2000, max: 2100 });
  try {
    const size = a.chunkSize ?? 65_536;
    const st = new CalibrationStats();
    for (let first = 0; first < data.persons; first += size) {
      const { persons, claims } = await data.read(first, Math.min(size, data.persons - first));
      // The calibration reads no expected inpatient cost: an empty column stands in when absent.
      st.add({ persons: { ...persons, inpatientExpectedFen: persons.inpatientExpectedFen ?? new Int32Array(persons.count) }, claims });
    }
    const model = cityModel(a.city, data.year);
    const modelPersons = a.modelPersons ?? Math.min(data.persons, DEFAULT_CALIBRATE_PERSONS);
    const gen = new CalibrationStats();
    for (let first = 0; first < modelPersons; first += size) gen.add(generateChunk(model, a.seed, first, Math.min(size, modelPersons - first)));
    const rows = targetRows(model.cal, st, model);
    const shapes = shapeRows(st);
    const bands = bandRows(st, gen);
    const dir = showText(a.dir, 200);
    const text = [
      formatBands(bands, modelPersons, a.seed),
      "",
      formatReport(model, data.persons, a.seed, rows, shapes, { column: "bureau data", what: `the bureau's data in ${dir}` }),
      "",
      "The rows at national ages reweight each age by the model's ages for the city, not the data's own: where the bureau's age structure differs, read the table by age band above.",
    ].join("\n");
    return { city: a.city, year: data.year, persons: data.persons, seed: a.seed, dir, modelPersons, rows, shapes, bands, text };
  } finally {
    data.close();
  }
}

export function register(program: Command): void {
  addCityFileOptions(program.command("calibrate"), ["calibration"])
    .description("compare a generated population with its city's calibration targets")
    .option("--city <id>", "a city id (a policy file's name in src/policies or a --policies directory) | all (required)")
    .option("--persons <n>", `persons to generate (default ${DEFAULT_CALIBRATE_PERSONS.toLocaleString("en-US")})`)
    .option("--year <y>", "calendar year (default 2024)")
    .option("--seed <s>", "random seed (default 1)")
    .option("--from <dir>", "measure a bureau's own persons and claims (the format of fundsim run --data) instead of a generated population")
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
Targets come from src/loaders/calibration/<city>.yaml (extending national.yaml), each with its
source and rating (O official, S secondary, D derived, E estimate). O and S targets must be within
±5% (exit 1 otherwise); D and E rows are shown but not gated.

--from DIR: DIR/persons and DIR/claims (.parquet or .csv) as fundsim run --data reads them (see
docs/data.md), checked the same way (each problem naming the file, the column and the row, exit 2). The report puts the data's encounters, stays and spending per person by
status and age band beside a generated population of the city (--persons of it, default the data's
persons up to ${DEFAULT_CALIBRATE_PERSONS.toLocaleString("en-US")}; --seed), then every target measured on the data. --year
defaults to the claims' year. Nothing is gated: exit 0.`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      let parsed = parsePopulationArgs(opts, { persons: DEFAULT_CALIBRATE_PERSONS }, true);
      if (parsed.ok && opts.from !== undefined && parsed.value.cities.length !== 1) parsed = { ok: false, problems: ["--from: the data are one city's; give one --city"] };
      if (parsed.ok) applyCityFiles(opts, parsed.value.cities);
      if (!parsed.ok) {
        for (const p of parsed.problems) process.stderr.write(`fundsim ${cmd.name()}: ${p}\n`);
        process.exitCode = 2;
        return;
      }
      const a = parsed.value;
      if (opts.from !== undefined) {
        try {
          const r = await runDataCalibration({
            city: a.city, dir: String(opts.from), year: opts.year === undefined ? undefined : a.year, seed: a.seed,
            modelPersons: opts.persons === undefined ? undefined : a.persons,
          });
          if (opts.json) {
            const { text: _t, ...rest } = r;
            process.stdout.write(JSON.stringify(rest, null, 2) + "\n");
          } else process.stdout.write(r.text + "\n");
        } catch (e) {
          if (!(e instanceof MicrodataError)) throw e;
          process.stderr.write(printable(`fundsim ${cmd.name()}: ${e.message}`));
          process.exitCode = 2;
        }
        return;
      }
      const reports = a.cities.map((city) => runCalibration({ ...a, city }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(reports.map(({ text: _t, ...r }) => r), null, 2) + "\n");
      } else {
        process.stdout.write(reports.map((r) => r.text).join("\n\n") + "\n");
      }
      if (reports.some((r) => !r.ok)) process.exitCode = 1;
    });
}
