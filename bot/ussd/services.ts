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

export const serviceLabel = (t: Translate, intent: ServiceIntent) => t(`intent.${intent}`);

/** The choice in the intent's flow that picks its charter line (flows.yml `sets: variant`), when the charter has several. */
export function variantChoice(r: Pick<Rendering, 'charter' | 'flows'>, intent: ServiceIntent): { field: string; options: [option: string, variant: string][] } | undefined {
  if (r.charter.linesFor(intent).length < 2) return undefined;
  for (const field of r.flows.fieldsOf(intent)) {
    const spec = r.flows.fields[field];
    if (spec?.kind === 'choice' && spec.sets === 'variant') return { field, options: Object.entries(spec.options) };
  }
  return undefined;
}

/** A short question for a choice: the USSD wording when there is one, else the chat's. */
export function askFor(t: Translate, field: string): string {
  try {
    return t(`ussd.ask.${field}`);
  } catch {
    return t(`field.${field}.ask`);
  }
}

export function servicePages(r: Rendering): string[][] {
  const labels = reportable(r.charter).map((i) => serviceLabel(r.t, i));
  return paginate(numbered(r.t, labels), r.t('ussd.services'), r.t);
}

/** The charter's lines by intent, in its order: what "Huduma na muda" lists (line 1 included: it is a promise too). */
export function charterGroups(charter: Charter): CharterLine[][] {
  const groups = new Map<string, CharterLine[]>();
  for (const l of charter.lines) groups.set(l.intent, [...(groups.get(l.intent) ?? []), l]);
  return [...groups.values()];
}

/** A group's short name: the bot's name for a service, the charter's own for anything else. */
function groupLabel(r: Rendering, group: readonly CharterLine[]): string {
  const first = group[0];
  if (!first) return '';
  return isServiceIntent(first.intent) ? serviceLabel(r.t, first.intent) : first.name[r.locale];
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
