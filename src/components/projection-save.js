// Saving from the projection page: a file the browser downloads (the assumptions file, a goal-seek's
// scenario), and the scenario block of a goal-seek's result — the YAML shown, "Save" and "Copy".
import {bi, download, el, withCode} from "./dom.js";


/** A scenario file's text with "save as scenario" (.pj-save-scenario, a download named `name`) and
 *  "copy"; `edited`: the run needs the edited assumptions file too, and says so. */
export function scenarioBlock(yaml, name, {edited = false} = {}) {
  const pre = el("pre", {class: "pj-yaml fs-yaml"}, yaml);
  const note = el("span", {class: "fs-kpi-sub", style: "margin-left: 0.5rem"});
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
      note.replaceChildren(...bi("已复制", "copied"));
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      note.replaceChildren(...bi("已选中，请按 Ctrl+C 复制", "selected: press Ctrl+C to copy"));
    }
  };
  return [
    el("div", {class: "fs-kpi-sub", style: "margin-top: 0.5rem"}, bi(withCode("情景文件（`fundsim run` / `project --scenario` 可直接读取）："), withCode("Scenario file (`fundsim run` / `project --scenario` read it):"))),
    pre,
    el(
      "div",
      {},
      el("button", {type: "button", class: "pj-save-scenario", onclick: () => download(yaml, name, "text/yaml;charset=utf-8")}, bi("保存情景文件（YAML）", "Save the scenario (YAML)")),
      " ",
      el("button", {type: "button", class: "fs-copy", onclick: copy}, bi("复制", "Copy")),
      note
    ),
    edited ? el("div", {class: "fs-kpi-sub"}, bi("假设已修改：运行时请同时用上方“下载假设文件”保存的文件（--assumptions）。", "Assumptions edited: run it with the file “Download the assumptions” saves (--assumptions).")) : null
  ];
}
