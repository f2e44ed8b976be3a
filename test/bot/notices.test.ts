import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices, requestEvents } from '../../db/schema.ts';
import { openDatabase } from '../../db/client.ts';
import { startTestServer, type TestServer } from '../support/app.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const say = (session: string, text: string) =>
  server.app.http.request(`/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

describe('what staff are told', () => {
  it('keeps a complaint’s words, on the person’s request and as a notice', async () => {
    for (const text of ['kompyuta yangu inaganda sana', 'Uhasibu', '0754 123 456', 'ndiyo']) await say('notice-person-1', text);
    await say('notice-person-1', 'nimesubiri wiki mbili hakuna aliyekuja kurekebisha, huu ni uzembe');
    await say('notice-person-2', 'nataka kuzungumza na afisa wa TEHAMA');
    const db = openDatabase(server.databasePath);
    const kept = db.db.select().from(notices).all();
    expect(kept.map((n) => [n.kind, n.text, n.requestId !== null])).toEqual([
      ['complaint', 'nimesubiri wiki mbili hakuna aliyekuja kurekebisha, huu ni uzembe', true],
      ['handoff_wish', 'nataka kuzungumza na afisa wa TEHAMA', false],
    ]);
    expect(db.db.select().from(requestEvents).all().map((e) => e.kind)).toEqual(['created', 'complaint']);
    db.close();
  });
});
