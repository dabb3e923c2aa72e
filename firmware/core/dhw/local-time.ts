// Local time of the site without a time-zone database: the host precomputes the zone's UTC
// offset transitions for the years ahead (firmware/host/dhw-config.ts, with luxon) and the
// device looks up the offset valid at a UTC instant. DST-safe by construction: UTC never jumps,
// only the offset does. Portable: no Node or Moddable imports.

export interface TzRule {
  /** The offset before the first transition, s (east of UTC positive). */
  offset_s: number;
  /** Flat pairs [utc_s, offset_s, utc_s, offset_s, …], ascending: from utc_s on, offset_s holds. */
  transitions: number[];
}

export interface LocalTime {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Minute of the local day, 0…1439. */
  minute: number;
  /** Local days since 1970-01-01 (changes at local midnight). */
  day: number;
}

export function utcOffsetS(tz: TzRule, utcS: number): number {
  const t = tz.transitions;
  let offset = tz.offset_s;
  // A dozen years are ~24 pairs: a linear scan is cheaper than being clever on XS.
  for (let i = 0; i + 1 < t.length; i += 2) {
    if (t[i] > utcS) break;
    offset = t[i + 1];
  }
  return offset;
}

export function localTime(tz: TzRule, utcS: number): LocalTime {
  const local = utcS + utcOffsetS(tz, utcS);
  const day = Math.floor(local / 86400);
  const minute = Math.floor((local - day * 86400) / 60);
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
  const weekday = (((day + 3) % 7) + 7) % 7;
  return { weekday, minute, day };
}

/** Is a local minute inside [from, to)? from > to wraps over midnight (23:00–05:00). */
export function inWindow(minute: number, from: number, to: number): boolean {
  if (from === to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}
