import { index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { STAFF_ROLES } from '../../schema/enums.ts';
import { time } from './columns.ts';

// The officers, their sessions, and the log of their access to people's data (see db/schema/staff.ts).

export const staff = pgTable(
  'staff',
  {
    id: serial('id').primaryKey(),
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

export const staffSessions = pgTable(
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

/** Staff reading or acting on a person's data: who, when, which request or person. */
export const accessLog = pgTable(
  'access_log',
  {
    id: serial('id').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id),
    at: time('at').notNull(),
    action: text('action').notNull(),
    requestId: integer('request_id'),
    personId: integer('person_id'),
  },
  (t) => [index('access_log_at').on(t.at)],
);
