import type { HolidayCalendar } from './holidays.ts';
import { dayNumber, dayOfNumber, fromLocal, toLocal, weekdayOf, type LocalDay } from './zoned.ts';

export interface OfficeHours {
  /** Minutes after midnight: 08:00 is 480. */
  readonly opens: number;
  readonly closes: number;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({ opens: 8 * 60, closes: 16 * 60 });

/** "08:00-16:00" → office hours; the setting OFFICE_HOURS uses this shape. */
export function parseOfficeHours(text: string): OfficeHours | undefined {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [opens, closes] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
  return opens < closes && closes <= 24 * 60 ? { opens, closes } : undefined;
}

/** No request waits longer than this for the next working day, even in a calendar of holidays. */
const MAX_DAYS_SCANNED = 366 * 5;

/** Days kept in a calendar's memory before it starts again: some years' worth, a few hundred kB. */
const MAX_DAYS_KEPT = 20_000;

/** What the calendar knows of one local day; instants in ms. */
interface OfficeDay {
  readonly working: boolean;
  readonly opens: number;
  readonly closes: number;
  /** The next working day's number, once asked for. */
  next?: number;
}

/**
 * Working time: Monday to Friday, in office hours, in the institution's time
 * zone, public holidays skipped. "Within N working days" is N full days of
 * office time after the request: created Friday 15:00, one day is due Monday
 * 15:00; created on Saturday, the time counts from Monday's opening.
 */
export class WorkingCalendar {
  // A day's facts never change (the holidays are fixed when the calendar is made), and every
  // due time and SLA step walks the same few days: each is worked out once (see BENCHMARKS.md, the SLA sweep).
  private readonly days = new Map<number, OfficeDay>();

  constructor(
    readonly timeZone: string,
    readonly holidays: HolidayCalendar,
    readonly hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  ) {}

  get workingDayMs(): number {
    return (this.hours.closes - this.hours.opens) * 60_000;
  }

  isWorkingDay(day: LocalDay): boolean {
    return this.day(dayNumber(day)).working;
  }

  /** Day `n` (see dayNumber): whether the office works, and its opening and closing instants. */
  private day(n: number): OfficeDay {
    let d = this.days.get(n);
    if (d) return d;
    const local = dayOfNumber(n);
    const wd = weekdayOf(local);
    d = {
      working: wd !== 0 && wd !== 6 && this.holidays.holiday(local) === undefined,
      opens: fromLocal(local, this.hours.opens, this.timeZone).getTime(),
      closes: fromLocal(local, this.hours.closes, this.timeZone).getTime(),
    };
    if (this.days.size >= MAX_DAYS_KEPT) this.days.clear();
    this.days.set(n, d);
    return d;
  }

  private nextWorkingDay(n: number): number {
    const known = this.day(n);
    if (known.next !== undefined) return known.next;
    for (let d = n + 1; d <= n + MAX_DAYS_SCANNED; d++) {
      if (this.day(d).working) return (known.next = d);
    }
    throw new Error(`no working day within ${MAX_DAYS_SCANNED} days after ${JSON.stringify(dayOfNumber(n))}`);
  }

  /**
   * The close of office hours on `day`, or on the last working day before it
   * when the office is closed that day; never on a day before `earliest` (a
   * calendar closed for that long gives the next working day's close instead).
   */
  closeOnOrBefore(day: LocalDay, earliest: LocalDay): Date {
    const last = dayNumber(day);
    for (let d = last; d >= dayNumber(earliest); d--) {
      if (this.day(d).working) return new Date(this.day(d).closes);
    }
    return new Date(this.day(this.nextWorkingDay(last)).closes);
  }

  /** The office day an instant counts in, and from when: itself inside office hours, else the next opening. */
  private settle(at: number): { day: number; from: number } {
    const local = toLocal(new Date(at), this.timeZone);
    const today = dayNumber(local);
    const d = this.day(today);
    if (d.working && local.minutes < this.hours.closes) return { day: today, from: Math.max(at, d.opens) };
    const next = this.nextWorkingDay(today);
    return { day: next, from: this.day(next).opens };
  }

  /** The instant `ms` of office time after `from`. A due time at closing stays at closing, not at the next opening. */
  addWorkingTime(from: Date, ms: number): Date {
    let { day, from: at } = this.settle(from.getTime());
    let left = ms;
    for (let i = 0; i < MAX_DAYS_SCANNED; i++) {
      const available = this.day(day).closes - at;
      if (left <= available) return new Date(at + left);
      left -= available;
      day = this.nextWorkingDay(day);
      at = this.day(day).opens;
    }
    throw new Error(`working time of ${ms} ms from ${from.toISOString()} runs past ${MAX_DAYS_SCANNED} days`);
  }

  addWorkingDays(from: Date, days: number): Date {
    return this.addWorkingTime(from, days * this.workingDayMs);
  }

  /** Office time between two instants (0 when `to` is not after `from`). */
  workingTimeBetween(from: Date, to: Date): number {
    const end = to.getTime();
    if (end <= from.getTime()) return 0;
    let { day, from: at } = this.settle(from.getTime());
    let total = 0;
    for (let i = 0; i < MAX_DAYS_SCANNED && at < end; i++) {
      total += Math.max(0, Math.min(this.day(day).closes, end) - at);
      day = this.nextWorkingDay(day);
      at = this.day(day).opens;
    }
    return total;
  }
}
