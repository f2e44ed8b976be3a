import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { ENGINE_UNAVAILABLE } from '../bot/engine/thread/protocol.ts';
import type { Metrics } from '../bot/metrics.ts';
import { countRequestsByServiceAndStatus } from '../db/queries/requests.ts';
import { errorCode, isUnavailable, type Store } from '../db/store.ts';
import { limitBody } from './http.ts';

export interface ServerDeps {
  readonly store: Store;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The routes the registered channels bring (channels/registry.ts), mounted as they are. */
  readonly routes: readonly Hono[];
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

/** The HTTP face of Huduma: each channel's routes, health, metrics, and one way of answering errors. */
export function createServer(deps: ServerDeps): Hono {
  const app = new Hono();
  app.use(baseHeaders);
  const tooLarge = (kb: number) => limitBody({ maxSize: kb * 1024, onError: (c) => c.json({ error: `the body is larger than ${kb} KB` }, 413) });
  app.use('/webchat/*', tooLarge(16));
  app.use('/api/*', tooLarge(16));
  app.use('/staff/*', tooLarge(16));
  app.use('/telegram/*', tooLarge(256));
  for (const routes of deps.routes) app.route('/', routes);
  app.get('/healthz', async (c) => {
    const health = await deps.store.health();
    if (health.status === 'ok') return c.json({ status: 'ok' });
    if (health.status === 'read_only') return c.json({ status: 'read_only', error: 'the database cannot take writes (a read-only file?); fix it and restart Huduma' }, 503);
    return c.json({ status: 'unavailable', error: 'the database does not answer' }, 503);
  });
  app.get('/metrics', async (c) => {
    const byService = await deps.store.read((tx) => countRequestsByServiceAndStatus(tx));
    const body = deps.metrics.render([
      { name: 'huduma_requests', help: 'Requests by service and status.', samples: byService.map((r) => ({ labels: { service: r.service, status: r.status }, value: r.count })) },
    ]);
    return c.text(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    const code = errorCode(err);
    if (isUnavailable(err) || code === ENGINE_UNAVAILABLE) {
      deps.log.error({ err: { message: err.message, code } }, 'database unavailable');
      return c.json({ error: 'the service is unavailable for a moment; please try again' }, 503);
    }
    deps.log.error({ err: { message: err.message, stack: err.stack } }, 'unexpected error');
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
