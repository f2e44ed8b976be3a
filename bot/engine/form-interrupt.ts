import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { isServiceIntent, type ServiceIntent } from '../../intents/ids.ts';
import type { Understanding } from '../../intents/nlu.ts';
import type { FormState } from '../flows/form.ts';
import type { Flows } from '../flows/flows.ts';
import { commandOf, foldText } from './commands.ts';

// Before a reply in a form is taken as an answer: is it about the
// conversation instead ("sitaki tena", "tuongee kiingereza", "badilisha
// ofisi")? Decided from the phrases in form-interrupt.yml, the classifier's
// ranking and how the reply fits the question it answers. Only deciding
// lives here; form-steer.ts acts on it.

const KINDS = ['stop', 'language_en', 'language_sw', 'officer', 'back', 'change', 'status'] as const;
type Kind = (typeof KINDS)[number];
const phraseList = z.array(z.string().min(1)).min(1);
const file = z
  .object({
    fillers: phraseList,
    ...(Object.fromEntries(KINDS.map((k) => [k, phraseList])) as Record<Kind, typeof phraseList>),
    details: z.record(z.string().regex(/^[a-z_]+$/), phraseList),
    describing: z.array(z.string()),
  })
  .strict();

/** What a run of words is: a wish, a word naming a detail, or a filler. */
type Mark = { readonly kind: Kind } | { readonly detail: string } | { readonly filler: true };

const data = file.parse(parse(readFileSync(fileURLToPath(new URL('./form-interrupt.yml', import.meta.url)), 'utf8')));
const marks = new Map<string, Mark>();
let longest = 1;
const mark = (phrase: string, m: Mark) => {
  const folded = foldText(phrase);
  // A wish wins over a filler or a detail spelt the same ("basi", "namba").
  if (!marks.has(folded) || 'kind' in m) marks.set(folded, m);
  longest = Math.max(longest, folded.split(' ').length);
};
for (const w of data.fillers) mark(w, { filler: true });
for (const [detail, words] of Object.entries(data.details)) for (const w of words) mark(w, { detail });
for (const k of KINDS) for (const w of data[k]) mark(w, { kind: k });
const describing: ReadonlySet<string> = new Set(data.describing);
/** Whether a detail is the person's need in their own words (a description, a purpose). */
export const isDescribing = (field: string): boolean => describing.has(field);

/** The details that have words in form-interrupt.yml (a test checks every field of the bundles' forms.yml has). */
export const namedDetails: readonly string[] = Object.keys(data.details);

interface Said {
  readonly kinds: ReadonlySet<Kind>;
  /** Kinds found by a phrase of two words or more: one word inside a longer message ("Human Resources", "basi ...") says little. */
  readonly phrased: ReadonlySet<Kind>;
  readonly words: number;
  readonly details: readonly string[];
  /** Words that are none of the phrases: the message says more than a wish. */
  readonly other: number;
}

/** The message's words, longest phrase first at each place. */
function phrasesIn(text: string): Said {
  const words = foldText(text)
    .split(' ')
    .filter((w) => w.length > 0);
  const kinds = new Set<Kind>();
  const phrased = new Set<Kind>();
  const details: string[] = [];
  let other = 0;
  for (let i = 0; i < words.length; ) {
    let found: { m: Mark; n: number } | undefined;
    for (let n = Math.min(longest, words.length - i); n > 0 && !found; n--) {
      const m = marks.get(words.slice(i, i + n).join(' '));
      if (m) found = { m, n };
    }
    if (!found) {
      other++;
      i++;
      continue;
    }
    if ('kind' in found.m) {
      kinds.add(found.m.kind);
      if (found.n > 1) phrased.add(found.m.kind);
    } else if ('detail' in found.m) details.push(found.m.detail);
    i += found.n;
  }
  return { kinds, phrased, words: words.length, details, other };
}

/**
 * A language asked for in so many words: the commands ("english", "lugha")
 * or a message made only of a switch's phrases ("sorry, can we continue in
 * English?"); 'other' is the one not in use.
 */
export function languageAsked(text: string): 'sw' | 'en' | 'other' | undefined {
  const command = commandOf(text);
  if (command === 'language_sw') return 'sw';
  if (command === 'language_en') return 'en';
  if (command === 'language') return 'other';
  if (text.length > 120) return undefined;
  const said = phrasesIn(text);
  if (said.other > 0 || said.details.length > 0) return undefined;
  const en = said.kinds.has('language_en');
  const sw = said.kinds.has('language_sw');
  if (en === sw || said.kinds.size > 1) return undefined;
  return en ? 'en' : 'sw';
}

/** What a reply is about when it is not the answer to the form's question. */
export type Wish =
  | { readonly kind: 'stop'; readonly sure: boolean }
  | { readonly kind: 'officer' }
  | { readonly kind: 'back' }
  | { readonly kind: 'change'; readonly field?: string }
  | { readonly kind: 'status' }
  | { readonly kind: 'service'; readonly intent: ServiceIntent };

/**
 * How a reply fits the question: 'shaped' — a phone number, count, choice or
 * e-mail that checks, which is the answer whatever else it says; 'loose' —
 * free text, which any words fit; 'none' — not an answer to it.
 */
export type Fit = 'shaped' | 'loose' | 'none';

export interface Pending {
  readonly form: FormState;
  /** The question waiting; none at the summary or the "which detail?" question. */
  readonly field?: string;
  readonly fit: Fit;
}

/** The classifier's best guess, as sure as it must be to count beside the question's shape. */
const SURE = 0.9;
/** Where any words fit (free text), the classifier alone must be all but certain. */
const ALL_BUT_CERTAIN = 0.97;
/** In a description, another service is offered only when the form's own is hardly likely at all. */
const OWN_UNLIKELY = 0.02;
/** A request for another service is a sentence: one or two words ("mfumo", "printa") are too few to judge. */
const SERVICE_WORDS = 3;

/** The classifier's top intent as a wish, when it is sure enough for this question. */
function modelWish(u: Understanding, q: Pending, said: Said): Wish | undefined {
  const [top] = u.ranking;
  if (!top || u.decided === 'no_evidence' || top.confidence < SURE) return undefined;
  const describes = q.field !== undefined && isDescribing(q.field);
  if (isServiceIntent(top.intent)) {
    if (top.intent === q.form.intent || said.words < SERVICE_WORDS) return undefined;
    const own = u.ranking.find((r) => r.intent === q.form.intent)?.confidence ?? 0;
    if (describes && (top.confidence < ALL_BUT_CERTAIN || own >= OWN_UNLIKELY)) return undefined;
    return { kind: 'service', intent: top.intent };
  }
  if (q.fit === 'loose' && (describes || top.confidence < ALL_BUT_CERTAIN)) return undefined;
  // The classifier alone never stops a form without asking.
  if (top.intent === 'cancel' || top.intent === 'goodbye') return { kind: 'stop', sure: false };
  if (top.intent === 'human_handoff') return { kind: 'officer' };
  if (top.intent === 'check_status') return { kind: 'status' };
  return undefined;
}

const agrees = (u: Understanding, intents: readonly string[]) => {
  const [top] = u.ranking;
  return top !== undefined && intents.includes(top.intent) && top.confidence >= SURE;
};

/** Which of several wishes a message says counts: "acha, nataka kuongea na afisa" asks for an officer. */
const ORDER = ['officer', 'status', 'back', 'stop'] as const;
const MODEL_INTENTS: Record<(typeof ORDER)[number], readonly string[]> = {
  officer: ['human_handoff'],
  status: ['check_status'],
  back: [],
  stop: ['cancel', 'goodbye'],
};

/**
 * The wish a reply states instead of answering, if any. A message made only
 * of a wish's words is that wish; a phrase in a longer message counts when the
 * reply is no answer to the question, or the classifier says the same; the
 * classifier alone counts when the reply does not fit (or, for free text, is
 * all but certain). A stop is sure only when both the words and the
 * classifier say so; otherwise the person is asked.
 */
export function wishOf(text: string, u: Understanding, flows: Flows, q: Pending): Wish | undefined {
  if (q.fit === 'shaped' || text.length > 300) return undefined;
  const said = phrasesIn(text);
  const whole = said.other === 0;
  const counts = (intents: readonly string[]) => whole || q.fit === 'none' || agrees(u, intents);
  const fields = flows.fieldsOf(q.form.intent);
  if (said.kinds.has('change') && (whole || q.fit === 'none')) {
    const field = said.details.find((d) => fields.includes(d));
    if (field || whole) return { kind: 'change', field };
  }
  const statusRef = u.entities.some((e) => e.type === 'reference') && agrees(u, ['check_status']);
  if (statusRef) return { kind: 'status' };
  for (const kind of ORDER) {
    if (!(whole ? said.kinds : said.phrased).has(kind) || !counts(MODEL_INTENTS[kind])) continue;
    return kind === 'stop' ? { kind, sure: whole && agrees(u, MODEL_INTENTS.stop) } : { kind };
  }
  return modelWish(u, q, said);
}

/** The first of `fields` a text names in other words than its label ("namba ya simu", "the phone number"). */
export function detailNamed(text: string, fields: readonly string[]): string | undefined {
  return phrasesIn(text).details.find((d) => fields.includes(d));
}
