import type { SlaRule } from '../charter/charter.ts';
import type { WorkingCalendar } from './calendar.ts';

/** The steps the SLA watch takes for a request, in order; `done` means none is left. */
export type SlaStage = 'warning' | 'breach' | 'escalation' | 'done';

export interface SlaPolicy {
  /** Share of the promised time used when staff are warned (0.75: three quarters). */
  readonly warnAt: number;
  /** Multiple of the promised time after which a supervisor is told (2: twice the time). */
  readonly escalateAt: number;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({ warnAt: 0.75, escalateAt: 2 });

const NEXT: Readonly<Record<SlaStage, SlaStage>> = { warning: 'breach', breach: 'escalation', escalation: 'done', done: 'done' };
export const nextStage = (stage: SlaStage): SlaStage => NEXT[stage];

/** Time as the rule counts it: office time for working-day promises, the wall clock for the rest. */
export interface Span {
  between(from: Date, to: Date): number;
  add(from: Date, ms: number): Date;
}

export function spanOf(rule: SlaRule, calendar: WorkingCalendar): Span {
  if (rule.kind === 'working_days') return { between: (a, b) => calendar.workingTimeBetween(a, b), add: (a, ms) => calendar.addWorkingTime(a, ms) };
  return { between: (a, b) => Math.max(0, b.getTime() - a.getTime()), add: (a, ms) => new Date(a.getTime() + ms) };
}

/** What the watch needs of a request to place its steps in time. */
export interface SlaClock {
  readonly createdAt: Date;
  /** Already includes the time given back for pauses. */
  readonly dueAt: Date;
  readonly pausedMs: number;
}

/**
 * When a step falls: the promised time (due minus what pauses gave back) times
 * the step's share, counted from the request's start, plus the pauses. The
 * breach is exactly the due time.
 */
export function stageAt(stage: Exclude<SlaStage, 'done'>, r: SlaClock, span: Span, policy: SlaPolicy = DEFAULT_SLA_POLICY): Date {
  return stageTimes(r, span, policy)(stage);
}

/** stageAt for one request, its promised time counted once however many steps are asked for. */
function stageTimes(r: SlaClock, span: Span, policy: SlaPolicy): (stage: Exclude<SlaStage, 'done'>) => Date {
  let promised: number | undefined;
  return (stage) => {
    if (stage === 'breach') return r.dueAt;
    promised ??= Math.max(0, span.between(r.createdAt, r.dueAt) - r.pausedMs);
    const share = stage === 'warning' ? policy.warnAt : policy.escalateAt;
    return span.add(r.createdAt, Math.round(promised * share) + r.pausedMs);
  };
}

/**
 * The SLA watch's first step for a request whose clock has just started (its
 * warning time): filing sets it so, and so does staff starting a clock that
 * waited for an event or a date (bot/staff/clocks.ts).
 */
export function firstStepAt(rule: SlaRule, calendar: WorkingCalendar, clock: SlaClock, policy: SlaPolicy = DEFAULT_SLA_POLICY): Date {
  return stageAt('warning', clock, spanOf(rule, calendar), policy);
}

export interface DueStages {
  readonly fire: readonly SlaStage[];
  readonly next: SlaStage;
  readonly nextAt?: Date;
}

/**
 * The steps due at `now`, starting from `stage`, and the one after them. A
 * warning that its breach has already overtaken is skipped: "about to be late"
 * after the fact is noise.
 */
export function dueStages(stage: SlaStage, r: SlaClock, span: Span, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): DueStages {
  const at = stageTimes(r, span, policy);
  const fire: SlaStage[] = [];
  let current = stage;
  let currentAt: Date | undefined;
  while (current !== 'done' && (currentAt = at(current)) <= now) {
    fire.push(current);
    current = nextStage(current);
  }
  const shown = fire.includes('breach') ? fire.filter((s) => s !== 'warning') : fire;
  return current === 'done' || currentAt === undefined ? { fire: shown, next: 'done' } : { fire: shown, next: current, nextAt: currentAt };
}

/**
 * dueStages for one sweep (one `now`), remembering the last answer: requests
 * filed together (a monitoring alert, an import) share their times, and the
 * sweep reads them one after another, as they fall due together.
 */
export class SweepStages {
  private last?: { readonly span: Span; readonly stage: SlaStage; readonly createdAt: number; readonly dueAt: number; readonly pausedMs: number; readonly result: DueStages };

  constructor(
    private readonly now: Date,
    private readonly policy: SlaPolicy,
  ) {}

  of(stage: SlaStage, createdAt: number, dueAt: number, pausedMs: number, span: Span): DueStages {
    const l = this.last;
    if (l && l.span === span && l.stage === stage && l.createdAt === createdAt && l.dueAt === dueAt && l.pausedMs === pausedMs) return l.result;
    const result = dueStages(stage, { createdAt: new Date(createdAt), dueAt: new Date(dueAt), pausedMs }, span, this.now, this.policy);
    this.last = { span, stage, createdAt, dueAt, pausedMs, result };
    return result;
  }
}
