// `npm start`: the bot on the embedded SQLite default (or PostgreSQL when
// DATABASE_URL is set), web chat on http://localhost:3000.
import { serve } from '@hono/node-server';
import { loadConfigOrExit } from '../bot/config.ts';
import { createLogger } from '../bot/logger.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { createApp, type App } from './app.ts';

const config = loadConfigOrExit(process.env);
const log = createLogger(config.LOG_LEVEL);
const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.DATABASE_PATH;
let app: App;
try {
  app = await createApp(config, systemClock, log, config.ENGINE_THREAD ? { engineThreadEnv: process.env } : {});
} catch (error) {
  log.error({ database: where, err: { message: error instanceof Error ? error.message : String(error) } }, 'the database could not be opened');
  process.exit(1);
}
const health = await app.health();
if (health.status !== 'ok')
  log.error(
    { database: where, health: health.status },
    'the database cannot be written (read-only file or folder, or a read-only server?): every message will get 503 until it is writable and Huduma is restarted',
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

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: no new connections, finishing the ones in flight');
  server.close(() => {
    // Then: no more polling or WhatsApp input, the turns taken are committed, the send in flight finishes.
    void app.close().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  });
  // Idle keep-alive connections would otherwise hold close() until the client hangs up;
  // busy ones become idle after their answer, so keep closing them until all are gone.
  if ('closeIdleConnections' in server) {
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
  }
  setTimeout(() => {
    log.error('stopping took over 10 s; exiting with work possibly unfinished (the outbox keeps it for the next start)');
    process.exit(1);
  }, 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
