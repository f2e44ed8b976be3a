import { conversationChannel, liveAnnouncementsFor, subscribe, subscriptionsOf, toldNow, unsubscribe, type AnnouncementRow, type SubscriptionRow } from '../../db/queries/announcements.ts';
import type { Tx } from '../../db/store.ts';
import type { Area } from './areas.ts';

/** What a turn may change of a person's area notices, bound to the turn's transaction (engine/turn-store.ts). */
export interface NoticeStore {
  /** The channel of this chat (an SMS chat is answered in SMS words). */
  channel(): Promise<string>;
  /** Subscribes this chat to the area; false when it already was. */
  subscribe(area: Area): Promise<boolean>;
  /** The person's subscriptions, over all their chats. */
  subscriptions(): Promise<SubscriptionRow[]>;
  unsubscribe(ids: readonly number[]): Promise<void>;
  /** Published notices not over yet of an area overlapping this one (a few, the soonest first). */
  coming(area: string): Promise<AnnouncementRow[]>;
  /**
   * Published notices not over yet of an area overlapping this one (a few,
   * the soonest first). Those whose subscribers are being told now count as
   * told to this chat, since the reply carries them.
   */
  tellComing(area: string): Promise<AnnouncementRow[]>;
}

/** The most planned outages a subscriber's first reply lists. */
const COMING = 3;

export function noticeStoreOf(tx: Tx, personId: number, conversationId: number, now: Date): NoticeStore {
  return {
    channel: async () => (await conversationChannel(tx, conversationId)) ?? '',
    subscribe: (area) => subscribe(tx, { conversationId, area: area.key, areaLabel: area.label, at: now }),
    subscriptions: () => subscriptionsOf(tx, personId),
    unsubscribe: (ids) => unsubscribe(tx, ids),
    coming: (area) => liveAnnouncementsFor(tx, area, now, COMING),
    tellComing: async (area) => {
      const coming = await liveAnnouncementsFor(tx, area, now, COMING);
      for (const a of coming) if (a.tellAt.getTime() <= now.getTime()) await toldNow(tx, { announcementId: a.id, kind: 'before', conversationId, at: now });
      return coming;
    },
  };
}
