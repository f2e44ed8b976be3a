import { deleteNotices, hasLegacyComplaints, legacyComplaints } from '../../db/queries/notices.ts';
import { addEvent, fileAsClosed } from '../../db/queries/requests.ts';
import type { Store } from '../../db/store.ts';
import { COMPLAINT } from '../charter/charter.ts';
import { fileRequest, type FilingDeps } from './filing.ts';

/** Who the audit trail names for the conversion. */
const ACTOR = 'system';

/**
 * Before complaints were tracked, they were kept as rows of the notices table
 * that nobody read. Each becomes a complaint request through the one filing
 * service, as if filed when it was made (its reference of that year, its due
 * time from then, so a late one shows late), linked to the request it named;
 * one staff had marked done is filed closed. The rows are deleted in the same
 * transaction, so a second start finds nothing to do. Run at start-up, after
 * the migrations; returns how many were converted.
 */
export async function convertLegacyComplaints(store: Store, deps: FilingDeps): Promise<number> {
  // Looked for first: nearly always there is nothing, and a read-only database must still start.
  if (!(await store.read((tx) => hasLegacyComplaints(tx)))) return 0;
  return store.transaction(async (tx) => {
    const rows = await legacyComplaints(tx);
    for (const n of rows) {
      const { request } = await fileRequest(tx, deps, {
        personId: n.personId,
        conversationId: n.conversationId,
        service: COMPLAINT,
        details: { description: n.text },
        aboutRequestId: n.requestId ?? undefined,
        now: n.createdAt,
      });
      await addEvent(tx, { requestId: request.id, at: n.createdAt, actor: ACTOR, kind: 'converted', note: 'kept as a notice before complaints were tracked', data: { noticeId: n.id } });
      if (n.status === 'done') await fileAsClosed(tx, { requestId: request.id, at: n.createdAt, actor: ACTOR, note: 'marked done as a notice' });
    }
    await deleteNotices(
      tx,
      rows.map((n) => n.id),
    );
    return rows.length;
  });
}
