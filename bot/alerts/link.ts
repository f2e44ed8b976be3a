import { type firingAlertOnService, joinAlert } from '../../db/queries/alerts.ts';
import type { Reporter } from '../../db/queries/incident-reports.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import type { Tx } from '../../db/store.ts';
import { tellEachChat, type TellDeps } from '../incidents/tell.ts';
import { alertNoticeText, type AlertNoticeKind } from './words.ts';

/** Who the audit trail names for what a monitoring alert did. */
export const MONITORING_ACTOR = 'monitoring';

/** The firing alert a new report joined at filing: the reporter is told its request's reference with their receipt. */
export interface JoinedAlert {
  readonly alertId: number;
  /** The reference of the request the alert raised. */
  readonly reference: string;
}

/** The firing alert on a service that a new report of it would join (firingAlertOnService). */
export type FiringAlert = NonNullable<Awaited<ReturnType<typeof firingAlertOnService>>>;

/**
 * A new report of a service on which a firing alert raised a request (no
 * area, or no incident around its area) joins that alert, in the filing's
 * transaction: it keeps its own reference, its reporter is told at once that
 * the fault is known (the caller adds bot/alerts/words.ts alertJoinedText to
 * the receipt), and hears again when the alert clears.
 */
export async function joinFiringAlert(tx: Tx, request: RequestRow, firing: FiringAlert, at: Date): Promise<JoinedAlert | undefined> {
  if (request.incidentId !== null) return undefined;
  if ((await joinAlert(tx, firing.alert.id, [request.id], at)).length === 0) return undefined;
  await addEvent(tx, { requestId: request.id, at, actor: MONITORING_ACTOR, kind: 'alert_joined', data: { alert: firing.alert.id, request: firing.reference } });
  return { alertId: firing.alert.id, reference: firing.reference };
}

/**
 * Tells the reporters of these reports (reportersOf), joined to the alert's request
 * `reference`, that the fault is known or mended: one message a chat (a
 * person who reported twice hears it once), in their language, through the
 * outbox and paced. The caller's transaction holds the change that makes it
 * once (the join, or the alert's resolution). Returns the chats told.
 */
export async function tellJoined(tx: Tx, deps: TellDeps, t: { reporters: readonly Reporter[]; kind: AlertNoticeKind; reference: string; at: Date }): Promise<number> {
  return tellEachChat(tx, deps, t.reporters, (locale, channel, references) => alertNoticeText(locale, channel, t.kind, references, t.reference), t.at);
}
