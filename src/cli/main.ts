// The fundsim command: each subcommand lives in its own file and registers itself in
// src/cli/program.ts; this file runs it for the process.
//
// A closed standard output (`fundsim calc x.json | head -c 10`) ends the command quietly; a closed
// standard error is ignored.
import { runFundsim } from "./program.ts";

// EPIPE: the reader went away. Nothing more can be shown; an output directory being written is
// cleaned up by its exit handler (src/pipeline/output-dir.ts).
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
process.stderr.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
});

process.exitCode = await runFundsim(process.argv.slice(2));
