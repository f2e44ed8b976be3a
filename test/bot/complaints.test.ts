import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { fileNetworkFault, say, transcript } from '../support/flows.ts';
import { addStaffToken } from '../support/staff.ts';

// Complaints are tracked like any request: a reference and a due time from the
// charter's complaint line, the staff list and replies, the SLA watch, the
// rating; linked to the request they are about; and a later "when?" is
// understood as being about them.

const REF = /ICT-\d{4}-\d{6}/;
const referenceIn = (texts: readonly { text: string }[]) => REF.exec(texts.map((r) => r.text).join('\n'))?.[0] ?? '';

describe.each(BACKENDS)('complaints, on %s', (backend) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer({ backend });
    token = (await addStaffToken(server.databaseEnv)).token;
  });
  afterAll(() => server?.close());
  beforeEach(() => server.clock.set('2026-11-23T08:00:00Z'));

  const api = async (path: string, body?: unknown) => {
    const res = await server.app.http.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const requestRow = (reference: string) => server.app.store.read(async ({ orm, t }) => (await orm.select().from(t.requests).where(eq(t.requests.reference, reference)))[0]);

  it('a complaint gets a reference and a due time, shows in the staff list, gets a staff reply, and a later "when?" is answered about it', async () => {
    const session = 'complaint-e2e-1';
    const filed = await say(server, session, 'Niliripoti tatizo wiki mbili zilizopita… huduma zenu ni mbovu kabisa!');
    const reference = referenceIn(filed);
    expect(filed[0]?.text).toMatch(
      new RegExp(
        `Tunaomba radhi.*namba ${reference}.*kushughulikiwa ndani ya muda tulioahidi \\(Mnamo siku mbili \\(2\\) za kazi\\), yaani kabla ya saa tano asubuhi, Jumatano tarehe 25 Novemba 2026`,
        's',
      ),
    );
    expect(filed[0]?.text).not.toMatch(/ombi lipi|je, yanahusu/);

    const listed = await api('/api/requests?service=complaint');
    expect(listed.status).toBe(200);
    const mine = (listed.json.requests as { reference: string; service: string; status: string; dueAt: string; charterLine: number }[]).find((r) => r.reference === reference);
    expect(mine).toMatchObject({ service: 'complaint', status: 'received', charterLine: 17, dueAt: '2026-11-25T08:00:00.000Z' });

    const replied = await api(`/api/requests/${reference}/reply`, { text: 'Pole sana. Fundi atakuja ofisini kwako kesho asubuhi.' });
    expect(replied.status).toBe(200);
    expect((await transcript(server, session)).at(-1)?.text).toMatch(/Afisa wa TEHAMA: Pole sana\. Fundi atakuja ofisini kwako kesho asubuhi\./);

    // The next day (the officer's hold on the chat has lapsed), the person asks when.
    server.clock.advance(24 * 3600_000);
    const followUp = await say(server, session, 'sasa mtanisaidia lini?');
    expect(followUp.map((r) => r.text).join('\n')).toMatch(
      new RegExp(
        `Kuhusu malalamiko yako: ${reference} — Malalamiko kuhusu huduma zetu: Limepokelewa\\. Muda: Mnamo siku mbili \\(2\\) za kazi, yaani kabla ya saa tano asubuhi, Jumatano tarehe 25 Novemba 2026`,
      ),
    );
    expect(followUp.map((r) => r.text).join('\n')).not.toMatch(/haliko ndani ya huduma/);
    expect((await say(server, session, 'habari za malalamiko yangu?'))[0]?.text).toMatch(new RegExp(`^Kuhusu malalamiko yako: ${reference}`));
    const english = await say(server, session, 'any news on my complaint?');
    expect(english[0]?.text).toMatch(
      new RegExp(`About your complaint: ${reference} — Complaints about our service: Received\\. Time: Within 2 working days, that is before Wednesday, 25 November 2026`),
    );
  });

  it('is linked to the request it names, and shows that to staff', async () => {
    const session = 'complaint-named-1';
    const fault = await fileNetworkFault(server, session);
    const filed = await say(server, session, `I want to complain about ${fault}, nobody came to fix it`);
    const reference = referenceIn([
      {
        text: filed
          .map((r) => r.text)
          .join(' ')
          .replace(fault, ''),
      },
    ]);
    expect(filed[0]?.text).toMatch(new RegExp(`trouble you have had with request ${fault}.*under number ${reference}`, 's'));
    expect((await requestRow(reference))?.aboutRequestId).toBe((await requestRow(fault))?.id);
    const detail = await api(`/api/requests/${reference}`);
    expect(detail.json.request).toMatchObject({ service: 'complaint', aboutReference: fault });
  });

  it('with one open request, asks once whether it is about that one', async () => {
    const session = 'complaint-one-open-1';
    const fault = await fileNetworkFault(server, session);
    const asked = await say(server, session, 'nimesubiri sana hakuna aliyekuja');
    expect(asked[0]?.text).toMatch(new RegExp(`je, yanahusu ombi lako ${fault} — Urekebishaji wa mtandao`));
    expect(asked[0]?.options?.map((o) => o.label)).toEqual(['Ndiyo', 'Hapana']);
    const filed = await say(server, session, 'ndiyo');
    const reference = referenceIn([{ text: filed[0]?.text.replace(fault, '') ?? '' }]);
    expect(filed[0]?.text).toMatch(new RegExp(`kuhusu ombi ${fault}.*namba ${reference}`, 's'));
    expect((await requestRow(reference))?.aboutRequestId).toBe((await requestRow(fault))?.id);
    // A second complaint is not asked about the first: the fault is still the only open request.
    const again = await say(server, session, 'the officer who came was very rude to me');
    expect(again[0]?.text).toMatch(new RegExp(`is it about your request ${fault}`));
    const unlinked = await say(server, session, 'no');
    const second = referenceIn([{ text: unlinked[0]?.text ?? '' }]);
    expect((await requestRow(second))?.aboutRequestId).toBeNull();
  });

  it('with several open requests, asks which by number; with none, files it at once', async () => {
    const session = 'complaint-several-1';
    const first = await fileNetworkFault(server, session);
    const second = await fileNetworkFault(server, session);
    const asked = await say(server, session, 'nimesubiri sana hakuna aliyekuja');
    expect(asked[0]?.text).toMatch(/yanahusu ombi lipi/);
    expect(asked[0]?.options?.map((o) => o.label)).toEqual([expect.stringContaining(second), expect.stringContaining(first), 'Hayahusu ombi lolote kati ya haya']);
    const filed = await say(server, session, '2');
    const reference = referenceIn([{ text: filed[0]?.text.replaceAll(first, '') ?? '' }]);
    expect((await requestRow(reference))?.aboutRequestId).toBe((await requestRow(first))?.id);

    const none = await say(server, 'complaint-none-1', 'the officer was rude to me');
    expect(none[0]?.text).toMatch(
      /Your complaint has been received under number ICT-\d{4}-\d{6}; it will be passed to the head of the unit and dealt with within the time we promise \(Within 2 working days\), that is before/,
    );
  });

  it('goes through the SLA watch (breach notice) and the rating like any request', async () => {
    const session = 'complaint-sla-1';
    const reference = referenceIn(await say(server, session, 'huduma zenu ni mbovu kabisa, nimechoka kusubiri'));
    const dueAt = (await requestRow(reference))?.dueAt ?? new Date(0);
    const result = await server.app.sla.sweep(new Date(dueAt.getTime() + 1000));
    expect(result.breached).toBeGreaterThanOrEqual(1);
    expect((await transcript(server, session)).at(-1)?.text).toMatch(new RegExp(`ombi lako ${reference} \\(Malalamiko kuhusu huduma zetu\\) halijakamilika`));
    expect((await api(`/api/requests/${reference}/status`, { status: 'resolved', note: 'Tumezungumza na afisa husika' })).status).toBe(200);
    expect((await transcript(server, session)).at(-1)?.text).toMatch(/kati ya 1 \(hafifu sana\) na 5/);
    expect((await say(server, session, '4'))[0]?.text).toMatch(/4 kati ya 5/);
    expect(await requestRow(reference)).toMatchObject({ rating: 4, status: 'resolved' });
    await say(server, session, 'hapana');
    // Asked after it is resolved, the follow-up says so.
    expect((await say(server, session, 'malalamiko yangu yamefikia wapi'))[0]?.text).toMatch(new RegExp(`Kuhusu malalamiko yako: ${reference} — Malalamiko kuhusu huduma zetu: Limetatuliwa`));
  });

  it('nothing writes the notices table any more: a wish for an officer is a hand-off record', async () => {
    await say(server, 'complaint-notices-1', 'huduma zenu ni mbovu kabisa!');
    await say(server, 'complaint-notices-2', 'nataka kuzungumza na afisa wa TEHAMA');
    const { notices, handoffs } = await server.app.store.read(async ({ orm, t }) => ({
      notices: await orm.select().from(t.notices),
      handoffs: await orm.select().from(t.handoffs).where(eq(t.handoffs.text, 'nataka kuzungumza na afisa wa TEHAMA')),
    }));
    expect(notices).toEqual([]);
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ takenBy: null, endedAt: null });
  });
});
