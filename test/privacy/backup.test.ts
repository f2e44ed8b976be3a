import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';

// `npm run backup -- FILE` copies the SQLite database while the bot serves.
// What is asserted, and why that is enough:
// - a copy taken in the middle of a load of web chat messages passes
//   `PRAGMA integrity_check` and `foreign_key_check`, has every table of the
//   source, and is ONE moment of it: every message it holds answers or is
//   answered in it (a turn's inbound message and its replies commit together),
//   and its messages are exactly the source's first N (messages are only
//   appended during the load), so nothing half-written and nothing from after
//   that moment is in it; the load kept going after it, so it was taken under load.
// - a copy taken while the server runs but is quiet has the same number of
//   rows as the source in every table.
// - either copy, put in place of a database, is served: a server started on it
//   gives a session its transcript back and answers a new message.

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const backup = (env: Record<string, string>, file: string) =>
  run('npm', ['run', '--silent', 'backup', '--', file], { cwd: root, env: { ...process.env, DATABASE_URL: '', DATABASE_PATH: '', ...env, LOG_LEVEL: 'silent' } });

const tables = (db: Database.Database) => db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
const counts = (db: Database.Database) => Object.fromEntries(tables(db).map((t) => [t, db.prepare(`select count(*) from "${t}"`).pluck().get() as number]));
const messagesUpTo = (db: Database.Database, id: number) => db.prepare('select id, conversation_id, direction, text, reply_to from messages where id <= ? order by id').all(id);

describe('backups of the SQLite database', () => {
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'huduma-backup-'));
  beforeAll(async () => {
    // No flood limit: a silenced message is stored with no reply, and every message here is to be answered.
    server = await startTestServer({ backend: 'sqlite', env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => server?.close());

  const openSession = async (url = server.url) => ((await (await fetch(`${url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId;
  const say = (session: string, text: string, url = server.url) =>
    fetch(`${url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

  it('copies one consistent moment of the database under a load of web chat messages, and the copy serves', async () => {
    const sessions = await Promise.all(Array.from({ length: 20 }, () => openSession()));
    let going = true;
    let answered = 0;
    const words = ['habari', 'intaneti haifanyi kazi ofisini', 'maombi yangu', 'asante', 'msaada'];
    const load = sessions.map(async (session, i) => {
      for (let n = i; going; n++) if ((await say(session, words[n % words.length] as string)).status === 200) answered++;
    });
    while (answered < 200) await new Promise((r) => setTimeout(r, 20));

    const file = join(dir, 'nested', 'under-load.db');
    const { stdout } = await backup({ DATABASE_PATH: server.databasePath }, file);
    expect(stdout).toMatch(
      new RegExp(`^Backed up .*huduma\\.db to ${file.replaceAll('.', '\\.')}: [\\d.]+ MB \\(\\d+ bytes, \\d+ pages\\) in \\d+ ms; integrity check ok\\.\\nTo restore: stop Huduma`),
    );
    const atBackup = answered;
    while (answered < atBackup + 100) await new Promise((r) => setTimeout(r, 20));
    going = false;
    await Promise.all(load);

    const copy = new Database(file, { readonly: true });
    const source = new Database(server.databasePath, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(tables(copy)).toEqual(tables(source));
      const unanswered = copy.prepare("select count(*) from messages i where i.direction = 'in' and not exists (select 1 from messages o where o.reply_to = i.id)").pluck().get();
      expect(unanswered).toBe(0);
      const orphanReplies = copy.prepare('select count(*) from messages o where o.reply_to is not null and not exists (select 1 from messages i where i.id = o.reply_to)').pluck().get();
      expect(orphanReplies).toBe(0);
      const last = copy.prepare('select max(id) from messages').pluck().get() as number;
      expect(messagesUpTo(copy, last)).toEqual(messagesUpTo(source, last));
      expect(last).toBeLessThan(source.prepare('select max(id) from messages').pluck().get() as number);
    } finally {
      copy.close();
      source.close();
    }

    // Quiet now, the server still running: a copy has every table's rows, to the row.
    const quiet = join(dir, 'quiet.db');
    await backup({ DATABASE_PATH: server.databasePath }, quiet);
    const [a, b] = [new Database(quiet, { readonly: true }), new Database(server.databasePath, { readonly: true })];
    try {
      expect(counts(a)).toEqual(counts(b));
    } finally {
      a.close();
      b.close();
    }

    // Restored (the copy put where a database goes): served as it was.
    const restoredPath = join(dir, 'restored', 'huduma.db');
    mkdirSync(join(dir, 'restored'));
    copyFileSync(quiet, restoredPath);
    const restored = await startTestServer({ backend: 'sqlite', databasePath: restoredPath, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const session = sessions[0] as string;
      const before = (await (await fetch(`${server.url}/webchat/sessions/${session}/messages`)).json()) as { messages: unknown[] };
      const after = (await (await fetch(`${restored.url}/webchat/sessions/${session}/messages`)).json()) as { messages: unknown[] };
      expect(after.messages).toEqual(before.messages);
      expect((await say(session, 'maombi yangu', restored.url)).status).toBe(200);
    } finally {
      await restored.close();
    }
  });

  it('refuses to overwrite a file, and sends PostgreSQL to pg_dump', async () => {
    const file = join(dir, 'once.db');
    await backup({ DATABASE_PATH: server.databasePath }, file);
    await expect(backup({ DATABASE_PATH: server.databasePath }, file)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('exists already') });
    await expect(backup({ DATABASE_URL: 'postgres://huduma@127.0.0.1:9/huduma' }, join(dir, 'pg.db'))).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('pg_dump') });
    await expect(backup({ DATABASE_PATH: join(dir, 'none.db') }, join(dir, 'x.db'))).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('there is no database') });
  });
});
