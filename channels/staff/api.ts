import { Hono } from 'hono';
import { z } from 'zod';
import { REQUEST_STATUSES } from '../../db/schema.ts';
import { TEAM_ID } from '../../bot/charter/teams.ts';
import { dayNumber } from '../../bot/sla/zoned.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { body, day, positiveId, problem, referenceOf, requestJson, type Env } from './api-kit.ts';
import { toolApiRoutes } from './api-tools.ts';
import { adminApiRoutes } from './api-admin.ts';
import { deskApiRoutes } from './api-desk.ts';
import { privacyApiRoutes } from './privacy-routes.ts';
import { incidentApiRoutes } from './incidents-api.ts';
import { announcementApiRoutes } from './announcements-api.ts';

const filters = z
  .object({
    status: z.enum(REQUEST_STATUSES).optional(),
    service: z
      .string()
      .regex(/^[a-z_]{2,40}$/, 'must be a service id such as network_email_fault')
      .optional(),
    breached: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    assignee: z.union([z.enum(['me', 'none']), positiveId], { error: 'must be me, none or a staff id' }).optional(),
    team: z.string().regex(TEAM_ID, 'must be a team id such as network').optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || dayNumber(f.from) <= dayNumber(f.to), { message: 'from must not be after to' });
const statusBody = z.object({ status: z.enum(REQUEST_STATUSES), note: z.string().trim().max(2000).optional() }).strict();
const text = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters');
const replyBody = z.object({ text }).strict();
/** To the person on a request: typed text, or a canned reply's id (sent in the person's language). */
const requestReplyBody = z
  .object({ text: text.optional(), canned: positiveId.optional() })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.canned === undefined), { message: 'give either text or canned (a canned reply id), not both' });
const noteBody = z.object({ text }).strict();
const conversationId = z.coerce.number().int().positive();

/** The staff API of shared/contracts.md: `Authorization: Bearer <token>` from `npm run staff:add`. */
export function staffApiRoutes(desk: StaffDesk): Hono {
  const app = new Hono<Env>();
  app.use('/api/*', async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const token = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header)?.[1];
    const staff = token ? await desk.authenticate(token) : undefined;
    if (!staff) return c.json({ error: 'a valid staff token is needed: Authorization: Bearer <token> (npm run staff:add)' }, 401, { 'WWW-Authenticate': 'Bearer' });
    c.set('staff', staff);
    await next();
  });

  app.get('/api/requests', async (c) => {
    const q = filters.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const { assignee, from, to, ...rest } = q.data;
    const who = assignee === 'me' ? c.get('staff').id : assignee;
    return c.json({ requests: (await desk.requests({ ...rest, ...desk.reports.range(from, to), assignee: who }, c.get('staff').locale)).map(requestJson) });
  });

  app.get('/api/requests/:reference', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const found = await desk.request(ref.reference, c.get('staff').locale);
    if (!found) return c.json({ error: `no request ${ref.reference}` }, 404);
    // PDPA access log: who opened this request's details (its person's contact and transcript), and when.
    await desk.privacy.recordView(c.get('staff'), found.request);
    return c.json({
      request: requestJson(found.request),
      notes: found.notes.map((n) => ({ at: n.at.toISOString(), author: n.author, staff: n.staff, text: n.text })),
      events: found.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, kind: e.kind, note: e.note, data: e.data })),
      messages: found.messages.map((m) => ({ id: String(m.id), direction: m.direction, text: m.text, author: m.author, createdAt: m.createdAt.toISOString() })),
    });
  });

  app.post('/api/requests/:reference/reply', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const b = await body(c, requestReplyBody);
    if (!b.ok) return b.response;
    const what = b.data.canned === undefined ? { text: b.data.text ?? '' } : { canned: b.data.canned };
    const outcome = await desk.replyOnRequest({ kind: 'staff', staff: c.get('staff') }, ref.reference, what);
    switch (outcome.status) {
      case 'sent':
        return c.json({ ok: true, conversationId: outcome.conversationId });
      case 'not_found':
        return c.json({ error: `no request ${ref.reference}` }, 404);
      case 'no_canned':
        return c.json({ error: `no canned reply ${b.data.canned}` }, 404);
      case 'no_conversation':
        return c.json({ error: `request ${ref.reference} has no conversation to answer on (it was not filed in a chat); reach the person another way` }, 409);
    }
  });

  app.post('/api/requests/:reference/notes', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const b = await body(c, noteBody);
    if (!b.ok) return b.response;
    const outcome = await desk.note({ kind: 'staff', staff: c.get('staff') }, ref.reference, b.data.text);
    if (outcome.status === 'not_found') return c.json({ error: `no request ${ref.reference}` }, 404);
    return c.json({ note: { at: outcome.at.toISOString(), author: c.get('staff').name, staff: { id: c.get('staff').id, name: c.get('staff').name }, text: b.data.text } }, 201);
  });

  app.post('/api/requests/:reference/status', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const b = await body(c, statusBody);
    if (!b.ok) return b.response;
    const outcome = await desk.setStatus({ kind: 'staff', staff: c.get('staff') }, ref.reference, b.data.status, b.data.note);
    if (outcome.status === 'not_found') return c.json({ error: `no request ${ref.reference}` }, 404);
    if (outcome.status === 'refused') return c.json({ error: outcome.reason }, 409);
    const after = (await desk.requestView(ref.reference, c.get('staff').locale)) ?? desk.view(outcome.request);
    return c.json({ request: requestJson(after), customerNotified: outcome.notified });
  });

  app.post('/api/conversations/:id/reply', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'the conversation id must be a positive number' }, 400);
    const b = await body(c, replyBody);
    if (!b.ok) return b.response;
    const outcome = await desk.reply({ kind: 'staff', staff: c.get('staff') }, id.data, b.data.text);
    return outcome.status === 'sent' ? c.json({ ok: true }) : c.json({ error: `no conversation ${id.data}` }, 404);
  });

  app.post('/api/conversations/:id/end', async (c) => {
    const id = conversationId.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'the conversation id must be a positive number' }, 400);
    const outcome = await desk.endHandoff({ kind: 'staff', staff: c.get('staff') }, id.data);
    return outcome.status === 'sent' ? c.json({ ok: true }) : c.json({ error: `no conversation ${id.data}` }, 404);
  });

  app.get('/api/handoffs', async (c) =>
    c.json({
      handoffs: (await desk.handoffs()).map((h) => ({ conversationId: h.id, channel: h.channel, since: h.handedOffAt?.toISOString() ?? null, takenBy: h.handoffTakenBy, botSilent: h.handedOff })),
    }),
  );

  toolApiRoutes(app, desk);
  deskApiRoutes(app, desk);
  adminApiRoutes(app, desk);
  privacyApiRoutes(app, desk);
  incidentApiRoutes(app, desk);
  announcementApiRoutes(app, desk);

  // Mounted in an untyped app, so the server can hold it beside the other routes.
  return new Hono().route('/', app);
}
