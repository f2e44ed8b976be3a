// How hard, and for how long, Telegram and the database are tried when they do not answer.

/** The pauses and limits of Telegram's tries (TelegramOptions.timing overrides any of them). */
export interface TelegramTiming {
  /** Tries of one call at start (getMe, deleteWebhook, setWebhook) in a round. */
  readonly attempts: number;
  /** How long one such try may take. */
  readonly callTimeoutMs: number;
  /** The pause after a failed try, doubled after each (and after each failed getUpdates, up to `againAfterMs`). */
  readonly backoffMs: number;
  /** After a round in which every try failed: the pause before the next round. */
  readonly againAfterMs: number;
  /** A polled update the database could not take: the first pause before it is tried again, doubled each time… */
  readonly turnRetryMs: number;
  /** …up to this. */
  readonly turnRetryMaxMs: number;
  /** Stopping: how long telling Telegram which updates were taken may take. */
  readonly confirmTimeoutMs: number;
}

/**
 * A round of tries ends in at most about 18 s (3 × 5 s plus 1 s and 2 s of
 * pauses); a polled update waits at most 30 s between tries of the database.
 */
export const TELEGRAM_TIMING: TelegramTiming = Object.freeze({
  attempts: 3,
  callTimeoutMs: 5_000,
  backoffMs: 1_000,
  againAfterMs: 30_000,
  turnRetryMs: 500,
  turnRetryMaxMs: 30_000,
  confirmTimeoutMs: 2_000,
});

/** Long polling's wait at Telegram for new updates (s); every other call gets 15 s more than this before it is given up. */
export const POLL_SECONDS = 30;
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
