// `npm run db:migrate`: brings the database the settings name (DATABASE_URL, else the SQLite file at
// DATABASE_PATH) up to the schema of this version, as `npm start` does when it opens it. For a
// deployment that migrates before it starts its instances; on PostgreSQL one instance at a time
// migrates (an advisory lock), so starting several at once is safe too.
import { loadConfigOrExit } from '../bot/config.ts';
import { openStore } from '../db/open.ts';

const config = loadConfigOrExit(process.env);
const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.DATABASE_PATH;
try {
  const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, poolSize: 1 });
  await store.close();
  process.stdout.write(`db:migrate: ${where} is up to date.\n`);
} catch (error) {
  process.stderr.write(`db:migrate: ${where} could not be migrated: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
