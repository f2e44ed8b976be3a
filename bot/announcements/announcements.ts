import {
  announcementById,
  announcementToChange,
  cancelAnnouncement,
  insertAnnouncement,
  listAnnouncements,
  noticeCounts,
  subscriberCount,
  type AnnouncementFilter,
  type AnnouncementRow,
  type NoticeCounts,
  type Reason,
} from '../../db/queries/announcements.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import type { Store } from '../../db/store.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { leads } from '../staff/actor.ts';
import type { Area, AreaBook } from '../incidents/areas.ts';
import { tanzaniaAreas } from '../incidents/places.ts';
import { scheduleOf, type Hours } from './schedule.ts';
import { hasAreaNotices } from './areas.ts';
import type { Flows } from '../flows/flows.ts';

// Planned outages as staff publish them (README "Planned outages"): a notice
// for an area, a day and hours, with the reason in both languages; its
// subscribers are told by the leader's sender (send.ts), before it starts and
// when it ends; calling it off tells those already told. Supervisors and
// administrators publish and cancel, since each messages many people;
// everyone reads them.

export interface AnnouncementDeps {
  readonly store: Store;
  /** The bundle's forms: a desk whose forms ask where a fault is sends area notices. */
  readonly flows: Pick<Flows, 'fields'>;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  /** Where areas are looked up: by default Tanzania's places (bot/places), as incidents do. */
  readonly areas?: AreaBook;
}

export interface NewNotice extends Hours {
  /** A place key, or a place's name as people write it. */
  readonly area: string;
  readonly reason: Reason;
}

/** Why a change was refused, in words the faces (API, console) turn into their answers. */
export type AnnouncementRefusal =
  | { readonly status: 'forbidden' }
  | { readonly status: 'not_found' }
  | { readonly status: 'unknown_area' }
  | { readonly status: 'ambiguous_area'; readonly candidates: readonly Area[] }
  | { readonly status: 'bad_date' | 'bad_times' | 'in_the_past' | 'too_far' }
  /** Cancelled already, or over: nothing to call off. */
  | { readonly status: 'cancelled' | 'ended'; readonly announcement: AnnouncementRow };

/** Where an announcement stands for people: still to come, under way, over, or called off. */
export type Phase = 'upcoming' | 'under_way' | 'ended' | 'cancelled';

/** An announcement with who was told what so far, and (for one) how many chats subscribed to its area. */
export interface AnnouncementView {
  readonly announcement: AnnouncementRow;
  readonly phase: Phase;
  readonly told: NoticeCounts;
  readonly subscribers?: number;
}

export type Published = { readonly status: 'published' } & Required<AnnouncementView>;
export type Cancelled = { readonly status: 'cancelled_now' } & Required<AnnouncementView>;

export function phaseOf(a: AnnouncementRow, now: Date): Phase {
  if (a.status === 'cancelled') return 'cancelled';
  if (a.endsAt.getTime() <= now.getTime()) return 'ended';
  return a.startsAt.getTime() <= now.getTime() ? 'under_way' : 'upcoming';
}

export class Announcements {
  private readonly areas: AreaBook;

  constructor(private readonly deps: AnnouncementDeps) {
    this.areas = deps.areas ?? tanzaniaAreas;
  }

  /** Whether this desk sends area notices at all (its forms ask where): the console's menu shows them only then. */
  get sendsAreaNotices(): boolean {
    return hasAreaNotices(this.deps.flows);
  }

  /** Publishes a notice: checked (area, day, hours), written; its subscribers are told by the sender. */
  async publish(by: StaffRow, n: NewNotice): Promise<Published | AnnouncementRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const found = this.areas.lookup(n.area);
    if (found.status === 'none') return { status: 'unknown_area' };
    if (found.status === 'ambiguous') return { status: 'ambiguous_area', candidates: found.candidates };
    const now = this.deps.clock.now();
    const when = scheduleOf(n, this.deps.calendar.timeZone, now);
    if (when.status !== 'ok') return { status: when.status };
    const { area } = found;
    return this.deps.store.transaction(async (tx): Promise<Published> => {
      const announcement = await insertAnnouncement(tx, {
        area: area.key,
        areaLabel: area.label,
        day: n.day,
        fromTime: n.from,
        toTime: n.to,
        startsAt: when.startsAt,
        endsAt: when.endsAt,
        tellAt: when.tellAt,
        reason: { sw: n.reason.sw.trim(), en: n.reason.en.trim() },
        createdBy: by.id,
        at: now,
      });
      const subscribers = await subscriberCount(tx, area.key);
      return { status: 'published', announcement, phase: phaseOf(announcement, now), told: { before: 0, ended: 0, cancelled: 0 }, subscribers };
    });
  }

  /** Calls a published notice off before it ends; those already told it was coming hear so from the sender. */
  async cancel(by: StaffRow, id: number): Promise<Cancelled | AnnouncementRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Cancelled | AnnouncementRefusal> => {
      const found = await announcementToChange(tx, id);
      if (!found) return { status: 'not_found' };
      if (found.status === 'cancelled') return { status: 'cancelled', announcement: found };
      if (phaseOf(found, now) === 'ended') return { status: 'ended', announcement: found };
      const announcement = await cancelAnnouncement(tx, id, { at: now, by: by.id });
      if (!announcement) return { status: 'cancelled', announcement: found };
      const told = (await noticeCounts(tx, [id])).get(id) ?? { before: 0, ended: 0, cancelled: 0 };
      return { status: 'cancelled_now', announcement, phase: 'cancelled', told, subscribers: await subscriberCount(tx, announcement.area) };
    });
  }

  /** Announcements of a kind (live: to come and under way, the soonest first), with who was told. */
  async list(which: AnnouncementFilter, limit = 200): Promise<AnnouncementView[]> {
    const now = this.deps.clock.now();
    return this.deps.store.read(async (tx) => {
      const rows = await listAnnouncements(tx, which, now, limit);
      const counts = await noticeCounts(
        tx,
        rows.map((r) => r.id),
      );
      return rows.map((announcement) => ({ announcement, phase: phaseOf(announcement, now), told: counts.get(announcement.id) ?? { before: 0, ended: 0, cancelled: 0 } }));
    });
  }

  async detail(id: number): Promise<Required<AnnouncementView> | undefined> {
    const now = this.deps.clock.now();
    return this.deps.store.read(async (tx) => {
      const announcement = await announcementById(tx, id);
      if (!announcement) return undefined;
      const told = (await noticeCounts(tx, [id])).get(id) ?? { before: 0, ended: 0, cancelled: 0 };
      return { announcement, phase: phaseOf(announcement, now), told, subscribers: await subscriberCount(tx, announcement.area) };
    });
  }
}
