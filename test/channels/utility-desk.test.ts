import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';

// CHARTER=utility npm start is an electricity utility's desk with no code
// change: its name and emblem on the page, its services, and a report's
// place from a location pin (WhatsApp and Telegram send them).
describe.each(BACKENDS)('the electricity utility’s desk on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, env: { CHARTER: 'utility' } });
  });
  afterAll(() => server.close());

  const message = (chat: string, id: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    channel: 'telegram',
    chatId: chat,
    senderId: chat,
    channelMessageId: id,
    text,
    receivedAt: server.clock.now(),
    ...extra,
  });
  const said = (outcome: Awaited<ReturnType<TestServer['app']['inbox']['submit']>>) => (outcome?.status === 'replied' ? outcome.replies.map((r) => r.text).join('\n') : '');

  it('the page names the utility, shows its emblem, and nothing of the ICT desk', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('Huduma kwa Wateja wa Umeme');
    expect(html).not.toMatch(/TEHAMA|ICT help desk/);
    const icon = /<img src="([^"]+\.svg)"/.exec(html)?.[1] ?? '';
    const svg = await (await fetch(`${server.url}${icon}`)).text();
    expect(svg).toContain('#8a4b00');
  });

  it('a location pin answers where: the place it falls in, its council giving town or village, and the report carries its area', async () => {
    const { inbox } = server.app;
    expect(said(await inbox.submit(message('pin-1', 'p1', 'hakuna umeme nyumbani tangu jana usiku')))).toMatch(/mkoa, wilaya, kata na mtaa/);
    const pinned = said(await inbox.submit(message('pin-1', 'p2', '', { attachments: [{ kind: 'location', latitude: -6.78, longitude: 39.22 }] })));
    expect(pinned).toMatch(/namba yako ya simu/);
    expect(pinned).not.toMatch(/mjini au kijijini/);
    const summary = said(await inbox.submit(message('pin-1', 'p3', '0754 123 456')));
    expect(summary).toMatch(/Sinza.*Ubungo.*📍 -6\.78000, 39\.22000/s);
    const filed = said(await inbox.submit(message('pin-1', 'p4', 'ndiyo')));
    const reference = /UMM-2026-\d{6}/.exec(filed)?.[0];
    expect(reference).toBeDefined();
    const [request] = await server.app.store.read(async (tx) => (await tx.orm.select().from(tx.t.requests)).filter((r) => r.reference === reference));
    expect(request?.area).toMatch(/^dar-es-salaam\/ubungo\/sinza/);
    expect(request?.charterLine).toBe(3); // the urban line: Ubungo is a municipal council
  });

  it('a pin out at sea is kept as its coordinates for the crew', async () => {
    const { inbox } = server.app;
    expect(said(await inbox.submit(message('pin-2', 'q1', 'hakuna umeme kabisa tangu jana, naomba mtume fundi')))).toMatch(/mkoa, wilaya/);
    const pinned = said(await inbox.submit(message('pin-2', 'q2', '', { attachments: [{ kind: 'location', latitude: -7.5, longitude: 41.5 }] })));
    // No council known there: town or village is asked.
    expect(pinned, pinned).toMatch(/mjini au kijijini/);
    expect(said(await inbox.submit(message('pin-2', 'q3', 'kijijini')))).toMatch(/namba yako ya simu/);
    const summary = said(await inbox.submit(message('pin-2', 'q4', '0754 123 457')));
    expect(summary).toMatch(/📍 -7\.50000, 41\.50000/);
  });
});
