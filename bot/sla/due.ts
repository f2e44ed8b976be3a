import type { SlaRule } from '../charter/charter.ts';
import type { WorkingCalendar } from './calendar.ts';
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

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Same wall-clock time `amount` weeks, months or years later; the 31st of a short month falls on its last day. */
export function addCalendar(from: Date, unit: 'weeks' | 'months' | 'years', amount: number, timeZone: string): Date {
  const l = toLocal(from, timeZone);
  const day: LocalDay = { year: l.year, month: l.month, day: l.day };
  if (unit === 'weeks') return fromLocal(addDays(day, 7 * amount), l.minutes, timeZone);
  const months = unit === 'months' ? amount : 12 * amount;
  const index = l.year * 12 + (l.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return fromLocal({ year, month, day: Math.min(l.day, daysInMonth(year, month)) }, l.minutes, timeZone);
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
      return { status: 'due', at: new Date(addCalendar(start, rule.unit, rule.amount, calendar.timeZone).getTime() + pausedMs) };
    case 'schedule':
      return input.scheduled ? { status: 'due', at: input.scheduled } : { status: 'set_by_staff' };
    case 'after_event': {
      const happened = input.events?.[rule.event];
      if (!happened) return { status: 'waits_for_event', event: rule.event };
      return { status: 'due', at: new Date(addCalendar(happened, rule.unit, rule.amount, calendar.timeZone).getTime() + pausedMs) };
    }
  }
}
