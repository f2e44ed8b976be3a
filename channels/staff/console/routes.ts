import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { conversationTag } from '../../../bot/engine/handoff.ts';
import type { Clock } from '../../../bot/sla/clock.ts';
import type { Actor, StaffDesk } from '../../../bot/staff/desk.ts';
import type { StaffRow } from '../../../db/queries/staff.ts';
import { REQUEST_STATUSES } from '../../../db/schema.ts';
import { SERVICE_INTENTS } from '../../../intents/ids.ts';
import { translator, type Locale } from '../../../locales/index.ts';
import { cannotServeNow } from '../../server.ts';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.ts';
import { conversationPage, handoffsPage, messagesJson } from './conversation-page.ts';
import { dashboardPage } from './dashboard-page.ts';
import { problemPage, type Flash, type Html, type View } from './layout.ts';
import { loginPage } from './login-page.ts';
import { requestPage } from './request-page.ts';
import { requestsPage } from './requests-page.ts';
import { checkPost, endSession, formOf, requireSession, securityHeaders, sessionCookie, setFlash, startSession, wantsJson, type ConsoleEnv, type FlashNote } from './session.ts';

export interface StaffConsoleOptions {
  /** The institution's language (DEFAULT_LOCALE): the console speaks it. */
  readonly locale: Locale;
  /** Where times are shown (TIMEZONE). */
  readonly timeZone: string;
  readonly clock: Clock;
}

type C = Context<ConsoleEnv>;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The staff console under /staff: HTML pages over the StaffDesk, with a session cookie and a form token on every POST. */
export function staffConsoleRoutes(desk: StaffDesk, options: StaffConsoleOptions): Hono {
  const t = translator(options.locale);
  const e = (key: string) => t(`console_staff.errors.${key}`);

  // Every input is checked here, with the words a person reads when it is wrong.
  const reference = z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/, e('reference'));
  const conversationId = z.coerce
    .number({ error: e('conversation_id') })
    .int(e('conversation_id'))
    .positive(e('conversation_id'))
    .max(Number.MAX_SAFE_INTEGER, e('conversation_id'));
  const filters = z
    .object({
      service: z.preprocess(blank, z.enum(SERVICE_INTENTS, { error: e('service') }).optional()),
      status: z.preprocess(blank, z.enum(REQUEST_STATUSES, { error: e('status') }).optional()),
      breached: z.preprocess(blank, z.enum(['1', 'on', 'true'], { error: e('breached') }).optional()),
    })
    .strict();
  const statusForm = z
    .object({
      _csrf: z.string(),
      status: z.enum(REQUEST_STATUSES, { error: e('status') }),
      note: z.preprocess(blank, z.string().trim().max(2000, e('note_long')).optional()),
    })
    .strict();
  const replyForm = z
    .object({
      _csrf: z.string(),
      text: z
        .string({ error: e('reply_empty') })
        .trim()
        .min(1, e('reply_empty'))
        .max(4000, e('reply_long')),
    })
    .strict();
  const cursor = z
    .object({
      after: z
        .string()
        .regex(/^\d{1,15}$/, e('after'))
        .optional(),
    })
    .strict();
  const loginForm = z.object({
    token: z
      .string({ error: e('token') })
      .trim()
      .min(1, e('token'))
      .max(500),
  });
  const problems = (issues: readonly z.core.$ZodIssue[]) =>
    issues.map((i) => (i.code === 'unrecognized_keys' ? t('console_staff.errors.unknown', { field: i.keys.join(', ') }) : i.message)).join('; ');

  const status = (s: (typeof REQUEST_STATUSES)[number]) => t(`console_staff.status.${s}`);
  const flashText = (n: FlashNote | undefined): Flash | undefined => {
    if (!n) return undefined;
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
  };

  // The menu's count of waiting hand-offs is read for signed-in pages; not for JSON (no menu), nor for the error page (the database may be why).
  const view = async (c: C, menu = true): Promise<View> => ({
    t,
    locale: options.locale,
    timeZone: options.timeZone,
    now: options.clock.now(),
    staff: c.get('staff') as StaffRow | undefined,
    csrf: c.get('csrf') as string | undefined,
    flash: flashText(c.get('flash')),
    waiting: menu && c.get('staff') ? (await desk.handoffs()).filter((h) => !h.handoffTakenBy).length : 0,
  });
  const actor = (c: C): Actor => ({ kind: 'staff', staff: c.get('staff') });
  const page = async (c: C, body: Html, code: 200 | 400 | 401 | 403 | 404 | 413 | 500 | 503 = 200) => c.html(await body, code);
  const bad = async (c: C, message: string, code: 400 | 403 | 404 | 413 = 400) =>
    wantsJson(c) ? c.json({ error: message }, code) : page(c, problemPage(await view(c), t('console_staff.errors.title'), message), code);
  const badInput = (c: C, issues: readonly z.core.$ZodIssue[]) => bad(c, t('console_staff.errors.bad_input', { problems: problems(issues) }));

  const app = new Hono<ConsoleEnv>();
  app.use('/staff/*', securityHeaders);
  app.use('/staff/*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => bad(c as C, e('too_large'), 413) }));
  app.use(
    '/staff/*',
    requireSession(desk, () => t('console_staff.refused.session')),
  );
  app.use(
    '/staff/*',
    checkPost((c, why) => bad(c as C, t(`console_staff.refused.${why}`), 403)),
  );
  // The server's logErrors logs the error (this answer would swallow it). The database out for a while
  // (disk full, locked, unreachable) is 503 and a page saying so; anything else is a defect, 500.
  app.onError(async (err, c) => {
    const [code, title, text] = cannotServeNow(err) ? ([503, t('outage.staff_title'), t('outage.staff')] as const) : ([500, t('console_staff.errors.title'), e('internal')] as const);
    if (code === 503) c.header('Retry-After', '60');
    return wantsJson(c as C) ? c.json({ error: text }, code) : page(c as C, problemPage(await view(c as C, false), title, text), code);
  });

  app.get('/staff/console.js', (c) => c.body(CONSOLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/staff/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/staff/login', async (c) => {
    const id = sessionCookie(c);
    if (id && (await desk.session(id))) return c.redirect('/staff', 303);
    return page(c, loginPage(await view(c), c.req.query('bye') === '1' ? { kind: 'ok', text: t('console_staff.login.signed_out') } : undefined));
  });

  app.post('/staff/login', async (c) => {
    const form = loginForm.safeParse(await formOf(c));
    if (!form.success) return page(c, loginPage(await view(c), { kind: 'error', text: problems(form.error.issues) }), 400);
    const signed = await desk.signIn(form.data.token);
    // The same answer whether the token is malformed, unknown or revoked.
    if (!signed) return page(c, loginPage(await view(c), { kind: 'error', text: t('console_staff.login.wrong') }), 401);
    const old = sessionCookie(c);
    if (old) await desk.signOut(old);
    startSession(c, signed.sessionId);
    return c.redirect('/staff', 303);
  });

  app.post('/staff/logout', async (c) => {
    await desk.signOut(c.get('sessionId'));
    endSession(c);
    return c.redirect('/staff/login?bye=1', 303);
  });

  app.get('/staff', async (c) => {
    const q = filters.safeParse(c.req.query());
    if (!q.success) return badInput(c, q.error.issues);
    const filter = { service: q.data.service, status: q.data.status, breached: q.data.breached !== undefined };
    const services = SERVICE_INTENTS.map((id) => ({ id, name: t(`intent.${id}`) }));
    return page(c, requestsPage(await view(c), { requests: await desk.requests(filter), filter, services }));
  });

  app.get('/staff/requests/:reference', async (c) => {
    const ref = reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const found = await desk.request(ref.data);
    if (!found) return bad(c, t('console_staff.errors.no_request', { reference: ref.data }), 404);
    return page(c, requestPage(await view(c), found));
  });

  app.post('/staff/requests/:reference/status', async (c) => {
    const ref = reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = statusForm.safeParse(await formOf(c));
    if (!form.success) return badInput(c, form.error.issues);
    const before = await desk.request(ref.data);
    if (!before) return bad(c, t('console_staff.errors.no_request', { reference: ref.data }), 404);
    const outcome = await desk.setStatus(actor(c), ref.data, form.data.status, form.data.note);
    if (outcome.status === 'not_found') return bad(c, t('console_staff.errors.no_request', { reference: ref.data }), 404);
    if (outcome.status === 'refused') setFlash(c, { key: 'refused', from: before.request.status, to: form.data.status });
    else setFlash(c, { key: 'changed', reference: ref.data, status: form.data.status, notified: outcome.notified });
    return c.redirect(`/staff/requests/${ref.data}`, 303);
  });

  app.get('/staff/handoffs', async (c) => page(c, handoffsPage(await view(c), await desk.handoffs())));

  app.get('/staff/conversations/:id', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const found = await desk.conversation(id.data);
    if (!found) return bad(c, t('console_staff.errors.no_conversation', { id: id.data }), 404);
    return page(c, conversationPage(await view(c), found.conversation, found.messages));
  });

  app.get('/staff/conversations/:id/messages', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: problems(id.error.issues) }, 400);
    const q = cursor.safeParse(c.req.query());
    if (!q.success) return c.json({ error: problems(q.error.issues) }, 400);
    const after = Number(q.data.after ?? 0);
    const found = await desk.conversation(id.data, after);
    if (!found) return c.json({ error: t('console_staff.errors.no_conversation', { id: id.data }) }, 404);
    return c.json(messagesJson(await view(c, false), found.messages, after));
  });

  app.post('/staff/conversations/:id/reply', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const form = replyForm.safeParse(await formOf(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.reply(actor(c), id.data, form.data.text);
    if (outcome.status === 'not_found') return bad(c, t('console_staff.errors.no_conversation', { id: id.data }), 404);
    if (wantsJson(c)) return c.json({ ok: true });
    setFlash(c, { key: 'sent' });
    return c.redirect(`/staff/conversations/${id.data}`, 303);
  });

  app.post('/staff/conversations/:id/end', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const outcome = await desk.endHandoff(actor(c), id.data);
    if (outcome.status === 'not_found') return bad(c, t('console_staff.errors.no_conversation', { id: id.data }), 404);
    setFlash(c, { key: 'ended', id: id.data });
    return c.redirect('/staff/handoffs', 303);
  });

  app.get('/staff/dashboard', async (c) => page(c, dashboardPage(await view(c), await desk.dashboard())));

  app.all('/staff/*', (c) => bad(c, e('not_found'), 404));

  // Mounted in an untyped app, so the server can hold it beside the other routes.
  return new Hono().route('/', app);
}
