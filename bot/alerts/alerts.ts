import type { Logger } from 'pino';
import { alertOccurrence, firingAlert, insertFiringAlert, resolveAlert, type AlertRow } from '../../db/queries/alerts.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';
import type { AreaBook } from '../incidents/areas.ts';
import type { Incidents } from '../incidents/incidents.ts';
import { tanzaniaAreas } from '../incidents/places.ts';
import type { TellDeps } from '../incidents/tell.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import type { StaffChat } from '../staff/alerts.ts';
import { raiseIncident, resolveRaisedIncident } from './incident.ts';
import type { Alert, AlertmanagerPayload } from './payload.ts';
import { joinLateReports, raiseRequest, resolveRaisedRequest, type AlertRequestDeps } from './request.ts';
import { targetOf, type Target, type TargetRefusal } from './target.ts';

/** How often the leader joins reports that missed a firing alert (Alerts.joinLate): a race of milliseconds, mended within this. */
export const LATE_JOIN_SWEEP_MS = 30_000;

export interface AlertDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly flows: Flows;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly referencePrefix: string;
  readonly staffLocale: Locale;
  readonly staffChat?: StaffChat;
  readonly deliversByOutbox: (channel: string) => boolean;
  /** Each channel's sending pace (messages a second), when known: notices to many reporters take at most half of it. */
  readonly outboundPace?: (channel: string) => number | undefined;
  /** Resolving an incident's reports as staff's resolution does (the desk's Incidents). */
  readonly incidents: Pick<Incidents, 'resolveReports'>;
  /** Where an alert's `area` label is looked up: by default Tanzania's places (bot/places). */
  readonly areas?: AreaBook;
  readonly log?: Logger;
}

/** What became of one alert of a notification; a refused one names why, the others are still raised. */
export type AlertResult =
  /** A request was filed on its line; `joined`: people's reports of that service joined to it. */
  | { readonly outcome: 'raised'; readonly request: string; readonly joined: number }
  /** An incident was opened for its service in its area (or Huduma's proposal there confirmed). */
  | { readonly outcome: 'incident_opened'; readonly incident: number; readonly linked: number }
  /** An incident was open there already (staff's): the alert is noted on it, and leaves it to them. */
  | { readonly outcome: 'incident_already_open'; readonly incident: number }
  /** A notification of an alert already raised (a repeat, or another Alertmanager): nothing new. */
  | { readonly outcome: 'already_raised'; readonly request?: string; readonly incident?: number }
  /** A notification of an occurrence that has cleared already (a late repeat, or another Alertmanager's): nothing new. */
  | { readonly outcome: 'already_resolved' }
  /** It cleared: its request (or the incident it opened) resolved; `closed` false when staff had closed it or own the incident. */
  | { readonly outcome: 'resolved'; readonly request?: string; readonly incident?: number; readonly closed: boolean; readonly joined: number }
  /** It cleared, and nothing of it is firing here (never raised, or resolved before). */
  | { readonly outcome: 'not_firing' }
  | { readonly outcome: 'refused'; readonly refusal: TargetRefusal };

export type AlertOutcome = { readonly fingerprint: string; readonly alertname: string; readonly status: Alert['status'] } & AlertResult;

/** The alert's name as its rule gives it (`alertname`), else its fingerprint. */
const nameOf = (a: Alert) => (a.labels.alertname?.trim() || a.fingerprint).slice(0, 200);

/**
 * Monitoring raises requests (charter lines "detected by system monitoring"):
 * each alert of an Alertmanager notification, once per fingerprint, files a
 * request on the charter line it names, or opens an incident of an area
 * service where it names an area; when it clears, that is resolved. Each
 * alert is its own transaction: one that fails leaves the others done, and
 * Alertmanager's retry finds them raised.
 */
export class Alerts {
  private readonly areas: AreaBook;

  constructor(private readonly deps: AlertDeps) {
    this.areas = deps.areas ?? tanzaniaAreas;
  }

  async receive(p: AlertmanagerPayload): Promise<AlertOutcome[]> {
    const out: AlertOutcome[] = [];
    for (const a of p.alerts) {
      const result = a.status === 'firing' ? await this.fire(p.receiver, a) : await this.clear(a);
      const outcome: AlertOutcome = { fingerprint: a.fingerprint, alertname: nameOf(a), status: a.status, ...result };
      this.deps.log?.info({ fingerprint: a.fingerprint, alertname: outcome.alertname, status: a.status, outcome: result.outcome }, 'monitoring alert');
      out.push(outcome);
    }
    return out;
  }

  /**
   * Joins the reports that missed a firing alert (request.ts joinLateReports);
   * the leader runs it every LATE_JOIN_SWEEP_MS. Returns how many joined.
   */
  async joinLate(): Promise<number> {
    const joined = await this.deps.store.transaction((tx) => joinLateReports(tx, this.tell(), this.deps.clock.now()));
    if (joined > 0) this.deps.log?.info({ joined }, 'reports joined to a firing alert late');
    return joined;
  }

  private target(a: Alert): Target | TargetRefusal {
    return targetOf({ charter: this.deps.charter, flows: this.deps.flows, areas: this.areas }, a.labels);
  }

  private fire(receiver: string, a: Alert): Promise<AlertResult> {
    const target = this.target(a);
    if ('status' in target) return Promise.resolve({ outcome: 'refused', refusal: target });
    const now = this.deps.clock.now();
    const startsAt = new Date(a.startsAt);
    return this.deps.store.transaction(async (tx): Promise<AlertResult> => {
      const live = await firingAlert(tx, a.fingerprint);
      if (live) return already(live);
      if (await alertOccurrence(tx, a.fingerprint, startsAt)) return { outcome: 'already_resolved' };
      const row = await insertFiringAlert(tx, {
        fingerprint: a.fingerprint,
        startsAt,
        name: nameOf(a),
        severity: a.labels.severity?.trim().slice(0, 50) || undefined,
        receiver,
        service: target.service,
        area: target.kind === 'incident' ? target.area.key : undefined,
        at: now,
      });
      if (!row) {
        // Claimed meanwhile by another notification (PostgreSQL: the insert waited for its commit).
        const theirs = await firingAlert(tx, a.fingerprint);
        return theirs ? already(theirs) : { outcome: 'already_resolved' };
      }
      if (target.kind === 'request') {
        const raised = await raiseRequest(tx, this.requestDeps(), { row, alert: a, target, now });
        return { outcome: 'raised', request: raised.request.reference, joined: raised.joined };
      }
      const raised = await raiseIncident(tx, this.incidentDeps(), { row, target, now });
      return raised.opened ? { outcome: 'incident_opened', incident: raised.incident.id, linked: raised.linked } : { outcome: 'incident_already_open', incident: raised.incident.id };
    });
  }

  private async clear(a: Alert): Promise<AlertResult> {
    const now = this.deps.clock.now();
    const result = await this.deps.store.transaction(async (tx): Promise<AlertResult | undefined> => {
      const live = await firingAlert(tx, a.fingerprint);
      if (!live) return (await alertOccurrence(tx, a.fingerprint, new Date(a.startsAt))) ? { outcome: 'already_resolved' } : undefined;
      const row = await resolveAlert(tx, live.alert.id, now);
      // Resolved meanwhile by another notification (PostgreSQL: the update waited for its commit).
      if (!row) return { outcome: 'already_resolved' };
      if (row.requestId !== null) {
        const done = await resolveRaisedRequest(tx, this.requestDeps(), { row: { ...row, requestId: row.requestId }, now });
        return { outcome: 'resolved', request: done.reference, closed: done.resolved, joined: done.joined };
      }
      if (row.incidentId !== null) {
        const done = await resolveRaisedIncident(tx, this.incidentDeps(), { row: { ...row, incidentId: row.incidentId }, now });
        return { outcome: 'resolved', incident: done.incident, closed: done.closed, joined: done.resolved };
      }
      throw new Error(`alert ${row.id} was firing and had raised nothing`);
    });
    if (result) return result;
    // Never raised here: say why, when its labels are why.
    const target = this.target(a);
    return 'status' in target ? { outcome: 'refused', refusal: target } : { outcome: 'not_firing' };
  }

  private tell(): TellDeps {
    const pace = this.deps.outboundPace;
    return { deliversByOutbox: this.deps.deliversByOutbox, pace: pace ? (channel: string) => (pace(channel) ?? 0) / 2 || undefined : undefined };
  }

  private requestDeps(): AlertRequestDeps {
    const d = this.deps;
    return {
      charter: d.charter,
      calendar: d.calendar,
      referencePrefix: d.referencePrefix,
      deliversByOutbox: d.deliversByOutbox,
      staffLocale: d.staffLocale,
      staffChat: d.staffChat,
      tell: this.tell(),
    };
  }

  private incidentDeps() {
    const d = this.deps;
    return { charter: d.charter, staffLocale: d.staffLocale, staffChat: d.staffChat, tell: this.tell(), incidents: d.incidents };
  }
}

function already(live: { alert: AlertRow; reference: string | null }): AlertResult {
  const { alert, reference } = live;
  return { outcome: 'already_raised', ...(reference !== null ? { request: reference } : {}), ...(alert.incidentId !== null ? { incident: alert.incidentId } : {}) };
}
