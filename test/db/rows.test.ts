import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../db/sqlite/store.ts';
import { prepared } from '../../db/queries/prepared.ts';
import { personOf, RowShapeError } from '../../db/queries/rows.ts';
import { conversations, people, requests } from '../../db/schema.ts';

// The hot path reads rows with better-sqlite3 itself: they must be exactly what drizzle's selects give.

const fresh = () => {
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'huduma-rows-')), 'huduma.db') });
  return { db: store.orm, sqlite: store.sqlite, close: () => store.close() };
};
const at = new Date('2026-11-23T08:00:00Z');

describe('rows read by better-sqlite3 itself', () => {
  it('are the rows drizzle reads: people, conversations and requests, nulls and all', () => {
    const { db, sqlite, close } = fresh();
    const q = prepared(sqlite);
    const person = q.insertPerson.get({ locale: 'sw', at });
    if (!person) throw new Error('no person');
    q.setContact.run({ id: person.id, phone: '+255713000111', email: null });
    const conversation = q.insertConversation.get({ personId: person.id, channel: 'webchat', chatId: 'rows-1', at });
    if (!conversation) throw new Error('no conversation');
    q.saveState.run({ id: conversation.id, stateJson: JSON.stringify({ mode: 'form', answers: { a: 'b' } }), atMs: at.getTime() + 5 });
    db.update(conversations).set({ handedOff: true, handedOffAt: at, staffThread: '77' }).where(eq(conversations.id, conversation.id)).run();
    const request = q.insertRequest.get({
      reference: 'ICT-2026-000001',
      personId: person.id,
      conversationId: conversation.id,
      service: 'network_email_fault',
      charterLine: 2,
      variant: null,
      details: { location: 'Registry' },
      at,
      dueAtMs: at.getTime() + 86_400_000,
      slaNextAtMs: null,
    });
    if (!request) throw new Error('no request');

    expect(q.person.get({ id: person.id })).toEqual(db.select().from(people).where(eq(people.id, person.id)).get());
    expect(q.conversation.get({ channel: 'webchat', chatId: 'rows-1' })).toEqual(db.select().from(conversations).where(eq(conversations.id, conversation.id)).get());
    expect(q.ownRequest.get({ reference: 'ICT-2026-000001', personId: person.id })).toEqual(db.select().from(requests).where(eq(requests.id, request.id)).get());
    expect(request).toEqual(db.select().from(requests).where(eq(requests.id, request.id)).get());
    // Another person's reference is not found.
    expect(q.ownRequest.get({ reference: 'ICT-2026-000001', personId: person.id + 1 })).toBeUndefined();
    close();
  });

  it('say which column is off when a row is not what the schema says', () => {
    expect(() => personOf({ id: 1, locale: 'fr', name: null, phone: null, email: null, created_at: 0 })).toThrow(RowShapeError);
    expect(() => personOf({ id: '1', locale: 'sw', name: null, phone: null, email: null, created_at: 0 })).toThrow(/people\.id/);
  });
});
