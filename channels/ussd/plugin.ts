import type { ChannelPlugin } from '../channel.ts';
import { ussdRoutes } from './routes.ts';

/** The USSD menu at POST /ussd (USSD_ENABLED); what it files is told, and later notices go, by SMS (channels/sms). */
export const ussd: ChannelPlugin = {
  name: 'ussd',
  create: ({ config, store, charter, flows, calendar, clock, log }) => {
    if (!config.USSD_ENABLED) return undefined;
    if (!config.SMS_USERNAME || !config.SMS_API_KEY) log.warn('USSD is on but SMS is not (SMS_USERNAME, SMS_API_KEY): references and notices for USSD users will wait in the outbox');
    const routes = ussdRoutes({
      store,
      charter,
      flows,
      calendar,
      clock,
      referencePrefix: config.REFERENCE_PREFIX,
      defaultLocale: config.DEFAULT_LOCALE,
      retentionMonths: config.RETENTION_MONTHS,
      callbackSecret: config.SMS_CALLBACK_SECRET,
    });
    return { routes: [routes] };
  },
};
