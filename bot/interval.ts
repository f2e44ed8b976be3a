import type { Logger } from 'pino';

/**
 * Runs a job every so often; a failure is logged and the next run happens
 * anyway. The job may be asynchronous: a run that is still going when the
 * next one is due is not started twice (two sweeps of one process would only
 * queue behind each other on the store), and stop() waits for it.
 */
export class Interval {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly job: () => unknown,
    private readonly log: Logger,
    private readonly name: string,
  ) {}

  /** Runs the job now, or, when a run is still going, waits for that one. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    const run = (async () => {
      try {
        await this.job();
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.message : String(e) }, `${this.name} failed`);
      }
    })();
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    });
    return run;
  }

  start(everyMs: number): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), everyMs);
    this.timer.unref();
  }

  /** No more runs; resolves when the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
