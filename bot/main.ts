// Composition root: config → NLU → (for now) the terminal chat.
// The web chat on http://localhost:3000 arrives with the conversation engine (issue 3).
import { createNlu } from '../intents/nlu.ts';
import { runConsoleChat } from './console-chat.ts';
import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { systemClock } from './sla/clock.ts';

const config = loadConfigOrExit(process.env);
const log = createLogger(config.LOG_LEVEL);
const started = performance.now();
const nlu = createNlu({
  referencePrefix: config.REFERENCE_PREFIX,
  timeZone: config.TIMEZONE,
  defaultLanguage: config.DEFAULT_LOCALE,
  cacheDir: config.NLU_CACHE_DIR,
});
log.info({ trained: nlu.trained, ms: Math.round(performance.now() - started) }, 'intent model ready');
await runConsoleChat({ input: process.stdin, output: process.stdout, understand: nlu.understand, clock: systemClock, defaultLocale: config.DEFAULT_LOCALE });
