import { addDays, dayKey, fromLocal, type LocalDay, weekdayOf } from '../sla/zoned.ts';

// When a planned outage is, from the local day and hours staff publish
// ("2026-12-10", "07:00" to "17:00" in the institution's time zone; "22:00" to
// "04:00", said to end the next day, runs past midnight), and when its
// subscribers are first told: at publication when it starts within a day, else
// a day before it starts.

/** How long before an outage its subscribers are told (at publication when it is nearer). */
export const TELL_BEFORE_MS = 24 * 3600_000;
/** Under a day: a notice's hours are on one day, or run past midnight into the next. */
export const LONGEST_MS = 24 * 3600_000;
/** How far ahead a notice may be published. */
const FURTHEST_MS = 366 * 24 * 3600_000;

export interface Hours {
  /** YYYY-MM-DD, the institution's calendar day. */
  readonly day: string;
  /** HH:MM on the 24-hour clock. */
  readonly from: string;
  readonly to: string;
  /**
   * Said to end the next day (past midnight): `to` is then earlier than `from`.
   * Said, not guessed: "17:00 to 07:00" is more often a slip than a 14-hour outage.
   */
  readonly nextDay?: boolean;
}

export interface Schedule {
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly tellAt: Date;
}

export type ScheduleOutcome =
  | ({ readonly status: 'ok' } & Schedule)
  /** Not a day of the calendar ("2026-02-30"). */
  | { readonly status: 'bad_date' }
  /** Not HH:MM, or the end not after the start (on the next day when said so, and less than a day after it). */
  | { readonly status: 'bad_times' }
  /** Over already. */
  | { readonly status: 'in_the_past' }
  /** More than a year ahead. */
  | { readonly status: 'too_far' };

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A YYYY-MM-DD day, when the calendar has it. */
export function dayOf(text: string): LocalDay | undefined {
  if (!DAY_PATTERN.test(text)) return undefined;
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const d = { year, month, day };
  return month >= 1 && month <= 12 && day >= 1 && dayKey(d) === dayKey(fromUtcDay(d)) ? d : undefined;
}

const fromUtcDay = (d: LocalDay): LocalDay => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** Minutes past midnight of an HH:MM time. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instants of a notice's hours, checked, as of `now`. */
export function scheduleOf(h: Hours, timeZone: string, now: Date): ScheduleOutcome {
  const day = dayOf(h.day);
  if (!day) return { status: 'bad_date' };
  if (!TIME_PATTERN.test(h.from) || !TIME_PATTERN.test(h.to)) return { status: 'bad_times' };
  const pastMidnight = h.nextDay === true;
  if (pastMidnight !== overnight(h) || h.to === h.from) return { status: 'bad_times' };
  const startsAt = fromLocal(day, minutesOf(h.from), timeZone);
  const endsAt = fromLocal(pastMidnight ? addDays(day, 1) : day, minutesOf(h.to), timeZone);
  if (endsAt.getTime() <= now.getTime()) return { status: 'in_the_past' };
  if (startsAt.getTime() - now.getTime() > FURTHEST_MS) return { status: 'too_far' };
  return { status: 'ok', startsAt, endsAt, tellAt: new Date(Math.max(now.getTime(), startsAt.getTime() - TELL_BEFORE_MS)) };
}

/** Whether a notice's hours run past midnight ("22:00" to "04:00"): a published one then ends the next day. */
export const overnight = (h: Pick<Hours, 'from' | 'to'>): boolean => minutesOf(h.to) < minutesOf(h.from);

type WallDay = { year: number; month: number; day: number; weekday: number; minutes: number };

const wall = (d: LocalDay): WallDay => ({ ...d, weekday: weekdayOf(d), minutes: 0 });
/** Stored days are checked when published; a day that is not one reads as this rather than failing a notice. */
const UNREADABLE: LocalDay = { year: 1970, month: 1, day: 1 };

/** The day as time.ts words it (its weekday included). */
export const wallDay = (text: string): WallDay => wall(dayOf(text) ?? UNREADABLE);

/** The day after, as time.ts words it: where an outage past midnight ends. */
export const nextWallDay = (text: string): WallDay => wall(addDays(dayOf(text) ?? UNREADABLE, 1));
