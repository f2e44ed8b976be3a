import { z } from 'zod';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import type { OutboundMessage } from '../../bot/engine/types.ts';
import { SMS_CHANNEL } from '../../bot/ussd/file.ts';
import { localeOfChat } from '../../db/queries/whatsapp.ts';
import type { Store } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { httpResult, networkResult, recipientResult } from './errors.ts';
import { toGsm7 } from './gsm7.ts';

export const SMS = SMS_CHANNEL;
export const DEFAULT_SMS_API_ROOT = 'https://api.africastalking.com/version1';

export interface SmsChannelOptions {
  /** SMS_API_ROOT: Africa's Talking's, its sandbox's (https://api.sandbox.africastalking.com/version1) or a test stub's. */
  readonly apiRoot: string;
  readonly username: string;
  readonly apiKey: string;
  /** An approved sender id or short code; the account's default when missing. */
  readonly senderId?: string;
  /** To write choices in the person's language; without it, in `defaultLocale`. */
  readonly store?: Store;
  readonly defaultLocale?: Locale;
  readonly timeoutMs?: number;
  readonly limits?: OutboundChannel['limits'];
}

// Only what the outbox needs of the answer; the rest (cost, message id) is the gateway's.
const answer = z.object({
  SMSMessageData: z.object({
    Message: z.string().optional(),
    Recipients: z.array(z.object({ statusCode: z.number(), status: z.string(), number: z.string().optional() })),
  }),
});

/** A reply as an SMS: choices as a numbered list and a line asking for the number, as on WhatsApp. */
export function renderSms(message: OutboundMessage, t: (key: string) => string): string {
  const options = message.options ?? [];
  const text = options.length === 0 ? message.text : `${message.text}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}\n${t('sms.reply_with_number')}`;
  return toGsm7(text);
}

/** Sends through Africa's Talking's messaging API: one POST a message, its statuses translated once, in errors.ts. */
export class SmsChannel implements OutboundChannel {
  readonly id = SMS;
  readonly limits: OutboundChannel['limits'];

  constructor(private readonly options: SmsChannelOptions) {
    // No per-chat limit is published; one a second to a phone keeps parts of a reply in order, 10 overall is well inside the API's.
    this.limits = options.limits ?? { perChatPerSecond: 1, overallPerSecond: 10 };
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    const body = new URLSearchParams({ username: this.options.username, to: chatId, message: renderSms(message, await this.translatorFor(chatId)) });
    if (this.options.senderId) body.set('from', this.options.senderId);
    let response: Response;
    try {
      response = await fetch(`${this.options.apiRoot.replace(/\/+$/, '')}/messaging`, {
        method: 'POST',
        headers: { apiKey: this.options.apiKey, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      return networkResult(e);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) return httpResult(response.status, text, response.headers.get('retry-after'));
    return this.resultOf(chatId, text);
  }

  private resultOf(chatId: string, text: string): SendResult {
    let parsed: z.infer<typeof answer>;
    try {
      parsed = answer.parse(JSON.parse(text));
    } catch {
      // A 2xx we cannot read may still have sent the message: retrying risks a duplicate, but dropping it risks losing a notice.
      return { status: 'retry', reason: `unreadable answer from the SMS gateway: ${text.slice(0, 200)}` };
    }
    const { Recipients, Message } = parsed.SMSMessageData;
    const mine = Recipients.find((r) => r.number === chatId) ?? Recipients[0];
    // No recipient at all: the gateway refused the number before trying (its Message says why, e.g. "InvalidPhoneNumber").
    return mine ? recipientResult(mine.statusCode, mine.status) : { status: 'failed', reason: Message ?? 'the SMS gateway took no recipient' };
  }

  /** Read before the gateway is called, in a read of its own: no transaction is held open across the network. */
  private async translatorFor(chatId: string) {
    const { store, defaultLocale = 'sw' } = this.options;
    const known = await store?.read((tx) => localeOfChat(tx, SMS, chatId));
    return translator(known ?? defaultLocale);
  }
}
