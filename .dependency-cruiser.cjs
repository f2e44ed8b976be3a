// The layering the tree promises (README: "How the code is laid out"), checked in `npm test`:
// channels → bot → db / intents / locales; only db/ talks to the database.
const DRIVERS = '(^|node_modules/)(drizzle-orm|better-sqlite3|pg|pg-pool|postgres)(/|$)';
const PLATFORMS = '(^|node_modules/)(hono|@hono/[^/]+|grammy|@grammyjs/[^/]+|@whiskeysockets/baileys|qrcode)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'bot-knows-no-channel',
      comment: 'bot/ is the product, platform-free: channels (and the program\'s wiring) live in channels/.',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: '^channels/' },
    },
    {
      name: 'bot-knows-no-platform',
      comment: 'bot/ imports no HTTP library and no messaging SDK: channels translate them.',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: PLATFORMS },
    },
    {
      name: 'only-db-talks-to-the-database',
      comment: 'SQL, drizzle and the drivers belong to db/ (its async Store and queries).',
      severity: 'error',
      from: { path: '^(bot|channels|intents|locales)/' },
      to: { path: DRIVERS },
    },
    {
      name: 'db-is-inner',
      comment: 'db/ knows nothing of the product or its channels.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(bot|channels|intents)/' },
    },
    {
      name: 'understanding-and-words-are-inner',
      comment: 'intents/ and locales/ depend on neither the product, the channels nor the database.',
      severity: 'error',
      from: { path: '^(intents|locales)/' },
      to: { path: '^(bot|channels|db)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(bot|channels|db|intents|locales)/' },
      to: { circular: true, viaOnly: { pathNot: '^node_modules' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|scripts)/|\\.test\\.ts$' },
  },
};
