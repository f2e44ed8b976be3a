import type { Logger } from 'pino';
import type { InboundMessage, OutboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { DeliveryLog } from './delivery.ts';
import { REENGAGEMENT } from './errors.ts';
import { postMessage, type GraphSettings, type PostOutcome } from './graph.ts';
import { contentsOf, inboundOf, WHATSAPP_CLOUD, type CloudStatus, type WebhookPayload } from './payload.ts';
import { renderMessage, renderTemplate, type GraphMessage } from './render.ts';
import { ClosedWindows, insideWindow } from './window.ts';

export { WHATSAPP_CLOUD } from './payload.ts';

export interface NoticeTemplate {
  /** The approved template's name (WHATSAPP_CLOUD_TEMPLATE_NOTICE); its body has one parameter, the notice. */
  readonly name: string;
  /** Its language code per Huduma locale (WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_SW / _EN). */
  readonly languages: Readonly<Record<Locale, string>>;
}

export interface WhatsAppCloudOptions {
  readonly graph: GraphSettings;
  readonly deliver: (message: InboundMessage) => TurnOutcome | Promise<TurnOutcome>;
  readonly clock: Clock;
  readonly log: Logger;
  /** When the person in a chat last wrote (db/queries/whatsapp-cloud.ts lastInboundAt): the 24-hour window runs from it. */
  readonly lastInboundAt: (chatId: string) => Promise<Date | undefined>;
  /** The language Huduma answers the chat in; undefined before the person's first message. */
  readonly localeOf: (chatId: string) => Promise<Locale | undefined>;
  readonly defaultLocale?: Locale;
  readonly template: NoticeTemplate;
  readonly deliveries: DeliveryLog;
  /** Overall sending pace (WHATSAPP_CLOUD_MESSAGES_PER_SECOND). */
  readonly messagesPerSecond?: number;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * WhatsApp through Meta's Cloud API: webhook posts in (see webhook.ts), sends
 * out through the outbox worker to the Graph API. Inside the 24-hour window a
 * reply goes as text or buttons; outside it, as the approved notice template.
 * Logs carry Meta's message ids, never a number or what was written.
 */
export class WhatsAppCloudChannel implements OutboundChannel {
  readonly id = WHATSAPP_CLOUD;
  readonly limits: OutboundChannel['limits'];
  private readonly log: Logger;
  private readonly closed = new ClosedWindows();

  constructor(private readonly options: WhatsAppCloudOptions) {
    this.limits = { perChatPerSecond: 1, overallPerSecond: options.messagesPerSecond ?? 20 };
    this.log = options.log.child({ channel: WHATSAPP_CLOUD });
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    const now = this.options.clock.now();
    // Both read before anything is posted: no transaction is open while Meta is called.
    const [lastInbound, known] = await Promise.all([this.options.lastInboundAt(chatId), this.options.localeOf(chatId)]);
    const locale = known ?? this.options.defaultLocale ?? 'sw';
    const t = translator(locale);
    const template = () => renderTemplate(chatId, message, { name: this.options.template.name, language: this.options.template.languages[locale] }, t);
    this.closed.prune(now);
    if (!insideWindow(lastInbound, now, this.closed.since(chatId))) return this.settle(chatId, await this.post(template()));
    const first = await this.post(renderMessage(chatId, message, t));
    if (first.status !== 'window_closed') return this.settle(chatId, first);
    // Meta counts the window from its own clock: when it says closed, the same notice goes as the template at once.
    this.closed.close(chatId, now);
    this.log.info({ reason: first.reason }, 'whatsapp cloud: outside the 24-hour window; sending the notice template instead');
    return this.settle(chatId, await this.post(template()));
  }

  private post(body: GraphMessage): Promise<PostOutcome> {
    return postMessage(this.options.graph, body);
  }

  private async settle(chatId: string, outcome: PostOutcome): Promise<SendResult> {
    if (outcome.status === 'window_closed') return { status: 'failed', reason: `the notice template was refused as outside the window: ${outcome.reason}` };
    if (outcome.status !== 'sent') return outcome;
    const wamid = outcome.wamid;
    // Sent is sent: failing to keep the id must not make the outbox send it twice.
    if (wamid) await this.guard(() => this.options.deliveries.remember(wamid, chatId), 'remembering a sent message');
    this.log.debug({ wamid }, 'whatsapp cloud message sent');
    // The outbox keeps the id on the row, so status webhooks find it.
    return wamid ? { status: 'sent', providerId: wamid } : { status: 'sent' };
  }

  /**
   * One verified webhook post: statuses recorded, then each message handed to
   * the engine. All messages are handed over together (group commit takes
   * them in order, in one transaction); resolves once every turn is committed.
   */
  async handleWebhook(payload: WebhookPayload): Promise<void> {
    const { messages, statuses, skipped } = contentsOf(payload, this.options.graph.phoneNumberId);
    if (skipped > 0) this.log.warn({ skipped }, 'whatsapp cloud: messages or statuses in a webhook were not understood and are skipped');
    for (const s of statuses) await this.recordStatus(s);
    const now = this.options.clock.now();
    await Promise.all(
      messages.map(async (m) => {
        const inbound = inboundOf(m, now);
        if (!inbound) return this.log.debug({ wamid: m.id, type: m.type }, 'whatsapp cloud message ignored: nothing to answer');
        const outcome = await this.options.deliver(inbound);
        this.log.debug({ wamid: m.id, type: m.type, status: outcome.status }, 'whatsapp cloud message handled');
      }),
    );
  }

  private async recordStatus(s: CloudStatus): Promise<void> {
    const first = s.errors?.[0];
    const error = first ? { code: first.code, title: first.title ?? first.message ?? 'no title' } : undefined;
    // Not guarded: if it cannot be kept, the webhook fails and Meta posts the status again.
    await this.options.deliveries.record(s.id, s.status, error);
    if (s.status !== 'failed') return;
    // A free-form message Meta refused as outside the window: later ones to this chat go as the template.
    if (error?.code === REENGAGEMENT) this.closed.close(s.recipient_id, this.options.clock.now());
    this.log.warn({ wamid: s.id, code: error?.code, title: error?.title }, 'whatsapp cloud message not delivered');
  }

  /** Runs a bookkeeping step whose failure must not fail a send or a webhook. */
  private async guard(step: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await step();
    } catch (e) {
      this.log.error({ err: errorText(e) }, `whatsapp cloud: ${what} failed`);
    }
  }
}
