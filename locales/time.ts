import type { Translate } from './index.ts';

/** A wall-clock moment in the institution's time zone (see bot/sla/zoned.ts). */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Minutes since local midnight. */
  readonly minutes: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

function hourWord(t: Translate, hour24: number): string {
  // Swahili counts from 06:00 (offset 6): 15:00 is "saa tisa"; English from midnight and noon.
  const offset = Number(t('time.hour_offset'));
  return t(`time.hour.${(hour24 + offset) % 12 || 12}`);
}

/** "saa tisa alasiri", "saa nne na nusu asubuhi", "3:00 pm". */
export function formatClock(t: Translate, w: WallClock): string {
  const hour = Math.floor(w.minutes / 60) % 24;
  const minute = Math.floor(w.minutes % 60);
  const next = (hour + 1) % 24;
  const params = {
    hour: hourWord(t, hour),
    period: t(`time.period.${hour}`),
    next_hour: hourWord(t, next),
    next_period: t(`time.period.${next}`),
    minute: String(minute),
    mm: String(minute).padStart(2, '0'),
  };
  const shape = minute === 0 ? 'exact' : minute === 15 ? 'quarter_past' : minute === 30 ? 'half_past' : minute === 45 ? 'quarter_to' : 'minutes';
  return t(`time.clock.${shape}`, params);
}

/** "Jumatatu, 24 Novemba 2026". */
export function formatDate(t: Translate, w: WallClock): string {
  return t('time.date', { weekday: t(`time.weekday.${w.weekday}`), day: w.day, month: t(`time.month.${w.month}`), year: w.year });
}

/** "kabla ya Jumatatu, 24 Novemba 2026, saa tisa alasiri": a due time as a person reads it. */
export function formatDeadline(t: Translate, w: WallClock): string {
  return before(t, formatDate(t, w), formatClock(t, w));
}

const before = (t: Translate, date: string, clock: string) => t('time.before', { date, clock });

/** Due times and days a deadlineWords keeps before it starts again: a backlog's sweep stays small. */
const KEPT = 10_000;

/**
 * formatDeadline for one translator, remembering what it has worded: a sweep
 * words the same due times, days and clock times over and over. The words
 * depend on the day and the whole minute only (formatClock drops seconds).
 */
export function deadlineWords(t: Translate): (w: WallClock) => string {
  const deadlines = new Map<number, string>();
  const dates = new Map<number, string>();
  const clocks = new Map<number, string>();
  return (w) => {
    const day = (w.year * 13 + w.month) * 32 + w.day;
    const minute = Math.floor(w.minutes);
    const key = day * 1440 + minute;
    let words = deadlines.get(key);
    if (words !== undefined) return words;
    let date = dates.get(day);
    if (date === undefined) {
      if (dates.size >= KEPT) dates.clear();
      dates.set(day, (date = formatDate(t, w)));
    }
    let clock = clocks.get(minute);
    if (clock === undefined) clocks.set(minute, (clock = formatClock(t, w)));
    if (deadlines.size >= KEPT) deadlines.clear();
    deadlines.set(key, (words = before(t, date, clock)));
    return words;
  };
}
