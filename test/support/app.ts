import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { loadConfig } from '../../bot/config.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { createApp, type App, type AppOptions } from '../../channels/app.ts';
import { databaseEnv, type Backend } from './databases.ts';

export interface TestServer {
  readonly app: App;
  readonly clock: ManualClock;
  readonly url: string;
  readonly backend: Backend;
  /** SQLite: the database file. */
  readonly databasePath: string;
  /** The settings that reach this server's database (DATABASE_PATH or DATABASE_URL), for scripts and second servers. */
  readonly databaseEnv: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly now?: string;
  /** Which database (SQLite unless told). */
  readonly backend?: Backend;
  /** An existing database's settings (a second server on the same database, a restart). */
  readonly databaseEnv?: Readonly<Record<string, string>>;
  /** SQLite: the file, e.g. one the test prepared. */
  readonly databasePath?: string;
  /** More settings. */
  readonly env?: Readonly<Record<string, string>>;
  readonly lease?: AppOptions['lease'];
  /** Start the leader's jobs (outbox, SLA sweep, polling) as npm start does. */
  readonly start?: boolean;
}

/** The real app on a real database (a SQLite file in a temp folder, or a fresh PostgreSQL database), listening on a loopback port, with a clock the test moves. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const backend = options.backend ?? (options.databaseEnv?.DATABASE_URL ? 'postgres' : 'sqlite');
  const databasePath = options.databasePath ?? options.databaseEnv?.DATABASE_PATH ?? join(mkdtempSync(join(tmpdir(), 'huduma-test-')), 'huduma.db');
  const database = options.databaseEnv ?? (await databaseEnv(backend, databasePath));
  const clock = new ManualClock(options.now ?? '2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam
  // Tests play many people from one address in process: the per-address limits are off unless a test turns them on.
  const env = { RATE_LIMIT_PER_IP_PER_MINUTE: '0', RATE_LIMIT_MESSAGES_PER_IP_PER_MINUTE: '0', ...database, ...options.env };
  const app = await createApp(loadConfig(env), clock, pino({ level: 'silent' }), { lease: options.lease });
  if (options.start) await app.start();
  const server = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    clock,
    backend,
    databasePath,
    databaseEnv: database,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          void app.close().then(resolve);
        });
        // A browser page still open (polling, keep-alive) would hold close() for ever: its sockets end now.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
