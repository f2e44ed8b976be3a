/**
 * A request's reference, e.g. ICT-2026-000123: the prefix, the year, and the
 * year's number padded to six digits (never cut: the millionth is 1000000).
 * The number comes from the prefix and year's counter row, taken in the
 * transaction that files the request (db/queries/requests.ts createRequest),
 * so a committed reference is never handed out again and a rolled-back one is.
 */
export function formatReference(prefix: string, year: number, n: number): string {
  return `${referenceHead(prefix, year)}${String(n).padStart(6, '0')}`;
}

/** What comes before the number: "ICT-2026-". */
export const referenceHead = (prefix: string, year: number): string => `${prefix}-${year}-`;
