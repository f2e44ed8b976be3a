import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INTENT_ID_PATTERN, type ServiceIntent } from '../../intents/ids.ts';
import { PhraseMatcher, wordsWithOffsets } from '../../intents/phrases.ts';
import { readYamlFile } from '../charter/yaml-file.ts';

/** The shipped ICT bundle's forms (a bundle's forms.yml). */
export const DEFAULT_FLOWS_PATH = fileURLToPath(new URL('../charter/ict/forms.yml', import.meta.url));

const field = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), min_words: z.number().int().positive().default(1), from_entity: z.enum(['system', 'equipment']).optional() }).strict(),
  z.object({ kind: z.literal('phone') }).strict(),
  z.object({ kind: z.literal('email') }).strict(),
  z.object({ kind: z.literal('count'), from_entity: z.literal('headcount').optional() }).strict(),
  // Where: a region, district, ward or street named in the text (bot/places), or a location pin.
  z.object({ kind: z.literal('place') }).strict(),
  // A number of exactly `length` digits, spaces and dashes allowed between groups (an 11-digit LUKU meter).
  z.object({ kind: z.literal('digits'), length: z.number().int().min(4).max(30) }).strict(),
  // A choice maps each option (its words in locales under choice.<option>) to the value stored.
  z
    .object({
      kind: z.literal('choice'),
      options: z.record(z.string(), z.string()),
      sets: z.literal('variant').optional(),
      // Words that give an option without choosing it: `stated` anywhere in a message (the first one too),
      // `replies` also, but only in the answer to the question.
      stated: z.record(z.string(), z.array(z.string().min(1))).optional(),
      replies: z.record(z.string(), z.array(z.string().min(1))).optional(),
      // The option a known place gives by the kind of council it is in (city → urban): not asked then.
      from_council: z.record(z.enum(['city', 'municipal', 'town', 'district']), z.string()).optional(),
    })
    .strict(),
]);
export type FieldSpec = z.infer<typeof field>;

const file = z
  .object({
    fields: z.record(z.string().regex(/^[a-z_]+$/), field),
    // A service's details in order; "meter?" is taken when the person gives it, never asked.
    flows: z.record(z.string().regex(INTENT_ID_PATTERN), z.array(z.string().regex(/^[a-z_]+\??$/)).min(1)),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const [intent, ids] of Object.entries(f.flows)) {
      for (const id of ids.map(bare)) if (!f.fields[id]) ctx.addIssue({ code: 'custom', message: `flow ${intent} asks for unknown field ${id}` });
    }
    for (const [id, spec] of Object.entries(f.fields)) {
      if (spec.kind !== 'choice') continue;
      for (const option of [...Object.keys(spec.stated ?? {}), ...Object.keys(spec.replies ?? {}), ...Object.values(spec.from_council ?? {})])
        if (!(option in spec.options)) ctx.addIssue({ code: 'custom', message: `field ${id} gives words for unknown option ${option}` });
    }
  });

const bare = (id: string) => id.replace(/\?$/, '');

/** What a place field makes of a text: a known place (its key and the name shown), several of one name, or none. */
export type PlaceFound =
  | { readonly status: 'found'; readonly key: string; readonly label: string; readonly council?: string }
  | { readonly status: 'ambiguous'; readonly labels: readonly string[] }
  | { readonly status: 'none' };

/** How a place field reads where the person is (the places of the bundle's country, bot/places). */
export interface PlaceFinder {
  /** `answer`: the text answers the question "where?", so a bare name ("Moshi", "Majengo") counts as one. */
  find(text: string, answer?: boolean): PlaceFound;
  /** The place a location pin falls in (nearest known), if any. */
  near(latitude: number, longitude: number): PlaceFound;
}

/** For forms with no place field. */
export const NO_PLACES: PlaceFinder = { find: () => ({ status: 'none' }), near: () => ({ status: 'none' }) };

export interface Flows {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** The services that have a form. */
  readonly intents: readonly ServiceIntent[];
  /** A service's details in order, those taken only when given among them. */
  fieldsOf(intent: ServiceIntent): readonly string[];
  /** Whether a detail of a service is asked (false: taken from what the person says, never asked). */
  asks(intent: ServiceIntent, field: string): boolean;
  /** How a place field reads where the person is. */
  readonly places: PlaceFinder;
  /**
   * The option of a choice field that `text` gives in so many words ("haina
   * mkataba" → "no"), when it gives exactly one; `inReply` when the text
   * answers the field's own question, so its short replies ("haina",
   * "ndiyo, kipo") count too when they are the whole answer.
   */
  statedOption(field: string, text: string, inReply: boolean): string | undefined;
}

/** Phrases as a message's words are compared: lower-case, no accents or punctuation. */
const folded = (phrase: string) =>
  wordsWithOffsets(phrase)
    .map((w) => w.folded)
    .join(' ');

function phrasesOf(words: Record<string, string[]> | undefined): [string, string][] {
  return Object.entries(words ?? {}).flatMap(([option, phrases]) => phrases.map((p): [string, string] => [folded(p), option]));
}

/**
 * The option a text gives, when it gives one only. With `whole`, every word
 * must be part of a phrase: "hapana, haina" is an answer, "acha basi, hakuna
 * haja" (stop, no need) is not a "no".
 */
function oneOption(matcher: PhraseMatcher<string>, text: string, whole: boolean): string | undefined {
  const words = wordsWithOffsets(text);
  const hits = matcher.findAll(words);
  if (whole && !words.every((w) => hits.some((h) => w.start >= h.start && w.end <= h.end))) return undefined;
  const found = new Set(hits.map((h) => h.value));
  return found.size === 1 ? [...found][0] : undefined;
}

/** A forms file that cannot be used, with each problem. */
export class FlowsError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`${path}: ${problems.join('; ')}`);
    this.name = 'FlowsError';
  }
}

export function loadFlows(path: string = DEFAULT_FLOWS_PATH, places: PlaceFinder = NO_PLACES): Flows {
  const parsed = readYamlFile(path, file);
  if (parsed.status === 'invalid') throw new FlowsError(path, parsed.problems);
  const { fields } = parsed.data;
  const flows = new Map(Object.entries(parsed.data.flows).map(([intent, ids]) => [intent, { ids: ids.map(bare), optional: new Set(ids.filter((i) => i.endsWith('?')).map(bare)) }]));
  // No typo allowance: "ina" and "haina" are one letter apart and mean the opposite.
  const matchers = new Map<string, { stated: PhraseMatcher<string>; inReply: PhraseMatcher<string> }>();
  for (const [id, spec] of Object.entries(fields)) {
    if (spec.kind !== 'choice' || (!spec.stated && !spec.replies)) continue;
    const stated = phrasesOf(spec.stated);
    matchers.set(id, { stated: new PhraseMatcher(stated, Infinity), inReply: new PhraseMatcher([...stated, ...phrasesOf(spec.replies)], Infinity) });
  }
  return {
    fields,
    intents: [...flows.keys()],
    places,
    fieldsOf: (intent) => flows.get(intent)?.ids ?? [],
    asks: (intent, field) => !flows.get(intent)?.optional.has(field),
    statedOption: (field, text, inReply) => {
      const m = matchers.get(field);
      return m && (oneOption(m.stated, text, false) ?? (inReply ? oneOption(m.inReply, text, true) : undefined));
    },
  };
}
