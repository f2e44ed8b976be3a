import type { ChannelPlugin } from '../channel.ts';
import { smsRoutes } from './routes.ts';
import { SmsChannel } from './sms.ts';

/** SMS through Africa's Talking: on when its username and API key are set; incoming SMS at /sms/inbound, replies and notices through the outbox. */
export const sms: ChannelPlugin = {
  name: 'sms',
  create: ({ config, store, inbox, clock }) => {
    if (!config.SMS_USERNAME || !config.SMS_API_KEY) return undefined;
    return {
      outbound: new SmsChannel({
        apiRoot: config.SMS_API_ROOT,
        username: config.SMS_USERNAME,
        apiKey: config.SMS_API_KEY,
        senderId: config.SMS_SENDER_ID,
        store,
        defaultLocale: config.DEFAULT_LOCALE,
      }),
      routes: [smsRoutes({ deliver: inbox.submit, store, clock, defaultLocale: config.DEFAULT_LOCALE, callbackSecret: config.SMS_CALLBACK_SECRET })],
    };
  },
};
