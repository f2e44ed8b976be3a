import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { mayErase, type EraseOutcome, type ExportOutcome, type PersonRef } from '../../bot/privacy/privacy.ts';
import type { PersonData } from '../../bot/privacy/summary.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { dayNumber } from '../../bot/sla/zoned.ts';
import { body, day, positiveId, problem, referenceOf, type Env } from './api-kit.ts';

// The staff API's side of PDPA 2022: a person's data as a JSON download, its
// erasure (supervisors and administrators, `{"confirm": true}`), and the access
// log (administrators). Every export and erasure is in the access log.

const confirmBody = z.object({ confirm: z.literal(true, { error: 'must be true: erasure cannot be undone' }) }).strict();
const range = z
  .object({ from: day.optional(), to: day.optional() })
  .strict()
  .refine((r) => !r.from || !r.to || dayNumber(r.from) <= dayNumber(r.to), { message: 'from must not be after to' });

/** The person the path names (`/people/:personId/…` or `/requests/:reference/person/…`), or the 400 answer. */
function personRef(c: Context<Env>): { ok: true; ref: PersonRef } | { ok: false; response: Response } {
  const reference = c.req.param('reference');
  if (reference !== undefined) {
    const ref = referenceOf(c);
    return ref.ok ? { ok: true, ref: { reference: ref.reference } } : ref;
  }
  const id = positiveId.safeParse(c.req.param('personId'));
  if (!id.success) return { ok: false, response: c.json({ error: 'the person id must be a positive number' }, 400) };
  return { ok: true, ref: { personId: id.data } };
}

const notFound = (c: Context<Env>, ref: PersonRef) => c.json({ error: 'reference' in ref ? `no request ${ref.reference}` : `no person ${ref.personId}` }, 404);

/** A download: the browser saves it under a name saying whose and when. */
function download(c: Context<Env>, data: PersonData): Response {
  const at = data.generatedAt.slice(0, 10);
  return c.body(`${JSON.stringify(data, null, 2)}\n`, 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="huduma-person-${data.personId}-${at}.json"`,
  });
}

function erased(c: Context<Env>, ref: PersonRef, outcome: EraseOutcome): Response {
  switch (outcome.status) {
    case 'forbidden':
      return c.json({ error: "only a supervisor or an administrator may erase a person's data" }, 403);
    case 'unconfirmed':
      return c.json({ error: 'confirm must be true: erasure cannot be undone' }, 400);
    case 'not_found':
      return notFound(c, ref);
    case 'erased':
      return c.json({ erased: true, personId: outcome.personId, alreadyErased: outcome.alreadyErased, closed: outcome.closed, requests: outcome.requests });
  }
}

export function privacyApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  const exporting = async (c: Context<Env>) => {
    const who = personRef(c);
    if (!who.ok) return who.response;
    const outcome: ExportOutcome = await desk.privacy.exportPerson(c.get('staff'), who.ref);
    return outcome.status === 'exported' ? download(c, outcome.data) : notFound(c, who.ref);
  };
  app.get('/api/people/:personId/export', exporting);
  app.get('/api/requests/:reference/person/export', exporting);

  const erasing = async (c: Context<Env>) => {
    // Agents are refused before their input is even read.
    if (!mayErase(c.get('staff'))) return erased(c, { personId: 0 }, { status: 'forbidden' });
    const who = personRef(c);
    if (!who.ok) return who.response;
    const b = await body(c, confirmBody);
    if (!b.ok) return b.response;
    return erased(c, who.ref, await desk.privacy.erase(c.get('staff'), who.ref, b.data.confirm));
  };
  app.post('/api/people/:personId/erase', erasing);
  app.post('/api/requests/:reference/person/erase', erasing);

  app.get('/api/access-log', async (c) => {
    const q = range.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const outcome = await desk.privacy.accessLog(c.get('staff'), desk.reports.range(q.data.from, q.data.to));
    if (outcome.status === 'forbidden') return c.json({ error: 'only an administrator may read the access log' }, 403);
    return c.json({
      entries: outcome.entries.map((e) => ({
        at: e.at.toISOString(),
        staff: { id: e.staffId, name: e.staffName },
        action: e.action,
        reference: e.reference,
        requestId: e.requestId,
        personId: e.personId,
      })),
      truncated: outcome.truncated,
    });
  });
}
