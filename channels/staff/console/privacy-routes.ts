import type { Hono } from 'hono';
import { z } from 'zod';
import { ACCESS_LOG_LIMIT, mayErase } from '../../../bot/privacy/privacy.ts';
import { parseDay } from '../../../bot/staff/reports.ts';
import { addDays, dayKey, dayNumber, toLocal } from '../../../bot/sla/zoned.ts';
import { translator, type Locale, type Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { REFERENCE } from './forms.ts';
import type { C, ConsoleKit } from './kit.ts';
import { accessLogPage, erasedPage, erasePage } from './privacy-page.ts';
import type { ConsoleEnv } from './session.ts';

// The console's personal-data routes (PDPA 2022): a request's person as a JSON
// download, their erasure behind a confirmation step (supervisors and
// administrators), and the access log (administrators). Exports and erasures
// are logged by bot/privacy.

function formsIn(t: Translate) {
  const e = (key: string) => t(`console_staff.errors.${key}`);
  const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
  const day = z.string().transform((s, ctx) => parseDay(s) ?? (ctx.addIssue({ code: 'custom', message: t('privacy.console.log.bad_day') }), z.NEVER));
  return {
    reference: z.string().regex(REFERENCE, e('reference')),
    erase: z.object({ _csrf: z.string(), confirm: z.literal('yes').optional() }).strict(),
    range: z
      .object({ from: z.preprocess(blank, day.optional()), to: z.preprocess(blank, day.optional()) })
      .strict()
      .refine((r) => !r.from || !r.to || dayNumber(r.from) <= dayNumber(r.to), { message: t('privacy.console.log.range') }),
  };
}

type Forms = ReturnType<typeof formsIn>;
const made = new Map<Locale, Forms>();
const formsFor = (locale: Locale) => made.get(locale) ?? (made.set(locale, formsIn(translator(locale))).get(locale) as Forms);

/** Days the access log shows when none are given: the last 30, today included. */
const DEFAULT_DAYS = 30;

export function privacyRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, bad, badInput, page, view } = kit;
  const forms = (c: C) => formsFor(kit.locale(c));
  const refOf = (c: C) => forms(c).reference.safeParse((c.req.param('reference') ?? '').toUpperCase());
  const noRequest = (c: C, reference: string) => bad(c, t(c)('console_staff.errors.no_request', { reference }), 404);
  const onlyLeads = (c: C) => bad(c, t(c)('privacy.console.only_leads'), 403);

  app.get('/staff/requests/:reference/person/export', async (c) => {
    const ref = refOf(c);
    if (!ref.success) return badInput(c, ref.error.issues);
    const outcome = await desk.privacy.exportPerson(c.get('staff'), { reference: ref.data });
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    return c.body(`${JSON.stringify(outcome.data, null, 2)}\n`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="huduma-person-${outcome.data.personId}-${ref.data}.json"`,
    });
  });

  app.get('/staff/requests/:reference/person/erase', async (c) => {
    if (!mayErase(c.get('staff'))) return onlyLeads(c);
    const ref = refOf(c);
    if (!ref.success) return badInput(c, ref.error.issues);
    const preview = await desk.privacy.preview({ reference: ref.data });
    if (!preview) return noRequest(c, ref.data);
    return page(c, erasePage(await view(c), ref.data, preview));
  });

  app.post('/staff/requests/:reference/person/erase', async (c) => {
    if (!mayErase(c.get('staff'))) return onlyLeads(c);
    const ref = refOf(c);
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).erase.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.privacy.erase(c.get('staff'), { reference: ref.data }, form.data.confirm === 'yes');
    switch (outcome.status) {
      case 'forbidden':
        return onlyLeads(c);
      case 'not_found':
        return noRequest(c, ref.data);
      case 'unconfirmed': {
        // The same step again, saying what is missing.
        const preview = await desk.privacy.preview({ reference: ref.data });
        if (!preview) return noRequest(c, ref.data);
        return page(c, erasePage(await view(c), ref.data, preview, t(c)('privacy.console.unconfirmed')), 400);
      }
      case 'erased':
        return page(c, erasedPage(await view(c), ref.data, outcome));
    }
  });

  app.get('/staff/access-log', async (c) => {
    const q = forms(c).range.safeParse(c.req.query());
    if (!q.success) return badInput(c, q.error.issues);
    const today = toLocal(kit.options.clock.now(), kit.options.timeZone);
    const to = q.data.to ?? today;
    const from = q.data.from ?? addDays(to, 1 - DEFAULT_DAYS);
    const outcome = await desk.privacy.accessLog(c.get('staff'), desk.reports.range(from, to));
    if (outcome.status === 'forbidden') return bad(c, t(c)('privacy.console.log.only_admins'), 403);
    return page(c, accessLogPage(await view(c), { from: dayKey(from), to: dayKey(to), entries: outcome.entries, truncated: outcome.truncated, limit: ACCESS_LOG_LIMIT }));
  });
}
