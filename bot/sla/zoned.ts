// Wall-clock time in the institution's time zone, from and to instants.
// Africa/Dar_es_Salaam has no daylight saving, but nothing here assumes that.

export interface LocalDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface LocalTime extends LocalDay {
  /** Minutes since local midnight. */
  readonly minutes: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

function parts(instant: Date, timeZone: string) {
  const p = Object.fromEntries(
    format(timeZone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

export function toLocal(instant: Date, timeZone: string): LocalTime {
  const t = instant.getTime();
  const wall = new Date(t + offsetAt(t, timeZone));
  const minutes = wall.getUTCHours() * 60 + wall.getUTCMinutes() + wall.getUTCSeconds() / 60;
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), minutes, weekday: wall.getUTCDay() };
}

/** Quarter hours: zones change their offset on a quarter hour, so one bucket has one offset. */
const BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * How far the zone's clock is ahead of UTC at an instant, in ms. Asking Intl
 * is slow (it was the costliest step of working out a due time), so the answer
 * is kept per zone and quarter hour.
 */
function offsetAt(instant: number, timeZone: string): number {
  const bucket = Math.floor(instant / BUCKET_MS);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const start = bucket * BUCKET_MS;
    const p = parts(new Date(start), timeZone);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    if (zone.size > 50_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

/** The instant when the zone's clock shows `minutes` past midnight on `day`. */
export function fromLocal(day: LocalDay, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minutes * 60_000;
  let at = wall - offsetAt(wall, timeZone);
  const again = wall - offsetAt(at, timeZone); // a second look settles a zone that changed its offset between the two
  if (again !== at) at = again;
  return new Date(at);
}

export function addDays(day: LocalDay, days: number): LocalDay {
  return dayOfNumber(dayNumber(day) + days);
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 on the zone's calendar: a day as one number, so the next day is n + 1. */
export const dayNumber = (day: LocalDay): number => Date.UTC(day.year, day.month - 1, day.day) / DAY_MS;

export function dayOfNumber(n: number): LocalDay {
  const t = new Date(n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function weekdayOf(day: LocalDay): number {
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
}

export const dayKey = (d: LocalDay) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
