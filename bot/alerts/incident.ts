import { setAlertRaised, type AlertRow } from '../../db/queries/alerts.ts';
import { addEvents, linkOpenReports } from '../../db/queries/incident-reports.ts';
import { addIncidentUpdate, incidentToChange, insertIncident, liveIncident, moveIncident, type IncidentRow } from '../../db/queries/incidents.ts';
import type { Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Incidents } from '../incidents/incidents.ts';
import { tellReporters, type TellDeps } from '../incidents/tell.ts';
import { alertStaff, type StaffChat } from '../staff/alerts.ts';
import { MONITORING_ACTOR } from './link.ts';
import type { Target } from './target.ts';
import { alertIncidentMessage, alertLabel } from './words.ts';

// An incident an alert raises for an area service (a power cut in a ward):
// opened as staff open one, its open reports in the area linked and each
// reporter told; resolved when the alert clears, every linked report with it.
// Staff's own incident for that service and area is left to them.

export interface AlertIncidentDeps {
  readonly charter: Charter;
  readonly staffLocale: Locale;
  readonly staffChat?: StaffChat;
  readonly tell: TellDeps;
  /** Resolving an incident's reports, as Incidents.resolve does. */
  readonly incidents: Pick<Incidents, 'resolveReports'>;
}

type IncidentTarget = Extract<Target, { kind: 'incident' }>;

export type RaisedIncident = { readonly incident: IncidentRow; readonly opened: boolean; readonly linked: number };

function words(deps: AlertIncidentDeps, row: AlertRow, incident: IncidentRow) {
  return { alert: alertLabel(row.name, row.severity), id: incident.id, service: deps.charter.serviceName(incident.service, deps.staffLocale) ?? incident.service, area: incident.areaLabel };
}

/**
 * Opens the incident of the alert's service in its area (or confirms the one
 * Huduma proposed there), links the open reports and tells each reporter. One
 * already open (staff's, or another alert's) is only noted: it stays theirs.
 */
export async function raiseIncident(tx: Tx, deps: AlertIncidentDeps, r: { row: AlertRow; target: IncidentTarget; now: Date }): Promise<RaisedIncident> {
  const { row, now } = r;
  const { service, area } = r.target;
  const t = translator(deps.staffLocale);
  const message = alertIncidentMessage(deps.charter, 'opened', { service, areaLabel: area.label });
  const live = await liveIncident(tx, service, area.key);
  const opened = !live
    ? await insertIncident(tx, { service, area: area.key, areaLabel: area.label, message, status: 'open', source: 'alert', sourceKey: `alert:${row.id}`, at: now })
    : live.status === 'proposed'
      ? await moveIncident(tx, live.id, 'proposed', { status: 'open', at: now, message })
      : undefined;
  if (!opened) {
    // Open already, or opened in this very moment by another transaction (PostgreSQL: the insert waited for it).
    const theirs = live?.status === 'open' ? live : await liveIncident(tx, service, area.key);
    if (!theirs) throw new Error(`incident for ${service} in ${area.key} neither opened nor found`);
    await setAlertRaised(tx, row.id, { incidentId: theirs.id, ownsIncident: false });
    await alertStaff(tx, deps.staffChat, { text: t('alerts.staff.incident_met', words(deps, row, theirs)), at: now });
    return { incident: theirs, opened: false, linked: 0 };
  }
  await setAlertRaised(tx, row.id, { incidentId: opened.id, ownsIncident: true });
  const update = await addIncidentUpdate(tx, { incidentId: opened.id, kind: 'opened', message, at: now });
  if (!update) throw new Error(`incident ${opened.id} was opened twice`);
  const ids = await linkOpenReports(tx, { incidentId: opened.id, service, area: area.key, at: now });
  await addEvents(
    tx,
    ids.map((requestId) => ({ requestId, at: now, actor: MONITORING_ACTOR, kind: 'incident_linked', data: { incident: opened.id, alert: row.id } })),
  );
  await tellReporters(tx, deps.tell, { incident: opened, update, kind: 'opened', requestIds: ids, at: now });
  await alertStaff(tx, deps.staffChat, { text: t('alerts.staff.incident_opened', { ...words(deps, row, opened), linked: ids.length }), at: now });
  return { incident: opened, opened: true, linked: ids.length };
}

/**
 * The alert cleared: the incident it opened is resolved (every linked open
 * report resolved, each reporter told once); one it did not open stays open,
 * and the staff chat is told so. One already closed is left as it is.
 */
export async function resolveRaisedIncident(
  tx: Tx,
  deps: AlertIncidentDeps,
  r: { row: AlertRow & { incidentId: number }; now: Date },
): Promise<{ incident: number; closed: boolean; resolved: number }> {
  const { row, now } = r;
  const t = translator(deps.staffLocale);
  const incident = await incidentToChange(tx, row.incidentId);
  const moved = incident?.status === 'open' && row.ownsIncident ? await moveIncident(tx, incident.id, 'open', { status: 'resolved', at: now }) : undefined;
  if (!moved) {
    if (incident?.status === 'open') await alertStaff(tx, deps.staffChat, { text: t('alerts.staff.incident_left', words(deps, row, incident)), at: now });
    return { incident: row.incidentId, closed: false, resolved: 0 };
  }
  const message = alertIncidentMessage(deps.charter, 'resolved', moved);
  const update = await addIncidentUpdate(tx, { incidentId: moved.id, kind: 'resolved', message, at: now });
  // An incident is resolved once (incident_updates_once): a second resolution here is a defect, and undoes this one.
  if (!update) throw new Error(`incident ${moved.id} was resolved twice`);
  const ids = await deps.incidents.resolveReports(tx, moved.id, now);
  const note = t('alerts.status_note', { alert: alertLabel(row.name, row.severity) });
  await addEvents(
    tx,
    ids.map((requestId) => ({ requestId, at: now, actor: MONITORING_ACTOR, kind: 'status', note, data: { status: 'resolved', incident: moved.id, alert: row.id } })),
  );
  await tellReporters(tx, deps.tell, { incident: moved, update, kind: 'resolved', requestIds: ids, at: now });
  await alertStaff(tx, deps.staffChat, { text: t('alerts.staff.incident_resolved', { ...words(deps, row, moved), resolved: ids.length }), at: now });
  return { incident: moved.id, closed: true, resolved: ids.length };
}
