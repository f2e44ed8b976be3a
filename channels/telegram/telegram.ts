import { Bot, InlineKeyboard, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Attachment, InboundMessage, OutboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { sendResultOf } from './errors.ts';
import { StaffGroup, type StaffGroupOptions } from './staff-group.ts';

export const TELEGRAM = 'telegram';

/** Telegram's commands, as the words the engine understands. */
const COMMANDS: Readonly<Record<string, string>> = { start: 'habari', msaada: 'msaada', help: 'help', lugha: 'lugha', language: 'language' };

export interface TelegramOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly deliver: (message: InboundMessage) => TurnOutcome | Promise<TurnOutcome>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The staff group (TELEGRAM_STAFF_CHAT_ID), when one is set. */
  readonly staff?: StaffGroupOptions;
}

/** An option list as an inline keyboard: one button a row; pressing one sends its number back. */
export function keyboardOf(message: OutboundMessage): InlineKeyboard | undefined {
  if (!message.options || message.options.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  message.options.forEach((o, i) => {
    if (i > 0) keyboard.row();
    keyboard.text(`${i + 1}. ${o.label}`, String(i + 1));
  });
  return keyboard;
}

/** Photos (the largest size), documents, voice notes and locations, as the engine keeps them. */
function attachmentsOf(ctx: Context): Attachment[] {
  const m = ctx.message;
  if (!m) return [];
  const caption = m.caption ? { caption: m.caption } : {};
  const largest = m.photo?.at(-1);
  if (largest) return [{ kind: 'photo', fileId: largest.file_id, ...caption }];
  if (m.document) return [{ kind: 'document', fileId: m.document.file_id, ...caption }];
  if (m.voice) return [{ kind: 'voice', fileId: m.voice.file_id }];
  if (m.location) return [{ kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude }];
  return [];
}

/** The text an update carries for the engine: a message, a caption, or a pressed button's data. */
function textOf(ctx: Context): string | undefined {
  const text = ctx.message?.text ?? ctx.message?.caption ?? ctx.callbackQuery?.data;
  if (text === undefined) return undefined;
  const command = /^\/([a-z_]+)(?:@\w+)?$/i.exec(text.trim());
  return command ? (COMMANDS[command[1]?.toLowerCase() ?? ''] ?? text) : text;
}

/**
 * Telegram through grammY: updates in (long polling here; webhook mode uses
 * the same `handleUpdate`), sends out through the outbox worker.
 */
export class TelegramChannel implements OutboundChannel {
  readonly id = TELEGRAM;
  // Telegram's published limits, with a margin: ~30/s overall, 1/s per chat, 20/min per group.
  readonly limits = { perChatPerSecond: 1, overallPerSecond: 25, perGroupPerMinute: 20 };
  isGroup(chatId: string): boolean {
    return chatId.startsWith('-');
  }
  readonly bot: Bot;
  private readonly staff: StaffGroup | undefined;

  constructor(private readonly options: TelegramOptions) {
    this.bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
    this.staff = options.staff ? new StaffGroup(options.staff, options.log) : undefined;
    this.bot.on(['message:text', 'callback_query:data', 'message:photo', 'message:document', 'message:voice', 'message:location'], async (ctx) => {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      const chat = ctx.chat;
      if (chat && this.staff?.isStaffChat(chat.id)) return this.staff.handle(ctx);
      const attachments = attachmentsOf(ctx);
      const text = textOf(ctx) ?? '';
      // Only private chats are conversations with a citizen; groups are for staff (a later issue).
      if (chat?.type !== 'private' || !ctx.from || (text === '' && attachments.length === 0)) return;
      const outcome = await options.deliver({
        channel: TELEGRAM,
        chatId: String(chat.id),
        senderId: String(ctx.from.id),
        channelMessageId: `update:${ctx.update.update_id}`,
        text,
        attachments,
        receivedAt: options.clock.now(),
      });
      options.log.debug({ update: ctx.update.update_id, status: outcome.status }, 'telegram update handled');
    });
  }

  /** Long polling; resolves when polling has started. */
  async start(): Promise<void> {
    await this.bot.init();
    void this.bot.start({ drop_pending_updates: false, allowed_updates: ['message', 'callback_query'] }).catch((e: unknown) => {
      this.options.log.error({ err: e instanceof Error ? e.message : String(e) }, 'telegram polling stopped');
    });
    this.options.log.info({ username: this.bot.botInfo.username }, 'telegram long polling started');
  }

  /** Webhook mode: Telegram posts updates to `url` with the secret; no polling. */
  async useWebhook(url: string, secret: string): Promise<void> {
    await this.bot.init();
    await this.bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
    this.options.log.info({ username: this.bot.botInfo.username }, 'telegram webhook set');
  }

  async stop(): Promise<void> {
    if (this.bot.isRunning()) await this.bot.stop();
  }

  async handleUpdate(update: Update): Promise<void> {
    // Without polling, grammY needs the bot's identity before its first update.
    if (!this.bot.isInited()) await this.bot.init();
    await this.bot.handleUpdate(update);
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    try {
      const keyboard = keyboardOf(message);
      const thread = this.staff?.isStaffChat(chatId) ? await this.staff.threadFor(this.bot.api, message.thread) : undefined;
      await this.bot.api.sendMessage(chatId, message.text, { ...(keyboard ? { reply_markup: keyboard } : {}), ...(thread !== undefined ? { message_thread_id: thread } : {}) });
      return { status: 'sent' };
    } catch (e) {
      return sendResultOf(e);
    }
  }
}
