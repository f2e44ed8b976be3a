import { eraseHeld, recordErasure, type ErasureScope } from '../../db/queries/erasure.ts';
import { erasureRows, type ErasureRows } from '../../db/queries/privacy.ts';
import { phoneIdentities } from '../../db/queries/ussd.ts';
import type { Tx } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import { rateKeyOf } from '../engine/rate-limit.ts';
import { hashSecret } from '../secrets.ts';

// Erasing a person (PDPA 2022, the right to erasure), the one way the chat,
// staff and the retention job all use: open requests are closed (with their
// audit event), then their names, phone numbers, e-mails, offices and words
// are removed from every table (db/queries/erasure.ts says where), keeping each
// request's service, times, status and rating for the charter's figures.
// Their identities are deleted, so a later message from the same phone or
// chat starts afresh, as a new person.

/** Channel names whose chat id needs a look-up elsewhere: the web chat's session (kept hashed) and the linked WhatsApp device's JID. */
const WEB_CHAT = 'webchat';
const WHATSAPP_DEVICE = 'whatsapp';

export interface ErasureOptions {
  /** Who erases, as the audit trail names them: `staff:3 Asha Mushi`, `person:12` (their own wish), `retention`. */
  readonly actor: string;
  readonly now: Date;
}

export type ErasureOutcome =
  | {
      readonly status: 'erased';
      readonly personId: number;
      /** Erased before (this run emptied anything written since, and recorded itself again). */
      readonly alreadyErased: boolean;
      /** The references of the requests this closed. */
      readonly closed: readonly string[];
      /** How many requests of theirs stay, without their data, in the figures. */
      readonly requests: number;
      /** Their chats as they were addressed before (to say goodbye on, in the same transaction). */
      readonly conversations: readonly { readonly id: number; readonly channel: string; readonly chatId: string }[];
      /** Their language, for that goodbye. */
      readonly locale: Locale;
    }
  | { readonly status: 'not_found' };

const unique = (items: readonly string[]) => [...new Set(items)];

/** Where the person's rows are: their chats and identities, and the rows keyed by them. */
export function scopeOf(rows: ErasureRows): ErasureScope {
  const addresses = [...rows.conversations.map((c) => ({ channel: c.channel, chatId: c.chatId })), ...rows.identities.map((i) => ({ channel: i.channel, chatId: i.externalId }))];
  const on = (channel: string) => unique(addresses.filter((a) => a.channel === channel).map((a) => a.chatId));
  return {
    personId: rows.person.id,
    mergedPeople: rows.merged,
    conversationIds: rows.conversations.map((c) => c.id),
    requestIds: rows.requestIds,
    addresses,
    // A code's message went to the number as that channel addresses it, at the moment the proof was made.
    proofSends: rows.proofs.map((p) => ({ channel: p.channel, chatIds: unique([p.phone, ...phoneIdentities(p.phone).map((k) => k.externalId)]), at: p.createdAt })),
    webchatSessionHashes: on(WEB_CHAT).map(hashSecret),
    whatsappJids: on(WHATSAPP_DEVICE),
    rateKeys: unique(addresses.map((a) => rateKeyOf({ channel: a.channel, senderId: a.chatId }))),
  };
}

/** Erases everything held about one person, in the caller's transaction (the whole of it commits, or none). */
export async function erasePerson(tx: Tx, personId: number, o: ErasureOptions): Promise<ErasureOutcome> {
  const rows = await erasureRows(tx, personId);
  if (!rows) return { status: 'not_found' };
  const scope = scopeOf(rows);
  await eraseHeld(tx, scope, o.now);
  const closed = await recordErasure(tx, scope, { at: o.now, actor: o.actor });
  return {
    status: 'erased',
    personId,
    alreadyErased: rows.person.erasedAt !== null,
    closed,
    requests: scope.requestIds.length,
    conversations: rows.conversations,
    locale: rows.person.locale,
  };
}
