import { Hono } from 'hono';
import type { StaffDesk } from '../../../bot/staff/desk.ts';
import { COMPLAINT } from '../../../bot/charter/charter.ts';
import { translator } from '../../../locales/index.ts';
import { cannotServeNow } from '../../server.ts';
import { limitBody, readForm } from '../../http.ts';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.ts';
import { conversationPage, handoffsPage, messagesJson } from './conversation-page.ts';
import { dashboardPage } from './dashboard-page.ts';
import { consoleKit, type C, type StaffConsoleOptions } from './kit.ts';
import { problemPage } from './layout.ts';
import { loginPage } from './login-page.ts';
import { requestPage } from './request-page.ts';
import { requestsPage } from './requests-page.ts';
import { dashboardMonth, toolRoutes } from './tools-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { deskRoutes, ownerData } from './desk-routes.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { articleRoutes } from './articles-routes.ts';
import { incidentRoutes } from './incidents-routes.ts';
import { announcementRoutes } from './announcements-routes.ts';
import { kbDashboard } from './articles-dashboard.ts';
import { checkPost, endSession, requireSession, securityHeaders, sessionCookie, setFlash, startSession, wantsJson, type ConsoleEnv } from './session.ts';

export type { StaffConsoleOptions } from './kit.ts';

/** The staff console under /staff: HTML pages over the StaffDesk, with a session cookie and a form token on every POST, in each officer's language. */
export function staffConsoleRoutes(desk: StaffDesk, options: StaffConsoleOptions): Hono {
  const kit = consoleKit(desk, options);
  const { t, forms, problems, view, page, bad, badInput, actor } = kit;
  const e = (c: C, key: string) => t(c)(`console_staff.errors.${key}`);
  const noRequest = (c: C, reference: string) => bad(c, t(c)('console_staff.errors.no_request', { reference }), 404);
  const noConversation = (c: C, id: number) => bad(c, t(c)('console_staff.errors.no_conversation', { id }), 404);

  const app = new Hono<ConsoleEnv>();
  app.use('/staff/*', securityHeaders);
  app.use('/staff/*', limitBody({ maxSize: 16 * 1024, onError: (c) => bad(c as C, e(c as C, 'too_large'), 413) }));
  // Before anyone is signed in, the institution's language.
  app.use(
    '/staff/*',
    requireSession(desk, () => translator(options.locale)('console_staff.refused.session')),
  );
  app.use(
    '/staff/*',
    checkPost((c, why) => bad(c as C, t(c as C)(`console_staff.refused.${why}`), 403)),
  );
  // The server's logErrors logs the error (this answer would swallow it). The database out for a while
  // (disk full, locked, unreachable) is 503 and a page saying so; anything else is a defect, 500.
  app.onError(async (err, c) => {
    const w = t(c as C);
    const [code, title, text] = cannotServeNow(err)
      ? ([503, w('outage.staff_title'), w('outage.staff')] as const)
      : ([500, w('console_staff.errors.title'), w('console_staff.errors.internal')] as const);
    if (code === 503) c.header('Retry-After', '60');
    return wantsJson(c as C) ? c.json({ error: text }, code) : page(c as C, problemPage(await view(c as C, false), title, text), code);
  });

  app.get('/staff/console.js', (c) => c.body(CONSOLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/staff/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/staff/login', async (c) => {
    const id = sessionCookie(c);
    if (id && (await desk.session(id))) return c.redirect('/staff', 303);
    return page(c, loginPage(await view(c), c.req.query('bye') === '1' ? { kind: 'ok', text: t(c)('console_staff.login.signed_out') } : undefined));
  });

  app.post('/staff/login', async (c) => {
    const form = forms(c).loginForm.safeParse(await readForm(c));
    if (!form.success) return page(c, loginPage(await view(c), { kind: 'error', text: problems(c, form.error.issues) }), 400);
    const signed = await desk.signIn(form.data.token);
    // The same answer whether the token is malformed, unknown or revoked.
    if (!signed) return page(c, loginPage(await view(c), { kind: 'error', text: t(c)('console_staff.login.wrong') }), 401);
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

  // The officer's console language, kept on their staff row: every page after this one speaks it.
  app.post('/staff/language', async (c) => {
    const form = forms(c).languageForm.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    await desk.setConsoleLocale(c.get('staff').id, form.data.locale);
    return c.redirect(form.data.back ?? '/staff', 303);
  });

  app.get('/staff', async (c) => {
    // A service of this charter bundle, or complaints: the bundle in use says which exist.
    const known = new Set<string>([...desk.charter.services, COMPLAINT]);
    const q = forms(c)
      .filters.refine((f) => f.service === undefined || known.has(f.service), { path: ['service'], message: e(c, 'service') })
      .safeParse(c.req.query());
    if (!q.success) return badInput(c, q.error.issues);
    const filter = { service: q.data.service, status: q.data.status, breached: q.data.breached !== undefined, q: q.data.q, owner: q.data.owner, team: q.data.team };
    const assignee = q.data.owner === 'me' ? c.get('staff').id : q.data.owner;
    const services = [...desk.charter.services, COMPLAINT].map((id) => ({ id, name: desk.charter.serviceName(id, kit.locale(c)) ?? id }));
    const teams = desk.charter.teams.list.map((team) => ({ id: team.id, name: team.name[kit.locale(c)] }));
    return page(c, requestsPage(await view(c), { requests: await desk.requests({ ...filter, assignee }, kit.locale(c)), filter, services, teams }));
  });

  app.get('/staff/requests/:reference', async (c) => {
    const ref = forms(c).reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const found = await desk.request(ref.data, kit.locale(c));
    if (!found) return noRequest(c, ref.data);
    // PDPA access log: who opened this request's details (its person's contact and transcript), and when.
    await desk.privacy.recordView(c.get('staff'), found.request);
    const canned = (await desk.canned.forPerson(found.request.personId)).replies;
    return page(c, requestPage(await view(c), { ...found, canned, owner: await ownerData(kit, c, found.request) }));
  });

  app.post('/staff/requests/:reference/status', async (c) => {
    const ref = forms(c).reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return badInput(c, ref.error.issues);
    const form = forms(c).statusForm.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const before = await desk.request(ref.data);
    if (!before) return noRequest(c, ref.data);
    const outcome = await desk.setStatus(actor(c), ref.data, form.data.status, form.data.note);
    if (outcome.status === 'not_found') return noRequest(c, ref.data);
    if (outcome.status === 'refused') setFlash(c, { key: 'refused', from: before.request.status, to: form.data.status });
    else setFlash(c, { key: 'changed', reference: ref.data, status: form.data.status, notified: outcome.notified });
    return c.redirect(`/staff/requests/${ref.data}`, 303);
  });

  app.get('/staff/handoffs', async (c) => page(c, handoffsPage(await view(c), await desk.handoffs())));

  app.get('/staff/conversations/:id', async (c) => {
    const id = forms(c).conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const found = await desk.conversation(id.data);
    if (!found) return noConversation(c, id.data);
    // PDPA access log: who opened this person's conversation (their words), and when.
    await desk.privacy.recordConversationView(c.get('staff'), found.conversation);
    const canned = await desk.canned.forPerson(found.conversation.personId);
    return page(c, conversationPage(await view(c), found.conversation, found.messages, canned));
  });

  app.get('/staff/conversations/:id/messages', async (c) => {
    const id = forms(c).conversationId.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: problems(c, id.error.issues) }, 400);
    const q = forms(c).cursor.safeParse(c.req.query());
    if (!q.success) return c.json({ error: problems(c, q.error.issues) }, 400);
    const after = Number(q.data.after ?? 0);
    const found = await desk.conversation(id.data, after);
    if (!found) return c.json({ error: t(c)('console_staff.errors.no_conversation', { id: id.data }) }, 404);
    return c.json(messagesJson(await view(c, false), found.messages, after));
  });

  app.post('/staff/conversations/:id/reply', async (c) => {
    const id = forms(c).conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const form = forms(c).replyForm.safeParse(await readForm(c));
    if (!form.success) return badInput(c, form.error.issues);
    const outcome = await desk.reply(actor(c), id.data, form.data.text);
    if (outcome.status === 'not_found') return noConversation(c, id.data);
    if (wantsJson(c)) return c.json({ ok: true });
    setFlash(c, { key: 'sent' });
    return c.redirect(`/staff/conversations/${id.data}`, 303);
  });

  app.post('/staff/conversations/:id/end', async (c) => {
    const id = forms(c).conversationId.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const outcome = await desk.endHandoff(actor(c), id.data);
    if (outcome.status === 'not_found') return noConversation(c, id.data);
    setFlash(c, { key: 'ended', id: id.data });
    return c.redirect('/staff/handoffs', 303);
  });

  app.get('/staff/dashboard', async (c) => {
    const month = dashboardMonth(kit, c);
    if (!month) return bad(c, e(c, 'month'));
    const v = await view(c);
    return page(c, dashboardPage(v, month, await desk.dashboard(month, kit.locale(c)), kbDashboard(v, await desk.articles.month(month))));
  });

  toolRoutes(app, kit);
  deskRoutes(app, kit);
  adminRoutes(app, kit);
  privacyRoutes(app, kit);
  articleRoutes(app, kit);
  incidentRoutes(app, kit);
  announcementRoutes(app, kit);

  app.all('/staff/*', (c) => bad(c, e(c, 'not_found'), 404));

  // Mounted in an untyped app, so the server can hold it beside the other routes.
  return new Hono().route('/', app);
}
