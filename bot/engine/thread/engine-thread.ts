import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Understanding } from '../../../intents/nlu.ts';
import type { MetricsSink } from '../../metrics.ts';
import type { Clock } from '../../sla/clock.ts';
import type { InboundMessage, TurnOutcome } from '../types.ts';
import { bundleEngineThread } from './bundle.ts';
import type { Inbox } from '../inbox.ts';
import { ENGINE_UNAVAILABLE, EngineTurnError, replay, type EngineReport, type EngineThreadData, type TurnBatch } from './protocol.ts';

/**
 * The engine thread's short-lived objects (a turn's rows, words and replies)
 * die young: a smaller nursery than V8's default is scavenged a little more
 * often and keeps the server's memory down (see BENCHMARKS.md).
 */
const YOUNG_GENERATION_MB = 8;

const definedOnly = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));

export interface EngineThreadOptions {
  /** The environment the settings are read from; the engine thread reads them the same way. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Understands a message before it goes over (the main thread's model). */
  readonly understand: (text: string, now: Date) => Understanding;
  /** Where the engine's counts land (what /metrics renders). */
  readonly metrics?: MetricsSink;
  /** How long to wait before starting the engine again after it died. */
  readonly restartDelayMs?: number;
}

interface Waiting {
  resolve(outcome: TurnOutcome): void;
  reject(error: unknown): void;
}

const WORKER = new URL('./worker.ts', import.meta.url);

/**
 * Where the engine thread's code cannot be bundled (a read-only checkout), it
 * runs the TypeScript source. On Node 20 a worker does not inherit the loader
 * that `tsx` or `--import tsx` gave this thread, so it registers tsx's own
 * first and then imports its entry.
 */
// Resolved from here, not from wherever the server was started (vitest has no import.meta.resolve; it runs from the project).
const TSX_API = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`;

/**
 * The conversation engine on a thread of its own, as an inbox: `submit`
 * resolves with the turn's outcome once it is committed, as GroupCommit's
 * does. Messages that arrive in one turn of the event loop go over together;
 * the engine thread commits what it has together and sends the outcomes back
 * together. If the engine thread dies, what was in flight fails (a client's
 * retry with the same key is answered once) and it is started again.
 */
export class EngineThread implements Inbox {
  /** Undefined while its code is being bundled. */
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private queue: TurnBatch['items'][number][] = [];
  private nextId = 1;
  private scheduled = false;
  private closing = false;
  /** Between the engine thread's death and its new start: messages are refused (503), not queued to nobody. */
  private down = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private readyPromise!: Promise<void>;

  constructor(private readonly options: EngineThreadOptions) {
    this.readyPromise = this.spawn();
    // A start that fails is reported through ready(); without a listener it would be an unhandled rejection.
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves when the engine thread has its database and model; rejects when it could not start. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  readonly submit = (message: InboundMessage): Promise<TurnOutcome> =>
    new Promise<TurnOutcome>((resolve, reject) => {
      if (this.closing) return reject(new EngineTurnError('Huduma is stopping; the message was not taken', ENGINE_UNAVAILABLE));
      if (this.down) return reject(new EngineTurnError('the engine is starting again; the message was not taken', ENGINE_UNAVAILABLE));
      const id = this.nextId++;
      if (this.waiting.size === 0) this.idle = new Promise((r) => (this.markIdle = r));
      this.waiting.set(id, { resolve, reject });
      this.queue.push({ id, message, understood: this.options.understand(message.text, this.options.clock.now()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.send);
      }
    });

  /** Resolves when every message submitted so far is answered. */
  drain(): Promise<void> {
    return this.waiting.size === 0 ? Promise.resolve() : this.idle;
  }

  /** Takes no more messages, answers those taken, and stops the engine thread (which closes its database). */
  async close(): Promise<void> {
    this.closing = true;
    await this.drain();
    await this.readyPromise.catch(() => undefined);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' });
    await exited;
  }

  private readonly send = (): void => {
    this.scheduled = false;
    // Still starting: the messages wait here, and go when it has started.
    if (!this.worker) return;
    const items = this.queue;
    this.queue = [];
    const batch: TurnBatch = { type: 'turns', nowMs: this.options.clock.now().getTime(), items };
    this.worker.postMessage(batch);
  };

  /** The engine thread's code: one bundled file (removed once loaded), or the source through tsx. */
  private async code(): Promise<{ readonly file: string; readonly bundled: boolean }> {
    try {
      return { file: await bundleEngineThread(WORKER), bundled: true };
    } catch (error) {
      this.options.log.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'could not bundle the engine thread; running its TypeScript source through tsx (more memory)',
      );
      return { file: BOOTSTRAP, bundled: false };
    }
  }

  private async spawn(): Promise<void> {
    const code = await this.code();
    const data: EngineThreadData = { env: definedOnly(this.options.env) };
    const worker = new Worker(code.file, { eval: !code.bundled, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = worker;
    this.down = false;
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.send);
    }
    worker.on('error', (error) => this.options.log.error({ err: { message: error.message, stack: error.stack } }, 'the engine thread failed'));
    worker.on('exit', (code) => this.exited(code));
    await new Promise<void>((resolve, reject) => {
      // Settles nothing once it is ready; before, a start that died must not leave start() waiting.
      worker.once('exit', (exitCode) => reject(new EngineTurnError(`the engine thread stopped while starting (exit code ${exitCode})`, ENGINE_UNAVAILABLE)));
      worker.on('message', (report: EngineReport) => {
        if (report.type === 'ready') {
          if (code.bundled) rmSync(code.file, { force: true });
          this.options.log.info('engine thread ready');
          resolve();
        } else if (report.type === 'failed') {
          reject(new EngineTurnError(`the engine could not start: ${report.error.message}`, report.error.code));
        } else this.settle(report);
      });
    });
  }

  private settle(report: Extract<EngineReport, { type: 'settled' }>): void {
    if (this.options.metrics) replay(report.metrics, this.options.metrics);
    for (const r of report.results) {
      const w = this.waiting.get(r.id);
      if (!w) continue;
      this.waiting.delete(r.id);
      if (r.ok) w.resolve(r.outcome);
      else w.reject(new EngineTurnError(r.error.message, r.error.code));
    }
    if (this.waiting.size === 0) this.markIdle();
  }

  private exited(code: number): void {
    if (this.closing) return;
    // Whether their turns were committed is unknown: the callers fail, and a retry with the same key is answered once.
    this.down = true;
    for (const w of this.waiting.values()) w.reject(new EngineTurnError('the engine stopped while taking this message; please try again', ENGINE_UNAVAILABLE));
    this.waiting.clear();
    // Not yet sent, and already refused: sent later they would be taken although their callers were told 503.
    this.queue = [];
    this.markIdle();
    this.options.log.error({ code }, 'the engine thread stopped; starting it again');
    this.worker = undefined;
    setTimeout(() => {
      if (this.closing) return;
      this.readyPromise = this.spawn();
      this.readyPromise.catch((error: unknown) => this.options.log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'the engine thread could not start again'));
    }, this.options.restartDelayMs ?? 1000).unref();
  }
}
