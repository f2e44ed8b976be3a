import { personById } from '../../db/queries/conversations.ts';
import { cannedById, deleteCanned, insertCanned, listCanned, updateCanned, type CannedRow, type CannedText } from '../../db/queries/canned.ts';
import type { StaffRow } from '../../db/queries/staff.ts';
import type { Store } from '../../db/store.ts';
import type { Locale } from '../../locales/index.ts';
import type { Clock } from '../sla/clock.ts';

export type { CannedRow, CannedText } from '../../db/queries/canned.ts';

export type CannedOutcome = { readonly status: 'saved'; readonly reply: CannedRow } | { readonly status: 'forbidden' } | { readonly status: 'not_found' };
export type CannedDeleted = { readonly status: 'deleted' } | { readonly status: 'forbidden' } | { readonly status: 'not_found' };

/** Admins keep the canned replies; every officer reads and sends them. */
export const mayEditCanned = (s: StaffRow) => s.role === 'admin';

/** The reply in the person's language, whatever the officer's console speaks. */
export const cannedIn = (c: Pick<CannedRow, 'textSw' | 'textEn'>, locale: Locale) => (locale === 'en' ? c.textEn : c.textSw);

/** Replies staff send often, written once in Swahili and English. */
export class CannedReplies {
  constructor(private readonly deps: { readonly store: Store; readonly clock: Clock }) {}

  list(): Promise<CannedRow[]> {
    return this.deps.store.read((tx) => listCanned(tx));
  }

  /** Every canned reply as it would go to this person: in their language. */
  async forPerson(personId: number): Promise<{ readonly locale: Locale | undefined; readonly replies: readonly { id: number; title: string; text: string }[] }> {
    const { person, replies } = await this.deps.store.read(async (tx) => ({ person: await personById(tx, personId), replies: await listCanned(tx) }));
    const locale = person?.locale;
    return { locale, replies: replies.map((c) => ({ id: c.id, title: c.title, text: cannedIn(c, locale ?? 'sw') })) };
  }

  get(id: number): Promise<CannedRow | undefined> {
    return this.deps.store.read((tx) => cannedById(tx, id));
  }

  async create(by: StaffRow, text: CannedText): Promise<CannedOutcome> {
    if (!mayEditCanned(by)) return { status: 'forbidden' };
    const reply = await this.deps.store.transaction((tx) => insertCanned(tx, { ...text, staffId: by.id, at: this.deps.clock.now() }));
    return { status: 'saved', reply };
  }

  async update(by: StaffRow, id: number, text: Partial<CannedText>): Promise<CannedOutcome> {
    if (!mayEditCanned(by)) return { status: 'forbidden' };
    const reply = await this.deps.store.transaction((tx) => updateCanned(tx, id, { ...text, staffId: by.id, at: this.deps.clock.now() }));
    return reply ? { status: 'saved', reply } : { status: 'not_found' };
  }

  async remove(by: StaffRow, id: number): Promise<CannedDeleted> {
    if (!mayEditCanned(by)) return { status: 'forbidden' };
    return (await this.deps.store.transaction((tx) => deleteCanned(tx, id))) ? { status: 'deleted' } : { status: 'not_found' };
  }
}
