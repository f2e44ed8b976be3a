import { formatReference } from '../../db/references.ts';

/**
 * A request number as typed on a phone keypad, where letters and "-" are slow
 * to type and "*" is the gateway's separator: "ICT-2026-000123",
 * "2026000123", "2026 123" and, for this year's requests, just "123".
 */
export function parseReference(typed: string, prefix: string, thisYear: number): string | undefined {
  const s = typed.trim().toUpperCase();
  const bare = /^(\d{1,6})$/.exec(s);
  if (bare) return Number(bare[1]) > 0 ? formatReference(prefix, thisYear, Number(bare[1])) : undefined;
  const full = /^(?:([A-Z]{2,6})[\s.-]*)?(\d{4})[\s.-]*(\d{1,6})$/.exec(s);
  if (!full) return undefined;
  const n = Number(full[3]);
  return n > 0 ? formatReference(full[1] ?? prefix, Number(full[2]), n) : undefined;
}
