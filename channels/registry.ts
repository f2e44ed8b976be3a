import type { ChannelPlugin } from './channel.ts';
import { sms } from './sms/plugin.ts';
import { staff } from './staff/plugin.ts';
import { telegram } from './telegram/plugin.ts';
import { ussd } from './ussd/plugin.ts';
import { webchat } from './webchat/plugin.ts';
import { whatsappCloud } from './whatsapp-cloud/plugin.ts';
import { whatsapp } from './whatsapp/plugin.ts';

/**
 * Every channel Huduma has. A new channel is its folder, with a plugin.ts
 * exporting a ChannelPlugin, and one line here. Each decides from the
 * settings whether it is on.
 */
export const CHANNELS: readonly ChannelPlugin[] = [webchat, staff, sms, ussd, telegram, whatsapp, whatsappCloud];
