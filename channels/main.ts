// `npm start`: the bot on the embedded SQLite default (or PostgreSQL when
// DATABASE_URL is set), web chat on http://localhost:3000.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { loadConfigOrExit, type Config } from '../bot/config.ts';
import { createLogger } from '../bot/logger.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { cannotOpenBecause } from '../db/sqlite/connection.ts';
import { errorCode, isUnavailable } from '../db/store.ts';
import { createApp, type App } from './app.ts';

/** How long the requests in flight at SIGTERM may take; then the connections still open (slow or stalled clients) are cut. */
const HTTP_GRACE_MS = 5_000;
/** How long stopping may take in all: the requests, the turns taken, the send in flight, closing the database. */
const STOP_DEADLINE_MS = 10_000;

const config = loadConfigOrExit(process.env);
const log = createLogger(config.LOG_LEVEL);
const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.DATABASE_PATH;
let app: App;
try {
  // What a slow start is doing, in plain words on stdout (the logs are JSON on stderr).
  app = await createApp(config, systemClock, log, { progress: (line) => process.stdout.write(`${line}\n`) });
} catch (error) {
  // One sentence the operator can act on (which path or server, what is wrong, what to do), not a stack trace.
  log.error({ database: where, code: errorCode(error) }, startFailure(config, error));
  process.exit(1);
}
const health = await app.health();
if (health.status === 'read_only')
  log.error(
    { database: where, health: health.status },
    'the database cannot be written (read-only file or folder, or a read-only server?): every message will get 503 until it is writable (a SQLite file: and Huduma is restarted)',
  );
else if (health.status === 'unavailable')
  log.error(
    { database: where, health: health.status, reason: health.cause ?? 'other', detail: health.reason },
    'the database cannot take writes now (disk full, locked by another program, out of reach?): messages get 503 until it can; Huduma takes them again by itself',
  );
try {
  await app.start();
} catch (error) {
  log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Huduma could not start');
  process.exit(1);
}
const server = serve({ fetch: app.http.fetch, port: config.PORT }, (info) => {
  log.info({ port: info.port, database: config.DATABASE_URL ? 'postgres' : config.DATABASE_PATH }, `Huduma is serving the web chat on http://localhost:${info.port}`);
});
// A first start trains the intent model beside the server; if that fails, nothing could be understood.
app.ready.catch((error: unknown) => {
  if (stopping) return;
  log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Huduma could not train its intent model (is the cache folder writable? NLU_CACHE_DIR)');
  process.exit(1);
});

/** Why the program could not be put together, in one sentence: the database's path or server named, and what to do. */
function startFailure(config: Config, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  // PostgreSQL's own codes (SQLSTATE: 28P01 wrong password, 3D000 no such database…) or the network's.
  if (config.DATABASE_URL && (isUnavailable(error) || /^[0-9A-Z]{5}$/.test(code ?? ''))) {
    const url = safeUrl(config.DATABASE_URL);
    return `Huduma cannot open its PostgreSQL database at ${url} (${code ?? message}): check DATABASE_URL, and that the server runs and accepts this user's connections.`;
  }
  const because = cannotOpenBecause(config.DATABASE_PATH, error);
  if (because) return because;
  if (code?.startsWith('SQLITE_') || /database/i.test(message))
    return `Huduma cannot open its database at ${resolve(config.DATABASE_PATH)} (${code ?? message}): check the file, or set DATABASE_PATH to another.`;
  return `Huduma could not start: ${message}`;
}

/** The database server's address without the password (logs are read by more people than the secret is for). */
function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'DATABASE_URL (not a URL)';
  }
}

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: no new connections, finishing the ones in flight');
  const http = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive connections would otherwise hold close() until the client hangs up;
  // busy ones become idle after their answer, so keep closing them until all are gone.
  if ('closeIdleConnections' in server) {
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
  }
  // A client that sends half a request and then nothing (or reads its answer at a crawl) must not hold the process:
  // after the grace its connection is cut. Its turn, if it reached the engine, is still committed below; a retry
  // with the same key is answered once.
  const cut = setTimeout(() => {
    log.warn({ graceMs: HTTP_GRACE_MS }, 'stopping: cutting the connections still open (slow or stalled clients)');
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, HTTP_GRACE_MS);
  cut.unref();
  // Then: no more polling or WhatsApp input, the turns taken are committed, the send in flight finishes.
  void http
    .then(() => {
      clearTimeout(cut);
      return app.close();
    })
    .then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: { message: error instanceof Error ? error.message : String(error), code: errorCode(error) } }, 'stopping failed; the outbox keeps what was not sent for the next start');
        process.exit(1);
      },
    );
  setTimeout(() => {
    log.error(`stopping took over ${STOP_DEADLINE_MS / 1000} s; exiting with work possibly unfinished (the outbox keeps it for the next start)`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
