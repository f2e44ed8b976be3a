import type { SlaRule } from '../charter/charter.ts';
import type { WorkingCalendar } from './calendar.ts';
import { spanOf } from './stages.ts';
import { addDays, fromLocal, toLocal, type LocalDay } from './zoned.ts';

/** A time the clock stood still: the request waited for the customer. `to` is missing while it still waits. */
export interface Pause {
  readonly from: Date;
  readonly to?: Date;
}

export type DueTime =
  | { readonly status: 'due'; readonly at: Date }
  | { readonly status: 'paused' }
  | { readonly status: 'set_by_staff' }
  | { readonly status: 'waits_for_event'; readonly event: string };

export interface DueInput {
  readonly rule: SlaRule;
  /** When the request was made. */
  readonly start: Date;
  readonly calendar: WorkingCalendar;
  readonly pauses?: readonly Pause[];
  /** Events recorded on the request, by name (e.g. delivered_to_workshop). */
  readonly events?: Readonly<Record<string, Date>>;
  /** The due date staff set, for rules that follow a schedule. */
  readonly scheduled?: Date;
}

type CalendarUnit = 'weeks' | 'months' | 'years';

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Same wall-clock time `amount` weeks, months or years later; the 31st of a short month falls on its last day. */
export function addCalendar(from: Date, unit: CalendarUnit, amount: number, timeZone: string): Date {
  const l = toLocal(from, timeZone);
  const day: LocalDay = { year: l.year, month: l.month, day: l.day };
  if (unit === 'weeks') return fromLocal(addDays(day, 7 * amount), l.minutes, timeZone);
  const months = unit === 'months' ? amount : 12 * amount;
  const index = l.year * 12 + (l.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return fromLocal({ year, month, day: Math.min(l.day, daysInMonth(year, month)) }, l.minutes, timeZone);
}

/**
 * The end of a promise counted in weeks, months or years ("Mnamo wiki mbili"):
 * the close of office hours on the period's last day, the time given back
 * (a wait for the customer) moving that day on. A person filing at 06:26
 * reads "within two weeks" as "by the end of the working day two weeks from
 * today", not "by 06:26", before anyone is at work.
 *
 * When the last day is a weekend or a public holiday, the promise ends at the
 * close of the last working day before it, not the first one after: the
 * charter promises the work *within* the period (mnamo), so the date we give
 * never lies outside what the charter printed, and the person can collect or
 * check the result on a day the office is open. The office loses at most a
 * weekend or a holiday of a period counted in weeks, which it planned for.
 */
export function calendarDue(from: Date, unit: CalendarUnit, amount: number, calendar: WorkingCalendar, givenBackMs = 0): Date {
  const lastDay = toLocal(new Date(addCalendar(from, unit, amount, calendar.timeZone).getTime() + givenBackMs), calendar.timeZone);
  const filed = toLocal(from, calendar.timeZone);
  return calendar.closeOnOrBefore(lastDay, addDays(filed, 1));
}

/**
 * A request's due time once a wait for the customer ends: the waited time is
 * given back as its rule counts time (office time for working days; for weeks,
 * months and years the last day moves on and the due time stays at its close).
 * `r.pausedMs` is what was given back before this wait (for a clock that
 * waited for an event, the time until the event: see bot/staff/clocks.ts).
 */
export function dueAfterWait(rule: SlaRule, calendar: WorkingCalendar, r: { readonly createdAt: Date; readonly dueAt: Date; readonly pausedMs: number }, waitedMs: number): Date {
  if (rule.kind === 'calendar') return calendarDue(r.createdAt, rule.unit, rule.amount, calendar, r.pausedMs + waitedMs);
  // The clock started at the event: the request's start and what was given back since bring it there.
  if (rule.kind === 'after_event') return calendarDue(new Date(r.createdAt.getTime() + r.pausedMs), rule.unit, rule.amount, calendar, waitedMs);
  return spanOf(rule, calendar).add(r.dueAt, waitedMs);
}

/** When a request is due under its charter line, with the time it waited for the customer given back. */
export function dueTime(input: DueInput): DueTime {
  const { rule, start, calendar, pauses = [] } = input;
  if (pauses.some((p) => p.to === undefined)) return { status: 'paused' };
  const closed = pauses as readonly Required<Pause>[];
  const pausedMs = closed.reduce((s, p) => s + Math.max(0, p.to.getTime() - p.from.getTime()), 0);
  switch (rule.kind) {
    case 'seconds':
      return { status: 'due', at: new Date(start.getTime() + rule.seconds * 1000 + pausedMs) };
    case 'working_days': {
      const pausedWorking = closed.reduce((s, p) => s + calendar.workingTimeBetween(p.from, p.to), 0);
      return { status: 'due', at: calendar.addWorkingTime(start, rule.days * calendar.workingDayMs + pausedWorking) };
    }
    case 'calendar':
      return { status: 'due', at: calendarDue(start, rule.unit, rule.amount, calendar, pausedMs) };
    case 'schedule':
      return input.scheduled ? { status: 'due', at: input.scheduled } : { status: 'set_by_staff' };
    case 'after_event': {
      const happened = input.events?.[rule.event];
      if (!happened) return { status: 'waits_for_event', event: rule.event };
      return { status: 'due', at: calendarDue(happened, rule.unit, rule.amount, calendar, pausedMs) };
    }
  }
}
