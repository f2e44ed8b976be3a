/**
 * The one backoff: how long to wait before trying again after `failures`
 * failed tries (1 for the first). The pause starts at `baseMs` and doubles
 * after each failure, up to `maxMs`. With `random`, it has jitter: half of
 * the step is fixed and half is random. Then retries that began in the same
 * burst (an outbox after an outage, every phone after a network drop) spread
 * out instead of arriving together. Without `random`, the pause is the step
 * itself, for a loop that nothing else retries alongside.
 */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export function backoffMs(failures: number, policy: Backoff, random?: () => number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return random ? Math.round(step / 2 + (random() * step) / 2) : step;
}
