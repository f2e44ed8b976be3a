import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { chatPage } from '../channels/webchat/page.ts';
import { webchatRoutes } from '../channels/webchat/routes.ts';
import { limitBody } from '../channels/http.ts';
import type { Db } from '../db/client.ts';
import { countRequestsByServiceAndStatus } from '../db/queries/requests.ts';
import { translator, type Locale } from '../locales/index.ts';
import type { InboundMessage, TurnOutcome } from './engine/types.ts';
import type { Metrics } from './metrics.ts';
import type { Clock } from './sla/clock.ts';

export interface ServerDeps {
  /** Hands a message to the engine; resolves once its turn is committed (see GroupCommit). */
  readonly submit: (message: InboundMessage) => Promise<TurnOutcome>;
  readonly db: Db;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly defaultLocale: Locale;
  /** Whether the database takes writes (health reports a read-only file). */
  readonly canWrite: () => boolean;
  /** Extra routes a channel brings (e.g. Telegram's webhook), mounted as they are. */
  readonly channelRoutes?: readonly Hono[];
}

/** SQLite errors that mean "the database cannot take writes now", not "the request is wrong". */
const UNAVAILABLE = /SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN)|ENGINE_UNAVAILABLE/;

/** The HTTP face of Huduma: the web chat, health, metrics. */
export function createServer(deps: ServerDeps): Hono {
  const app = new Hono();
  const tooLarge = (kb: number) => limitBody({ maxSize: kb * 1024, onError: (c) => c.json({ error: `the body is larger than ${kb} KB` }, 413) });
  app.use('/webchat/*', tooLarge(16));
  app.use('/api/*', tooLarge(16));
  app.use('/staff/*', tooLarge(16));
  app.use('/telegram/*', tooLarge(256));
  app.get('/', (c) => c.html(chatPage(translator(deps.defaultLocale), deps.defaultLocale)));
  app.route('/', webchatRoutes({ submit: deps.submit, db: deps.db, clock: deps.clock }));
  for (const routes of deps.channelRoutes ?? []) app.route('/', routes);
  app.get('/healthz', (c) => {
    try {
      deps.db.get(sql`select 1`);
      if (!deps.canWrite()) return c.json({ status: 'read_only', error: 'the database cannot take writes (a read-only file?); fix it and restart Huduma' }, 503);
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'unavailable', error: 'the database does not answer' }, 503);
    }
  });
  app.get('/metrics', (c) => {
    const byService = deps.db.transaction((tx) => countRequestsByServiceAndStatus(tx));
    const body = deps.metrics.render([
      { name: 'huduma_requests', help: 'Requests by service and status.', samples: byService.map((r) => ({ labels: { service: r.service, status: r.status }, value: r.count })) },
    ]);
    return c.text(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) {
      deps.log.error({ err: { message: err.message, code } }, 'database unavailable');
      return c.json({ error: 'the service is unavailable for a moment; please try again' }, 503);
    }
    deps.log.error({ err: { message: err.message, stack: err.stack } }, 'unexpected error');
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
