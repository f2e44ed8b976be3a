import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { MemoryDeliveryLog } from '../../channels/whatsapp-cloud/delivery.ts';
import { outcomeOfError } from '../../channels/whatsapp-cloud/errors.ts';
import { contentsOf, inboundOf, textOf, type CloudMessage, type WebhookPayload } from '../../channels/whatsapp-cloud/payload.ts';
import { LIMITS, renderMessage, renderTemplate } from '../../channels/whatsapp-cloud/render.ts';
import { missingWhatsAppCloudSettings, whatsAppCloudSettingsOf } from '../../channels/whatsapp-cloud/settings.ts';
import { validSignature } from '../../channels/whatsapp-cloud/webhook.ts';
import { insideWindow, WINDOW_MS } from '../../channels/whatsapp-cloud/window.ts';
import { translator } from '../../locales/index.ts';

const sw = translator('sw');
const TO = '255712345678';
const options = (...labels: string[]) => labels.map((label, i) => ({ id: `o${i}`, label }));
const message = (m: object): CloudMessage => ({ from: TO, id: 'wamid.A', timestamp: '1795392000', type: 'text', ...m });

describe('Cloud API replies as Graph messages', () => {
  it('plain text without choices', () => {
    expect(renderMessage(TO, { text: 'Karibu' }, sw)).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: TO, type: 'text', text: { body: 'Karibu', preview_url: false } });
  });

  it('up to three short choices as reply buttons whose ids are the option numbers', () => {
    const m = renderMessage(TO, { text: 'Je, taarifa hizi ni sahihi?', options: options('Ndiyo, wasilisha', 'Badilisha taarifa', 'Ghairi') }, sw);
    expect(m).toMatchObject({ type: 'interactive', interactive: { type: 'button', body: { text: 'Je, taarifa hizi ni sahihi?' } } });
    const buttons = m.type === 'interactive' && m.interactive.type === 'button' ? m.interactive.action.buttons : [];
    expect(buttons).toEqual([
      { type: 'reply', reply: { id: '1', title: 'Ndiyo, wasilisha' } },
      { type: 'reply', reply: { id: '2', title: 'Badilisha taarifa' } },
      { type: 'reply', reply: { id: '3', title: 'Ghairi' } },
    ]);
  });

  it('four to ten choices (or a label too long for a button) as a list, the full label kept as description', () => {
    const long = 'Barua pepe na akaunti za watumishi wa taasisi';
    const m = renderMessage(TO, { text: 'Chagua', options: options('Ripoti tatizo', long) }, sw);
    expect(m).toMatchObject({ type: 'interactive', interactive: { type: 'list', action: { button: 'Chagua' } } });
    const rows = m.type === 'interactive' && m.interactive.type === 'list' ? (m.interactive.action.sections[0]?.rows ?? []) : [];
    expect(rows[0]).toEqual({ id: '1', title: 'Ripoti tatizo' });
    expect(rows[1]?.id).toBe('2');
    expect(Array.from(rows[1]?.title ?? '').length).toBeLessThanOrEqual(LIMITS.rowTitle);
    expect(rows[1]?.description).toBe(long);
    const ten = renderMessage(TO, { text: 'Chagua', options: options(...'abcdefghij'.split('')) }, sw);
    expect(ten.type === 'interactive' && ten.interactive.type).toBe('list');
  });

  it('more than ten choices, or a body too long for an interactive message, as numbered text', () => {
    const many = renderMessage(TO, { text: 'Huduma', options: options(...'abcdefghijk'.split('')) }, sw);
    expect(many.type === 'text' && many.text.body).toMatch(/^Huduma\n\n1\. a\n.*11\. k\n\nTafadhali jibu kwa kuandika namba/s);
    const long = renderMessage(TO, { text: 'x'.repeat(LIMITS.interactiveBody + 1), options: options('a') }, sw);
    expect(long.type).toBe('text');
  });

  it('a template with the notice as its one body parameter, on one line and within the limit', () => {
    const t = renderTemplate(TO, { text: 'Ombi ICT-2026-000001\n\nlimechelewa.\tSamahani' }, { name: 'huduma_notice', language: 'sw' }, sw);
    expect(t).toMatchObject({ type: 'template', template: { name: 'huduma_notice', language: { code: 'sw' } } });
    const param = t.type === 'template' ? t.template.components[0]?.parameters[0]?.text : undefined;
    expect(param).toBe('Ombi ICT-2026-000001 limechelewa. Samahani');
    const long = renderTemplate(TO, { text: 'neno '.repeat(400) }, { name: 'huduma_notice', language: 'sw' }, sw);
    const text = long.type === 'template' ? (long.template.components[0]?.parameters[0]?.text ?? '') : '';
    expect(Array.from(text).length).toBe(LIMITS.templateParameter);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe("Meta's webhook payload", () => {
  const payload = (value: object, phoneNumberId = 'PNID'): WebhookPayload => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '255700000000', phone_number_id: phoneNumberId }, ...value } }] }],
  });

  it('a pressed button or list row gives the option number; a template quick reply its text', () => {
    expect(textOf(message({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: '2', title: 'Badilisha taarifa' } } }))).toBe('2');
    expect(textOf(message({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: '4', title: 'Ongea na afisa' } } }))).toBe('4');
    expect(textOf(message({ type: 'button', button: { text: 'Ndiyo', payload: 'yes' } }))).toBe('Ndiyo');
  });

  it('media and places as attachments; a caption is also the text', () => {
    const photo = inboundOf(message({ type: 'image', image: { id: 'MEDIA1', mime_type: 'image/jpeg', sha256: 'x', caption: 'printa' } }), new Date(0));
    expect(photo).toMatchObject({
      channel: 'whatsapp_cloud',
      chatId: TO,
      senderId: TO,
      channelMessageId: 'wamid.A',
      text: 'printa',
      attachments: [{ kind: 'photo', fileId: 'MEDIA1', caption: 'printa' }],
    });
    expect(inboundOf(message({ type: 'audio', audio: { id: 'V1', voice: true } }), new Date(0))?.attachments).toEqual([{ kind: 'voice', fileId: 'V1' }]);
    expect(inboundOf(message({ type: 'document', document: { id: 'D1', filename: 'barua.pdf' } }), new Date(0))?.attachments).toEqual([{ kind: 'document', fileId: 'D1' }]);
  });

  it('a reaction or sticker is nothing to answer; a malformed message is skipped, not the whole post', () => {
    expect(inboundOf(message({ type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }), new Date(0))).toBeUndefined();
    const contents = contentsOf(
      payload({ messages: [message({ text: { body: 'habari' } }), { id: 'no sender' }], statuses: [{ id: 'wamid.S', status: 'read', recipient_id: TO, timestamp: '1' }] }),
      'PNID',
    );
    expect(contents.messages.map((m) => m.id)).toEqual(['wamid.A']);
    expect(contents.statuses.map((s) => [s.id, s.status])).toEqual([['wamid.S', 'read']]);
    expect(contents.skipped).toBe(1);
  });

  it('leaves alone changes for another phone number of the same app, and fields other than messages', () => {
    expect(contentsOf(payload({ messages: [message({ text: { body: 'habari' } })] }, 'OTHER'), 'PNID').messages).toEqual([]);
    const other: WebhookPayload = { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'account_update', value: { messages: [message({ text: { body: 'x' } })] } }] }] };
    expect(contentsOf(other, 'PNID').messages).toEqual([]);
  });
});

describe('Graph errors, as the outbox sees them', () => {
  it.each([
    [429, 130429, 'retry'],
    [400, 131056, 'retry'],
    [500, 131000, 'retry'],
    [503, undefined, 'retry'],
    [400, 131026, 'failed'],
    [400, 131051, 'failed'],
    [400, 132001, 'failed'],
    [400, 100, 'failed'],
    [401, 190, 'deferred'],
    [400, 131047, 'window_closed'],
  ])('HTTP %s, code %s → %s', (http, code, status) => {
    expect(outcomeOfError(http, code === undefined ? undefined : { code, message: 'x' }).status).toBe(status);
  });

  it('a rate limit waits for Retry-After when Meta gives one, else a minute', () => {
    expect(outcomeOfError(429, { code: 130429, message: 'Rate limit hit' }, '7')).toEqual({ status: 'retry', reason: 'graph 429 (#130429) Rate limit hit', afterMs: 7000 });
    expect(outcomeOfError(429, { code: 130429, message: 'Rate limit hit' })).toMatchObject({ afterMs: 60_000 });
  });
});

describe('the 24-hour customer-service window', () => {
  const last = new Date('2026-11-23T08:00:00Z');
  const later = (ms: number) => new Date(last.getTime() + ms);
  it('open for 24 hours after the last message, closed before any and after', () => {
    expect(insideWindow(last, later(WINDOW_MS - 1))).toBe(true);
    expect(insideWindow(last, later(WINDOW_MS))).toBe(false);
    expect(insideWindow(undefined, last)).toBe(false);
  });
  it('closed when Meta said so after the last message, open again once the person writes', () => {
    expect(insideWindow(last, later(60_000), later(1_000))).toBe(false);
    expect(insideWindow(later(2_000), later(60_000), later(1_000))).toBe(true);
  });
});

describe('delivery statuses', () => {
  it('never go back (a late "delivered" after "read"), and a failure keeps its code and title', () => {
    const log = new MemoryDeliveryLog();
    log.remember('wamid.1', TO);
    log.record('wamid.1', 'read');
    log.record('wamid.1', 'delivered');
    expect(log.get('wamid.1')).toEqual({ chatId: TO, status: 'read' });
    log.record('wamid.1', 'failed', { code: 131026, title: 'Message undeliverable' });
    expect(log.get('wamid.1')).toEqual({ chatId: TO, status: 'failed', error: { code: 131026, title: 'Message undeliverable' } });
    log.record('wamid.unknown', 'sent');
    expect(log.get('wamid.unknown')).toBeUndefined();
  });
});

describe('the signature and the settings', () => {
  it('X-Hub-Signature-256 is the HMAC-SHA256 of the raw bytes with the app secret', () => {
    const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const good = `sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`;
    expect(validSignature(good, raw, 'app-secret')).toBe(true);
    expect(validSignature(good, Buffer.concat([raw, Buffer.from(' ')]), 'app-secret')).toBe(false);
    expect(validSignature(good, raw, 'other-secret')).toBe(false);
    expect(validSignature(good.slice(7), raw, 'app-secret')).toBe(false);
    expect(validSignature(undefined, raw, 'app-secret')).toBe(false);
  });

  it('the channel is on only with all four settings; the defaults are those of the issue', () => {
    const four = { WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234', WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG', WHATSAPP_CLOUD_APP_SECRET: 's', WHATSAPP_CLOUD_VERIFY_TOKEN: 'v' };
    expect(whatsAppCloudSettingsOf(loadConfig({}))).toBeUndefined();
    expect(missingWhatsAppCloudSettings(loadConfig({}))).toEqual([]);
    expect(missingWhatsAppCloudSettings(loadConfig({ ...four, WHATSAPP_CLOUD_APP_SECRET: '' }))).toEqual(['WHATSAPP_CLOUD_APP_SECRET']);
    expect(whatsAppCloudSettingsOf(loadConfig(four))).toEqual({
      graph: { apiRoot: 'https://graph.facebook.com/v21.0', phoneNumberId: '1234', accessToken: 'EAAG' },
      appSecret: 's',
      verifyToken: 'v',
      template: { name: 'huduma_notice', languages: { sw: 'sw', en: 'en' } },
      messagesPerSecond: 20,
    });
    expect(() => loadConfig({ WHATSAPP_CLOUD_TEMPLATE_NOTICE: 'Huduma Notice' })).toThrow(/WHATSAPP_CLOUD_TEMPLATE_NOTICE/);
  });
});
