import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { STAFF_ROLES } from './enums.ts';

// The officers who use the console and the staff group, their sessions, and
// the log of their access to people's data.

export const staff = sqliteTable(
  'staff',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The console's language for this officer. */
    locale: text('locale', { enum: ['sw', 'en'] })
      .notNull()
      .default('sw'),
    /** The team they work in (a team id of the charter bundle's teams), if any. */
    team: text('team'),
    /** Their Telegram user id, once linked, so the staff group's actions name them. */
    telegramUserId: text('telegram_user_id'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('staff_token').on(t.tokenHash), uniqueIndex('staff_telegram').on(t.telegramUserId)],
);

/** A signed-in console session: the cookie holds a random id, stored only as its hash, with the form token (CSRF) it expects. */
export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id),
    csrf: text('csrf').notNull(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('staff_sessions_expiry').on(t.expiresAt)],
);

/**
 * Staff reading or acting on a person's data (PDPA 2022): who opened which
 * request, exported or erased whom, and when. Admins read it; nothing personal
 * is written here, only ids.
 */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id),
    at: time('at').notNull(),
    /** 'view_request' | 'view_conversation' | 'export_person' | 'erase_person' (ACCESS_ACTIONS). */
    action: text('action').notNull(),
    requestId: integer('request_id'),
    personId: integer('person_id'),
  },
  (t) => [index('access_log_at').on(t.at)],
);
