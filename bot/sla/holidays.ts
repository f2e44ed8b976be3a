import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Holidays from 'date-holidays';
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

/** A public holiday before the institution's corrections: its day (YYYY-MM-DD) and name. */
export interface Holiday {
  readonly date: string;
  readonly name: string;
}

/** Where a year's public holidays come from: date-holidays' Tanzanian calendar, or a table of them. */
export interface HolidaySource {
  publicHolidays(year: number): readonly Holiday[];
}

/**
 * date-holidays' Tanzanian calendar, loaded on first use: it brings every
 * country's rules (about 23 MB), so the engine thread is given a table instead.
 */
export function tanzanianHolidays(): HolidaySource {
  let source: Holidays | undefined;
  return {
    publicHolidays(year) {
      source ??= new (createRequire(import.meta.url)('date-holidays') as typeof Holidays)('TZ');
      // An Islamic holiday "starts" at sunset the evening before; the day off is its `date`.
      return source
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
    },
  };
}

/** A span of years' holidays written out: year → its holidays. */
export type HolidayTable = Readonly<Record<string, readonly Holiday[]>>;

export const holidayTableSchema = z.record(z.string().regex(/^\d{4}$/), z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), name: z.string() }).readonly()).readonly()).readonly();

export function holidayTable(source: HolidaySource, fromYear: number, toYear: number): HolidayTable {
  const table: Record<string, readonly Holiday[]> = {};
  for (let y = fromYear; y <= toYear; y++) table[String(y)] = source.publicHolidays(y);
  return table;
}

/** The holidays of a table; a year outside it is a fault (the table is made for decades around the server's start). */
export function tableHolidays(table: HolidayTable): HolidaySource {
  return {
    publicHolidays(year) {
      const days = table[String(year)];
      if (!days) throw new Error(`no public holidays were given for ${year}; restart Huduma to compute them`);
      return days;
    },
  };
}

/** Which days are public holidays: the source's, corrected by the overrides files. */
export class HolidayCalendar {
  private readonly years = new Map<number, Map<string, string>>();

  constructor(
    private readonly overrides: readonly HolidayOverrides[],
    private readonly source: HolidaySource = tanzanianHolidays(),
  ) {}

  private year(y: number): Map<string, string> {
    let days = this.years.get(y);
    if (days) return days;
    days = new Map();
    for (const h of this.source.publicHolidays(y)) days.set(h.date, h.name);
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
