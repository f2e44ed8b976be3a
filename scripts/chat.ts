// `npm run chat [-- --as NAME]`: talk to Huduma in the terminal, on the same engine and database as the web chat.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../bot/config.ts';
import { runConsoleChat } from '../bot/console-chat.ts';
import { createLogger } from '../bot/logger.ts';
import { systemClock } from '../bot/sla/clock.ts';
import { createApp } from '../channels/app.ts';

const { values } = parseArgs({ options: { as: { type: 'string', default: 'terminal-user' } } });
const config = loadConfigOrExit(process.env);
const app = await createApp(config, systemClock, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
await runConsoleChat({ input: process.stdin, output: process.stdout, submit: app.inbox.submit, clock: systemClock, defaultLocale: config.DEFAULT_LOCALE, chatId: values.as ?? 'terminal-user' });
await app.close();
