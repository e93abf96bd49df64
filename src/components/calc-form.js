// The calculator's form: one person-year (city, scenario, person, claims) → the JSON text that
// `fundsim calc` reads (../shared/contract/calculator.md). Field values go into the JSON as typed,
// so a malformed amount gets the CLI's own message. The JSON can also be edited directly (then it is
// what runs, exactly as the CLI would read it) and loaded back into the form.
//
//   const form = calcForm({policies, initial: readCalcUrl(location.search)});
//   const input = Generators.input(form);     // {text, source: "form" | "json"}
//
// Labels are in both languages (fs-zh / fs-en) so the form keeps its state when the reader
// switches language; every field carries data-field (person.status, claims.2.amount …) for tests.
import {currentLang, LANG_EVENT} from "./i18n.js";
import {el, bi} from "./dom.js";

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

/** A <select> whose option texts follow the language. */
function select(field, options, value) {
  const en = currentLang() === "en";
  const s = el("select", {"data-field": field, name: field}, options.map(([v, zh, e]) => el("option", {value: v, "data-zh": zh, "data-en": e}, en ? e : zh)));
  s.value = String(value);
  return s;
}

function labelled(zh, en, input, cls = "") {
  return el("label", {class: `calc-field ${cls}`}, el("span", {class: "calc-label"}, bi(zh, en)), input);
}

// ---- the URL: ?c=<the input JSON, base64url> ------------------------------------------------------

function b64url(text) {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function unb64url(text) {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

/** The input a URL carries (?c=…), or a default person-year (?city=… picks the city). */
export function readCalcUrl(search) {
  const q = new URLSearchParams(search);
  if (q.get("c")) {
    try {
      return unb64url(q.get("c"));
    } catch {
      /* fall through to the default */
    }
  }
  const city = ["lanzhou", "jinan", "neijiang", "lvliang", "ganzhou"].includes(q.get("city")) ? q.get("city") : "lanzhou";
  return JSON.stringify({
    city,
    scenario: "reform",
    person: {status: "retired", birthDate: "1958-04-12"},
    claims: [
      {date: "2023-03-02", kind: "general", level: 3, amount: "420.00"},
      {date: "2023-08-11", kind: "general", level: 1, amount: "860.50", eligible: "800.00"}
    ]
  });
}

export function calcForm({policies, initial}) {
  const root = el("div", {class: "calc-form"});
  root.addEventListener("input", (e) => e.target !== root && e.stopImmediatePropagation());
  root.addEventListener("change", (e) => e.target !== root && e.stopImmediatePropagation());
  const cities = policies.cities.map((c) => [c.city, c.name.zh, c.name.en]);

  // ---- case: city, scenario, year ----------------------------------------------------------------
  const city = select("city", cities, "lanzhou");
  const scenario = select("scenario", SCENARIOS, "reform");
  const year = el("input", {type: "text", inputmode: "numeric", "data-field": "year", name: "year", placeholder: "—", size: 6});
  // ---- person ------------------------------------------------------------------------------------
  const status = select("person.status", STATUS, "active");
  const birthDate = el("input", {type: "date", "data-field": "person.birthDate", name: "person.birthDate"});
  const retiredOn = el("input", {type: "date", "data-field": "person.retiredOn", name: "person.retiredOn"});
  const oldWorker = el("input", {type: "checkbox", "data-field": "person.oldWorker", name: "person.oldWorker"});
  const hypertension = el("input", {type: "checkbox", "data-field": "person.twoDiseases.hypertension", name: "hypertension"});
  const diabetes = el("input", {type: "checkbox", "data-field": "person.twoDiseases.diabetes", name: "diabetes"});
  const hasAccount = el("input", {type: "checkbox", "data-field": "person.hasAccount", name: "person.hasAccount", checked: true});
  const money = (field) => el("input", {type: "text", inputmode: "decimal", "data-field": field, name: field, placeholder: "—", size: 9});
  const contributionBase = money("person.contributionBase");
  const pension = money("person.pension");
  const accountBalance = money("person.accountBalance");

  const caseRow = el(
    "div",
    {class: "calc-row"},
    labelled("城市", "City", city),
    labelled("方案", "Scenario", scenario),
    labelled("账户年度（可选）", "Account year (optional)", year)
  );
  const personRows = [
    el(
      "div",
      {class: "calc-row"},
      labelled("人员类别", "Status", status),
      labelled("出生日期", "Birth date", birthDate),
      labelled("享受退休待遇日期", "Retiree benefits from", retiredOn)
    ),
    el(
      "div",
      {class: "calc-row calc-checks"},
      el("label", {class: "calc-check"}, oldWorker, bi("建国前老工人", "Pre-1949 veteran worker")),
      el("label", {class: "calc-check"}, hypertension, bi("高血压（两病备案）", "Hypertension (registered)")),
      el("label", {class: "calc-check"}, diabetes, bi("糖尿病（两病备案）", "Diabetes (registered)")),
      el("label", {class: "calc-check"}, hasAccount, bi("有个人账户（灵活就业）", "Has an account (flexible)"))
    ),
    el(
      "div",
      {class: "calc-row"},
      labelled("缴费基数（元/月）", "Contribution base (yuan/month)", contributionBase),
      labelled("本人养老金（元/月）", "Own pension (yuan/month)", pension),
      labelled("个人账户年初余额（元）", "Account balance, opening (yuan)", accountBalance)
    )
  ];

  // ---- claims ------------------------------------------------------------------------------------
  const claimBody = el("tbody");
  const claimTable = el(
    "table",
    {class: "calc-claims"},
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {}, "#"),
        [["日期", "Date"], ["类别", "Kind"], ["级别", "Level"], ["费用（元）", "Amount"], ["政策范围内（元）", "Eligible"], ["场所", "Setting"], ["地区", "Area"], ["定点", "Designated"], ["急诊", "Emergency"], ["外配处方", "Prescription"], ["机构", "Facility"], ["", ""]].map(([zh, en]) => el("th", {}, bi(zh, en)))
      )
    ),
    claimBody
  );
  const addButton = el("button", {type: "button", class: "calc-add", onclick: () => (addClaim(lastClaim()), renumber(), emit())}, bi("＋ 添加就诊记录", "+ Add a claim"));

  function lastClaim() {
    const rows = [...claimBody.children];
    const last = rows[rows.length - 1];
    if (!last) return {date: "2023-03-01", kind: "general", level: 1, amount: "100.00"};
    const c = claimFromRow(last);
    return {date: c.date, kind: c.kind, level: c.level, amount: ""};
  }

  function addClaim(c = {}) {
    const i = claimBody.children.length;
    const f = (name) => `claims.${i}.${name}`;
    const tr = el("tr", {class: "calc-claim"});
    const cells = {
      date: el("input", {type: "date", "data-field": f("date"), name: "date", value: c.date ?? ""}),
      kind: select(f("kind"), KINDS, c.kind ?? "general"),
      level: select(f("level"), LEVELS, c.level ?? 1),
      amount: el("input", {type: "text", inputmode: "decimal", "data-field": f("amount"), name: "amount", size: 8, value: c.amount ?? ""}),
      eligible: el("input", {type: "text", inputmode: "decimal", "data-field": f("eligible"), name: "eligible", size: 8, placeholder: "=", value: c.eligible ?? ""}),
      setting: select(f("setting"), SETTINGS, c.setting ?? "facility"),
      area: select(f("area"), AREAS, c.area ?? "local"),
      designated: el("input", {type: "checkbox", "data-field": f("designated"), name: "designated", checked: c.designated ?? true}),
      emergency: el("input", {type: "checkbox", "data-field": f("emergency"), name: "emergency", checked: c.emergency ?? false}),
      prescription: el("input", {type: "checkbox", "data-field": f("prescription"), name: "prescription", checked: c.prescription ?? true}),
      facility: el("input", {type: "text", "data-field": f("facility"), name: "facility", size: 5, value: c.facility ?? ""})
    };
    tr.cells_ = cells;
    const remove = el("button", {type: "button", class: "calc-remove", title: "删除 / remove", "aria-label": "remove", onclick: () => (tr.remove(), renumber(), emit())}, "×");
    tr.append(el("td", {class: "calc-n"}, String(i)), ...Object.values(cells).map((x) => el("td", {}, x)), el("td", {}, remove));
    claimBody.append(tr);
  }

  /** Row numbers and field names follow the claims' order after a removal. */
  function renumber() {
    [...claimBody.children].forEach((tr, i) => {
      tr.querySelector(".calc-n").textContent = String(i);
      for (const [k, x] of Object.entries(tr.cells_)) {
        x.dataset.field = `claims.${i}.${k}`;
        if (x.tagName === "SELECT") x.name = `claims.${i}.${k}`;
      }
    });
  }

  function claimFromRow(tr) {
    const x = tr.cells_;
    const c = {date: x.date.value, kind: x.kind.value, level: Number(x.level.value), amount: x.amount.value};
    if (x.eligible.value !== "") c.eligible = x.eligible.value;
    if (x.setting.value !== "facility") c.setting = x.setting.value;
    if (x.area.value !== "local") c.area = x.area.value;
    if (!x.designated.checked) c.designated = false;
    if (x.emergency.checked) c.emergency = true;
    if (!x.prescription.checked) c.prescription = false;
    if (x.facility.value !== "") c.facility = x.facility.value;
    if (c.date === "") delete c.date;
    if (c.amount === "") delete c.amount;
    return c;
  }

  // ---- JSON ----------------------------------------------------------------------------------------
  const jsonBox = el("textarea", {class: "calc-json-input", "data-field": "json", spellcheck: "false", rows: 12});
  let source = "form";
  const runJson = el("button", {type: "button", class: "calc-run-json", onclick: () => fromJson()}, bi("按此JSON计算并填入表单", "Run this JSON and fill the form"));
  const copyJson = el("button", {type: "button", class: "calc-copy-input", onclick: () => copy(jsonBox.value)}, bi("复制", "Copy"));
  const jsonNote = el("div", {class: "calc-json-note"});
  jsonBox.addEventListener("input", () => {
    source = "json";
    jsonNote.replaceChildren(...bi("已修改：点击按钮以运行此JSON。", "Edited: press the button to run this JSON."));
  });

  function formJson() {
    const person = {status: status.value};
    if (birthDate.value) person.birthDate = birthDate.value;
    if (retiredOn.value) person.retiredOn = retiredOn.value;
    if (oldWorker.checked) person.oldWorker = true;
    const two = [hypertension.checked && "hypertension", diabetes.checked && "diabetes"].filter(Boolean);
    if (two.length) person.twoDiseases = two;
    if (!hasAccount.checked) person.hasAccount = false;
    if (contributionBase.value !== "") person.contributionBase = contributionBase.value;
    if (pension.value !== "") person.pension = pension.value;
    if (accountBalance.value !== "") person.accountBalance = accountBalance.value;
    const input = {city: city.value, scenario: scenario.value};
    if (year.value.trim() !== "") input.year = /^\d+$/.test(year.value.trim()) ? Number(year.value.trim()) : year.value;
    input.person = person;
    input.claims = [...claimBody.children].map(claimFromRow);
    return JSON.stringify(input, null, 2);
  }

  /** Fill the form from an input object; returns the fields the form cannot show. */
  function fill(input) {
    const left = [];
    const known = (o, keys, where) => Object.keys(o ?? {}).forEach((k) => keys.includes(k) || left.push(`${where}${k}`));
    known(input, ["city", "scenario", "person", "claims", "year"], "");
    if (cities.some(([c]) => c === input.city)) city.value = input.city;
    if (input.scenario === undefined || input.scenario === "reform" || input.scenario === "baseline") scenario.value = input.scenario ?? "reform";
    else left.push("scenario");
    year.value = input.year === undefined ? "" : String(input.year);
    const p = input.person ?? {};
    known(p, ["status", "birthDate", "retiredOn", "oldWorker", "twoDiseases", "hasAccount", "contributionBase", "pension", "accountBalance"], "person.");
    status.value = STATUS.some(([s]) => s === p.status) ? p.status : "active";
    birthDate.value = p.birthDate ?? "";
    retiredOn.value = p.retiredOn ?? "";
    oldWorker.checked = p.oldWorker === true;
    hypertension.checked = Array.isArray(p.twoDiseases) && p.twoDiseases.includes("hypertension");
    diabetes.checked = Array.isArray(p.twoDiseases) && p.twoDiseases.includes("diabetes");
    hasAccount.checked = p.hasAccount !== false;
    contributionBase.value = p.contributionBase === undefined ? "" : String(p.contributionBase);
    pension.value = p.pension === undefined ? "" : String(p.pension);
    accountBalance.value = p.accountBalance === undefined ? "" : String(p.accountBalance);
    claimBody.replaceChildren();
    (Array.isArray(input.claims) ? input.claims : []).forEach((c, i) => {
      known(c, ["date", "kind", "level", "amount", "eligible", "setting", "area", "designated", "emergency", "prescription", "facility"], `claims[${i}].`);
      addClaim({
        ...c,
        amount: c.amount === undefined ? "" : String(c.amount),
        eligible: c.eligible === undefined ? "" : String(c.eligible),
        facility: c.facility === undefined ? "" : String(c.facility)
      });
    });
    return left;
  }

  function fromJson() {
    source = "json";
    let parsed;
    try {
      parsed = JSON.parse(jsonBox.value);
    } catch {
      parsed = null;
    }
    const left = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? fill(parsed) : ["(input)"];
    jsonNote.replaceChildren(
      ...(left.length
        ? bi(`已按JSON原文计算；表单无法显示：${left.join("、")}`, `Ran the JSON as written; the form cannot show: ${left.join(", ")}`)
        : bi("已按JSON计算并填入表单。", "Ran the JSON and filled the form."))
    );
    emit(false);
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      jsonBox.select();
    }
  }

  /** Recompute: from the form (the JSON box follows it) or, after an edit of the JSON, from the JSON. */
  function emit(fromForm = true) {
    if (fromForm) {
      source = "form";
      jsonBox.value = formJson();
      jsonNote.replaceChildren();
    }
    root.value = {text: jsonBox.value, source};
    try {
      const u = new URL(location.href);
      u.searchParams.set("c", b64url(JSON.stringify(JSON.parse(jsonBox.value))));
      u.searchParams.delete("city");
      history.replaceState(history.state, "", u.href);
    } catch {
      /* not JSON: leave the URL */
    }
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // Any change in the form recomputes.
  for (const ev of ["input", "change"]) {
    root.addEventListener(
      ev,
      (e) => {
        if (e.target === jsonBox || e.target === root || !e.target.dataset?.field) return;
        emit();
      },
      true
    );
  }

  const onLang = () => {
    if (!root.isConnected && root.wasConnected) return document.removeEventListener(LANG_EVENT, onLang);
    const en = currentLang() === "en";
    for (const o of root.querySelectorAll("option[data-zh]")) o.textContent = en ? o.dataset.en : o.dataset.zh;
  };
  document.addEventListener(LANG_EVENT, onLang);
  requestAnimationFrame(() => (root.wasConnected = root.isConnected));

  root.append(
    el("fieldset", {class: "calc-case"}, el("legend", {}, bi("参保人", "Person")), caseRow, ...personRows),
    el("fieldset", {class: "calc-claims-set"}, el("legend", {}, bi("就诊记录", "Claims")), el("div", {class: "calc-claims-scroll"}, claimTable), addButton),
    el(
      "details",
      {class: "calc-json", open: true},
      el("summary", {}, bi("输入JSON（与 fundsim calc 相同）", "Input JSON (as fundsim calc reads it)")),
      jsonBox,
      el("div", {class: "calc-json-buttons"}, runJson, copyJson),
      jsonNote
    )
  );

  // Start from the URL's input (or the default).
  jsonBox.value = initial;
  let start;
  try {
    start = JSON.parse(initial);
  } catch {
    start = null;
  }
  const left = start && typeof start === "object" && !Array.isArray(start) ? fill(start) : ["(input)"];
  if (left.length) fromJson();
  else emit();
  return root;
}
