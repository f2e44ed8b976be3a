import type { Tx } from '../client.ts';
import { notices } from '../schema.ts';

export function recordNotice(tx: Tx, n: { kind: 'complaint' | 'handoff_wish'; personId: number; conversationId: number; requestId?: number; text: string; at: Date }): void {
  tx.insert(notices)
    .values({ kind: n.kind, personId: n.personId, conversationId: n.conversationId, requestId: n.requestId ?? null, text: n.text, createdAt: n.at })
    .run();
}
