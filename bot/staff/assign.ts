import { setAssignee } from '../../db/queries/desk-writes.ts';
import { addEvent, type RequestRow } from '../../db/queries/requests.ts';
import { staffById, type StaffRow } from '../../db/queries/staff.ts';
import type { Tx } from '../../db/store.ts';
import { actorName, leads, type Actor } from './actor.ts';

// Who owns a request. A new request waits in its service's team queue
// (requests.team, set at filing); an officer of that team takes it; a
// supervisor or an administrator hands it to anyone, also outside the team,
// which the audit trail records. Anyone may still act on a request they do
// not own: that is recorded too, naming both.

/** `me`, a staff id, or `none` (back to the team's queue). */
export type AssignTarget = 'me' | 'none' | number;

type Named = { readonly id: number; readonly name: string };

export type AssignRefusal =
  /** The request is another officer's: only a supervisor or an administrator moves it. */
  | { readonly why: 'owned_by_other'; readonly owner: Named }
  /** An agent and a request of another team's queue. */
  | { readonly why: 'other_team'; readonly team: string | null }
  /** An agent handing a request to someone outside their team. */
  | { readonly why: 'target_outside_team'; readonly target: Named };

export type AssignOutcome =
  | { readonly status: 'assigned'; readonly request: RequestRow; readonly assignee: Named | null; readonly outsideTeam: boolean; readonly changed: boolean }
  | { readonly status: 'no_staff'; readonly id: number }
  | ({ readonly status: 'forbidden'; readonly text: string } & AssignRefusal);

const named = (s: StaffRow): Named => ({ id: s.id, name: s.name });

function forbid(r: AssignRefusal): AssignOutcome {
  const text =
    r.why === 'owned_by_other'
      ? `the request is assigned to ${r.owner.name} (staff ${r.owner.id}); only a supervisor or an administrator may reassign it`
      : r.why === 'other_team'
        ? `the request is in the ${r.team ?? 'unrouted'} queue, not your team's; a supervisor or an administrator may assign it`
        : `${r.target.name} (staff ${r.target.id}) is not in your team; only a supervisor or an administrator may assign outside the team`;
  return { status: 'forbidden', text, ...r };
}

/** May `by` (not a supervisor) move request `r` from its owner to `target`? */
function agentRefusal(by: StaffRow, r: RequestRow, owner: StaffRow | undefined, target: StaffRow | undefined): AssignRefusal | undefined {
  if (owner && owner.id !== by.id) return { why: 'owned_by_other', owner: named(owner) };
  if (r.team !== null && r.team !== by.team) return { why: 'other_team', team: r.team };
  if (target && target.id !== by.id && target.team !== by.team) return { why: 'target_outside_team', target: named(target) };
  return undefined;
}

/** Assigns request `r` (read for change), in the caller's transaction; the audit event names who, to whom, from whom. */
export async function assignRequest(tx: Tx, c: { request: RequestRow; by: StaffRow; to: AssignTarget; now: Date }): Promise<AssignOutcome> {
  const { request: r, by, now } = c;
  const target = c.to === 'me' ? by : c.to === 'none' ? undefined : await staffById(tx, c.to);
  if (typeof c.to === 'number' && !target) return { status: 'no_staff', id: c.to };
  const owner = r.assigneeId === null ? undefined : await staffById(tx, r.assigneeId);
  const outsideTeam = target !== undefined && r.team !== null && target.team !== r.team;
  if ((target?.id ?? null) === r.assigneeId) return { status: 'assigned', request: r, assignee: target ? named(target) : null, outsideTeam, changed: false };
  if (!leads(by)) {
    const refusal = agentRefusal(by, r, owner, target);
    if (refusal) return forbid(refusal);
  }
  await setAssignee(tx, r.id, target?.id ?? null, now);
  await addEvent(tx, {
    requestId: r.id,
    at: now,
    actor: actorName({ kind: 'staff', staff: by }),
    kind: target ? 'assigned' : 'unassigned',
    note: outsideTeam ? `outside the ${r.team} team` : undefined,
    data: { from: owner ? named(owner) : null, to: target ? named(target) : null, team: r.team, outsideTeam },
  });
  return { status: 'assigned', request: { ...r, assigneeId: target?.id ?? null, updatedAt: now }, assignee: target ? named(target) : null, outsideTeam, changed: true };
}

/**
 * A status change or a reply by someone who does not own the request: allowed,
 * and recorded beside the action, naming both (the owner may need to know).
 */
export async function recordIfNotOwner(tx: Tx, r: Pick<RequestRow, 'id' | 'assigneeId'>, actor: Actor, action: 'status' | 'reply', at: Date): Promise<void> {
  if (r.assigneeId === null || (actor.kind === 'staff' && actor.staff.id === r.assigneeId)) return;
  const owner = await staffById(tx, r.assigneeId);
  await addEvent(tx, {
    requestId: r.id,
    at,
    actor: actorName(actor),
    kind: 'not_owner',
    note: owner ? owner.name : undefined,
    data: { action, owner: owner ? named(owner) : { id: r.assigneeId, name: null } },
  });
}
