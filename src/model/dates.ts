// Dates as day numbers (days since 1970-01-01, UTC): integers are cheap to compare in hot loops.
// Civil-calendar conversions use Howard Hinnant's days_from_civil algorithm: no Date objects,
// no time zones.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

export function civilFromDay(z: number): Civil {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Parse a strict ISO date (a real calendar day); null if malformed. */
export function parseIsoDay(input: unknown): number | null {
  if (typeof input !== "string") return null;
  const m = ISO.exec(input);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const day = dayFromCivil(y, mo, d);
  const back = civilFromDay(day);
  return back.month === mo && back.day === d ? day : null;
}

export function isoFromDay(day: number): string {
  const { year, month, day: d } = civilFromDay(day);
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${d < 10 ? "0" : ""}${d}`;
}

export function yearOfDay(day: number): number {
  return civilFromDay(day).year;
}

/** First day of the calendar year. */
export function yearStart(year: number): number {
  return dayFromCivil(year, 1, 1);
}

/** First day of a month (month 1–12). */
export function monthStart(year: number, month: number): number {
  return dayFromCivil(year, month, 1);
}

/** Whole years of age on `day` for someone born on `birthDay`. */
export function ageOn(birthDay: number, day: number): number {
  const b = civilFromDay(birthDay);
  const d = civilFromDay(day);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age -= 1;
  return age;
}
