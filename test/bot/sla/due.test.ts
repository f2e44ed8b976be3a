import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { slaRule } from '../../../bot/charter/charter.ts';
import { parseOfficeHours, WorkingCalendar } from '../../../bot/sla/calendar.ts';
import { dueTime } from '../../../bot/sla/due.ts';
import { DEFAULT_HOLIDAYS_PATH, HolidayCalendar, readHolidayOverrides } from '../../../bot/sla/holidays.ts';
import { fromLocal, toLocal } from '../../../bot/sla/zoned.ts';

const TZ = 'Africa/Dar_es_Salaam';
const localTime = z.string().transform((s, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m) return (ctx.addIssue({ code: 'custom', message: `not "YYYY-MM-DD HH:MM": ${s}` }), z.NEVER);
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  return fromLocal({ year: y, month: mo, day: d }, h * 60 + mi + sec / 60, TZ);
});
const rows = z
  .array(
    z.object({
      why: z.string(),
      office: z.string().optional(),
      rule: slaRule,
      created: localTime,
      due: localTime,
      pauses: z.array(z.object({ from: localTime, to: localTime })).optional(),
      events: z.record(z.string(), localTime).optional(),
    }),
  )
  .parse(parse(readFileSync(new URL('./due-times.yml', import.meta.url), 'utf8')));

const holidays = new HolidayCalendar([readHolidayOverrides(DEFAULT_HOLIDAYS_PATH)]);
const show = (d: Date) => {
  const l = toLocal(d, TZ);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')} ${String(Math.floor(l.minutes / 60)).padStart(2, '0')}:${String(Math.floor(l.minutes % 60)).padStart(2, '0')}`;
};

describe('due times from the charter', () => {
  it.each(rows.map((r) => [r.why, r] as const))('%s', (_, row) => {
    const calendar = new WorkingCalendar(TZ, holidays, row.office ? parseOfficeHours(row.office) : undefined);
    const due = dueTime({ rule: row.rule, start: row.created, calendar, pauses: row.pauses, events: row.events });
    expect(due.status).toBe('due');
    if (due.status === 'due') expect(`${show(due.at)} (${due.at.toISOString()})`).toBe(`${show(row.due)} (${row.due.toISOString()})`);
  });

  const calendar = new WorkingCalendar(TZ, holidays);
  const start = fromLocal({ year: 2026, month: 11, day: 23 }, 9 * 60, TZ);

  it('has no due time while the request waits for the customer', () => {
    expect(dueTime({ rule: { kind: 'working_days', days: 1 }, start, calendar, pauses: [{ from: start }] })).toEqual({ status: 'paused' });
  });

  it('waits for the event that starts the clock', () => {
    expect(dueTime({ rule: { kind: 'after_event', event: 'delivered_to_workshop', unit: 'weeks', amount: 6 }, start, calendar })).toEqual({
      status: 'waits_for_event',
      event: 'delivered_to_workshop',
    });
  });

  it('follows the maintenance schedule staff set', () => {
    expect(dueTime({ rule: { kind: 'schedule' }, start, calendar })).toEqual({ status: 'set_by_staff' });
    const scheduled = new Date('2027-02-15T07:00:00Z');
    expect(dueTime({ rule: { kind: 'schedule' }, start, calendar, scheduled })).toEqual({ status: 'due', at: scheduled });
  });

  it('counts office time between two moments', () => {
    const friday3pm = fromLocal({ year: 2026, month: 11, day: 20 }, 15 * 60, TZ);
    const monday10am = fromLocal({ year: 2026, month: 11, day: 23 }, 10 * 60, TZ);
    expect(calendar.workingTimeBetween(friday3pm, monday10am)).toBe(3 * 3600_000);
  });

  it('lets staff add an announced holiday and remove a computed one', () => {
    const announced = new HolidayCalendar([
      readHolidayOverrides(DEFAULT_HOLIDAYS_PATH),
      { every_year: { add: [], remove: [] }, add: [{ date: '2027-03-10', name: 'Eid al-Fitr (announced)' }], remove: ['2027-03-09'] },
    ]);
    expect(announced.holiday({ year: 2027, month: 3, day: 9 })).toBeUndefined();
    expect(announced.holiday({ year: 2027, month: 3, day: 10 })).toBe('Eid al-Fitr (announced)');
  });
});

describe('office hours setting', () => {
  it('reads "HH:MM-HH:MM" and refuses nonsense', () => {
    expect(parseOfficeHours('07:30-15:30')).toEqual({ opens: 450, closes: 930 });
    expect(parseOfficeHours('16:00-08:00')).toBeUndefined();
    expect(parseOfficeHours('eight to four')).toBeUndefined();
  });
});
