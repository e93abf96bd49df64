// A Chinese source cited on a page — an article ("第七条（一）（…）"), a document's title or number
// (兰政办发〔2022〕140号). In Chinese, the article as the Chinese words cite it (refZh); in
// English, the original as written, marked as a citation in Chinese (class fs-orig, lang zh-CN:
// screen readers read it in Chinese, and the language check in test/browser/languages.test.ts
// allows it) so a reader can find the source. The rule itself: src/model/ref-words.ts, the trace's too.
import {el} from "./dom.js";
import {refZh} from "../model/ref-words.js";

export {refZh};

/** The article or document `ref` as a node for `lang` ("zh" | "en"), or null when there is none. */
export function cite(ref, lang) {
  if (ref === null || ref === undefined || ref === "") return null;
  return lang === "en" ? el("span", {class: "fs-orig", lang: "zh-CN"}, String(ref)) : document.createTextNode(refZh(String(ref)));
}
