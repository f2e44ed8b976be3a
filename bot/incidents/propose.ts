import type { Logger } from 'pino';
import { recentUnlinked } from '../../db/queries/incident-reports.ts';
import { insertIncident, lastClosed, type IncidentRow } from '../../db/queries/incidents.ts';
import { underWayAt } from '../../db/queries/announcements.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../sla/clock.ts';
import { alertStaff, type StaffChat } from '../staff/alerts.ts';
import { proposalArea, type AreaBook } from './areas.ts';
import { tanzaniaAreas } from './places.ts';
import { joinStrays } from './strays.ts';
import { proposedText } from './words.ts';

/** How many reports of one service in one area, within how many minutes, make Huduma propose an incident. */
export interface ProposalPolicy {
  /** 0: Huduma proposes none. */
  readonly reports: number;
  readonly minutes: number;
}

export const proposalPolicyOf = (config: Pick<Config, 'INCIDENT_PROPOSE_REPORTS' | 'INCIDENT_PROPOSE_MINUTES'>): ProposalPolicy => ({
  reports: config.INCIDENT_PROPOSE_REPORTS,
  minutes: config.INCIDENT_PROPOSE_MINUTES,
});

/** How often the leader looks for reports that make a proposal. */
export const PROPOSAL_SWEEP_MS = 15_000;

export interface ProposalDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly clock: Clock;
  readonly log: Logger;
  readonly policy: ProposalPolicy;
  readonly staffChat?: StaffChat;
  readonly staffLocale: Locale;
  readonly areas?: AreaBook;
  /** Channels whose messages go out through the outbox (a stray report's reporter is told). */
  readonly deliversByOutbox: (channel: string) => boolean;
}

type Group = { readonly service: string; readonly area: string; readonly at: Date[] };

/**
 * Huduma's proposals: when enough reports of one service in one area (a ward,
 * or a district where reports name no ward) arrive within the policy's
 * minutes, and no incident has them, it proposes one and tells the staff chat;
 * staff confirm it (then it opens like theirs) or dismiss it. Never two
 * proposed or open for one service and area (a unique index); after one is
 * dismissed or resolved, only reports after that count towards the next.
 * The same look first joins reports an open incident should have (joinStrays).
 */
export class IncidentProposals {
  private readonly areas: AreaBook;

  constructor(private readonly deps: ProposalDeps) {
    this.areas = deps.areas ?? tanzaniaAreas;
  }

  /** One look at the recent reports, in one transaction; the incidents it proposed. */
  async sweep(now: Date = this.deps.clock.now()): Promise<IncidentRow[]> {
    const { reports, minutes } = this.deps.policy;
    // Without proposals, strays are still looked for among the last half hour's reports.
    const since = new Date(now.getTime() - Math.max(minutes, 30) * 60_000);
    const proposed = await this.deps.store.transaction(async (tx) => {
      const made: IncidentRow[] = [];
      const recent = await recentUnlinked(tx, since);
      const joined = await joinStrays(tx, { deliversByOutbox: this.deps.deliversByOutbox }, recent, now);
      if (reports <= 0) return made;
      const windowStart = now.getTime() - minutes * 60_000;
      for (const g of this.groups(recent.filter((r) => !joined.has(r.id) && r.createdAt.getTime() >= windowStart))) {
        if (g.at.length < reports) continue;
        const closed = await lastClosed(tx, g.service, g.area);
        const count = closed ? g.at.filter((at) => at > closed).length : g.at.length;
        if (count < reports) continue;
        // Reports a planned outage explains (a line marked `planned`, in its area and hours) are expected, not a fault to propose.
        if (this.deps.charter.linesFor(g.service).some((l) => l.planned) && (await underWayAt(tx, g.area, now))) continue;
        const incident = await insertIncident(tx, { service: g.service, area: g.area, areaLabel: this.areas.label(g.area), message: null, status: 'proposed', source: 'proposal', at: now });
        // Undefined: one is proposed or open for it already.
        if (!incident) continue;
        made.push(incident);
        const service = this.deps.charter.serviceName(g.service, this.deps.staffLocale) ?? g.service;
        await alertStaff(tx, this.deps.staffChat, { text: proposedText(this.deps.staffLocale, { id: incident.id, count, service, area: incident.areaLabel, minutes }), at: now });
      }
      return made;
    });
    if (proposed.length > 0) this.deps.log.info({ incidents: proposed.map((i) => ({ id: i.id, service: i.service, area: i.area })) }, 'incidents proposed');
    return proposed;
  }

  /** The reports by service and proposal area, with when each came. */
  private groups(rows: readonly { service: string; area: string; createdAt: Date }[]): Group[] {
    const groups = new Map<string, Group>();
    for (const r of rows) {
      const area = proposalArea(r.area);
      if (!area || !this.deps.charter.services.includes(r.service)) continue;
      const key = `${r.service} ${area}`;
      const g = groups.get(key) ?? { service: r.service, area, at: [] };
      g.at.push(r.createdAt);
      groups.set(key, g);
    }
    return [...groups.values()];
  }
}
