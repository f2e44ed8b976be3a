import { describe, expect, it } from 'vitest';
import type { SlaRule } from '../../bot/charter/charter.ts';
import { WorkingCalendar } from '../../bot/sla/calendar.ts';
import { dueAfterWait, dueTime } from '../../bot/sla/due.ts';
import { DEFAULT_HOLIDAYS_PATH, HolidayCalendar, readHolidayOverrides } from '../../bot/sla/holidays.ts';
import { fromLocal, toLocal } from '../../bot/sla/zoned.ts';
import { formatDeadline } from '../../locales/time.ts';
import { translator } from '../../locales/index.ts';

// Promises in weeks, months or years ("Mnamo wiki mbili") end at the close of
// office hours (16:00 here) on their last day, or on the last working day
// before it when the office is closed that day. Times are Dar es Salaam's.
const TZ = 'Africa/Dar_es_Salaam';
const calendar = new WorkingCalendar(TZ, new HolidayCalendar([readHolidayOverrides(DEFAULT_HOLIDAYS_PATH)]));

const at = (s: string): Date => {
  const [date, time] = s.split(' ') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return fromLocal({ year: y, month: m, day: d }, h * 60 + mi, TZ);
};
const show = (d: Date) => {
  const l = toLocal(d, TZ);
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.minutes / 60)}:${pad(l.minutes % 60)}`;
};
const due = (rule: SlaRule, created: string, events?: Record<string, string>): string => {
  const d = dueTime({ rule, start: at(created), calendar, events: events && Object.fromEntries(Object.entries(events).map(([k, v]) => [k, at(v)])) });
  if (d.status !== 'due') throw new Error(`no due time: ${d.status}`);
  return show(d.at);
};

const weeks = (amount: number): SlaRule => ({ kind: 'calendar', unit: 'weeks', amount });
const months = (amount: number): SlaRule => ({ kind: 'calendar', unit: 'months', amount });
const years = (amount: number): SlaRule => ({ kind: 'calendar', unit: 'years', amount });

describe('due times of promises in weeks, months and years', () => {
  it.each([
    ['two weeks filed at 06:26, before the office opens', weeks(2), '2026-11-23 06:26', '2026-12-07 16:00'],
    ['two weeks filed at 16:59, after it closes', weeks(2), '2026-11-23 16:59', '2026-12-07 16:00'],
    ['two weeks filed on a Friday morning', weeks(2), '2026-11-27 06:26', '2026-12-11 16:00'],
    ['two weeks filed on a Friday evening', weeks(2), '2026-11-27 16:59', '2026-12-11 16:00'],
    ['two weeks filed on a Saturday end on the Friday before the last day', weeks(2), '2026-11-28 10:00', '2026-12-11 16:00'],
    ['a month filed at 06:26', months(1), '2026-11-23 06:26', '2026-12-23 16:00'],
    ['a year filed at 06:26', years(1), '2026-11-23 06:26', '2027-11-23 16:00'],
    ['a year filed at 16:59', years(1), '2026-11-23 16:59', '2027-11-23 16:00'],
    ['two weeks whose last day is Independence Day end the day before', weeks(2), '2026-11-25 09:00', '2026-12-08 16:00'],
    ['a month whose last day is Christmas ends on Christmas Eve', months(1), '2026-11-25 06:26', '2026-12-24 16:00'],
    ['a year whose last day is a Saturday after Christmas and Boxing Day ends on the 24th', years(1), '2025-12-26 11:00', '2026-12-24 16:00'],
    ['a month from 31 January ends on the last working day of February', months(1), '2027-01-31 06:26', '2027-02-26 16:00'],
  ])('%s', (_, rule, created, expected) => {
    expect(due(rule, created)).toBe(expected);
  });

  it('counts six weeks from the day the equipment reached the workshop, to a working day', () => {
    const rule: SlaRule = { kind: 'after_event', event: 'delivered_to_workshop', unit: 'weeks', amount: 6 };
    // Tuesday 12 January 2027 is Zanzibar Revolution Day: Monday the 11th.
    expect(due(rule, '2026-11-23 06:26', { delivered_to_workshop: '2026-12-01 06:26' })).toBe('2027-01-11 16:00');
    expect(due(rule, '2026-11-23 10:00', { delivered_to_workshop: '2026-12-02 16:59' })).toBe('2027-01-13 16:00');
  });

  it('leaves working-day promises as they were: full days of office time', () => {
    expect(due({ kind: 'working_days', days: 1 }, '2026-11-20 15:00')).toBe('2026-11-23 15:00');
  });

  it('gives back a wait for the customer by moving the last day, still at closing', () => {
    const rule = weeks(2);
    const created = at('2026-11-23 10:00');
    const paused = dueTime({ rule, start: created, calendar, pauses: [{ from: at('2026-11-24 10:00'), to: at('2026-11-27 10:00') }] });
    expect(paused.status === 'due' && show(paused.at)).toBe('2026-12-10 16:00');
    // Staff end the wait (bot/staff/status.ts): three days back, then five (Saturday: the Friday).
    const dueAt = at('2026-12-07 16:00');
    expect(show(dueAfterWait(rule, calendar, { createdAt: created, dueAt, pausedMs: 0 }, 3 * 86_400_000))).toBe('2026-12-10 16:00');
    expect(show(dueAfterWait(rule, calendar, { createdAt: created, dueAt, pausedMs: 0 }, 5 * 86_400_000))).toBe('2026-12-11 16:00');
    // Working days: the office time waited, as before.
    const oneDay: SlaRule = { kind: 'working_days', days: 1 };
    expect(show(dueAfterWait(oneDay, calendar, { createdAt: created, dueAt: at('2026-11-24 10:00'), pausedMs: 0 }, 2 * 3600_000))).toBe('2026-11-24 12:00');
  });

  it('words the due time as the close of the office day', () => {
    const d = dueTime({ rule: weeks(2), start: at('2026-11-23 06:26'), calendar });
    if (d.status !== 'due') throw new Error('no due time');
    expect(formatDeadline(translator('sw'), toLocal(d.at, TZ))).toBe('kabla ya saa kumi alasiri, Jumatatu tarehe 7 Desemba 2026');
    expect(formatDeadline(translator('en'), toLocal(d.at, TZ))).toBe('before Monday, 7 December 2026, 4:00 pm');
  });
});
