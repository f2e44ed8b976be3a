import { addStaff, closeSessionsOf, listStaff, otherActiveAdmins, setTokenHash, staffById, staffByTelegram, updateStaff, type StaffRow } from '../../db/queries/staff.ts';
import type { Store, Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Clock } from '../sla/clock.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { leads } from './actor.ts';

// Administrators keep the staff: who is on it, their role, team and console
// language, their Telegram account, and their tokens (reissued or revoked).
// Every method takes who asks and refuses anyone but an administrator.

export type Role = StaffRow['role'];

/** What a token's hash is replaced with when it is revoked: no token hashes to it (hashes are 64 hex digits). */
export const REVOKED = 'revoked:';

export const isActive = (s: Pick<StaffRow, 'tokenHash'>) => !s.tokenHash.startsWith(REVOKED);

export interface StaffChange {
  readonly role?: Role;
  /** A team id of teams.yml, or null for none. */
  readonly team?: string | null;
  readonly locale?: Locale;
  /** Their Telegram user id (null: unlink). */
  readonly telegramUserId?: string | null;
}

export type AdminRefusal =
  | { readonly status: 'forbidden' }
  | { readonly status: 'not_found' }
  | { readonly status: 'unknown_team'; readonly team: string; readonly known: readonly string[] }
  /** The last administrator who can sign in would be lost. */
  | { readonly status: 'last_admin' }
  /** That Telegram user is already another officer's. */
  | { readonly status: 'telegram_taken'; readonly by: { readonly id: number; readonly name: string } };

export type Added = { readonly status: 'added'; readonly staff: StaffRow; readonly token: string };
export type Changed = { readonly status: 'changed'; readonly staff: StaffRow };
export type Reissued = { readonly status: 'reissued'; readonly staff: StaffRow; readonly token: string };

interface AdminDeps {
  readonly store: Store;
  readonly charter: Charter;
  readonly clock: Clock;
}

const isAdmin = (s: StaffRow) => s.role === 'admin';

export class StaffAdmin {
  constructor(private readonly deps: AdminDeps) {}

  /** Whether `team` names a team of teams.yml (null, none, always does). */
  teamProblem(team: string | null | undefined): AdminRefusal | undefined {
    if (team === undefined || team === null) return undefined;
    const known = this.deps.charter.teams.list.map((t) => t.id);
    return known.includes(team) ? undefined : { status: 'unknown_team', team, known };
  }

  /** Whom `by` may hand a request to: anyone who can sign in, for a supervisor or an administrator; their own team, for an agent. */
  async assignable(by: StaffRow): Promise<StaffRow[]> {
    const all = (await this.deps.store.read((tx) => listStaff(tx))).filter(isActive);
    return leads(by) ? all : all.filter((s) => s.id === by.id || (by.team !== null && s.team === by.team));
  }

  async list(by: StaffRow): Promise<StaffRow[] | AdminRefusal> {
    if (!isAdmin(by)) return { status: 'forbidden' };
    return this.deps.store.read((tx) => listStaff(tx));
  }

  /** A new officer and their token, shown this once (only its hash is kept). */
  async add(by: StaffRow, s: { name: string; role: Role; team?: string | null; locale?: Locale }): Promise<Added | AdminRefusal> {
    if (!isAdmin(by)) return { status: 'forbidden' };
    const bad = this.teamProblem(s.team);
    if (bad) return bad;
    const token = newSecret();
    const staff = await this.deps.store.transaction((tx) => addStaff(tx, { ...s, tokenHash: hashSecret(token), at: this.deps.clock.now() }));
    return { status: 'added', staff, token };
  }

  async change(by: StaffRow, id: number, change: StaffChange): Promise<Changed | AdminRefusal> {
    if (!isAdmin(by)) return { status: 'forbidden' };
    const bad = this.teamProblem(change.team);
    if (bad) return bad;
    return this.deps.store.transaction(async (tx) => {
      const s = await staffById(tx, id);
      if (!s) return { status: 'not_found' as const };
      if (change.role !== undefined && change.role !== 'admin' && (await this.losesLastAdmin(tx, s))) return { status: 'last_admin' as const };
      const { telegramUserId, ...rest } = change;
      // The link is checked first: a refused one changes nothing else either.
      const linked = telegramUserId === undefined ? undefined : await linkTelegramIn(tx, id, telegramUserId);
      if (linked && linked.status !== 'changed') return linked;
      if (Object.values(rest).some((v) => v !== undefined)) await updateStaff(tx, id, rest);
      return { status: 'changed' as const, staff: { ...s, ...change } };
    });
  }

  /** A new token: the old one stops working at once, and so do the officer's console sessions. */
  async reissue(by: StaffRow, id: number): Promise<Reissued | AdminRefusal> {
    if (!isAdmin(by)) return { status: 'forbidden' };
    const token = newSecret();
    return this.deps.store.transaction(async (tx) => {
      const s = await staffById(tx, id);
      if (!s) return { status: 'not_found' as const };
      await setTokenHash(tx, id, hashSecret(token));
      await closeSessionsOf(tx, id);
      return { status: 'reissued' as const, staff: s, token };
    });
  }

  /** No token: the officer cannot sign in or use the API until one is reissued; their console sessions end now. */
  async revoke(by: StaffRow, id: number): Promise<Changed | AdminRefusal> {
    if (!isAdmin(by)) return { status: 'forbidden' };
    return this.deps.store.transaction(async (tx) => {
      const s = await staffById(tx, id);
      if (!s) return { status: 'not_found' as const };
      if (await this.losesLastAdmin(tx, s)) return { status: 'last_admin' as const };
      const tokenHash = `${REVOKED}${newSecret()}`;
      await setTokenHash(tx, id, tokenHash);
      await closeSessionsOf(tx, id);
      return { status: 'changed' as const, staff: { ...s, tokenHash } };
    });
  }

  /** Links (or with null unlinks) the officer's Telegram user, so what they do in the staff group is theirs in the audit trail. */
  async linkTelegram(by: StaffRow | 'operator', id: number, telegramUserId: string | null): Promise<Changed | AdminRefusal> {
    if (by !== 'operator' && !isAdmin(by)) return { status: 'forbidden' };
    return this.deps.store.transaction((tx) => linkTelegramIn(tx, id, telegramUserId));
  }

  /** Whether `s` is an administrator who can sign in and the only one. */
  private async losesLastAdmin(tx: Tx, s: StaffRow): Promise<boolean> {
    return isAdmin(s) && isActive(s) && (await otherActiveAdmins(tx, s.id, REVOKED)) === 0;
  }
}

/** The link itself, in the caller's transaction (the console, the API and `npm run staff:link-telegram` share it). */
export async function linkTelegramIn(tx: Tx, id: number, telegramUserId: string | null): Promise<Changed | AdminRefusal> {
  const s = await staffById(tx, id);
  if (!s) return { status: 'not_found' };
  if (telegramUserId !== null) {
    const other = await staffByTelegram(tx, telegramUserId);
    if (other && other.id !== id) return { status: 'telegram_taken', by: { id: other.id, name: other.name } };
  }
  await updateStaff(tx, id, { telegramUserId });
  return { status: 'changed', staff: { ...s, telegramUserId } };
}
