import { type Api, BotError, GrammyError, HttpError, InlineKeyboard, type Context } from 'grammy';
import type { MessageEntity, UserFromGetMe } from 'grammy/types';
import type { Attachment, OutboundMessage } from '../../bot/engine/types.ts';
import { errorCode, isUnavailable } from '../../db/store.ts';

// What the Telegram channel reads from updates and makes of the Bot API's answers and failures:
// the pieces of telegram.ts that hold no state.

const COMMANDS: Readonly<Record<string, string>> = { start: 'habari', msaada: 'msaada', help: 'help', lugha: 'lugha', language: 'language' };

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

/**
 * Officers a staff alert names, as Telegram mentions of their linked users
 * (text_mention: no username needed): the group notifies them. Offsets are in
 * UTF-16 code units, as Telegram counts and JavaScript strings index; each name
 * is found last in the text, where the alert's "for whom" lines put it.
 */
export function mentionsOf(message: OutboundMessage): MessageEntity[] {
  return (message.mentions ?? []).flatMap((m) => {
    const offset = message.text.lastIndexOf(m.name);
    const id = Number(m.userId);
    if (offset < 0 || !Number.isSafeInteger(id)) return [];
    return [{ type: 'text_mention' as const, offset, length: m.name.length, user: { id, is_bot: false, first_name: m.name } }];
  });
}

/** Photos (the largest size), documents, voice notes and locations, as the engine keeps them. */
export function attachmentsOf(ctx: Context): Attachment[] {
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
export function textOf(ctx: Context): string | undefined {
  const text = ctx.message?.text ?? ctx.message?.caption ?? ctx.callbackQuery?.data;
  if (text === undefined) return undefined;
  const command = /^\/([a-z_]+)(?:@\w+)?$/i.exec(text.trim());
  return command ? (COMMANDS[command[1]?.toLowerCase() ?? ''] ?? text) : text;
}

/**
 * The bot's identity until Telegram tells the real one: the token starts with
 * the bot's numeric id (`123456:ABC…`). grammY needs an identity before it
 * handles an update; nothing of Huduma's reads more of it than the id.
 */
export function provisionalIdentity(token: string): UserFromGetMe {
  const id = Number(token.slice(0, token.indexOf(':')));
  return {
    id: Number.isSafeInteger(id) ? id : 0,
    is_bot: true,
    first_name: 'Huduma',
    username: '',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** Whether a turn failed for want of the database (busy, read-only, gone): it may be tried again. */
export const retryable = (error: unknown): boolean => isUnavailable(error);

/** Telegram said no (a wrong token, a refused webhook address): trying again cannot help. Too Many Requests and server errors can. */
export const refusedByTelegram = (error: unknown): boolean => error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;

/**
 * An error for the logs: the call that failed (grammY's network errors say
 * which), the driver's code, and the innermost message, with the bot's token
 * blotted out (a failed fetch names its address, token and all). Not the outer
 * messages: a failed query's names its parameters, a person's words and phone
 * number among them.
 */
export function describe(error: unknown, token: string): Record<string, string> {
  let innermost = error;
  for (let depth = 0; depth < 5; depth++) {
    const next: unknown = innermost instanceof BotError || innermost instanceof HttpError ? innermost.error : (innermost as { cause?: unknown } | null | undefined)?.cause;
    if (next === undefined || next === null) break;
    innermost = next;
  }
  const code = errorCode(error);
  const message = innermost instanceof Error ? `${innermost.name}: ${innermost.message}` : String(innermost);
  return {
    ...(error instanceof HttpError ? { call: error.message } : {}),
    ...(code !== undefined ? { code } : {}),
    message: message.split(token).join('<TELEGRAM_BOT_TOKEN>'),
  };
}

/** Waits `ms`, or less when `signal` aborts: true when the whole pause passed. Never keeps the process up by itself. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (whole: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      resolve(whole);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    timer.unref();
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** grammY types its signals as the abort-controller package's; Node's own are what it gets at run time, and work. */
export type ApiSignal = NonNullable<Parameters<Api['getMe']>[0]>;
export const forApi = (signal: AbortSignal): ApiSignal => signal as unknown as ApiSignal;

export type Tried<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refused: boolean; readonly error: unknown };
