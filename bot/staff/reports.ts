import { outcomesBetween, requestsCreatedBetween, type OutcomeFields } from '../../db/queries/reports.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { addDays, dayNumber, fromLocal, toLocal, type LocalDay } from '../sla/zoned.ts';

export interface ReportDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
}

/** Whether a request kept the charter's promise: on time, late (finished late, or still open past its due time), still open in time, or cancelled. */
export type Outcome = 'on_time' | 'late' | 'open' | 'cancelled';

const OPEN = new Set<string>(['received', 'in_progress', 'waiting_for_customer']);

/**
 * Finished requests compare the moment they were resolved (or closed, when
 * closed without being resolved) with their due time; one with no due time
 * made no promise to break. An open one is late once its due time passed,
 * unless its clock is stopped (waiting for the customer).
 */
export function outcomeOf(r: OutcomeFields, now: Date): Outcome {
  if (r.status === 'cancelled') return 'cancelled';
  if (OPEN.has(r.status)) return r.pausedSince === null && r.dueAt !== null && r.dueAt <= now ? 'late' : 'open';
  const finished = r.resolvedAt ?? r.updatedAt;
  return r.dueAt === null || finished <= r.dueAt ? 'on_time' : 'late';
}

export interface ComplianceRow {
  readonly line: number;
  readonly service: string;
  readonly serviceName: string;
  readonly total: number;
  readonly onTime: number;
  readonly late: number;
  readonly open: number;
  readonly cancelled: number;
  /** On time out of those decided (on time + late); null before any is. */
  readonly onTimePercent: number | null;
}

export interface Month {
  readonly year: number;
  readonly month: number;
}

/** [from, to) of local days `first`..`last` (both included), in the institution's time zone. */
export function daysRange(first: LocalDay, last: LocalDay, timeZone: string): { from: Date; to: Date } {
  return { from: fromLocal(first, 0, timeZone), to: fromLocal(addDays(last, 1), 0, timeZone) };
}

export function monthRange(m: Month, timeZone: string): { from: Date; to: Date } {
  const next = m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 };
  return { from: fromLocal({ ...m, day: 1 }, 0, timeZone), to: fromLocal({ ...next, day: 1 }, 0, timeZone) };
}

export const daysBetween = (first: LocalDay, last: LocalDay) => dayNumber(last) - dayNumber(first) + 1;

/** `2026-11-23` → that day, when it is a real one. */
export function parseDay(s: string): LocalDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day ? { year, month, day } : undefined;
}

/** `2026-11` → that month. */
export function parseMonth(s: string): Month | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  const month = Number(m?.[2]);
  return m && month >= 1 && month <= 12 ? { year: Number(m[1]), month } : undefined;
}

/** The charter's promises and how they were kept: requests created in a month, per line, over time, late, open. */
export class Reports {
  constructor(private readonly deps: ReportDeps) {}

  /** The institution's: reports' days and months are its days and months. */
  get timeZone(): string {
    return this.deps.calendar.timeZone;
  }

  /** [from, to) of local days `first`..`last` (either may be left open) in the institution's time zone. */
  range(first: LocalDay | undefined, last: LocalDay | undefined): { from?: Date; to?: Date } {
    const tz = this.deps.calendar.timeZone;
    return { ...(first ? { from: fromLocal(first, 0, tz) } : {}), ...(last ? { to: fromLocal(addDays(last, 1), 0, tz) } : {}) };
  }

  thisMonth(): Month {
    const l = toLocal(this.deps.clock.now(), this.deps.calendar.timeZone);
    return { year: l.year, month: l.month };
  }

  private lineName(line: number, service: string, locale: Locale): string {
    return this.deps.charter.requestName({ charterLine: line, service }, locale);
  }

  /** Per charter line with requests that month, in the charter's order. */
  async compliance(month: Month, locale: Locale): Promise<ComplianceRow[]> {
    const now = this.deps.clock.now();
    const { from, to } = monthRange(month, this.deps.calendar.timeZone);
    const rows = await this.deps.store.read((tx) => outcomesBetween(tx, from, to));
    const byLine = new Map<number, { service: string; counts: Record<Outcome, number> }>();
    for (const r of rows) {
      let entry = byLine.get(r.charterLine);
      if (!entry) byLine.set(r.charterLine, (entry = { service: r.service, counts: { on_time: 0, late: 0, open: 0, cancelled: 0 } }));
      entry.counts[outcomeOf(r, now)] += 1;
    }
    return [...byLine.entries()]
      .sort(([a], [b]) => a - b)
      .map(([line, { service, counts: c }]) => ({
        line,
        service,
        serviceName: this.lineName(line, service, locale),
        total: c.on_time + c.late + c.open + c.cancelled,
        onTime: c.on_time,
        late: c.late,
        open: c.open,
        cancelled: c.cancelled,
        onTimePercent: c.on_time + c.late > 0 ? Math.round((100 * c.on_time) / (c.on_time + c.late)) : null,
      }));
  }

  /** Every request created between two local days (both included), oldest first, with whether it kept its promise. */
  async requests(first: LocalDay, last: LocalDay, locale: Locale) {
    const now = this.deps.clock.now();
    const { from, to } = daysRange(first, last, this.deps.calendar.timeZone);
    const rows = await this.deps.store.read((tx) => requestsCreatedBetween(tx, from, to));
    return rows.map((r) => ({ ...r, serviceName: this.lineName(r.charterLine, r.service, locale), outcome: outcomeOf(r, now) }));
  }
}

export type ExportRow = Awaited<ReturnType<Reports['requests']>>[number];
