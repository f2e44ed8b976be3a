// `npm start`: the bot on the embedded SQLite default, web chat on http://localhost:3000.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { systemClock } from './sla/clock.ts';

const config = loadConfigOrExit(process.env);
const log = createLogger(config.LOG_LEVEL);
const app = createApp(config, systemClock, log);
await app.start();
const server = serve({ fetch: app.http.fetch, port: config.PORT }, (info) => {
  log.info({ port: info.port, database: config.DATABASE_PATH }, `Huduma is serving the web chat on http://localhost:${info.port}`);
});

function shutdown(signal: string): void {
  log.info({ signal }, 'stopping: no new connections, finishing the ones in flight');
  server.close(() => {
    void app.close().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  });
  // Keep-alive connections must not hold the process forever.
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
