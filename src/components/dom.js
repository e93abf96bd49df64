// Small DOM builders shared by the components: `el(tag, attrs, ...children)` (attributes; `on…`
// keys add event listeners; false/null/undefined attributes and children are skipped) and `bi(zh, en)`,
// text in both languages of which CSS shows the one in force (class fs-zh / fs-en).

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** Text in both languages; CSS shows the one in force. */
export const bi = (zh, en) => [el("span", {class: "fs-zh"}, zh), el("span", {class: "fs-en"}, en)];
