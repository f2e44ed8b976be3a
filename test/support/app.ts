import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp, type App } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { ManualClock } from '../../bot/sla/clock.ts';

export interface TestServer {
  readonly app: App;
  readonly clock: ManualClock;
  readonly url: string;
  readonly databasePath: string;
  close(): Promise<void>;
}

/** The real app on a real SQLite file in a temp folder, listening on a loopback port, with a clock the test moves. */
export async function startTestServer(options: { now?: string; databasePath?: string; /** The engine on its own thread, as npm start runs it. */ engineThread?: boolean } = {}): Promise<TestServer> {
  const databasePath = options.databasePath ?? join(mkdtempSync(join(tmpdir(), 'huduma-test-')), 'huduma.db');
  const clock = new ManualClock(options.now ?? '2026-11-23T08:00:00Z'); // Monday 11:00 in Dar es Salaam
  const env = { DATABASE_PATH: databasePath };
  const app = createApp(loadConfig(env), clock, pino({ level: 'silent' }), options.engineThread ? { engineThreadEnv: env } : {});
  const server = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    clock,
    databasePath,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          void app.close().then(resolve);
        }),
      ),
  };
}
