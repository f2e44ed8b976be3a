import { firingAlertOnService } from '../../db/queries/alerts.ts';
import { createRequest, setAboutRequest, type RequestRow } from '../../db/queries/requests.ts';
import type { Tx } from '../../db/store.ts';
import type { Charter, CharterLine, FiledIntent } from '../charter/charter.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { dueTime } from '../sla/due.ts';
import { firstStepAt } from '../sla/stages.ts';
import { toLocal } from '../sla/zoned.ts';
import { joinOpenIncident, type JoinedIncident } from '../incidents/link.ts';
import { joinFiringAlert, type JoinedAlert } from '../alerts/link.ts';
import { plannedOutageFor, type PlannedOutage } from '../announcements/planned.ts';

// The one way a charter request is filed, whichever channel it comes from
// (the chat's form, a USSD session, a complaint): its charter line, due time,
// reference, first SLA step and audit event, in the caller's transaction.

export interface FilingDeps {
  readonly charter: Charter;
  readonly calendar: WorkingCalendar;
  readonly referencePrefix: string;
}

export interface NewFiling {
  readonly personId: number;
  /** The conversation the person is told in; null for a request staff file without one. */
  readonly conversationId: number | null;
  readonly service: FiledIntent;
  /** Picks the charter line where a service has several (training, equipment repair). */
  readonly variant?: string;
  readonly details: Record<string, string>;
  /** A complaint's request it is about. */
  readonly aboutRequestId?: number;
  /** Where the fault is: a place key (bot/places), e.g. "dar-es-salaam/kinondoni/sinza". */
  readonly area?: string;
  /** A system that raised it (a monitoring alert, "monitoring:<receiver>"): the audit's actor; such a request joins no incident or alert, it is one. */
  readonly raisedBy?: string;
  readonly now: Date;
}

export interface Filed {
  readonly request: RequestRow;
  readonly line: CharterLine;
  /** Undefined where the charter's promise is not a time from filing (a schedule, an event). */
  readonly dueAt: Date | undefined;
  /**
   * The open incident this report joined at once (its service, in its area):
   * the caller adds the incident's news to the receipt (incidents/words.ts
   * joinedText), which then counts as told.
   */
  readonly incident?: JoinedIncident;
  /**
   * The firing monitoring alert this report joined at once (its service, no
   * incident around it): the caller adds alerts/words.ts alertJoinedText to
   * the receipt.
   */
  readonly alert?: JoinedAlert;
  /** The planned outage under way where the report was filed: the caller adds its notice to the receipt (announcements/words.ts plannedText). */
  readonly planned?: PlannedOutage;
}

/** The line a request files under: the variant's, else the service's first. */
export function lineFor(charter: Charter, service: FiledIntent, variant?: string): CharterLine {
  const line = charter.line(service, variant) ?? charter.linesFor(service)[0];
  if (!line) throw new Error(`the charter has no line for ${service}`);
  return line;
}

export async function fileRequest(tx: Tx, deps: FilingDeps, f: NewFiling): Promise<Filed> {
  const line = lineFor(deps.charter, f.service, f.variant);
  const due = dueTime({ rule: line.sla, start: f.now, calendar: deps.calendar });
  const dueAt = due.status === 'due' ? due.at : undefined;
  // The SLA watch first looks at it at its warning time.
  const slaNextAt = dueAt ? firstStepAt(line.sla, deps.calendar, { createdAt: f.now, dueAt, pausedMs: 0 }) : undefined;
  // Looked up before the reference is taken: on PostgreSQL the counter's row lock is held from then to COMMIT,
  // and every filing of every instance queues on it (BENCHMARKS.md, the backends).
  const firing = f.raisedBy ? undefined : await firingAlertOnService(tx, f.service);
  const request = await createRequest(tx, {
    personId: f.personId,
    conversationId: f.conversationId,
    service: f.service,
    charterLine: line.line,
    variant: f.variant ?? line.variant,
    details: f.details,
    dueAt,
    slaNextAt,
    team: deps.charter.teams.of(f.service)?.id,
    prefix: deps.referencePrefix,
    year: toLocal(f.now, deps.calendar.timeZone).year,
    area: f.area,
    at: f.now,
    actor: f.raisedBy ?? `person:${f.personId}`,
  });
  const incident = f.raisedBy ? undefined : await joinOpenIncident(tx, request, f.now);
  const alert = incident || !firing ? undefined : await joinFiringAlert(tx, request, firing, f.now);
  const filed = incident ? { request: { ...request, incidentId: incident.id, incidentLinkedAt: f.now }, line, dueAt, incident } : { request, line, dueAt, ...(alert ? { alert } : {}) };
  // A report in the area and hours of a planned outage hears its notice (bot/announcements/planned.ts).
  const planned = f.raisedBy ? undefined : await plannedOutageFor(tx, request, line, f.now);
  if (f.aboutRequestId === undefined) return planned ? { ...filed, planned } : filed;
  await setAboutRequest(tx, request.id, f.aboutRequestId);
  return { ...filed, ...(planned ? { planned } : {}), request: { ...filed.request, aboutRequestId: f.aboutRequestId } };
}
