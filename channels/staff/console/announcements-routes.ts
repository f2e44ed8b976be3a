import type { Hono } from 'hono';
import { z } from 'zod';
import type { AnnouncementRefusal } from '../../../bot/announcements/announcements.ts';
import { DAY_PATTERN, TIME_PATTERN } from '../../../bot/announcements/schedule.ts';
import { leads } from '../../../bot/staff/actor.ts';
import type { Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { announcementPage, announcementsPage, type NoticeForm } from './announcements-page.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The console's planned outages (/staff/announcements), over the desk's
// Announcements (bot/announcements): a form that does not pass, or a refusal,
// shows the page again with the reason and what was typed.

const reason = z.string().trim().min(1).max(500);
const newForm = z
  .object({
    _csrf: z.string(),
    area: z.string().trim().min(1).max(200),
    day: z.string().regex(DAY_PATTERN),
    from: z.string().regex(TIME_PATTERN),
    to: z.string().regex(TIME_PATTERN),
    // A checkbox: sent only when ticked.
    nextDay: z.literal('yes').optional(),
    reasonSw: reason,
    reasonEn: reason,
  })
  .strict();
const announcementId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** How many past and cancelled announcements the list shows. */
const PAST_SHOWN = 20;

/** A form's problems in the officer's words, one a field. */
function formProblems(t: Translate, issues: readonly z.core.$ZodIssue[]): string[] {
  const fields = new Set(issues.map((i) => String(i.path[0] ?? '')));
  const said = ['area', 'day', 'from', 'to', 'reasonSw', 'reasonEn'].filter((f) => fields.has(f)).map((f) => t(`announcement.console.errors.${f}`));
  return said.length > 0 ? said : [t('announcement.console.errors.form')];
}

/** A refusal in the officer's words. */
function refusalText(t: Translate, r: AnnouncementRefusal, id?: number): string {
  switch (r.status) {
    case 'ambiguous_area':
      return t('announcement.console.errors.ambiguous_area', { candidates: r.candidates.map((a) => `${a.label} (${a.key})`).join('; ') });
    case 'cancelled':
    case 'ended':
      return t(`announcement.console.errors.${r.status}`, { id: r.announcement.id });
    case 'not_found':
      return t('announcement.console.errors.not_found', { id: id ?? 0 });
    default:
      return t(`announcement.console.errors.${r.status}`);
  }
}

const codeOf = (r: AnnouncementRefusal): 400 | 403 | 409 => (r.status === 'forbidden' ? 403 : r.status === 'cancelled' || r.status === 'ended' ? 409 : 400);

addFlashText((t, n) => (n.key === 'announcement' ? { kind: 'ok', text: t(`announcement.console.flash.${n.what}`, { subscribers: n.count, told: n.count }) } : undefined));

export function announcementRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, page, view, bad } = kit;
  const { announcements } = desk;
  const editor = (c: C) => leads(c.get('staff'));

  const listPage = async (c: C, extra: { form?: NoticeForm; problems?: readonly string[] } = {}, code: 200 | 400 | 403 | 409 = 200) => {
    const [live, ended, cancelled] = await Promise.all([announcements.list('live'), announcements.list('ended', PAST_SHOWN), announcements.list('cancelled', PAST_SHOWN)]);
    const past = [...ended, ...cancelled].sort((a, b) => b.announcement.startsAt.getTime() - a.announcement.startsAt.getTime()).slice(0, PAST_SHOWN);
    return page(c, announcementsPage(await view(c), { live, past, editable: editor(c), ...extra }), code);
  };
  const notFound = (c: C, id: string | number) => bad(c, t(c)('announcement.console.errors.not_found', { id: String(id).slice(0, 20) }), 404);

  app.get('/staff/announcements', (c) => listPage(c));

  app.post('/staff/announcements', async (c) => {
    const raw = await readForm(c);
    const typed: NoticeForm = {
      area: raw.area ?? '',
      day: raw.day ?? '',
      from: raw.from ?? '',
      to: raw.to ?? '',
      nextDay: raw.nextDay === 'yes',
      reasonSw: raw.reasonSw ?? '',
      reasonEn: raw.reasonEn ?? '',
    };
    const form = newForm.safeParse(raw);
    if (!form.success) return listPage(c, { form: typed, problems: formProblems(t(c), form.error.issues) }, 400);
    const f = form.data;
    const notice = { area: f.area, day: f.day, from: f.from, to: f.to, nextDay: f.nextDay === 'yes', reason: { sw: f.reasonSw, en: f.reasonEn } };
    const outcome = await announcements.publish(c.get('staff'), notice);
    if (outcome.status !== 'published') return listPage(c, { form: typed, problems: [refusalText(t(c), outcome)] }, codeOf(outcome));
    setFlash(c, { key: 'announcement', what: 'published', count: outcome.subscribers });
    return c.redirect(`/staff/announcements/${outcome.announcement.id}`, 303);
  });

  app.get('/staff/announcements/:id', async (c) => {
    const id = announcementId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c, c.req.param('id'));
    const found = await announcements.detail(id.data);
    return found ? page(c, announcementPage(await view(c), { view: found, editable: editor(c) })) : notFound(c, id.data);
  });

  app.post('/staff/announcements/:id/cancel', async (c) => {
    const id = announcementId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c, c.req.param('id'));
    const outcome = await announcements.cancel(c.get('staff'), id.data);
    if (outcome.status === 'not_found') return notFound(c, id.data);
    if (outcome.status === 'cancelled_now') {
      setFlash(c, { key: 'announcement', what: 'cancelled', count: outcome.told.before });
      return c.redirect(`/staff/announcements/${id.data}`, 303);
    }
    const found = await announcements.detail(id.data);
    if (!found) return notFound(c, id.data);
    return page(c, announcementPage(await view(c), { view: found, editable: editor(c), problems: [refusalText(t(c), outcome, id.data)] }), codeOf(outcome));
  });
}
