import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Charter } from '../bot/charter/charter.ts';
import type { Config } from '../bot/config.ts';
import type { Inbox } from '../bot/engine/inbox.ts';
import type { Flows } from '../bot/flows/flows.ts';
import type { OwnedJob } from '../bot/lease.ts';
import type { Metrics } from '../bot/metrics.ts';
import type { OutboundChannel } from '../bot/outbox/channel.ts';
import type { WorkingCalendar } from '../bot/sla/calendar.ts';
import type { Clock } from '../bot/sla/clock.ts';
import type { StaffChat } from '../bot/staff/alerts.ts';
import type { StaffDesk } from '../bot/staff/desk.ts';
import type { Store } from '../db/store.ts';

/** Everything a channel may be built from: the program's parts, made once in channels/app.ts. */
export interface Wiring {
  readonly config: Config;
  readonly store: Store;
  /** Where a channel hands inbound messages; resolves once the turn is committed. */
  readonly inbox: Inbox;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly charter: Charter;
  readonly flows: Flows;
  readonly calendar: WorkingCalendar;
  readonly desk: StaffDesk;
  readonly staffChat: StaffChat | undefined;
}

/** What a channel brings to the program; every part is optional. */
export interface ChannelParts {
  /** HTTP routes, served by every instance (webhooks, callbacks, pages). */
  readonly routes?: readonly Hono[];
  /** The sending side the outbox worker uses, on the instance that leads. */
  readonly outbound?: OutboundChannel;
  /** Jobs one instance runs at a time (long polling, a linked device's socket): the leader's. */
  readonly owned?: readonly OwnedJob[];
  /** Set-up every instance does once at start (e.g. telling Telegram the webhook's address). */
  start?(): Promise<void>;
  /** Let go of what `start` took; the owned jobs are stopped by the leadership. */
  stop?(): Promise<void>;
}

/** A channel as the registry lists it: built from the wiring, or undefined when its settings leave it off. */
export interface ChannelPlugin {
  readonly name: string;
  create(w: Wiring): ChannelParts | undefined | Promise<ChannelParts | undefined>;
}
