import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { IncidentRefusal } from '../../bot/incidents/incidents.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import type { IncidentListRow, IncidentRow } from '../../db/queries/incidents.ts';
import { INCIDENT_STATUSES } from '../../db/schema.ts';
import { INTENT_ID_PATTERN } from '../../intents/ids.ts';
import type { Locale } from '../../locales/index.ts';
import { readJson } from '../http.ts';
import { positiveId, problem, type Env } from './api-kit.ts';

// The staff API's incidents: one fault many people report (README: "Incidents").
// Every refusal is JSON {error, code}: `error` in English for people, `code` stable for programs.

const words = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');
/** What reporters hear, in both languages: each person gets theirs. */
const message = z.object({ sw: words, en: words }, { error: 'must be {"sw": "...", "en": "..."}: the message in Swahili and in English' }).strict();
const newIncident = z
  .object({
    service: z.string({ error: 'must be a service id' }).regex(INTENT_ID_PATTERN, 'must be a service id of the charter, such as network_email_fault'),
    area: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    message,
  })
  .strict();
const withMessage = z.object({ message }).strict();
const listQuery = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(z.enum([...INCIDENT_STATUSES, 'all'], { error: `must be one or more of ${INCIDENT_STATUSES.join(', ')}, or all` })))
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

type Refusal = IncidentRefusal | { readonly status: 'bad_input'; readonly error: string; readonly code?: string };

function refuse(c: Context, r: Refusal): Response {
  switch (r.status) {
    case 'bad_input':
      return c.json({ error: r.error, code: r.code ?? 'bad_input' }, 400);
    case 'forbidden':
      return c.json({ error: 'only a supervisor or an administrator may open, update, resolve, confirm or dismiss incidents: each of these messages many people', code: 'forbidden' }, 403);
    case 'not_found':
      return c.json({ error: `no incident ${c.req.param('id')}`, code: 'not_found' }, 404);
    case 'unknown_service':
      return c.json({ error: 'service is not a service of the charter in use', code: 'unknown_service' }, 400);
    case 'unknown_area':
      return c.json({ error: 'area must be a place key such as dar-es-salaam/kinondoni/sinza, or the name of a place Huduma knows', code: 'unknown_area' }, 400);
    case 'ambiguous_area':
      return c.json({ error: 'area names several places: give one of their keys', code: 'ambiguous_area', candidates: r.candidates }, 400);
    case 'already_open':
      return c.json(
        { error: `incident ${r.incident.id} is already ${r.incident.status} for this service and area`, code: 'already_open', incident: { id: r.incident.id, status: r.incident.status } },
        409,
      );
    case 'wrong_status':
      return c.json({ error: `incident ${r.incident.id} is ${r.incident.status}`, code: `incident_${r.incident.status}`, incident: { id: r.incident.id, status: r.incident.status } }, 409);
  }
}

/** The JSON body, checked: its data, or the refusal saying what is wrong. */
async function bodyOf<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; refusal: Refusal }> {
  const json = await readJson(c);
  if (!json.ok) return { ok: false, refusal: { status: 'bad_input', error: 'the body must be JSON', code: 'not_json' } };
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, refusal: { status: 'bad_input', error: problem(parsed.error.issues).error } };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function incidentApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  const { incidents } = desk;
  const json = (i: IncidentRow, locale: Locale, counts?: Omit<IncidentListRow, 'incident'>) => ({
    id: i.id,
    service: i.service,
    serviceName: incidents.serviceName(i.service, locale),
    area: i.area,
    areaLabel: i.areaLabel,
    status: i.status,
    source: i.source,
    message: i.message,
    createdAt: i.createdAt.toISOString(),
    openedAt: iso(i.openedAt),
    closedAt: iso(i.closedAt),
    updatedAt: i.updatedAt.toISOString(),
    openedBy: i.openedBy,
    closedBy: i.closedBy,
    ...counts,
  });
  const idOf = (c: Context) => positiveId.safeParse(c.req.param('id'));
  const badId: Refusal = { status: 'bad_input', error: 'the incident id must be a positive number', code: 'bad_id' };

  app.get('/api/incidents', async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return refuse(c, { status: 'bad_input', error: problem(q.error.issues).error });
    const asked = q.data.status ?? ['proposed', 'open'];
    const statuses = asked.includes('all') ? INCIDENT_STATUSES : INCIDENT_STATUSES.filter((s) => asked.includes(s));
    const rows = await incidents.list(statuses, q.data.limit);
    return c.json({ incidents: rows.map(({ incident, ...counts }) => json(incident, c.get('staff').locale, counts)) });
  });

  app.post('/api/incidents', async (c) => {
    const b = await bodyOf(c, newIncident);
    if (!b.ok) return refuse(c, b.refusal);
    const outcome = await incidents.open(c.get('staff'), b.data);
    if (outcome.status !== 'opened') return refuse(c, outcome);
    const { incident, linked, told, confirmedProposal } = outcome;
    return c.json({ incident: json(incident, c.get('staff').locale), linked, told: told.requests, confirmedProposal }, 201);
  });

  app.get('/api/incidents/:id', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const found = await incidents.detail(id.data);
    if (!found) return refuse(c, { status: 'not_found' });
    return c.json({
      incident: {
        ...json(found.incident, c.get('staff').locale),
        // The contract's list of references (shared/contracts.md), and each report's details beside it.
        requests: found.requests.map((r) => r.reference),
        reports: found.requests.map((r) => ({ reference: r.reference, status: r.status, channel: r.channel, area: r.area, linkedAt: iso(r.linkedAt), createdAt: r.createdAt.toISOString() })),
        updates: found.updates.map((u) => ({ id: u.id, kind: u.kind, message: u.message, at: u.at.toISOString(), staff: u.staffId === null ? null : { id: u.staffId, name: u.staffName } })),
        candidates: found.candidates.map((r) => ({ reference: r.reference, status: r.status, area: r.area, createdAt: r.createdAt.toISOString() })),
      },
    });
  });

  app.post('/api/incidents/:id/updates', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const b = await bodyOf(c, withMessage);
    if (!b.ok) return refuse(c, b.refusal);
    const outcome = await incidents.update(c.get('staff'), id.data, b.data.message);
    if (outcome.status !== 'updated') return refuse(c, outcome);
    return c.json({ incident: json(outcome.incident, c.get('staff').locale), update: { id: outcome.update.id, at: outcome.update.at.toISOString() }, told: outcome.told.requests }, 201);
  });

  app.post('/api/incidents/:id/resolve', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const b = await bodyOf(c, withMessage);
    if (!b.ok) return refuse(c, b.refusal);
    const outcome = await incidents.resolve(c.get('staff'), id.data, b.data.message);
    if (outcome.status !== 'resolved') return refuse(c, outcome);
    return c.json({ incident: json(outcome.incident, c.get('staff').locale), resolved: outcome.resolved, told: outcome.told.requests });
  });

  app.post('/api/incidents/:id/confirm', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const b = await bodyOf(c, withMessage);
    if (!b.ok) return refuse(c, b.refusal);
    const outcome = await incidents.confirm(c.get('staff'), id.data, b.data.message);
    if (outcome.status !== 'opened') return refuse(c, outcome);
    return c.json({ incident: json(outcome.incident, c.get('staff').locale), linked: outcome.linked, told: outcome.told.requests });
  });

  app.post('/api/incidents/:id/dismiss', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const outcome = await incidents.dismiss(c.get('staff'), id.data);
    if (outcome.status !== 'dismissed') return refuse(c, outcome);
    return c.json({ incident: json(outcome.incident, c.get('staff').locale) });
  });
}
