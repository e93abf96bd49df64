// An article or document a rule cites, as the Chinese words cite it. Dependency-free, so that the
// calculator's trace (trace-words.ts) and the pages (src/components/cite.js, which imports it as
// ../model/ref-words.js) share the one rule.

/** The project's own documents an article may cite, as the Chinese words name them. */
const DOCUMENTS_ZH: Record<string, string> = { "calibration.md": "本模型校准说明" };

/** An article as the Chinese words cite it: an English gloss the data adds in parentheses
 *  (“（not stated in the text）”, “ (a share of own pension)”) is left out, "; " between articles
 *  reads "；", and the project's documents are named in Chinese. */
export const refZh = (ref: string) =>
  ref
    .replace(/（[\x20-\x7e]*[A-Za-z][\x20-\x7e]*）/g, "")
    .replace(/ ?\([\x20-\x7e]*[A-Za-z][\x20-\x7e]*\)/g, "")
    .replace(/[a-z]+\.md\b/g, (doc) => DOCUMENTS_ZH[doc] ?? doc)
    .replace(/; /g, "；");
