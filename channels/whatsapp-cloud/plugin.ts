import type { ChannelPlugin } from '../channel.ts';
import { WhatsAppCloudChannel } from './cloud.ts';
import { OutboxDeliveryLog } from './delivery.ts';
import { chatLookupsOf, missingWhatsAppCloudSettings, whatsAppCloudSettingsOf } from './settings.ts';
import { whatsappCloudWebhookRoutes } from './webhook.ts';

/** WhatsApp through Meta's Cloud API: on when its four settings are set; Meta's webhook on every instance, sends through the outbox. */
export const whatsappCloud: ChannelPlugin = {
  name: 'whatsapp_cloud',
  create: ({ config, store, inbox, clock, log }) => {
    const missing = missingWhatsAppCloudSettings(config);
    if (missing.length > 0) log.warn({ missing }, 'WhatsApp Cloud API is off: some of its settings are missing');
    const cloud = whatsAppCloudSettingsOf(config);
    if (!cloud) return undefined;
    const channel = new WhatsAppCloudChannel({
      ...cloud,
      deliver: inbox.submit,
      clock,
      log,
      defaultLocale: config.DEFAULT_LOCALE,
      deliveries: new OutboxDeliveryLog(store, clock),
      ...chatLookupsOf(store),
    });
    return { outbound: channel, routes: [whatsappCloudWebhookRoutes({ verifyToken: cloud.verifyToken, appSecret: cloud.appSecret, handle: (p) => channel.handleWebhook(p) })] };
  },
};
