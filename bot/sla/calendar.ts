import type { HolidayCalendar } from './holidays.ts';
import { addDays, fromLocal, toLocal, weekdayOf, type LocalDay } from './zoned.ts';

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

/**
 * Working time: Monday to Friday, in office hours, in the institution's time
 * zone, public holidays skipped. "Within N working days" is N full days of
 * office time after the request: created Friday 15:00, one day is due Monday
 * 15:00; created on Saturday, the time counts from Monday's opening.
 */
export class WorkingCalendar {
  constructor(
    readonly timeZone: string,
    readonly holidays: HolidayCalendar,
    readonly hours: OfficeHours = DEFAULT_OFFICE_HOURS,
  ) {}

  get workingDayMs(): number {
    return (this.hours.closes - this.hours.opens) * 60_000;
  }

  isWorkingDay(day: LocalDay): boolean {
    const wd = weekdayOf(day);
    return wd !== 0 && wd !== 6 && this.holidays.holiday(day) === undefined;
  }

  private window(day: LocalDay): { opens: Date; closes: Date } {
    return { opens: fromLocal(day, this.hours.opens, this.timeZone), closes: fromLocal(day, this.hours.closes, this.timeZone) };
  }

  private nextWorkingDay(day: LocalDay): LocalDay {
    let d = day;
    for (let i = 0; i < MAX_DAYS_SCANNED; i++) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) return d;
    }
    throw new Error(`no working day within ${MAX_DAYS_SCANNED} days after ${JSON.stringify(day)}`);
  }

  /** The office day an instant counts in, and from when: itself inside office hours, else the next opening. */
  private settle(at: Date): { day: LocalDay; from: Date } {
    const local = toLocal(at, this.timeZone);
    const today: LocalDay = { year: local.year, month: local.month, day: local.day };
    if (this.isWorkingDay(today) && local.minutes < this.hours.closes) {
      const opens = this.window(today).opens;
      return { day: today, from: at < opens ? opens : at };
    }
    const next = this.nextWorkingDay(today);
    return { day: next, from: this.window(next).opens };
  }

  /** The instant `ms` of office time after `from`. A due time at closing stays at closing, not at the next opening. */
  addWorkingTime(from: Date, ms: number): Date {
    let { day, from: at } = this.settle(from);
    let left = ms;
    for (let i = 0; i < MAX_DAYS_SCANNED; i++) {
      const closes = this.window(day).closes;
      const available = closes.getTime() - at.getTime();
      if (left <= available) return new Date(at.getTime() + left);
      left -= available;
      day = this.nextWorkingDay(day);
      at = this.window(day).opens;
    }
    throw new Error(`working time of ${ms} ms from ${from.toISOString()} runs past ${MAX_DAYS_SCANNED} days`);
  }

  addWorkingDays(from: Date, days: number): Date {
    return this.addWorkingTime(from, days * this.workingDayMs);
  }

  /** Office time between two instants (0 when `to` is not after `from`). */
  workingTimeBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let { day, from: at } = this.settle(from);
    let total = 0;
    for (let i = 0; i < MAX_DAYS_SCANNED && at < to; i++) {
      const closes = this.window(day).closes;
      total += Math.max(0, Math.min(closes.getTime(), to.getTime()) - at.getTime());
      day = this.nextWorkingDay(day);
      at = this.window(day).opens;
    }
    return total;
  }
}
