// The calculator's result: what `fundsim calc` prints for the input, shown as tables (each claim
// with its trace in the page's language, the totals, the second payment, the account credits) and
// as the JSON itself. On bad input: each problem in the page's language (claims counted from 1),
// the CLI's messages word for word beneath, and its exit status.
//
//   const result = model.runCalcWith(text, sources);   // {code, stdout, stderr}
//   display(calcView(result, {lang}));
//   display(calcView(null, {lang, refused: {zh, en}}));  // an input the page did not run (too long …)
//
// A long result stays light: the table shows the first RESULT_ROWS claims (the totals are the
// whole input's), the output box the first OUTPUT_CHARS characters; copying and downloading give
// everything.
import {translator} from "./i18n.js";
import {download as saveFile, el, withCitations, withCode} from "./dom.js";

const download = (text, name) => saveFile(text, name, "application/json");
import {problemText} from "./calc-form.js";

/** Claim rows the result table shows. */
export const RESULT_ROWS = 500;
/** Characters of the output JSON the page shows (copy and download give all of it). */
export const OUTPUT_CHARS = 256 * 1024;

const RULES = {
  general: ["普通门诊统筹", "general pooling"],
  tcm: ["中医门诊", "TCM"],
  two_disease: ["两病用药", "two diseases"],
  special_exam: ["特殊检查治疗", "special exams"],
  excluded: ["不予支付", "not paid"]
};
const STATUSES = {active: ["在职", "active"], retired: ["退休", "retired"], flexible: ["灵活就业", "flexible"]};
const KINDS = {
  general: ["普通门诊", "general"],
  tcm: ["中医门诊", "TCM"],
  two_disease: ["两病用药", "two-disease"],
  special_exam: ["特殊检查", "special exam"],
  chronic_special: ["门诊慢特病", "chronic/special"],
  inpatient: ["住院", "inpatient"],
  day_surgery: ["日间手术", "day surgery"]
};
const EXCLUSIONS = {
  inpatient: ["住院", "inpatient"],
  day_surgery: ["日间手术", "day surgery"],
  non_designated: ["非定点机构", "non-designated"],
  temporary_out_of_area: ["临时外出就医", "temporarily elsewhere"],
  no_prescription: ["无外配处方", "no prescription"],
  no_account_mode: ["单建统筹人员", "pool-only member"],
  chronic_special_self_pay: ["慢特病自付部分", "chronic self-pay"],
  no_general_pooling: ["无普通门诊统筹", "no general pooling"],
  during_stay: ["住院期间", "during an inpatient stay"],
  not_covered: ["不在支付范围", "not covered"],
  work_injury: ["应由工伤保险基金支付", "work injury"],
  third_party: ["应由第三人负担", "third-party liability"],
  public_health: ["应由公共卫生负担", "public health"],
  wellness: ["健身保健体检", "fitness, wellness, check-up"],
  no_card: ["未持卡或电子凭证结算", "no card or e-voucher"],
  arrears_period: ["欠费期间或等待期", "arrears or waiting period"],
  other_not_payable: ["其它不符合支付范围", "otherwise outside the fund"],
  chronic_scheme: ["执行门诊慢特病政策", "chronic/special scheme"],
  not_chosen_facility: ["非选定定点机构", "not the chosen facility"]
};

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.classList.add("calc-copied");
    setTimeout(() => button.classList.remove("calc-copied"), 1200);
  } catch {
    /* the text is selectable in the box */
  }
}

/** The result of runCalcWith as a panel; `inputText` is offered for download beside the output. */
export function calcView(result, {lang = "zh", inputText = "", refused = null} = {}) {
  const t = translator(lang);
  const i = lang === "en" ? 1 : 0;
  // data-input: the input this result is for (tests wait for it to match the JSON box).
  const root = el("div", {class: "calc-view", "data-code": result ? result.code : "refused"});
  root.dataset.input = inputText;
  if (!result) {
    root.append(el("div", {class: "calc-errors calc-refused"}, el("div", {class: "calc-errors-title"}, t("未计算：", "Not computed:")), el("div", {}, refused ? t(refused.zh, refused.en) : "")));
    return root;
  }
  const command = el("div", {class: "calc-command"}, el("code", {}, "node bin/fundsim.js calc input.json"), " → ", t(`退出状态 ${result.code}`, `exit status ${result.code}`));

  if (result.code !== 0) {
    const list = result.problems ?? [];
    const stderr = el("pre", {class: "calc-stderr"}, result.stderr);
    root.append(
      el(
        "div",
        {class: "calc-errors"},
        el("div", {class: "calc-errors-title"}, t("输入有误：", "Bad input:")),
        list.length ? el("ul", {class: "calc-error-list"}, list.map((p) => el("li", {"data-for": p.field, ...(p.row ? {"data-row": p.row} : {})}, problemText(p, t.lang)))) : null,
        // The command line's own lines, word for word (English, claims counted from 0 as in the JSON).
        list.length ? el("details", {class: "calc-stderr-box"}, el("summary", {}, withCode(t("命令行的原文（`fundsim calc` 标准错误输出）", "The command line's words (`fundsim calc` standard error)"))), stderr) : stderr
      ),
      command
    );
    return root;
  }
  const out = JSON.parse(result.stdout);
  const hasAccount = out.totals.account !== undefined;
  const head = [
    ["#", "#"],
    ["日期", "Date"],
    ["类别", "Kind"],
    ["级别", "Level"],
    ["费用", "Amount"],
    ["政策范围内", "Eligible"],
    ["计入起付线", "Deductible"],
    ["比例", "Rate"],
    ["统筹支付", "Fund pays"],
    ...(hasAccount ? [["个人账户", "Account"]] : []),
    ["个人自付", "Out of pocket"],
    ["支付渠道", "Paid under"]
  ];
  const table = el("table", {class: "calc-results"}, el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h[i])))));
  const body = el("tbody");
  out.claims.slice(0, RESULT_ROWS).forEach((c, n) => {
    const why = EXCLUSIONS[c.exclusion]?.[i] ?? c.exclusion;
    const rule = c.rule === "excluded" ? t(`${RULES.excluded[0]}（${why}）`, `${RULES.excluded[1]} (${why})`) : (RULES[c.rule]?.[i] ?? c.rule);
    body.append(
      el(
        "tr",
        {class: "calc-result-row", "data-claim": n},
        el("td", {}, String(n + 1)),
        el("td", {}, c.date),
        el("td", {}, KINDS[c.kind]?.[i] ?? c.kind),
        el("td", {class: "num"}, String(c.level)),
        el("td", {class: "num"}, c.amount),
        el("td", {class: "num"}, c.eligible),
        el("td", {class: "num"}, c.deductible),
        el("td", {class: "num"}, c.rate),
        el("td", {class: "num calc-fund", "data-value": c.fund}, c.fund),
        hasAccount ? el("td", {class: "num"}, c.account) : null,
        el("td", {class: "num", "data-value": c.outOfPocket}, c.outOfPocket),
        el("td", {}, rule)
      ),
      el("tr", {class: "calc-trace-row"}, el("td", {colspan: head.length}, el("details", {}, el("summary", {}, t("计算过程与依据", "How, and under which article")), el("ol", {class: "calc-trace"}, (c.steps ?? c.trace.map((en) => ({en, zh: en}))).map((s) => el("li", {"data-step": s.step}, i ? withCitations(s.en) : s.zh))))))
    );
  });
  const tot = out.totals;
  body.append(
    el(
      "tr",
      {class: "calc-totals"},
      el("td", {colspan: 4}, t("合计", "Totals")),
      el("td", {class: "num", "data-total": "amount"}, tot.amount),
      el("td", {class: "num", "data-total": "eligible"}, tot.eligible),
      el("td", {class: "num", "data-total": "deductible"}, tot.deductible),
      el("td", {}),
      el("td", {class: "num", "data-total": "fund"}, tot.fund),
      hasAccount ? el("td", {class: "num", "data-total": "account"}, tot.account) : null,
      el("td", {class: "num", "data-total": "outOfPocket"}, tot.outOfPocket),
      el("td", {})
    )
  );
  table.append(body);
  root.append(el("div", {class: "calc-results-scroll"}, table));
  if (out.claims.length > RESULT_ROWS) {
    root.append(
      el(
        "div",
        {class: "calc-cut-note"},
        t(
          `表中列出前 ${RESULT_ROWS} 条就诊记录（共 ${out.claims.length} 条），合计为全部记录的合计；完整结果见输出JSON。`,
          `The table lists the first ${RESULT_ROWS} of ${out.claims.length} claims; the totals are all of them. The output JSON has every claim.`
        )
      )
    );
  }

  for (const sp of out.annual?.secondPayment ?? []) {
    root.append(
      el(
        "div",
        {class: "calc-annual"},
        el("strong", {}, t(`${sp.year}年大额医疗费用二次支付：`, `Second payment for ${sp.year}: `)),
        t(`合规自付 ${sp.selfBurden} 元，起付标准 ${sp.threshold} 元，支付 ${sp.paid} 元。`, `self-burden ${sp.selfBurden}, threshold ${sp.threshold}, paid ${sp.paid} yuan. `),
        el("div", {class: "calc-annual-trace"}, sp.steps ? (i ? sp.steps[0].en : sp.steps[0].zh) : sp.trace)
      )
    );
  }
  if (out.accounts) {
    const a = out.accounts;
    root.append(
      el(
        "details",
        {class: "calc-accounts"},
        el(
          "summary",
          {},
          a.total === null
            ? t(`${a.year}年个人账户划入：未填缴费基数或养老金，无法算出全部月份`, `Account credits in ${a.year}: not all months can be worked out without a contribution base or pension`)
            : t(`${a.year}年个人账户划入：合计 ${a.total} 元，其中统筹基金支付 ${a.fromPooledFund} 元`, `Account credits in ${a.year}: ${a.total} yuan in all, ${a.fromPooledFund} from the pooled fund`),
          a.closingBalance !== undefined ? t(`；年末余额 ${a.closingBalance} 元`, `; closing balance ${a.closingBalance}`) : ""
        ),
        el(
          "table",
          {class: "calc-months"},
          el("thead", {}, el("tr", {}, el("th", {}, t("月", "Month")), el("th", {}, t("身份", "Status")), el("th", {}, t("划入（元）", "Credit (yuan)")), el("th", {}, t("依据", "Basis")))),
          el("tbody", {}, a.months.map((m) => el("tr", {}, el("td", {}, String(m.month)), el("td", {}, STATUSES[m.status]?.[i] ?? m.status), el("td", {class: "num"}, m.credit ?? "—"), el("td", {class: "calc-month-trace"}, m.steps ? (i ? withCitations(m.steps[0].en) : m.steps[0].zh) : withCitations(m.trace)))))
        )
      )
    );
  }
  const cut = result.stdout.length > OUTPUT_CHARS;
  const pre = el("pre", {class: "calc-output", "data-field": "output"}, cut ? result.stdout.slice(0, OUTPUT_CHARS) : result.stdout);
  const copyButton = el("button", {type: "button", class: "calc-copy-output", onclick: () => copy(result.stdout, copyButton)}, t("复制输出JSON", "Copy the output JSON"));
  root.append(
    el(
      "details",
      {class: "calc-json-out", open: true},
      el("summary", {}, withCode(t("输出JSON（与 `fundsim calc` 的输出相同）", "Output JSON (what `fundsim calc` prints)"))),
      command,
      el(
        "div",
        {class: "calc-json-buttons"},
        copyButton,
        el("button", {type: "button", onclick: () => download(inputText.endsWith("\n") ? inputText : inputText + "\n", "input.json")}, withCode(t("下载输入 `input.json`", "Download `input.json`"))),
        el("button", {type: "button", onclick: () => download(result.stdout, "output.json")}, withCode(t("下载输出 `output.json`", "Download `output.json`")))
      ),
      cut
        ? el(
            "div",
            {class: "calc-cut-note"},
            t(
              `输出JSON共 ${(result.stdout.length / 1048576).toFixed(1)} MB，此处只显示前 ${OUTPUT_CHARS / 1024} KB；复制或下载可得全部。`,
              `The output JSON is ${(result.stdout.length / 1048576).toFixed(1)} MB; the first ${OUTPUT_CHARS / 1024} KB are shown here. Copy or download it for all of it.`
            )
          )
        : null,
      pre
    )
  );
  return root;
}
