import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  ALERT_STATUSES,
  ANNOUNCEMENT_NOTICE_KINDS,
  ANNOUNCEMENT_STATUSES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  INCIDENT_UPDATE_KINDS,
  KB_OUTCOMES,
  REQUEST_STATUSES,
  STAFF_ROLES,
  type BothLanguages,
} from '../schema.ts';

// The PostgreSQL twin of db/schema.ts: the same tables, columns and indexes,
// in PostgreSQL's own types (timestamptz, boolean, jsonb). Drizzle maps both
// to the same row shapes (Date, boolean, parsed JSON), so db/queries/ is
// written once for both. A test checks the two schemas name the same columns.

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const people = pgTable('people', {
  id: serial('id').primaryKey(),
  locale: text('locale', { enum: ['sw', 'en'] }).notNull(),
  name: text('name'),
  phone: text('phone'),
  email: text('email'),
  createdAt: time('created_at').notNull(),
  erasedAt: time('erased_at'),
  noticeShownAt: time('notice_shown_at'),
});

export const identities = pgTable(
  'identities',
  {
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.channel, t.externalId] }), index('identities_person').on(t.personId)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: serial('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    state: jsonb('state').notNull().default(sql`'{}'::jsonb`),
    handedOff: boolean('handed_off').notNull().default(false),
    handedOffAt: time('handed_off_at'),
    handoffTakenBy: text('handoff_taken_by'),
    handoffPickupDueAt: time('handoff_pickup_due_at'),
    staffThread: text('staff_thread'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversations_chat').on(t.channel, t.chatId),
    index('conversations_pickup_due').on(t.handoffPickupDueAt).where(sql`handoff_pickup_due_at is not null`),
    index('conversations_handoff_queue').on(t.handedOffAt).where(sql`handed_off_at is not null`),
    index('conversations_staff_thread').on(t.staffThread).where(sql`staff_thread is not null`),
    // A person's chats: what is held about them, their erasure, the retention job's look for activity.
    index('conversations_person').on(t.personId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    text: text('text').notNull(),
    channelMessageId: text('channel_message_id'),
    replyTo: integer('reply_to'),
    author: text('author'),
    options: jsonb('options'),
    attachments: jsonb('attachments'),
    channel: text('channel').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('messages_channel_message').on(t.channel, t.channelMessageId), index('messages_conversation').on(t.conversationId, t.id), index('messages_reply_to').on(t.replyTo)],
);

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

export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id').references(() => conversations.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    body: jsonb('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextTryAt: time('next_try_at').notNull(),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    providerId: text('provider_id'),
    deliveryStatus: text('delivery_status', { enum: ['sent', 'delivered', 'read', 'failed'] }),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextTryAt), index('outbox_provider').on(t.providerId).where(sql`provider_id is not null`)],
);

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

/** Replies staff insert often, in both languages; the person gets theirs. */
export const cannedReplies = pgTable('canned_replies', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  textSw: text('text_sw').notNull(),
  textEn: text('text_en').notNull(),
  updatedBy: integer('updated_by').references(() => staff.id),
  updatedAt: time('updated_at').notNull(),
});

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

export const whatsappAuth = pgTable('whatsapp_auth', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const whatsappMessages = pgTable(
  'whatsapp_messages',
  {
    remoteJid: text('remote_jid').notNull(),
    messageId: text('message_id').notNull(),
    message: text('message').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteJid, t.messageId] }), index('whatsapp_messages_created').on(t.createdAt)],
);

/** Jobs one instance runs at a time (the SLA sweep, polling, the outbox...): who holds each, until when. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: time('expires_at').notNull(),
});

/** The per-person flood limit, shared by every instance: messages let through in the current window. */
export const rateWindows = pgTable('rate_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
  noticeAt: time('notice_at'),
});

/** Web chat sessions the server issued (the id kept only as its hash). */
export const webchatSessions = pgTable(
  'webchat_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    createdAt: time('created_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
  },
  (t) => [index('webchat_sessions_seen').on(t.lastSeenAt)],
);

/** Requests one client address made in the current window, shared by every instance. */
export const addressWindows = pgTable('address_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
});

export const phoneProofs = pgTable(
  'phone_proofs',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    phone: text('phone').notNull(),
    channel: text('channel').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    status: text('status', { enum: ['open', 'proven', 'locked', 'expired', 'replaced'] })
      .notNull()
      .default('open'),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('phone_proofs_conversation').on(t.conversationId, t.createdAt), index('phone_proofs_phone').on(t.phone, t.createdAt)],
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

/** The knowledge base's articles (see db/schema.ts). */
export const articles = pgTable('articles', {
  id: text('id').primaryKey(),
  titleSw: text('title_sw').notNull(),
  titleEn: text('title_en').notNull(),
  questions: jsonb('questions').notNull().$type<BothLanguages<string[]>>(),
  steps: jsonb('steps').notNull().$type<BothLanguages<string[]>>(),
  offer: text('offer').notNull(),
  retired: boolean('retired').notNull().default(false),
  fileHash: text('file_hash'),
  editedBy: integer('edited_by').references(() => staff.id),
  revision: integer('revision').notNull().default(1),
  createdAt: time('created_at').notNull(),
  updatedAt: time('updated_at').notNull(),
});

/** An article given in answer, and what came of it (see db/schema.ts). */
export const kbAnswers = pgTable(
  'kb_answers',
  {
    id: serial('id').primaryKey(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    conversationId: integer('conversation_id').references(() => conversations.id),
    outcome: text('outcome', { enum: KB_OUTCOMES }).notNull().default('shown'),
    shownAt: time('shown_at').notNull(),
    answeredAt: time('answered_at'),
    key: text('key'),
  },
  (t) => [index('kb_answers_shown').on(t.shownAt), index('kb_answers_outcome').on(t.outcome), uniqueIndex('kb_answers_key').on(t.key)],
);

/** One fault many people report: a service in an area (see db/schema.ts). */
export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    service: text('service').notNull(),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    message: jsonb('message').$type<BothLanguages<string>>(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    source: text('source', { enum: INCIDENT_SOURCES }).notNull(),
    sourceKey: text('source_key'),
    openedBy: integer('opened_by').references(() => staff.id),
    closedBy: integer('closed_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    openedAt: time('opened_at'),
    closedAt: time('closed_at'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_live').on(t.service, t.area).where(sql`status in ('proposed', 'open')`),
    index('incidents_status').on(t.status, t.service),
    uniqueIndex('incidents_source_key').on(t.sourceKey),
  ],
);

/** What an incident's reporters were told, in order (see db/schema.ts). */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    kind: text('kind', { enum: INCIDENT_UPDATE_KINDS }).notNull(),
    message: jsonb('message').notNull().$type<BothLanguages<string>>(),
    staffId: integer('staff_id').references(() => staff.id),
    at: time('at').notNull(),
  },
  (t) => [index('incident_updates_incident').on(t.incidentId, t.id), uniqueIndex('incident_updates_once').on(t.incidentId, t.kind).where(sql`kind <> 'update'`)],
);

/** Each reporter told each message once (see db/schema.ts). */
export const incidentNotices = pgTable(
  'incident_notices',
  {
    updateId: integer('update_id')
      .notNull()
      .references(() => incidentUpdates.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: time('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.updateId, t.requestId] }), index('incident_notices_request').on(t.requestId)],
);

/** A monitoring system's alert, one row per occurrence, and what it raised (see db/schema.ts). */
export const alerts = pgTable(
  'alerts',
  {
    id: serial('id').primaryKey(),
    fingerprint: text('fingerprint').notNull(),
    startsAt: time('starts_at').notNull(),
    name: text('name').notNull(),
    severity: text('severity'),
    receiver: text('receiver').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    service: text('service').notNull(),
    area: text('area'),
    requestId: integer('request_id').references(() => requests.id),
    incidentId: integer('incident_id').references(() => incidents.id),
    ownsIncident: boolean('owns_incident').notNull().default(false),
    createdAt: time('created_at').notNull(),
    resolvedAt: time('resolved_at'),
  },
  (t) => [
    uniqueIndex('alerts_firing').on(t.fingerprint).where(sql`status = 'firing'`),
    index('alerts_occurrence').on(t.fingerprint, t.startsAt),
    index('alerts_firing_service').on(t.service).where(sql`status = 'firing'`),
  ],
);

/** People's reports joined to the request a firing alert raised (see db/schema.ts). */
export const alertReports = pgTable(
  'alert_reports',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id),
    at: time('at').notNull(),
  },
  (t) => [index('alert_reports_alert').on(t.alertId)],
);

/** A planned outage announced to an area (see db/schema.ts). */
export const announcements = pgTable(
  'announcements',
  {
    id: serial('id').primaryKey(),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    day: text('day').notNull(),
    fromTime: text('from_time').notNull(),
    toTime: text('to_time').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    tellAt: time('tell_at').notNull(),
    reason: jsonb('reason').notNull().$type<BothLanguages<string>>(),
    status: text('status', { enum: ANNOUNCEMENT_STATUSES }).notNull(),
    createdBy: integer('created_by').references(() => staff.id),
    cancelledBy: integer('cancelled_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    cancelledAt: time('cancelled_at'),
    updatedAt: time('updated_at').notNull(),
    beforeDoneAt: time('before_done_at'),
    endedDoneAt: time('ended_done_at'),
    cancelDoneAt: time('cancel_done_at'),
    pacedUntil: jsonb('paced_until').$type<Record<string, number>>(),
    cursors: jsonb('cursors').$type<Partial<Record<(typeof ANNOUNCEMENT_NOTICE_KINDS)[number], number>>>(),
  },
  (t) => [index('announcements_ends').on(t.status, t.endsAt)],
);

/** A chat that asked to hear of planned outages in an area (see db/schema.ts). */
export const announcementSubscriptions = pgTable(
  'announcement_subscriptions',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('announcement_subscriptions_chat_area').on(t.conversationId, t.area), index('announcement_subscriptions_area').on(t.area)],
);

/** Each chat told each kind of notice of an announcement once (see db/schema.ts). */
export const announcementNotices = pgTable(
  'announcement_notices',
  {
    announcementId: integer('announcement_id')
      .notNull()
      .references(() => announcements.id),
    kind: text('kind', { enum: ANNOUNCEMENT_NOTICE_KINDS }).notNull(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    at: time('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.kind, t.conversationId] }), index('announcement_notices_chat').on(t.conversationId)],
);
