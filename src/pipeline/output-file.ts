// One output file (a PDF briefing) written safely: the path is checked before any work, the file
// is written beside its target under a temporary name and renamed into place only when complete,
// and nothing of the user's is replaced — an existing file only with --force, and then only if it
// is a file of the same kind (a PDF), never anything else. The directory form is output-dir.ts.
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { showText } from "../model/limits.ts";
import { OutputError } from "./output-target.ts";

export interface FileTarget {
  path: string;
}

/** The first bytes of a file, or "" when it cannot be read. */
function head(path: string, n: number): string {
  try {
    const fd = openSync(path, "r");
    try {
      const b = Buffer.alloc(n);
      const got = readSync(fd, b, 0, n, 0);
      return b.subarray(0, got).toString("latin1");
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

/** Check where a file goes, before any work: an existing directory for it, the file new — or, with
 *  `force`, an existing file that starts with `magic` (a file of this kind). */
export function checkOutputFile(given: string, o: { option: string; force?: boolean; magic: string; kind: string }): FileTarget {
  if (given.trim() === "") throw new OutputError(`${o.option}: a file name is needed`);
  const path = resolve(given);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new OutputError(`${o.option}: ${showText(dir, 200)} is not an existing directory`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new OutputError(`${o.option}: ${showText(given, 200)} is a directory; give a file name`);
    if (!o.force) throw new OutputError(`${o.option}: ${showText(given, 200)} exists; add --force to replace it`);
    if (!statSync(path).isFile() || head(path, o.magic.length) !== o.magic) {
      throw new OutputError(`${o.option}: ${showText(given, 200)} exists and is not a ${o.kind}: it is never replaced, even with --force`);
    }
  }
  return { path };
}

/** Write the bytes beside the target under a temporary name, then rename them into place. */
export function writeFileAtomically(target: FileTarget, bytes: Uint8Array): void {
  const tmp = join(dirname(target.path), `.${basename(target.path)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, bytes, { flag: "wx" });
    renameSync(tmp, target.path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new OutputError(`cannot write ${showText(target.path, 200)}: ${code}`);
    throw e;
  }
}
