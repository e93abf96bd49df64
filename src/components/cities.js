// The cities the site was built with (src/data/cities.json: the policy files found, in list
// order) and their names. Browser only: the list is read once when a page first imports this.
import {FileAttachment} from "observablehq:stdlib";

const CITIES = await FileAttachment("../data/cities.json").json();
const BY_ID = new Map(CITIES.map((c) => [c.id, c]));

/** The city ids, in page order. */
export const CITY_ORDER = CITIES.map((c) => c.id);

/** The name of a city in a language (its id when unknown). */
export function cityName(city, lang) {
  const c = BY_ID.get(city);
  return c ? (lang === "en" ? c.en : c.zh) : city;
}

/** A city's entry: {id, zh, en, provinceZh, provinceEn, builtin}, or undefined. */
export function cityInfo(city) {
  return BY_ID.get(city);
}
