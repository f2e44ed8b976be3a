import type { Tx } from '../store.ts';

export async function recordNotice(tx: Tx, n: { kind: 'complaint' | 'handoff_wish'; personId: number; conversationId: number; requestId?: number; text: string; at: Date }): Promise<void> {
  await tx.orm.insert(tx.t.notices).values({ kind: n.kind, personId: n.personId, conversationId: n.conversationId, requestId: n.requestId ?? null, text: n.text, createdAt: n.at });
}
