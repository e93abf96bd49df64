// The city files' notes and sources in the reader's language (issue 15). The files write them in
// English; their Chinese comes from src/loaders/notes-zh/*.yaml (src/data/notes-zh.json, English →
// Chinese, read once when a page first imports this). A note without a translation is shown in
// English in both languages. Browser only.
//
//   el("td", {}, noteBi(r.note))            // text: both languages, CSS shows the one in force
//   el("td", {title: noteAttr(r.note)}, …)  // a tooltip in both languages (dom.js biAttr)
import {FileAttachment} from "observablehq:stdlib";
import {el, withCitations, withCode} from "./dom.js";

const ZH = new Map(Object.entries(await FileAttachment("../data/notes-zh.json").json()));

/** As src/loaders/notes-zh.ts noteKey: trimmed, white-space runs one space. */
const noteKey = (text) => String(text).trim().replace(/\s+/g, " ");

/** A file a loader names before a file's note ("src/loaders/finance: <the file's source>"). */
const FILE_PREFIX = /^((?:src|docs)\/[\w./*-]+|[\w.-]+\.(?:ya?ml|md)): (.+)$/s;

/** The Chinese of a note, or null: the note's own entry; else, for a note a loader composed, its
 *  parts' — a file named before it (as code, `src/loaders/finance`：…), or notes joined with "; ". */
function chinese(en) {
  const key = noteKey(en);
  if (ZH.has(key)) return ZH.get(key);
  const file = FILE_PREFIX.exec(key);
  if (file) {
    const rest = chinese(file[2]);
    return rest === null ? null : `\`${file[1]}\`：${rest}`;
  }
  // Notes joined with "; ", each of which may hold "; " itself: the longest known run of parts first.
  const parts = key.split("; ");
  if (parts.length < 2) return null;
  const out = [];
  for (let i = 0; i < parts.length; ) {
    let j = parts.length, zh = null;
    for (; j > i && zh === null; j--) zh = j - i === parts.length ? null : chinese(parts.slice(i, j).join("; "));
    if (zh === null) return null;
    out.push(zh);
    i = j + 1;
  }
  return out.join("；");
}

/** A note's words: [Chinese, English]; the Chinese is the English where there is no translation. */
export function noteWords(en) {
  if (en === null || en === undefined || en === "") return [en, en];
  const zh = chinese(en);
  return [zh ?? en, en];
}

/** A note as text in both languages (as dom.js bi): the Chinese with its `code` as <code>, the
 *  English with its Chinese runs (a quoted article, a term) marked as citations. Null for no note. */
export function noteBi(en) {
  if (en === null || en === undefined || en === "") return null;
  const zh = chinese(en);
  return [el("span", {class: "fs-zh"}, zh === null ? withCitations(en) : withCode(zh)), el("span", {class: "fs-en"}, withCitations(en))];
}

/** A note as an attribute in both languages (a tooltip: el()'s [zh, en] value, dom.js biAttr);
 *  backticks are left out, as an attribute shows no markup. Null for no note. */
export function noteAttr(en) {
  if (en === null || en === undefined || en === "") return null;
  const [zh] = noteWords(en);
  return [zh.replace(/`/g, ""), en];
}
