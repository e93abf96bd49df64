// The calculator's form: one person-year (city, scenario, person, claims) as the JSON text that
// `fundsim calc` reads (../shared/contract/calculator.md), run by `run` (runCalcWith: the CLI's own
// steps and messages).
//
//   const form = calcForm({policies, initial: readCalcUrl(location.search, cityIds), run: (text) => model.runCalcWith(text, sources)});
//   const input = Generators.input(form);     // {text, source: "form" | "json", result, refused}
//
// The JSON is the source. A link's (or the JSON editor's) text runs as it is; the form is a view of
// that JSON and an editor of it: each field shows its key's value, and editing a field changes that
// key only. A value the form cannot show as a choice (a city "beijing", a level 7, a level "3", a
// scenario object, a date the date box refuses) stays in the JSON and is shown as it is written
// (an extra menu entry, a text box); nothing is replaced by a default, keys the form has no field
// for stay in the JSON. The CLI's problems (exit status 2; runCalcWith's `problems`, each in Chinese
// and English with claims counted from 1) are shown beside the field they name, which is marked
// (aria-invalid); the others above the form, and the JSON editor is then marked.
//
// The cities are the policy data's (policies.cities, in their order; the first is the default).
//
// Bounds: a link carries at most MAX_LINK_CHARS of text (?c=, base64url), the JSON editor at most
// MAX_JSON_CHARS (the CLI's default input limit); a request holds at most MAX_CLAIMS claims (the
// request parser's limit: past it the CLI's message, and the form shows no claim rows); the form
// shows the first FORM_ROWS claims, the others stay in the JSON.
//
// Labels are in both languages (fs-zh / fs-en) so the form keeps its state when the reader switches
// language; every field carries data-field (person.status, claims.2.amount …) for tests.
import {MAX_CLAIMS, showValue} from "../model/limits.js";
import {currentLang, LANG_EVENT} from "./i18n.js";
import {el, bi, biAttr} from "./dom.js";

/** The command's name as code (the same in both languages). */
const cmd = () => el("code", {}, "fundsim calc");

/** The longest `?c=` a link may carry: 64 KiB of base64url text. */
export const MAX_LINK_CHARS = 64 * 1024;
/** The longest text the JSON editor runs: 4 MiB, the CLI's default input limit. */
export const MAX_JSON_CHARS = 4 * 1024 * 1024;
/** Claim rows the form shows; the other claims stay in the JSON (edit them there). */
export const FORM_ROWS = 200;

const STATUS = [["active", "在职", "active"], ["retired", "退休", "retired"], ["flexible", "灵活就业", "flexible"]];
const KINDS = [
  ["general", "普通门诊", "general"],
  ["tcm", "中医门诊", "TCM"],
  ["two_disease", "两病用药", "two-disease drugs"],
  ["special_exam", "特殊检查治疗", "special exam"],
  ["chronic_special", "门诊慢特病", "chronic/special"],
  ["inpatient", "住院", "inpatient"],
  ["day_surgery", "日间手术", "day surgery"]
];
const LEVELS = [[1, "一级及以下", "level 1"], [2, "二级", "level 2"], [3, "三级", "level 3"]];
const SETTINGS = [["facility", "医疗机构", "facility"], ["pharmacy", "定点药店", "pharmacy"]];
const AREAS = [["local", "本地", "local"], ["in_province", "省内异地", "in province"], ["out_of_province", "省外", "out of province"], ["registered_elsewhere", "异地长期居住", "registered elsewhere"]];
const SCENARIOS = [["reform", "改革后", "reform"], ["baseline", "改革前（基线）", "baseline"]];

const isRecord = (x) => typeof x === "object" && x !== null && !Array.isArray(x);
/** An own property (never an inherited one: the JSON may hold a "__proto__" key of its own). */
const own = (o, k) => (isRecord(o) && Object.hasOwn(o, k) ? o[k] : undefined);
const group = (n) => n.toLocaleString("en-US");
const kib = (n) => (n < 1024 * 1024 ? `${group(Math.ceil(n / 1024))} KiB` : `${(n / (1024 * 1024)).toFixed(1)} MiB`);

// ---- the URL: ?c=<the input text, base64url> -------------------------------------------------------

function b64url(text) {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function unb64url(text) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new Error("not base64url");
  const s = atob(text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.replace(/=+$/, "").length % 4)) % 4));
  return new TextDecoder("utf-8", {fatal: true}).decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

/** The claims table's columns: field → [中文, English] heading. */
const CLAIM_COLUMNS = {
  date: ["日期", "Date"],
  kind: ["类别", "Kind"],
  level: ["级别", "Level"],
  amount: ["费用（元）", "Amount"],
  eligible: ["政策范围内（元）", "Eligible"],
  setting: ["场所", "Setting"],
  area: ["地区", "Area"],
  designated: ["定点", "Designated"],
  emergency: ["急诊", "Emergency"],
  prescription: ["外配处方", "Prescription"],
  facility: ["机构", "Facility"]
};

/** The default person-year: a retiree in `city` (the page passes the first of its cities). */
export function defaultInput(city) {
  return JSON.stringify(
    {
      city,
      scenario: "reform",
      person: {status: "retired", birthDate: "1958-04-12"},
      claims: [
        {date: "2023-03-02", kind: "general", level: 3, amount: "420.00"},
        {date: "2023-08-11", kind: "general", level: 1, amount: "860.50", eligible: "800.00"}
      ]
    },
    null,
    2
  );
}

/** Why a text is not run: a message in both languages. */
const refusal = (zh, en) => ({zh, en});

/**
 * What the URL asks for: {text, refused}. `?c=` carries an input's text (base64url), run as it is;
 * `?city=` a city for the default person-year (an unknown one goes into the JSON as written, and
 * gets the CLI's message; without one, the first of `cities`, the policy data's ids). A `c` longer
 * than MAX_LINK_CHARS, or one that does not decode, is not loaded: `refused` says why, in both languages.
 */
export function readCalcUrl(search, cities) {
  const q = new URLSearchParams(search);
  if (q.has("c")) {
    const c = q.get("c");
    if (c.length > MAX_LINK_CHARS) {
      return {
        text: "",
        refused: refusal(
          `链接中的输入有 ${kib(c.length)}，超过链接可携带的上限 ${kib(MAX_LINK_CHARS)}，未载入。可点击“载入示例”重新开始，或把输入JSON粘贴到下方。`,
          `The input in this link is ${kib(c.length)}, more than a link may carry (${kib(MAX_LINK_CHARS)}); it was not loaded. Press “Load the example” to start again, or paste the input JSON below.`
        )
      };
    }
    try {
      return {text: unb64url(c), refused: null};
    } catch {
      return {
        text: "",
        refused: refusal(
          "链接中的输入无法解码（不是 base64url 编码的 UTF-8 文本），未载入。",
          "The input in this link cannot be decoded (it is not base64url-encoded UTF-8 text); it was not loaded."
        )
      };
    }
  }
  const city = q.get("city");
  if (city !== null && city.length > 100) return {text: "", refused: refusal("链接中的城市名过长，未载入。", "The city in this link is too long; it was not loaded.")};
  return {text: defaultInput(city ?? cities[0]), refused: null};
}

// ---- the CLI's messages, by field --------------------------------------------------------------------

const PATH = /^((?:\(input\)|[A-Za-z_$][\w$]*)(?:\[\d+\])*(?:\.[A-Za-z_$][\w$]*(?:\[\d+\])*)*): /;

/** The form field of an input path ("claims[2].level" → "claims.2.level"). */
function formKey(path) {
  const key = path.replace(/\[(\d+)\]/g, ".$1");
  return key.startsWith("person.twoDiseases") ? "person.twoDiseases" : key;
}

/** A run's problems: runCalcWith's structured ones; else (a crash) each stderr line as it is, in
 *  both languages alike, naming its field when it starts with a path. */
function problemsOf(result) {
  if (result.problems) return result.problems;
  return result.stderr
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const m = PATH.exec(line.replace(/^fundsim calc: /, ""));
      return {field: m ? m[1] : null, row: null, where: null, zh: line, en: line};
    });
}

/** A problem in one language: "第2条就诊记录 · 费用：应为…" / "claim 2 · amount: must be…". */
export function problemText(p, lang) {
  if (!p.where) return lang === "en" ? p.en : p.zh;
  return lang === "en" ? `${p.where.en}: ${p.en}` : `${p.where.zh}：${p.zh}`;
}

// ---- the form ----------------------------------------------------------------------------------------

export function calcForm({policies, initial, run}) {
  const root = el("div", {class: "calc-form"});
  root.addEventListener("input", (e) => e.target !== root && e.stopImmediatePropagation());
  root.addEventListener("change", (e) => e.target !== root && e.stopImmediatePropagation());
  const cities = policies.cities.map((c) => [c.city, c.name.zh, c.name.en]);
  const firstCity = cities[0]?.[0];

  let doc; // the parsed JSON (undefined when the text is not JSON or was refused)
  let source = "json"; // what the text came from last: "form" (an edit in the form) or "json"
  let refused = null; // why the text was not run ({zh, en}), or null
  let dirty = false; // the JSON box was edited and not run yet
  let result = null;
  let fields = new Map(); // data-field → {holder, inputs}

  const problems = el("div", {class: "calc-problems", role: "alert"});
  const notes = el("div", {class: "calc-notes", role: "status"});
  const caseSet = el("fieldset", {class: "calc-case"});
  const claimSet = el("fieldset", {class: "calc-claims-set"});

  // ---- field builders: each shows one key of an object of the JSON and writes only that key --------

  /** Write `value` at `key` of the object `at()` returns (made when missing); undefined deletes it. */
  function write(at, key, value) {
    const o = at(true);
    if (!o) return;
    if (value === undefined) delete o[key];
    else o[key] = value; // a fixed key of the form: never "__proto__"
    edited();
  }

  function register(field, holder, ...inputs) {
    fields.set(field, {holder, inputs});
  }

  /** A menu of `options` ([value, zh, en]) for a raw value: a value not among them is shown as an
   *  entry of its own, as written; a missing one as "—" (or the CLI's default, when it has one). */
  function menu(field, options, raw, {dflt, onPick, rawLabel}) {
    const en = currentLang() === "en";
    const s = el("select", {"data-field": field, name: field}, options.map(([v, zh, e]) => el("option", {value: String(v), "data-zh": zh, "data-en": e}, en ? e : zh)));
    const known = options.some(([v]) => v === raw);
    if (raw === undefined && dflt !== undefined) s.value = String(dflt);
    else if (raw === undefined) {
      s.prepend(el("option", {value: "", disabled: true, "data-missing": ""}, "—"));
      s.value = "";
    } else if (known) s.value = String(raw);
    else {
      const label = rawLabel?.(raw);
      const o = label ? el("option", {value: "\u0000raw", "data-raw": "", "data-zh": label[0], "data-en": label[1]}, en ? label[1] : label[0]) : el("option", {value: "\u0000raw", "data-raw": ""}, showValue(raw));
      s.prepend(o);
      s.value = "\u0000raw";
    }
    s.addEventListener("change", () => {
      const o = options.find(([v]) => String(v) === s.value);
      if (!o) return;
      for (const x of s.querySelectorAll("[data-raw], [data-missing]")) x.remove();
      onPick(o[0]);
    });
    return s;
  }

  /** A check box for a boolean with a default; a value that is not a boolean shows as neither. */
  function check(field, raw, dflt, onSet, attrs = {}) {
    const c = el("input", {type: "checkbox", "data-field": field, name: attrs.name ?? field});
    if (raw === undefined) c.checked = dflt;
    else if (typeof raw === "boolean") c.checked = raw;
    else {
      c.indeterminate = true;
      c.title = showValue(raw);
    }
    c.addEventListener("change", () => onSet(c.checked === dflt ? undefined : c.checked));
    return c;
  }

  /** A text box; a value that is not text or a number shows as a placeholder, as written. */
  function text(field, raw, onSet, attrs = {}) {
    const i = el("input", {type: "text", "data-field": field, name: attrs.name ?? field, ...attrs});
    if (typeof raw === "string" || typeof raw === "number") i.value = String(raw);
    else if (raw !== undefined) i.placeholder = showValue(raw);
    i.addEventListener("input", () => onSet(i.value === "" ? undefined : i.value));
    return i;
  }

  /** A date box; a value it would refuse (not a date, 2023-02-30) is shown in a text box as written. */
  function date(field, raw, onSet, attrs = {}) {
    const i = el("input", {type: "date", "data-field": field, name: attrs.name ?? field});
    if (raw !== undefined) {
      if (typeof raw === "string") i.value = raw;
      if (i.value !== raw) {
        i.type = "text";
        i.classList.add("calc-date-text");
        i.value = typeof raw === "string" ? raw : showValue(raw);
      }
    }
    i.addEventListener("input", () => onSet(i.value === "" ? undefined : i.value));
    return i;
  }

  const labelled = (zh, en, input, cls = "") => el("label", {class: `calc-field ${cls}`}, el("span", {class: "calc-label"}, bi(zh, en)), input);

  // ---- the objects of the JSON --------------------------------------------------------------------

  const top = (make) => (isRecord(doc) ? doc : null);
  const person = (make) => {
    if (!isRecord(doc)) return null;
    if (isRecord(own(doc, "person"))) return doc.person;
    if (make && own(doc, "person") === undefined) return (doc.person = {});
    return null;
  };
  const claimsList = () => (isRecord(doc) && Array.isArray(own(doc, "claims")) ? doc.claims : null);

  // ---- rendering ------------------------------------------------------------------------------------

  function renderCase() {
    const d = isRecord(doc) ? doc : {};
    const p = own(d, "person");
    const pObj = isRecord(p) ? p : {};
    const fixedPerson = p !== undefined && !isRecord(p); // present but not an object: not editable here

    const city = menu("city", cities, own(d, "city"), {onPick: (v) => write(top, "city", v)});
    const scenario = menu("scenario", SCENARIOS, own(d, "scenario"), {
      dflt: "reform",
      onPick: (v) => write(top, "scenario", v),
      rawLabel: (raw) => (isRecord(raw) ? ["情景对象（见下方JSON）", "scenario object (see the JSON below)"] : null)
    });
    const year = text("year", own(d, "year"), (v) => write(top, "year", v === undefined ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v), {inputmode: "numeric", placeholder: "—", size: 6});

    const status = menu("person.status", STATUS, own(pObj, "status"), {onPick: (v) => write(person, "status", v)});
    const birthDate = date("person.birthDate", own(pObj, "birthDate"), (v) => write(person, "birthDate", v));
    const retiredOn = date("person.retiredOn", own(pObj, "retiredOn"), (v) => write(person, "retiredOn", v));
    const oldWorker = check("person.oldWorker", own(pObj, "oldWorker"), false, (v) => write(person, "oldWorker", v));
    const hasAccount = check("person.hasAccount", own(pObj, "hasAccount"), true, (v) => write(person, "hasAccount", v));
    const two = own(pObj, "twoDiseases");
    const disease = (name) =>
      check(`person.twoDiseases.${name}`, two === undefined ? false : Array.isArray(two) ? two.includes(name) : null, false, () => {}, {name});
    const hypertension = disease("hypertension");
    const diabetes = disease("diabetes");
    for (const [box, name] of [[hypertension, "hypertension"], [diabetes, "diabetes"]]) {
      box.addEventListener("change", () => {
        const cur = own(person(false) ?? {}, "twoDiseases");
        const list = Array.isArray(cur) ? cur.filter((x) => x !== name) : [];
        if (box.checked) list.push(name);
        write(person, "twoDiseases", list.length ? list : undefined);
      });
    }
    const money = (k) => text(`person.${k}`, own(pObj, k), (v) => write(person, k, v), {inputmode: "decimal", placeholder: "—", size: 9});
    const contributionBase = money("contributionBase");
    const pension = money("pension");
    const accountBalance = money("accountBalance");

    const f = {
      city: labelled("城市", "City", city),
      scenario: labelled("方案", "Scenario", scenario),
      year: labelled("账户年度（可选）", "Account year (optional)", year, "calc-case-year"),
      status: labelled("人员类别", "Status", status),
      birthDate: labelled("出生日期", "Birth date", birthDate),
      retiredOn: labelled("享受退休待遇日期", "Retiree benefits from", retiredOn),
      oldWorker: el("label", {class: "calc-check"}, oldWorker, bi("建国前老工人", "Pre-1949 veteran worker")),
      two: el(
        "span",
        {class: "calc-check-group", "data-field": "person.twoDiseases"},
        el("label", {class: "calc-check"}, hypertension, bi("高血压（两病备案）", "Hypertension (registered)")),
        el("label", {class: "calc-check"}, diabetes, bi("糖尿病（两病备案）", "Diabetes (registered)"))
      ),
      hasAccount: el("label", {class: "calc-check"}, hasAccount, bi("有个人账户（灵活就业）", "Has an account (flexible)")),
      contributionBase: labelled("缴费基数（元/月）", "Contribution base (yuan/month)", contributionBase),
      pension: labelled("本人养老金（元/月）", "Own pension (yuan/month)", pension),
      accountBalance: labelled("个人账户年初余额（元）", "Account balance, opening (yuan)", accountBalance)
    };
    register("city", f.city, city);
    register("scenario", f.scenario, scenario);
    register("year", f.year, year);
    register("person.status", f.status, status);
    register("person.birthDate", f.birthDate, birthDate);
    register("person.retiredOn", f.retiredOn, retiredOn);
    register("person.oldWorker", f.oldWorker, oldWorker);
    register("person.twoDiseases", f.two, hypertension, diabetes);
    register("person.hasAccount", f.hasAccount, hasAccount);
    register("person.contributionBase", f.contributionBase, contributionBase);
    register("person.pension", f.pension, pension);
    register("person.accountBalance", f.accountBalance, accountBalance);

    const personInputs = [status, birthDate, retiredOn, oldWorker, hasAccount, hypertension, diabetes, contributionBase, pension, accountBalance];
    if (fixedPerson) for (const x of personInputs) x.disabled = true;
    const legend = el("legend", {}, bi("参保人", "Person"));
    caseSet.replaceChildren(
      ...[
        legend,
        el("div", {class: "calc-row"}, f.city, f.scenario, f.year),
        fixedPerson ? el("div", {class: "calc-fixed"}, bi(`“person” 不是对象（${showValue(p)}），表单无法编辑；请在下方JSON中修改。`, `“person” is not an object (${showValue(p)}); the form cannot edit it: change it in the JSON below.`)) : null,
        el("div", {class: "calc-row"}, f.status, f.birthDate, f.retiredOn),
        el("div", {class: "calc-row calc-checks"}, f.oldWorker, f.two, f.hasAccount),
        el("div", {class: "calc-row"}, f.contributionBase, f.pension, f.accountBalance)
      ].filter(Boolean)
    );
    register("person", caseSet);
  }

  function renderClaims() {
    const d = isRecord(doc) ? doc : {};
    const raw = own(d, "claims");
    const list = Array.isArray(raw) ? raw : [];
    const head = el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {}, "#"),
        [...Object.values(CLAIM_COLUMNS), ["", ""]].map(([zh, en]) => el("th", {}, bi(zh, en)))
      )
    );
    const body = el("tbody");
    const tooMany = list.length > MAX_CLAIMS;
    const shown = tooMany ? 0 : Math.min(list.length, FORM_ROWS);
    for (let i = 0; i < shown; i++) body.append(...claimRows(list, i));
    const extra = [];
    if (raw !== undefined && !Array.isArray(raw)) {
      extra.push(el("div", {class: "calc-fixed"}, bi(`“claims” 不是列表（${showValue(raw)}），表单无法编辑；请在下方JSON中修改。`, `“claims” is not a list (${showValue(raw)}); the form cannot edit it: change it in the JSON below.`)));
    } else if (tooMany) {
      extra.push(
        el(
          "div",
          {class: "calc-fixed calc-too-many"},
          bi(
            [`这份输入有 ${group(list.length)} 条就诊记录，超过每次计算最多 ${group(MAX_CLAIMS)} 条的上限（命令行 `, cmd(), ` 相同），表单不予显示。`],
            [`This input has ${group(list.length)} claims, more than one calculation takes (${group(MAX_CLAIMS)}, as in `, cmd(), `); the form does not show them.`]
          )
        )
      );
    } else if (list.length > FORM_ROWS) {
      extra.push(
        el(
          "div",
          {class: "calc-fixed"},
          bi(`表单显示前 ${FORM_ROWS} 条就诊记录；其余 ${group(list.length - FORM_ROWS)} 条保留在下方JSON中，照常计算，可在JSON中修改。`, `The form shows the first ${FORM_ROWS} claims; the other ${group(list.length - FORM_ROWS)} stay in the JSON below, are computed as usual, and can be edited there.`)
        )
      );
    }
    const canAdd = (raw === undefined || Array.isArray(raw)) && list.length < Math.min(MAX_CLAIMS, FORM_ROWS);
    const add = el("button", {type: "button", class: "calc-add", disabled: !canAdd || undefined, onclick: () => addClaim()}, bi("＋ 添加就诊记录", "+ Add a claim"));
    claimSet.replaceChildren(el("legend", {}, bi("就诊记录", "Claims")), ...extra, el("div", {class: "calc-claims-scroll"}, el("table", {class: "calc-claims"}, head, body)), add);
    register("claims", claimSet);
  }

  /** The rows of claim i: its fields, and a row for its messages (filled after a run). */
  function claimRows(list, i) {
    const c = list[i];
    const tr = el("tr", {class: "calc-claim", "data-claim": i});
    const msgs = el("tr", {class: "calc-claim-msgs", hidden: true}, el("td", {}), el("td", {colspan: 12, class: "calc-claim-msg-cell"}));
    // Rows are counted from 1, as a reader counts them (the JSON's claims[0] is 第1条 / claim 1).
    const n = i + 1;
    const remove = el("button", {type: "button", class: "calc-remove", title: ["删除", "Remove"], "aria-label": [`删除第 ${n} 条`, `Remove claim ${n}`], onclick: () => removeClaim(i)}, "×");
    const at = (make) => (claimsList() && isRecord(claimsList()[i]) ? claimsList()[i] : null);
    const holder = {row: tr, msgs};
    if (!isRecord(c)) {
      const cell = el("td", {colspan: 11, class: "calc-claim-raw", "data-field": `claims.${i}`}, showValue(c));
      tr.append(el("td", {class: "calc-n"}, String(n)), cell, el("td", {}, remove));
      register(`claims.${i}`, holder, cell);
      return [tr, msgs];
    }
    const f = (name) => `claims.${i}.${name}`;
    const set = (k) => (v) => write(at, k, v);
    const cells = {
      date: date(f("date"), own(c, "date"), set("date"), {name: "date"}),
      kind: menu(f("kind"), KINDS, own(c, "kind"), {dflt: "general", onPick: set("kind")}),
      level: menu(f("level"), LEVELS, own(c, "level"), {onPick: set("level")}),
      amount: text(f("amount"), own(c, "amount"), set("amount"), {inputmode: "decimal", name: "amount", size: 8}),
      eligible: text(f("eligible"), own(c, "eligible"), set("eligible"), {inputmode: "decimal", name: "eligible", size: 8, placeholder: "="}),
      setting: menu(f("setting"), SETTINGS, own(c, "setting"), {dflt: "facility", onPick: set("setting")}),
      area: menu(f("area"), AREAS, own(c, "area"), {dflt: "local", onPick: set("area")}),
      designated: check(f("designated"), own(c, "designated"), true, set("designated"), {name: "designated"}),
      emergency: check(f("emergency"), own(c, "emergency"), false, set("emergency"), {name: "emergency"}),
      prescription: check(f("prescription"), own(c, "prescription"), true, set("prescription"), {name: "prescription"}),
      facility: text(f("facility"), own(c, "facility"), set("facility"), {name: "facility", size: 5})
    };
    // Each cell's accessible name: its column's heading and the claim's number (the table has no <label>s).
    for (const [k, x] of Object.entries(cells)) {
      const [zh, en] = CLAIM_COLUMNS[k];
      biAttr(x, "aria-label", `${zh}（第 ${n} 条）`, `${en} (claim ${n})`);
    }
    tr.append(el("td", {class: "calc-n"}, String(n)), ...Object.values(cells).map((x) => el("td", {}, x)), el("td", {}, remove));
    for (const [k, x] of Object.entries(cells)) register(f(k), holder, x);
    register(`claims.${i}`, holder);
    return [tr, msgs];
  }

  function addClaim() {
    if (!isRecord(doc)) return;
    if (own(doc, "claims") === undefined) doc.claims = [];
    const list = claimsList();
    if (!list) return;
    const last = list[list.length - 1];
    let c;
    if (isRecord(last)) {
      c = {};
      for (const k of ["date", "kind", "level"]) if (Object.hasOwn(last, k)) c[k] = last[k];
    } else c = {date: "2023-03-01", kind: "general", level: 1, amount: "100.00"};
    list.push(c);
    renderClaims();
    edited();
  }

  function removeClaim(i) {
    const list = claimsList();
    if (!list) return;
    list.splice(i, 1);
    renderClaims();
    edited();
  }

  function render() {
    fields = new Map();
    renderCase();
    renderClaims();
    const off = !isRecord(doc) || dirty;
    caseSet.disabled = off;
    claimSet.disabled = off;
  }

  // ---- the JSON ------------------------------------------------------------------------------------

  const jsonBox = el("textarea", {class: "calc-json-input", "data-field": "json", spellcheck: "false", rows: 12, "aria-label": ["输入JSON", "Input JSON"]});
  const runJson = el("button", {type: "button", class: "calc-run-json", onclick: () => load(jsonBox.value, "json")}, bi("按此JSON计算并填入表单", "Run this JSON and fill the form"));
  const copyJson = el("button", {type: "button", class: "calc-copy-input", onclick: () => copy(jsonBox.value)}, bi("复制", "Copy"));
  const example = el("button", {type: "button", class: "calc-example", onclick: () => load(defaultInput(firstCity), "json")}, bi("载入示例", "Load the example"));
  const jsonNote = el("div", {class: "calc-json-note"});
  jsonBox.addEventListener("input", () => {
    dirty = true;
    caseSet.disabled = claimSet.disabled = true;
    jsonNote.replaceChildren(...bi("已修改：点击“按此JSON计算”运行此JSON（表单暂停编辑）。", "Edited: press “Run this JSON” to run it (the form waits until then)."));
  });

  async function copy(t) {
    try {
      await navigator.clipboard.writeText(t);
    } catch {
      jsonBox.select();
    }
  }

  /** A text to run as it is (a link's, the JSON editor's): the form then shows it. */
  function load(t, from, why = null) {
    dirty = false;
    source = "json";
    refused = why;
    jsonNote.replaceChildren();
    if (!refused && t.length > MAX_JSON_CHARS) {
      refused = refusal(
        `输入有 ${kib(t.length)}，超过 ${kib(MAX_JSON_CHARS)} 的输入上限（与命令行计算器的默认上限相同），未运行。`,
        `The input is ${kib(t.length)}, more than the ${kib(MAX_JSON_CHARS)} input limit (fundsim calc's default); it was not run.`
      );
    }
    doc = undefined;
    if (!refused) {
      try {
        doc = JSON.parse(t);
      } catch {
        doc = undefined;
      }
      // A link's text is the JSON written compactly by this page: shown indented, the same value.
      if (from === "link" && doc !== undefined && safeStringify(doc, 0) === t) t = safeStringify(doc, 2) ?? t;
    }
    if (jsonBox.value !== t) jsonBox.value = t; // a long text is costly to lay out again
    render();
    runNow();
  }

  function safeStringify(v, indent) {
    try {
      return JSON.stringify(v, null, indent);
    } catch {
      return null; // nested too deep to write again
    }
  }

  /** After an edit in the form: the JSON follows (only the key edited changes), then runs. */
  function edited() {
    const t = safeStringify(doc, 2);
    if (t === null) {
      notes.replaceChildren(el("div", {class: "calc-note"}, bi("这份JSON嵌套过深，表单无法写回；请在JSON中修改。", "This JSON is nested too deep for the form to write back; edit it in the JSON.")));
      return;
    }
    jsonBox.value = t;
    source = "form";
    refused = null;
    jsonNote.replaceChildren();
    runNow();
  }

  function runNow() {
    if (refused) result = null;
    else {
      try {
        result = run(jsonBox.value);
      } catch (e) {
        // What the CLI would print as a crash: shown, not thrown into the page.
        result = {code: 1, stdout: "", stderr: `fundsim calc: ${String(e?.message ?? e).slice(0, 500)}\n`};
      }
    }
    showMessages();
    writeUrl();
    root.value = {text: jsonBox.value, source, result, refused};
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // ---- messages beside their fields; the rest above the form -------------------------------------------

  function showMessages() {
    for (const x of root.querySelectorAll(".calc-msg")) x.remove();
    for (const x of root.querySelectorAll("[aria-invalid]")) x.removeAttribute("aria-invalid");
    for (const x of root.querySelectorAll(".calc-invalid")) x.classList.remove("calc-invalid");
    for (const x of root.querySelectorAll(".calc-claim-msgs")) x.hidden = true;
    const noteItems = [];
    if (refused) noteItems.push(el("div", {class: "calc-note calc-refused"}, bi(refused.zh, refused.en)));
    else if (!isRecord(doc) && result)
      noteItems.push(el("div", {class: "calc-note"}, bi("表单无法显示这份输入（不是一个JSON对象）：请在下方JSON中修改后运行。", "The form cannot show this input (it is not a JSON object): edit the JSON below and run it.")));
    notes.replaceChildren(...noteItems);

    if (!result || result.code === 0) return problems.replaceChildren();
    const above = [];
    let placed = 0;
    for (const p of problemsOf(result)) {
      const f = p.field !== null && isRecord(doc) ? fields.get(formKey(p.field)) : undefined;
      if (!f) {
        above.push(p);
        continue;
      }
      placed++;
      const m = el("div", {class: "calc-msg", "data-for": p.field}, bi(problemText(p, "zh"), problemText(p, "en")));
      for (const x of f.inputs) x.setAttribute("aria-invalid", "true");
      if (f.holder.msgs) {
        f.holder.row.classList.add("calc-invalid");
        f.holder.msgs.hidden = false;
        f.holder.msgs.lastChild.append(m);
      } else if (f.holder.tagName === "FIELDSET") f.holder.querySelector("legend").after(m);
      else {
        f.holder.classList.add("calc-invalid");
        f.holder.append(m);
      }
    }
    // What no form field shows is in the JSON: the editor is marked.
    if (above.length) {
      jsonBox.setAttribute("aria-invalid", "true");
      jsonBox.classList.add("calc-invalid");
    }
    problems.replaceChildren(
      el(
        "div",
        {class: "calc-problems-title"},
        bi([cmd(), ` 退出状态 ${result.code}：输入有误。`], [cmd(), ` exit status ${result.code}: bad input.`]),
        placed ? " " : null,
        placed ? bi(`${placed} 条标在对应栏目旁。`, `${placed} shown beside their fields.`) : null,
        above.length ? " " : null,
        above.length ? bi("以下各条请在下方JSON中修改：", "Those below: edit them in the JSON.") : null
      ),
      ...(above.length ? [el("ul", {class: "calc-problems-list"}, above.map((p) => el("li", {"data-for": p.field ?? ""}, bi(problemText(p, "zh"), problemText(p, "en")))))] : [])
    );
  }

  function writeUrl() {
    try {
      const u = new URL(location.href);
      u.searchParams.delete("city");
      let t = jsonBox.value;
      if (doc !== undefined) t = safeStringify(doc, 0) ?? t;
      const c = b64url(t);
      if (refused || t === "" || c.length > MAX_LINK_CHARS) {
        u.searchParams.delete("c");
        if (!refused && t !== "") jsonNote.replaceChildren(...bi(`这份输入太长，无法放进链接（上限 ${kib(MAX_LINK_CHARS)}）；请复制JSON。`, `This input is too long for a link (at most ${kib(MAX_LINK_CHARS)}): copy the JSON instead.`));
      } else u.searchParams.set("c", c);
      if (u.href !== location.href) history.replaceState(history.state, "", u.href);
    } catch {
      /* leave the URL */
    }
  }

  const onLang = () => {
    if (!root.isConnected && root.wasConnected) return document.removeEventListener(LANG_EVENT, onLang);
    const en = currentLang() === "en";
    for (const o of root.querySelectorAll("option[data-zh]")) o.textContent = en ? o.dataset.en : o.dataset.zh;
  };
  document.addEventListener(LANG_EVENT, onLang);
  requestAnimationFrame(() => (root.wasConnected = root.isConnected));

  root.append(
    notes,
    problems,
    caseSet,
    claimSet,
    el(
      "details",
      {class: "calc-json", open: true},
      el("summary", {}, bi(["输入JSON（与 ", cmd(), " 相同）"], ["Input JSON (as ", cmd(), " reads it)"])),
      jsonBox,
      el("div", {class: "calc-json-buttons"}, runJson, copyJson, example),
      jsonNote
    )
  );

  const start = typeof initial === "string" ? {text: initial, refused: null} : initial;
  load(start.text, "link", start.refused);
  return root;
}
