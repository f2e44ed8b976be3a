import { readYamlFile, type YamlRead } from './yaml-file.ts';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INTENT_ID_PATTERN, isServiceIntent, type IntentId, type ServiceIntent } from '../../intents/ids.ts';
import { loadTeamsBeside, NO_TEAMS, type Teams } from './teams.ts';
import { loadReferralsBeside, NO_REFERRALS, type Referrals } from './referrals.ts';
import type { Locale } from '../../locales/index.ts';

/** The intent of a complaint about the service: filed as a request of this service, under its own charter line. */
export const COMPLAINT = 'complaint' satisfies IntentId;
/** What the one filing service files: a charter service, or a complaint. */
export type FiledIntent = ServiceIntent | typeof COMPLAINT;

export const DEFAULT_CHARTER_PATH = fileURLToPath(new URL('./ict/charter.yml', import.meta.url));

const text = z.object({ sw: z.string().min(1), en: z.string().min(1) }).strict();
const texts = z.object({ sw: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) }).strict();
const calendarUnit = z.enum(['weeks', 'months', 'years']);

/** How long a charter line gives the institution, and from when. */
export const slaRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seconds'), seconds: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('working_days'), days: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('calendar'), unit: calendarUnit, amount: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('schedule') }).strict(),
  z.object({ kind: z.literal('after_event'), event: z.string().regex(/^[a-z_]+$/), unit: calendarUnit, amount: z.number().int().positive() }).strict(),
]);
export type SlaRule = z.infer<typeof slaRule>;

const line = z
  .object({
    line: z.number().int().positive(),
    intent: z.string().regex(INTENT_ID_PATTERN, 'an intent id: small letters and _'),
    variant: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    name: text,
    requirements: texts,
    sla: slaRule,
    promise: text,
    /**
     * What the person is told happens next when the request is filed, where
     * its clock does not start at filing (a schedule, an event such as the
     * equipment reaching the workshop).
     */
    next: text.optional(),
    /** How a person gets a line that has no guided form (answering calls, complaints, planned-outage questions): said when they choose it or ask for it. */
    how: text.optional(),
    /** Said first when a person reports this service, before its form (a danger's safety advice). */
    first: text.optional(),
    /**
     * A fault a planned outage causes (a power cut, low voltage): a report filed
     * in the area and hours of a published planned outage is answered with its
     * notice (bot/announcements/planned.ts), and still gets its reference.
     */
    planned: z.boolean().optional(),
    /**
     * A question answered from the published planned-outage notices ("umeme
     * utakatika lini Sinza?"): those of the area the message names, or that
     * there is none, then the line's `how` (bot/announcements/turn.ts).
     */
    notices: z.boolean().optional(),
  })
  .strict();
export type CharterLine = z.infer<typeof line>;

const file = z
  .object({
    institution: text,
    /** Request references start with it (UMM-2026-000042) unless REFERENCE_PREFIX says otherwise. */
    prefix: z.string().regex(/^[A-Z]{2,6}$/, 'must be 2 to 6 capital letters, e.g. ICT'),
    /** The institution's emblem (an SVG file beside the charter) and colours (#rrggbb), on the web chat page. */
    emblem: z
      .string()
      .regex(/^[\w-]+\.svg$/, 'must name an SVG file beside the charter, e.g. emblem.svg')
      .optional(),
    colours: z
      .object({ primary: z.string().regex(/^#[0-9a-f]{6}$/i), onPrimary: z.string().regex(/^#[0-9a-f]{6}$/i), accent: z.string().regex(/^#[0-9a-f]{6}$/i) })
      .strict()
      .optional(),
    cost: text,
    lines: z.array(line).min(1),
    /** Words for the events that start a clock (an after_event line's event; `scheduled`, a date set for a schedule line), as staff and people read them. */
    events: z.record(z.string().regex(/^[a-z_]+$/), text).optional(),
    /**
     * A name for a service the charter gives several lines that its form tells
     * apart (training, equipment repair), shown before the person has chosen
     * (the form's start, USSD's menu); once a line is known, its own name is used.
     */
    services: z.record(z.string().regex(/^[a-z_]+$/), text).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    // An intent with several lines needs a variant on each, so a flow can ask which applies.
    for (const intent of new Set(c.lines.map((l) => l.intent))) {
      const lines = c.lines.filter((l) => l.intent === intent);
      const variants = lines.map((l) => l.variant);
      if (lines.length > 1 && (variants.includes(undefined) || new Set(variants).size !== lines.length)) {
        ctx.addIssue({ code: 'custom', message: `two lines for ${intent}: give each a different variant` });
      }
    }
    const numbers = c.lines.map((l) => l.line);
    if (new Set(numbers).size !== numbers.length) ctx.addIssue({ code: 'custom', message: 'line numbers repeat' });
    const served = new Set(c.lines.map((l) => l.intent));
    // Complaints are filed and tracked like requests: they need the institution's promise too.
    // Every clock that waits for staff has words for what it waits for.
    for (const l of c.lines) {
      const event = l.sla.kind === 'after_event' ? l.sla.event : l.sla.kind === 'schedule' ? 'scheduled' : undefined;
      if (event && !c.events?.[event]) ctx.addIssue({ code: 'custom', message: `line ${l.line} waits for ${event}: give it words under events (events: { ${event}: { sw, en } })` });
    }
    for (const intent of Object.keys(c.services ?? {})) {
      if (c.lines.filter((l) => l.intent === intent).length < 2) ctx.addIssue({ code: 'custom', message: `services.${intent}: a name is only for an intent with several lines` });
    }
    if (!served.has(COMPLAINT)) ctx.addIssue({ code: 'custom', message: `no line for complaints (intent ${COMPLAINT}): add the institution's own line with its time` });
  });
export type CharterFile = z.infer<typeof file>;

/** A charter file that cannot be used: start-up stops and says where. */
export class CharterError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`The charter ${path} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CharterError';
  }
}

export class Charter {
  constructor(
    readonly data: CharterFile,
    /** Who handles each service (teams.yml beside the charter). */
    readonly teams: Teams = NO_TEAMS,
    /** Where to send people for what the charter does not offer (referrals.yml beside the charter). */
    readonly referrals: Referrals = NO_REFERRALS,
  ) {}

  /** An event's words (what a clock waits for), in both languages. */
  eventName(event: string): { readonly sw: string; readonly en: string } | undefined {
    return this.data.events?.[event];
  }

  get lines(): readonly CharterLine[] {
    return this.data.lines;
  }

  /** The services of this charter (its lines' intents other than the conversation's own, such as complaints), in line order. */
  get services(): readonly ServiceIntent[] {
    return [...new Set(this.data.lines.map((l) => l.intent).filter(isServiceIntent))];
  }

  /** The lines that serve an intent: one, or several told apart by `variant` (the flow asks which). */
  linesFor(intent: ServiceIntent | IntentId): readonly CharterLine[] {
    return this.data.lines.filter((l) => l.intent === intent);
  }

  line(intent: IntentId, variant?: string): CharterLine | undefined {
    const lines = this.linesFor(intent);
    return variant === undefined ? lines[0] : lines.find((l) => l.variant === variant);
  }

  /** The line numbered `n` (a request's charter_line). */
  byNumber(n: number): CharterLine | undefined {
    return this.data.lines.find((l) => l.line === n);
  }

  /**
   * The one name of a service on every screen: its line's (the variant's, or
   * the only one's, or the first, which a form files under when it asks no
   * variant), else the bundle's name for a service whose form will tell its
   * lines apart.
   */
  serviceName(intent: string, locale: Locale, variant?: string): string | undefined {
    const lines = this.data.lines.filter((l) => l.intent === intent);
    const known = variant === undefined ? undefined : lines.find((l) => l.variant === variant);
    const name = known?.name ?? (lines.length > 1 ? this.data.services?.[intent] : undefined) ?? lines[0]?.name;
    return name?.[locale];
  }

  /** A filed request's service name: its line's; a line the bundle no longer has falls back to the service's, then to its id. */
  requestName(r: { readonly charterLine: number; readonly service: string }, locale: Locale): string {
    return this.byNumber(r.charterLine)?.name[locale] ?? this.serviceName(r.service, locale) ?? r.service;
  }
}

/** A bundle folder's charter.yml, or the file itself. */
export const charterFileOf = (path: string): string => (statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'charter.yml') : path);

/** The charter file alone (no teams or referrals), or its problems: for checking a bundle whole when a file beside it is broken. */
export function readCharterFile(path: string): YamlRead<CharterFile> {
  return readYamlFile(path, file);
}

export function loadCharter(at: string = DEFAULT_CHARTER_PATH): Charter {
  const path = charterFileOf(at);
  const parsed = readYamlFile(path, file);
  if (parsed.status === 'invalid') throw new CharterError(path, parsed.problems);
  const teams = loadTeamsBeside(path, new Set(parsed.data.lines.map((l) => l.intent)));
  if (teams.status === 'invalid') throw new CharterError(teams.path, teams.problems);
  const referrals = loadReferralsBeside(path);
  if (referrals.status === 'invalid') throw new CharterError(referrals.path, referrals.problems);
  return new Charter(parsed.data, teams.teams, referrals.referrals);
}
