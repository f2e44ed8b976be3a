import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENT_IDS, SERVICE_INTENTS, type IntentId, type ServiceIntent } from '../../intents/ids.ts';
import { loadTeamsBeside, NO_TEAMS, type Teams } from './teams.ts';

/** The intent of a complaint about the service: filed as a request of this service, under its own charter line. */
export const COMPLAINT = 'complaint' satisfies IntentId;
/** What the one filing service files: a charter service, or a complaint. */
export type FiledIntent = ServiceIntent | typeof COMPLAINT;

export const DEFAULT_CHARTER_PATH = fileURLToPath(new URL('./ict-charter.yml', import.meta.url));

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
    intent: z.enum(INTENT_IDS),
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
  })
  .strict();
export type CharterLine = z.infer<typeof line>;

const file = z
  .object({
    institution: text,
    cost: text,
    lines: z.array(line).min(1),
    /** Words for the events that start a clock (an after_event line's event; `scheduled`, a date set for a schedule line), as staff and people read them. */
    events: z.record(z.string().regex(/^[a-z_]+$/), text).optional(),
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
    const missing = SERVICE_INTENTS.filter((s) => !served.has(s));
    if (missing.length > 0) ctx.addIssue({ code: 'custom', message: `no line for the service intents: ${missing.join(', ')}` });
    // Complaints are filed and tracked like requests: they need the institution's promise too.
    // Every clock that waits for staff has words for what it waits for.
    for (const l of c.lines) {
      const event = l.sla.kind === 'after_event' ? l.sla.event : l.sla.kind === 'schedule' ? 'scheduled' : undefined;
      if (event && !c.events?.[event]) ctx.addIssue({ code: 'custom', message: `line ${l.line} waits for ${event}: give it words under events (events: { ${event}: { sw, en } })` });
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
  ) {}

  /** An event's words (what a clock waits for), in both languages. */
  eventName(event: string): { readonly sw: string; readonly en: string } | undefined {
    return this.data.events?.[event];
  }

  get lines(): readonly CharterLine[] {
    return this.data.lines;
  }

  /** The lines that serve an intent: one, or several told apart by `variant` (the flow asks which). */
  linesFor(intent: ServiceIntent | IntentId): readonly CharterLine[] {
    return this.data.lines.filter((l) => l.intent === intent);
  }

  line(intent: IntentId, variant?: string): CharterLine | undefined {
    const lines = this.linesFor(intent);
    return variant === undefined ? lines[0] : lines.find((l) => l.variant === variant);
  }
}

export function loadCharter(path: string = DEFAULT_CHARTER_PATH): Charter {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CharterError(path, [e instanceof Error ? e.message : String(e)]);
  }
  const parsed = file.safeParse(raw);
  if (!parsed.success)
    throw new CharterError(
      path,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  const teams = loadTeamsBeside(path, new Set(parsed.data.lines.map((l) => l.intent)));
  if (teams.status === 'invalid') throw new CharterError(teams.path, teams.problems);
  return new Charter(parsed.data, teams.teams);
}
