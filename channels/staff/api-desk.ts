import type { Hono } from 'hono';
import { z } from 'zod';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { body, positiveId, referenceOf, requestJson, type Env } from './api-kit.ts';

// The staff API's ownership and clock actions: taking and assigning requests,
// and starting a clock that waits for an event or a scheduled date.

/** An ISO-8601 instant with its offset (a bare local time would be read in the server's zone, silently). */
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time with its offset, e.g. 2027-01-15T09:00:00+03:00' }).transform((s) => new Date(s));

const eventBody = z
  .object({
    event: z.string({ error: 'must be an event name' }).regex(/^[a-z_]{2,40}$/, 'must be an event name such as delivered_to_workshop, or scheduled'),
    at: instant.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.event === 'scheduled' && !b.at) ctx.addIssue({ code: 'custom', path: ['at'], message: 'is needed for the scheduled event: the date and time set from the schedule (ISO-8601)' });
    if (b.event !== 'scheduled' && b.at) ctx.addIssue({ code: 'custom', path: ['at'], message: 'is only for the scheduled event; an event is recorded as happening now' });
  });

const assignBody = z.object({ to: z.union([z.enum(['me', 'none']), positiveId], { error: 'must be "me", "none" or a staff id' }) }).strict();

export function deskApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  app.post('/api/requests/:reference/events', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const b = await body(c, eventBody);
    if (!b.ok) return b.response;
    const outcome = await desk.startClock({ kind: 'staff', staff: c.get('staff') }, ref.reference, { event: b.data.event, ...(b.data.at ? { at: b.data.at } : {}) });
    if (outcome.status === 'not_found') return c.json({ error: `no request ${ref.reference}` }, 404);
    if (outcome.status === 'refused') return c.json({ error: outcome.text }, outcome.why === 'wrong_event' || outcome.why === 'needs_date' || outcome.why === 'date_not_future' ? 400 : 409);
    const after = (await desk.requestView(ref.reference, c.get('staff').locale)) ?? desk.view(outcome.request);
    return c.json({ request: requestJson(after), dueAt: outcome.dueAt.toISOString(), customerNotified: outcome.notified });
  });

  app.post('/api/requests/:reference/assign', async (c) => {
    const ref = referenceOf(c);
    if (!ref.ok) return ref.response;
    const b = await body(c, assignBody);
    if (!b.ok) return b.response;
    const outcome = await desk.assign(c.get('staff'), ref.reference, b.data.to);
    switch (outcome.status) {
      case 'not_found':
        return c.json({ error: `no request ${ref.reference}` }, 404);
      case 'no_staff':
        return c.json({ error: `no staff member ${outcome.id}` }, 404);
      case 'forbidden':
        return c.json({ error: outcome.text }, 403);
      case 'assigned': {
        const after = (await desk.requestView(ref.reference, c.get('staff').locale)) ?? desk.view(outcome.request);
        return c.json({ request: requestJson(after), assignee: outcome.assignee, outsideTeam: outcome.outsideTeam, changed: outcome.changed });
      }
    }
  });
}
