import type { Hono } from 'hono';
import { z } from 'zod';
import { mayEditCanned } from '../../../bot/staff/canned.ts';
import { daysBetween, parseDay, parseMonth } from '../../../bot/staff/reports.ts';
import { translator, type Locale, type Translate } from '../../../locales/index.ts';
import { MAX_EXPORT_DAYS } from '../api-tools.ts';
import { complianceCsv, csvHeaders, requestsCsv } from '../csv.ts';
import { readForm } from '../../http.ts';
import { cannedPage } from './canned-page.ts';
import { monthKey } from './dashboard-page.ts';
import { REFERENCE } from './forms.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The console's working tools: a reply and a note on a request, the canned
// replies page, and the report downloads.

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function formsIn(t: Translate) {
  const e = (key: string) => t(`console_staff.errors.${key}`);
  const csrf = z.string();
  const id = z.coerce
    .number({ error: e('canned_id') })
    .int(e('canned_id'))
    .positive(e('canned_id'))
    .max(Number.MAX_SAFE_INTEGER, e('canned_id'));
  const cannedText = z
    .string({ error: e('canned_text') })
    .trim()
    .min(1, e('canned_text'))
    .max(4000, e('canned_text'));
  const day = z.string({ error: e('day') }).transform((s, ctx) => parseDay(s) ?? (ctx.addIssue({ code: 'custom', message: e('day') }), z.NEVER));
  return {
    reference: z.string().regex(REFERENCE, e('reference')),
    id,
    reply: z
      .object({
        _csrf: csrf,
        text: z.preprocess(blank, z.string().trim().max(4000, e('reply_long')).optional()),
        canned: z.preprocess(blank, id.optional()),
      })
      .strict()
      .refine((f) => f.text !== undefined || f.canned !== undefined, { message: e('reply_or_canned') }),
    note: z
      .object({
        _csrf: csrf,
        text: z
          .string({ error: e('note_empty') })
          .trim()
          .min(1, e('note_empty'))
          .max(4000, e('note_text_long')),
      })
      .strict(),
    canned: z
      .object({
        _csrf: csrf,
        title: z
          .string({ error: e('canned_title') })
          .trim()
          .min(1, e('canned_title'))
          .max(120, e('canned_title')),
        textSw: cannedText,
        textEn: cannedText,
      })
      .strict(),
    deletion: z.object({ _csrf: csrf }).strict(),
    range: z
      .object({ from: day, to: day })
      .strict()
      .refine((r) => daysBetween(r.from, r.to) >= 1, { message: e('range') })
      .refine((r) => daysBetween(r.from, r.to) <= MAX_EXPORT_DAYS, { message: e('range_long') }),
    month: z.object({ month: z.preprocess(blank, z.string().optional()) }).strict(),
    monthOf: (s: string | undefined) => (s === undefined ? undefined : parseMonth(s)),
  };
}

const made = new Map<Locale, ReturnType<typeof formsIn>>();
function formsFor(locale: Locale): ReturnType<typeof formsIn> {
  let forms = made.get(locale);
  if (!forms) made.set(locale, (forms = formsIn(translator(locale))));
  return forms;
}

addFlashText((t, n) => {
  if (n.key === 'noted') return { kind: 'ok', text: t('console_staff.notes.added') };
  if (n.key === 'canned') return { kind: 'ok', text: t(`console_staff.canned.${n.what}`) };
  return undefined;
});

/** Which month the dashboard shows (this one unless asked); undefined when what was asked is no month. */
export function dashboardMonth(kit: ConsoleKit, c: C) {
  const f = formsFor(kit.locale(c));
  const q = f.month.safeParse(c.req.query());
  if (!q.success) return undefined;
  return q.data.month === undefined ? kit.desk.reports.thisMonth() : f.monthOf(q.data.month);
}

export function toolRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, bad, badInput, actor, page, view } = kit;
  const forms = (c: C) => formsFor(kit.locale(c));
  const refOf = (c: C) => forms(c).reference.safeParse((c.req.param('reference') ?? '').toUpperCase());
  const noRequest = (c: C, reference: string) => bad(c, t(c)('console_staff.errors.no_request', { reference }), 404);

  app.post('/staff/requests/:reference/reply', async (c) => {
    const ref = refOf(c);
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).reply.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    // Typed (or a canned one put in the box and maybe adapted) wins; a canned one alone goes in the person's language.
    const what = form.data.text !== undefined ? { text: form.data.text } : { canned: form.data.canned ?? 0 };
    const outcome = await desk.replyOnRequest(actor(c), ref.data, what);
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    if (outcome.status === 'no_canned') return bad(c, t(c)('console_staff.errors.no_canned'), 404);
    if (outcome.status === 'no_conversation') return bad(c, t(c)('console_staff.errors.no_conversation_reply', { reference: ref.data }), 409);
    setFlash(c, { key: 'sent' });
    return c.redirect(`/staff/requests/${ref.data}`, 303);
  });

  app.post('/staff/requests/:reference/notes', async (c) => {
    const ref = refOf(c);
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).note.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.note(actor(c), ref.data, form.data.text);
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    setFlash(c, { key: 'noted' });
    return c.redirect(`/staff/requests/${ref.data}#notes-section`, 303);
  });

  app.get('/staff/canned', async (c) => page(c, cannedPage(await view(c), await desk.canned.list(), mayEditCanned(c.get('staff')))));

  const forbidden = (c: C) => bad(c, t(c)('console_staff.errors.canned_forbidden'), 403);
  const noCanned = (c: C) => bad(c, t(c)('console_staff.errors.no_canned'), 404);
  const cannedId = (c: C) => forms(c).id.safeParse(c.req.param('id'));

  app.post('/staff/canned', async (c) => {
    if (!mayEditCanned(c.get('staff'))) return forbidden(c);
    const form = forms(c).canned.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const { _csrf, ...text } = form.data;
    const outcome = await desk.canned.create(c.get('staff'), text);
    if (outcome.status !== 'saved') return forbidden(c);
    setFlash(c, { key: 'canned', what: 'created' });
    return c.redirect('/staff/canned', 303);
  });

  app.post('/staff/canned/:id', async (c) => {
    if (!mayEditCanned(c.get('staff'))) return forbidden(c);
    const id = cannedId(c);
    if (!id.success) return badInput(c, id.error.issues);
    const form = forms(c).canned.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const { _csrf, ...text } = form.data;
    const outcome = await desk.canned.update(c.get('staff'), id.data, text);
    if (outcome.status === 'not_found') return noCanned(c);
    if (outcome.status === 'forbidden') return forbidden(c);
    setFlash(c, { key: 'canned', what: 'updated' });
    return c.redirect('/staff/canned', 303);
  });

  app.post('/staff/canned/:id/delete', async (c) => {
    if (!mayEditCanned(c.get('staff'))) return forbidden(c);
    const id = cannedId(c);
    if (!id.success) return badInput(c, id.error.issues);
    const form = forms(c).deletion.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.canned.remove(c.get('staff'), id.data);
    if (outcome.status === 'not_found') return noCanned(c);
    if (outcome.status === 'forbidden') return forbidden(c);
    setFlash(c, { key: 'canned', what: 'deleted' });
    return c.redirect('/staff/canned', 303);
  });

  app.get('/staff/reports/requests.csv', async (c) => {
    const q = forms(c).range.safeParse(c.req.query());
    if (!q.success) return badInput(c, q.error.issues);
    const rows = await desk.reports.requests(q.data.from, q.data.to, kit.locale(c));
    return c.body(requestsCsv(rows, desk.reports.timeZone), 200, csvHeaders(`requests-${c.req.query('from')}-to-${c.req.query('to')}.csv`));
  });

  app.get('/staff/reports/compliance.csv', async (c) => {
    const month = dashboardMonth(kit, c);
    if (!month) return bad(c, t(c)('console_staff.errors.month'));
    return c.body(complianceCsv(await desk.reports.compliance(month, kit.locale(c))), 200, csvHeaders(`compliance-${monthKey(month)}.csv`));
  });
}
