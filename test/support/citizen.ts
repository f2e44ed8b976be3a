import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestServer } from './app.ts';

// A citizen as they reach a real server over loopback: the web chat's HTTP
// contract, an SMS and a USSD callback as Africa's Talking posts them, and
// what was queued to their phone (the outbox; the test servers do not send).

/** Settings that turn on SMS and USSD, so that codes can be sent to prove a number (nothing is really sent: the worker is not started). */
export const PHONE_CHANNELS_ENV = { USSD_ENABLED: '1', SMS_USERNAME: 'huduma', SMS_API_KEY: 'test-key', SMS_API_ROOT: 'http://127.0.0.1:9/version1', RATE_LIMIT_PER_MINUTE: '0' };

export const REFERENCE = /ICT-2026-\d{6}/;

export interface Said {
  readonly status: number;
  readonly replies: readonly { readonly text: string; readonly options?: readonly { readonly id: string; readonly label: string }[] }[];
  /** Every reply's text, one after another. */
  readonly text: string;
}

export async function openWebchat(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/webchat/sessions`, { method: 'POST' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sessionId: string }).sessionId;
}

/** One web chat message; its answer (a 404 has no replies). */
export async function chat(server: TestServer, session: string, text: string): Promise<Said> {
  const res = await fetch(`${server.url}/webchat/sessions/${session}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  const body = (await res.json()) as { replies?: Said['replies'] };
  const replies = body.replies ?? [];
  return { status: res.status, replies, text: replies.map((r) => r.text).join('\n') };
}

let smsId = 0;
/** An SMS from `phone`, as the gateway posts it. */
export async function smsIn(server: TestServer, phone: string, text: string): Promise<void> {
  const res = await fetch(`${server.url}/sms/inbound`, { method: 'POST', body: new URLSearchParams({ from: phone, to: '15000', text, id: `at-${process.pid}-${++smsId}` }) });
  expect(res.status).toBe(200);
}

/** One USSD post (every answer of the session so far in `text`); the screen. */
export async function ussd(server: TestServer, sessionId: string, phone: string, text: string): Promise<string> {
  const res = await fetch(`${server.url}/ussd`, { method: 'POST', body: new URLSearchParams({ sessionId, serviceCode: '*152*00#', phoneNumber: phone, text }) });
  expect(res.status).toBe(200);
  return res.text();
}

/** The texts queued to a chat on a channel, oldest first. */
export async function queuedTo(server: TestServer, channel: string, chatId: string): Promise<string[]> {
  const rows = await server.app.store.read((tx) =>
    tx.orm
      .select()
      .from(tx.t.outbox)
      .where(and(eq(tx.t.outbox.channel, channel), eq(tx.t.outbox.chatId, chatId)))
      .orderBy(asc(tx.t.outbox.id)),
  );
  return rows.map((r) => (r.body as { text?: string }).text ?? '');
}

/** Proves `phone` in a web chat session: asks to link it, reads the code queued to it by SMS, types it back. */
export async function provePhone(server: TestServer, session: string, typed: string, phone: string): Promise<void> {
  expect((await chat(server, session, `unganisha namba yangu ${typed}`)).text).toContain('namba ya uthibitisho');
  const code = /(\d{6})/.exec((await queuedTo(server, 'sms', phone)).at(-1) ?? '')?.[1] ?? '';
  expect((await chat(server, session, code)).text).toContain('imethibitishwa');
}

/** Answers a chat form until it is filed (with `answers` for the questions it asks); the reference. */
export async function fileByChat(
  server: TestServer,
  session: string,
  first: string,
  answers: { readonly name?: string; readonly office: string; readonly phone: string; readonly system?: string },
): Promise<string> {
  let said = (await chat(server, session, first)).text;
  for (let i = 0; i < 12 && !REFERENCE.test(said); i++) {
    const answer = /Ni mfumo upi|Which system/.test(said)
      ? (answers.system ?? 'HRMIS')
      : /jina kamili|full name/.test(said)
        ? (answers.name ?? 'Asha Mushi')
        : /ofisi au idara|office or department/.test(said)
          ? answers.office
          : /namba yako ya simu|phone number/.test(said)
            ? answers.phone
            : /taarifa hizi ni sahihi|details correct/.test(said)
              ? 'ndiyo'
              : // An article fitted the first message (the knowledge base): a request is what this test files.
                /Je, hili limesaidia\?|Did this help\?/.test(said)
                ? 'Fungua ombi'
                : undefined;
    if (answer === undefined) throw new Error(`the form asked what this test cannot answer: ${said}`);
    said = (await chat(server, session, answer)).text;
  }
  return REFERENCE.exec(said)?.[0] ?? '';
}

/** A report filed by USSD from `phone` (the first service, with this description); the reference. */
export async function fileByUssd(server: TestServer, sessionId: string, phone: string, description: string): Promise<string> {
  let screen = '';
  for (const text of ['', '1', '1*1', `1*1*${description}`, `1*1*${description}*1`]) screen = await ussd(server, sessionId, phone, text);
  return REFERENCE.exec(screen)?.[0] ?? '';
}
