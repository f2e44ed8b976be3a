import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { addStaffToken } from '../support/staff.ts';

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers are read loosely here; the assertions check their shape.
type Json = Record<string, any>;

// Roles (issue 14, item 5): only administrators manage staff (an agent or a
// supervisor gets 403); tokens are reissued (the old one stops at once) and
// revoked (console sessions end too); the last administrator is kept;
// `npm run staff:add` and `npm run staff:link-telegram` say which database
// they wrote to.

const root = fileURLToPath(new URL('../..', import.meta.url));

async function script(name: string, args: string[], env: Readonly<Record<string, string>>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: undefined, DATABASE_URL: undefined, ...env, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.each(BACKENDS)('staff administration, on %s', (backend) => {
  let server: TestServer;
  let admin = '';
  let agent = '';
  let supervisor = '';
  let adminId = 0;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const made = await addStaffToken(server.databaseEnv, 'Rehema Admin', 'admin');
    admin = made.token;
    adminId = Number(/#(\d+)/.exec(made.stdout)?.[1]);
    agent = (await addStaffToken(server.databaseEnv, 'Asha Mushi', 'agent', { team: 'networks' })).token;
    supervisor = (await addStaffToken(server.databaseEnv, 'Daudi Kweka', 'supervisor', { team: 'networks' })).token;
  });
  afterAll(() => server?.close());

  const api = async (token: string, path: string, method = 'GET', body?: unknown) => {
    const res = await server.app.http.request(path, {
      method,
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };

  it('npm run staff:add says which database it wrote to (the server’s), never a password', async () => {
    const { stdout } = await addStaffToken(server.databaseEnv, 'Neema Said', 'supervisor', { team: 'workshop', locale: 'en' });
    expect(stdout).toMatch(/^Staff member #\d+ Neema Said \(supervisor, team workshop, console in en\) added to the database /);
    if (backend === 'sqlite') expect(stdout).toContain(`database SQLite ${resolve(server.databasePath)}.`);
    else {
      const url = new URL(server.databaseEnv.DATABASE_URL ?? '');
      expect(stdout).toContain(`database PostgreSQL ${url.hostname}:${url.port}${url.pathname} as ${url.username}.`);
      if (url.password) expect(stdout).not.toContain(url.password);
    }
    const listed = (await api(admin, '/api/staff')).json.staff as { name: string; role: string; team: string; locale: string }[];
    expect(listed.find((s) => s.name === 'Neema Said')).toMatchObject({ role: 'supervisor', team: 'workshop', locale: 'en' });
    const bad = await script('staff-add', ['--name', 'Juma', '--team', 'kitchen'], server.databaseEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no team kitchen; the teams are help_desk, networks, systems, workshop, head_office');
    expect((await script('staff-add', ['--name', 'Juma', '--role', 'boss'], server.databaseEnv)).stderr).toContain('--role');
  });

  it('an agent or a supervisor may not manage staff: 403 JSON on every call', async () => {
    for (const token of [agent, supervisor]) {
      for (const [method, path, body] of [
        ['GET', '/api/staff', undefined],
        ['POST', '/api/staff', { name: 'Someone Else' }],
        ['PATCH', `/api/staff/${adminId}`, { role: 'agent' }],
        ['POST', `/api/staff/${adminId}/token`, undefined],
        ['DELETE', `/api/staff/${adminId}/token`, undefined],
      ] as const) {
        const res = await api(token, path, method, body);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.json.error).toBe('only an administrator may manage staff');
      }
    }
    // Nothing changed: the administrator still signs in.
    expect((await api(admin, '/api/staff')).status).toBe(200);
  });

  it('an administrator adds an officer (the token shown once works), changes them, and is told what is wrong', async () => {
    const added = await api(admin, '/api/staff', 'POST', { name: 'Baraka Juma', role: 'agent', team: 'networks', locale: 'en' });
    expect(added.status).toBe(201);
    expect(added.json.staff).toMatchObject({ name: 'Baraka Juma', role: 'agent', team: 'networks', locale: 'en', telegramUserId: null, active: true });
    expect(added.json.staff).not.toHaveProperty('tokenHash');
    const token = added.json.token as string;
    expect((await api(token, '/api/requests')).status).toBe(200);
    const id = added.json.staff.id as number;

    const changed = await api(admin, `/api/staff/${id}`, 'PATCH', { role: 'supervisor', team: null, locale: 'sw' });
    expect(changed.json.staff).toMatchObject({ role: 'supervisor', team: null, locale: 'sw' });
    expect((await api(admin, `/api/staff/${id}`, 'PATCH', {})).status).toBe(400);
    const team = await api(admin, `/api/staff/${id}`, 'PATCH', { team: 'kitchen' });
    expect(team.status).toBe(400);
    expect(team.json.error).toContain('the teams are help_desk, networks');
    expect((await api(admin, '/api/staff', 'POST', { name: 'X' })).status).toBe(400);
    expect((await api(admin, '/api/staff', 'POST', { name: 'Juma Ali', role: 'boss' })).json.error).toContain('role');
    expect((await api(admin, '/api/staff', 'POST', { name: 'Juma Ali', token: 'mine' })).status).toBe(400);
    expect((await api(admin, '/api/staff/999999', 'PATCH', { role: 'agent' })).status).toBe(404);
    expect((await api(admin, '/api/staff/abc/token', 'POST')).status).toBe(400);

    // A Telegram user is one officer's.
    expect((await api(admin, `/api/staff/${id}`, 'PATCH', { telegramUserId: '8001' })).json.staff.telegramUserId).toBe('8001');
    const taken = await api(admin, `/api/staff/${adminId}`, 'PATCH', { telegramUserId: 8001, locale: 'en' });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toContain('already linked to Baraka Juma');
    // Refused as a whole: the language in the same call did not change either.
    expect(((await api(admin, '/api/staff')).json.staff as { id: number; locale: string }[]).find((s) => s.id === adminId)?.locale).toBe('sw');
  });

  it('reissuing a token: the old one stops at once (401), the new one works', async () => {
    const added = await api(admin, '/api/staff', 'POST', { name: 'Zuhura Omari' });
    const old = added.json.token as string;
    const reissued = await api(admin, `/api/staff/${added.json.staff.id}/token`, 'POST');
    expect(reissued.status).toBe(200);
    const fresh = reissued.json.token as string;
    expect(fresh).not.toBe(old);
    expect((await api(old, '/api/requests')).status).toBe(401);
    expect((await api(fresh, '/api/requests')).status).toBe(200);
  });

  it('revoking a token: the API refuses it and the officer’s signed-in console sessions end', async () => {
    const added = await api(admin, '/api/staff', 'POST', { name: 'Mwanaidi Said' });
    const token = added.json.token as string;
    const login = await server.app.http.request('/staff/login', { method: 'POST', body: new URLSearchParams({ token }) });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await server.app.http.request('/staff', { headers: { cookie } })).status).toBe(200);

    const revoked = await api(admin, `/api/staff/${added.json.staff.id}/token`, 'DELETE');
    expect(revoked.status).toBe(200);
    expect(revoked.json.staff.active).toBe(false);
    expect((await api(token, '/api/requests')).status).toBe(401);
    const after = await server.app.http.request('/staff', { headers: { cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/staff/login');
    const again = await server.app.http.request('/staff/login', { method: 'POST', body: new URLSearchParams({ token }) });
    expect(again.status).toBe(401);
  });

  it('keeps the last administrator who can sign in', async () => {
    const self = await api(admin, `/api/staff/${adminId}/token`, 'DELETE');
    expect(self.status).toBe(409);
    expect(self.json.error).toContain('last administrator');
    expect((await api(admin, `/api/staff/${adminId}`, 'PATCH', { role: 'agent' })).status).toBe(409);
    // With a second administrator, the first may step down.
    const second = await api(admin, '/api/staff', 'POST', { name: 'Second Admin', role: 'admin' });
    expect((await api(admin, `/api/staff/${adminId}`, 'PATCH', { role: 'supervisor' })).status).toBe(200);
    expect((await api(admin, '/api/staff')).status).toBe(403);
    expect((await api(second.json.token, `/api/staff/${adminId}`, 'PATCH', { role: 'admin' })).status).toBe(200);
  });

  it('npm run staff:link-telegram links a member to a staff row on the server’s database, and says so', async () => {
    const added = await api(admin, '/api/staff', 'POST', { name: 'Salma Hassan' });
    const id = String(added.json.staff.id);
    const linked = await script('staff-link-telegram', ['--staff', id, '--telegram-user', '9101'], server.databaseEnv);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toMatch(new RegExp(`Staff member #${id} Salma Hassan is linked to Telegram user 9101 \\(database (SQLite|PostgreSQL) `));
    expect(((await api(admin, '/api/staff')).json.staff as { id: number; telegramUserId: string | null }[]).find((s) => String(s.id) === id)?.telegramUserId).toBe('9101');
    const taken = await script('staff-link-telegram', ['--staff', String(adminId), '--telegram-user', '9101'], server.databaseEnv);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already linked to #');
    expect((await script('staff-link-telegram', ['--staff', '999999', '--telegram-user', '9102'], server.databaseEnv)).stderr).toContain('no staff member #999999');
    expect((await script('staff-link-telegram', ['--staff', id], server.databaseEnv)).code).toBe(2);
    const unlinked = await script('staff-link-telegram', ['--staff', id, '--unlink'], server.databaseEnv);
    expect(unlinked.stdout).toContain('is no longer linked');
  });
});
