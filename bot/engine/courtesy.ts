import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { normalizeTokens } from '../../intents/normalize.ts';
import { LOCALES, translator } from '../../locales/index.ts';
import type { Referral } from '../charter/referrals.ts';
import { toLocal } from '../sla/zoned.ts';
import { say, type TurnContext, type TurnResult } from './context.ts';
import { IDLE } from './state.ts';

// Courtesy: greetings answered as Tanzanians answer them ("Shikamoo" →
// "Marahaba", "Mambo?" → "Poa", "Habari za asubuhi?" → "Nzuri…"), also when a
// request follows the greeting; and, for what the help desk does not do, where
// to go instead (the charter's referrals). The words are data: greetings.yml
// here, the sentences in locales/*.yml (courtesy.*, referral.*).

const TIMES = ['morning', 'afternoon', 'evening', 'night'] as const;

const file = z
  .object({
    greetings: z
      .array(
        z
          .object({
            answer: z.string().regex(/^[a-z_]+$/),
            words: z.array(z.string().min(1)).min(1),
            /** Also an ordinary word: a greeting before a request only when a pause or words of address follow it. */
            pause: z.boolean().default(false),
            /** A greeting only as the whole message. */
            alone: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1),
    address: z.array(z.string().min(1)),
    times: z.array(z.object({ from: z.number().int().min(0).max(23), time: z.enum(TIMES) }).strict()).min(1),
  })
  .strict();

interface Greeting {
  readonly answer: string;
  readonly phrases: readonly (readonly string[])[];
  readonly pause: boolean;
  readonly alone: boolean;
}

const data = file.parse(parse(readFileSync(fileURLToPath(new URL('./greetings.yml', import.meta.url)), 'utf8')));
const GREETINGS: readonly Greeting[] = data.greetings.map((g) => ({ answer: g.answer, pause: g.pause, alone: g.alone, phrases: g.words.map((w) => normalizeTokens(w)).filter((p) => p.length > 0) }));
const ADDRESS = new Set(data.address.flatMap((w) => normalizeTokens(w)));
const TIMES_BY_HOUR = [...data.times].sort((a, b) => a.from - b.from);

// An answer without its words would throw at a person's greeting: say so at start instead.
for (const locale of LOCALES) for (const g of GREETINGS) translator(locale)(`courtesy.answer.${g.answer}`);

const startsWith = (tokens: readonly string[], phrase: readonly string[], at = 0): boolean => phrase.every((w, k) => tokens[at + k] === w);

/** Which greeting a message that is only a greeting holds: the first in greetings.yml it names anywhere. */
function greetingIn(text: string): Greeting | undefined {
  const tokens = normalizeTokens(text);
  return GREETINGS.find((g) => g.phrases.some((p) => tokens.some((_, i) => startsWith(tokens, p, i))));
}

/**
 * The greeting a request opens with ("Shikamoo, barua pepe…", "Habari kaka.
 * Nimesahau…"), if any. Words that are also ordinary words count only with a
 * pause or words of address after them: "habari za mafunzo ya MIS" asks for
 * news of a training, it does not greet.
 */
function greetingBefore(text: string): Greeting | undefined {
  const tokens = normalizeTokens(text);
  const clause = normalizeTokens(text.split(/[,.!?;:\n]/, 1)[0] ?? '');
  return GREETINGS.find(
    (g) =>
      !g.alone &&
      g.phrases.some((p) => {
        if (!startsWith(tokens, p)) return false;
        return !g.pause || (startsWith(clause, p) && clause.slice(p.length).every((w) => ADDRESS.has(w)));
      }),
  );
}

/** The part of the day it is now where the institution is, as it is greeted. */
function timeOfDay(ctx: TurnContext): (typeof TIMES)[number] {
  const hour = Math.floor(toLocal(ctx.now, ctx.calendar.timeZone).minutes / 60);
  // Before the first part's hour it is still the last part of the day before (night).
  const part = [...TIMES_BY_HOUR].reverse().find((t) => hour >= t.from) ?? TIMES_BY_HOUR[TIMES_BY_HOUR.length - 1];
  return part?.time ?? 'morning';
}

const answerOf = (ctx: TurnContext, g: Greeting | undefined): string => ctx.t(`courtesy.answer.${g?.answer ?? 'hello'}`, { time: ctx.t(`courtesy.time.${timeOfDay(ctx)}`) });

/** The answer to a message that greets: the greeting returned, then what the person may ask for. */
export function greet(ctx: TurnContext): TurnResult {
  return { replies: [say(`${answerOf(ctx, greetingIn(ctx.text))} ${ctx.t('courtesy.invite')}`)], state: IDLE };
}

/**
 * A request that opens with a greeting is answered as a request, with the
 * greeting returned first ("Marahaba, karibu! Nitakusaidia kwa: …"): nobody
 * leaves "Shikamoo" unanswered.
 */
export function withGreetingAnswered(ctx: TurnContext, result: TurnResult): TurnResult {
  if (ctx.understanding.intent === 'greeting' || ctx.understanding.intent === 'goodbye') return result;
  const greeting = greetingBefore(ctx.text);
  const [first, ...rest] = result.replies;
  if (!greeting || !first) return result;
  return { ...result, replies: [{ ...first, text: `${answerOf(ctx, greeting)} ${first.text}` }, ...rest] };
}

/** How to reach a place: its phone, its website, as the person's language says them. */
function contactOf(ctx: TurnContext, r: Referral): string {
  const c = r.contact;
  const parts = [...(c.phone ? [ctx.t('referral.phone', { phone: c.phone })] : []), ...(c.website ? [ctx.t('referral.website', { website: c.website })] : [])];
  return parts.length > 0 ? ctx.t('referral.contacts', { contacts: parts.join(', ') }) : '';
}

/**
 * For a matter the help desk does not handle, where to go instead (TANESCO for
 * LUKU, the water authority for a water bill), from the charter's referrals;
 * undefined when the message names none of them.
 */
export function referral(ctx: TurnContext): TurnResult | undefined {
  const r = ctx.charter.referrals.match(ctx.text);
  if (!r) return undefined;
  const sentence = ctx.t('referral.reply', { topic: r.topic[ctx.locale], name: r.contact.name[ctx.locale], contacts: contactOf(ctx, r) });
  const text = [sentence, ...(r.contact.note ? [r.contact.note[ctx.locale]] : []), ctx.t('referral.more')].join(' ');
  return { replies: [say(text)], state: IDLE };
}
