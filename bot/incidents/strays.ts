import { addEvents, linkReport } from '../../db/queries/incident-reports.ts';
import { latestNews, openIncidents, type IncidentRow } from '../../db/queries/incidents.ts';
import type { Tx } from '../../db/store.ts';
import { within } from './areas.ts';
import { tellReporters, type TellDeps } from './tell.ts';

/**
 * Reports that should be in an open incident and are not: filed in the very
 * moment the incident was opened (on PostgreSQL neither transaction saw the
 * other's row), or given their area after filing. Each joins the open
 * incident of its service around its area (the nearest), and its reporter is
 * told the incident's latest news, once. Returns the ids that joined.
 */
export async function joinStrays(tx: Tx, deps: TellDeps, reports: readonly { id: number; service: string; area: string }[], at: Date): Promise<Set<number>> {
  const joined = new Set<number>();
  if (reports.length === 0) return joined;
  const open = await openIncidents(tx);
  if (open.length === 0) return joined;
  const byIncident = new Map<number, { incident: IncidentRow; ids: number[] }>();
  for (const r of reports) {
    const around = open.filter((i) => i.service === r.service && within(i.area, r.area)).sort((a, b) => b.area.length - a.area.length)[0];
    if (!around || !(await linkReport(tx, r.id, around.id, at))) continue;
    joined.add(r.id);
    const entry = byIncident.get(around.id) ?? { incident: around, ids: [] };
    entry.ids.push(r.id);
    byIncident.set(around.id, entry);
  }
  for (const { incident, ids } of byIncident.values()) {
    await addEvents(
      tx,
      ids.map((requestId) => ({ requestId, at, actor: 'incident', kind: 'incident_linked', data: { incident: incident.id } })),
    );
    const news = await latestNews(tx, incident.id);
    if (news) await tellReporters(tx, deps, { incident, update: news, kind: news.kind === 'update' ? 'update' : 'opened', requestIds: ids, at });
  }
  return joined;
}
