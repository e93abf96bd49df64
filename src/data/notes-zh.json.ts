// The Chinese of the city files' notes and sources, as an object English → Chinese (keys as
// src/loaders/notes-zh.ts normalises them), for src/components/notes.js. A broken translation file
// is one message naming the file and line (exit 2), never a stack trace.
// Run by Framework through tsx (cwd = project root); prints JSON to stdout.
import { PolicyError } from "../model/policy.ts";
import { loadNotesZh } from "../loaders/notes-zh.ts";

try {
  process.stdout.write(JSON.stringify(Object.fromEntries(loadNotesZh())));
} catch (e) {
  if (!(e instanceof PolicyError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
