import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** Where a year's public holidays come from (the shipped table of date-holidays' Tanzanian calendar, by default). */
export interface HolidaySource {
  publicHolidays(year: number): readonly Holiday[];
}

/** A span of years' holidays written out: year → its holidays. */
export type HolidayTable = Readonly<Record<string, readonly Holiday[]>>;

const holidayTableSchema = z.record(z.string().regex(/^\d{4}$/), z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), name: z.string().min(1) }).readonly()).readonly()).readonly();

/**
 * Tanzania's public holidays as data: date-holidays' calendar for 2000–2075,
 * written out by `npm run holidays:generate` (a test checks it still matches).
 * The running server reads this small file rather than loading date-holidays,
 * which brings every country's rules (about 23 MB) into each thread.
 */
export const TANZANIAN_HOLIDAYS_PATH = fileURLToPath(new URL('./tz-public-holidays.json', import.meta.url));

export function readHolidayTable(path: string = TANZANIAN_HOLIDAYS_PATH): HolidayTable {
  const parsed = holidayTableSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The holidays of a table; a year it does not hold is a fault, said plainly. */
export function tableHolidays(table: HolidayTable): HolidaySource {
  return {
    publicHolidays(year) {
      const days = table[String(year)];
      if (!days) throw new Error(`bot/sla/tz-public-holidays.json has no public holidays for ${year}: run npm run holidays:generate`);
      return days;
    },
  };
}

let tanzania: HolidaySource | undefined;
/** Tanzania's public holidays from the shipped table, read once. */
export const tanzanianHolidays = (): HolidaySource => (tanzania ??= tableHolidays(readHolidayTable()));

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
