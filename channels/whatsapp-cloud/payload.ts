import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../bot/engine/types.ts';

export const WHATSAPP_CLOUD = 'whatsapp_cloud';

/*
 * Meta's webhook payload (object "whatsapp_business_account"). Only the
 * envelope is checked strictly: a body without it is not from Meta (400).
 * Messages and statuses are read one by one, each loosely, so one of a kind
 * Huduma does not know (a reaction, a sticker, a new type) is skipped rather
 * than failing the whole post, which Meta would then re-send for days.
 */

const media = z.looseObject({ id: z.string().min(1), caption: z.string().optional() });

const message = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template message.
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  image: media.optional(),
  document: media.optional(),
  video: media.optional(),
  audio: z.looseObject({ id: z.string().min(1), voice: z.boolean().optional() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
});
export type CloudMessage = z.infer<typeof message>;

export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const status = z.looseObject({
  id: z.string().min(1),
  status: z.enum(DELIVERY_STATUSES),
  recipient_id: z.string().min(1),
  timestamp: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number(), title: z.string().optional(), message: z.string().optional() })).optional(),
});
export type CloudStatus = z.infer<typeof status>;

const value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const webhookPayload = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })) })),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

export interface WebhookContents {
  readonly messages: CloudMessage[];
  readonly statuses: CloudStatus[];
  /** How many messages or statuses were not understood (logged, not answered). */
  readonly skipped: number;
}

/**
 * The messages and statuses of a payload, in order. Changes for another phone
 * number of the same Meta app are left alone: answering them from ours would
 * reach people who wrote to someone else.
 */
export function contentsOf(payload: WebhookPayload, phoneNumberId?: string): WebhookContents {
  const out = { messages: [] as CloudMessage[], statuses: [] as CloudStatus[], skipped: 0 };
  for (const change of payload.entry.flatMap((e) => e.changes)) {
    const v = value.safeParse(change.value);
    if (change.field !== 'messages' || !v.success) continue;
    if (phoneNumberId && v.data.metadata && v.data.metadata.phone_number_id !== phoneNumberId) continue;
    for (const m of v.data.messages ?? []) pushParsed(message, m, out.messages, out);
    for (const s of v.data.statuses ?? []) pushParsed(status, s, out.statuses, out);
  }
  return out;
}

function pushParsed<T>(schema: z.ZodType<T>, item: unknown, into: T[], counts: { skipped: number }): void {
  const parsed = schema.safeParse(item);
  if (parsed.success) into.push(parsed.data);
  else counts.skipped++;
}

/**
 * The text a message carries for the engine. A pressed button or list row
 * gives its id, which Huduma set to the option's number: the engine takes a
 * number whatever the language, while the title may have been shortened.
 */
export function textOf(m: CloudMessage): string {
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  return m.text?.body ?? reply?.id ?? m.button?.text ?? m.image?.caption ?? m.document?.caption ?? m.video?.caption ?? '';
}

/** Photos, documents (and videos, kept as documents), voice notes and locations, as the engine keeps them; media by Meta's media id. */
export function attachmentsOf(m: CloudMessage): Attachment[] {
  const caption = (c: string | undefined) => (c ? { caption: c } : {});
  if (m.image) return [{ kind: 'photo', fileId: m.image.id, ...caption(m.image.caption) }];
  if (m.document) return [{ kind: 'document', fileId: m.document.id, ...caption(m.document.caption) }];
  if (m.video) return [{ kind: 'document', fileId: m.video.id, ...caption(m.video.caption) }];
  // Meta marks a recorded voice note `voice: true`; an audio file sent as such is kept like any other document.
  if (m.audio) return [{ kind: m.audio.voice ? 'voice' : 'document', fileId: m.audio.id }];
  if (m.location) return [{ kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude }];
  return [];
}

/** A Cloud API message as the engine sees it; undefined when it carries nothing to answer (a reaction, a sticker). */
export function inboundOf(m: CloudMessage, receivedAt: Date): InboundMessage | undefined {
  const text = textOf(m);
  const attachments = attachmentsOf(m);
  if (text.trim() === '' && attachments.length === 0) return undefined;
  // One-to-one only: the chat is the sender's WhatsApp id (their number), which is also where replies go.
  return { channel: WHATSAPP_CLOUD, chatId: m.from, senderId: m.from, channelMessageId: m.id, text, attachments, receivedAt };
}
