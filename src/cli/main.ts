// The fundsim command: each subcommand lives in its own file and registers itself here.
import { Command, CommanderError } from "commander";
import { register as registerCalc } from "./calc.ts";
import { register as registerSimulate } from "./simulate.ts";
import { register as registerCalibrate } from "./calibrate.ts";
import { register as registerRun } from "./run.ts";
import { register as registerProject } from "./project.ts";

const program = new Command();
program
  .name("fundsim")
  .description("职工医保门诊共济 fund-impact simulator: rules, populations, fund flows, projections")
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerCalc(program);
registerSimulate(program);
registerCalibrate(program);
registerRun(program);
registerProject(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; a usage error (unknown option, missing argument) exits 2.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`fundsim: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
