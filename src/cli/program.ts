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
import { OutputError } from "../pipeline/output-dir.ts";
import { register as registerCalc } from "./calc.ts";
import { register as registerSimulate } from "./simulate.ts";
import { register as registerCalibrate } from "./calibrate.ts";
import { register as registerRun } from "./run.ts";
import { register as registerProject } from "./project.ts";
import { register as registerBacktest } from "./backtest.ts";
import { register as registerBrief } from "./brief.ts";
import { UsageError } from "./options.ts";

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
    .hook("preAction", (_program, action) => {
      command = action.name();
    });

  registerCalc(program);
  registerSimulate(program);
  registerCalibrate(program);
  registerRun(program);
  registerProject(program);
  registerBacktest(program);
  registerBrief(program);

  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; a usage error (unknown option, missing argument) exits 2.
      return e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof UsageError || e instanceof PolicyError || e instanceof OutputError || e instanceof InputError) {
      // A user's error a command did not report itself.
      process.stderr.write(printable(`fundsim${command ? ` ${command}` : ""}: ${e.message}`));
      return 2;
    }
    process.stderr.write(`fundsim: ${(e as Error).stack ?? e}\n`);
    return 1;
  } finally {
    process.exitCode = before;
  }
}
