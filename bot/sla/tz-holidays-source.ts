import Holidays from 'date-holidays';
import type { Holiday, HolidayTable } from './holidays.ts';

// date-holidays' Tanzanian calendar, the source of bot/sla/tz-public-holidays.json
// (npm run holidays:generate; test/bot/sla/holidays-data.test.ts checks the file
// against it). The server itself reads the file.

export const HOLIDAY_YEARS = { from: 2000, to: 2075 } as const;

export function dateHolidaysTanzania(year: number, source = new Holidays('TZ')): Holiday[] {
  // An Islamic holiday "starts" at sunset the evening before; the day off is its `date`.
  return source
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
}

export function dateHolidaysTable(from: number = HOLIDAY_YEARS.from, to: number = HOLIDAY_YEARS.to): HolidayTable {
  const source = new Holidays('TZ');
  const table: Record<string, Holiday[]> = {};
  for (let y = from; y <= to; y++) table[String(y)] = dateHolidaysTanzania(y, source);
  return table;
}
