import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { sendResultOf } from '../../channels/whatsapp/errors.ts';
import { ignoredBecause, inboundOf } from '../../channels/whatsapp/messages.ts';
import { renderText } from '../../channels/whatsapp/render.ts';
import { translator } from '../../locales/index.ts';
import { boom, CITIZEN_LID, CITIZEN_PN, incoming } from './whatsapp-fake.ts';

const at = new Date('2026-11-23T08:00:00Z');
const textOf = (content: proto.IMessage) => inboundOf(incoming(content), at)?.text;

describe('WhatsApp messages as the engine sees them', () => {
  it('takes the text from every kind of message a person can send', () => {
    expect(textOf({ conversation: 'habari' })).toBe('habari');
    expect(textOf({ extendedTextMessage: { text: 'barua pepe haifanyi kazi' } })).toBe('barua pepe haifanyi kazi');
    expect(textOf({ imageMessage: { caption: 'printa yenyewe', mimetype: 'image/jpeg' } })).toBe('printa yenyewe');
    expect(textOf({ videoMessage: { caption: 'skrini inawaka' } })).toBe('skrini inawaka');
    expect(textOf({ documentMessage: { caption: 'barua ya maombi', fileName: 'ombi.pdf' } })).toBe('barua ya maombi');
    expect(textOf({ documentWithCaptionMessage: { message: { documentMessage: { caption: 'fomu', fileName: 'fomu.pdf' } } } })).toBe('fomu');
    expect(textOf({ ephemeralMessage: { message: { conversation: 'msaada' } } })).toBe('msaada');
    expect(textOf({ buttonsResponseMessage: { selectedButtonId: '1', selectedDisplayText: 'Ndiyo, wasilisha' } })).toBe('Ndiyo, wasilisha');
    expect(textOf({ buttonsResponseMessage: { selectedButtonId: '2' } })).toBe('2');
    expect(textOf({ listResponseMessage: { title: 'Kufuatilia ombi langu', singleSelectReply: { selectedRowId: '2' } } })).toBe('Kufuatilia ombi langu');
    expect(textOf({ listResponseMessage: { singleSelectReply: { selectedRowId: '3' } } })).toBe('3');
    expect(textOf({ templateButtonReplyMessage: { selectedId: '1', selectedDisplayText: 'Ghairi' } })).toBe('Ghairi');
    expect(textOf({ templateButtonReplyMessage: { selectedId: '1' } })).toBe('1');
    expect(textOf({ interactiveResponseMessage: { body: { text: 'Badilisha taarifa' } } })).toBe('Badilisha taarifa');
    expect(textOf({ interactiveResponseMessage: { nativeFlowResponseMessage: { name: 'quick_reply', paramsJson: '{"id":"2"}', version: 1 } } })).toBe('2');
  });

  it('names the chat, the sender (the phone JID when Baileys 7 gives it beside the LID) and the message', () => {
    const m = incoming({ conversation: 'habari' });
    expect(inboundOf(m, at)).toEqual({
      channel: 'whatsapp',
      chatId: CITIZEN_LID,
      senderId: CITIZEN_PN,
      channelMessageId: `${CITIZEN_LID}:${m.key.id}`,
      text: 'habari',
      attachments: [],
      receivedAt: at,
    });
    const plain = incoming({ conversation: 'habari' }, { remoteJid: CITIZEN_PN, remoteJidAlt: undefined });
    expect(inboundOf(plain, at)?.senderId).toBe(CITIZEN_PN);
  });

  it('keeps photos, documents, voice notes and locations as attachments', () => {
    const photo = incoming({ imageMessage: { caption: 'printa yenyewe', mimetype: 'image/jpeg', mediaKey: new Uint8Array([1, 2, 3]) } });
    expect(inboundOf(photo, at)?.attachments).toEqual([{ kind: 'photo', fileId: photo.key.id, caption: 'printa yenyewe' }]);
    const doc = incoming({ documentMessage: { fileName: 'ombi.pdf' } });
    expect(inboundOf(doc, at)).toMatchObject({ text: '', attachments: [{ kind: 'document', fileId: doc.key.id }] });
    const voice = incoming({ audioMessage: { ptt: true, seconds: 4 } });
    expect(inboundOf(voice, at)?.attachments).toEqual([{ kind: 'voice', fileId: voice.key.id }]);
    expect(inboundOf(incoming({ locationMessage: { degreesLatitude: -6.7924, degreesLongitude: 39.2083 } }), at)?.attachments).toEqual([{ kind: 'location', latitude: -6.7924, longitude: 39.2083 }]);
    expect(inboundOf(incoming({ liveLocationMessage: { degreesLatitude: -6.8, degreesLongitude: 39.28 } }), at)?.attachments).toEqual([{ kind: 'location', latitude: -6.8, longitude: 39.28 }]);
  });

  it('ignores groups, status, broadcast lists, newsletters, our own messages and messages about messages', () => {
    const text = { conversation: 'habari' };
    expect(ignoredBecause(incoming(text, { remoteJid: '120363012345678901@g.us', participant: CITIZEN_LID }))).toBe('group');
    expect(ignoredBecause(incoming(text, { remoteJid: 'status@broadcast', participant: CITIZEN_PN }))).toBe('broadcast');
    expect(ignoredBecause(incoming(text, { remoteJid: '1700000000@broadcast' }))).toBe('broadcast');
    expect(ignoredBecause(incoming(text, { remoteJid: '120363099999999999@newsletter' }))).toBe('newsletter');
    expect(ignoredBecause(incoming(text, { fromMe: true }))).toBe('own message');
    const reaction = incoming({ reactionMessage: { key: { remoteJid: CITIZEN_LID, id: 'X' }, text: '👍' } });
    const revoke = incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } });
    const vote = incoming({ pollUpdateMessage: { pollCreationMessageKey: { id: 'P' } } });
    for (const m of [reaction, revoke, vote]) expect(inboundOf(m, at), String(ignoredBecause(m))).toBeUndefined();
    // Nothing to act on: a sticker, an audio file that is not a voice note, a video without words.
    for (const content of [{ stickerMessage: { mimetype: 'image/webp' } }, { audioMessage: { ptt: false } }, { videoMessage: {} }]) {
      expect(inboundOf(incoming(content), at)).toBeUndefined();
    }
  });
});

describe('WhatsApp replies', () => {
  const options = [
    { id: 'yes', label: 'Ndiyo, wasilisha' },
    { id: 'change', label: 'Badilisha taarifa' },
    { id: 'cancel', label: 'Ghairi' },
  ];

  it('are the text alone, or the text with the choices numbered and how to answer', () => {
    expect(renderText({ text: 'Habari, karibu!' }, translator('sw'))).toBe('Habari, karibu!');
    expect(renderText({ text: 'Je, taarifa hizi ni sahihi?', options }, translator('sw'))).toBe(
      'Je, taarifa hizi ni sahihi?\n\n1. Ndiyo, wasilisha\n2. Badilisha taarifa\n3. Ghairi\n\nTafadhali jibu kwa kuandika namba ya chaguo lako.',
    );
    expect(renderText({ text: 'Is this right?', options: options.slice(0, 1) }, translator('en'))).toBe('Is this right?\n\n1. Ndiyo, wasilisha\n\nPlease reply with the number of your choice.');
  });
});

describe("Baileys' errors, translated for the outbox", () => {
  it('retries connection trouble and rate limits, gives up on what cannot be delivered', () => {
    expect(sendResultOf(boom('Connection Closed', 428))).toEqual({ status: 'retry', reason: '428 Connection Closed' });
    expect(sendResultOf(boom('Connection was lost', 408))).toMatchObject({ status: 'retry' });
    expect(sendResultOf(boom('Not authenticated', 401))).toMatchObject({ status: 'retry' });
    expect(sendResultOf(boom('rate-overlimit', 500, 429))).toEqual({ status: 'retry', reason: '429 rate-overlimit', afterMs: 60_000 });
    // WhatsApp's error replies carry their code in `data` (assertNodeErrorFree); the Boom itself says 500.
    expect(sendResultOf(boom('item-not-found', 500, 404))).toEqual({ status: 'failed', reason: '404 item-not-found' });
    expect(sendResultOf(boom('bad-request', 400))).toMatchObject({ status: 'failed' });
    expect(sendResultOf(new Error('socket hang up'))).toEqual({ status: 'retry', reason: 'socket hang up' });
  });
});
