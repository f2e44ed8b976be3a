import { and, eq, or } from 'drizzle-orm';
import type { Tx } from '../store.ts';
import type { Person } from './conversations.ts';
import type { RequestRow } from './requests.ts';
import { first } from './rows.ts';

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
export async function identityPeople(tx: Tx, phone: string): Promise<number[]> {
  const { identities } = tx.t;
  const keys = phoneIdentities(phone);
  const rows = await tx.orm
    .select({ channel: identities.channel, personId: identities.personId })
    .from(identities)
    .where(or(...keys.map((k) => and(eq(identities.channel, k.channel), eq(identities.externalId, k.externalId)))));
  return [...new Set(keys.flatMap((k) => rows.filter((r) => r.channel === k.channel).map((r) => r.personId)))];
}

/**
 * The person behind a phone number, made on first contact, with the number's
 * identities on USSD, SMS and WhatsApp (both kinds) all leading to them: whichever of those
 * channels they use next, they are the same person with the same requests.
 * Only those identities lead here: a number someone typed in a chat form is
 * contact information, not proof of owning it, so it joins nobody to the
 * number (a chat joins it only with a code sent to it, see identity.ts).
 * An identity already leading to someone else is left as it is.
 */
export async function personForPhone(tx: Tx, phone: string, locale: 'sw' | 'en', now: Date): Promise<Person> {
  const { people, identities } = tx.t;
  const known = (await identityPeople(tx, phone))[0];
  let person = known === undefined ? undefined : first(await tx.orm.select().from(people).where(eq(people.id, known)));
  const made = !person;
  if (!person) person = first(await tx.orm.insert(people).values({ locale, phone, createdAt: now }).returning());
  else if (!person.phone) {
    await tx.orm.update(people).set({ phone }).where(eq(people.id, person.id));
    person = { ...person, phone };
  }
  if (!person) throw new Error('the new person was not returned');
  for (const k of phoneIdentities(phone))
    await tx.orm
      .insert(identities)
      .values({ ...k, personId: person.id })
      .onConflictDoNothing();
  if (!made) return person;
  // On PostgreSQL another instance may have met this number at the same moment and committed its identities first
  // (ours then did nothing): the number is theirs, and the person made here, who nothing leads to, is dropped.
  const owner = (await identityPeople(tx, phone))[0];
  if (owner === undefined || owner === person.id) return person;
  await tx.orm.delete(people).where(eq(people.id, person.id));
  const theirs = first(await tx.orm.select().from(people).where(eq(people.id, owner)));
  if (!theirs) throw new Error(`the identity of ${phone} leads to no person`);
  return theirs;
}

/** A request by reference (its unique index), if it belongs to someone this phone number's identities lead to. */
export async function findRequestForPhone(tx: Tx, phone: string, reference: string): Promise<RequestRow | undefined> {
  const { requests } = tx.t;
  const request = first(await tx.orm.select().from(requests).where(eq(requests.reference, reference)));
  if (!request) return undefined;
  return (await identityPeople(tx, phone)).includes(request.personId) ? request : undefined;
}
