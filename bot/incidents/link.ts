import { linkReport } from '../../db/queries/incident-reports.ts';
import { latestNews, markTold, openIncidentFor, type IncidentMessage } from '../../db/queries/incidents.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import type { Tx } from '../../db/store.ts';

/** The open incident a new report joined at filing, and what its reporter is told of it. */
export interface JoinedIncident {
  readonly id: number;
  readonly areaLabel: string;
  /** The incident's latest news (its opening message, or its latest update). */
  readonly message: IncidentMessage;
}

/**
 * A new report of a service in an area where that service has an open
 * incident joins it at once, in the filing's transaction: it keeps its own
 * reference, and its reporter is counted as told the incident's latest news,
 * which the filing's reply carries (the caller adds it: bot/incidents/words.ts
 * joinedText). Later updates and the resolution reach them like every reporter.
 */
export async function joinOpenIncident(tx: Tx, request: RequestRow, at: Date): Promise<JoinedIncident | undefined> {
  if (!request.area) return undefined;
  const incident = await openIncidentFor(tx, request.service, request.area);
  if (!incident) return undefined;
  const news = await latestNews(tx, incident.id);
  if (!news || !(await linkReport(tx, request.id, incident.id, at))) return undefined;
  await addEvent(tx, { requestId: request.id, at, actor: 'incident', kind: 'incident_linked', data: { incident: incident.id } });
  if (request.conversationId !== null) await markTold(tx, { updateId: news.id, incidentId: incident.id, requestIds: [request.id], at });
  return { id: incident.id, areaLabel: incident.areaLabel, message: news.message };
}
