import { addEvents, linkedReports, linkOpenReports, openLinkedIds, reportersOf, resolveRunning, unlinkedReports } from '../../db/queries/incident-reports.ts';
import {
  addIncidentUpdate,
  incidentById,
  incidentToChange,
  insertIncident,
  listIncidents,
  liveIncident,
  moveIncident,
  updatesOf,
  type IncidentListRow,
  type IncidentMessage,
  type IncidentRow,
  type IncidentStatus,
} from '../../db/queries/incidents.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import { updateRequest } from '../../db/queries/staff-requests.ts';
import type { Store, Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import type { Clock } from '../sla/clock.ts';
import { actorName, leads } from '../staff/actor.ts';
import { slaAfter } from '../staff/status.ts';
import type { Area, AreaBook } from './areas.ts';
import { tanzaniaAreas } from './places.ts';
import { tellReporters, type Told } from './tell.ts';

export interface IncidentDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly clock: Clock;
  readonly deliversByOutbox: (channel: string) => boolean;
  readonly staffLocale: Locale;
  /** Each channel's sending pace (messages a second), when known: an incident's notices take at most half of it. */
  readonly outboundPace?: (channel: string) => number | undefined;
  /** Where areas are looked up: by default Tanzania's places (bot/places). */
  readonly areas?: AreaBook;
}

/** Why a change to incidents was refused, in words the faces (API, console) turn into their answers. */
export type IncidentRefusal =
  | { readonly status: 'forbidden' }
  | { readonly status: 'not_found' }
  | { readonly status: 'unknown_service' }
  | { readonly status: 'unknown_area' }
  | { readonly status: 'ambiguous_area'; readonly candidates: readonly Area[] }
  /** One is already proposed or open for that service and area. */
  | { readonly status: 'already_open'; readonly incident: IncidentRow }
  /** The incident is not in a status that allows this (resolving a resolved one, confirming an open one). */
  | { readonly status: 'wrong_status'; readonly incident: IncidentRow };

export type Opened = { readonly status: 'opened'; readonly incident: IncidentRow; readonly linked: number; readonly told: Told; readonly confirmedProposal: boolean };
export type Updated = { readonly status: 'updated'; readonly incident: IncidentRow; readonly update: { readonly id: number; readonly at: Date }; readonly told: Told };
export type Resolved = { readonly status: 'resolved'; readonly incident: IncidentRow; readonly resolved: number; readonly told: Told };
export type Dismissed = { readonly status: 'dismissed'; readonly incident: IncidentRow };

export interface IncidentDetail {
  readonly incident: IncidentRow;
  readonly updates: Awaited<ReturnType<typeof updatesOf>>;
  readonly requests: Awaited<ReturnType<typeof linkedReports>>;
  /** For a proposal: the open reports it would link, oldest first. */
  readonly candidates: readonly { readonly reference: string; readonly status: string; readonly area: string | null; readonly createdAt: Date }[];
}

/** The most candidates a proposal's page lists. */
const CANDIDATES = 200;

/**
 * Incidents as staff run them: open one for a service and an area (its open
 * reports are linked and each reporter told), confirm or dismiss Huduma's
 * proposals, post updates, resolve (every linked report resolved, every
 * reporter told once). Supervisors and administrators change them, since one
 * change messages many people; everyone reads them. Each change is one
 * transaction with the messages it queues.
 */
export class Incidents {
  private readonly areas: AreaBook;

  constructor(private readonly deps: IncidentDeps) {
    this.areas = deps.areas ?? tanzaniaAreas;
  }

  /** The services an incident may be about: the charter's. */
  isService(service: string): boolean {
    return this.deps.charter.services.includes(service);
  }

  async open(by: StaffRow, o: { service: string; area: string; message: IncidentMessage }): Promise<Opened | IncidentRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    if (!this.isService(o.service)) return { status: 'unknown_service' };
    const found = this.areas.lookup(o.area);
    if (found.status === 'none') return { status: 'unknown_area' };
    if (found.status === 'ambiguous') return { status: 'ambiguous_area', candidates: found.candidates };
    const { area } = found;
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Opened | IncidentRefusal> => {
      const live = await liveIncident(tx, o.service, area.key);
      // Staff opening what Huduma proposed confirm the proposal.
      if (live?.status === 'proposed') return this.confirmIn(tx, by, live, o.message, now);
      if (live) return { status: 'already_open', incident: live };
      const made = await insertIncident(tx, { service: o.service, area: area.key, areaLabel: area.label, message: o.message, status: 'open', source: 'staff', openedBy: by.id, at: now });
      if (!made) {
        // Another officer's, committed meanwhile (PostgreSQL: the insert waited for it).
        const theirs = await liveIncident(tx, o.service, area.key);
        if (!theirs) throw new Error(`incident for ${o.service} in ${area.key} neither made nor found`);
        return { status: 'already_open', incident: theirs };
      }
      return this.openIn(tx, by, made, o.message, now, false);
    });
  }

  /** Staff confirm Huduma's proposal with the message reporters hear: it opens, its reports are linked and told. */
  async confirm(by: StaffRow, id: number, message: IncidentMessage): Promise<Opened | IncidentRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Opened | IncidentRefusal> => {
      const incident = await incidentToChange(tx, id);
      if (!incident) return { status: 'not_found' };
      if (incident.status !== 'proposed') return { status: 'wrong_status', incident };
      return this.confirmIn(tx, by, incident, message, now);
    });
  }

  /** Staff dismiss a proposal: nobody is told, and reports before now count no more towards another. */
  async dismiss(by: StaffRow, id: number): Promise<Dismissed | IncidentRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Dismissed | IncidentRefusal> => {
      const incident = await incidentToChange(tx, id);
      if (!incident) return { status: 'not_found' };
      if (incident.status !== 'proposed') return { status: 'wrong_status', incident };
      const moved = await moveIncident(tx, id, 'proposed', { status: 'dismissed', at: now, by: by.id });
      return moved ? { status: 'dismissed', incident: moved } : { status: 'wrong_status', incident };
    });
  }

  /** News for every reporter whose report is still open: each hears it once. */
  async update(by: StaffRow, id: number, message: IncidentMessage): Promise<Updated | IncidentRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Updated | IncidentRefusal> => {
      const incident = await incidentToChange(tx, id);
      if (!incident) return { status: 'not_found' };
      if (incident.status !== 'open') return { status: 'wrong_status', incident };
      const update = await addIncidentUpdate(tx, { incidentId: id, kind: 'update', message, staffId: by.id, at: now });
      if (!update) throw new Error(`the update of incident ${id} was not written`);
      const told = await tellReporters(tx, this.tellDeps(), { incident, update, kind: 'update', requestIds: await openLinkedIds(tx, id), at: now });
      return { status: 'updated', incident, update: { id: update.id, at: update.at }, told };
    });
  }

  /**
   * The fault is mended: every linked report still open is resolved (a status
   * change with its audit event, as staff make one), and its reporter told
   * once, with the message. A second resolve finds the incident resolved.
   */
  async resolve(by: StaffRow, id: number, message: IncidentMessage): Promise<Resolved | IncidentRefusal> {
    if (!leads(by)) return { status: 'forbidden' };
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx): Promise<Resolved | IncidentRefusal> => {
      const incident = await incidentToChange(tx, id);
      if (!incident) return { status: 'not_found' };
      if (incident.status !== 'open') return { status: 'wrong_status', incident };
      const moved = await moveIncident(tx, id, 'open', { status: 'resolved', at: now, by: by.id });
      if (!moved) return { status: 'wrong_status', incident };
      const update = await addIncidentUpdate(tx, { incidentId: id, kind: 'resolved', message, staffId: by.id, at: now });
      // An incident is resolved once (incident_updates_once): a second resolution here is a defect, and undoes this one.
      if (!update) throw new Error(`incident ${id} was resolved twice`);
      const ids = await this.resolveReports(tx, id, now);
      const actor = actorName({ kind: 'staff', staff: by });
      await addEvents(
        tx,
        ids.map((requestId) => ({ requestId, at: now, actor, kind: 'status', note: message[this.deps.staffLocale], data: { status: 'resolved', incident: id } })),
      );
      const told = await tellReporters(tx, this.tellDeps(), { incident: moved, update, kind: 'resolved', requestIds: ids, at: now });
      return { status: 'resolved', incident: moved, resolved: ids.length, told };
    });
  }

  list(statuses: readonly IncidentStatus[], limit = 200): Promise<IncidentListRow[]> {
    return this.deps.store.read((tx) => listIncidents(tx, statuses, limit));
  }

  detail(id: number): Promise<IncidentDetail | undefined> {
    return this.deps.store.read(async (tx) => {
      const incident = await incidentById(tx, id);
      if (!incident) return undefined;
      const candidates = incident.status === 'proposed' ? await unlinkedReports(tx, incident.service, incident.area, CANDIDATES) : [];
      return {
        incident,
        updates: await updatesOf(tx, id),
        requests: await linkedReports(tx, id),
        candidates: candidates.map((r) => ({ reference: r.reference, status: r.status, area: r.area, createdAt: r.createdAt })),
      };
    });
  }

  /** A service's name as staff read it. */
  serviceName(service: string, locale: Locale): string {
    return this.deps.charter.serviceName(service, locale) ?? service;
  }

  private async confirmIn(tx: Tx, by: StaffRow, incident: IncidentRow, message: IncidentMessage, now: Date): Promise<Opened | IncidentRefusal> {
    const moved = await moveIncident(tx, incident.id, 'proposed', { status: 'open', at: now, by: by.id, message });
    if (!moved) return { status: 'wrong_status', incident };
    return this.openIn(tx, by, moved, message, now, true);
  }

  /** An open incident's first message, its reports linked and their reporters told it. */
  private async openIn(tx: Tx, by: StaffRow, incident: IncidentRow, message: IncidentMessage, now: Date, confirmedProposal: boolean): Promise<Opened> {
    const update = await addIncidentUpdate(tx, { incidentId: incident.id, kind: 'opened', message, staffId: by.id, at: now });
    if (!update) throw new Error(`incident ${incident.id} was opened twice`);
    const ids = await linkOpenReports(tx, { incidentId: incident.id, service: incident.service, area: incident.area, at: now });
    const actor = actorName({ kind: 'staff', staff: by });
    await addEvents(
      tx,
      ids.map((requestId) => ({ requestId, at: now, actor, kind: 'incident_linked', data: { incident: incident.id } })),
    );
    const told = await tellReporters(tx, this.tellDeps(), { incident, update, kind: 'opened', requestIds: ids, at: now });
    return { status: 'opened', incident, linked: ids.length, told, confirmedProposal };
  }

  /** Resolves the incident's open reports: those whose clock runs at once; those waiting for the customer one by one, their waited time given back. (Also a monitoring alert's, bot/alerts.) */
  async resolveReports(tx: Tx, id: number, now: Date): Promise<number[]> {
    const running = await resolveRunning(tx, id, now);
    const waiting = await reportersOf(tx, await openLinkedIds(tx, id));
    for (const { request } of waiting) await updateRequest(tx, request.id, { ...slaAfter(this.deps, request, 'resolved', now), status: 'resolved', updatedAt: now });
    return [...running, ...waiting.map((w) => w.request.id)];
  }

  private tellDeps() {
    const pace = this.deps.outboundPace;
    return { deliversByOutbox: this.deps.deliversByOutbox, pace: pace ? (channel: string) => (pace(channel) ?? 0) / 2 || undefined : undefined };
  }
}
