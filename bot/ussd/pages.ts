import type { Translate } from '../../locales/index.ts';
import { USSD_TEXT_LIMIT } from './types.ts';

/** Cuts a text to `max` characters, ending in "..." when cut (never mid-word when a space is near). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 3));
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}...`;
}

/**
 * Splits list items into pages that fit a screen with its header and the
 * paging lines ("0 Zaidi", "00 Rudi"), each page as full as it can be; the
 * last page has no "0 Zaidi", so its room is larger. A page holds at least one
 * item; an item too long alone is clipped.
 */
export function paginate(items: readonly string[], header: string, t: Translate): string[][] {
  const last = USSD_TEXT_LIMIT - header.length - `\n${t('ussd.back')}`.length;
  const budget = last - `\n${t('ussd.more')}`.length;
  const pages: string[][] = [];
  let page: string[] = [];
  let used = 0;
  for (const [i, raw] of items.entries()) {
    // The last item ends the last page, which has the larger room.
    const room = i === items.length - 1 ? last : budget;
    const item = clip(raw, room - 1);
    if (page.length > 0 && used + 1 + item.length > room) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(item);
    used += 1 + item.length;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** A paged screen: header, the page's items, "0 Zaidi" when a page follows, "00 Rudi". */
export function pageText(header: string, pages: readonly (readonly string[])[], page: number, t: Translate): string {
  const lines = [header, ...(pages[page] ?? []), ...(page < pages.length - 1 ? [t('ussd.more')] : []), t('ussd.back')];
  return lines.join('\n');
}

export const numbered = (t: Translate, labels: readonly string[], from = 1) => labels.map((label, i) => t('ussd.item', { number: from + i, label }));
