import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequest, type NewRequest } from '../../db/queries/requests.ts';
import type { Store, Tx } from '../../db/store.ts';
import { BACKENDS, databaseEnv, freshStore } from '../support/databases.ts';
import { openStore } from '../../db/open.ts';

// Filing is one statement on PostgreSQL (counter, request and event together)
// and three on SQLite: both must give the same request, reference and audit event.

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'huduma-req-')), 'huduma.db');
const AT = new Date('2026-12-07T09:30:00Z');
const DUE = new Date('2026-12-09T09:30:00Z');

async function person(tx: Tx): Promise<number> {
  const [row] = await tx.orm.insert(tx.t.people).values({ locale: 'sw', createdAt: AT }).returning({ id: tx.t.people.id });
  if (!row) throw new Error('no person');
  return row.id;
}

const filing = (personId: number, over: Partial<NewRequest> = {}): NewRequest => ({
  personId,
  conversationId: null,
  service: 'network_fault',
  charterLine: 4,
  details: { location: 'Registry, block B' },
  dueAt: DUE,
  slaNextAt: new Date('2026-12-08T21:30:00Z'),
  team: 'network',
  area: 'dar-es-salaam/ilala',
  prefix: 'ICT',
  year: 2026,
  at: AT,
  actor: `person:${personId}`,
  ...over,
});

describe.each(BACKENDS)('filing a request on %s', (backend) => {
  const open: Store[] = [];
  const fresh = async () => {
    const store = await freshStore(backend, freshPath());
    open.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('gives the request its reference, due time and first audit event, as the same row on both databases', async () => {
    const store = await fresh();
    const { request, events } = await store.transaction(async (tx) => {
      const request = await createRequest(tx, filing(await person(tx)));
      const events = await tx.orm.select().from(tx.t.requestEvents).where(eq(tx.t.requestEvents.requestId, request.id));
      return { request, events };
    });
    expect(request).toMatchObject({
      reference: 'ICT-2026-000001',
      status: 'received',
      service: 'network_fault',
      charterLine: 4,
      variant: null,
      details: { location: 'Registry, block B' },
      createdAt: AT,
      dueAt: DUE,
      slaNextAt: new Date('2026-12-08T21:30:00Z'),
      team: 'network',
      area: 'dar-es-salaam/ilala',
      conversationId: null,
      pausedMs: 0,
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'created', at: AT, data: { dueAt: DUE.toISOString() } });
  });

  it('numbers per prefix and year, six digits wide and never cut past 999,999', async () => {
    const store = await fresh();
    const taken = await store.transaction(async (tx) => {
      const p = await person(tx);
      const refs: string[] = [];
      for (const [prefix, year] of [
        ['ICT', 2026],
        ['ICT', 2026],
        ['ICT', 2027],
        ['HR', 2026],
      ] as const)
        refs.push((await createRequest(tx, filing(p, { prefix, year }))).reference);
      await tx.orm.update(tx.t.referenceCounters).set({ last: 999_999 }).where(eq(tx.t.referenceCounters.prefix, 'HR'));
      refs.push((await createRequest(tx, filing(p, { prefix: 'HR', year: 2026 }))).reference);
      return refs;
    });
    expect(taken).toEqual(['ICT-2026-000001', 'ICT-2026-000002', 'ICT-2027-000001', 'HR-2026-000001', 'HR-2026-1000000']);
  });

  it('takes the reference back when the filing transaction fails, so references stay without gaps', async () => {
    const store = await fresh();
    const p = await store.transaction(person);
    await expect(
      store.transaction(async (tx) => {
        await createRequest(tx, filing(p));
        throw new Error('the reply could not be saved');
      }),
    ).rejects.toThrow(/could not be saved/);
    const again = await store.transaction((tx) => createRequest(tx, filing(p)));
    expect(again.reference).toBe('ICT-2026-000001');
    expect(await store.read((tx) => tx.orm.select().from(tx.t.requestEvents))).toHaveLength(1);
  });

  it('never hands a reference out twice, and leaves no gap, across two instances on one database', async () => {
    const env = await databaseEnv(backend, freshPath());
    const [a, b] = [await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '' }), await openStore({ url: env.DATABASE_URL, path: env.DATABASE_PATH ?? '' })];
    open.push(a, b);
    const p = await a.transaction(person);
    const file = (i: number) => (i % 2 ? a : b).transaction((tx) => createRequest(tx, filing(p)).then((r) => r.reference));
    // PostgreSQL: all at once. SQLite: in turn, as its connections live in separate processes or threads
    // (two in one thread would block each other: SQLite's busy handler sleeps the thread).
    const refs: string[] = [];
    if (backend === 'postgres') refs.push(...(await Promise.all(Array.from({ length: 100 }, (_, i) => file(i)))));
    else for (let i = 0; i < 100; i++) refs.push(await file(i));
    expect(refs.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `ICT-2026-${String(i + 1).padStart(6, '0')}`));
  });
});
