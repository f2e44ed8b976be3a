import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.ts';
import { BACKENDS } from '../support/databases.ts';
import { scanDatabase } from '../support/scan.ts';
import { addStaffToken } from '../support/staff.ts';

// PDPA 2022, erasure end to end over a real server: a person files in the web
// chat with a name, office and phone, proves the phone with a code, writes by
// SMS and USSD, talks to an officer, rates; staff note and answer. A
// supervisor erases them through the API. Afterwards no column of any table of
// the database holds their phone number, name, e-mail, office or words; their
// requests still count in the charter's figures; staff see the requests
// without personal data; and the same web chat or phone starts afresh.

/** SMS, USSD and a Telegram staff group on (nothing is sent: the outbox worker is not started), so their outbox rows are there to erase. */
const ENV = {
  USSD_ENABLED: '1',
  SMS_USERNAME: 'huduma',
  SMS_API_KEY: 'test-key',
  SMS_API_ROOT: 'http://127.0.0.1:9/version1',
  TELEGRAM_BOT_TOKEN: '123456:test-token',
  TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  TELEGRAM_STAFF_CHAT_ID: '-1001234567890',
  RATE_LIMIT_PER_MINUTE: '0',
};
const REFERENCE = /ICT-2026-\d{6}/;

const PHONE = '+255755000777';
const NAME = 'Halima Mwakasege';
const EMAIL = 'halima.mwakasege@example.go.tz';
const OFFICE = 'Ofisi ya Msajili chumba 12';
/** Words only this person wrote (or staff wrote about them). */
const WORDS = [
  'kompyuta yangu ya mezani inazima yenyewe',
  'Mtandao umekatika Masjala kuu',
  'ninahitaji kuongea na afisa sasa hivi',
  'huduma nzuri sana ameridhika',
  'Nimempigia simu Halima',
  'Habari Halima tunashughulikia',
];

describe.each(BACKENDS)('erasing a person on %s', (backend) => {
  let server: TestServer;
  const tokens = { supervisor: '', agent: '', admin: '' };
  beforeAll(async () => {
    server = await startTestServer({ backend, env: ENV });
    tokens.supervisor = (await addStaffToken(server.databaseEnv, 'Baraka Supervisor', 'supervisor')).token;
    tokens.agent = (await addStaffToken(server.databaseEnv, 'Neema Agent', 'agent')).token;
    tokens.admin = (await addStaffToken(server.databaseEnv, 'Juma Admin', 'admin')).token;
  });
  afterAll(() => server?.close());

  const api = (who: keyof typeof tokens, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', ...init.headers } });
  const openSession = async () => ((await (await fetch(`${server.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string }).sessionId;
  async function chat(session: string, text: string): Promise<string> {
    const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  }
  let smsId = 0;
  const sms = (text: string) => fetch(`${server.url}/sms/inbound`, { method: 'POST', body: new URLSearchParams({ from: PHONE, to: '15000', text, id: `at-${++smsId}` }) });
  async function ussdReport(description: string): Promise<string> {
    let screen = '';
    for (const text of ['', '1', '1*1', `1*1*${description}`, `1*1*${description}*1`])
      screen = await (
        await fetch(`${server.url}/ussd`, { method: 'POST', body: new URLSearchParams({ sessionId: `ussd-erase-${backend}`, serviceCode: '*152*00#', phoneNumber: PHONE, text }) })
      ).text();
    return REFERENCE.exec(screen)?.[0] ?? '';
  }
  /** Answers a chat form until it is filed; the reference. */
  async function file(session: string, first: string): Promise<string> {
    let said = await chat(session, first);
    for (let i = 0; i < 12 && !REFERENCE.test(said); i++) {
      if (/Ni mfumo upi|Which system/.test(said)) said = await chat(session, 'HRMIS');
      else if (/jina kamili|full name/.test(said)) said = await chat(session, `${NAME}, Afisa Utumishi`);
      else if (/ofisi au idara|office or department/.test(said)) said = await chat(session, OFFICE);
      else if (/namba yako ya simu|phone number/.test(said)) said = await chat(session, '0755 000 777');
      else if (/taarifa hizi ni sahihi|details correct/.test(said)) said = await chat(session, 'ndiyo');
      // An article fitted the first message (the knowledge base): this test files a request.
      else if (/Je, hili limesaidia\?|Did this help\?/.test(said)) said = await chat(session, 'Fungua ombi');
      else said = await chat(session, WORDS[0] as string);
    }
    return REFERENCE.exec(said)?.[0] ?? '';
  }
  const person = async (reference: string) =>
    server.app.store.read(async (tx) => {
      const r = (await tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)))[0];
      return r && (await tx.orm.select().from(tx.t.people).where(eq(tx.t.people.id, r.personId)))[0];
    });
  const compliance = async () => ((await (await api('supervisor', '/api/reports/compliance?month=2026-11')).json()) as { services: { line: number; total: number }[] }).services;

  it('leaves no trace of them in any column of any table, while their requests still count', async () => {
    // The person: a form with their name, office and phone, then the phone proved with a code.
    const session = await openSession();
    // The phone is a person of its own first (a USSD report), so proving it in the chat joins the two.
    const byUssd = await ussdReport(WORDS[1] as string);
    expect(byUssd).toMatch(REFERENCE);
    const account = await file(session, 'Naomba akaunti mpya ya mfumo wa HRMIS kwa mtumishi mpya');
    expect(account).toMatch(REFERENCE);
    // No flow asks for a name or an e-mail on the person's row today; an import or a future form might: set here.
    const chatPerson = await person(account);
    await server.app.store.transaction((tx) =>
      tx.orm
        .update(tx.t.people)
        .set({ name: NAME, email: EMAIL })
        .where(eq(tx.t.people.id, chatPerson?.id ?? 0)),
    );
    expect(await chat(session, 'unganisha namba yangu 0755 000 777')).toContain('namba ya uthibitisho');
    const code = await server.app.store.read(async (tx) => {
      const rows = await tx.orm
        .select()
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, PHONE)));
      return /(\d{6})/.exec((rows.at(-1)?.body as { text: string } | undefined)?.text ?? '')?.[1] ?? '';
    });
    expect(await chat(session, code)).toContain('imethibitishwa');
    // By SMS from the phone, an officer asked for and answered, a rating with a comment.
    expect((await sms(`hali ya ombi ${account}`)).status).toBe(200);
    await chat(session, WORDS[2] as string);
    const conversationId = (await person(account)) && (await server.app.store.read((tx) => tx.orm.select().from(tx.t.conversations).where(eq(tx.t.conversations.chatId, session))))[0]?.id;
    expect((await api('supervisor', `/api/conversations/${conversationId}/reply`, { method: 'POST', body: JSON.stringify({ text: `${WORDS[5]}, tutakupigia 0755 000 777` }) })).status).toBe(200);
    expect((await api('supervisor', `/api/conversations/${conversationId}/end`, { method: 'POST' })).status).toBe(200);
    expect((await api('agent', `/api/requests/${account}/notes`, { method: 'POST', body: JSON.stringify({ text: `${WORDS[4]} kwa 0755 000 777` }) })).status).toBe(201);
    expect((await api('supervisor', `/api/requests/${account}/status`, { method: 'POST', body: JSON.stringify({ status: 'resolved', note: 'Akaunti imefunguliwa' }) })).status).toBe(200);
    expect(await chat(session, '5')).toMatch(/maoni|comment/);
    await chat(session, WORDS[3] as string);
    // A second request, still open when they are erased.
    const open = await file(session, WORDS[0] as string);
    expect(open).toMatch(REFERENCE);
    // The chat's person was joined into the phone's, which took the name and e-mail; the chat's row is kept (with its copy).
    const before = await person(account);
    expect(before).toMatchObject({ phone: PHONE, name: NAME, email: EMAIL });
    expect(before?.id).not.toBe(chatPerson?.id);

    const needles = [PHONE.slice(4), NAME.split(' ')[0] as string, NAME.split(' ')[1] as string, EMAIL, OFFICE, session, code, ...WORDS];
    const held = await scanDatabase(server, needles);
    for (const needle of needles)
      expect(
        held.found.some((f) => f.needle === needle),
        `${needle} is held before the erasure`,
      ).toBe(true);
    // The staff group was told of the hand-off in the person's own words.
    const alerts = await server.app.store.read((tx) => tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.chatId, ENV.TELEGRAM_STAFF_CHAT_ID)));
    expect(alerts.some((a) => JSON.stringify(a.body).includes(WORDS[2] as string))).toBe(true);
    const figures = await compliance();

    // An agent may not erase; a supervisor must confirm.
    const refused = await api('agent', `/api/requests/${account}/person/erase`, { method: 'POST', body: JSON.stringify({ confirm: true }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/supervisor or an administrator/);
    expect((await api('supervisor', `/api/requests/${account}/person/erase`, { method: 'POST', body: JSON.stringify({ confirm: false }) })).status).toBe(400);
    expect((await person(account))?.phone).toBe(PHONE);

    const erased = await api('supervisor', `/api/people/${before?.id}/erase`, { method: 'POST', body: JSON.stringify({ confirm: true }) });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({ erased: true, personId: before?.id, alreadyErased: false, closed: [byUssd, open], requests: 3 });

    // Nowhere: every column of every table, as the database's own catalog lists them.
    const after = await scanDatabase(server, needles);
    expect(after.columns).toBeGreaterThan(100);
    expect(after.found).toEqual([]);

    // Still counted: the charter's figures are the same requests (the open one now closed).
    const total = (rows: { total: number }[]) => rows.reduce((n, r) => n + r.total, 0);
    expect(total(await compliance())).toBe(total(figures));
    const view = (await (await api('agent', `/api/requests/${account}`)).json()) as {
      request: Record<string, unknown>;
      notes: unknown[];
      messages: { text: string }[];
      events: { kind: string; note: string | null }[];
    };
    expect(view.request).toMatchObject({ reference: account, status: 'resolved', rating: 5, ratingComment: null, details: {}, office: null, summary: null, requester: { name: null, phone: null } });
    expect(view.notes).toEqual([]);
    expect(view.messages.length).toBeGreaterThan(0);
    expect(view.messages.every((m) => m.text === '')).toBe(true);
    expect(view.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'note', 'status', 'erased']));
    expect(view.events.every((e) => e.note === null)).toBe(true);
    const closed = (await (await api('agent', `/api/requests/${open}`)).json()) as { request: { status: string }; events: { kind: string; actor: string }[] };
    expect(closed.request.status).toBe('closed');
    expect(closed.events.at(-2)).toMatchObject({ kind: 'status', actor: expect.stringContaining('Baraka Supervisor') });

    // Afresh: the web chat session is gone (the page opens a new one), and the phone is a new person with nothing of theirs.
    expect((await fetch(`${server.url}/webchat/sessions/${session}/messages`)).status).toBe(404);
    const fresh = await openSession();
    expect(await chat(fresh, 'maombi yangu')).not.toMatch(REFERENCE);
    expect((await sms('maombi yangu')).status).toBe(200);
    const replies = await server.app.store.read(async (tx) =>
      tx.orm
        .select()
        .from(tx.t.outbox)
        .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, PHONE))),
    );
    // Only the new answers are addressed to the phone (the old ones were emptied), and they know no request of theirs.
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) expect((r.body as { text?: string }).text ?? '').not.toMatch(REFERENCE);
    const again = await server.app.store.read((tx) => tx.orm.select().from(tx.t.identities).where(eq(tx.t.identities.externalId, PHONE)));
    expect(again[0]?.personId).not.toBe(before?.id);
  });

  it('staff export everything held as a JSON download; opening, exporting and erasing are in the access log, for administrators only', async () => {
    const session = await openSession();
    const reference = await file(session, 'Naomba akaunti mpya ya mfumo wa HRMIS kwa mtumishi mpya');
    const opened = await api('agent', `/api/requests/${reference}`);
    expect(opened.status).toBe(200);

    const res = await api('agent', `/api/requests/${reference}/person/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="huduma-person-\d+-2026-11-23\.json"$/);
    const text = await res.text();
    const data = JSON.parse(text) as {
      personId: number;
      channels: string[];
      identities: unknown[];
      requests: { reference: string; status: string; details: Record<string, string> }[];
      conversations: { chat: string | null; messages: { text: string }[] }[];
      counts: Record<string, number>;
    };
    expect(data.channels).toEqual(['webchat']);
    expect(data.identities).toEqual([{ channel: 'webchat', id: null }]);
    expect(data.requests).toEqual([
      expect.objectContaining({ reference, status: 'received', details: expect.objectContaining({ full_name: `${NAME}, Afisa Utumishi`, office: OFFICE, phone: expect.stringContaining('755') }) }),
    ]);
    expect(data.conversations[0]?.messages.map((m) => m.text)).toContain(OFFICE);
    expect(data.counts).toMatchObject({ requests: 1, conversations: 1 });
    // The web chat session id is the key to the transcript: named, never written into the file.
    expect(text).not.toContain(session);
    expect((await api('agent', '/api/people/999999/export')).status).toBe(404);
    expect((await api('agent', '/api/people/abc/export')).status).toBe(400);
    expect((await api('agent', `/api/requests/ICT-2026-999999/person/export`)).status).toBe(404);

    // The access log: administrators read it; anyone else is refused.
    for (const who of ['agent', 'supervisor'] as const) expect((await api(who, '/api/access-log')).status).toBe(403);
    expect((await api('admin', '/api/access-log?from=2026-11-24&to=2026-11-23')).status).toBe(400);
    const log = (await (await api('admin', '/api/access-log?from=2026-11-23&to=2026-11-23')).json()) as {
      entries: { at: string; staff: { name: string }; action: string; reference: string | null; personId: number | null }[];
    };
    const mine = log.entries.filter((e) => e.reference === reference);
    expect(mine).toEqual([
      { at: '2026-11-23T08:00:00.000Z', staff: expect.objectContaining({ name: 'Neema Agent' }), action: 'view_request', reference, requestId: expect.any(Number), personId: data.personId },
      { at: '2026-11-23T08:00:00.000Z', staff: expect.objectContaining({ name: 'Neema Agent' }), action: 'export_person', reference, requestId: expect.any(Number), personId: data.personId },
    ]);
    // The erasure of the test before, by the supervisor, by person id.
    expect(log.entries).toContainEqual(expect.objectContaining({ action: 'erase_person', staff: expect.objectContaining({ name: 'Baraka Supervisor' }), reference: null }));
    expect(((await (await api('admin', '/api/access-log?from=2026-11-24')).json()) as { entries: unknown[] }).entries).toEqual([]);
  });
});
