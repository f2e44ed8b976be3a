import type { PhraseMatcher, Word } from './phrases.ts';

/** A calendar day in the institution's time zone. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function localDate(instant: Date, timeZone: string): LocalDate {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A real day of the calendar, or undefined (31/2 is not a date). */
export function validDate(year: number, month: number, day: number): LocalDate | undefined {
  const t = new Date(Date.UTC(year, month - 1, day));
  const ok = t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
  return ok ? { year, month, day } : undefined;
}

export const isoDate = (d: LocalDate) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** Two-digit years are this century's. */
export function fullYear(y: string | undefined, fallback: number): number {
  if (y === undefined) return fallback;
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

export type DateWord = { kind: 'relative'; days: number } | { kind: 'month'; month: number };

/** "5 Desemba", "tarehe 5 Dec": a day number followed by a month name. */
export function dayAndMonth(words: readonly Word[], i: number, months: PhraseMatcher<DateWord>, today: () => LocalDate) {
  const dayWord = words[i];
  if (!dayWord || !/^\d{1,2}$/.test(dayWord.folded)) return undefined;
  const monthHit = months.matchAt(words, i + 1);
  if (monthHit?.value.kind !== 'month') return undefined;
  const yearWord = words[monthHit.next];
  const hasYear = yearWord !== undefined && /^20\d{2}$/.test(yearWord.folded);
  const date = validDate(hasYear ? Number(yearWord.folded) : today().year, monthHit.value.month, Number(dayWord.folded));
  if (!date) return undefined;
  return { date, start: dayWord.start, end: hasYear ? yearWord.end : monthHit.end, next: hasYear ? monthHit.next + 1 : monthHit.next };
}
