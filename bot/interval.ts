import type { Logger } from 'pino';

/** Runs a synchronous job every so often; a failure is logged and the next run happens anyway. */
export class Interval {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly job: () => unknown,
    private readonly log: Logger,
    private readonly name: string,
  ) {}

  runOnce(): void {
    try {
      this.job();
    } catch (e) {
      this.log.error({ err: e instanceof Error ? e.message : String(e) }, `${this.name} failed`);
    }
  }

  start(everyMs: number): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
