import type { ChannelPlugin } from '../channel.ts';
import { staffApiRoutes } from './api.ts';
import { staffConsoleRoutes } from './console/routes.ts';

/** Staff's own faces: the JSON API (/api) and the console (/staff), both on the desk. */
export const staff: ChannelPlugin = {
  name: 'staff',
  create: (w) => ({
    routes: [staffApiRoutes(w.desk), staffConsoleRoutes(w.desk, { locale: w.config.DEFAULT_LOCALE, timeZone: w.config.TIMEZONE, clock: w.clock })],
  }),
};
