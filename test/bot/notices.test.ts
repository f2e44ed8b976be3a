import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { messagesPath } from '../support/sessions.ts';

describe.each(BACKENDS)('what staff are told, on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(() => server?.close());

  const say = async (session: string, text: string) =>
    server.app.http.request(await messagesPath(server, session), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

  it('keeps a complaint’s words, on the person’s request and as a notice', async () => {
    for (const text of ['kompyuta yangu inaganda sana', 'Uhasibu', '0754 123 456', 'ndiyo']) await say('notice-person-1', text);
    await say('notice-person-1', 'nimesubiri wiki mbili hakuna aliyekuja kurekebisha, huu ni uzembe');
    await say('notice-person-2', 'nataka kuzungumza na afisa wa TEHAMA');
    const { kept, events } = await server.app.store.read(async ({ orm, t }) => ({
      kept: await orm.select().from(t.notices).orderBy(asc(t.notices.id)),
      events: await orm.select().from(t.requestEvents).orderBy(asc(t.requestEvents.id)),
    }));
    expect(kept.map((n) => [n.kind, n.text, n.requestId !== null])).toEqual([
      ['complaint', 'nimesubiri wiki mbili hakuna aliyekuja kurekebisha, huu ni uzembe', true],
      ['handoff_wish', 'nataka kuzungumza na afisa wa TEHAMA', false],
    ]);
    expect(events.map((e) => e.kind)).toEqual(['created', 'complaint']);
  });
});
