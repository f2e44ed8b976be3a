import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { REQUEST_STATUSES } from '../../schema/enums.ts';
import { time } from './columns.ts';
import { incidents } from './incidents.ts';
import { conversations, people } from './people.ts';
import { staff } from './staff.ts';

// Charter requests and what hangs on them (see db/schema/requests.ts).

export const requests = pgTable(
  'requests',
  {
    id: serial('id').primaryKey(),
    reference: text('reference').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    conversationId: integer('conversation_id').references(() => conversations.id),
    service: text('service').notNull(),
    charterLine: integer('charter_line').notNull(),
    variant: text('variant'),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
    status: text('status', { enum: REQUEST_STATUSES }).notNull(),
    createdAt: time('created_at').notNull(),
    dueAt: time('due_at'),
    pausedSince: time('paused_since'),
    pausedMs: bigint('paused_ms', { mode: 'number' }).notNull().default(0),
    slaStage: text('sla_stage', { enum: ['warning', 'breach', 'escalation', 'done'] })
      .notNull()
      .default('warning'),
    slaNextAt: time('sla_next_at'),
    resolvedAt: time('resolved_at'),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    /** The officer who owns it (null: in its team's unassigned queue) and the team its service goes to. */
    assigneeId: integer('assignee_id').references(() => staff.id),
    team: text('team'),
    /** A complaint's request it is about, when the person named one. */
    aboutRequestId: integer('about_request_id'),
    updatedAt: time('updated_at').notNull(),
    area: text('area'),
    incidentId: integer('incident_id').references((): AnyPgColumn => incidents.id),
    incidentLinkedAt: time('incident_linked_at'),
  },
  (t) => [
    index('requests_sla_next').on(t.slaNextAt).where(sql`sla_next_at is not null`),
    uniqueIndex('requests_reference').on(t.reference),
    index('requests_person').on(t.personId, t.createdAt),
    index('requests_open_due').on(t.status, t.dueAt),
    index('requests_assignee').on(t.assigneeId, t.status),
    index('requests_team').on(t.team, t.status),
    index('requests_area').on(t.service, t.area).where(sql`area is not null`),
    index('requests_incident').on(t.incidentId).where(sql`incident_id is not null`),
    index('requests_area_recent').on(t.createdAt).where(sql`area is not null and incident_id is null`),
  ],
);

export const requestEvents = pgTable(
  'request_events',
  {
    id: serial('id').primaryKey(),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    at: time('at').notNull(),
    actor: text('actor').notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
    data: jsonb('data'),
  },
  (t) => [index('request_events_request').on(t.requestId, t.at)],
);

export const referenceCounters = pgTable(
  'reference_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

/** Hand-offs as a record: who asked for a person, when, and what became of it. */
export const handoffs = pgTable(
  'handoffs',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id').references(() => conversations.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    text: text('text'),
    requestedAt: time('requested_at').notNull(),
    takenBy: text('taken_by'),
    takenAt: time('taken_at'),
    endedAt: time('ended_at'),
  },
  (t) => [index('handoffs_conversation').on(t.conversationId, t.requestedAt)],
);

export const notices = pgTable(
  'notices',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['complaint', 'handoff_wish'] }).notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    conversationId: integer('conversation_id').references(() => conversations.id),
    requestId: integer('request_id').references(() => requests.id),
    text: text('text').notNull(),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('notices_open').on(t.status, t.createdAt)],
);
