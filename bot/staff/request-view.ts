import { awaitedEvent } from './clocks.ts';
import type { RequestRow } from '../../db/queries/requests.ts';
import type { StaffRequestRow } from '../../db/queries/staff-requests.ts';
import type { Locale } from '../../locales/index.ts';
import type { Charter } from '../charter/charter.ts';
import type { Flows } from '../flows/flows.ts';

/** A request as staff see it: with its service's name, who asked, who owns it, and how its time stands. */
export interface RequestView extends RequestRow {
  readonly serviceName: string;
  readonly breached: boolean;
  /** The person who asked: their name and phone as known to us, else as typed in the form. */
  readonly requester: { readonly name: string | null; readonly phone: string | null } | null;
  readonly office: string | null;
  /** One line of what the person described. */
  readonly summary: string | null;
  readonly assignee: { readonly id: number; readonly name: string } | null;
  readonly teamName: string | null;
  /** The event the clock waits for (an `after_event` line's event, or 'scheduled'), while the request has no due time. */
  readonly waitingFor: string | null;
  /** That event in words, from the charter bundle. */
  readonly waitingForName: string | null;
  /** Due time less now (negative when late; frozen while the clock is stopped); null when no clock runs. */
  readonly timeLeftMs: number | null;
  /** A complaint's: the reference of the request it is about. */
  readonly aboutReference: string | null;
}

export interface ViewDeps {
  readonly charter: Charter;
  readonly flows: Flows;
}

const OPEN = new Set<string>(['received', 'in_progress', 'waiting_for_customer']);
/** Fields shown in their own columns, never in the summary. */
const CONTACT = new Set(['office', 'phone', 'email']);
const SUMMARY_MAX = 140;
/** The forms' field for the person's own account of the problem. */
const DESCRIPTION = 'description';

/** The forms' free-text fields, in the order forms.yml lists them ('description' first): what a summary is made of and a search looks in. */
export function textFields(flows: Flows): string[] {
  return Object.entries(flows.fields)
    .filter(([, spec]) => spec.kind === 'text')
    .map(([id]) => id);
}

/** The details fields a search looks in: the free-text ones and the typed contact (phone, e-mail). */
export const searchFields = (flows: Flows): string[] => [...new Set([...textFields(flows), ...CONTACT])];

const asText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** One line: the description's first line, else the form's other text answers joined; cut to a line's length. */
export function summaryOf(flows: Flows, details: unknown): string | null {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return null;
  const d = details as Record<string, unknown>;
  const known = textFields(flows).filter((f) => !CONTACT.has(f));
  // The person's own words when the form asked for them; else the form's other answers; a form
  // we have no flow for (a complaint's, say) still has a line to show.
  const fields = asText(d[DESCRIPTION]) !== undefined ? [DESCRIPTION] : known.some((f) => asText(d[f]) !== undefined) ? known : Object.keys(d).filter((k) => !CONTACT.has(k));
  const parts = fields.flatMap((f) => {
    const v = asText(d[f]);
    return v === undefined ? [] : [v.split(/\r?\n/)[0]?.trim() ?? ''];
  });
  const line = parts.filter(Boolean).join(' · ');
  if (line === '') return null;
  return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : line;
}

function detailText(details: unknown, field: string): string | null {
  if (!details || typeof details !== 'object') return null;
  return asText((details as Record<string, unknown>)[field]) ?? null;
}

const isJoined = (r: RequestRow | StaffRequestRow): r is StaffRequestRow => 'request' in r;

/** The view of a request, at `now`, with names in `locale`. A bare row (no join) has no assignee or requester to show. */
export function requestView(deps: ViewDeps, row: RequestRow | StaffRequestRow, now: Date, locale: Locale): RequestView {
  const r = isJoined(row) ? row.request : row;
  const line = deps.charter.lines.find((l) => l.line === r.charterLine);
  const open = OPEN.has(r.status);
  const person = isJoined(row) ? row.requester : null;
  const waitingFor = !open || r.dueAt !== null ? null : (awaitedEvent(line) ?? null);
  const timeLeftMs = !open || r.dueAt === null ? null : r.dueAt.getTime() - (r.pausedSince ?? now).getTime();
  return {
    ...r,
    serviceName: deps.charter.requestName(r, locale),
    breached: open && r.pausedSince === null && r.dueAt !== null && r.dueAt <= now,
    requester: person ? { name: person.name ?? detailText(r.details, 'full_name'), phone: person.phone ?? detailText(r.details, 'phone') } : null,
    office: detailText(r.details, 'office'),
    summary: summaryOf(deps.flows, r.details),
    assignee: isJoined(row) ? row.assignee : null,
    teamName: r.team === null ? null : (deps.charter.teams.byId(r.team)?.name[locale] ?? r.team),
    waitingFor,
    waitingForName: waitingFor === null ? null : (deps.charter.eventName(waitingFor)?.[locale] ?? waitingFor),
    timeLeftMs,
    aboutReference: isJoined(row) ? row.aboutReference : null,
  };
}
