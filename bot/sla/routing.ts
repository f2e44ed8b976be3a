import type { AlertedStaff, Mention, SlaDue, SlaQueries } from '../../db/queries/sla.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { SlaStage } from './stages.ts';

/** What a staff alert adds to its sentence: whom it is for, and whom the staff group notifies. */
export interface AlertAddress {
  readonly lines: readonly string[];
  readonly mentions: readonly Mention[];
}

const NOBODY: AlertAddress = { lines: [], mentions: [] };

/**
 * Who an SLA step is for. A warning and a breach go to the request's owner
 * first (named, and mentioned in the Telegram staff group when their Telegram
 * user is linked), else to its team's queue; an escalation goes to the team's
 * supervisors as well. One per sweep: the officers it reads are remembered
 * until the sweep ends (a backlog names the same few people over and over).
 */
export class AlertRouting {
  private readonly officers = new Map<number, AlertedStaff | undefined>();
  private readonly supervisors = new Map<string, AlertedStaff[]>();

  constructor(
    private readonly charter: Charter,
    private readonly locale: Locale,
  ) {}

  async address(q: SlaQueries, stage: SlaStage, d: SlaDue): Promise<AlertAddress> {
    if (!d.assigneeId && !d.team) return NOBODY;
    const t = translator(this.locale);
    const named: AlertedStaff[] = [];
    const lines: string[] = [];
    const owner = d.assigneeId ? await this.officer(q, d.assigneeId) : undefined;
    if (owner) {
      lines.push(t('sla.staff_for_owner', { name: owner.name }));
      named.push(owner);
    } else if (d.team) {
      lines.push(t('sla.staff_for_team', { team: this.charter.teams.byId(d.team)?.name[this.locale] ?? d.team }));
    }
    if (stage === 'escalation' && d.team) {
      const leads = (await this.supervisorsOf(q, d.team)).filter((s) => s.id !== owner?.id);
      if (leads.length > 0) lines.push(t('sla.staff_for_supervisors', { names: leads.map((s) => s.name).join(', ') }));
      named.push(...leads);
    }
    const mentions = named.flatMap((s) => (s.telegramUserId ? [{ userId: s.telegramUserId, name: s.name }] : []));
    return { lines, mentions };
  }

  private async officer(q: SlaQueries, id: number): Promise<AlertedStaff | undefined> {
    if (!this.officers.has(id)) this.officers.set(id, await q.staff(id));
    return this.officers.get(id);
  }

  private async supervisorsOf(q: SlaQueries, team: string): Promise<AlertedStaff[]> {
    let found = this.supervisors.get(team);
    if (!found) this.supervisors.set(team, (found = await q.supervisors(team)));
    return found;
  }
}
