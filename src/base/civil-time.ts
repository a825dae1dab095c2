/**
 * Calendar dates and seconds since 1970 (UTC, proleptic Gregorian), by H. Hinnant's
 * days_from_civil / civil_from_days: the RTC's registers, the kernel's RTC read and
 * boot log, and FAT directory timestamps all convert through these.
 */

/** Days since 1970-01-01 of a date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day count since 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Calendar fields of a time in whole seconds since 1970; weekday 0 is Sunday. */
export function civilFromSeconds(seconds: number): { year: number; month: number; day: number; hours: number; minutes: number; seconds: number; weekday: number } {
  const days = Math.floor(seconds / 86400);
  const inDay = seconds - days * 86400;
  return { ...civilFromDays(days), hours: Math.floor(inDay / 3600), minutes: Math.floor(inDay / 60) % 60, seconds: inDay % 60, weekday: ((days % 7) + 11) % 7 };
}

/** Seconds since 1970 of a calendar time. */
export function secondsFromCivil(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): number {
  return daysFromCivil(year, month, day) * 86400 + hours * 3600 + minutes * 60 + seconds;
}
