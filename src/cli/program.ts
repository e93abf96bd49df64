// The fundsim command as a function: argv in, the exit status out (messages to process.stdout and
// process.stderr). src/cli/main.ts runs it for the process; the fuzz suite calls it in-process.
//
// Exit status: 0 done; 1 a calibration target missed (calibrate) or a bug (an unexpected error: its
// stack is printed); 2 a user's error (a bad option, input file or output directory: one message,
// no stack).
import { Command, CommanderError } from "commander";
import { InputError, printable } from "../loaders/read-input.ts";
import { escapeControl, truncate } from "../model/limits.ts";
import { PolicyError } from "../model/policy.ts";
import { CalibrationError } from "../loaders/calibration/schema.ts";
import { OutputError } from "../pipeline/output-target.ts";
import { register as registerCalc } from "./calc.ts";
import { register as registerSimulate } from "./simulate.ts";
import { register as registerCalibrate } from "./calibrate.ts";
import { register as registerRun } from "./run.ts";
import { register as registerProject } from "./project.ts";
import { register as registerBacktest } from "./backtest.ts";
import { register as registerBrief } from "./brief.ts";
import { register as registerNewCity } from "./new-city.ts";
import { UsageError } from "./options.ts";
import { existsSync } from "node:fs";
import { delimiter, resolve } from "node:path";
import { CITY_FILES_ENV, cityRegistry, POLICIES_ENV, policyDirProblem, userPolicyDirs } from "../loaders/cities.ts";

/** Runs `fundsim` with `argv` (without the node and script names); returns the exit status. */
export async function runFundsim(argv: string[]): Promise<number> {
  let command = "";
  const program = new Command();
  program
    .name("fundsim")
    .description("职工医保门诊共济 fund-impact simulator: rules, populations, fund flows, projections")
    .showHelpAfterError()
    .exitOverride()
    // Commander echoes a bad option or argument: escaped and cut, like every message.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n").map((l) => truncate(escapeControl(l), 400)).join("\n")) })
    .option("--policies <dir>", "a directory of city files (DIR/<id>.yaml and its calibration/, finance/, assumptions/): its cities join the project's (also FUNDSIM_POLICIES=DIR); repeatable")
    .hook("preAction", (_program, action) => {
      command = action.name();
      // A broken city file: one message (exit 2) before any work; new-city is how one is completed.
      if (command !== "new-city") cityRegistry();
    });

  registerCalc(program);
  registerSimulate(program);
  registerCalibrate(program);
  registerRun(program);
  registerProject(program);
  registerBacktest(program);
  registerBrief(program);
  registerNewCity(program);

  const before = process.exitCode;
  const envBefore = process.env[POLICIES_ENV];
  const filesBefore = process.env[CITY_FILES_ENV];
  process.exitCode = undefined;
  try {
    // Before Commander parses: every --city check, child process and worker must see the cities.
    const dirs = policyDirsOf(argv, subcommandOf(argv) === "new-city");
    if (dirs.length > 0) process.env[POLICIES_ENV] = [...dirs, ...userPolicyDirs(envBefore)].join(delimiter);
    await program.parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; a usage error (unknown option, missing argument) exits 2.
      return e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof UsageError || e instanceof PolicyError || e instanceof CalibrationError || e instanceof OutputError || e instanceof InputError) {
      // A user's error a command did not report itself.
      process.stderr.write(printable(`fundsim${command ? ` ${command}` : ""}: ${e.message}`));
      return 2;
    }
    process.stderr.write(`fundsim: ${(e as Error).stack ?? e}\n`);
    return 1;
  } finally {
    process.exitCode = before;
    if (envBefore === undefined) delete process.env[POLICIES_ENV];
    else process.env[POLICIES_ENV] = envBefore;
    if (filesBefore === undefined) delete process.env[CITY_FILES_ENV];
    else process.env[CITY_FILES_ENV] = filesBefore;
  }
}

/** The subcommand: the first word that is neither an option nor the value of --policies. */
function subcommandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--policies") i++;
    else if (!argv[i].startsWith("-")) return argv[i];
  }
  return undefined;
}

/** The directories `--policies DIR` (or `--policies=DIR`) names anywhere before `--`, checked and
 *  absolute (`creating`: new-city, which makes a directory that is not there yet). */
function policyDirsOf(argv: string[], creating: boolean): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    const a = argv[i];
    const value = a === "--policies" ? argv[++i] : a.startsWith("--policies=") ? a.slice("--policies=".length) : undefined;
    if (a !== "--policies" && value === undefined) continue;
    if (value === undefined || value === "") throw new UsageError("--policies: needs a directory (of city files: DIR/<id>.yaml with calibration/, finance/, assumptions/)");
    const problem = policyDirProblem(value);
    if (problem && !(creating && !existsSync(value))) throw new UsageError(`--policies: ${problem}`);
    dirs.push(resolve(value));
  }
  return dirs;
}
