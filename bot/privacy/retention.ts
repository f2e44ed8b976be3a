import type { Logger } from 'pino';
import { scrubErasedChats } from '../../db/queries/erasure.ts';
import { dormantPeople, lastPersonId } from '../../db/queries/privacy.ts';
import type { Store } from '../../db/store.ts';
import type { Metrics } from '../metrics.ts';
import type { Clock } from '../sla/clock.ts';
import { erasePerson } from './erase.ts';

// Retention (PDPA 2022: kept no longer than needed). Once a day the leader
// erases, with the same erasure as a person's own wish, everyone who is done
// with us: not erased yet, none of their requests open (received, in progress
// or waiting for them), and nothing at all with them for RETENTION_MONTHS —
// no message in or out, no change to their conversations, their requests or
// those requests' audit trail (a staff note counts). The months are calendar
// months back from the Clock's now, in UTC (31 March less one month is 28 or
// 29 February). Their requests stay in the charter's figures.

export const RETENTION_ERASED = 'huduma_retention_erased_people_total';
export const RETENTION_LAST_RUN = 'huduma_retention_last_run_timestamp_seconds';
/** How far back the daily run empties what reached erased chats after their erasure. */
const SCRUB_DAYS = 7;
/** The audit trail's name for the job. */
export const RETENTION_ACTOR = 'retention';

/** `now` less `months` calendar months (UTC), the day kept when the month has it, else its last day. */
export function monthsBefore(now: Date, months: number): Date {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const [year, month] = [Math.floor(total / 12), ((total % 12) + 12) % 12];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(now);
  d.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return d;
}

export interface RetentionDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Pick<Metrics, 'count' | 'set'>;
  /** RETENTION_MONTHS. */
  readonly months: number;
  /** How many person ids one read looks through (each person found is erased in a transaction of its own). */
  readonly window?: number;
}

export interface RetentionRun {
  readonly cutoff: Date;
  /** People erased by this run. */
  readonly erased: number;
  /** Rows of already erased chats emptied (written after their erasure). */
  readonly scrubbed: number;
}

export class RetentionJob {
  constructor(private readonly deps: RetentionDeps) {
    // Shown (as 0) from the start, on every instance, not only once something was erased.
    deps.metrics.count(RETENTION_ERASED, {}, 0);
  }

  /** One run: everyone dormant since the cutoff erased, one transaction each, oldest first. */
  async run(): Promise<RetentionRun> {
    const { store, clock, log, metrics } = this.deps;
    const now = clock.now();
    const cutoff = monthsBefore(now, this.deps.months);
    const window = this.deps.window ?? 500;
    const last = await store.read((tx) => lastPersonId(tx));
    let erased = 0;
    for (let after = 0; after < last; after += window) {
      const ids = await store.read((tx) => dormantPeople(tx, { cutoff, after, upTo: after + window }));
      for (const id of ids) {
        // Checked again where it is erased: a message may have come in since the list was read.
        const done = await store.transaction(async (tx) => {
          if ((await dormantPeople(tx, { cutoff, only: id })).length === 0) return false;
          return (await erasePerson(tx, id, { actor: RETENTION_ACTOR, now })).status === 'erased';
        });
        if (done) erased++;
      }
    }
    // A goodbye still being retried, or a turn that was running at the erasure, lands within days.
    const scrubbed = await store.transaction((tx) => scrubErasedChats(tx, new Date(now.getTime() - SCRUB_DAYS * 86_400_000)));
    metrics.count(RETENTION_ERASED, {}, erased);
    metrics.set(RETENTION_LAST_RUN, Math.floor(now.getTime() / 1000), 'When the retention job last finished a run (Unix time, by the bot clock).');
    if (erased > 0 || scrubbed > 0) log.info({ erased, scrubbed, cutoff: cutoff.toISOString() }, 'retention: personal data past the retention period erased');
    return { cutoff, erased, scrubbed };
  }
}
