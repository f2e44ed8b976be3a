import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleEngine, calendarOf } from '../../bot/assemble.ts';
import { loadCharter } from '../../bot/charter/charter.ts';
import { loadConfig } from '../../bot/config.ts';
import { inboxFor, type Inbox } from '../../bot/engine/inbox.ts';
import { loadFlows } from '../../bot/flows/flows.ts';
import { ManualClock } from '../../bot/sla/clock.ts';
import { ussdRoutes, type UssdRoutesOptions } from '../../channels/ussd/routes.ts';
import { findOrCreateConversation, setPersonContact } from '../../db/queries/conversations.ts';
import { createRequest } from '../../db/queries/requests.ts';
import type { Store } from '../../db/store.ts';
import { BACKENDS, freshStore } from '../support/databases.ts';
import { ussdPhone } from '../support/ussd.ts';

const charter = loadCharter();
const calendar = calendarOf(loadConfig({}));
const flows = loadFlows();

describe.each(BACKENDS)('USSD on %s', (backend) => {
  let store: Store;
  let clock: ManualClock;
  let ussd: ReturnType<typeof ussdRoutes>;
  /** The conversation engine on the same store, for what the person does next on another channel. */
  let inbox: Inbox;
  const routes = (extra: Partial<UssdRoutesOptions> = {}) => ussdRoutes({ store, charter, calendar, flows, clock, referencePrefix: 'ICT', defaultLocale: 'sw', retentionMonths: 24, ...extra });
  beforeAll(async () => {
    store = await freshStore(backend, join(mkdtempSync(join(tmpdir(), 'huduma-ussd-')), 'huduma.db'));
    clock = new ManualClock('2026-11-23T08:00:00Z'); // Monday 23 November 2026, 11:00 in Dar es Salaam
    ussd = routes();
    inbox = inboxFor({ store, engine: assembleEngine(loadConfig({}), { clock, charter, calendar, flows }) });
  });
  afterAll(() => store.close());

  const { dial, session } = ussdPhone(() => ussd);

  const requestsOf = (reference: string) => store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.reference, reference)));
  const outboxTo = (chatId: string) => store.read((tx) => tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.chatId, chatId)));
  const referenceIn = (screen: string) => /ICT-2026-\d{6}/.exec(screen)?.[0] ?? '';

  describe('USSD: reporting a problem', () => {
    it('root → service → description → confirm → END with the reference and due time, filed and sent by SMS', async () => {
      const screens = await session('s-report', ['1', '1', 'Barua pepe haifanyi kazi', '1']);
      // A new person's first screen carries the short privacy notice.
      expect(screens[0]).toBe(
        'CON Karibu! Taarifa zako zinalindwa kisheria na huhifadhiwa miezi 24 tu.\n1. Ripoti tatizo\n2. Hali ya ombi\n3. Huduma na muda\n4. Lugha/Language\n5. Faragha\n6. Maswali ya kawaida',
      );
      expect(screens[1]).toMatch(/^CON Chagua huduma:\n1\. Urekebishaji wa mtandao au barua pepe\n/);
      expect(screens[1]).toMatch(/\n0 Zaidi\n00 Rudi$/);
      expect(screens[2]).toBe('CON Urekebishaji wa mtandao au barua pepe\nEleza tatizo kwa ufupi:\n00 Rudi');
      expect(screens[3]).toBe('CON Huduma: Urekebishaji wa mtandao au barua pepe\nTatizo: Barua pepe haifanyi kazi\n1. Tuma\n2. Ghairi\n00 Rudi');
      const end = screens[4] ?? '';
      // Line 2: one working day from Monday 11:00.
      expect(end).toMatch(/^END Ombi lako ICT-2026-\d{6} limepokelewa\. Muda: Mnamo siku moja \(1\) ya kazi, yaani kabla ya saa tano asubuhi, Jumanne tarehe 24 Novemba 2026\. Asante\.$/);
      const reference = referenceIn(end);
      const [row] = await requestsOf(reference);
      expect(row).toMatchObject({ service: 'network_email_fault', charterLine: 2, status: 'received', details: { description: 'Barua pepe haifanyi kazi', phone: '+255712345678' } });
      expect(row?.dueAt?.toISOString()).toBe('2026-11-24T08:00:00.000Z');
      expect(row?.slaNextAt).not.toBeNull();
      const sms = await store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.outbox)
          .where(and(eq(tx.t.outbox.channel, 'sms'), eq(tx.t.outbox.chatId, '+255712345678'))),
      );
      expect(sms.map((s) => (s.body as { text: string }).text)).toContain(end.slice('END '.length));
      const [person] = await store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.people)
          .where(eq(tx.t.people.id, row?.personId ?? 0)),
      );
      expect(person?.phone).toBe('+255712345678');
    });

    it('files once when the gateway posts the final step again', async () => {
      const path = ['1', '4', 'Nenosiri limesahaulika', '1'];
      const first = (await session('s-twice', path, '+255713000001')).at(-1) ?? '';
      const again = await dial('s-twice', path.join('*'), '+255713000001');
      expect(again).toBe(first);
      const reference = referenceIn(first);
      expect(await requestsOf(reference)).toHaveLength(1);
      const personId = (await requestsOf(reference))[0]?.personId ?? 0;
      const rows = await store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.personId, personId)));
      expect(rows).toHaveLength(1);
      expect(await outboxTo('+255713000001')).toHaveLength(1);
    });

    it('files once when the gateway posts the final step twice at the same moment', async () => {
      const path = ['1', '4', 'Nenosiri halifanyi kazi', '1'];
      await session('s-race', path.slice(0, -1), '+255713000006');
      // On PostgreSQL both transactions run side by side: the session key lets one file and the other answer with its text.
      const [a, b] = await Promise.all([dial('s-race', path.join('*'), '+255713000006'), dial('s-race', path.join('*'), '+255713000006')]);
      expect(a).toMatch(/^END Ombi lako ICT-2026-\d{6} limepokelewa/);
      expect(b).toBe(a);
      expect(await requestsOf(referenceIn(a))).toHaveLength(1);
      expect(await outboxTo('+255713000006')).toHaveLength(1);
    });

    it('asks which line for a service with several (training: MIS or other) and files on that line', async () => {
      const screens = await session('s-variant', ['1', '8', '2', 'Mafunzo ya Excel kwa watumishi', '1'], '+255713000002');
      expect(screens[2]).toBe('CON Mafunzo yanahusu nini?\n1. Mfumo wa usimamizi wa taarifa (MIS)\n2. Mahitaji mengine ya mafunzo\n00 Rudi');
      expect((await requestsOf(referenceIn(screens.at(-1) ?? '')))[0]).toMatchObject({ service: 'training', charterLine: 12, variant: 'general' });
    });

    it('pages through the services with 0 and back with 00, each page a full screen', async () => {
      const first = await dial('s-pages', '1', '+255713000003');
      const second = await dial('s-pages', '1*0', '+255713000003');
      expect(second).not.toBe(first);
      expect(await dial('s-pages', '1*0*00', '+255713000003')).toBe(first);
      expect(await dial('s-pages', '1*00', '+255713000003')).toMatch(/^CON Karibu/);
      // A number from a later page, chosen there.
      let screen = first;
      let path = '1';
      while (!screen.includes('12. ')) screen = await dial('s-pages', (path = `${path}*0`), '+255713000003');
      expect(await dial('s-pages', `${path}*12`, '+255713000003')).toMatch(/^CON Utekelezaji wa miradi ya TEHAMA\nEleza tatizo/);
    });

    it('cancels at the confirm screen without filing', async () => {
      const screens = await session('s-cancel', ['1', '2', 'Kompyuta ina virusi', '2'], '+255713000004');
      expect(screens.at(-1)).toBe('END Ombi halikutumwa. Karibu tena wakati wowote.');
      expect(await outboxTo('+255713000004')).toHaveLength(0);
    });
  });

  describe('USSD: wrong answers', () => {
    it('shows the same screen again under "Chaguo si sahihi."', async () => {
      // A session after the person's first (whose main menu carried the privacy notice).
      await dial('s-invalid-first', '', '+255713000005');
      const root = await dial('s-invalid', '', '+255713000005');
      expect(await dial('s-invalid', '7', '+255713000005')).toBe(`CON Chaguo si sahihi.\n${root.slice('CON '.length)}`);
      // After a wrong answer the right one still counts, from the same screen.
      expect(await dial('s-invalid', '7*2', '+255713000005')).toMatch(/^CON Weka namba ya ombi lako/);
      // A full page of services: the remark takes the title's place, the choices stay whole.
      expect(await dial('s-invalid', '7*2*00*1*99', '+255713000005')).toMatch(/^CON Chaguo si sahihi\.\n1\. Urekebishaji wa mtandao au barua pepe\n/);
    });

    it('asks for more words when the description is a key press', async () => {
      expect(await dial('s-short', '1*1*a', '+255713000005')).toMatch(/^CON Tafadhali eleza kwa maneno machache zaidi\.\nUrekebishaji wa mtandao/);
    });
  });

  describe('USSD: status of a request', () => {
    it('2 → the reference (in full or its number) → status and due time', async () => {
      const end = (await session('s-st-1', ['1', '2', 'Tovuti yetu imedukuliwa', '1'], '+255714000001')).at(-1) ?? '';
      const reference = referenceIn(end);
      const screens = await session('s-st-2', ['2', reference], '+255714000001');
      expect(screens[1]).toBe('CON Weka namba ya ombi lako, mfano ICT-2026-000123:\n00 Rudi');
      // Line 3: two working days from Monday 11:00.
      // The charter's promise beside the date, as the chat says it, when the screen has room.
      expect(screens[2]).toBe(
        `END ${reference} (Uchunguzi wa matukio ya usalama wa TEHAMA): Limepokelewa. Muda: Mnamo siku mbili (2) za kazi, yaani kabla ya saa tano asubuhi, Jumatano tarehe 25 Novemba 2026.`,
      );
      const digits = String(Number(reference.slice(-6)));
      expect(await dial('s-st-3', `2*${digits}`, '+255714000001')).toBe(screens[2]);
      expect(await dial('s-st-4', `2*2026${reference.slice(-6)}`, '+255714000001')).toBe(screens[2]);
    });

    it('shows another phone’s request by its reference (status and due time only), and says on the same screen when no such request exists', async () => {
      const end = (await session('s-st-5', ['1', '1', 'Mtandao umekatika', '1'], '+255714000002')).at(-1) ?? '';
      const reference = referenceIn(end);
      const screen = await dial('s-st-6', `2*${reference}`, '+255714000003');
      expect(screen).toMatch(new RegExp(`^END ${reference} .*Limepokelewa`));
      expect(screen).not.toContain('Mtandao umekatika');
      expect(await dial('s-st-7', '2*ICT-2026-000999', '+255714000003')).toBe('CON Hakuna ombi ICT-2026-000999. Tafadhali hakiki namba.\nWeka namba ya ombi lako, mfano ICT-2026-000123:\n00 Rudi');
    });
  });

  describe('USSD: the charter and the language', () => {
    it('3 lists the services; one shows its promise', async () => {
      expect(await dial('s-ch', '3', '+255715000001')).toMatch(/^CON Huduma zote ni bure\. Chagua huduma uone muda wake:\n1\. Kujibu simu\n/);
      expect(await dial('s-ch', '3*2', '+255715000001')).toBe('CON Urekebishaji wa mtandao au barua pepe\nMuda: Mnamo siku moja (1) ya kazi. Bure.\n00 Rudi');
    });

    it('4 → English: the menus are in English from then on, in later sessions too', async () => {
      expect(await dial('s-lang', '4', '+255715000002')).toBe('CON Chagua lugha / Choose language:\n1. Kiswahili\n2. English\n00 Rudi');
      // With six entries the remark takes the place of the menu's title (render.ts withNote).
      expect(await dial('s-lang', '4*2', '+255715000002')).toMatch(/^CON All right, we will continue in English\.\n1\. Report a problem.*\n6\. Common questions$/s);
      expect(await dial('s-lang', '4*2*1', '+255715000002')).toMatch(/^CON Choose a service:\n1\. Network or e-mail repair/);
      // This phone's first empty post: the short privacy notice leads the English menu.
      expect(await dial('s-lang-2', '', '+255715000002')).toMatch(/^CON Welcome! Your data is protected by law/);
      const end = (await session('s-lang-3', ['1', '1', 'No internet in room 4', '1'], '+255715000002')).at(-1);
      expect(end).toMatch(/^END Your request ICT-2026-\d{6} has been received\. Time: Within 1 working day, that is before Tuesday, 24 November 2026, 11:00 am\. Thank you\.$/);
    });
  });

  describe('USSD: a session that timed out', () => {
    it('offers the unfinished report in the next session, and files it', async () => {
      const phone = '+255716000001';
      await session('s-old', ['1', '2', 'Printa ya ofisi haichapishi'], phone); // the confirm screen, then the session times out
      const screens = await session('s-new', ['1', '1'], phone);
      expect(screens[0]).toBe('CON Endelea na ombi ulilokuwa ukiandika (Uchunguzi wa matukio ya usalama wa TEHAMA)?\n1. Ndiyo, endelea\n2. Hapana, menyu kuu');
      expect(screens[1]).toBe('CON Huduma: Uchunguzi wa matukio ya usalama wa TEHAMA\nTatizo: Printa ya ofisi haichapishi\n1. Tuma\n2. Ghairi\n00 Rudi');
      const reference = referenceIn(screens[2] ?? '');
      expect((await requestsOf(reference))[0]).toMatchObject({ service: 'security_incident', details: { description: 'Printa ya ofisi haichapishi' } });
      // Filed, so no longer offered; a re-post of the last step files nothing more.
      expect(await dial('s-new', '1*1', phone)).toBe(screens[2]);
      expect(await dial('s-after', '', phone)).toMatch(/^CON Karibu/);
      const filed = await store.read((tx) => tx.orm.select().from(tx.t.requests).where(eq(tx.t.requests.service, 'security_incident')));
      expect(filed.filter((r) => (r.details as { phone?: string }).phone === phone)).toHaveLength(1);
    });

    it('forgets the draft when the person declines it', async () => {
      const phone = '+255716000002';
      await session('s-d1', ['1', '1', 'Simu ya mezani haifanyi kazi'], phone);
      const screens = await session('s-d2', ['2', '2'], phone);
      expect(screens[1]).toMatch(/^CON Karibu/);
      expect(screens[2]).toMatch(/^CON Weka namba ya ombi/);
      expect(await dial('s-d3', '', phone)).toMatch(/^CON Karibu/);
    });
  });

  describe('USSD and WhatsApp: one person for one phone number', () => {
    it('sees a WhatsApp request by its reference on USSD, and a USSD request on WhatsApp', async () => {
      const jid = '255717000001@s.whatsapp.net';
      const now = clock.now();
      const reference = await store.transaction(async (tx) => {
        const { person, conversation } = await findOrCreateConversation(tx, { channel: 'whatsapp', chatId: jid, senderId: jid }, 'sw', now);
        return (
          await createRequest(tx, {
            personId: person.id,
            conversationId: conversation.id,
            service: 'mis_account',
            charterLine: 7,
            details: { description: 'Akaunti ya HRMIS' },
            dueAt: new Date('2026-11-24T08:00:00Z'),
            prefix: 'ICT',
            year: 2026,
            at: now,
            actor: 'test',
          })
        ).reference;
      });
      expect(await dial('s-wa-1', `2*${reference}`, '+255717000001')).toMatch(new RegExp(`^END ${reference} \\(Akaunti za Mifumo ya Usimamizi wa Taarifa \\(MIS\\)\\): Limepokelewa\\.`));

      const filed = referenceIn((await session('s-wa-2', ['1', '1', 'Intaneti inakatika', '1'], '+255717000001')).at(-1) ?? '');
      expect((await requestsOf(filed))[0]?.personId).toBe((await requestsOf(reference))[0]?.personId);
      const outcome = await inbox.submit({ channel: 'whatsapp', chatId: jid, senderId: jid, channelMessageId: 'wa-status-1', text: filed, receivedAt: now });
      expect(outcome.status).toBe('replied');
      expect(outcome.status === 'replied' && outcome.replies.map((r) => r.text).join('\n')).toContain(filed);
    });

    it('does not take a number someone typed in a chat form (Telegram) for theirs: the phone stays a person of its own', async () => {
      const now = clock.now();
      const { personId, reference } = await store.transaction(async (tx) => {
        const { person, conversation } = await findOrCreateConversation(tx, { channel: 'telegram', chatId: '991', senderId: '991' }, 'sw', now);
        await setPersonContact(tx, person.id, { phone: '+255717000002' });
        const r = await createRequest(tx, {
          personId: person.id,
          conversationId: conversation.id,
          service: 'user_support',
          charterLine: 10,
          details: {},
          dueAt: new Date('2026-11-24T08:00:00Z'),
          prefix: 'ICT',
          year: 2026,
          at: now,
          actor: 'test',
        });
        return { personId: person.id, reference: r.reference };
      });
      // Typing a number proves nothing: the phone sees the chat's request only as anyone with its reference does, and does not file under the chat's person.
      expect(await dial('s-tg-1', `2*${reference}`, '+255717000002')).toMatch(new RegExp(`^END ${reference} .*Limepokelewa`));
      const filed = referenceIn((await session('s-tg-2', ['1', '1', 'Intaneti haipo', '1'], '+255717000002')).at(-1) ?? '');
      expect((await requestsOf(filed))[0]?.personId).not.toBe(personId);
    });

    it('a phone that first dialled USSD is the same person when it writes on WhatsApp', async () => {
      const filed = referenceIn((await session('s-wa-3', ['1', '1', 'Mtandao hauna kasi', '1'], '0718000001')).at(-1) ?? '');
      const jid = '255718000001@s.whatsapp.net';
      const outcome = await inbox.submit({ channel: 'whatsapp', chatId: jid, senderId: jid, channelMessageId: 'wa-status-2', text: filed, receivedAt: clock.now() });
      expect(outcome.status === 'replied' && outcome.replies.map((r) => r.text).join('\n')).toMatch(new RegExp(`${filed}.*Limepokelewa`));
    });
  });

  describe('USSD: a new number twice at once', () => {
    it('is one person, with every identity of the number leading to them', async () => {
      const phone = '+255718000002';
      // Two connections ready (PostgreSQL), so the two posts' transactions do run side by side.
      await Promise.all([1, 2].map(() => store.read((tx) => tx.orm.select().from(tx.t.people).limit(1))));
      const screens = await Promise.all([dial('s-new-a', '', phone), dial('s-new-b', '', phone)]);
      expect(screens.every((s) => s.startsWith('CON Karibu'))).toBe(true);
      const people = await store.read((tx) => tx.orm.select().from(tx.t.people).where(eq(tx.t.people.phone, phone)));
      expect(people).toHaveLength(1);
      const identities = await store.read((tx) =>
        tx.orm
          .select()
          .from(tx.t.identities)
          .where(eq(tx.t.identities.personId, people[0]?.id ?? 0)),
      );
      expect(identities.map((i) => i.channel).sort()).toEqual(['sms', 'ussd', 'whatsapp', 'whatsapp_cloud']);
    });
  });

  describe('USSD callback contract', () => {
    it('refuses a post that is not a USSD callback (400, plain text)', async () => {
      const res = await ussd.request('/ussd', { method: 'POST', body: new URLSearchParams({ text: '1' }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/sessionId/);
      const bad = await ussd.request('/ussd', { method: 'POST', body: new URLSearchParams({ sessionId: 'x', phoneNumber: 'hello', text: '' }) });
      expect(bad.status).toBe(400);
    });

    it('with SMS_CALLBACK_SECRET set, refuses a post without it (401)', async () => {
      const guarded = routes({ callbackSecret: 's3cret' });
      const body = () => new URLSearchParams({ sessionId: 'g-1', phoneNumber: '+255719000001', text: '' });
      expect((await guarded.request('/ussd', { method: 'POST', body: body() })).status).toBe(401);
      expect((await guarded.request('/ussd?secret=wrong', { method: 'POST', body: body() })).status).toBe(401);
      expect((await guarded.request('/ussd?secret=s3cret', { method: 'POST', body: body() })).status).toBe(200);
      expect((await guarded.request('/ussd', { method: 'POST', body: body(), headers: { 'X-Callback-Secret': 's3cret' } })).status).toBe(200);
    });
  });
});
