// The Chinese of the city files' notes and sources (issue 15): the translation files
// (src/loaders/notes-zh/*.yaml) parse and hold only what a page may show — every `en` a string of a
// data file today (a note reworded in its file leaves its old translation stale, named here), every
// `zh` Chinese but for code between backticks and the codes a Chinese reader reads as they are —;
// their reader (src/loaders/notes-zh.ts) refuses a broken file with its file and line; and the pages'
// look-up (src/components/notes.js) gives the Chinese, or the English where there is none. The
// files are being filled: the checks hold for every entry present, however many.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadNotesZh, noteKey, notesZhFiles, readNotesZh, readNotesZhFile } from "../src/loaders/notes-zh.ts";
import { fileDisplayName } from "../src/loaders/yaml-file.ts";
import { ZH_ALLOWED } from "./browser/language-words.ts";

const ROOT = join(import.meta.dirname, "..");

/** Every string value of the project's data files (policies, the loaders' data, the new-city
 *  skeleton: the groups the translation files cover), as noteKey gives it. */
function dataStrings(): Set<string> {
  const dirs = ["src/policies", ...["assumptions", "calibration", "finance", "published", "skeleton"].map((d) => `src/loaders/${d}`)];
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.add(noteKey(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const dir of dirs.map((d) => join(ROOT, d))) {
    for (const f of readdirSync(dir).filter((f) => /\.ya?ml(\.in)?$/.test(f))) {
      // a template's placeholders ({{NAME_ZH}}) stand for values, never inside a note
      walk(parseYaml(readFileSync(join(dir, f), "utf8").replace(/\{\{[A-Z_]+\}\}/g, "x")));
    }
  }
  return out;
}

/** The problems of one entry's Chinese: Latin words outside backticks (as the pages' check,
 *  test/browser/language-words.ts englishWords, counts them), unpaired backticks. */
export function chineseProblems(zh: string): string[] {
  const problems: string[] = [];
  if ((zh.match(/`/g) ?? []).length % 2) problems.push("a backtick without its pair");
  const outside = zh.split(/`[^`]*`/).join(" ");
  const words = [...new Set(outside.match(/[A-Za-z]{2,}/g) ?? [])].filter((w) => !Object.hasOwn(ZH_ALLOWED, w));
  if (words.length) problems.push(`Latin words outside backticks: ${words.join(" ")}`);
  return problems;
}

describe("the translation files (src/loaders/notes-zh/*.yaml)", () => {
  /** Every entry of the files that parse (one that does not fails the first test), each file read
   *  on its own, so that one disagreement between two files hides no other problem. */
  const entries = () =>
    notesZhFiles().flatMap((f) => {
      try {
        return readNotesZhFile(f);
      } catch {
        return [];
      }
    });

  it("parse: each entry an {en, zh} of text, no English given two different Chinese", () => {
    // a problem is one message naming the file and line (readChecked)
    let problem = "";
    try {
      readNotesZh();
    } catch (e) {
      problem = (e as Error).message;
    }
    expect(problem).toBe("");
  });

  it("translate only strings of the data files: a stale `en` is named with its file", () => {
    const data = dataStrings();
    const stale = entries()
      .filter((n) => !data.has(n.en))
      .map((n) => `${n.file} (entry ${n.index + 1}): "${n.en}"`);
    expect(stale, "each `en` must equal a data file's string (the file's note was reworded or removed: translate it anew)").toEqual([]);
  });

  it("write Chinese: no Latin words outside backticks but the codes the pages allow (PDF, CSV, JSON, YAML, URL, UTC, DRG, DIP …)", () => {
    const bad = entries().flatMap((n) => chineseProblems(n.zh).map((p) => `${n.file} (entry ${n.index + 1}): ${p}: "${n.zh}"`));
    expect(bad).toEqual([]);
  });

  it("the check above finds what it should", () => {
    expect(chineseProblems("文件未载明；见`calibration.md`（E）。")).toEqual([]);
    expect(chineseProblems("按DRG/DIP付费，导出PDF")).toEqual([]);
    expect(chineseProblems("见 calibration.md")).toEqual(["Latin words outside backticks: calibration md"]);
    expect(chineseProblems("曼宁等（1987），RAND")).toEqual(["Latin words outside backticks: RAND"]);
    expect(chineseProblems("见`src/model")).toEqual(["a backtick without its pair", "Latin words outside backticks: src model"]);
  });
});

describe("reading them (src/loaders/notes-zh.ts)", () => {
  const tmp = mkdtempSync(join(tmpdir(), "fundsim-notes-zh-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let n = 0;
  /** A directory holding `files` (name → text). */
  const dirWith = (files: Record<string, string>): string => {
    const dir = join(tmp, `d${n++}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const problemOf = (dir: string): string => {
    try {
      loadNotesZh(dir);
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };
  const shown = (dir: string, name: string) => fileDisplayName(join(dir, name));

  it("no directory, or no files, is no translation", () => {
    expect(loadNotesZh(join(tmp, "none")).size).toBe(0);
    expect(existsSync(join(tmp, "none"))).toBe(false);
    expect(loadNotesZh(dirWith({ "README.txt": "not a translation file" })).size).toBe(0);
    expect(loadNotesZh(dirWith({ "empty.yaml": "# nothing yet\n" })).size).toBe(0);
  });

  it("keys the Chinese by the English, trimmed, white-space runs as one space; files in name order", () => {
    const dir = dirWith({
      "b.yaml": '- en: "A note."\n  zh: "说明。"\n',
      "a.yaml": '- en: "  The text\\n  does not   state it. "\n  zh: "文件未载明。"\n- en: "A note."\n  zh: "说明。"\n',
    });
    expect([...loadNotesZh(dir)]).toEqual([
      ["The text does not state it.", "文件未载明。"],
      ["A note.", "说明。"],
    ]);
  });

  it("a broken file is one message naming the file and line", () => {
    const dir = dirWith({ "p.yaml": '- en: "A note."\n  zh: "说明。"\n- en: "Another\n  zh: 另一条\n' });
    expect(problemOf(dir)).toMatch(new RegExp(`^${shown(dir, "p.yaml")}: \\d+:\\d+: `));
  });

  it("an entry without its Chinese, or with another key, names the entry's line", () => {
    const dir = dirWith({ "p.yaml": '- en: "A note."\n  zh: "说明。"\n- en: "Another note."\n' });
    expect(problemOf(dir)).toMatch(new RegExp(`^${shown(dir, "p.yaml")}: 3:3: 1\\.zh: `));
    const other = dirWith({ "p.yaml": '- en: "A note."\n  zh: "说明。"\n  cn: "说明"\n' });
    expect(problemOf(other)).toMatch(new RegExp(`^${shown(other, "p.yaml")}: 1:3: 0: .*cn`));
  });

  it("a file that is not a list is refused without its contents", () => {
    const dir = dirWith({ "p.yaml": 'en: "A note."\nzh: "说明。"\n' });
    expect(problemOf(dir)).toBe(`${shown(dir, "p.yaml")}: not a notes-zh file (a list of en/zh entries): the file is a object, not a list (lines starting with "- ")`);
  });

  it("the same English with another Chinese is refused, naming both places; the same pair twice is not", () => {
    const dir = dirWith({
      "a.yaml": '- en: "none found"\n  zh: "未找到来源"\n',
      "b.yaml": '- en: "A note."\n  zh: "说明。"\n- en: "none  found"\n  zh: "未找到"\n',
    });
    expect(problemOf(dir)).toBe(`${shown(dir, "b.yaml")}: 3:7: 1.en: the same English has another Chinese in ${shown(dir, "a.yaml")} (entry 1)`);
    const same = dirWith({ "a.yaml": '- en: "none found"\n  zh: "未找到来源"\n', "b.yaml": '- en: "none found"\n  zh: "未找到来源"\n' });
    expect([...loadNotesZh(same)]).toEqual([["none found", "未找到来源"]]);
  });
});

// The pages' look-up, on a map of its own (Framework's FileAttachment is the browser's). What noteBi
// renders (the Chinese's <code>, the English's citations) is seen in the browser tests
// (test/browser/languages.test.ts: no English left in Chinese mode, no unmarked Chinese in English).
vi.mock("observablehq:stdlib", () => ({
  FileAttachment: (name: string) => ({
    json: async () => {
      if (!name.endsWith("notes-zh.json")) throw new Error(`unexpected attachment ${name}`);
      return {
        "The text does not state a cap.": "文件未载明限额。",
        "2022 quick report: pooled balance 21,470.04 亿 (S)": "2022年统计快报：统筹基金累计结存21,470.04亿元（S）",
        "As for actives.": "同在职职工。",
        "Set in `collectionBp` (calibration.md, E).": "见`collectionBp`（本模型校准说明（`calibration.md`），E）。",
      };
    },
  }),
}));

describe("the pages' look-up (src/components/notes.js)", async () => {
  // @ts-expect-error -- a page module in plain JavaScript, without type declarations
  const { noteAttr, noteBi, noteWords } = await import("../src/components/notes.js");

  it("gives [Chinese, English], the English twice where there is no translation", () => {
    expect(noteWords("The text does not state a cap.")).toEqual(["文件未载明限额。", "The text does not state a cap."]);
    expect(noteWords("  The text does not\n state a cap. ")).toEqual(["文件未载明限额。", "  The text does not\n state a cap. "]);
    expect(noteWords("Not translated yet.")).toEqual(["Not translated yet.", "Not translated yet."]);
  });

  it("translates the parts of a note a loader composed: a file named before it, notes joined by “; ”", () => {
    expect(noteWords("src/loaders/finance: 2022 quick report: pooled balance 21,470.04 亿 (S)")[0]).toBe("`src/loaders/finance`：2022年统计快报：统筹基金累计结存21,470.04亿元（S）");
    expect(noteWords("The text does not state a cap.; As for actives.")[0]).toBe("文件未载明限额。；同在职职工。");
    // a part without a translation leaves the whole in English
    expect(noteWords("The text does not state a cap.; Not translated yet.")[0]).toBe("The text does not state a cap.; Not translated yet.");
    expect(noteWords("src/loaders/finance: Not translated yet.")[0]).toBe("src/loaders/finance: Not translated yet.");
  });

  it("gives an attribute's pair without backticks, and nothing for no note", () => {
    expect(noteAttr("Set in `collectionBp` (calibration.md, E).")).toEqual(["见collectionBp（本模型校准说明（calibration.md），E）。", "Set in `collectionBp` (calibration.md, E)."]);
    expect(noteAttr(null)).toBeNull();
    expect(noteAttr("")).toBeNull();
    expect(noteBi(undefined)).toBeNull();
  });

});
