import { TEAM_ID } from '../../../bot/charter/teams.ts';
import { z } from 'zod';
import { REQUEST_STATUSES } from '../../../db/schema.ts';
import { INTENT_ID_PATTERN } from '../../../intents/ids.ts';
import { LOCALES, translator, type Locale, type Translate } from '../../../locales/index.ts';

// What the console accepts, checked with the words the signed-in officer reads
// when it is wrong: one set of schemas a console language, made once.

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const REFERENCE = /^[A-Z]{2,6}-\d{4}-\d{6}$/;

function formsIn(t: Translate) {
  const e = (key: string) => t(`console_staff.errors.${key}`);
  const csrf = z.string();
  return {
    blank,
    reference: z.string().regex(REFERENCE, e('reference')),
    conversationId: z.coerce
      .number({ error: e('conversation_id') })
      .int(e('conversation_id'))
      .positive(e('conversation_id'))
      .max(Number.MAX_SAFE_INTEGER, e('conversation_id')),
    filters: z
      .object({
        service: z.preprocess(blank, z.string().regex(INTENT_ID_PATTERN, e('service')).optional()),
        status: z.preprocess(blank, z.enum(REQUEST_STATUSES, { error: e('status') }).optional()),
        breached: z.preprocess(blank, z.enum(['1', 'on', 'true'], { error: e('breached') }).optional()),
        q: z.preprocess(blank, z.string().trim().max(200, e('search_long')).optional()),
        owner: z.preprocess(blank, z.enum(['me', 'none'], { error: e('assignee') }).optional()),
        team: z.preprocess(blank, z.string().regex(TEAM_ID, e('team')).optional()),
      })
      .strict(),
    statusForm: z
      .object({
        _csrf: csrf,
        status: z.enum(REQUEST_STATUSES, { error: e('status') }),
        note: z.preprocess(blank, z.string().trim().max(2000, e('note_long')).optional()),
      })
      .strict(),
    replyForm: z
      .object({
        _csrf: csrf,
        text: z
          .string({ error: e('reply_empty') })
          .trim()
          .min(1, e('reply_empty'))
          .max(4000, e('reply_long')),
      })
      .strict(),
    cursor: z
      .object({
        after: z
          .string()
          .regex(/^\d{1,15}$/, e('after'))
          .optional(),
      })
      .strict(),
    loginForm: z.object({
      token: z
        .string({ error: e('token') })
        .trim()
        .min(1, e('token'))
        .max(500),
    }),
    languageForm: z
      .object({
        _csrf: csrf,
        locale: z.enum(LOCALES, { error: e('locale') }),
        // Only a console page of ours: never another site, never a script.
        back: z
          .string()
          .regex(/^\/staff(\/[A-Za-z0-9_\-/]*)?(\?[A-Za-z0-9_=&%.+-]*)?$/)
          .optional()
          .catch(undefined),
      })
      .strict(),
  };
}

export type ConsoleForms = ReturnType<typeof formsIn>;

const made = new Map<Locale, ConsoleForms>();

/** The console's schemas in `locale`'s words. */
export function consoleForms(locale: Locale): ConsoleForms {
  let forms = made.get(locale);
  if (!forms) made.set(locale, (forms = formsIn(translator(locale))));
  return forms;
}

/** zod's issues as one sentence in `t`'s language. */
export const problemsIn = (t: Translate, issues: readonly z.core.$ZodIssue[]) =>
  issues.map((i) => (i.code === 'unrecognized_keys' ? t('console_staff.errors.unknown', { field: i.keys.join(', ') }) : i.message)).join('; ');
