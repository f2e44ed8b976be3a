import type { Bot } from 'grammy';
import type { Logger } from 'pino';
import { backoffMs } from '../../bot/backoff.ts';
import { describe, forApi, pause, refusedByTelegram, type ApiSignal, type Tried } from './bot-api.ts';
import { ALLOWED_UPDATES, type TelegramTiming } from './timing.ts';

export interface ReachOptions {
  readonly bot: Bot;
  readonly token: string;
  readonly apiRoot: string;
  readonly timing: TelegramTiming;
  readonly log: Logger;
}

/**
 * Reaching Telegram before updates flow: the bot's identity (getMe), no
 * webhook before polling (deleteWebhook), the webhook's address (setWebhook).
 * Each is tried in rounds of a few bounded tries, so none waits on Telegram
 * without end; a failed round is logged at error level with what happens
 * next, and a call Telegram refuses (a wrong token or address) is not tried
 * again, since only an operator can fix it.
 */
export class TelegramReach {
  /** Whether the bot's identity is Telegram's own answer to getMe, not the stand-in made from the token. */
  identified = false;

  constructor(private readonly options: ReachOptions) {}

  /** Before polling: the bot's identity, and no webhook (Telegram refuses getUpdates while one is set). Rounds until done; false when refused or stopped. */
  async forPolling(signal: AbortSignal): Promise<boolean> {
    const later = `polling starts when Telegram answers; trying again in ${this.options.timing.againAfterMs / 1000} s`;
    while (!signal.aborted) {
      const identity = await this.identify(signal, later);
      if (identity === 'refused') return false;
      if (identity === 'ok') {
        const cleared = await this.tries((s) => this.options.bot.api.deleteWebhook({ drop_pending_updates: false }, s), signal);
        if (cleared.ok) return true;
        if (signal.aborted) return false;
        this.logFailure('deleteWebhook', cleared, cleared.refused ? 'polling is not started; restart Huduma once it is fixed' : later);
        if (cleared.refused) return false;
      }
      await pause(this.options.timing.againAfterMs, signal);
    }
    return false;
  }

  /** Webhook mode: setWebhook, in rounds until Telegram has it. Meanwhile Telegram keeps posting to the address it was given before, if any. */
  async register(url: string, secret: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const set = await this.tries((s) => this.options.bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, s), signal);
      if (set.ok) {
        this.options.log.info({ url }, 'telegram webhook set');
        return;
      }
      if (signal.aborted) return;
      this.logFailure(
        'setWebhook',
        set,
        set.refused
          ? 'check TELEGRAM_WEBHOOK_URL (a public https address) and TELEGRAM_BOT_TOKEN, then restart Huduma'
          : `Telegram keeps posting to the address it was given before, if any; trying again in ${this.options.timing.againAfterMs / 1000} s`,
      );
      if (set.refused) return;
      await pause(this.options.timing.againAfterMs, signal);
    }
  }

  /** getMe, in one round of bounded tries; once Telegram has answered it is never asked again. */
  async identify(signal: AbortSignal, then: string): Promise<'ok' | 'refused' | 'unreachable'> {
    if (this.identified) return 'ok';
    const me = await this.tries((s) => this.options.bot.api.getMe(s), signal);
    if (me.ok) {
      this.options.bot.botInfo = me.value;
      this.identified = true;
      this.options.log.info({ username: me.value.username }, 'telegram bot identified');
      return 'ok';
    }
    if (signal.aborted) return 'unreachable';
    this.logFailure('getMe', me, me.refused ? 'set TELEGRAM_BOT_TOKEN to the token @BotFather gave and restart Huduma' : then);
    return me.refused ? 'refused' : 'unreachable';
  }

  /** A call to Telegram, tried `attempts` times, each for at most `callTimeoutMs`, with growing pauses between: it ends, whatever Telegram does. */
  private async tries<T>(call: (signal: ApiSignal) => Promise<T>, signal: AbortSignal): Promise<Tried<T>> {
    let error: unknown;
    for (let i = 0; i < this.options.timing.attempts; i++) {
      if (i > 0 && !(await pause(backoffMs(i, { baseMs: this.options.timing.backoffMs, maxMs: Number.POSITIVE_INFINITY }), signal))) break;
      const timeout = AbortSignal.timeout(this.options.timing.callTimeoutMs);
      try {
        return { ok: true, value: await call(forApi(AbortSignal.any([signal, timeout]))) };
      } catch (e) {
        // grammY reports an aborted call as "the user aborted a request": say what happened instead.
        error = timeout.aborted && !signal.aborted ? new Error(`no answer within ${this.options.timing.callTimeoutMs / 1000} s`) : e;
        if (refusedByTelegram(e)) return { ok: false, refused: true, error: e };
        if (signal.aborted) break;
      }
    }
    return { ok: false, refused: false, error };
  }

  private logFailure(call: string, failure: { readonly refused: boolean; readonly error: unknown }, then: string): void {
    const what = failure.refused
      ? `Telegram refused ${call}`
      : `could not reach the Telegram Bot API (${this.options.apiRoot}) for ${call} after ${this.options.timing.attempts} tries of up to ${this.options.timing.callTimeoutMs / 1000} s`;
    this.options.log.error({ call, error: describe(failure.error, this.options.token) }, `${what}: ${then}`);
  }
}
