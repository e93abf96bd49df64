// The Chinese of the city files' notes and sources (issue 15). The data files write their `note`,
// `source` and other free text in English; src/loaders/notes-zh/*.yaml give each such string its
// Chinese, as a list of {en, zh} (each file's header says which data files it covers): `en` the
// data file's string as YAML parses it, `zh` the Chinese, `code` between backticks. The pages look
// a note up by its English (src/data/notes-zh.json.ts → src/components/notes.js); a note without
// an entry is shown in English. Each file is read through readChecked, so a broken one is one
// message naming the file and line; an `en` given twice with different Chinese is refused, naming
// both places.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PolicyError, formatIssues } from "../model/policy.ts";
import { readChecked } from "./yaml-file.ts";

export const NOTES_ZH_DIR = join(dirname(fileURLToPath(import.meta.url)), "notes-zh");

/** A note as it is looked up: trimmed, each run of white space one space (YAML's folded and
 *  quoted forms, and the loaders, may break or join lines differently). */
export const noteKey = (text: string): string => text.trim().replace(/\s+/g, " ");

const entry = z.strictObject({
  en: z.string().trim().min(1, "the English of a note: the data file's string"),
  zh: z.string().trim().min(1, "the Chinese of the note"),
});

/** One entry as read, with where it stands (for messages and the tests). */
export interface NoteZh {
  en: string;
  zh: string;
  /** The file as messages name it, and the entry's index in its list. */
  file: string;
  index: number;
}

/** The translation files, sorted by name: every *.yaml of `dir` (none when it does not exist). */
export function notesZhFiles(dir: string = NOTES_ZH_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** One file's entries, checked: each an {en, zh} of text, and no `en` that `seen` (the entries
 *  read before, in this file or others) gives other Chinese; `seen` takes this file's entries. The
 *  same pair twice is allowed: two groups of data files may share a sentence. */
function readFile(file: string, seen: Map<string, NoteZh>): NoteZh[] {
  return readChecked(
    file,
    (value, display) => {
      const parsed = z.array(entry).safeParse(value ?? []);
      if (!parsed.success) throw new PolicyError(formatIssues(parsed.error.issues), display);
      const problems: string[] = [];
      const read = parsed.data.map((e, index) => {
        const n: NoteZh = { en: noteKey(e.en), zh: e.zh, file: display, index };
        const before = seen.get(n.en);
        if (before && before.zh !== n.zh) problems.push(`${index}.en: the same English has another Chinese in ${before.file} (entry ${before.index + 1})`);
        else if (!before) seen.set(n.en, n);
        return n;
      });
      if (problems.length) throw new PolicyError(problems, display);
      return read;
    },
    { kind: "a notes-zh file (a list of en/zh entries)", list: true },
  );
}

/** One translation file's entries, checked on their own (not against the other files). */
export const readNotesZhFile = (file: string): NoteZh[] => readFile(file, new Map());

/** Every entry of every translation file, checked, and no `en` given different Chinese in two places. */
export function readNotesZh(dir: string = NOTES_ZH_DIR): NoteZh[] {
  const seen = new Map<string, NoteZh>();
  return notesZhFiles(dir).flatMap((file) => readFile(file, seen));
}

/** The Chinese of each note by its English (noteKey): what the pages look notes up in. */
export function loadNotesZh(dir: string = NOTES_ZH_DIR): Map<string, string> {
  return new Map(readNotesZh(dir).map((n) => [n.en, n.zh]));
}
