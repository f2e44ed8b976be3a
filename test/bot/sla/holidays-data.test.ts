import { describe, expect, it } from 'vitest';
import { readHolidayTable, tableHolidays } from '../../../bot/sla/holidays.ts';
import { dateHolidaysTable } from '../../../bot/sla/tz-holidays-source.ts';

describe('the shipped table of Tanzanian public holidays', () => {
  it('is what date-holidays says for every year it holds (npm run holidays:generate writes it)', () => {
    expect(readHolidayTable()).toEqual(dateHolidaysTable());
  });

  it('holds Independence Day, Union Day and Eid for 2026', () => {
    const days = readHolidayTable()['2026']?.map((h) => h.date) ?? [];
    expect(days).toEqual(expect.arrayContaining(['2026-12-09', '2026-04-26', '2026-03-20']));
  });

  it('says plainly which year it lacks', () => {
    expect(() => tableHolidays(readHolidayTable()).publicHolidays(2099)).toThrow(/no public holidays for 2099: run npm run holidays:generate/);
  });
});
