import type { SendResult } from '../../bot/outbox/channel.ts';

/** What a Boom error (the kind Baileys throws) carries; checked by shape, as Baileys' copy of @hapi/boom is its own. */
interface BoomLike {
  readonly isBoom: true;
  readonly message: string;
  readonly output: { readonly statusCode: number };
  readonly data?: unknown;
}

export function isBoom(error: unknown): error is BoomLike {
  return typeof error === 'object' && error !== null && (error as { isBoom?: unknown }).isBoom === true && typeof (error as { output?: { statusCode?: unknown } }).output?.statusCode === 'number';
}

/** The status code of a Boom error; undefined for any other error (or none). */
export function statusOf(error: unknown): number | undefined {
  return isBoom(error) ? error.output.statusCode : undefined;
}

/** WhatsApp asks senders that go too fast to slow down; a minute is the least it deserves. */
const RATE_LIMIT_WAIT_MS = 60_000;

/**
 * The code WhatsApp put in an error reply: Baileys' assertNodeErrorFree keeps it
 * in `data` (the Boom itself then says 500), connection errors in the status code.
 */
function codeOf(error: BoomLike): number {
  return typeof error.data === 'number' && Number.isInteger(error.data) ? error.data : error.output.statusCode;
}

/** A chat id that WhatsApp cannot deliver to one person: a group, a broadcast, or not a JID at all. */
export function notAPersonChat(chatId: string): boolean {
  return !/^[^@\s]+@(s\.whatsapp\.net|lid)$/.test(chatId);
}

/** Baileys' errors, translated once, here: what the outbox should do about them. */
export function sendResultOf(error: unknown): SendResult {
  if (!isBoom(error)) return { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
  const code = codeOf(error);
  const reason = `${code} ${error.message}`;
  if (code === 429) return { status: 'retry', reason, afterMs: RATE_LIMIT_WAIT_MS };
  // 400 bad request, 404 no such user (not on WhatsApp), 406 not acceptable, 403 forbidden: trying again cannot help.
  if (code === 400 || code === 403 || code === 404 || code === 406) return { status: 'failed', reason };
  // Connection closed (428) or lost (408), replaced (440), logged out (401, until linked again), 5xx: worth another try.
  return { status: 'retry', reason };
}
