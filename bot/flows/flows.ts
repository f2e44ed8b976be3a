import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { SERVICE_INTENTS, type ServiceIntent } from '../../intents/ids.ts';
import { PhraseMatcher, wordsWithOffsets } from '../../intents/phrases.ts';

export const DEFAULT_FLOWS_PATH = fileURLToPath(new URL('./flows.yml', import.meta.url));

const field = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), min_words: z.number().int().positive().default(1), from_entity: z.enum(['system', 'equipment']).optional() }).strict(),
  z.object({ kind: z.literal('phone') }).strict(),
  z.object({ kind: z.literal('email') }).strict(),
  z.object({ kind: z.literal('count'), from_entity: z.literal('headcount').optional() }).strict(),
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
    })
    .strict(),
]);
export type FieldSpec = z.infer<typeof field>;

const file = z
  .object({
    fields: z.record(z.string().regex(/^[a-z_]+$/), field),
    flows: z.record(z.enum(SERVICE_INTENTS), z.array(z.string()).min(1)),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const intent of SERVICE_INTENTS) if (!f.flows[intent]) ctx.addIssue({ code: 'custom', message: `no flow for ${intent}` });
    for (const [intent, ids] of Object.entries(f.flows)) {
      for (const id of ids) if (!f.fields[id]) ctx.addIssue({ code: 'custom', message: `flow ${intent} asks for unknown field ${id}` });
    }
    for (const [id, spec] of Object.entries(f.fields)) {
      if (spec.kind !== 'choice') continue;
      for (const option of [...Object.keys(spec.stated ?? {}), ...Object.keys(spec.replies ?? {})])
        if (!(option in spec.options)) ctx.addIssue({ code: 'custom', message: `field ${id} gives words for unknown option ${option}` });
    }
  });

export interface Flows {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  fieldsOf(intent: ServiceIntent): readonly string[];
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

export function loadFlows(path: string = DEFAULT_FLOWS_PATH): Flows {
  const parsed = file.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { fields, flows } = parsed.data;
  // No typo allowance: "ina" and "haina" are one letter apart and mean the opposite.
  const matchers = new Map<string, { stated: PhraseMatcher<string>; inReply: PhraseMatcher<string> }>();
  for (const [id, spec] of Object.entries(fields)) {
    if (spec.kind !== 'choice' || (!spec.stated && !spec.replies)) continue;
    const stated = phrasesOf(spec.stated);
    matchers.set(id, { stated: new PhraseMatcher(stated, Infinity), inReply: new PhraseMatcher([...stated, ...phrasesOf(spec.replies)], Infinity) });
  }
  return {
    fields,
    fieldsOf: (intent) => flows[intent] ?? [],
    statedOption: (field, text, inReply) => {
      const m = matchers.get(field);
      return m && (oneOption(m.stated, text, false) ?? (inReply ? oneOption(m.inReply, text, true) : undefined));
    },
  };
}
