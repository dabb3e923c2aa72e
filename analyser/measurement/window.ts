// The analysis window in the site's time zone. "24 hours back" means the same wall-clock time
// yesterday, so on the day the clocks change the window is 23 h (March) or 25 h (October) long,
// and a run at 06:30 local always covers yesterday 06:30 to today 06:30.

import { DateTime } from "luxon";
import { UserError } from "../../shared/errors.js";

export function dailyWindow(timezone: string, now: number, lookbackH: number): { start: number; end: number; start_local: string; end_local: string } {
  const end = DateTime.fromSeconds(Math.floor(now / 60) * 60, { zone: timezone });
  if (!end.isValid) throw new UserError(`the time zone "${timezone}" is unknown`, undefined, "use an IANA name such as Europe/Berlin in site.timezone");
  const days = Math.floor(lookbackH / 24);
  const hours = lookbackH - days * 24;
  // Calendar days in local time (luxon keeps the wall clock across DST), the rest as real hours.
  const start = end.minus({ days }).minus({ hours });
  return {
    start: Math.round(start.toSeconds()),
    end: Math.round(end.toSeconds()),
    start_local: start.toISO({ suppressMilliseconds: true }) ?? "",
    end_local: end.toISO({ suppressMilliseconds: true }) ?? "",
  };
}

/** Local ISO time of a Unix time in the site's zone. */
export function localTime(timezone: string, time: number): string {
  return DateTime.fromSeconds(time, { zone: timezone }).toISO({ suppressMilliseconds: true }) ?? "";
}
