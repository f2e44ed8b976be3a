import { underWayAt } from '../../db/queries/announcements.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import type { Tx } from '../../db/store.ts';
import type { CharterLine } from '../charter/charter.ts';
import type { Notice } from './words.ts';

/** The planned outage a new report was filed in (its area, its hours): the caller adds its notice to the receipt (words.ts plannedText). */
export interface PlannedOutage {
  readonly id: number;
  readonly notice: Notice;
}

/**
 * A report of a fault a planned outage causes (its charter line says
 * `planned: true`), filed in the area and hours of a published one, in the
 * filing's transaction: its audit trail notes the outage, so staff see why,
 * and its reporter is told the notice (it keeps its own reference).
 */
export async function plannedOutageFor(tx: Tx, request: RequestRow, line: CharterLine, at: Date): Promise<PlannedOutage | undefined> {
  if (!line.planned || !request.area) return undefined;
  const outage = await underWayAt(tx, request.area, at);
  if (!outage) return undefined;
  await addEvent(tx, { requestId: request.id, at, actor: 'announcement', kind: 'planned_outage', data: { announcement: outage.id } });
  return { id: outage.id, notice: outage };
}
