// A page's choices in its URL, so that a link reopens the same view: ?year=2023&unit=pc on the
// overview, ?year=2023 on a city page (the city is the path). The language (?lang=en) is kept by the
// layout's boot script, which rewrites the URL the same way (history.replaceState, other
// parameters untouched).
//
//   const asked = urlChoice("year", R.years, R.latest);     // {value, asked, ok}
//   const yearInput = Inputs.radio(R.years, {value: asked.value});
//   keepInUrl(yearInput, "year", {fallback: R.latest});      // the default is left out of the URL
//
// A set of numbers under one prefix, e.g. the projection page's edited assumptions
// (?a.costTrend=6&a.wageGrowth=5): urlNumbers("a.") reads them, writeUrlNumbers("a.", edits) writes them.

/** The value of ?name= when it is one of `allowed` (compared as text), else `fallback`; `ok` is false
 *  when the URL asked for a value the page does not have (the page says so). */
export function urlChoice(name, allowed, fallback, search = typeof location === "undefined" ? "" : location.search) {
  const asked = new URLSearchParams(search).get(name);
  if (asked === null) return {value: fallback, asked, ok: true};
  const hit = allowed.find((v) => String(v) === asked);
  return hit === undefined ? {value: fallback, asked, ok: false} : {value: hit, asked, ok: true};
}

/** Write ?name=value (or remove it when value is the fallback) without a new history entry. */
export function writeUrl(name, value, {fallback} = {}) {
  try {
    const u = new URL(location.href);
    if (value === undefined || value === null || String(value) === String(fallback)) u.searchParams.delete(name);
    else u.searchParams.set(name, String(value));
    if (u.href !== location.href) history.replaceState(history.state, "", u.href);
  } catch {
    /* a page outside a browser: nothing to keep */
  }
}

/** The parameters ?<prefix><key>=<number>: {values: {key: number}, bad: [{key, asked}]} (bad: not a
 *  finite number). Keys are the text after the prefix; the caller decides which it knows. */
export function urlNumbers(prefix, search = typeof location === "undefined" ? "" : location.search) {
  const values = Object.create(null); // keys come from the URL: no prototype for one to reach
  const bad = [];
  for (const [name, asked] of new URLSearchParams(search)) {
    if (!name.startsWith(prefix) || name.length === prefix.length) continue;
    const key = name.slice(prefix.length);
    const x = asked.trim() === "" ? NaN : Number(asked);
    if (Number.isFinite(x)) values[key] = x;
    else bad.push({key, asked});
  }
  return {values, bad};
}

/** Write ?<prefix><key>=<number> for each entry of `values`, removing the prefix's other parameters. */
export function writeUrlNumbers(prefix, values) {
  try {
    const u = new URL(location.href);
    for (const name of [...u.searchParams.keys()]) if (name.startsWith(prefix)) u.searchParams.delete(name);
    for (const [key, x] of Object.entries(values)) u.searchParams.set(prefix + key, String(x));
    if (u.href !== location.href) history.replaceState(history.state, "", u.href);
  } catch {
    /* a page outside a browser: nothing to keep */
  }
}

/** Keep ?name= in step with an input's value (an Observable Inputs element or any element firing "input"). */
export function keepInUrl(input, name, {fallback} = {}) {
  const write = () => writeUrl(name, input.value, {fallback});
  input.addEventListener("input", write);
  write();
  return input;
}

/** The note a page shows when its link asked for something it does not have; `show` names the value
 *  shown instead (e.g. a city's name rather than its code). */
export function urlProblem(choice, name, t, show = String) {
  if (choice.ok) return "";
  return t(`链接中的 ${name}=${choice.asked} 无对应数据，显示 ${show(choice.value)}。`, `The link's ${name}=${choice.asked} is not available; showing ${show(choice.value)}.`);
}
