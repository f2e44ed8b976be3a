import type { Tx } from './client.ts';
import { prepared } from './queries/prepared.ts';

export function formatReference(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * The next reference of a prefix and year, e.g. ICT-2026-000123. Call it in
 * the transaction that creates the request: the counter only ever goes up, so
 * a committed reference is never handed out again.
 */
export function nextReference(tx: Tx, prefix: string, year: number): string {
  const [row] = prepared(tx).nextReference.all({ prefix, year });
  if (!row) throw new Error('the reference counter returned nothing');
  return formatReference(prefix, year, row.last);
}
