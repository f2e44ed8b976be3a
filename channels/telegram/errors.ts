import { GrammyError, HttpError } from 'grammy';
import type { SendResult } from '../../bot/outbox/channel.ts';

/** Telegram's errors, translated once, here: what the outbox should do about them. */
export function sendResultOf(error: unknown): SendResult {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) return { status: 'retry', reason, afterMs: (error.parameters.retry_after ?? 1) * 1000 };
    if (error.error_code >= 500) return { status: 'retry', reason };
    // 403: blocked by the user or kicked; 400: chat not found, bad request. Retrying cannot help.
    return { status: 'failed', reason };
  }
  if (error instanceof HttpError) return { status: 'retry', reason: `network: ${error.message}` };
  return { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
}
