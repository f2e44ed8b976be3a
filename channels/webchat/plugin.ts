import { Hono } from 'hono';
import { privacyNotice } from '../../bot/engine/notice.ts';
import { RateLimiter } from '../../bot/engine/rate-limit.ts';
import { translator } from '../../locales/index.ts';
import type { ChannelPlugin } from '../channel.ts';
import { chatPage } from './page.ts';
import { webchatRoutes } from './routes.ts';

/** The web chat: the page at /, and its JSON API. Its replies go back in the HTTP answer, not through the outbox. */
export const webchat: ChannelPlugin = {
  name: 'webchat',
  create: ({ config, inbox, store, clock, charter }) => {
    const noticeDeps = { charter, retentionMonths: config.RETENTION_MONTHS };
    const notices = { sw: privacyNotice(noticeDeps, 'sw'), en: privacyNotice(noticeDeps, 'en') };
    const html = chatPage(translator(config.DEFAULT_LOCALE), config.DEFAULT_LOCALE, notices);
    const page = new Hono().get('/', (c) => c.html(html));
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
