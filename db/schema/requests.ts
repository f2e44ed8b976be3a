import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { time } from './columns.ts';
import { REQUEST_STATUSES } from './enums.ts';
import { incidents } from './incidents.ts';
import { conversations, people } from './people.ts';
import { staff } from './staff.ts';

// Charter requests and what hangs on them: their audit trail, the reference
// numbers' counters, hand-offs to a person, and the notices staff must see.

/** A charter request: the promise with its reference and due time. */
export const requests = sqliteTable(
  'requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reference: text('reference').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    conversationId: integer('conversation_id').references(() => conversations.id),
    service: text('service').notNull(),
    charterLine: integer('charter_line').notNull(),
    variant: text('variant'),
    details: text('details', { mode: 'json' }).notNull().default(sql`'{}'`),
    status: text('status', { enum: REQUEST_STATUSES }).notNull(),
    createdAt: time('created_at').notNull(),
    dueAt: time('due_at'),
    pausedSince: time('paused_since'),
    /** Charter time spent waiting for the customer, given back to the due time. */
    pausedMs: integer('paused_ms').notNull().default(0),
    /** The next SLA step the watch takes for this request, and when (null: none ahead, or paused). */
    slaStage: text('sla_stage', { enum: ['warning', 'breach', 'escalation', 'done'] })
      .notNull()
      .default('warning'),
    slaNextAt: time('sla_next_at'),
    /** When it was (last) resolved: "met on time" compares this with the due time. */
    resolvedAt: time('resolved_at'),
    /** The customer's 1–5 rating and comment after resolution. */
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    /** The officer who owns it (null: in its team's unassigned queue) and the team its service goes to. */
    assigneeId: integer('assignee_id').references(() => staff.id),
    team: text('team'),
    /** A complaint's request it is about, when the person named one. */
    aboutRequestId: integer('about_request_id'),
    updatedAt: time('updated_at').notNull(),
    /** Where the fault is: a place key, region down ("dar-es-salaam/kinondoni/sinza/mori"), when the report named one. */
    area: text('area'),
    /** The incident this report is one of (one outage, many reporters), and when it was linked to it. */
    incidentId: integer('incident_id').references((): AnySQLiteColumn => incidents.id),
    incidentLinkedAt: time('incident_linked_at'),
  },
  (t) => [
    // The SLA sweep seeks what is due by this index alone; requests with nothing ahead are not in it.
    index('requests_sla_next').on(t.slaNextAt).where(sql`sla_next_at is not null`),
    uniqueIndex('requests_reference').on(t.reference),
    index('requests_person').on(t.personId, t.createdAt),
    // The SLA sweep reads open requests by due time, never the whole table.
    index('requests_open_due').on(t.status, t.dueAt),
    index('requests_assignee').on(t.assigneeId, t.status),
    index('requests_team').on(t.team, t.status),
    // An incident finds the reports of its service in its area; the proposal sweep reads the recent unlinked ones.
    index('requests_area').on(t.service, t.area).where(sql`area is not null`),
    index('requests_incident').on(t.incidentId).where(sql`incident_id is not null`),
    index('requests_area_recent').on(t.createdAt).where(sql`area is not null and incident_id is null`),
  ],
);

/** The audit trail: who changed what on a request, when, and why. */
export const requestEvents = sqliteTable(
  'request_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    at: time('at').notNull(),
    actor: text('actor').notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
    data: text('data', { mode: 'json' }),
  },
  (t) => [index('request_events_request').on(t.requestId, t.at)],
);

/** Reference numbers are handed out from here, one sequence per prefix and year, never reused. */
export const referenceCounters = sqliteTable(
  'reference_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

/** Hand-offs as a record: who asked for a person, when, and what became of it. */
export const handoffs = sqliteTable(
  'handoffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/** What staff must see that is not a request: complaints about the service and wishes to talk to a person. */
export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
