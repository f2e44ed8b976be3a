import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new migration into db/migrations after
// db/schema.ts changes; the server applies them at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
