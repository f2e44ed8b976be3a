import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { isActive, type AdminRefusal } from '../../bot/staff/staff-admin.ts';
import type { StaffDesk } from '../../bot/staff/desk.ts';
import { TEAM_ID } from '../../bot/charter/teams.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import { STAFF_ROLES } from '../../db/schema.ts';
import { LOCALES } from '../../locales/index.ts';
import { body, positiveId, type Env } from './api-kit.ts';

// The staff API's administration: staff, their roles, teams, console
// languages, Telegram links and tokens. Administrators only: anyone else 403.

const name = z.string({ error: 'must be text' }).trim().min(2, 'must be at least 2 characters').max(100, 'must be at most 100 characters');
const role = z.enum(STAFF_ROLES, { error: `must be one of ${STAFF_ROLES.join(', ')}` });
const team = z.union([z.string().regex(TEAM_ID, 'must be a team id such as networks'), z.null()], { error: 'must be a team id such as networks, or null' });
const locale = z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` });
const telegramUserId = z.union([z.string().regex(/^\d{1,20}$/, 'must be a Telegram user id (digits)'), z.number().int().positive().transform(String), z.null()], {
  error: 'must be a Telegram user id (digits), or null',
});

const newStaff = z.object({ name, role: role.default('agent'), team: team.optional(), locale: locale.optional() }).strict();
const staffChange = z
  .object({ role: role.optional(), team: team.optional(), locale: locale.optional(), telegramUserId: telegramUserId.optional() })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'give at least one of role, team, locale, telegramUserId' });

/** An officer as the API shows them: never their token or its hash. */
export const staffJson = (s: StaffRow) => ({
  id: s.id,
  name: s.name,
  role: s.role,
  team: s.team,
  locale: s.locale,
  telegramUserId: s.telegramUserId,
  active: isActive(s),
  createdAt: s.createdAt.toISOString(),
});

function refused(c: Context, r: AdminRefusal, id?: number): Response {
  switch (r.status) {
    case 'forbidden':
      return c.json({ error: 'only an administrator may manage staff' }, 403);
    case 'not_found':
      return c.json({ error: `no staff member ${id}` }, 404);
    case 'unknown_team':
      return c.json({ error: r.known.length > 0 ? `no team ${r.team}; the teams are ${r.known.join(', ')}` : `no team ${r.team}: this institution keeps no teams (teams.yml)` }, 400);
    case 'last_admin':
      return c.json({ error: 'this is the last administrator who can sign in: make another administrator first' }, 409);
    case 'telegram_taken':
      return c.json({ error: `that Telegram user is already linked to ${r.by.name} (staff ${r.by.id})` }, 409);
  }
}

export function adminApiRoutes(app: Hono<Env>, desk: StaffDesk): void {
  const admin = desk.staffAdmin;
  // Agents and supervisors are refused before their input is even read.
  app.use('/api/staff/*', async (c, next) => (c.get('staff').role === 'admin' ? next() : refused(c, { status: 'forbidden' })));
  app.use('/api/staff', async (c, next) => (c.get('staff').role === 'admin' ? next() : refused(c, { status: 'forbidden' })));
  const idOf = (c: Context) => positiveId.safeParse(c.req.param('id'));
  const badId = (c: Context) => c.json({ error: 'the staff id must be a positive number' }, 400);

  app.get('/api/staff', async (c) => {
    const listed = await admin.list(c.get('staff'));
    return Array.isArray(listed) ? c.json({ staff: listed.map(staffJson) }) : refused(c, listed);
  });

  app.post('/api/staff', async (c) => {
    const b = await body(c, newStaff);
    if (!b.ok) return b.response;
    const added = await admin.add(c.get('staff'), b.data);
    if (added.status !== 'added') return refused(c, added);
    return c.json({ staff: staffJson(added.staff), token: added.token }, 201);
  });

  app.patch('/api/staff/:id', async (c) => {
    const id = idOf(c);
    if (!id.success) return badId(c);
    const b = await body(c, staffChange);
    if (!b.ok) return b.response;
    const changed = await admin.change(c.get('staff'), id.data, b.data);
    return changed.status === 'changed' ? c.json({ staff: staffJson(changed.staff) }) : refused(c, changed, id.data);
  });

  app.post('/api/staff/:id/token', async (c) => {
    const id = idOf(c);
    if (!id.success) return badId(c);
    const done = await admin.reissue(c.get('staff'), id.data);
    if (done.status !== 'reissued') return refused(c, done, id.data);
    return c.json({ staff: staffJson(done.staff), token: done.token });
  });

  app.delete('/api/staff/:id/token', async (c) => {
    const id = idOf(c);
    if (!id.success) return badId(c);
    const done = await admin.revoke(c.get('staff'), id.data);
    if (done.status !== 'changed') return refused(c, done, id.data);
    return c.json({ staff: staffJson(done.staff) });
  });
}
