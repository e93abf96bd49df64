// A page whose text lists one file per city (FileAttachment takes only literal names, and the
// cities are data: src/loaders/cities.ts). The page is written as src/<page>.md.in with a
// placeholder {{NAME}}; its page loader src/<page>.md.ts fills the placeholder and prints the
// Markdown. (Framework reloads a page in `npm run dev` when its loader changes: after editing the
// .md.in, touch the .md.ts.)
export { fillTemplate } from "../loaders/template-file.ts";

/** `const NAME = { key: FileAttachment("path"), … };` with a comment saying where the files come from. */
export function attachmentTable(name: string, comment: string, entries: Array<[key: string, path: string]>): string {
  const lines = entries.map(([k, p]) => `  ${JSON.stringify(k)}: FileAttachment(${JSON.stringify(p)})`);
  return `// ${comment}\nconst ${name} = {\n${lines.join(",\n")}\n};`;
}
