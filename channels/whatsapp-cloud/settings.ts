import type { Config } from '../../bot/config.ts';
import { localeOfChat } from '../../db/queries/whatsapp.ts';
import { lastInboundAt } from '../../db/queries/whatsapp-cloud.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { NoticeTemplate } from './cloud.ts';
import type { GraphSettings } from './graph.ts';
import { WHATSAPP_CLOUD } from './payload.ts';

export interface WhatsAppCloudSettings {
  readonly graph: GraphSettings;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly template: NoticeTemplate;
  readonly messagesPerSecond: number;
}

const REQUIRED = ['WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_ACCESS_TOKEN', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN'] as const;

/** The settings that are still missing when some are set: worth a warning at start, as the channel then stays off. */
export function missingWhatsAppCloudSettings(config: Config): string[] {
  const missing = REQUIRED.filter((k) => !config[k]);
  return missing.length === REQUIRED.length ? [] : missing;
}

/** The Cloud API channel's settings, or undefined (the channel is off) unless all four required ones are set. */
export function whatsAppCloudSettingsOf(config: Config): WhatsAppCloudSettings | undefined {
  const { WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId, WHATSAPP_CLOUD_ACCESS_TOKEN: accessToken, WHATSAPP_CLOUD_APP_SECRET: appSecret, WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken } = config;
  if (!phoneNumberId || !accessToken || !appSecret || !verifyToken) return undefined;
  return {
    graph: { apiRoot: config.WHATSAPP_CLOUD_API_ROOT, phoneNumberId, accessToken },
    appSecret,
    verifyToken,
    template: { name: config.WHATSAPP_CLOUD_TEMPLATE_NOTICE, languages: { sw: config.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_SW, en: config.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN } },
    messagesPerSecond: config.WHATSAPP_CLOUD_MESSAGES_PER_SECOND,
  };
}

/** What the channel asks about a chat, answered from the database, each in a read of its own. */
export function chatLookupsOf(store: Store): { lastInboundAt: (chatId: string) => Promise<Date | undefined>; localeOf: (chatId: string) => Promise<Locale | undefined> } {
  return {
    lastInboundAt: (chatId) => store.read((tx) => lastInboundAt(tx, WHATSAPP_CLOUD, chatId)),
    localeOf: (chatId) => store.read((tx) => localeOfChat(tx, WHATSAPP_CLOUD, chatId)),
  };
}
