import { toLocal } from '../../bot/sla/zoned.ts';
import type { ComplianceRow, ExportRow } from '../../bot/staff/reports.ts';

// CSV as RFC 4180 has it (CRLF line ends, quotes doubled, a field quoted when
// it holds a comma, quote or line break), safe to open in a spreadsheet.

export type Cell = string | number | boolean | null | undefined;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or
 * carriage return before one) gets a leading apostrophe: a citizen's words
 * or a staff name must never become a formula on an officer's computer.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csv = (header: readonly string[], rows: readonly (readonly Cell[])[]) => [header, ...rows].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-23T11:00:00+03:00`: the institution's wall clock, with its offset, so a spreadsheet and a program both read it right. */
export function localIso(at: Date | null, timeZone: string): string {
  if (!at) return '';
  const l = toLocal(at, timeZone);
  const seconds = Math.floor(l.minutes * 60 + 1e-6);
  const wall = Date.UTC(l.year, l.month - 1, l.day) + seconds * 1000;
  const offset = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const o = Math.abs(offset);
  return `${l.year}-${two(l.month)}-${two(l.day)}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}${sign}${two(Math.floor(o / 60))}:${two(o % 60)}`;
}

/** The headers a CSV download needs: its type, and a file name to save it as. */
export const csvHeaders = (filename: string) => ({
  'Content-Type': 'text/csv; charset=utf-8; header=present',
  'Content-Disposition': `attachment; filename="${filename}"`,
});

/** The requests export: one row a request, named columns a program can rely on. */
export function requestsCsv(rows: readonly ExportRow[], timeZone: string): string {
  const header = ['reference', 'service', 'service_name', 'status', 'created', 'due', 'resolved', 'on_time', 'assignee', 'team', 'rating'];
  const onTime = (o: ExportRow['outcome']) => (o === 'on_time' ? 'yes' : o === 'late' ? 'no' : '');
  return csv(
    header,
    rows.map((r) => [
      r.reference,
      r.service,
      r.serviceName,
      r.status,
      localIso(r.createdAt, timeZone),
      localIso(r.dueAt, timeZone),
      localIso(r.resolvedAt, timeZone),
      onTime(r.outcome),
      r.assignee,
      r.team,
      r.rating,
    ]),
  );
}

/** The month's compliance per charter line. */
export function complianceCsv(rows: readonly ComplianceRow[]): string {
  const header = ['line', 'service', 'service_name', 'total', 'on_time', 'late', 'open', 'cancelled', 'on_time_percent'];
  return csv(
    header,
    rows.map((r) => [r.line, r.service, r.serviceName, r.total, r.onTime, r.late, r.open, r.cancelled, r.onTimePercent]),
  );
}
