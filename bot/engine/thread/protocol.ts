import { z } from 'zod';
import type { Understanding } from '../../../intents/nlu.ts';
import type { MetricsSink } from '../../metrics.ts';
import type { InboundMessage, TurnOutcome } from '../types.ts';

// What the server's main thread and its engine thread say to each other.
// Messages go in batches, one a turn of either event loop, so the cost of
// crossing threads is paid per batch rather than per message.

/** What the engine thread starts with: the environment its settings are read from, as the main thread read them. */
export const engineThreadData = z.object({ env: z.record(z.string(), z.string()) });
export type EngineThreadData = z.infer<typeof engineThreadData>;

/**
 * Main → engine: messages to take, each understood already (the main thread
 * has time to spare, the engine thread has not), with the main thread's clock
 * reading (the engine thread has no clock of its own).
 */
export interface TurnBatch {
  readonly type: 'turns';
  readonly nowMs: number;
  readonly items: readonly { readonly id: number; readonly message: InboundMessage; readonly understood: Understanding }[];
}

/** A turn's failure as it crosses the thread: the message, and SQLite's code when it has one (busy, read-only). */
export interface TurnFailure {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type TurnSettled = { readonly id: number; readonly ok: true; readonly outcome: TurnOutcome } | { readonly id: number; readonly ok: false; readonly error: TurnFailure };

/** A metric the engine counted, replayed into the main thread's Metrics (which /metrics renders). */
export type MetricOp = { readonly op: 'count'; readonly name: string; readonly labels: Record<string, string>; readonly by: number } | { readonly op: 'confidence'; readonly value: number };

/** Engine → main. */
export type EngineReport =
  | { readonly type: 'ready' }
  | { readonly type: 'settled'; readonly results: readonly TurnSettled[]; readonly metrics: readonly MetricOp[] }
  /** The engine thread could not start (the database or the model): the server cannot take messages. */
  | { readonly type: 'failed'; readonly error: TurnFailure };

/** Main → engine: finish what was sent, close the database, and end. */
export interface CloseRequest {
  readonly type: 'close';
}

export const failureOf = (error: unknown): TurnFailure => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
};

/** The code of a turn refused because the engine thread is stopping or starting again: the HTTP layer answers 503. */
export const ENGINE_UNAVAILABLE = 'ENGINE_UNAVAILABLE';

/** The failure as an Error again on the main thread, with SQLite's code where the HTTP layer looks for it. */
export class EngineTurnError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'EngineTurnError';
  }
}

/** Records what the engine counts, to be sent with the batch's results. */
export class MetricsTape implements MetricsSink {
  private ops: MetricOp[] = [];

  count(name: string, labels: Record<string, string> = {}, by = 1): void {
    this.ops.push({ op: 'count', name, labels, by });
  }

  observeConfidence(value: number): void {
    this.ops.push({ op: 'confidence', value });
  }

  /** What was recorded since the last take. */
  take(): MetricOp[] {
    const ops = this.ops;
    this.ops = [];
    return ops;
  }
}

export function replay(ops: readonly MetricOp[], into: MetricsSink): void {
  for (const m of ops) {
    if (m.op === 'count') into.count(m.name, m.labels, m.by);
    else into.observeConfidence(m.value);
  }
}
