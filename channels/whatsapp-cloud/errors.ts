import type { SendResult } from '../../bot/outbox/channel.ts';

/**
 * What one send came to: what the outbox should do, or that the person has
 * not written for 24 hours (131047), so the message must go as a template.
 */
export type GraphOutcome = SendResult | { readonly status: 'window_closed'; readonly reason: string };

/** The `error` object of a Graph API error answer. */
export interface GraphError {
  readonly code?: number;
  readonly error_subcode?: number;
  readonly message?: string;
  readonly type?: string;
}

/** Re-engagement: more than 24 hours since the person last wrote; only a template may be sent. */
export const REENGAGEMENT = 131047;

/** Throttling: the app (4), the account (80007, 130429), spam (131048), one recipient too often (131056). */
const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056]);
/** Meta's own trouble: unknown (1), temporarily unavailable (2), something went wrong (131000), service unavailable (131016, 133004). */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
/** The access token is expired or wrong (190): nothing can be sent until the operator sets a new one. */
const BAD_TOKEN = 190;

const RATE_LIMIT_WAIT_MS = 60_000;
/** Meta allows one message about every six seconds to one person before 131056. */
const PAIR_RATE_WAIT_MS = 10_000;
const BAD_TOKEN_WAIT_MS = 60_000;

/** Retry-After, in seconds, as milliseconds; undefined when absent or not a number. */
function retryAfterMs(header: string | null | undefined): number | undefined {
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Graph's error answers, translated once, here. The reason carries codes and Meta's words, never a number or text of ours. */
export function outcomeOfError(httpStatus: number, error: GraphError | undefined, retryAfter?: string | null): GraphOutcome {
  const code = error?.code;
  // Meta's messages often start with their own "(#code)": it is said once.
  const words = error?.message?.replace(/^\(#\d+\)\s*/, '') || 'no error message';
  const reason = `graph ${httpStatus}${code !== undefined ? ` (#${code})` : ''} ${words}`;
  if (code === REENGAGEMENT) return { status: 'window_closed', reason };
  if (httpStatus === 429 || (code !== undefined && RATE_LIMITED.has(code))) {
    return { status: 'retry', reason, afterMs: retryAfterMs(retryAfter) ?? (code === 131056 ? PAIR_RATE_WAIT_MS : RATE_LIMIT_WAIT_MS) };
  }
  if (httpStatus >= 500 || (code !== undefined && TRANSIENT.has(code))) return { status: 'retry', reason };
  // Deferred, not failed: every message would fail alike until the token is replaced, and none should be lost for it.
  if (httpStatus === 401 || code === BAD_TOKEN) return { status: 'deferred', reason, afterMs: BAD_TOKEN_WAIT_MS };
  // 131026 undeliverable, 131051 unsupported type, 131030 not an allowed test recipient, 132xxx template problems, 100 bad parameter: trying again cannot help.
  return { status: 'failed', reason };
}

/** No answer at all (refused, reset, timed out): worth another try. */
export function outcomeOfException(error: unknown): SendResult {
  const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
  return { status: 'retry', reason: `network: ${message}` };
}
