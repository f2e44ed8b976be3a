import { pino, type Logger } from 'pino';

/** Structured logs on stderr (stdout belongs to the program's own output). No message bodies or phone numbers at info. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'huduma' } }, pino.destination(2));
}
export type { Logger };
