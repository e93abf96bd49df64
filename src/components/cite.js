// A Chinese source cited on a page — an article ("第七条（一）（…）"), a document's title or number
// (兰政办发〔2022〕140号). In Chinese, the article as the Chinese words cite it (refZh); in
// English, the original as written, marked as a citation in Chinese (class fs-orig, lang zh-CN:
// screen readers read it in Chinese, and the language check in test/browser/languages.test.ts
// allows it) so a reader can find the source.
import {el} from "./dom.js";

/** The project's own documents an article may cite, as the Chinese words name them. */
const DOCUMENTS_ZH = {"calibration.md": "本模型校准说明"};

/** An article as the Chinese words cite it: an English gloss the data adds in parentheses
 *  (“（not stated in the text）”, “ (a share of own pension)”) is left out, "; " between articles
 *  reads "；", and the project's documents are named in Chinese. The same rule as refZh in
 *  src/model/trace-words.ts, which the browser cannot import (its own imports end in .ts);
 *  test/browser/languages.test.ts keeps the two equal. */
export const refZh = (ref) =>
  ref
    .replace(/（[\x20-\x7e]*[A-Za-z][\x20-\x7e]*）/g, "")
    .replace(/ ?\([\x20-\x7e]*[A-Za-z][\x20-\x7e]*\)/g, "")
    .replace(/[a-z]+\.md\b/g, (doc) => DOCUMENTS_ZH[doc] ?? doc)
    .replace(/; /g, "；");

/** The article or document `ref` as a node for `lang` ("zh" | "en"), or null when there is none. */
export function cite(ref, lang) {
  if (ref === null || ref === undefined || ref === "") return null;
  return lang === "en" ? el("span", {class: "fs-orig", lang: "zh-CN"}, String(ref)) : document.createTextNode(refZh(String(ref)));
}
