/**
 * WhatsApp's customer-service window: for 24 hours after a person's last
 * message a business may write to them freely (text, buttons, lists); after
 * that, only an approved template, which the person has to answer to open
 * the window again.
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a free-form message may be sent now. `closedAt` is when Meta last
 * refused one as outside the window (131047): our record of the last message
 * can be later than Meta's (a webhook delivered late), and Meta's word wins
 * until the person writes again.
 */
export function insideWindow(lastInbound: Date | undefined, now: Date, closedAt?: Date): boolean {
  if (!lastInbound) return false;
  if (closedAt && closedAt.getTime() >= lastInbound.getTime()) return false;
  return now.getTime() - lastInbound.getTime() < WINDOW_MS;
}

/** Chats Meta said are outside the window, since when; kept in memory, as a restart only costs one refused send per chat. */
export class ClosedWindows {
  private readonly closed = new Map<string, Date>();

  close(chatId: string, at: Date): void {
    this.closed.set(chatId, at);
  }

  since(chatId: string): Date | undefined {
    return this.closed.get(chatId);
  }

  /** Forgets chats closed longer than a window ago: by then our own record says the same. */
  prune(now: Date): void {
    for (const [chatId, at] of this.closed) if (now.getTime() - at.getTime() > WINDOW_MS) this.closed.delete(chatId);
  }
}
