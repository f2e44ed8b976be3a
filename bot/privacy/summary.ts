import { heldAbout, type HeldRows } from '../../db/queries/privacy.ts';
import type { Tx } from '../../db/store.ts';
import { MissingTextError, type Translate } from '../../locales/index.ts';
import { COMPLAINT } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';

// What Huduma holds about a person (PDPA 2022, the right to know): everything,
// as JSON staff can hand over, and a short text the chat can say.

/** The web chat's channel name: its chat id is the session id, a bearer secret, so it is named, never shown. */
const WEB_CHAT = 'webchat';
const shown = (channel: string, id: string) => (channel === WEB_CHAT ? null : id);
const iso = (d: Date | null) => d?.toISOString() ?? null;

export interface PersonData {
  readonly personId: number;
  readonly generatedAt: string;
  /** When their data was erased; null while it is held. */
  readonly erasedAt: string | null;
  readonly contact: { readonly name: string | null; readonly phone: string | null; readonly email: string | null; readonly language: string; readonly since: string };
  /** The channels they wrote on or are known by. */
  readonly channels: readonly string[];
  readonly identities: readonly { readonly channel: string; readonly id: string | null }[];
  readonly requests: readonly {
    readonly reference: string;
    readonly service: string;
    readonly charterLine: number;
    readonly status: string;
    readonly createdAt: string;
    readonly dueAt: string | null;
    readonly resolvedAt: string | null;
    readonly updatedAt: string;
    /** What they told us in the form: description, office, phone, e-mail... */
    readonly details: unknown;
    readonly rating: number | null;
    readonly ratingComment: string | null;
    /** A complaint's: the request it is about. */
    readonly about: string | null;
    readonly events: readonly { readonly at: string; readonly actor: string; readonly kind: string; readonly note: string | null }[];
  }[];
  readonly ratings: readonly { readonly reference: string; readonly rating: number; readonly comment: string | null }[];
  readonly complaints: readonly { readonly reference: string | null; readonly status: string; readonly about: string | null; readonly text: string | null; readonly createdAt: string }[];
  readonly handoffs: readonly { readonly requestedAt: string; readonly text: string | null; readonly takenBy: string | null; readonly takenAt: string | null; readonly endedAt: string | null }[];
  readonly phoneProofs: readonly { readonly phone: string; readonly channel: string; readonly status: string; readonly createdAt: string }[];
  /** The areas they follow for planned-outage notices, on which channel, since when. */
  readonly subscriptions: readonly { readonly area: string; readonly areaLabel: string; readonly channel: string; readonly since: string }[];
  readonly conversations: readonly {
    readonly id: number;
    readonly channel: string;
    readonly chat: string | null;
    readonly updatedAt: string;
    /** Where they are in a form: the answers given so far, before anything is filed. */
    readonly state: unknown;
    readonly messages: readonly { readonly at: string; readonly direction: string; readonly text: string; readonly author: string | null; readonly attachments: unknown }[];
  }[];
  readonly counts: {
    readonly requests: number;
    readonly messages: number;
    readonly ratings: number;
    readonly complaints: number;
    readonly handoffs: number;
    readonly conversations: number;
    readonly subscriptions: number;
  };
}

function requestsOf(h: HeldRows) {
  const references = new Map(h.requests.map((r) => [r.id, r.reference]));
  return h.requests.map((r) => ({
    reference: r.reference,
    service: r.service,
    charterLine: r.charterLine,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    dueAt: iso(r.dueAt),
    resolvedAt: iso(r.resolvedAt),
    updatedAt: r.updatedAt.toISOString(),
    details: r.details,
    rating: r.rating,
    ratingComment: r.ratingComment,
    about: r.aboutRequestId === null ? null : (references.get(r.aboutRequestId) ?? null),
    events: h.events.filter((e) => e.requestId === r.id).map((e) => ({ at: e.at.toISOString(), actor: e.actor, kind: e.kind, note: e.note })),
  }));
}

/** The shape of what is held, from its rows, at `now`. */
export function personData(h: HeldRows, now: Date): PersonData {
  const requests = requestsOf(h);
  const complaints = [
    ...requests.filter((r) => r.service === COMPLAINT).map((r) => ({ reference: r.reference, status: r.status, about: r.about, text: null, createdAt: r.createdAt })),
    // Complaints kept before they were tracked as requests (notices), until they are converted.
    ...h.notices.filter((n) => n.kind === 'complaint').map((n) => ({ reference: null, status: n.status, about: null, text: n.text, createdAt: n.createdAt.toISOString() })),
  ];
  const ratings = requests.flatMap((r) => (r.rating === null ? [] : [{ reference: r.reference, rating: r.rating, comment: r.ratingComment }]));
  const conversations = h.conversations.map((c) => ({
    id: c.id,
    channel: c.channel,
    chat: shown(c.channel, c.chatId),
    updatedAt: c.updatedAt.toISOString(),
    state: c.state,
    messages: h.messages.filter((m) => m.conversationId === c.id).map((m) => ({ at: m.createdAt.toISOString(), direction: m.direction, text: m.text, author: m.author, attachments: m.attachments })),
  }));
  const channelOf = new Map(h.conversations.map((c) => [c.id, c.channel]));
  const subscriptions = h.subscriptions.map((x) => ({ area: x.area, areaLabel: x.areaLabel, channel: channelOf.get(x.conversationId) ?? '', since: x.createdAt.toISOString() }));
  const p = h.person;
  return {
    personId: p.id,
    generatedAt: now.toISOString(),
    erasedAt: iso(p.erasedAt),
    contact: { name: p.name, phone: p.phone, email: p.email, language: p.locale, since: p.createdAt.toISOString() },
    channels: [...new Set([...h.conversations.map((c) => c.channel), ...h.identities.map((i) => i.channel)])].sort(),
    identities: h.identities.map((i) => ({ channel: i.channel, id: shown(i.channel, i.externalId) })),
    requests,
    ratings,
    complaints,
    handoffs: h.handoffs.map((x) => ({ requestedAt: x.requestedAt.toISOString(), text: x.text, takenBy: x.takenBy, takenAt: iso(x.takenAt), endedAt: iso(x.endedAt) })),
    phoneProofs: h.phoneProofs.map((x) => ({ phone: x.phone, channel: x.channel, status: x.status, createdAt: x.createdAt.toISOString() })),
    subscriptions,
    conversations,
    counts: {
      requests: requests.length,
      messages: h.messages.length,
      ratings: ratings.length,
      complaints: complaints.length,
      handoffs: h.handoffs.length,
      conversations: conversations.length,
      subscriptions: subscriptions.length,
    },
  };
}

/** Everything held about a person, in the caller's transaction; undefined when there is no such person. */
export async function summaryOf(tx: Tx, personId: number, now: Date): Promise<PersonData | undefined> {
  const held = await heldAbout(tx, personId);
  return held ? personData(held, now) : undefined;
}

/** "a, b na c" / "a, b and c". */
function listed(t: Translate, items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t('privacy.summary.and')} ${items.at(-1)}`;
}

/** Words for a channel or status we may have none for: the id itself, never a throw. */
function wordOr(t: Translate, key: string, fallback: string): string {
  try {
    return t(key);
  } catch (e) {
    if (e instanceof MissingTextError) return fallback;
    throw e;
  }
}

/** How many references a chat answer lists before saying "and N more". */
const LISTED = 8;

const CONTACT_KINDS = ['name', 'phone', 'email'] as const;
type ContactKind = (typeof CONTACT_KINDS)[number];

/**
 * The kinds of contact details held: the person's own, and a phone number or
 * e-mail given in a request's form (its field's kind says which), which the
 * request keeps though the person's record may not.
 */
function contactKinds(d: PersonData, fields: Flows['fields']): ContactKind[] {
  const held = new Set<ContactKind>(CONTACT_KINDS.filter((k) => d.contact[k]));
  for (const r of d.requests)
    for (const [field, value] of Object.entries((r.details ?? {}) as Record<string, unknown>)) {
      const kind = fields[field]?.kind;
      if ((kind === 'phone' || kind === 'email') && typeof value === 'string' && value.trim() !== '') held.add(kind);
    }
  return CONTACT_KINDS.filter((k) => held.has(k));
}

/**
 * The short answer for the chat, in the person's language: which kinds of
 * data, how many of each, and each request's reference and status; never the
 * data itself (the chat may be read over a shoulder). `fields`: the forms'
 * fields, to tell a phone or e-mail kept in a request.
 */
export function summaryText(d: PersonData, t: Translate, fields: Flows['fields']): string {
  const kinds = contactKinds(d, fields).map((k) => t(`privacy.summary.kind.${k}`));
  const lines = [t('privacy.summary.intro')];
  lines.push(kinds.length > 0 ? t('privacy.summary.contact', { kinds: listed(t, kinds) }) : t('privacy.summary.contact_none'));
  if (d.channels.length > 0) lines.push(t('privacy.summary.channels', { channels: listed(t, [...new Set(d.channels.map((c) => wordOr(t, `privacy.channel.${c}`, c)))]) }));
  if (d.requests.length === 0) lines.push(t('privacy.summary.requests_none'));
  else {
    const each = d.requests.slice(0, LISTED).map((r) => t('privacy.summary.request', { reference: r.reference, status: wordOr(t, `status.name.${r.status}`, r.status) }));
    const more = d.requests.length > LISTED ? [t('privacy.summary.more', { count: d.requests.length - LISTED })] : [];
    lines.push(t('privacy.summary.requests', { count: d.requests.length, list: listed(t, [...each, ...more]) }));
  }
  lines.push(t('privacy.summary.messages', { count: d.counts.messages }));
  if (d.counts.ratings > 0) lines.push(t('privacy.summary.ratings', { count: d.counts.ratings }));
  if (d.counts.complaints > 0) lines.push(t('privacy.summary.complaints', { count: d.counts.complaints }));
  if (d.counts.handoffs > 0) lines.push(t('privacy.summary.handoffs', { count: d.counts.handoffs }));
  if (d.counts.subscriptions > 0) lines.push(t('privacy.summary.subscriptions', { count: d.counts.subscriptions }));
  lines.push(t('privacy.summary.outro'));
  return lines.join('\n');
}
