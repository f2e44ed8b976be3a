import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { InboundMessage } from '../../bot/engine/types.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import { WhatsAppCloudChannel, type WhatsAppCloudOptions } from '../../channels/whatsapp-cloud/cloud.ts';
import { MemoryDeliveryLog } from '../../channels/whatsapp-cloud/delivery.ts';
import { chatLookupsOf } from '../../channels/whatsapp-cloud/settings.ts';
import { whatsappCloudWebhookRoutes } from '../../channels/whatsapp-cloud/webhook.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import type { Backend } from '../support/databases.ts';

export const APP_SECRET = 'meta-app-secret';
export const VERIFY_TOKEN = 'huduma-verify-token';
export const ACCESS_TOKEN = 'EAAG-test-token';
export const PHONE_NUMBER_ID = '109876543210';

export interface GraphRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: {
    to: string;
    type: string;
    text?: { body: string };
    interactive?: { type: string; body: { text: string }; action: { buttons?: unknown[]; sections?: { rows: { id: string; title: string }[] }[] } };
    template?: { name: string; language: { code: string }; components: unknown[] };
  };
}

/** Numbers the Graph stand-in answers with an error, in Graph's JSON shape; 255700000047 is outside the window for anything but a template. */
const ERRORS: Record<string, { status: number; code: number; message: string }> = {
  '255700000429': { status: 429, code: 130429, message: '(#130429) Rate limit hit' },
  '255700000026': { status: 400, code: 131026, message: '(#131026) Message undeliverable' },
  '255700000051': { status: 400, code: 131051, message: '(#131051) Unsupported message type' },
  '255700000500': { status: 500, code: 131000, message: 'Something went wrong' },
};

/** A loopback stand-in for graph.facebook.com: records each send and answers as Graph does. */
function graphStub(sent: GraphRequest[]): Hono {
  const api = new Hono();
  api.post('/v21.0/:phone/messages', async (c) => {
    const body = (await c.req.json()) as GraphRequest['body'];
    sent.push({ path: c.req.path, authorization: c.req.header('authorization'), body });
    const error = ERRORS[body.to] ?? (body.to === '255700000047' && body.type !== 'template' ? { status: 400, code: 131047, message: 'Re-engagement message' } : undefined);
    if (error) return c.json({ error: { message: error.message, type: 'OAuthException', code: error.code, fbtrace_id: 'AbC' } }, error.status as 400);
    return c.json({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.TEST${sent.length}` }] });
  });
  return api;
}

async function listen(app: Hono): Promise<{ server: ReturnType<typeof serve>; url: string }> {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => s.once('listening', () => r()));
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

const closeServer = (s: ReturnType<typeof serve>) => new Promise<void>((r) => s.close(() => r()));

export const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export const webhook = (value: { messages?: object[]; statuses?: object[] }) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'WABA1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '255700000000', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }],
});

let ids = 0;
export const fromPerson = (from: string, content: object) => ({ from, id: `wamid.IN${++ids}`, timestamp: '1795392000', ...content });
export const text = (from: string, body: string) => fromPerson(from, { type: 'text', text: { body } });

/**
 * The real app (engine, database of the backend, its HTTP routes) with the
 * Cloud API channel mounted beside it as production will mount it, a Graph
 * stand-in on loopback, and an outbox worker for the channel that the test drives.
 */
export async function startCloudFixture(backend: Backend) {
  const server: TestServer = await startTestServer({ backend });
  const { store } = server.app;
  const sent: GraphRequest[] = [];
  const graph = await listen(graphStub(sent));
  const deliveries = new MemoryDeliveryLog();
  const delivered: InboundMessage[] = [];
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _, done) => (logLines.push(String(chunk)), done()) }));
  const channelOptions = (overrides: Partial<WhatsAppCloudOptions> = {}): WhatsAppCloudOptions => ({
    graph: { apiRoot: `${graph.url}/v21.0`, phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN },
    deliver: (m) => (delivered.push(m), server.app.inbox.submit(m)),
    clock: server.clock,
    log,
    ...chatLookupsOf(store),
    template: { name: 'huduma_notice', languages: { sw: 'sw', en: 'en_US' } },
    deliveries,
    ...overrides,
  });
  const channel = new WhatsAppCloudChannel(channelOptions());
  const app = new Hono();
  app.route('/', whatsappCloudWebhookRoutes({ verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, handle: (p) => channel.handleWebhook(p) }));
  app.all('*', (c) => server.app.http.fetch(c.req.raw));
  const front = await listen(app);
  const worker = new OutboxWorker({ store, channels: [channel], clock: server.clock, log: pino({ level: 'silent' }) });
  const cloudRows = () => store.read((tx) => tx.orm.select().from(tx.t.outbox).where(eq(tx.t.outbox.channel, 'whatsapp_cloud')).orderBy(tx.t.outbox.id));
  return {
    server,
    app,
    /** The channel the webhook hands payloads to. */
    channel,
    url: front.url,
    sent,
    deliveries,
    delivered,
    logLines,
    channelOptions,
    cloudRows,
    sentTo: (to: string) => sent.filter((r) => r.body.to === to),
    /** Posts to the webhook over HTTP, signed with the app secret unless told otherwise (null: no signature). */
    post(body: object | string, signature?: string | null) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const header = signature === undefined ? sign(raw) : signature;
      return fetch(`${front.url}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(header ? { 'X-Hub-Signature-256': header } : {}) }, body: raw });
    },
    inboundOf: (chatId: string) =>
      store.read(({ orm, t: { messages, conversations } }) =>
        orm
          .select({ text: messages.text, attachments: messages.attachments })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .where(and(eq(conversations.channel, 'whatsapp_cloud'), eq(conversations.chatId, chatId), eq(messages.direction, 'in'))),
      ),
    /** Runs the outbox until nothing for this channel is pending, moving the clock past the per-chat pacing. */
    async flush(): Promise<void> {
      for (let i = 0; i < 30; i++) {
        if (!(await cloudRows()).some((r) => r.status === 'pending')) return;
        await worker.tick();
        server.clock.advance(1_100);
      }
      throw new Error('the outbox did not drain');
    },
    async close(): Promise<void> {
      await closeServer(front.server);
      await closeServer(graph.server);
      await server.close();
    },
  };
}

export type CloudFixture = Awaited<ReturnType<typeof startCloudFixture>>;
