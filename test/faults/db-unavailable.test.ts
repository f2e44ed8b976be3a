// A database that cannot take writes (read-only file, another connection's lock): 503 with a clear error, the server lives on.
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { BACKENDS, freshPostgresUrl } from '../support/databases.ts';
import { sessionOf } from '../support/sessions.ts';
import { letOthersReach, post, root, sleep, spawnServer, stopServer, tempDir, transcriptOf, type RunningServer } from './support.ts';

let server: RunningServer | undefined;
/** Folder permissions a test opened for another user, put back when it ends. */
const restore: (() => void)[] = [];
afterEach(async () => {
  await stopServer(server);
  for (const r of restore.splice(0).reverse()) r();
});

/** The server's error lines (pino level 50) that name a database failure with its SQLite code. */
const dbErrorLines = (log: string, code: string) =>
  log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { code?: string } })
    .filter((l) => l.level === 50 && l.msg === 'database unavailable' && l.err?.code === code);

const health = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string } };
};

describe('a read-only database', () => {
  it('answers a web chat message with 503 JSON, logs why, and keeps serving', async () => {
    const dir = tempDir('huduma-readonly-');
    const databasePath = join(dir, 'huduma.db');
    // The web chat sessions are opened while the file is writable (opening one is a write too); then it is made read-only.
    const writable = await spawnServer({ databasePath });
    for (const name of ['readonly-person-1', 'readonly-person-2']) await sessionOf(writable.url, name);
    writable.child.kill('SIGTERM');
    expect((await writable.exited).code).toBe(0);
    for (const file of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) if (existsSync(file)) chmodSync(file, 0o444);
    // root ignores file modes: run the server as nobody then, as a service account would be.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    // ... who must be able to reach the project and the database, wherever the clone sits.
    if (uid !== undefined) restore.push(letOthersReach(root), letOthersReach(dir));
    server = await spawnServer({ databasePath, uid });

    const sent = await post(server.url, 'readonly-person-1', 'habari', 'k1');
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({ error: 'the service is unavailable for a moment; please try again' });
    await sleep(50);
    expect(dbErrorLines(server.log(), 'SQLITE_READONLY').length).toBeGreaterThanOrEqual(1);
    // Health tells the operator, and so did start-up: a read-only file is not "ok".
    expect(await health(server.url)).toMatchObject({ status: 503, body: { status: 'read_only', reason: 'read_only' } });
    expect(server.log()).toContain('the database cannot be written');

    // Still running: reads are served, and the next message is refused the same way (not 500, no crash).
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect(await transcriptOf(server.url, 'readonly-person-1')).toEqual([]);
    expect((await post(server.url, 'readonly-person-2', 'hello', 'k2')).status).toBe(503);
    expect(server.child.exitCode).toBeNull();
    // Nothing of the refused messages was stored.
    chmodSync(databasePath, 0o644);
    const db = new Database(databasePath, { readonly: true });
    expect(db.prepare('select count(*) as n from messages').get()).toEqual({ n: 0 });
    db.close();
  }, 90_000);
});

describe('a database locked by another connection', () => {
  it('a lock longer than busy_timeout gets 503 and a log line; once it is gone the same message succeeds; a short lock waits', async () => {
    const databasePath = join(tempDir('huduma-locked-'), 'huduma.db');
    server = await spawnServer({ databasePath, env: { DATABASE_BUSY_TIMEOUT_MS: '300' } });
    expect((await post(server.url, 'locked-person-1', 'habari', 'k0')).status).toBe(200);

    const other = new Database(databasePath);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const started = performance.now();
      const refused = await post(server.url, 'locked-person-1', 'msaada', 'k1');
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatch(/unavailable.*try again/);
      // It waited for the lock (busy_timeout) before giving up, rather than failing at once.
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      // Reads go on under the writer's lock (WAL), and the process lives; health says why writes are refused,
      // at once (within its 300 ms, the busy timeout here), not after the lock is gone.
      const asked = performance.now();
      expect(await health(server.url)).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'locked' } });
      expect(performance.now() - asked).toBeLessThan(2_000);
      expect((await transcriptOf(server.url, 'locked-person-1')).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['habari']);
      expect(server.child.exitCode).toBeNull();
    } finally {
      other.exec('COMMIT');
    }
    await sleep(50);
    expect(dbErrorLines(server.log(), 'SQLITE_BUSY').length).toBeGreaterThanOrEqual(1);
    expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });

    // The lock is gone: the same message (same key) is taken now, once.
    const retried = await post(server.url, 'locked-person-1', 'msaada', 'k1');
    expect(retried.status).toBe(200);
    expect(retried.body.replies?.length).toBeGreaterThan(0);
    expect((await transcriptOf(server.url, 'locked-person-1')).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['habari', 'msaada']);

    // A lock shorter than busy_timeout: the message waits for it and succeeds.
    other.exec('BEGIN EXCLUSIVE');
    const release = setTimeout(() => other.exec('COMMIT'), 100);
    try {
      const waited = await post(server.url, 'locked-person-2', 'habari', 'k2');
      expect(waited.status).toBe(200);
      expect(waited.body.replies?.length).toBeGreaterThan(0);
    } finally {
      await sleep(120);
      clearTimeout(release);
      if (other.inTransaction) other.exec('COMMIT');
      other.close();
    }
  }, 90_000);
});

/** Runs statements on the test PostgreSQL as its superuser (the operator's hand on the server). */
async function asAdmin(...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.HUDUMA_TEST_PG_URL });
  await admin.connect();
  try {
    for (const s of statements) await admin.query(s);
  } finally {
    await admin.end();
  }
}

describe.runIf(BACKENDS.includes('postgres'))('PostgreSQL that cannot serve', () => {
  it('a server switched to read-only: 503 JSON and health says read_only; switched back, the same message is taken once', async () => {
    const url = await freshPostgresUrl();
    const name = new URL(url).pathname.slice(1);
    server = await spawnServer({ database: { DATABASE_URL: url } });
    expect((await post(server.url, 'pg-readonly-1', 'habari', 'k0')).status).toBe(200);
    // As a hot standby or a full disk's emergency setting would: every new transaction is read-only.
    await asAdmin(`alter database ${name} set default_transaction_read_only = on`, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    const refused = await post(server.url, 'pg-readonly-1', 'msaada', 'k1');
    expect(refused).toEqual({ status: 503, body: { error: 'the service is unavailable for a moment; please try again' } });
    expect(await health(server.url)).toMatchObject({ status: 503, body: { status: 'read_only', reason: 'read_only' } });
    await sleep(50);
    expect(dbErrorLines(server.log(), '25006').length).toBeGreaterThanOrEqual(1);
    await asAdmin(`alter database ${name} set default_transaction_read_only = off`, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    const retried = await post(server.url, 'pg-readonly-1', 'msaada', 'k1');
    expect(retried.status).toBe(200);
    expect((await transcriptOf(server.url, 'pg-readonly-1')).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['habari', 'msaada']);
  }, 90_000);

  it('connections cut and refused: 503 and health unavailable, the process lives; when they are allowed again it serves', async () => {
    const url = await freshPostgresUrl();
    const name = new URL(url).pathname.slice(1);
    server = await spawnServer({ database: { DATABASE_URL: url } });
    expect((await post(server.url, 'pg-offline-1', 'habari', 'k0')).status).toBe(200);
    await asAdmin(`alter database ${name} allow_connections false`, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    const refused = await post(server.url, 'pg-offline-1', 'msaada', 'k1');
    expect(refused.status).toBe(503);
    expect(await health(server.url)).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'unreachable' } });
    expect(server.child.exitCode).toBeNull();
    await asAdmin(`alter database ${name} allow_connections true`);
    expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });
    const retried = await post(server.url, 'pg-offline-1', 'msaada', 'k1');
    expect(retried.status).toBe(200);
    expect(retried.body.replies?.length).toBeGreaterThan(0);
  }, 90_000);
});
