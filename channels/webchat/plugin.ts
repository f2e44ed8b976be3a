import { Hono } from 'hono';
import { translator } from '../../locales/index.ts';
import type { ChannelPlugin } from '../channel.ts';
import { chatPage } from './page.ts';
import { webchatRoutes } from './routes.ts';

/** The web chat: the page at /, and its JSON API. Its replies go back in the HTTP answer, not through the outbox. */
export const webchat: ChannelPlugin = {
  name: 'webchat',
  create: (w) => {
    const page = new Hono().get('/', (c) => c.html(chatPage(translator(w.config.DEFAULT_LOCALE), w.config.DEFAULT_LOCALE)));
    return { routes: [page, webchatRoutes({ submit: w.inbox.submit, store: w.store, clock: w.clock })] };
  },
};
