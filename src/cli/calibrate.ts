// `fundsim calibrate --city X|all [--persons N] [--year Y] [--seed S] [--json]`: every calibration
// target beside what the generated population gives, with the gap. Exits 1 when an O or S
// target is outside ±5%, 2 on a bad argument.

import type { Command } from "commander";
import { CITIES } from "../model/types.ts";
import { cityModel, generateChunk } from "../loaders/population/index.ts";
import { CalibrationStats, formatReport, shapeRows, targetRows, type ShapeRow, type TargetRow } from "../loaders/population/calibrate.ts";
import { parsePopulationArgs, type PopulationArgs } from "./simulate.ts";

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

export function register(program: Command): void {
  program
    .command("calibrate")
    .description("compare a generated population with its city's calibration targets")
    .option("--city <id>", `city: ${CITIES.join(" | ")} | all (required)`)
    .option("--persons <n>", `persons to generate (default ${DEFAULT_CALIBRATE_PERSONS.toLocaleString("en-US")})`)
    .option("--year <y>", "calendar year (default 2024)")
    .option("--seed <s>", "random seed (default 1)")
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
Targets come from src/loaders/calibration/<city>.yaml (extending national.yaml), each with its
source and rating (O official, S secondary, D derived, E estimate). O and S targets must be within
±5% (exit 1 otherwise); D and E rows are shown but not gated.`,
    )
    .action((opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      const parsed = parsePopulationArgs(opts, { persons: DEFAULT_CALIBRATE_PERSONS }, true);
      if (!parsed.ok) {
        for (const p of parsed.problems) process.stderr.write(`fundsim ${cmd.name()}: ${p}\n`);
        process.exitCode = 2;
        return;
      }
      const a = parsed.value;
      const reports = a.cities.map((city) => runCalibration({ ...a, city }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(reports.map(({ text: _t, ...r }) => r), null, 2) + "\n");
      } else {
        process.stdout.write(reports.map((r) => r.text).join("\n\n") + "\n");
      }
      if (reports.some((r) => !r.ok)) process.exitCode = 1;
    });
}
