import { dirname, join, resolve } from 'node:path';
import type { ChannelPlugin } from '../channel.ts';

/**
 * WhatsApp as a linked device (WHATSAPP_ENABLED). Baileys is large, so it is
 * loaded only when the channel is on. One socket per link: the leader's.
 */
export const whatsapp: ChannelPlugin = {
  name: 'whatsapp',
  create: async ({ config, store, inbox, clock, log }) => {
    if (!config.WHATSAPP_ENABLED) return undefined;
    const { WhatsAppChannel } = await import('./whatsapp.ts');
    const channel = new WhatsAppChannel({
      store,
      deliver: inbox.submit,
      clock,
      log,
      messagesPerMinute: config.WHATSAPP_MESSAGES_PER_MINUTE,
      pairingNumber: config.WHATSAPP_PAIRING_NUMBER,
      defaultLocale: config.DEFAULT_LOCALE,
      // Messages the engine could not take yet (the database out) wait here across a stop; beside the SQLite file,
      // or in ./data with PostgreSQL: on the machine that runs the socket, which hands them over when it starts it again.
      pendingPath: join(dirname(resolve(config.DATABASE_PATH)), 'whatsapp-pending.jsonl'),
    });
    return { outbound: channel, owned: [{ name: 'whatsapp socket', start: () => channel.start(), stop: () => channel.stop() }] };
  },
};
