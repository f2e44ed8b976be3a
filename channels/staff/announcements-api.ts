import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AnnouncementRefusal, AnnouncementView } from '../../bot/announcements/announcements.ts';
import { DAY_PATTERN, LONGEST_MS, TIME_PATTERN } from '../../bot/announcements/schedule.ts';
import { noticeText } from '../../bot/announcements/words.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { toLocal } from '../../bot/sla/zoned.ts';
import { readJson } from '../http.ts';
import { positiveId, problem, type Env } from './api-kit.ts';

// The staff API's planned outages (README: "Planned outages"). Every refusal
// is JSON {error, code}: `error` in English for people, `code` stable for programs.

const reasonWords = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const newAnnouncement = z
  .object({
    area: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    date: z.string({ error: 'must be a date' }).regex(DAY_PATTERN, 'must be a date as YYYY-MM-DD, e.g. 2026-12-10'),
    from: z.string({ error: 'must be a time' }).regex(TIME_PATTERN, 'must be a time as HH:MM on the 24-hour clock, e.g. 07:00'),
    to: z.string({ error: 'must be a time' }).regex(TIME_PATTERN, 'must be a time as HH:MM on the 24-hour clock, e.g. 17:00'),
    nextDay: z.boolean({ error: 'must be true or false' }).optional(),
    reason: z.object({ sw: reasonWords, en: reasonWords }, { error: 'must be {"sw": "...", "en": "..."}: the reason in Swahili and in English' }).strict(),
  })
  .strict();
/**
 * The contract's shape (shared/contracts.md): the outage's start and end as
 * instants, and the service it concerns (optional; a notice is of an area's
 * power, whatever was reported). Read as the local day and hours staff write.
 */
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with its offset, e.g. 2026-12-10T07:00:00+03:00' });
const byInstants = z
  .object({
    area: newAnnouncement.shape.area,
    service: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a service id of the charter')
      .optional(),
    startsAt: instant,
    endsAt: instant,
    reason: newAnnouncement.shape.reason,
  })
  .strict();

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** An instant as the desk's local day and time ("2026-12-10", "07:00"). */
function localParts(iso: string, timeZone: string): { day: string; time: string } {
  const l = toLocal(new Date(iso), timeZone);
  const minutes = Math.floor(l.minutes);
  return { day: `${l.year}-${twoDigits(l.month)}-${twoDigits(l.day)}`, time: `${twoDigits(Math.floor(minutes / 60))}:${twoDigits(minutes % 60)}` };
}

const listQuery = z
  .object({
    status: z.enum(['live', 'ended', 'cancelled', 'all'], { error: 'must be live (coming and under way, the default), ended, cancelled or all' }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

type Refusal = AnnouncementRefusal | { readonly status: 'bad_input'; readonly error: string; readonly code?: string };

function refuse(c: Context, r: Refusal): Response {
  switch (r.status) {
    case 'bad_input':
      return c.json({ error: r.error, code: r.code ?? 'bad_input' }, 400);
    case 'forbidden':
      return c.json({ error: 'only a supervisor or an administrator may publish or cancel planned outages: each of these messages many people', code: 'forbidden' }, 403);
    case 'not_found':
      return c.json({ error: `no announcement ${c.req.param('id')}`, code: 'not_found' }, 404);
    case 'unknown_area':
      return c.json({ error: 'area must be a place key such as dar-es-salaam/ubungo/sinza, or the name of a place Huduma knows', code: 'unknown_area' }, 400);
    case 'ambiguous_area':
      return c.json({ error: 'area names several places: give one of their keys', code: 'ambiguous_area', candidates: r.candidates }, 400);
    case 'bad_date':
      return c.json({ error: 'date is not a day of the calendar', code: 'bad_date' }, 400);
    case 'bad_times':
      return c.json({ error: 'to must be after from; for an outage past midnight (e.g. 22:00 to 04:00) add "nextDay": true', code: 'bad_times' }, 400);
    case 'in_the_past':
      return c.json({ error: 'the outage is over already: to must be in the future', code: 'in_the_past' }, 400);
    case 'too_far':
      return c.json({ error: 'an outage may be published at most a year ahead', code: 'too_far' }, 400);
    case 'cancelled':
    case 'ended':
      return c.json({ error: `announcement ${r.announcement.id} is ${r.status}`, code: `announcement_${r.status}`, announcement: { id: r.announcement.id, status: r.announcement.status } }, 409);
  }
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** An announcement as programs read it: its area and hours, its instants, who was told, and what subscribers read. */
export function announcementJson(v: AnnouncementView) {
  const a = v.announcement;
  return {
    id: a.id,
    area: a.area,
    areaLabel: a.areaLabel,
    date: a.day,
    from: a.fromTime,
    to: a.toTime,
    reason: a.reason,
    status: a.status,
    phase: v.phase,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    tellAt: a.tellAt.toISOString(),
    createdAt: a.createdAt.toISOString(),
    createdBy: a.createdBy,
    cancelledAt: iso(a.cancelledAt),
    cancelledBy: a.cancelledBy,
    told: v.told,
    ...(v.subscribers === undefined ? {} : { subscribers: v.subscribers }),
    text: { sw: noticeText('sw', 'webchat', 'before', a, 'other'), en: noticeText('en', 'webchat', 'before', a, 'other') },
  };
}

export function announcementApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  const { announcements } = desk;
  const idOf = (c: Context) => positiveId.safeParse(c.req.param('id'));
  const badId: Refusal = { status: 'bad_input', error: 'the announcement id must be a positive number', code: 'bad_id' };

  app.get('/api/announcements', async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return refuse(c, { status: 'bad_input', error: problem(q.error.issues).error });
    const rows = await announcements.list(q.data.status ?? 'live', q.data.limit);
    return c.json({ announcements: rows.map(announcementJson) });
  });

  app.post('/api/announcements', async (c) => {
    const json = await readJson(c);
    if (!json.ok) return refuse(c, { status: 'bad_input', error: 'the body must be JSON', code: 'not_json' });
    const contract = byInstants.safeParse(json.value);
    const parsed = contract.success ? undefined : newAnnouncement.safeParse(json.value);
    if (parsed && !parsed.success) return refuse(c, { status: 'bad_input', error: problem(parsed.error.issues).error });
    let notice: { area: string; day: string; from: string; to: string; nextDay?: boolean; reason: { sw: string; en: string } };
    if (contract.success) {
      const { area, reason, startsAt, endsAt, service } = contract.data;
      if (service !== undefined && desk.charter.linesFor(service).length === 0) return refuse(c, { status: 'bad_input', error: `no charter line offers ${service}`, code: 'unknown_service' });
      const [from, to] = [localParts(startsAt, desk.calendar.timeZone), localParts(endsAt, desk.calendar.timeZone)];
      // Within a day: hours on one day, or past midnight into the next (a day and its hours hold no more).
      const span = Date.parse(endsAt) - Date.parse(startsAt);
      if (!(span > 0 && span < LONGEST_MS)) return refuse(c, { status: 'bad_input', error: 'endsAt must be after startsAt, and less than a day after it', code: 'bad_times' });
      notice = { area, reason, day: from.day, from: from.time, to: to.time, nextDay: to.day !== from.day };
    } else {
      const { date, ...rest } = (parsed as z.ZodSafeParseSuccess<z.infer<typeof newAnnouncement>>).data;
      notice = { ...rest, day: date };
    }
    const outcome = await announcements.publish(c.get('staff'), notice);
    if (outcome.status !== 'published') return refuse(c, outcome);
    return c.json({ announcement: announcementJson(outcome) }, 201);
  });

  app.get('/api/announcements/:id', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const found = await announcements.detail(id.data);
    return found ? c.json({ announcement: announcementJson(found) }) : refuse(c, { status: 'not_found' });
  });

  app.post('/api/announcements/:id/cancel', async (c) => {
    const id = idOf(c);
    if (!id.success) return refuse(c, badId);
    const outcome = await announcements.cancel(c.get('staff'), id.data);
    if (outcome.status !== 'cancelled_now') return refuse(c, outcome);
    return c.json({ announcement: announcementJson(outcome) });
  });
}
