import { joinAlert, monitoringPerson, openJoinedReports, raisedFiringAlerts, setAlertRaised, unjoinedReportsSince, type AlertRow } from '../../db/queries/alerts.ts';
import { addEvents, reportersOf } from '../../db/queries/incident-reports.ts';
import { OPEN_STATUSES, requestById, type RequestRow } from '../../db/queries/requests.ts';
import { requestToChange, updateRequest } from '../../db/queries/staff-requests.ts';
import type { Tx } from '../../db/store.ts';
import { translator, type Locale } from '../../locales/index.ts';
import { fileRequest, type FilingDeps } from '../engine/filing.ts';
import type { TellDeps } from '../incidents/tell.ts';
import { alertStaff, type StaffChat } from '../staff/alerts.ts';
import { changeStatus, slaAfter, type StatusDeps } from '../staff/status.ts';
import { MONITORING_ACTOR, tellJoined } from './link.ts';
import type { Alert } from './payload.ts';
import type { Target } from './target.ts';
import { alertDescription, alertLabel, alertSummary } from './words.ts';

// A request an alert raises on its charter line, filed as the monitoring
// system's "person" through the one filing service, and its resolution when
// the alert clears; with the people's reports of that service joined to it.

export interface AlertRequestDeps extends FilingDeps, StatusDeps {
  readonly staffLocale: Locale;
  readonly staffChat?: StaffChat;
  readonly tell: TellDeps;
}

type RequestTarget = Extract<Target, { kind: 'request' }>;

const isOpen = (status: RequestRow['status']) => (OPEN_STATUSES as readonly string[]).includes(status);

/** What the request holds of the alert: the monitoring team's words, and what staff need to find it in their monitoring. */
function detailsOf(a: Alert, row: AlertRow, target: RequestTarget): Record<string, string> {
  return {
    description: alertDescription(a, row.name),
    alertname: row.name,
    fingerprint: row.fingerprint,
    ...(row.severity ? { severity: row.severity } : {}),
    ...(a.generatorURL ? { generator_url: a.generatorURL } : {}),
    ...(target.area ? { area: target.area } : {}),
  };
}

/**
 * Files the alert's request, then joins to it the open reports of its service
 * people filed since the fault began (each reporter told it is known), and
 * tells the staff chat. In the caller's transaction, which claimed the alert.
 */
export async function raiseRequest(tx: Tx, deps: AlertRequestDeps, r: { row: AlertRow; alert: Alert; target: RequestTarget; now: Date }): Promise<{ request: RequestRow; joined: number }> {
  const { row, target, now } = r;
  const t = translator(deps.staffLocale);
  const person = await monitoringPerson(tx, { receiver: row.receiver, name: t('alerts.person', { receiver: row.receiver }), locale: deps.staffLocale, at: now });
  const { request } = await fileRequest(tx, deps, {
    personId: person.id,
    conversationId: null,
    service: target.service,
    variant: target.line.variant,
    details: detailsOf(r.alert, row, target),
    raisedBy: `${MONITORING_ACTOR}:${row.receiver}`,
    now,
  });
  await setAlertRaised(tx, row.id, { requestId: request.id });
  const joined = await joinOpenReports(tx, deps.tell, { alertId: row.id, service: target.service, since: row.startsAt, reference: request.reference, now });
  const text = t('alerts.staff.raised', {
    alert: alertLabel(row.name, row.severity),
    reference: request.reference,
    service: deps.charter.requestName(request, deps.staffLocale),
    summary: alertSummary(r.alert, row.name),
    joined: joined.length,
  });
  await alertStaff(tx, deps.staffChat, { text, at: now });
  return { request, joined: joined.length };
}

/**
 * Joins to the alert the open reports of its service filed since the fault
 * began that nothing holds yet, each with its audit event, and tells their
 * reporters it is known. Returns the ids joined.
 */
async function joinOpenReports(tx: Tx, tell: TellDeps, j: { alertId: number; service: string; since: Date; reference: string; now: Date }): Promise<number[]> {
  const joined = await joinAlert(tx, j.alertId, await unjoinedReportsSince(tx, j.service, j.since), j.now);
  await addEvents(
    tx,
    joined.map((requestId) => ({ requestId, at: j.now, actor: MONITORING_ACTOR, kind: 'alert_joined', data: { alert: j.alertId, request: j.reference } })),
  );
  await tellJoined(tx, tell, { reporters: await reportersOf(tx, joined), kind: 'joined', reference: j.reference, at: j.now });
  return joined;
}

/**
 * Reports that missed their alert: on PostgreSQL a report filed while an
 * alert of its service is being raised on another connection can see no
 * firing alert (looked up before its commit) and be left out of the alert's
 * own join (its reports read before the report's commit). The leader joins
 * them a little later, as the raise would have, to the first firing alert of
 * each service (the one a filing joins). Returns how many joined.
 */
export async function joinLateReports(tx: Tx, tell: TellDeps, now: Date): Promise<number> {
  let joined = 0;
  const seen = new Set<string>();
  for (const { alert, reference } of await raisedFiringAlerts(tx)) {
    if (seen.has(alert.service)) continue;
    seen.add(alert.service);
    joined += (await joinOpenReports(tx, tell, { alertId: alert.id, service: alert.service, since: alert.startsAt, reference, now })).length;
  }
  return joined;
}

/**
 * The alert cleared: its request is resolved as staff resolve one (status,
 * audit event, SLA clock), unless staff closed it meanwhile; the open reports
 * joined to it are resolved too and each reporter told; the staff chat hears.
 */
export async function resolveRaisedRequest(tx: Tx, deps: AlertRequestDeps, r: { row: AlertRow & { requestId: number }; now: Date }): Promise<{ reference: string; resolved: boolean; joined: number }> {
  const { row, now } = r;
  const t = translator(deps.staffLocale);
  const alert = alertLabel(row.name, row.severity);
  const note = t('alerts.status_note', { alert });
  const known = await requestById(tx, row.requestId);
  const request = known && (await requestToChange(tx, known.reference));
  if (!request) throw new Error(`the request of alert ${row.id} is gone`);
  const resolved = isOpen(request.status) && (await changeStatus(tx, deps, { request, to: 'resolved', note, actor: `${MONITORING_ACTOR}:${row.receiver}`, now })).status === 'changed';
  const reporters = await reportersOf(tx, await openJoinedReports(tx, row.id));
  for (const { request: report } of reporters) await updateRequest(tx, report.id, { ...slaAfter(deps, report, 'resolved', now), status: 'resolved', updatedAt: now });
  await addEvents(
    tx,
    reporters.map(({ request: report }) => ({ requestId: report.id, at: now, actor: MONITORING_ACTOR, kind: 'status', note, data: { status: 'resolved', alert: row.id } })),
  );
  await tellJoined(tx, deps.tell, { reporters, kind: 'fixed', reference: request.reference, at: now });
  const status = t(`console_staff.status.${request.status}`);
  const text = resolved
    ? t('alerts.staff.resolved', { alert, reference: request.reference, joined: reporters.length })
    : t('alerts.staff.resolved_kept', { alert, reference: request.reference, status, joined: reporters.length });
  await alertStaff(tx, deps.staffChat, { text, at: now });
  return { reference: request.reference, resolved, joined: reporters.length };
}
