import type { Context } from 'hono';
import type { z } from 'zod';
import { conversationTag } from '../../../bot/engine/handoff.ts';
import type { Clock } from '../../../bot/sla/clock.ts';
import type { Actor, StaffDesk } from '../../../bot/staff/desk.ts';
import type { StaffRow } from '../../../db/queries/staff.ts';
import type { REQUEST_STATUSES } from '../../../db/schema.ts';
import { translator, type Locale, type Translate } from '../../../locales/index.ts';
import { consoleForms, problemsIn, type ConsoleForms } from './forms.ts';
import { problemPage, type Flash, type Html, type View } from './layout.ts';
import { wantsJson, type ConsoleEnv, type FlashNote } from './session.ts';

export interface StaffConsoleOptions {
  /** The institution's language (DEFAULT_LOCALE): the sign-in page speaks it, and an officer's console until they choose. */
  readonly locale: Locale;
  /** Where times are shown (TIMEZONE). */
  readonly timeZone: string;
  readonly clock: Clock;
}

export type C = Context<ConsoleEnv>;
type Code = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503;

/**
 * What every console route uses, in the signed-in officer's language (their
 * `staff.locale`; the institution's before anyone has signed in): the words,
 * the checked forms, the page's common parts, and the answers for bad input.
 */
export interface ConsoleKit {
  readonly desk: StaffDesk;
  readonly options: StaffConsoleOptions;
  locale(c: C): Locale;
  t(c: C): Translate;
  forms(c: C): ConsoleForms;
  problems(c: C, issues: readonly z.core.$ZodIssue[]): string;
  view(c: C, menu?: boolean): Promise<View>;
  page(c: C, body: Html, code?: Code): Promise<Response>;
  bad(c: C, message: string, code?: 400 | 403 | 404 | 409 | 413): Promise<Response>;
  badInput(c: C, issues: readonly z.core.$ZodIssue[]): Promise<Response>;
  actor(c: C): Actor;
}

type FlashText = (t: Translate, n: FlashNote) => Flash | undefined;

/** The flash notes routes.ts knows; other route files add theirs (the note's `key` says whose). */
const flashTexts: FlashText[] = [];
export const addFlashText = (f: FlashText) => void flashTexts.push(f);

function flashText(t: Translate, n: FlashNote | undefined): Flash | undefined {
  if (!n) return undefined;
  const status = (s: (typeof REQUEST_STATUSES)[number]) => t(`console_staff.status.${s}`);
  switch (n.key) {
    case 'changed': {
      const changed = t('console_staff.request.changed', { reference: n.reference, status: status(n.status) });
      return { kind: 'ok', text: n.notified ? `${changed} ${t('console_staff.request.notified')}` : changed };
    }
    case 'refused':
      return { kind: 'error', text: t('console_staff.request.refused', { from: status(n.from), to: status(n.to) }) };
    case 'sent':
      return { kind: 'ok', text: t('console_staff.conversation.sent') };
    case 'ended':
      return { kind: 'ok', text: t('console_staff.conversation.ended', { tag: conversationTag(n.id) }) };
  }
  for (const f of flashTexts) {
    const said = f(t, n);
    if (said) return said;
  }
  return undefined;
}

export function consoleKit(desk: StaffDesk, options: StaffConsoleOptions): ConsoleKit {
  const locale = (c: C): Locale => (c.get('staff') as StaffRow | undefined)?.locale ?? options.locale;
  const t = (c: C) => translator(locale(c));
  const kit: ConsoleKit = {
    desk,
    options,
    locale,
    t,
    forms: (c) => consoleForms(locale(c)),
    problems: (c, issues) => problemsIn(t(c), issues),
    // The menu's count of waiting hand-offs is read for signed-in pages; not for JSON (no menu), nor for the error page (the database may be why).
    view: async (c, menu = true) => ({
      t: t(c),
      locale: locale(c),
      timeZone: options.timeZone,
      now: options.clock.now(),
      staff: c.get('staff') as StaffRow | undefined,
      csrf: c.get('csrf') as string | undefined,
      // A page drawn for a POST (a form shown again) has no address to come back to.
      path: c.req.method === 'GET' ? `${c.req.path}${new URL(c.req.url).search}` : undefined,
      flash: flashText(t(c), c.get('flash')),
      waiting: menu && c.get('staff') ? (await desk.handoffs()).filter((h) => !h.handoffTakenBy).length : 0,
      areaNotices: desk.announcements.sendsAreaNotices,
    }),
    page: async (c, body, code = 200) => c.html(await body, code),
    bad: async (c, message, code = 400) => (wantsJson(c) ? c.json({ error: message }, code) : kit.page(c, problemPage(await kit.view(c), t(c)('console_staff.errors.title'), message), code)),
    badInput: (c, issues) => kit.bad(c, t(c)('console_staff.errors.bad_input', { problems: problemsIn(t(c), issues) })),
    actor: (c) => ({ kind: 'staff', staff: c.get('staff') }),
  };
  return kit;
}
