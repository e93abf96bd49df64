// The overview's leadership view of the reform's effect on each city's pooled fund, and the small
// DOM helpers the city and methods pages share (element builder, tables, grids, big numbers).
//
//   headlineCards(rows, {lang})             five city cards: Δ income, Δ outflows, net, months
//   impactChartSpec(rows, {width, lang, unit})   contributions to the year's pooled balance
//   reserveChartSpec(rows, {width, lang})   months of reserve, before and after, 6 / 15 references
//   gainShareSpec(rows, {width, lang})      share gaining / losing by status, per city
//   ageGainSpec(rows, {width, lang})        mean gain (yuan) by age band, per city
import {fundMoney, MINUS, months as fmtMonths, num, pct, wan} from "./format.js";
import {effectOf, effectText, gainLegendTitle, gainScale, toneClass} from "./effect.js";
import {isFlat} from "./headline.js";
import {translator} from "./i18n.js";
import {cityName} from "./cities.js";
import {COLORS} from "./chart.js";
import {labels} from "./fund-data.js";

// ---- DOM helpers ----------------------------------------------------------------------------------
/** el("div", {class: "x"}, child, "text", [more]) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "style" && typeof v === "object") Object.assign(e.style, v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** Columns for a page width: 3 from 900 px, 2 from 600 px, else 1. */
export function columnsFor(width, max = 3) {
  return Math.max(1, Math.min(max, width >= 900 ? 3 : width >= 600 ? 2 : 1));
}
/** The width of one cell in a grid of `cols` columns across `width` (1rem gaps). */
export function cellWidth(width, cols) {
  return Math.floor((width - (cols - 1) * 16) / cols);
}
/** A grid of figures, `cols` across. */
export function chartGrid(children, cols) {
  return el("div", {class: "fs-chart-grid", style: {gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`}}, children);
}

/**
 * A table: columns [{key, label, num?, format?(value, row), class? (a string, or row → string)}], rows of objects.
 * `strong(row)` marks a row in bold. Returns a scrollable wrapper.
 */
export function dataTable(rows, columns, {strong, className = "", attrs = {}} = {}) {
  return el(
    "div",
    {class: "fs-table-wrap"},
    el(
      "table",
      {class: `fs-table ${className}`.trim(), ...attrs},
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", {class: c.num ? "fs-num" : null}, c.label)))),
      el(
        "tbody",
        {},
        rows.map((r) =>
          el(
            "tr",
            {class: strong?.(r) ? "fs-strong" : null},
            columns.map((c) => {
              const v = c.format ? c.format(r[c.key], r) : r[c.key];
              const cls = typeof c.class === "function" ? c.class(r) : c.class;
              return el("td", {class: [c.num ? "fs-num" : "", cls ?? ""].join(" ").trim() || null}, v ?? "—");
            })
          )
        )
      )
    )
  );
}

/** A rating badge: O / S / D / E, with its meaning as a tooltip. */
export function ratingBadge(rating, lang = "zh") {
  if (!rating) return "—";
  const meaning = {
    O: ["官方统计或政策原文", "official statistics or the text"],
    S: ["转载官方资料的二手来源", "secondary source reproducing official material"],
    D: ["由已知数据推算", "derived by arithmetic from found figures"],
    E: ["估计（未找到来源）", "estimate (no source found)"]
  }[rating];
  return el("span", {class: `fs-rating fs-rating-${rating}`, title: meaning ? meaning[lang === "en" ? 1 : 0] : rating}, rating);
}

// ---- number formats ---------------------------------------------------------------------------------
/** Yuan → "+1,234 元" / "+¥1,234". */
export function signedYuan(x, lang = "zh", decimals = 0) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const s = num(Math.abs(x), {decimals, lang});
  const sign = x > 0.5 * 10 ** -decimals ? "+" : x < -0.5 * 10 ** -decimals ? MINUS : "";
  return lang === "en" ? `${sign}¥${s}` : `${sign}${s} 元`;
}
/** Yuan → "1,234 元" / "¥1,234". */
export function yuanText(x, lang = "zh", decimals = 0) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const s = num(Math.abs(x), {decimals, lang});
  const sign = x < 0 && s !== num(0, {decimals, lang}) ? MINUS : "";
  return lang === "en" ? `${sign}¥${s}` : `${sign}${s} 元`;
}

// ---- the headline cards ---------------------------------------------------------------------------
/** Months (可支付月数) status against the 6-month and 15-month references. */
function monthsNote(m, t) {
  if (!Number.isFinite(m)) return "";
  if (m < 6) return t("低于6个月", "below 6 months");
  if (m > 15) return t("超过15个月", "above 15 months");
  return t("处于6–15个月", "within 6–15 months");
}

/**
 * One card per city: the effect on the year's pooled balance (big), income and spending on NHSA's
 * bulletin basis as their effects on the balance (with 增收 / 增支 words), months of reserve at year
 * end before → after; colours say better / worse for the fund (./effect.js). `prior` (the year
 * before's rows, when the results hold it) adds 同比. `link(city)` gives the city page's URL.
 */
export function headlineCards(rows, {lang = "zh", link, single = false, prior = null} = {}) {
  const t = translator(lang);
  // The amount (signed: its effect on the balance) and, after it, the word that says which way it goes.
  const effectLine = (kind, fen, metric) => {
    const e = effectOf(kind, fen);
    const word = e.word[lang === "en" ? 1 : 0];
    return el(
      "div",
      {class: `fs-kpi-mid ${toneClass(e.better)}`, "data-metric": metric, "data-effect-fen": String(e.fen)},
      el("span", {class: "fs-amount"}, fundMoney(e.fen, {lang, sign: true})),
      " ",
      el("span", {class: "fs-effect-word"}, lang === "en" ? `(${word})` : `（${word}）`)
    );
  };
  const cards = rows.map((r) => {
    const name = cityName(r.city, lang);
    const title = link ? el("a", {href: link(r.city)}, name) : name;
    const before = prior?.find((p) => p.city === r.city);
    const yoy = before ? (isFlat(r.net - before.net, r.net) ? 0 : r.net - before.net) : null;
    const monthsBetter = Number.isFinite(r.monthsAfter) && Number.isFinite(r.monthsBefore) ? effectOf("balance", Math.round((r.monthsAfter - r.monthsBefore) * 10)).better : null;
    return el(
      "div",
      {class: "fs-kpi", "data-city": r.city},
      single ? null : el("h3", {}, title, link ? el("span", {class: "fs-kpi-more"}, t("详情 →", "details →")) : null),
      el("div", {class: "fs-kpi-label"}, t("统筹基金当期结余（改革的影响）", "Effect on the pooled fund's balance")),
      el("div", {class: `fs-kpi-big ${toneClass(effectOf("balance", r.net).better)}`, "data-metric": "net", "data-effect-fen": String(r.net)}, fundMoney(r.net, {lang, sign: true})),
      el(
        "div",
        {class: "fs-kpi-sub"},
        t(`人均 ${signedYuan(r.netPc, lang)}`, `${signedYuan(r.netPc, lang)} per insured`),
        yoy === null
          ? null
          : el(
              "span",
              {class: toneClass(yoy === 0 ? null : yoy > 0), "data-metric": "yoy"},
              yoy === 0 ? t("；同比持平", `; same as ${before.year}`) : t(`；同比 ${fundMoney(yoy, {lang, sign: true})}`, `; ${fundMoney(yoy, {lang, sign: true})} vs ${before.year}`)
            )
      ),
      el("hr"),
      el("div", {class: "fs-kpi-label"}, t("统筹基金收入（公报口径）", "Pooled fund income (NHSA basis)")),
      effectLine("income", r.income, "income"),
      el("div", {class: "fs-kpi-label fs-kpi-gap"}, t("统筹基金支出（公报口径）", "Pooled fund spending (NHSA basis)")),
      effectLine("spending", r.spending, "spending"),
      el(
        "div",
        {class: "fs-kpi-sub"},
        t(`其中门诊统筹 ${effectText("spending", r.outpatient, lang)}`, `of which outpatient pooling ${effectText("spending", r.outpatient, lang)}`),
        el("br"),
        t(
          `统筹支付的退休人员划账${effectOf("neutral", r.retiree).word[0]} ${fundMoney(Math.abs(r.retiree), {lang})}（公报计入个人账户收入）`,
          `retiree credits paid by the pool ${effectOf("neutral", r.retiree).word[1]} ${fundMoney(Math.abs(r.retiree), {lang})} (account income in the bulletins)`
        )
      ),
      el("hr"),
      el("div", {class: "fs-kpi-label"}, t("年末累计结存可支付月数（前→后，公报口径）", "Months of reserve at year end (before → after, NHSA basis)")),
      el(
        "div",
        {class: "fs-kpi-mid", "data-metric": "months"},
        `${Number.isFinite(r.monthsBefore) ? r.monthsBefore.toFixed(1) : "—"} → `,
        el("span", {class: toneClass(monthsBetter)}, fmtMonths(r.monthsAfter, {lang}))
      ),
      el("div", {class: "fs-kpi-sub"}, t(`年初 ${fmtMonths(r.monthsOpening, {lang})}；改革后${monthsNote(r.monthsAfter, t)}`, `opening ${fmtMonths(r.monthsOpening, {lang})}; after: ${monthsNote(r.monthsAfter, t)}`))
    );
  });
  const cols = single ? 1 : rows.length;
  return el("div", {class: "fs-kpis", style: {gridTemplateColumns: `repeat(auto-fit, minmax(${single ? 260 : 168}px, 1fr))`}, "data-cols": cols}, cards);
}

// ---- the overview's charts --------------------------------------------------------------------------
/** Components of the effect on the year's pooled balance (NHSA's bulletin basis, as the cards), and their colours. */
function components(t) {
  return [
    {key: "income", sign: 1, name: t("统筹基金收入（增收为正）", "Pooled income (more income: +)"), color: "#1f5fa8"},
    {key: "spending", sign: -1, name: t("统筹基金支出（增支为负）", "Pooled spending (more spending: −)"), color: "#d9822b"},
    {key: "net", sign: 1, name: t("当期结余净影响", "Net effect on the balance"), color: "#2f2f2f"}
  ];
}

/**
 * The chart's rows: per city, each component's effect on the year's pooled balance (income +,
 * spending −), in 万元 (unit "wan") or yuan per insured (unit "pc"). `effectFen` is the city total in
 * fen (an integer, for the CSV).
 */
export function impactRows(rows, {lang = "zh", unit = "wan"} = {}) {
  const t = translator(lang);
  const comps = components(t);
  return rows.flatMap((r) =>
    comps.map((c, i) => {
      const fen = c.sign * r[c.key];
      const pc = c.sign * r[`${c.key}Pc`];
      return {
        city: r.city,
        cityName: cityName(r.city, lang),
        year: r.year,
        component: c.key,
        componentName: c.name,
        order: i,
        effectFen: fen,
        yuanPerCapita: Math.round(pc * 100) / 100,
        // 万元 in Chinese, million yuan in English (as format.js's wan())
        value: unit === "pc" ? Math.round(pc * 10) / 10 : lang === "en" ? Math.round(fen / 1e6) / 100 : Math.round(fen / 1e4) / 100
      };
    })
  );
}

export function impactChartSpec(rows, {width = 800, lang = "zh", unit = "wan", year} = {}) {
  const t = translator(lang);
  const comps = components(t);
  const cities = [...new Set(rows.map((r) => r.cityName))];
  const unitTitle = unit === "pc" ? t("元/人", "yuan per insured") : t("万元", "million yuan");
  const valueFormat = unit !== "pc" && lang === "en" ? ",.1f" : ",.0f";
  const hi = Math.max(0, ...rows.map((r) => r.value));
  const lo = Math.min(0, ...rows.map((r) => r.value));
  const pad = (hi - lo || 1) * 0.14;
  return {
    title: {
      text: t(`改革对${year ?? ""}年统筹基金当期结余的影响`, `Effect of the reform on the pooled fund's ${year ?? ""} balance`),
      subtitle: t(`各项对当期结余的影响（${unitTitle}，国家医保局统计公报口径），改革后减改革前；正值使结余增加`, [`Each item's effect on the year's balance (${unitTitle}, NHSA bulletin basis), reform minus baseline;`, "positive adds to the balance"])
    },
    data: {values: rows},
    // continuous heights (a step height with fit-x makes vega-lite warn on the console)
    height: cities.length * comps.length * 15,
    encoding: {
      y: {field: "cityName", type: "nominal", sort: cities, title: null, axis: {labelFontSize: 13, labelFontWeight: 600, labelPadding: 6}},
      yOffset: {field: "componentName", sort: comps.map((c) => c.name)},
      x: {
        field: "value",
        type: "quantitative",
        title: unitTitle,
        scale: {domain: [lo < 0 ? lo - pad : 0, hi + pad], nice: false},
        axis: {format: valueFormat, tickCount: 8}
      }
    },
    layer: [
      {
        mark: {type: "bar", height: {band: 0.9}},
        encoding: {
          color: {field: "componentName", type: "nominal", title: null, scale: {domain: comps.map((c) => c.name), range: comps.map((c) => c.color)}, legend: {orient: "top", columns: width >= 900 ? 3 : 1, labelLimit: 360}},
          tooltip: [
            {field: "cityName", title: t("城市", "City")},
            {field: "componentName", title: t("项目", "Item")},
            {field: "value", title: unitTitle, format: valueFormat},
            {field: "yuanPerCapita", title: t("元/人", "yuan per insured"), format: ",.1f"}
          ]
        }
      },
      ...[
        // no label where the value rounds to zero
        [`datum.value >= ${valueFormat === ",.1f" ? 0.05 : 0.5}`, "left", 3],
        [`datum.value <= -${valueFormat === ",.1f" ? 0.05 : 0.5}`, "right", -3]
      ].map(([test, align, dx]) => ({
        transform: [{filter: test}],
        mark: {type: "text", fontSize: 10, color: "#333", align, dx},
        encoding: {text: {field: "value", type: "quantitative", format: valueFormat.replace(",", "+,")}, x: {field: "value", type: "quantitative"}}
      })),
      {mark: {type: "rule", color: "#888"}, encoding: {x: {datum: 0}, y: null, yOffset: null}}
    ],
    config: {axisY: {grid: false}}
  };
}

/** Months of reserve, one row per city and point (opening, year end before, year end after). */
export function reserveRows(rows, {lang = "zh"} = {}) {
  const t = translator(lang);
  const pts = [
    ["monthsOpening", t("年初", "Opening"), "opening"],
    ["monthsBefore", t("年末·改革前", "Year end, before"), "before"],
    ["monthsAfter", t("年末·改革后", "Year end, after"), "after"]
  ];
  return rows.flatMap((r) =>
    // better: the months after the reform are not below those before (the colour of the after label)
    pts.map(([k, name, key]) => ({city: r.city, cityName: cityName(r.city, lang), point: key, pointName: name, months: Math.round(r[k] * 10) / 10, better: r.monthsAfter >= r.monthsBefore}))
  );
}

export function reserveChartSpec(rows, {width = 800, lang = "zh", year} = {}) {
  const t = translator(lang);
  const cities = [...new Set(rows.map((r) => r.cityName))];
  const names = [t("年初", "Opening"), t("年末·改革前", "Year end, before"), t("年末·改革后", "Year end, after")];
  const max = Math.max(20, ...rows.map((r) => r.months));
  const refs = [
    {months: 6, label: t("6个月", "6 months")},
    {months: 15, label: t("15个月", "15 months")}
  ];
  const wide = rows.filter((r) => r.point !== "opening");
  return {
    title: {
      text: t(`统筹基金累计结余可支付月数（${year ?? ""}年）`, `Pooled fund reserve in months of outflow (${year ?? ""})`),
      subtitle: t(
        ["空心圆：年初；灰点：年末·改革前（基线）；蓝点：年末·改革后，其数值绿色为较改革前上升、红色为下降。", "参考线6个月、15个月：人社部发〔2009〕67号以6–9个月为合理水平，超过15个月为结余过多"],
        ["Hollow: opening; grey: year end before the reform (baseline); blue: year end after, its figure green", "when above the baseline, red when below. Lines at 6 and 15 months: MOHRSS 2009 No. 67 calls 6–9 months reasonable, over 15 too much"]
      )
    },
    height: cities.length * 34,
    data: {values: rows},
    encoding: {y: {field: "cityName", type: "nominal", sort: cities, title: null, axis: {labelFontSize: 13, labelFontWeight: 600, grid: false}}},
    layer: [
      {mark: {type: "rect", color: "#eaf3ea", opacity: 0.7}, data: {values: [{a: 6, b: 15}]}, encoding: {x: {field: "a", type: "quantitative"}, x2: {field: "b"}, y: null}},
      {
        mark: {type: "rule", strokeDash: [4, 3], color: "#5b9e5b"},
        data: {values: refs},
        encoding: {x: {field: "months", type: "quantitative"}, y: null}
      },
      {
        mark: {type: "text", align: "left", dx: 3, baseline: "top", fontSize: 10, color: "#3d7a3d"},
        data: {values: refs},
        encoding: {x: {field: "months", type: "quantitative"}, y: {value: 2}, text: {field: "label"}}
      },
      {
        data: {values: wide},
        transform: [{pivot: "point", value: "months", groupby: ["cityName"]}],
        mark: {type: "rule", color: "#9aa5b1", strokeWidth: 2},
        encoding: {x: {field: "before", type: "quantitative"}, x2: {field: "after"}}
      },
      {
        transform: [{filter: "datum.point === 'opening'"}],
        mark: {type: "point", size: 90, strokeWidth: 1.5, color: "#7a8794", filled: false, opacity: 1},
        encoding: {
          x: {field: "months", type: "quantitative"},
          tooltip: [
            {field: "cityName", title: t("城市", "City")},
            {field: "pointName", title: t("时点", "When")},
            {field: "months", title: t("可支付月数", "Months"), format: ".1f"}
          ]
        }
      },
      {
        transform: [{filter: "datum.point !== 'opening'"}],
        mark: {type: "circle", size: 120, opacity: 1},
        encoding: {
          x: {
            field: "months",
            type: "quantitative",
            title: t("可支付月数（个月）", "Months of pooled outflow"),
            scale: {domain: [0, Math.ceil(max / 5) * 5 + 2], nice: false}
          },
          color: {field: "pointName", type: "nominal", title: null, scale: {domain: names.slice(1), range: ["#9aa5b1", COLORS.reform]}},
          tooltip: [
            {field: "cityName", title: t("城市", "City")},
            {field: "pointName", title: t("时点", "When")},
            {field: "months", title: t("可支付月数", "Months"), format: ".1f"}
          ]
        }
      },
      {
        // the after figure in the colour of what it means for the fund: green up, red down
        transform: [{filter: "datum.point === 'after'"}],
        mark: {type: "text", dy: -12, fontSize: 11, fontWeight: 600},
        encoding: {x: {field: "months", type: "quantitative"}, text: {field: "months", format: ".1f"}, color: {condition: {test: "datum.better", value: "#2e7d32"}, value: "#c62828"}}
      },
      {
        transform: [{filter: "datum.point === 'before'"}],
        mark: {type: "text", dy: 14, fontSize: 10, color: "#6b7580"},
        encoding: {x: {field: "months", type: "quantitative"}, text: {field: "months", format: ".1f"}}
      }
    ]
  };
}

/** Share gaining, unchanged and losing by status, one bar per city and status. */
export function gainShareRows(winners, {lang = "zh"} = {}) {
  const t = translator(lang);
  const g = gainScale(lang, {same: true});
  const parts = [
    ["shareGaining", g.better],
    ["shareUnchanged", g.same],
    ["shareLosing", g.worse]
  ];
  return winners.flatMap((w) => {
    let x = 0;
    return parts.map(([k, name], i) => {
      const x0 = x;
      x += w[k];
      return {city: w.city, cityName: w.cityName, group: w.group, value: w.value, part: name, partOrder: i, share: w[k], x0, x1: x, mid: (x0 + x) / 2, persons: w.persons};
    });
  });
}

export function gainShareSpec(rows, {width = 800, lang = "zh", year} = {}) {
  const t = translator(lang);
  const cities = [...new Set(rows.map((r) => r.cityName))];
  const groups = labels("status", lang).filter((g) => rows.some((r) => r.group === g));
  // coloured by the person's gain, as every "who gains and loses" chart (./effect.js)
  const g = gainScale(lang, {same: true});
  const cols = width < 620 ? 1 : groups.length;
  const panel = Math.max(140, Math.floor((width - 90) / cols) - 16);
  return {
    title: {
      text: t(`谁受益、谁负担（${year ?? ""}年，按人员类别）`, `Who gains and who pays (${year ?? ""}, by status)`),
      subtitle: t(
        "参保人所得变化 = 统筹基金为其支付的门诊待遇 + 个人账户划入，改革后减改革前；缴费不变",
        "A person's gain = pooled outpatient benefits + account credits, reform minus baseline; contributions are unchanged"
      )
    },
    data: {values: rows},
    facet: {field: "group", type: "nominal", sort: groups, title: null, header: {labelFontSize: 13, labelFontWeight: 600}},
    columns: cols,
    spacing: {column: 14},
    spec: {
      width: panel,
      height: {step: 24},
      encoding: {
        y: {field: "cityName", type: "nominal", sort: cities, title: null},
        x: {field: "x0", type: "quantitative", title: null, scale: {domain: [0, 1], nice: false}, axis: {format: ".0%", tickCount: 4}},
        x2: {field: "x1"},
        color: {field: "part", type: "nominal", title: gainLegendTitle(lang), scale: {domain: g.domain, range: g.range}, legend: {orient: "top", direction: "horizontal", labelLimit: 200, titleLimit: 240}},
        tooltip: [
          {field: "cityName", title: t("城市", "City")},
          {field: "group", title: t("人员类别", "Status")},
          {field: "part", title: t("变化", "Change")},
          {field: "share", title: t("占比", "Share"), format: ".1%"}
        ]
      },
      layer: [
        {mark: {type: "bar", height: {band: 0.8}}},
        {
          transform: [{filter: "datum.share >= 0.12 && datum.partOrder !== 1"}],
          mark: {type: "text", color: "white", fontSize: 10.5, fontWeight: 600},
          encoding: {text: {field: "share", type: "quantitative", format: ".0%"}, x: {field: "mid", type: "quantitative"}, x2: null, color: null}
        }
      ]
    }
  };
}

/** Mean gain (yuan a year) by age band, one line per city. */
export function ageGainSpec(rows, {width = 800, lang = "zh", year} = {}) {
  const t = translator(lang);
  const cities = [...new Set(rows.map((r) => r.cityName))];
  const bands = labels("age_band", lang);
  return {
    title: {
      text: t(`人均所得变化，按年龄（${year ?? ""}年，元/人·年）`, `Mean gain by age band (${year ?? ""}, yuan per person a year)`),
      subtitle: t("正值：改革后所得更多（门诊报销增加多于个人账户划入减少）", "Positive: the reform gives more (extra outpatient benefits exceed the smaller account credit)")
    },
    data: {values: rows},
    height: 260,
    encoding: {
      // Narrow charts: the age bands slanted so that they never run into each other.
      x: {field: "group", type: "ordinal", sort: bands, title: null, axis: {labelAngle: width < 560 ? -40 : 0}},
      y: {field: "meanGain", type: "quantitative", title: t("元/人", "yuan per person"), axis: {format: ",.0f"}},
      color: {field: "cityName", type: "nominal", sort: cities, title: null, ...(width < 560 ? {legend: {columns: 3}} : {})}
    },
    layer: [
      {mark: {type: "rule", color: "#888"}, encoding: {y: {datum: 0}, x: null, color: null}},
      {mark: {type: "line", point: {size: 45, filled: true}}},
      {
        mark: {type: "point", opacity: 0, size: 300},
        encoding: {
          tooltip: [
            {field: "cityName", title: t("城市", "City")},
            {field: "group", title: t("年龄组", "Age band")},
            {field: "meanGain", title: t("人均所得变化（元）", "Mean gain (yuan)"), format: ",.0f"},
            {field: "shareGaining", title: t("受益人数占比", "Share gaining"), format: ".1%"},
            {field: "persons", title: t("模拟人数", "Persons simulated"), format: ","}
          ]
        }
      }
    ]
  };
}

/** Both languages in one node (CSS shows one): for labels built once, e.g. Inputs options. */
export function both(zh, en) {
  return el("span", {}, el("span", {class: "fs-zh"}, zh), el("span", {class: "fs-en"}, en));
}

/** "12.3%" helper re-exported for pages. */
export const share = (x) => pct(x, {decimals: 1});
