// `fundsim new-city ID --policies DIR`: a commented skeleton of the four files a city is (the
// policy, calibration, finance and assumptions: src/loaders/cities.ts) written into DIR, valid as
// written so that every command runs on the new city at once — each placeholder value marked as an
// assumption to replace with the city's text and figures. Nothing of the user's is replaced: every
// target must be new; the files are written under temporary names and renamed into place together.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { CITY_ID_WORDS, PROJECT_DIRS, policyDirProblem, userPolicyDirs } from "../loaders/cities.ts";
import { fileDisplayName } from "../loaders/yaml-file.ts";
import { fillTemplate } from "../loaders/template-file.ts";
import { hasControl, showValue } from "../model/limits.ts";
import { CITY_ID_PATTERN } from "../model/types.ts";
import { OutputError } from "../pipeline/output-target.ts";
import { UsageError } from "./options.ts";

const SKELETON = join(dirname(fileURLToPath(import.meta.url)), "..", "loaders", "skeleton");
const KINDS = ["policy", "calibration", "finance", "assumptions"] as const;

/** Where each of a city's files goes in a user's directory (the layout cities.ts reads). */
export function cityFilePaths(dir: string, id: string): Record<(typeof KINDS)[number], string> {
  return {
    policy: join(dir, `${id}.yaml`),
    calibration: join(dir, "calibration", `${id}.yaml`),
    finance: join(dir, "finance", `${id}.yaml`),
    assumptions: join(dir, "assumptions", `${id}.yaml`),
  };
}

/** A name as a YAML scalar: quoted (JSON is YAML), 1–40 characters, no control characters. */
function nameValue(option: string, v: string): string {
  if (v.trim() === "" || [...v].length > 40 || hasControl(v)) throw new UsageError(`${option}: 1–40 characters without control characters, got ${showValue(v)}`);
  return JSON.stringify(v.trim());
}

/** The skeleton's texts for a city. */
export function skeletonTexts(id: string, names: { zh: string; en: string; provinceZh: string; provinceEn: string }): Record<(typeof KINDS)[number], string> {
  const values: Record<string, string> = { ID: id, NAME_ZH: names.zh, NAME_EN: names.en, PROVINCE_ZH: names.provinceZh, PROVINCE_EN: names.provinceEn };
  return Object.fromEntries(KINDS.map((k) => [k, fillTemplate(join(SKELETON, `${k}.yaml.in`), values)])) as Record<(typeof KINDS)[number], string>;
}

export function register(program: Command): void {
  program
    .command("new-city <id>")
    .description("write a commented skeleton of a new city's four files (policy, calibration, finance, assumptions) into the --policies directory")
    .option("--name-zh <name>", "the city's name in Chinese (default: the id)")
    .option("--name-en <name>", "the city's name in English (default: the id, capitalised)")
    .option("--province-zh <name>", "the province in Chinese", "（省份）")
    .option("--province-en <name>", "the province in English", "(province)")
    .addHelpText(
      "after",
      `
Example: fundsim new-city zigong --name-zh 自贡 --name-en Zigong --province-zh 四川省 --province-en Sichuan --policies ./my-cities
writes my-cities/zigong.yaml, my-cities/calibration/zigong.yaml, my-cities/finance/zigong.yaml and
my-cities/assumptions/zigong.yaml. They run as written (every value a marked placeholder); replace
each with the city's text (cite its article) and figures (source and rating). Then every command
takes the city: fundsim calc|run|calibrate|project --city zigong --policies ./my-cities, and the
pages: FUNDSIM_POLICIES=./my-cities npm run dev.`,
    )
    .action((id: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const dir = cmd.optsWithGlobals().policies as string | undefined;
      if (!dir) throw new UsageError("--policies: the directory to write the new city's files in is needed (e.g. --policies ./my-cities)");
      if (!CITY_ID_PATTERN.test(id)) throw new UsageError(`id: ${CITY_ID_WORDS} (it names the files and the URLs), got ${showValue(id)}`);
      // A directory that is not there yet is made (its parent must exist: a typo in a parent is caught).
      if (!existsSync(dir)) {
        if (!existsSync(dirname(resolve(dir)))) throw new UsageError(`--policies: neither ${showValue(dir)} nor its parent exists`);
        mkdirSync(dir);
      }
      const problem = policyDirProblem(dir);
      if (problem) throw new UsageError(`--policies: ${problem}`);
      // Another directory's city of this id (the project's or one FUNDSIM_POLICIES names); in DIR
      // itself, a city missing some of its files is completed.
      const elsewhere = [PROJECT_DIRS.policies, ...userPolicyDirs()].filter((d) => resolve(d) !== resolve(dir)).map((d) => join(d, `${id}.yaml`)).find((f) => existsSync(f));
      if (elsewhere) throw new UsageError(`id: the city "${id}" exists already (${fileDisplayName(elsewhere)}); choose another id`);
      const names = {
        zh: nameValue("--name-zh", opts.nameZh ?? id),
        en: nameValue("--name-en", opts.nameEn ?? id[0].toUpperCase() + id.slice(1)),
        provinceZh: nameValue("--province-zh", opts.provinceZh ?? "（省份）"),
        provinceEn: nameValue("--province-en", opts.provinceEn ?? "(province)"),
      };
      const paths = cityFilePaths(dir, id);
      const missing = KINDS.filter((k) => !existsSync(paths[k]));
      if (missing.length === 0) throw new UsageError(`id: the city "${id}" exists already (${fileDisplayName(paths.policy)} and its three files); choose another id`);
      const texts = skeletonTexts(id, names);
      const tmp = (p: string) => join(dirname(p), `.${id}.yaml.tmp-${process.pid}`);
      const written: string[] = [];
      try {
        for (const k of missing) {
          mkdirSync(dirname(paths[k]), { recursive: true });
          writeFileSync(tmp(paths[k]), texts[k], { flag: "wx" });
          written.push(tmp(paths[k]));
        }
        for (const k of missing) renameSync(tmp(paths[k]), paths[k]);
      } catch (e) {
        for (const t of written) rmSync(t, { force: true });
        const code = (e as NodeJS.ErrnoException).code;
        if (code) throw new OutputError(`cannot write the city's files in ${fileDisplayName(dir)}: ${code}`);
        throw e;
      }
      const kept = KINDS.filter((k) => !missing.includes(k));
      process.stdout.write(
        `Wrote ${missing.length === 4 ? `${id}'s four files` : `the missing ${missing.join(", ")} of ${id} (kept ${kept.map((k) => fileDisplayName(paths[k])).join(", ")})`} (placeholders marked assumption: true; replace each with the city's text and figures):\n` +
          missing.map((k) => `  ${k.padEnd(12)} ${fileDisplayName(paths[k])}\n`).join("") +
          `Try: fundsim run --city ${id} --policies ${fileDisplayName(dir)} --persons 2000 --out ${id}-run\n`,
      );
    });
}
