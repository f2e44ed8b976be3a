import { liveAnnouncementsFor, subscribe, subscriptionsOf, toldNow, unsubscribe } from '../../db/queries/announcements.ts';
import { findOrCreateConversation } from '../../db/queries/conversations.ts';
import { insertReplies } from '../../db/queries/messages.ts';
import type { Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { SMS_CHANNEL } from '../ussd/file.ts';
import { numbered } from '../ussd/pages.ts';
import type { Node, Note, Rendering, Screen } from '../ussd/types.ts';
import { findArea, type Area } from './areas.ts';
import { noticeText } from './words.ts';

// "Taarifa za katizo / Outage notices" on USSD: 1 join (the area typed as
// people write it), 2 stop them all. USSD cannot push, so the notices come by
// SMS, in the person's SMS conversation; joining sends an SMS saying so, with
// any notice already out for the area.

type NoticesNode = Extract<Node, { at: 'notices' | 'notices_area' | 'notices_joined' | 'notices_stopped' }>;

/** What the walk through these screens does: the caller (ussd/session.ts) applies it, as often as the gateway posts it (it changes nothing the second time). */
export type NoticeEffect = { readonly subscribe: Area } | { readonly unsubscribe: true };

export type NoticesStep = { readonly node: Node; readonly notices?: NoticeEffect } | { readonly invalid: Note };

/** Under "Taarifa za katizo", in order. */
const MENU = ['announcement.ussd.join', 'announcement.ussd.stop'] as const;
const BACK = '00';
const INVALID = { invalid: { key: 'ussd.invalid' } } as const;

export function noticesStep(node: NoticesNode, answer: string, root: Node): NoticesStep {
  switch (node.at) {
    case 'notices':
      if (answer === BACK) return { node: root };
      if (answer === '1') return { node: { at: 'notices_area' } };
      if (answer === '2') return { node: { at: 'notices_stopped' }, notices: { unsubscribe: true } };
      return INVALID;
    case 'notices_area': {
      if (answer === BACK) return { node: { at: 'notices' } };
      const found = findArea(answer, true);
      if (found.status === 'found') return { node: { at: 'notices_joined', area: found.area }, notices: { subscribe: found.area } };
      return { invalid: { key: found.status === 'ambiguous' ? 'ussd.place_ambiguous' : 'announcement.ussd.unknown_place' } };
    }
    case 'notices_joined':
    case 'notices_stopped':
      // The session ended here; a gateway that posts more is shown the end again.
      return { node };
  }
}

export function noticesScreen(r: Rendering, node: NoticesNode): Screen {
  const { t } = r;
  switch (node.at) {
    case 'notices':
      return {
        text: [
          t('announcement.ussd.title'),
          ...numbered(
            t,
            MENU.map((k) => t(k)),
          ),
          t('ussd.back'),
        ].join('\n'),
        end: false,
      };
    case 'notices_area':
      return { text: `${t('announcement.ussd.ask_area')}\n${t('ussd.back')}`, end: false };
    case 'notices_joined':
      return { text: t('announcement.ussd.joined', { area: node.area.label }), end: true };
    case 'notices_stopped':
      return { text: t('announcement.ussd.stopped'), end: true };
  }
}

/**
 * Applies what the person chose, in the USSD post's transaction, to their SMS
 * conversation (where notices reach a USSD user): a subscription (the first
 * time, an SMS saying so and carrying any notice out for the area), or none.
 */
export async function applyNoticeEffect(tx: Tx, effect: NoticeEffect, p: { phone: string; locale: Locale; now: Date }): Promise<void> {
  const { conversation } = await findOrCreateConversation(tx, { channel: SMS_CHANNEL, chatId: p.phone, senderId: p.phone }, p.locale, p.now);
  if ('unsubscribe' in effect) {
    const subs = await subscriptionsOf(tx, conversation.personId);
    await unsubscribe(
      tx,
      subs.map((s) => s.id),
    );
    return;
  }
  const area = effect.subscribe;
  const added = await subscribe(tx, { conversationId: conversation.id, area: area.key, areaLabel: area.label, at: p.now });
  if (!added) return;
  const coming = await liveAnnouncementsFor(tx, area.key, p.now, 3);
  for (const a of coming) if (a.tellAt.getTime() <= p.now.getTime()) await toldNow(tx, { announcementId: a.id, kind: 'before', conversationId: conversation.id, at: p.now });
  const t = translator(p.locale);
  const replies = [{ text: t('announcement.sms.subscribed', { area: area.label }) }, ...coming.map((a) => ({ text: noticeText(p.locale, SMS_CHANNEL, 'before', a, 'other') }))];
  await insertReplies(tx, { conversationId: conversation.id, channel: SMS_CHANNEL, chatId: p.phone, replies, at: p.now, viaOutbox: true });
}
