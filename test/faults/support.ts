// Helpers for the fault tests: the real server in its own process, and a web chat client that survives it dying.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { forgetSession, messagesPath } from '../support/sessions.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The web chat flow that files a network fault; the last answer carries the reference. */
export const FLOW = ['the internet in our office has been down since morning', 'Registry, block B', '+255 713 000 111', 'yes'] as const;
export const REFERENCE = /\b[A-Z]{2,6}-\d{4}-(\d{6})\b/;

export interface Reply {
  readonly text: string;
  readonly options?: readonly { id: string; label: string }[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A temp folder for a database; open to every user, so a server run as another user can make its -wal and -shm there. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
}

/**
 * Lets another user reach the project (to run the server as `nobody`): every
 * folder above it that others cannot enter gets o+x (enter, not list) until
 * the returned function puts it back. A clone under /root, or in a fresh
 * `mktemp -d`, would otherwise be out of that user's reach.
 */
export function letOthersReach(dir: string): () => void {
  const changed: [string, number][] = [];
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(d, mode | 0o001);
      changed.push([d, mode]);
    }
    if (dirname(d) === d) break;
  }
  return () => {
    for (const [d, mode] of changed.reverse()) chmodSync(d, mode);
  };
}

export interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed so far (pino's JSON lines). */
  log(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The settings that name a database: DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL). */
export type DatabaseEnv = Readonly<Record<string, string>>;

/** `node --import tsx channels/main.ts` as a service manager runs it; resolves once it serves the web chat. */
export async function spawnServer(options: { databasePath?: string; database?: DatabaseEnv; env?: Record<string, string>; uid?: number; port?: number }): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const database = options.database ?? (options.databasePath ? { DATABASE_PATH: options.databasePath } : {});
  const env = { ...process.env, PORT: String(port), LOG_LEVEL: 'info', ...database, ...options.env };
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const child = spawn(process.execPath, ['--import', 'tsx', 'channels/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
  let log = '';
  child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 600 && !log.includes('serving the web chat'); i++) {
    if (done) throw new Error(`the server exited before serving:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!log.includes('serving the web chat')) {
    child.kill('SIGKILL');
    throw new Error(`the server did not start within 60 s:\n${log}`);
  }
  return { child, url: `http://127.0.0.1:${port}`, log: () => log, exited };
}

/** Stops a server the test started (by its own child handle), if it still runs. */
export async function stopServer(server: RunningServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

export type Sent = { readonly status: number; readonly body: { replies?: Reply[]; error?: string } };

/** One web chat message over the socket; rejects when the connection fails (the server died or closed it). */
export async function post(url: string, session: string, text: string, key?: string): Promise<Sent> {
  const send = async () =>
    fetch(`${url}${await messagesPath(url, session)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify({ text }),
    });
  let res = await send();
  // A name's session from another database (the other backend's run) is unknown here: open one.
  if (res.status === 404) {
    forgetSession(url, session);
    res = await send();
  }
  return { status: res.status, body: (await res.json()) as Sent['body'] };
}

/** A session's transcript, read over the socket. */
export async function transcriptOf(url: string, session: string): Promise<{ direction: string; text: string }[]> {
  let res = await fetch(`${url}${await messagesPath(url, session)}`);
  if (res.status === 404) {
    forgetSession(url, session);
    res = await fetch(`${url}${await messagesPath(url, session)}`);
  }
  return ((await res.json()) as { messages: { direction: string; text: string }[] }).messages;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Rows of a query on the database itself, from outside the server (the way an
 * operator would look): SQLite read-only, or a PostgreSQL connection of its
 * own. Write counts as `cast(count(*) as integer)`, the same on both.
 */
export async function queryDatabase<T>(database: DatabaseEnv, query: string): Promise<T[]> {
  if (database.DATABASE_URL) {
    const client = new pg.Client({ connectionString: database.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(database.DATABASE_PATH ?? '', { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}
