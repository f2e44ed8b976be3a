// Shapes of the things people type that carry data: shared by the normalizer
// (which turns them into placeholder tokens) and the entity extractor.

import { PHONE_PATTERN } from './phone.ts';

/** `ICT-2026-000123`, also `ict 2026 000123`, `ICT2026000123`, `ICT/2026/123`. */
export function referencePattern(prefix: string): RegExp {
  const p = prefix.replace(/[^A-Za-z0-9]/g, '');
  return new RegExp(`(?<![\\p{L}\\p{N}])${p}[\\s\\-_/.]*(20\\d{2})[\\s\\-_/.]*(\\d{1,6})(?!\\d)`, 'giu');
}

export const EMAIL_PATTERN = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

/** `5/12`, `05-12-2026`, `5.12.26`: day first, as written in Tanzania. */
export const NUMERIC_DATE_PATTERN = /(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?!\d)(?![/.-]\d)/g;

export type PatternKind = 'reference' | 'email' | 'phone' | 'date';

export interface PatternMatch {
  readonly kind: PatternKind;
  readonly start: number;
  readonly end: number;
  readonly match: RegExpMatchArray;
}

const referencePatterns = new Map<string, RegExp>();
function referencePatternFor(prefix: string): RegExp {
  let re = referencePatterns.get(prefix);
  if (!re) referencePatterns.set(prefix, (re = referencePattern(prefix)));
  return re;
}

/**
 * Every patterned datum in `text`, in order, none overlapping. The most specific
 * shape wins: a reference's digits are not also read as a phone number or a date.
 */
export function scanPatterns(text: string, referencePrefix: string): PatternMatch[] {
  const found: PatternMatch[] = [];
  const scan = (re: RegExp, kind: PatternKind) => {
    for (const match of text.matchAll(re)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!found.some((s) => start < s.end && end > s.start)) found.push({ kind, start, end, match });
    }
  };
  // A cheap test first: most messages carry no digits and no "@".
  if (!/[\d@]/.test(text)) return found;
  scan(referencePatternFor(referencePrefix), 'reference');
  scan(EMAIL_PATTERN, 'email');
  scan(PHONE_PATTERN, 'phone');
  scan(NUMERIC_DATE_PATTERN, 'date');
  return found.sort((a, b) => a.start - b.start);
}
