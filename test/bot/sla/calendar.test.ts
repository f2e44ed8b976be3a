import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../bot/sla/calendar.ts';
import { DEFAULT_HOLIDAYS_PATH, HolidayCalendar, readHolidayOverrides } from '../../../bot/sla/holidays.ts';
import { dateHolidaysTanzania } from '../../../bot/sla/tz-holidays-source.ts';
import { fromLocal } from '../../../bot/sla/zoned.ts';
import { seededRandom } from '../../../intents/model/random.ts';

// Decades either side of the shipped table's years: date-holidays itself, the table's source.
const holidays = new HolidayCalendar([readHolidayOverrides(DEFAULT_HOLIDAYS_PATH)], { publicHolidays: (year) => dateHolidaysTanzania(year) });
const DAY = 86_400_000;

describe('working time, as the calendar remembers its days', () => {
  // London and Lord Howe change their clocks (Lord Howe by half an hour), so a day's opening is not a fixed offset.
  it.each([
    ['Africa/Dar_es_Salaam', { opens: 480, closes: 960 }],
    ['Europe/London', { opens: 450, closes: 930 }],
    ['Australia/Lord_Howe', { opens: 60, closes: 150 }],
  ] as const)('counts back what it added, in %s, over decades of days', (zone, hours) => {
    const calendar = new WorkingCalendar(zone, holidays, hours);
    const random = seededRandom(5);
    // Spread over some 70 years: more days than the calendar keeps, so it also forgets and works them out again.
    for (let i = 0; i < 4000; i++) {
      const from = new Date(Date.UTC(1990, 0, 1) + Math.floor(random() * 70 * 365 * DAY));
      const ms = Math.floor(random() * 10 * calendar.workingDayMs);
      const due = calendar.addWorkingTime(from, ms);
      expect(calendar.workingTimeBetween(from, due)).toBe(ms);
      expect(calendar.workingTimeBetween(due, from)).toBe(0);
    }
  });

  it('asked twice, answers the same', () => {
    const calendar = new WorkingCalendar('Africa/Dar_es_Salaam', holidays);
    const christmasEve3pm = fromLocal({ year: 2026, month: 12, day: 24 }, 15 * 60, 'Africa/Dar_es_Salaam');
    const first = calendar.addWorkingDays(christmasEve3pm, 2).toISOString();
    expect(calendar.addWorkingDays(christmasEve3pm, 2).toISOString()).toBe(first);
    expect(calendar.isWorkingDay({ year: 2026, month: 12, day: 25 })).toBe(false);
    expect(calendar.isWorkingDay({ year: 2026, month: 12, day: 28 })).toBe(true);
  });
});
