/**
 * Keeps sending within a platform's limits: a token bucket over the whole
 * channel and a minimum gap per chat (longer for groups). Time comes from the caller (the Clock).
 */
export class Pacer {
  private tokens: number;
  private refilledAt: number | undefined;
  private readonly chatReadyAt = new Map<string, number>();

  /** `gapMs(chatId)`: the least time between two messages to that chat. */
  constructor(
    private readonly overallPerSecond: number,
    private readonly gapMs: (chatId: string) => number,
  ) {
    this.tokens = Math.max(1, overallPerSecond);
  }

  /** Takes a slot to send to `chatId` at `now`, or says no (the row waits for a later tick). */
  allow(chatId: string, now: number): boolean {
    const capacity = Math.max(1, this.overallPerSecond);
    if (this.refilledAt !== undefined) this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.overallPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1 || (this.chatReadyAt.get(chatId) ?? 0) > now) return false;
    this.tokens -= 1;
    this.chatReadyAt.set(chatId, now + this.gapMs(chatId));
    if (this.chatReadyAt.size > 10_000) for (const [k, t] of this.chatReadyAt) if (t <= now) this.chatReadyAt.delete(k);
    return true;
  }

  /** Chats that must wait at `now`: the worker leaves their rows out, so a busy group cannot hold up everyone behind it. */
  waiting(now: number): string[] {
    const ids: string[] = [];
    for (const [chatId, readyAt] of this.chatReadyAt) if (readyAt > now) ids.push(chatId);
    return ids;
  }
}
