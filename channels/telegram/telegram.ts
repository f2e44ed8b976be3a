import { Bot, BotError, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { backoffMs } from '../../bot/backoff.ts';
import type { InboundMessage, OutboundMessage, TurnOutcome } from '../../bot/engine/types.ts';
import type { OutboundChannel, SendResult } from '../../bot/outbox/channel.ts';
import type { Clock } from '../../bot/sla/clock.ts';
import { sendResultOf } from './errors.ts';
import { StaffGroup, type StaffGroupOptions } from './staff-group.ts';
import { attachmentsOf, describe, forApi, keyboardOf, mentionsOf, pause, provisionalIdentity, retryable, textOf } from './bot-api.ts';
import { TelegramReach } from './reach.ts';
import { ALLOWED_UPDATES, POLL_SECONDS, TELEGRAM_TIMING, type TelegramTiming } from './timing.ts';
export { keyboardOf, provisionalIdentity } from './bot-api.ts';
export { TELEGRAM_TIMING, type TelegramTiming } from './timing.ts';

export const TELEGRAM = 'telegram';

export interface TelegramOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly deliver: (message: InboundMessage) => TurnOutcome | Promise<TurnOutcome>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The staff group (TELEGRAM_STAFF_CHAT_ID), when one is set. */
  readonly staff?: StaffGroupOptions;
  /** How Telegram is tried when it does not answer (tests shorten it). */
  readonly timing?: Partial<TelegramTiming>;
}

/**
 * Telegram through grammY: updates in (long polling, or the webhook through
 * `handleUpdate`), sends out through the outbox worker.
 *
 * When Telegram's Bot API does not answer (the network is down, or it accepts
 * connections and never replies), nothing waits on it without end:
 * - handling an update never calls it (the identity comes from the token until
 *   getMe answers, fetched in the background), so a webhook post is answered
 *   as soon as its turn is committed and the replies wait in the outbox;
 * - start-up does not wait on it either. An operator wants the rest of Huduma
 *   (web chat, USSD, the outbox, the SLA watch) up whatever Telegram's state,
 *   and Telegram back by itself, without a restart, when the network is: so
 *   `start` and `useWebhook` return at once, and the leader's polling job (or,
 *   in webhook mode, every instance) tries Telegram in rounds of a few bounded
 *   tries, logging each failed round at error level with what happens next,
 *   until it answers. Meanwhile Telegram keeps the updates (24 hours).
 *   A token Telegram refuses is logged and not tried again: only a new token
 *   (and a restart) can fix it.
 *
 * A turn the database could not take is tried again, never skipped: polling
 * does not move past the update until it is committed; the webhook answers 503
 * and Telegram sends it again. Any other failure is a defect: logged, dropped,
 * and the updates after it go on.
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
  private readonly timing: TelegramTiming;
  private readonly log: Logger;
  private readonly reach: TelegramReach;
  /** A background round of getMe is under way (webhook mode). */
  private identifying = false;
  /** Long polling, while it runs: how to stop it, and its end. */
  private polling: { readonly stop: AbortController; readonly done: Promise<void> } | undefined;
  /** What runs in the background besides polling (webhook registration, getMe), stopped by `stop`. */
  private background = new AbortController();
  private readonly tasks = new Set<Promise<void>>();

  constructor(private readonly options: TelegramOptions) {
    this.timing = { ...TELEGRAM_TIMING, ...options.timing };
    this.log = options.log;
    // grammY's own time limit for a call is 500 s; a long poll takes up to POLL_SECONDS, anything else far less.
    this.bot = new Bot(options.token, { botInfo: provisionalIdentity(options.token), client: { apiRoot: options.apiRoot, timeoutSeconds: POLL_SECONDS + 15 } });
    this.staff = options.staff ? new StaffGroup(options.staff, options.log) : undefined;
    this.reach = new TelegramReach({ bot: this.bot, token: options.token, apiRoot: options.apiRoot, timing: this.timing, log: options.log });
    this.bot.on(['message:text', 'callback_query:data', 'message:photo', 'message:document', 'message:voice', 'message:location'], async (ctx) => {
      // Not awaited: stopping the button's spinner must not hold the turn (or the webhook's answer) while Telegram is slow.
      if (ctx.callbackQuery) void ctx.answerCallbackQuery().catch(() => undefined);
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
      this.log.debug({ update: ctx.update.update_id, status: outcome.status }, 'telegram update handled');
    });
    // grammY calls this only from its own polling loop (bot.start), whose default handler stops polling on the first
    // failed update. Huduma polls in poll() and sorts failures in handle(); should grammY's loop ever run, it goes on too.
    this.bot.catch((e) => this.log.error({ update: e.ctx.update.update_id, error: this.describe(e.error) }, 'a Telegram update failed; polling goes on'));
  }

  /** Long polling, by the leader: returns at once; reaching Telegram, then polling, go on in the background until `stop`. */
  async start(): Promise<void> {
    if (this.polling) return;
    const stop = new AbortController();
    const done = this.poll(stop.signal).catch((e: unknown) => this.log.error({ error: this.describe(e) }, 'telegram polling stopped'));
    this.polling = { stop, done };
  }

  /** Webhook mode: Telegram is told the address (and the secret) in the background, until it has heard it. */
  async useWebhook(url: string, secret: string): Promise<void> {
    this.inBackground((signal) => this.reach.register(url, secret, signal));
    this.learnIdentity();
  }

  /** Stops polling (the update in hand is finished first) and the background tries; resolves when they have ended. */
  async stop(): Promise<void> {
    const polling = this.polling;
    this.polling = undefined;
    polling?.stop.abort();
    this.background.abort();
    this.background = new AbortController();
    await Promise.all([polling?.done, ...this.tasks]);
  }

  /**
   * One update from the webhook (or a test): resolves once its turn is
   * committed, or once a defect in it is logged; rejects with the database's
   * error when it should come again (the webhook answers 503, and Telegram
   * re-sends). Never waits on Telegram's API.
   */
  async handleUpdate(update: Update): Promise<void> {
    this.learnIdentity();
    const failed = await this.handle(update);
    if (failed) throw failed.error;
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    try {
      const keyboard = keyboardOf(message);
      const thread = this.staff?.isStaffChat(chatId) ? await this.staff.threadFor(this.bot.api, message.thread) : undefined;
      const entities = mentionsOf(message);
      await this.bot.api.sendMessage(chatId, message.text, {
        ...(keyboard ? { reply_markup: keyboard } : {}),
        ...(thread !== undefined ? { message_thread_id: thread } : {}),
        ...(entities.length > 0 ? { entities } : {}),
      });
      return { status: 'sent' };
    } catch (e) {
      return sendResultOf(e);
    }
  }

  /** Runs an update through grammY: undefined when it is done with (committed, or dropped as a defect), the error when the database could not take it. */
  private async handle(update: Update): Promise<{ readonly error: unknown } | undefined> {
    try {
      await this.bot.handleUpdate(update);
      return undefined;
    } catch (e) {
      const error = e instanceof BotError ? e.error : e;
      if (retryable(error)) return { error };
      this.log.error({ update: update.update_id, error: this.describe(error) }, 'a Telegram update failed (a defect, not the database): it is dropped, not tried again; the next updates go on');
      return undefined;
    }
  }

  /**
   * One polled update, tried again while the database cannot take it, with
   * pauses growing up to `turnRetryMaxMs`. Polling does not move past it
   * meanwhile: Telegram would not send it again. False when stopped before it
   * was committed: its offset is not confirmed, so the next poller gets it.
   */
  private async take(update: Update, signal: AbortSignal): Promise<boolean> {
    let waited = 0;
    for (let tries = 1; ; tries++) {
      const failed = await this.handle(update);
      if (!failed) {
        if (tries > 1) this.log.info({ update: update.update_id, tries }, 'the database took the Telegram update it had refused');
        return true;
      }
      const ms = backoffMs(tries, { baseMs: this.timing.turnRetryMs, maxMs: this.timing.turnRetryMaxMs });
      // Warn at each try; once the wait passes a minute, say at error level that Telegram's messages are held up.
      const level = waited < 60_000 && waited + ms >= 60_000 ? 'error' : 'warn';
      this.log[level](
        { update: update.update_id, tries, retryInMs: ms, error: this.describe(failed.error) },
        'the database could not take a Telegram update; it will be tried again, and the updates after it wait',
      );
      waited += ms;
      if (!(await pause(ms, signal))) return false;
    }
  }

  /** The leader's long polling: reach Telegram, then fetch and take updates one by one, until `signal` aborts. */
  private async poll(signal: AbortSignal): Promise<void> {
    if (!(await this.reach.forPolling(signal))) return;
    this.log.info({ username: this.bot.botInfo.username }, 'telegram long polling started');
    /** The first update not yet taken: Telegram forgets the ones before it at the next getUpdates. */
    let offset: number | undefined;
    let confirmed: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.bot.api.getUpdates({ offset, timeout: POLL_SECONDS, allowed_updates: [...ALLOWED_UPDATES] }, forApi(signal));
        confirmed = offset;
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof GrammyError && e.error_code === 401) {
          this.log.error({ error: this.describe(e) }, 'Telegram refused the bot token (401): polling stopped; set TELEGRAM_BOT_TOKEN to the token @BotFather gave and restart Huduma');
          return;
        }
        failures++;
        const ms = backoffMs(failures, { baseMs: this.timing.backoffMs, maxMs: this.timing.againAfterMs });
        // Said once a streak: Telegram keeps the updates, and they are taken when it answers again.
        if (failures === 1) this.log.warn({ error: this.describe(e) }, `could not fetch Telegram updates; trying again with growing pauses, up to ${this.timing.againAfterMs / 1000} s`);
        await pause(ms, signal);
        continue;
      }
      if (failures > 0) this.log.info({ failures }, 'telegram updates fetched again');
      failures = 0;
      for (const update of updates) {
        // Stopping: the rest of the batch stays at Telegram (not confirmed) for the next poller.
        if (signal.aborted || !(await this.take(update, signal))) break;
        offset = update.update_id + 1;
      }
    }
    // Tell Telegram which updates were taken, so the next poller does not get them again (it would only get their first answers back).
    if (offset !== confirmed) await this.bot.api.getUpdates({ offset, limit: 1, timeout: 0 }, forApi(AbortSignal.timeout(this.timing.confirmTimeoutMs))).catch(() => undefined);
  }

  /** Webhook mode: the real identity, in the background; a round that failed is tried again at the next update. */
  private learnIdentity(): void {
    if (this.reach.identified || this.identifying) return;
    this.identifying = true;
    this.inBackground(async (signal) => {
      try {
        await this.reach.identify(signal, 'updates are handled meanwhile; tried again at the next update');
      } finally {
        this.identifying = false;
      }
    });
  }

  private describe(error: unknown): Record<string, string> {
    return describe(error, this.options.token);
  }

  private inBackground(task: (signal: AbortSignal) => Promise<void>): void {
    const run: Promise<void> = task(this.background.signal)
      .catch((e: unknown) => this.log.error({ error: this.describe(e) }, 'telegram background task failed'))
      .finally(() => this.tasks.delete(run));
    this.tasks.add(run);
  }
}
