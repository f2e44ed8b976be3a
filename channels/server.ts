import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { Metrics } from '../bot/metrics.ts';
import { countRequestsByServiceAndStatus } from '../db/queries/requests.ts';
import { kbAnswerTotals } from '../db/queries/articles.ts';
import { KB_OUTCOMES } from '../db/schema.ts';
import { errorCode, isUnavailable, type Health, type Store, type UnavailableCause } from '../db/store.ts';
import { limitBody } from './http.ts';

export interface ServerDeps {
  readonly store: Store;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The routes the registered channels bring (channels/registry.ts), mounted as they are. */
  readonly routes: readonly Hono[];
  /** Whether the intent model is still being trained (a first start): /healthz then says "starting". */
  readonly starting?: () => boolean;
}

/**
 * What every answer carries, whatever route gave it (a route may set its own,
 * stricter, first: the console's CSP): never framed or sniffed, no referrer
 * leaking a session id; staff data and transcripts never cached.
 */
const baseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const set = (name: string, value: string) => {
    if (!c.res.headers.has(name)) c.header(name, value);
  };
  set('Content-Security-Policy', "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'");
  set('X-Frame-Options', 'DENY');
  set('X-Content-Type-Options', 'nosniff');
  set('Referrer-Policy', 'no-referrer');
  if (/^\/(api|webchat|staff)(\/|$)/.test(c.req.path)) set('Cache-Control', 'no-store');
};

/** Whether an error means "the database cannot serve now": a 503 and a retry, not a defect. */
export const cannotServeNow = (error: unknown): boolean => isUnavailable(error);

/**
 * Logs every error a request ended in, whoever answered it: the server's
 * onError below, or a route's own (the console's page, USSD's END screen, the
 * SMS gateway's plain text), which would otherwise swallow it. One line at
 * error level: the error, its code, the method and the route's pattern (never
 * the path itself, which may carry a session id, nor any body).
 */
const logErrors =
  (log: Logger): MiddlewareHandler =>
  async (c, next) => {
    await next();
    const err = c.error;
    if (!err) return;
    const code = errorCode(err);
    const where = { method: c.req.method, route: routePath(c), status: c.res.status };
    if (cannotServeNow(err)) log.error({ err: { message: err.message, code }, ...where }, 'database unavailable');
    else log.error({ err: { message: err.message, stack: err.stack, ...(code ? { code } : {}) }, ...where }, 'unexpected error');
  };

/** What /healthz says to the operator for each kind of trouble (never the driver's message: it may name paths or hosts). */
const TROUBLE: Record<UnavailableCause | 'read_only', string> = {
  read_only: 'the database cannot take writes (a read-only file, folder or server); make it writable (a SQLite file: then restart Huduma)',
  disk_full: 'the disk holding the database is full; free some space: Huduma takes writes again by itself',
  locked: "another program holds the database's write lock (a backup, a sqlite3 shell?); Huduma takes writes again once it lets go",
  io_error: "the database's disk reports I/O errors; check the disk",
  cannot_open: 'the database file cannot be opened; check that it and its folder exist and may be written',
  unreachable: 'the database server cannot be reached or refuses connections',
  timeout: 'the database did not answer in time',
  other: 'the database cannot take writes now',
};

/** Says in the log when health changes (once, not at every check): what went wrong, and when it is well again. */
function healthWatcher(log: Logger): (health: Health) => void {
  let last = 'ok';
  return (health) => {
    const now = health.status === 'unavailable' ? `unavailable:${health.cause ?? 'other'}` : health.status;
    if (now === last) return;
    last = now;
    if (health.status === 'ok') log.info('health: the database takes writes again');
    else if (health.status === 'read_only') log.warn({ reason: 'read_only' }, `health: ${TROUBLE.read_only}`);
    else log.warn({ reason: health.cause ?? 'other', detail: health.reason }, `health: ${TROUBLE[health.cause ?? 'other']}`);
  };
}

/** The HTTP face of Huduma: each channel's routes, health, metrics, and one way of answering errors. */
export function createServer(deps: ServerDeps): Hono {
  const app = new Hono();
  app.use(logErrors(deps.log));
  app.use(baseHeaders);
  const tooLarge = (kb: number) => limitBody({ maxSize: kb * 1024, onError: (c) => c.json({ error: `the body is larger than ${kb} KB`, code: 'too_large' }, 413) });
  app.use('/webchat/*', tooLarge(16));
  // A monitoring notification holds many alerts, each with its labels and annotations (README: set max_alerts).
  const staffApi = tooLarge(16);
  app.use('/api/*', (c, next) => (c.req.path === '/api/alerts' ? next() : staffApi(c, next)));
  app.use('/api/alerts', tooLarge(1024));
  app.use('/staff/*', tooLarge(16));
  app.use('/telegram/*', tooLarge(256));
  for (const routes of deps.routes) app.route('/', routes);
  const watchHealth = healthWatcher(deps.log);
  // 503 with the reason whenever the database cannot take a write: read-only, disk full, locked, unreachable.
  app.get('/healthz', async (c) => {
    // Serving the page but not yet answering messages: a load balancer should send chats elsewhere for these seconds.
    if (deps.starting?.()) return c.json({ status: 'starting', reason: 'starting', error: 'the intent model is being trained (first start); messages wait for it, in about 20 seconds' }, 503);
    const health = await deps.store.health();
    watchHealth(health);
    if (health.status === 'ok') return c.json({ status: 'ok' });
    if (health.status === 'read_only') return c.json({ status: 'read_only', reason: 'read_only', error: TROUBLE.read_only }, 503);
    const reason = health.cause ?? 'other';
    return c.json({ status: 'unavailable', reason, error: TROUBLE[reason] }, 503);
  });
  app.get('/metrics', async (c) => {
    const { byService, kb } = await deps.store.read(async (tx) => ({ byService: await countRequestsByServiceAndStatus(tx), kb: await kbAnswerTotals(tx) }));
    const body = deps.metrics.render([
      {
        name: 'huduma_kb_answers',
        help: 'Questions answered from the knowledge base (all instances, since the start), by what came of it: helped = answered without a request; request = a request was opened after all; shown = no reply yet.',
        samples: KB_OUTCOMES.map((outcome) => ({ labels: { outcome }, value: kb.find((r) => r.outcome === outcome)?.count ?? 0 })),
      },
      { name: 'huduma_requests', help: 'Requests by service and status.', samples: byService.map((r) => ({ labels: { service: r.service, status: r.status }, value: r.count })) },
    ]);
    return c.text(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  // Logged by logErrors above, like the errors the routes answer themselves.
  app.onError((err, c) => {
    if (cannotServeNow(err)) return c.json({ error: 'the service is unavailable for a moment; please try again' }, 503);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
