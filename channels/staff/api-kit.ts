import type { Context } from 'hono';
import { z } from 'zod';
import type { RequestView } from '../../bot/staff/desk.ts';
import { parseDay, parseMonth } from '../../bot/staff/reports.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import { readJson } from '../http.ts';

// What the staff API's route files share: the signed-in officer, input checks, and a request's JSON.

export type Env = { Variables: { staff: StaffRow } };

export const problem = (issues: z.core.$ZodIssue[]) => ({ error: issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} ${i.message}` : i.message)).join('; ') });

export const reference = z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/, 'must look like ICT-2026-000123');
export const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const day = z.string().transform((s, ctx) => parseDay(s) ?? (ctx.addIssue({ code: 'custom', message: 'must be a date as YYYY-MM-DD, e.g. 2026-11-23' }), z.NEVER));
export const month = z.string().transform((s, ctx) => parseMonth(s) ?? (ctx.addIssue({ code: 'custom', message: 'must be a month as YYYY-MM, e.g. 2026-11' }), z.NEVER));

/** The JSON body, checked: the data, or the 400 answer saying what is wrong. */
export async function body<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const json = await readJson(c);
  if (!json.ok) return { ok: false, response: c.json({ error: 'the body must be JSON' }, 400) };
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: c.json(problem(parsed.error.issues), 400) };
}

/** The path's reference, upper-cased and checked. */
export function referenceOf(c: Context): { ok: true; reference: string } | { ok: false; response: Response } {
  const ref = reference.safeParse((c.req.param('reference') ?? '').toUpperCase());
  return ref.success ? { ok: true, reference: ref.data } : { ok: false, response: c.json({ error: `reference ${ref.error.issues[0]?.message}` }, 400) };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** JSON for a request: ISO times, so a client need not know how we store them. */
export const requestJson = (r: RequestView) => ({
  reference: r.reference,
  service: r.service,
  serviceName: r.serviceName,
  charterLine: r.charterLine,
  status: r.status,
  details: r.details,
  summary: r.summary,
  office: r.office,
  requester: r.requester,
  createdAt: r.createdAt.toISOString(),
  dueAt: iso(r.dueAt),
  timeLeftMs: r.timeLeftMs,
  waitingFor: r.waitingFor,
  waitingForName: r.waitingForName,
  breached: r.breached,
  paused: r.pausedSince !== null,
  assignee: r.assignee,
  team: r.team,
  teamName: r.teamName,
  aboutReference: r.aboutReference,
  conversationId: r.conversationId,
  rating: r.rating,
  ratingComment: r.ratingComment,
  /** Where the fault is (a place key), and the incident it is one of. */
  area: r.area,
  incidentId: r.incidentId,
});
