import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../bot/backoff.ts';

describe('the one backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 8_000 };

  it('doubles after each failure, up to its cap', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('with jitter, waits between half the step and the whole of it', () => {
    expect(backoffMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffMs(3, policy, () => 0.5)).toBe(3_000);
    expect(backoffMs(3, policy, () => 0.999)).toBeLessThanOrEqual(4_000);
  });

  it('takes no failures yet as the first, and never waits longer than its cap however many', () => {
    expect(backoffMs(0, policy)).toBe(1_000);
    expect(backoffMs(10_000, policy, () => 1)).toBe(8_000);
  });
});
