import type { SendResult } from '../../bot/outbox/channel.ts';

/** Africa's Talking's per-recipient status codes (SMSMessageData.Recipients[].statusCode). */
const SENT = new Set([100, 101, 102]); // Processed, Sent, Queued
/** Invalid sender id or number, unsupported number type, blacklisted, no route, do-not-disturb: the same message will fail again. */
const PERMANENT = new Set([402, 403, 404, 406, 407, 409]);
/** 405 InsufficientBalance: the institution's account ran dry; it is topped up in hours, and notices must not be lost meanwhile. */
const NO_BALANCE = 405;
const NO_BALANCE_WAIT_MS = 15 * 60_000;

/** What one recipient's status means for the outbox. */
export function recipientResult(statusCode: number, status: string): SendResult {
  const reason = `${statusCode} ${status}`;
  if (SENT.has(statusCode)) return { status: 'sent' };
  if (PERMANENT.has(statusCode)) return { status: 'failed', reason };
  if (statusCode === NO_BALANCE) return { status: 'retry', reason, afterMs: NO_BALANCE_WAIT_MS };
  // 401 RiskHold, 500 InternalServerError, 501 GatewayError, 502 RejectedByGateway, and codes added later: try again, with backoff.
  return { status: 'retry', reason };
}

/** What an HTTP answer other than 2xx means: the gateway refused the call itself, not one recipient. */
export function httpResult(status: number, body: string, retryAfter: string | null): SendResult {
  const reason = `HTTP ${status} ${body.trim().slice(0, 200)}`.trim();
  if (status === 429) {
    const seconds = Number(retryAfter);
    return Number.isFinite(seconds) && seconds > 0 ? { status: 'retry', reason, afterMs: seconds * 1000 } : { status: 'retry', reason };
  }
  // 401: a wrong or rotated API key, which an operator fixes; the messages wait for it with backoff.
  if (status === 401 || status >= 500) return { status: 'retry', reason };
  return { status: 'failed', reason };
}

/** A call that never got an answer (refused, reset, timed out). */
export function networkResult(error: unknown): SendResult {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return { status: 'retry', reason: `network: ${cause}` };
}
