import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { REQUEST_STATUSES } from '../../db/schema.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import type { RequestView, StaffDesk } from '../../bot/staff/desk.ts';
import { readJson } from '../http.ts';

type Env = { Variables: { staff: StaffRow } };

const problem = (issues: z.core.$ZodIssue[]) => ({ error: issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} ${i.message}` : i.message)).join('; ') });

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
  })
  .strict();
const statusBody = z.object({ status: z.enum(REQUEST_STATUSES), note: z.string().trim().max(2000).optional() }).strict();
const replyBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(4000) }).strict();
const reference = z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/, 'must look like ICT-2026-000123');
const conversationId = z.coerce.number().int().positive();

/** JSON for a request: ISO times, so a client need not know how we store them. */
const requestJson = (r: RequestView) => ({
  reference: r.reference,
  service: r.service,
  serviceName: r.serviceName,
  charterLine: r.charterLine,
  status: r.status,
  details: r.details,
  createdAt: r.createdAt.toISOString(),
  dueAt: r.dueAt?.toISOString() ?? null,
  breached: r.breached,
  paused: r.pausedSince !== null,
  conversationId: r.conversationId,
  rating: r.rating,
  ratingComment: r.ratingComment,
});

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const json = await readJson(c);
  if (!json.ok) return { ok: false, response: c.json({ error: 'the body must be JSON' }, 400) };
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: c.json(problem(parsed.error.issues), 400) };
}

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
    return c.json({ requests: (await desk.requests(q.data)).map(requestJson) });
  });

  app.get('/api/requests/:reference', async (c) => {
    const ref = reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return c.json({ error: `reference ${ref.error.issues[0]?.message}` }, 400);
    const found = await desk.request(ref.data);
    if (!found) return c.json({ error: `no request ${ref.data}` }, 404);
    return c.json({
      request: requestJson(found.request),
      events: found.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, kind: e.kind, note: e.note, data: e.data })),
      messages: found.messages.map((m) => ({ id: String(m.id), direction: m.direction, text: m.text, author: m.author, createdAt: m.createdAt.toISOString() })),
    });
  });

  app.post('/api/requests/:reference/status', async (c) => {
    const ref = reference.safeParse(c.req.param('reference').toUpperCase());
    if (!ref.success) return c.json({ error: `reference ${ref.error.issues[0]?.message}` }, 400);
    const b = await body(c, statusBody);
    if (!b.ok) return b.response;
    const outcome = await desk.setStatus({ kind: 'staff', staff: c.get('staff') }, ref.data, b.data.status, b.data.note);
    if (outcome.status === 'not_found') return c.json({ error: `no request ${ref.data}` }, 404);
    if (outcome.status === 'refused') return c.json({ error: outcome.reason }, 409);
    return c.json({ request: requestJson(desk.view(outcome.request)), customerNotified: outcome.notified });
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

  // Mounted in an untyped app, so the server can hold it beside the other routes.
  return new Hono().route('/', app);
}
