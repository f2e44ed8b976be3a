import type { Hono } from 'hono';
import { z } from 'zod';
import type { CannedRow } from '../../bot/staff/canned.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { daysBetween } from '../../bot/staff/reports.ts';
import { body, day, month, positiveId, problem, type Env } from './api-kit.ts';
import { complianceCsv, csvHeaders, requestsCsv } from './csv.ts';

// The staff API's working tools: canned replies (admins keep them, everyone
// uses them) and the charter reports (a CSV of requests, the month's compliance).

const title = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');
const cannedText = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters');
const newCanned = z.object({ title, textSw: cannedText, textEn: cannedText }).strict();
const cannedChange = z
  .object({ title: title.optional(), textSw: cannedText.optional(), textEn: cannedText.optional() })
  .strict()
  .refine((c) => c.title !== undefined || c.textSw !== undefined || c.textEn !== undefined, { message: 'give at least one of title, textSw, textEn' });

/** The longest range one export covers: a year and a day. */
export const MAX_EXPORT_DAYS = 366;
const exportRange = z
  .object({ from: day, to: day })
  .strict()
  .refine((r) => daysBetween(r.from, r.to) >= 1, { message: 'from must not be after to' })
  .refine((r) => daysBetween(r.from, r.to) <= MAX_EXPORT_DAYS, { message: `a range may cover at most ${MAX_EXPORT_DAYS} days` });
const monthQuery = z.object({ month: month.optional() }).strict();

const ONLY_ADMINS = 'only an administrator may add, change or delete canned replies';

const cannedJson = (c: CannedRow) => ({ id: c.id, title: c.title, textSw: c.textSw, textEn: c.textEn, updatedBy: c.updatedBy, updatedAt: c.updatedAt.toISOString() });

export function toolApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  const idOf = (raw: string) => positiveId.safeParse(raw);

  app.get('/api/canned-replies', async (c) => c.json({ cannedReplies: (await desk.canned.list()).map(cannedJson) }));

  app.post('/api/canned-replies', async (c) => {
    const b = await body(c, newCanned);
    if (!b.ok) return b.response;
    const outcome = await desk.canned.create(c.get('staff'), b.data);
    if (outcome.status === 'forbidden') return c.json({ error: ONLY_ADMINS }, 403);
    if (outcome.status === 'not_found') return c.json({ error: 'not found' }, 404);
    return c.json({ cannedReply: cannedJson(outcome.reply) }, 201);
  });

  app.patch('/api/canned-replies/:id', async (c) => {
    const id = idOf(c.req.param('id'));
    if (!id.success) return c.json({ error: 'the canned reply id must be a positive number' }, 400);
    const b = await body(c, cannedChange);
    if (!b.ok) return b.response;
    const outcome = await desk.canned.update(c.get('staff'), id.data, b.data);
    if (outcome.status === 'forbidden') return c.json({ error: ONLY_ADMINS }, 403);
    if (outcome.status === 'not_found') return c.json({ error: `no canned reply ${id.data}` }, 404);
    return c.json({ cannedReply: cannedJson(outcome.reply) });
  });

  app.delete('/api/canned-replies/:id', async (c) => {
    const id = idOf(c.req.param('id'));
    if (!id.success) return c.json({ error: 'the canned reply id must be a positive number' }, 400);
    const outcome = await desk.canned.remove(c.get('staff'), id.data);
    if (outcome.status === 'forbidden') return c.json({ error: ONLY_ADMINS }, 403);
    if (outcome.status === 'not_found') return c.json({ error: `no canned reply ${id.data}` }, 404);
    return c.json({ ok: true });
  });

  app.get('/api/reports/requests.csv', async (c) => {
    const q = exportRange.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const rows = await desk.reports.requests(q.data.from, q.data.to, c.get('staff').locale);
    const name = `requests-${c.req.query('from')}-to-${c.req.query('to')}.csv`;
    return c.body(requestsCsv(rows, desk.reports.timeZone), 200, csvHeaders(name));
  });

  app.get('/api/reports/compliance', async (c) => {
    const q = monthQuery.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const m = q.data.month ?? desk.reports.thisMonth();
    const rows = await desk.reports.compliance(m, c.get('staff').locale);
    return c.json({ month: `${m.year}-${String(m.month).padStart(2, '0')}`, services: rows });
  });

  app.get('/api/reports/compliance.csv', async (c) => {
    const q = monthQuery.safeParse(c.req.query());
    if (!q.success) return c.json(problem(q.error.issues), 400);
    const m = q.data.month ?? desk.reports.thisMonth();
    const label = `${m.year}-${String(m.month).padStart(2, '0')}`;
    return c.body(complianceCsv(await desk.reports.compliance(m, c.get('staff').locale)), 200, csvHeaders(`compliance-${label}.csv`));
  });
}
