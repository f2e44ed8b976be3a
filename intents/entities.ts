import { addDays, dayAndMonth, fullYear, isoDate, localDate, validDate, type DateWord, type LocalDate } from './dates.ts';
import { readLexicon } from './lexicon.ts';
import { headcountAt } from './numbers.ts';
import { normalizePhone } from './phone.ts';
import { scanPatterns, type PatternMatch } from './patterns.ts';
import { formsOf, PhraseMatcher, wordsWithOffsets, type Word } from './phrases.ts';

/** A `headcount` is a number of people: "kwa watu watano", "12 participants" (value "5", "12"). */
export type EntityType = 'reference' | 'phone' | 'email' | 'system' | 'equipment' | 'date' | 'headcount';

/** A datum found in a message: `value` is its standard form, `text` what was typed. */
export interface Entity {
  readonly type: EntityType;
  readonly value: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface EntityOptions {
  readonly referencePrefix?: string;
  /** "leo", "jana" and day-month dates are read against this instant (the caller's clock)... */
  readonly now: Date;
  /** ...in this time zone. */
  readonly timeZone?: string;
}

const systems = new PhraseMatcher(formsOf(readLexicon('systems.yml')));
const equipment = new PhraseMatcher(formsOf(readLexicon('equipment.yml')), Infinity);
const dateWords = new PhraseMatcher<DateWord>(
  Object.entries(readLexicon('dates.yml')).flatMap(([key, forms]) =>
    forms.map((f): [string, DateWord] => [f, key.startsWith('m') ? { kind: 'month', month: Number(key.slice(1)) } : { kind: 'relative', days: Number(key) }]),
  ),
  Infinity,
);

function patterned(m: PatternMatch, prefix: string, today: () => LocalDate): Omit<Entity, 'text' | 'start' | 'end'> | undefined {
  const g = m.match;
  switch (m.kind) {
    case 'reference':
      return { type: 'reference', value: `${prefix.toUpperCase()}-${g[1]}-${(g[2] ?? '').padStart(6, '0')}` };
    case 'phone': {
      const phone = normalizePhone(g[0]);
      return phone === undefined ? undefined : { type: 'phone', value: phone };
    }
    case 'email':
      return { type: 'email', value: g[0].toLowerCase() };
    case 'date': {
      const d = validDate(fullYear(g[3], today().year), Number(g[2]), Number(g[1]));
      return d && { type: 'date', value: isoDate(d) };
    }
  }
}

function fromWords(words: readonly Word[], today: () => LocalDate): Omit<Entity, 'text'>[] {
  const found: Omit<Entity, 'text'>[] = [];
  for (let i = 0; i < words.length; ) {
    const dm = dayAndMonth(words, i, dateWords, today);
    if (dm) {
      found.push({ type: 'date', value: isoDate(dm.date), start: dm.start, end: dm.end });
      i = dm.next;
      continue;
    }
    const head = headcountAt(words, i);
    if (head) {
      found.push({ type: 'headcount', value: String(head.value), start: head.start, end: head.end });
      i = head.next;
      continue;
    }
    const rel = dateWords.matchAt(words, i);
    const sys = systems.matchAt(words, i);
    const eq = equipment.matchAt(words, i);
    if (rel?.value.kind === 'relative') found.push({ type: 'date', value: isoDate(addDays(today(), rel.value.days)), start: rel.start, end: rel.end });
    else if (sys) found.push({ type: 'system', value: sys.value, start: sys.start, end: sys.end });
    else if (eq) found.push({ type: 'equipment', value: eq.value, start: eq.start, end: eq.end });
    i = (rel?.value.kind === 'relative' ? rel : (sys ?? eq))?.next ?? i + 1;
  }
  return found;
}

/** References, phone numbers, e-mail addresses, system names, equipment kinds, dates and headcounts, in order. */
export function extractEntities(text: string, options: EntityOptions): Entity[] {
  const prefix = options.referencePrefix ?? 'ICT';
  // Only a message with a date in it needs today's date, and working it out is not cheap.
  let day: LocalDate | undefined;
  const today = () => (day ??= localDate(options.now, options.timeZone ?? 'Africa/Dar_es_Salaam'));
  const found: Entity[] = [];
  const matches = scanPatterns(text, prefix);
  for (const m of matches) {
    const e = patterned(m, prefix, today);
    if (e) found.push({ ...e, text: text.slice(m.start, m.end), start: m.start, end: m.end });
  }
  // Words inside an e-mail address or a reference are not also systems or dates.
  const inside = (w: Word) => matches.some((m) => w.start >= m.start && w.end <= m.end);
  for (const e of fromWords(
    wordsWithOffsets(text).filter((w) => !inside(w)),
    today,
  )) {
    found.push({ ...e, text: text.slice(e.start, e.end) });
  }
  return found.sort((a, b) => a.start - b.start);
}
