import { Hono } from 'hono';
import { join } from 'node:path';
import { privacyNotice } from '../../bot/engine/notice.ts';
import { RateLimiter } from '../../bot/engine/rate-limit.ts';
import type { ChannelPlugin } from '../channel.ts';
import { brandOf } from './brand.ts';
import { chatPage } from './page.ts';
import { MAX_MESSAGE_CHARS, webchatRoutes } from './routes.ts';

/** An SVG of our own charter bundle, served as an image: it may style itself, and nothing else. */
const SVG_HEADERS = { 'Content-Type': 'image/svg+xml', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" };

/** The web chat: the page at /, its emblem and favicon, and its JSON API. Its replies go back in the HTTP answer, not through the outbox. */
export const webchat: ChannelPlugin = {
  name: 'webchat',
  create: ({ config, inbox, store, clock, charter }) => {
    const noticeDeps = { charter, retentionMonths: config.RETENTION_MONTHS };
    const notices = { sw: privacyNotice(noticeDeps, 'sw'), en: privacyNotice(noticeDeps, 'en') };
    const brand = brandOf(charter, join(config.CHARTER_DIR, 'charter.yml'));
    const { html, csp } = chatPage({ lang: config.DEFAULT_LOCALE, notices, brand, maxChars: MAX_MESSAGE_CHARS, referencePrefix: config.REFERENCE_PREFIX });
    const page = new Hono()
      // Built once at start-up; no-cache so a new release (a new emblem path) is picked up at once.
      .get('/', (c) => c.html(html, 200, { 'Content-Security-Policy': csp, 'Cache-Control': 'no-cache' }))
      // The emblem's path names its content: kept a year. /favicon.ico, for clients that ask for it by that name.
      .get(brand.icon.path, (c) => c.body(brand.icon.svg, 200, { ...SVG_HEADERS, 'Cache-Control': 'public, max-age=31536000, immutable' }))
      .get('/favicon.ico', (c) => c.body(brand.icon.svg, 200, { ...SVG_HEADERS, 'Cache-Control': 'public, max-age=86400' }));
    const perAddress = config.RATE_LIMIT_MESSAGES_PER_IP_PER_MINUTE;
    const limits = {
      openingsPerMinute: config.RATE_LIMIT_PER_IP_PER_MINUTE,
      // Counted by each instance in memory: a message costs no extra write. Behind a balancer spreading one address
      // over N instances it may send up to N times this (README: running on several servers).
      messages: perAddress > 0 ? new RateLimiter({ limit: perAddress, clock, maxKeys: 50_000 }) : undefined,
      trustProxy: config.TRUST_PROXY,
    };
    return { routes: [page, webchatRoutes({ submit: inbox.submit, store, clock, sessionIdleMs: config.WEBCHAT_SESSION_DAYS * 86_400_000, limits })] };
  },
};
