/** Where "now" comes from: injected, so SLA logic and tests can move time without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** A clock that stands still until told to move: for tests and `--now` runs. */
export class ManualClock implements Clock {
  private at: number;
  constructor(start: Date | string) {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(to: Date | string): void {
    this.at = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A clock that runs at real speed from a chosen instant: for tests where pacing needs time to pass. */
export class ShiftedClock implements Clock {
  private offset: number;
  constructor(
    start: Date | string,
    private readonly real: Clock = systemClock,
  ) {
    this.offset = new Date(start).getTime() - real.now().getTime();
  }
  now(): Date {
    return new Date(this.real.now().getTime() + this.offset);
  }
  /** Goes on at real speed from `to`: a day passes in a test without waiting for it. */
  jump(to: Date | string): void {
    this.offset = new Date(to).getTime() - this.real.now().getTime();
  }
}
