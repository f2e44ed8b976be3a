import { isServiceIntent, type ServiceIntent } from '../../intents/ids.ts';
import type { Translate } from '../../locales/index.ts';
import type { Charter, CharterLine } from '../charter/charter.ts';
import { numbered, paginate } from './pages.ts';
import type { Rendering } from './types.ts';

/**
 * What a person can report: the charter's service intents, in the charter's
 * order, once each. Lines that are not services (line 1, answering calls) are
 * left out; an intent with several lines is told apart by the flow's own
 * choice (see variantChoice), as in the chat.
 */
export function reportable(charter: Charter): ServiceIntent[] {
  const seen = new Set<ServiceIntent>();
  for (const l of charter.lines) if (isServiceIntent(l.intent)) seen.add(l.intent);
  return [...seen];
}

/** A service's one name (the charter bundle's), before its line is known: see Charter.serviceName. */
export const serviceLabel = (r: Pick<Rendering, 'charter' | 'locale'>, intent: ServiceIntent, variant?: string) => r.charter.serviceName(intent, r.locale, variant) ?? intent;

export { variantChoice } from '../flows/variants.ts';

/** A short question for a choice: the USSD wording when there is one, else the chat's. */
export function askFor(t: Translate, field: string): string {
  try {
    return t(`ussd.ask.${field}`);
  } catch {
    return t(`field.${field}.ask`);
  }
}

export function servicePages(r: Rendering): string[][] {
  const labels = reportable(r.charter).map((i) => serviceLabel(r, i));
  return paginate(numbered(r.t, labels), r.t('ussd.services'), r.t);
}

/** The charter's lines by intent, in its order: what "Huduma na muda" lists (line 1 included: it is a promise too). */
export function charterGroups(charter: Charter): CharterLine[][] {
  const groups = new Map<string, CharterLine[]>();
  for (const l of charter.lines) groups.set(l.intent, [...(groups.get(l.intent) ?? []), l]);
  return [...groups.values()];
}

/** A group's name: its service's one name (the line's own where the group is one line). */
function groupLabel(r: Rendering, group: readonly CharterLine[]): string {
  const first = group[0];
  if (!first) return '';
  return group.length === 1 ? first.name[r.locale] : (r.charter.serviceName(first.intent, r.locale) ?? first.name[r.locale]);
}

export function charterPages(r: Rendering): string[][] {
  return paginate(
    numbered(
      r.t,
      charterGroups(r.charter).map((g) => groupLabel(r, g)),
    ),
    r.t('ussd.charter'),
    r.t,
  );
}

/** One group's promises, as the charter words them: its own names only when there are several lines to tell apart. */
export function charterLinePages(r: Rendering, group: number): { header: string; pages: string[][] } {
  const lines = charterGroups(r.charter)[group] ?? [];
  const header = groupLabel(r, lines);
  const items =
    lines.length === 1
      ? lines.map((l) => r.t('ussd.charter_time', { promise: l.promise[r.locale] }))
      : lines.map((l) => r.t('ussd.charter_line', { name: l.name[r.locale], promise: l.promise[r.locale] }));
  return { header, pages: paginate(items, header, r.t) };
}

/** A service answered at once (its line's `how`, e.g. planned outages), its sentences page by page under its name. */
export function howPages(r: Rendering, intent: ServiceIntent): string[][] {
  const how = r.charter.linesFor(intent).find((l) => l.how)?.how?.[r.locale] ?? '';
  const sentences = how.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0);
  return paginate(sentences, serviceLabel(r, intent), r.t);
}
