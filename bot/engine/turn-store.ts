import type { Tx } from '../../db/store.ts';
import { setPersonContact, setPersonLocale } from '../../db/queries/conversations.ts';
import { updateRequest } from '../../db/queries/staff-requests.ts';
import { addEvent, findOwnRequest, latestOfService, latestRequestOf, openRequestsOf, requestByReference, setStatus } from '../../db/queries/requests.ts';
import { resumeWait } from '../../db/queries/handoffs.ts';
import type { Locale } from '../../locales/index.ts';
import { COMPLAINT } from '../charter/charter.ts';
import type { TurnStore } from './context.ts';
import { forwardToStaff, leaveQueue, type HandoffDeps } from './handoff.ts';
import { fileRequest, type FilingDeps } from './filing.ts';
import type { CodeChannel } from './phone-proof.ts';
import { checkPhoneProof, startPhoneProof } from './phone-proof.ts';
import { phoneLeadsTo } from '../../db/queries/identity.ts';
import { erasePerson } from '../privacy/erase.ts';
import { summaryOf } from '../privacy/summary.ts';
import { kbStoreOf, type KnowledgeBase } from '../kb/library.ts';
import { noticeStoreOf } from '../announcements/turn-store.ts';

/** What of the engine's dependencies the store uses (see EngineDeps in engine.ts). */
export interface TurnStoreDeps extends FilingDeps {
  readonly codeChannels?: readonly CodeChannel[];
  readonly kb?: KnowledgeBase;
}

/** What a turn may change in storage (context.ts), bound to the turn's transaction and person. */
export function storeFor(tx: Tx, deps: TurnStoreDeps, staff: HandoffDeps, personId: number, conversationId: number, now: Date, locale: Locale): TurnStore {
  const actor = `person:${personId}`;
  const codeChannels = deps.codeChannels ?? [];
  const own = (reference: string) => findOwnRequest(tx, personId, reference);
  return {
    file: (r) => fileRequest(tx, deps, { ...r, personId, conversationId, now }),
    findOwnRequest: own,
    findRequest: (reference) => requestByReference(tx, reference),
    openRequests: () => openRequestsOf(tx, personId),
    latestRequest: () => latestRequestOf(tx, personId),
    latestComplaint: () => latestOfService(tx, personId, COMPLAINT),
    cancelRequest: (request) => setStatus(tx, { requestId: request.id, status: 'cancelled', at: now, actor, note: 'cancelled by the customer' }),
    queue: {
      forward: (text) => forwardToStaff(tx, staff, { conversationId, text, now }),
      wait: () => resumeWait(tx, conversationId),
      leave: (because) => leaveQueue(tx, staff, { conversationId, because, now }),
    },
    attach: async (request, attachments) => {
      for (const a of attachments) await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'attachment', note: a.caption, data: a });
    },
    rate: async (reference, rating) => {
      const request = await own(reference);
      if (!request) return false;
      await updateRequest(tx, request.id, { rating });
      await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating', data: { rating } });
      return true;
    },
    commentRating: async (reference, comment) => {
      const request = await own(reference);
      if (!request) return;
      await updateRequest(tx, request.id, { ratingComment: comment });
      await addEvent(tx, { requestId: request.id, at: now, actor, kind: 'rating_comment', note: comment });
    },
    setLocale: (locale) => setPersonLocale(tx, personId, locale),
    setContact: (contact) => setPersonContact(tx, personId, { email: contact.email }),
    canSendCodes: codeChannels.length > 0,
    phoneIsMine: (phone) => phoneLeadsTo(tx, phone, personId),
    startPhoneProof: (phone, message) => startPhoneProof(tx, { codeChannels }, { personId, conversationId, phone, now, message }),
    checkPhoneProof: (code) => checkPhoneProof(tx, { personId, conversationId, code, locale, now }),
    heldData: () => summaryOf(tx, personId, now),
    erase: () => erasePerson(tx, personId, { actor, now }),
    kb: kbStoreOf(tx, deps.kb, conversationId, now),
    notices: noticeStoreOf(tx, personId, conversationId, now),
  };
}
