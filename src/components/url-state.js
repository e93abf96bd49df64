// A page's choices in its URL, so that a link reopens the same view: ?year=2023&unit=pc on the
// overview, ?year=2023 on a city page (the city is the path). The language (?lang=en) is kept by the
// layout's boot script, which rewrites the URL the same way (history.replaceState, other
// parameters untouched).
//
//   const asked = urlChoice("year", R.years, R.latest);     // {value, asked, ok}
//   const yearInput = Inputs.radio(R.years, {value: asked.value});
//   keepInUrl(yearInput, "year", {fallback: R.latest});      // the default is left out of the URL

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

/** Keep ?name= in step with an input's value (an Observable Inputs element or any element firing "input"). */
export function keepInUrl(input, name, {fallback} = {}) {
  const write = () => writeUrl(name, input.value, {fallback});
  input.addEventListener("input", write);
  write();
  return input;
}

/** The note a page shows when its link asked for something it does not have. */
export function urlProblem(choice, name, t) {
  if (choice.ok) return "";
  return t(`链接中的 ${name}=${choice.asked} 无对应数据，显示 ${choice.value}。`, `The link's ${name}=${choice.asked} is not available; showing ${choice.value}.`);
}
