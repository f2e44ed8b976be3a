import { and, asc, eq, or } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { identities, people, requests } from '../schema.ts';
import type { Person } from './conversations.ts';
import type { RequestRow } from './requests.ts';

/**
 * How one phone number (E.164, "+255712345678") is written as an identity on
 * each channel that knows people by their number, most specific first. The
 * channel names are the channels' own: 'whatsapp' (the linked device,
 * channels/whatsapp) addresses a person as <digits>@s.whatsapp.net, and
 * 'whatsapp_cloud' (Meta's Cloud API) by their wa_id, the bare digits.
 */
export function phoneIdentities(phone: string): { readonly channel: string; readonly externalId: string }[] {
  const digits = phone.replace(/^\+/, '');
  return [
    { channel: 'ussd', externalId: phone },
    { channel: 'sms', externalId: phone },
    { channel: 'whatsapp', externalId: `${digits}@s.whatsapp.net` },
    { channel: 'whatsapp_cloud', externalId: digits },
  ];
}

/** The people this phone number's identities lead to, best first (primary-key look-ups only). */
export function identityPeople(tx: Tx, phone: string): number[] {
  const keys = phoneIdentities(phone);
  const rows = tx
    .select({ channel: identities.channel, personId: identities.personId })
    .from(identities)
    .where(or(...keys.map((k) => and(eq(identities.channel, k.channel), eq(identities.externalId, k.externalId)))))
    .all();
  return [...new Set(keys.flatMap((k) => rows.filter((r) => r.channel === k.channel).map((r) => r.personId)))];
}

/**
 * Someone who gave this number in a chat form (people.phone) but never used it
 * as an identity. people.phone has no index, so this is asked only on a
 * number's first contact, after which its identities answer.
 */
function personWithNumber(tx: Tx, phone: string): Person | undefined {
  return tx.select().from(people).where(eq(people.phone, phone)).orderBy(asc(people.id)).limit(1).get();
}

/**
 * The person behind a phone number, made on first contact, with the number's
 * identities on USSD, SMS and WhatsApp (both kinds) all leading to them: whichever of those
 * channels they use next, they are the same person with the same requests.
 * An identity already leading to someone else is left as it is (merging
 * people is staff's call, not a side effect of dialling a code).
 */
export function personForPhone(tx: Tx, phone: string, locale: 'sw' | 'en', now: Date): Person {
  const known = identityPeople(tx, phone)[0];
  let person = known === undefined ? personWithNumber(tx, phone) : tx.select().from(people).where(eq(people.id, known)).get();
  if (!person) person = tx.insert(people).values({ locale, phone, createdAt: now }).returning().get();
  else if (!person.phone) {
    tx.update(people).set({ phone }).where(eq(people.id, person.id)).run();
    person = { ...person, phone };
  }
  for (const k of phoneIdentities(phone)) tx.insert(identities).values({ ...k, personId: person.id }).onConflictDoNothing().run();
  return person;
}

/** A request by reference (its unique index), if it belongs to someone this phone number stands for. */
export function findRequestForPhone(tx: Tx, phone: string, reference: string): RequestRow | undefined {
  const request = tx.select().from(requests).where(eq(requests.reference, reference)).get();
  if (!request) return undefined;
  if (identityPeople(tx, phone).includes(request.personId)) return request;
  const owner = tx.select({ phone: people.phone }).from(people).where(eq(people.id, request.personId)).get();
  return owner?.phone === phone ? request : undefined;
}
