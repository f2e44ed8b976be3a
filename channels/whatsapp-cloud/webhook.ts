import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { sameSecret } from '../../bot/secrets.ts';
import { headerOf, limitBody, parseJson, readBytes } from '../http.ts';
import { webhookPayload, type WebhookPayload } from './payload.ts';

export const WHATSAPP_CLOUD_WEBHOOK_PATH = '/whatsapp/webhook';

export interface WhatsAppCloudWebhookOptions {
  /** What Meta echoes when it verifies the address (WHATSAPP_CLOUD_VERIFY_TOKEN). */
  readonly verifyToken: string;
  /** The Meta app's secret, which signs every post (WHATSAPP_CLOUD_APP_SECRET). */
  readonly appSecret: string;
  /** Handles a verified payload; resolves once its messages are committed (WhatsAppCloudChannel.handleWebhook). */
  readonly handle: (payload: WebhookPayload) => Promise<void>;
  readonly maxBodyBytes?: number;
}

/** Whether `header` is `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
export function validSignature(header: string | undefined, raw: Buffer, appSecret: string): boolean {
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1];
  if (!hex) return false;
  return sameSecret(Buffer.from(hex, 'hex'), createHmac('sha256', appSecret).update(raw).digest());
}

/**
 * Meta's webhook for the Cloud API. GET answers the verification handshake.
 * POST checks the signature over the raw bytes (as Meta signed them, before
 * any parsing) and answers 200 only after the payload is handled and
 * committed: a crash before that makes Meta post it again, and the engine
 * keeps a message id to one answer.
 */
export function whatsappCloudWebhookRoutes(options: WhatsAppCloudWebhookOptions): Hono {
  const app = new Hono();
  const limit = options.maxBodyBytes ?? 512 * 1024;
  app.get(WHATSAPP_CLOUD_WEBHOOK_PATH, (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge');
    if (mode !== 'subscribe' || token === undefined || !challenge || !sameSecret(token, options.verifyToken)) {
      return c.json({ error: 'wrong or missing hub.verify_token' }, 403);
    }
    return c.text(challenge, 200);
  });
  app.post(WHATSAPP_CLOUD_WEBHOOK_PATH, limitBody({ maxSize: limit, onError: (c) => c.json({ error: `the body is larger than ${limit} bytes` }, 413) }), async (c) => {
    const raw = await readBytes(c);
    if (!validSignature(headerOf(c, 'X-Hub-Signature-256'), raw, options.appSecret)) return c.json({ error: 'wrong or missing X-Hub-Signature-256' }, 401);
    const json = parseJson(raw.toString('utf8'));
    if (!json.ok) return c.json({ error: 'the body must be JSON' }, 400);
    const parsed = webhookPayload.safeParse(json.value);
    if (!parsed.success) return c.json({ error: 'the body is not a WhatsApp Business Account webhook payload' }, 400);
    await options.handle(parsed.data);
    return c.json({ ok: true });
  });
  return app;
}
