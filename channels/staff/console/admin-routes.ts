import type { Hono } from 'hono';
import { z } from 'zod';
import { TEAM_ID } from '../../../bot/charter/teams.ts';
import type { AdminRefusal } from '../../../bot/staff/staff-admin.ts';
import { STAFF_ROLES } from '../../../db/schema.ts';
import { LOCALES, translator, type Locale, type Translate } from '../../../locales/index.ts';
import { readForm } from '../../http.ts';
import { staffPage } from './admin-page.ts';
import { addFlashText, type C, type ConsoleKit } from './kit.ts';
import type { Flash } from './layout.ts';
import { setFlash, type ConsoleEnv } from './session.ts';

// The administrator's staff page: add officers, change role, team, console
// language and Telegram link, reissue or revoke tokens. Anyone else: 403.

function formsIn(t: Translate) {
  const e = (key: string) => t(`console_staff.errors.${key}`);
  const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
  const role = z.enum(STAFF_ROLES, { error: e('role') });
  const team = z.preprocess(blank, z.string().regex(TEAM_ID, e('team')).nullable());
  const locale = z.enum(LOCALES, { error: e('locale') });
  return {
    id: z.coerce
      .number({ error: e('staff_id') })
      .int(e('staff_id'))
      .positive(e('staff_id'))
      .max(Number.MAX_SAFE_INTEGER, e('staff_id')),
    add: z
      .object({
        _csrf: z.string(),
        name: z
          .string({ error: e('staff_name') })
          .trim()
          .min(2, e('staff_name'))
          .max(100, e('staff_name')),
        role,
        team,
        locale,
      })
      .strict(),
    change: z
      .object({
        _csrf: z.string(),
        role,
        team,
        locale,
        telegram: z.preprocess(
          blank,
          z
            .string()
            .regex(/^\d{1,20}$/, e('telegram'))
            .nullable(),
        ),
      })
      .strict(),
  };
}

type Forms = ReturnType<typeof formsIn>;
const made = new Map<Locale, Forms>();
const formsFor = (locale: Locale) => made.get(locale) ?? (made.set(locale, formsIn(translator(locale))).get(locale) as Forms);

addFlashText((t, n) => {
  if (n.key === 'staff_changed') return { kind: 'ok', text: t(`console_staff.admin.done.${n.what}`, { id: n.id }) };
  return undefined;
});

export function adminRoutes(app: Hono<ConsoleEnv>, kit: ConsoleKit): void {
  const { desk, t, bad, badInput, page, view } = kit;
  const admin = desk.staffAdmin;
  const forms = (c: C) => formsFor(kit.locale(c));

  // Only administrators, before anything is read or done.
  app.use('/staff/admin/*', async (c, next) => (c.get('staff')?.role === 'admin' ? next() : bad(c as C, t(c as C)('console_staff.admin.only_admins'), 403)));

  const refusal = (c: C, r: AdminRefusal): Flash => {
    const w = t(c);
    switch (r.status) {
      case 'unknown_team':
        return { kind: 'error', text: w('console_staff.admin.refused.unknown_team', { team: r.team }) };
      case 'telegram_taken':
        return { kind: 'error', text: w('console_staff.admin.refused.telegram_taken', { name: r.by.name }) };
      default:
        return { kind: 'error', text: w(`console_staff.admin.refused.${r.status}`) };
    }
  };

  /** The page, with a token shown once or a message, at `code`. */
  const show = async (c: C, extra: { token?: { name: string; token: string }; message?: Flash } = {}, code: 200 | 400 | 404 | 409 = 200) => {
    const staff = await admin.list(c.get('staff'));
    const teams = desk.charter.teams.list.map((team) => ({ id: team.id, name: team.name[kit.locale(c)] }));
    return page(c, staffPage(await view(c), { staff: Array.isArray(staff) ? staff : [], teams, ...extra }), code);
  };
  const refused = (c: C, r: AdminRefusal) => show(c, { message: refusal(c, r) }, r.status === 'not_found' ? 404 : r.status === 'unknown_team' ? 400 : 409);

  app.get('/staff/admin/staff', (c) => show(c));

  app.post('/staff/admin/staff', async (c) => {
    const form = forms(c).add.safeParse(await readForm(c));
    if (!form.success) return show(c, { message: { kind: 'error', text: kit.problems(c, form.error.issues) } }, 400);
    const { _csrf, ...member } = form.data;
    const added = await admin.add(c.get('staff'), member);
    if (added.status !== 'added') return refused(c, added);
    return show(c, { token: { name: added.staff.name, token: added.token } });
  });

  app.post('/staff/admin/staff/:id', async (c) => {
    const id = forms(c).id.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const form = forms(c).change.safeParse(await readForm(c));
    if (!form.success) return show(c, { message: { kind: 'error', text: kit.problems(c, form.error.issues) } }, 400);
    const { _csrf, telegram, ...change } = form.data;
    const changed = await admin.change(c.get('staff'), id.data, { ...change, telegramUserId: telegram });
    if (changed.status !== 'changed') return refused(c, changed);
    setFlash(c, { key: 'staff_changed', what: 'saved', id: id.data });
    return c.redirect('/staff/admin/staff', 303);
  });

  app.post('/staff/admin/staff/:id/token', async (c) => {
    const id = forms(c).id.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const done = await admin.reissue(c.get('staff'), id.data);
    if (done.status !== 'reissued') return refused(c, done);
    // Reissuing one's own token ends one's own session too: the new token signs in again.
    return show(c, { token: { name: done.staff.name, token: done.token } });
  });

  app.post('/staff/admin/staff/:id/revoke', async (c) => {
    const id = forms(c).id.safeParse(c.req.param('id'));
    if (!id.success) return badInput(c, id.error.issues);
    const done = await admin.revoke(c.get('staff'), id.data);
    if (done.status !== 'changed') return refused(c, done);
    setFlash(c, { key: 'staff_changed', what: 'revoked', id: id.data });
    return c.redirect('/staff/admin/staff', 303);
  });
}
