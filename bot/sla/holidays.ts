import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';
import { parse } from 'yaml';
import { z } from 'zod';
import { dayKey, type LocalDay } from './zoned.ts';

export const DEFAULT_HOLIDAYS_PATH = fileURLToPath(new URL('./holidays.yml', import.meta.url));

const monthDay = z.string().regex(/^\d{2}-\d{2}$/, 'is not MM-DD');
const isoDay = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not YYYY-MM-DD'), z.date().transform((d) => d.toISOString().slice(0, 10))]);
const overridesFile = z
  .object({
    every_year: z
      .object({
        add: z.array(z.object({ date: monthDay, name: z.string().min(1) })).default([]),
        remove: z.array(monthDay).default([]),
      })
      .default({ add: [], remove: [] }),
    add: z.array(z.object({ date: isoDay, name: z.string().min(1) })).default([]),
    remove: z.array(isoDay).default([]),
  })
  .strict();
export type HolidayOverrides = z.infer<typeof overridesFile>;

export function readHolidayOverrides(path: string): HolidayOverrides {
  const parsed = overridesFile.safeParse(parse(readFileSync(path, 'utf8')) ?? {});
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Which days are public holidays: date-holidays' Tanzanian calendar, corrected by the overrides files. */
export class HolidayCalendar {
  private readonly source = new Holidays('TZ');
  private readonly years = new Map<number, Map<string, string>>();

  constructor(private readonly overrides: readonly HolidayOverrides[]) {}

  private year(y: number): Map<string, string> {
    let days = this.years.get(y);
    if (days) return days;
    days = new Map();
    // An Islamic holiday "starts" at sunset the evening before; the day off is its `date`.
    for (const h of this.source.getHolidays(y)) if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
    for (const o of this.overrides) {
      for (const r of o.every_year.remove) days.delete(`${y}-${r}`);
      for (const a of o.every_year.add) days.set(`${y}-${a.date}`, a.name);
      for (const r of o.remove) days.delete(r);
      for (const a of o.add) if (a.date.startsWith(`${y}-`)) days.set(a.date, a.name);
    }
    this.years.set(y, days);
    return days;
  }

  /** The holiday's name, or undefined on an ordinary day. */
  holiday(day: LocalDay): string | undefined {
    return this.year(day.year).get(dayKey(day));
  }
}
