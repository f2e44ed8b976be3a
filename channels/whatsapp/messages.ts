import { getContentType, isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, normalizeMessageContent, type proto, type WAMessage } from '@whiskeysockets/baileys';
import type { Attachment, InboundMessage } from '../../bot/engine/types.ts';

export const WHATSAPP = 'whatsapp';

/** Messages that are about other messages (edits, deletes, reactions, poll votes): nothing a person asked. */
const NOT_A_REQUEST = new Set<string>(['protocolMessage', 'reactionMessage', 'encReactionMessage', 'pollUpdateMessage', 'senderKeyDistributionMessage']);

/** The first non-empty string: decoded protos hold null (or '') for fields not sent. */
function firstText(...values: (string | null | undefined)[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** The id a native-flow button reply carries in its JSON parameters. */
function nativeFlowId(paramsJson: string | null | undefined): string | undefined {
  if (!paramsJson) return undefined;
  try {
    const params: unknown = JSON.parse(paramsJson);
    const id = typeof params === 'object' && params !== null && 'id' in params ? params.id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

/** The text a message carries for the engine: typed text, a caption, or a pressed button / list row. */
export function textOf(content: proto.IMessage): string | undefined {
  const interactive = content.interactiveResponseMessage;
  return firstText(
    content.conversation,
    content.extendedTextMessage?.text,
    content.imageMessage?.caption,
    content.videoMessage?.caption,
    content.documentMessage?.caption,
    content.buttonsResponseMessage?.selectedDisplayText,
    content.buttonsResponseMessage?.selectedButtonId,
    content.listResponseMessage?.title,
    content.listResponseMessage?.singleSelectReply?.selectedRowId,
    content.templateButtonReplyMessage?.selectedDisplayText,
    content.templateButtonReplyMessage?.selectedId,
    interactive?.body?.text,
    nativeFlowId(interactive?.nativeFlowResponseMessage?.paramsJson),
  );
}

/**
 * Photos, documents, voice notes and locations, as the engine keeps them. Media
 * is named by the message id: the WAMessage itself is stored, and media is
 * downloaded from it when staff need it (the link in it expires, the keys do not).
 */
export function attachmentsOf(content: proto.IMessage, messageId: string): Attachment[] {
  const caption = (c: string | null | undefined) => (c ? { caption: c } : {});
  if (content.imageMessage) return [{ kind: 'photo', fileId: messageId, ...caption(content.imageMessage.caption) }];
  if (content.documentMessage) return [{ kind: 'document', fileId: messageId, ...caption(content.documentMessage.caption) }];
  if (content.audioMessage?.ptt) return [{ kind: 'voice', fileId: messageId }];
  const place = content.locationMessage ?? content.liveLocationMessage;
  if (place && typeof place.degreesLatitude === 'number' && typeof place.degreesLongitude === 'number') {
    return [{ kind: 'location', latitude: place.degreesLatitude, longitude: place.degreesLongitude }];
  }
  return [];
}

/** Why a message is not for the engine, or undefined when it is. Only a person writing to us one-to-one is. */
export function ignoredBecause(m: WAMessage): string | undefined {
  const jid = m.key.remoteJid;
  if (!jid || !m.key.id) return 'no chat or id';
  if (m.key.fromMe) return 'own message';
  if (isJidGroup(jid)) return 'group';
  if (isJidStatusBroadcast(jid) || isJidBroadcast(jid)) return 'broadcast';
  if (isJidNewsletter(jid)) return 'newsletter';
  const type = getContentType(normalizeMessageContent(m.message));
  if (!type) return 'no content';
  if (NOT_A_REQUEST.has(type)) return type;
  return undefined;
}

/** A WhatsApp message as the engine sees it; undefined for what is not a person's request (see ignoredBecause). */
export function inboundOf(m: WAMessage, receivedAt: Date): InboundMessage | undefined {
  const content = normalizeMessageContent(m.message);
  const { remoteJid, id } = m.key;
  if (ignoredBecause(m) || !content || !remoteJid || !id) return undefined;
  const text = textOf(content) ?? '';
  const attachments = attachmentsOf(content, id);
  if (text === '' && attachments.length === 0) return undefined;
  return {
    channel: WHATSAPP,
    chatId: remoteJid,
    // Baileys 7 addresses chats by LID; the phone-number JID, when WhatsApp gives it, is the stabler identity.
    senderId: m.key.remoteJidAlt ?? m.key.participant ?? remoteJid,
    channelMessageId: `${remoteJid}:${id}`,
    text,
    attachments,
    receivedAt,
  };
}
