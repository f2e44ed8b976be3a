import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new migration for each dialect after the
// schemas change (db/schema.ts for SQLite, db/postgres/schema.ts for
// PostgreSQL); the server applies them at start-up, or `npm run db:migrate`.
const postgres = process.env.DRIZZLE_DIALECT === 'postgresql';

export default defineConfig(
  postgres ? { dialect: 'postgresql', schema: './db/postgres/schema.ts', out: './db/postgres/migrations' } : { dialect: 'sqlite', schema: './db/schema.ts', out: './db/migrations' },
);
