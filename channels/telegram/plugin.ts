import type { ChannelPlugin } from '../channel.ts';
import { TelegramChannel } from './telegram.ts';
import { telegramWebhookRoutes } from './webhook.ts';

/**
 * Telegram (TELEGRAM_BOT_TOKEN), with the staff group when TELEGRAM_STAFF_CHAT_ID
 * is set. With TELEGRAM_WEBHOOK_SECRET, updates come to the webhook on every
 * instance; without it, the leader alone long-polls (Telegram refuses two
 * pollers of one bot).
 */
export const telegram: ChannelPlugin = {
  name: 'telegram',
  create: ({ config, inbox, clock, log, staffChat, desk }) => {
    if (!config.TELEGRAM_BOT_TOKEN) return undefined;
    const channel = new TelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      deliver: inbox.submit,
      clock,
      log,
      staff: staffChat ? { chatId: staffChat.chatId, desk } : undefined,
    });
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    const url = config.TELEGRAM_WEBHOOK_URL;
    if (!secret) return { outbound: channel, owned: [{ name: 'telegram polling', start: () => channel.start(), stop: () => channel.stop() }] };
    return {
      outbound: channel,
      routes: [telegramWebhookRoutes(secret, (u) => channel.handleUpdate(u))],
      // Telegram is told the address when we know it (in the background: start-up never waits on Telegram);
      // every instance may tell it, it is the same address.
      ...(url ? { start: () => channel.useWebhook(url, secret) } : {}),
      stop: () => channel.stop(),
    };
  },
};
