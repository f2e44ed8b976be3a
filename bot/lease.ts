import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { releaseLease, takeLease } from '../db/queries/leases.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from './sla/clock.ts';

/** Something only one instance may run at a time: the SLA sweep, Telegram polling, the WhatsApp socket, the outbox. */
export interface OwnedJob {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface LeadershipOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly jobs: readonly OwnedJob[];
  /** The lease's name: instances sharing one database share one leader. */
  readonly name?: string;
  /** How long a lease lasts unless renewed: another instance takes over at most this long after the leader dies. */
  readonly ttlMs?: number;
  /** How often the lease is renewed (or sought, by the others). */
  readonly renewMs?: number;
  /** This instance's name in the lease; random unless given. */
  readonly holder?: string;
}

export const DEFAULT_LEASE = Object.freeze({ ttlMs: 15_000, renewMs: 5_000 });

/**
 * One instance of several leads: it runs the jobs that must have one owner,
 * holding a lease in the database that it renews every few seconds. If it
 * dies, its lease runs out and the next instance to ask takes the jobs over
 * (within ttl + renew: 20 s by default). With one instance, it simply leads.
 */
export class Leadership {
  readonly holder: string;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  /** Until when the lease this instance last got is good (ms). */
  private heldUntil = 0;
  private ticking: Promise<void> = Promise.resolve();
  private readonly name: string;
  private readonly ttlMs: number;

  constructor(private readonly options: LeadershipOptions) {
    this.holder = options.holder ?? `instance-${randomBytes(6).toString('hex')}`;
    this.name = options.name ?? 'leader';
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE.ttlMs;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Seeks the lease now (so a lone instance leads at once), then every renewMs. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, this.options.renewMs ?? DEFAULT_LEASE.renewMs);
    this.timer.unref();
  }

  /** Stops the jobs if this instance leads, and gives the lease up for the next. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (!this.leading) return;
    await this.follow();
    await this.options.store.transaction((tx) => releaseLease(tx, this.name, this.holder)).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    const now = this.options.clock.now();
    const until = now.getTime() + this.ttlMs;
    let granted: boolean;
    try {
      granted = await this.options.store.transaction((tx) => takeLease(tx, { name: this.name, holder: this.holder, now, until: new Date(until) }));
    } catch (e) {
      // The database did not answer: keep leading until the lease runs out, then stop (another may have it by then).
      this.options.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not renew the leader lease');
      if (this.leading && now.getTime() >= this.heldUntil) await this.follow();
      return;
    }
    if (granted) this.heldUntil = until;
    if (granted && !this.leading) await this.lead();
    else if (!granted && this.leading) await this.follow();
  }

  private async lead(): Promise<void> {
    this.leading = true;
    this.options.log.info({ holder: this.holder, jobs: this.options.jobs.map((j) => j.name) }, 'this instance leads: it runs the jobs one instance owns');
    for (const job of this.options.jobs) await job.start();
  }

  private async follow(): Promise<void> {
    this.leading = false;
    this.options.log.info({ holder: this.holder }, 'this instance no longer leads');
    for (const job of [...this.options.jobs].reverse()) await job.stop();
  }
}
