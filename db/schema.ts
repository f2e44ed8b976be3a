import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

// Times are stored as integer milliseconds since the epoch (UTC); the bot's
// Clock decides what "now" is, never the database.
const time = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** A person Huduma serves, whichever channels they write on. */
export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  locale: text('locale', { enum: ['sw', 'en'] }).notNull(),
  name: text('name'),
  /**
   * The number this person is known by on a phone channel (USSD, SMS,
   * WhatsApp) or has proved with a code; a number only typed in a form is
   * contact information, kept on the request's details, never here.
   */
  phone: text('phone'),
  email: text('email'),
  createdAt: time('created_at').notNull(),
  /** When their personal data was erased (on their request, by staff, or by the retention job); null while held. */
  erasedAt: time('erased_at'),
  /** When the privacy notice (PDPA 2022) was first given them, on any channel: given once a person, never again. */
  noticeShownAt: time('notice_shown_at'),
});

/** How a person is known on a channel (a WhatsApp JID, a Telegram user id, a web chat session). */
export const identities = sqliteTable(
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

/** One chat on one channel, with where the person is in a guided form. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The engine's state as JSON (the flow, its step and answers so far). */
    state: text('state', { mode: 'json' }).notNull().default(sql`'{}'`),
    handedOff: integer('handed_off', { mode: 'boolean' }).notNull().default(false),
    /** When the conversation went to staff, who took it, and when the pick-up notice is due if nobody has. */
    handedOffAt: time('handed_off_at'),
    handoffTakenBy: text('handoff_taken_by'),
    handoffPickupDueAt: time('handoff_pickup_due_at'),
    /** The staff group's thread for this conversation (a Telegram forum topic id), once made. */
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

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    text: text('text').notNull(),
    /** The platform's id of an inbound message: a redelivered one is recognised by it. */
    channelMessageId: text('channel_message_id'),
    /** For a reply: the inbound message it answers (a redelivery gets the same replies back). */
    replyTo: integer('reply_to'),
    /** Who wrote an outbound message when it was not the bot: `staff:<id>`. */
    author: text('author'),
    /** Choices offered with a reply, as JSON [{id, label}]. */
    options: text('options', { mode: 'json' }),
    /** Photos, documents, voice notes and locations that came with an inbound message, as JSON. */
    attachments: text('attachments', { mode: 'json' }),
    channel: text('channel').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('messages_channel_message').on(t.channel, t.channelMessageId), index('messages_conversation').on(t.conversationId, t.id), index('messages_reply_to').on(t.replyTo)],
);

export const REQUEST_STATUSES = ['received', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'cancelled'] as const;
export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;

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

/** Messages to send, written in the same transaction as the change that causes them. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').references(() => conversations.id),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextTryAt: time('next_try_at').notNull(),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    /** The platform's id for the sent message (WhatsApp Cloud's wamid), and what its status webhooks said of it. */
    providerId: text('provider_id'),
    deliveryStatus: text('delivery_status', { enum: ['sent', 'delivered', 'read', 'failed'] }),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextTryAt), index('outbox_provider').on(t.providerId).where(sql`provider_id is not null`)],
);

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

/** Replies staff insert often, in both languages; the person gets theirs. */
export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  textSw: text('text_sw').notNull(),
  textEn: text('text_en').notNull(),
  updatedBy: integer('updated_by').references(() => staff.id),
  updatedAt: time('updated_at').notNull(),
});

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

/**
 * The linked WhatsApp device's keys (Baileys' creds and Signal keys), one row a
 * key, values as JSON through Baileys' BufferJSON: losing them means linking
 * the number again, so they live with the rest of the data, not in loose files.
 */
export const whatsappAuth = sqliteTable('whatsapp_auth', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * WhatsApp messages we sent (and received media messages), so Baileys can
 * answer a phone's retry request and media can be fetched later.
 */
export const whatsappMessages = sqliteTable(
  'whatsapp_messages',
  {
    remoteJid: text('remote_jid').notNull(),
    messageId: text('message_id').notNull(),
    /** The whole WAMessage as JSON (BufferJSON). */
    message: text('message').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteJid, t.messageId] }), index('whatsapp_messages_created').on(t.createdAt)],
);

/** Jobs one instance runs at a time (the SLA sweep, polling, the outbox...): who holds each, until when. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: time('expires_at').notNull(),
});

/** The per-person flood limit, shared by every instance: messages let through in the current window. */
export const rateWindows = sqliteTable('rate_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
  noticeAt: time('notice_at'),
});

/**
 * Web chat sessions the server issued: the id is a bearer secret (≥128 random
 * bits) kept only as its hash; a session silent longer than the configured
 * days expires.
 */
export const webchatSessions = sqliteTable(
  'webchat_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    createdAt: time('created_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
  },
  (t) => [index('webchat_sessions_seen').on(t.lastSeenAt)],
);

/** Requests one client address made in the current window (session openings, messages), shared by every instance. */
export const addressWindows = sqliteTable('address_windows', {
  key: text('key').primaryKey(),
  windowStart: time('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * A one-time code sent to a phone number to prove that the person in a chat
 * has that phone: typed back in the same conversation, it joins the chat's
 * person with the number's (db/queries/identity.ts). Only the code's salted
 * hash is kept; it expires, and it takes a limited number of tries.
 */
export const phoneProofs = sqliteTable(
  'phone_proofs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The chat that asked, and where the code must be typed back. */
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The number to prove, E.164. */
    phone: text('phone').notNull(),
    /** Which channel carried the code ('sms', 'whatsapp', 'whatsapp_cloud'). */
    channel: text('channel').notNull(),
    /** `<salt>:<sha256(salt:code)>`, never the code. */
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

/** Both languages' versions of a list (an article's example questions, its steps). */
export type BothLanguages<T> = { sw: T; en: T };

/** The outcomes of an answer from the knowledge base: shown (no word since), helped ("Ndiyo"), or a request was opened after all. */
export const KB_OUTCOMES = ['shown', 'helped', 'request'] as const;

/**
 * The knowledge base's articles (answers without a ticket): seeded from
 * articles.yml beside the charter, kept by staff in the console. `fileHash`
 * is the file's version last written here (null for an article staff added);
 * `editedBy` is set once staff change an article, and from then on the
 * file no longer overwrites it.
 */
export const articles = sqliteTable('articles', {
  id: text('id').primaryKey(),
  titleSw: text('title_sw').notNull(),
  titleEn: text('title_en').notNull(),
  questions: text('questions', { mode: 'json' }).notNull().$type<BothLanguages<string[]>>(),
  steps: text('steps', { mode: 'json' }).notNull().$type<BothLanguages<string[]>>(),
  /** The service intent whose form starts when the steps did not help. */
  offer: text('offer').notNull(),
  retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
  fileHash: text('file_hash'),
  editedBy: integer('edited_by').references(() => staff.id),
  /** Counts the row's changes: every instance compares the sum over the table with its matcher's (no clock needed). */
  revision: integer('revision').notNull().default(1),
  createdAt: time('created_at').notNull(),
  updatedAt: time('updated_at').notNull(),
});

/**
 * An article given in answer, and what came of it: counts of questions
 * answered without a request, across instances and restarts. Nothing personal:
 * the conversation only tells the channel. `key` makes a repeated USSD post
 * count once.
 */
export const kbAnswers = sqliteTable(
  'kb_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

export const INCIDENT_STATUSES = ['proposed', 'open', 'resolved', 'dismissed'] as const;
/** Who raised it: an officer, Huduma's proposal from many reports at once, or a monitoring alert. */
export const INCIDENT_SOURCES = ['staff', 'proposal', 'alert'] as const;
/** What reporters are told: the opening message, an update, the resolution. */
export const INCIDENT_UPDATE_KINDS = ['opened', 'update', 'resolved'] as const;

/**
 * One fault many people report (a power cut in a ward): a service in an area.
 * Its reports are linked to it (requests.incident_id) and each reporter hears
 * its messages once. At most one incident is proposed or open for a service
 * and area at a time.
 */
export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    service: text('service').notNull(),
    /** A place key; reports whose area is it or lies under it belong here. */
    area: text('area').notNull(),
    /** The area as people read it ("Sinza, Kinondoni, Dar es Salaam"), fixed when the incident was raised. */
    areaLabel: text('area_label').notNull(),
    /** The opening message in both languages; null while only proposed. */
    message: text('message', { mode: 'json' }).$type<BothLanguages<string>>(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    source: text('source', { enum: INCIDENT_SOURCES }).notNull(),
    /** What raised it, where that has its own id (a monitoring alert's fingerprint): raised once per key. */
    sourceKey: text('source_key'),
    openedBy: integer('opened_by').references(() => staff.id),
    closedBy: integer('closed_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    openedAt: time('opened_at'),
    /** When it was resolved or dismissed. */
    closedAt: time('closed_at'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_live').on(t.service, t.area).where(sql`status in ('proposed', 'open')`),
    index('incidents_status').on(t.status, t.service),
    uniqueIndex('incidents_source_key').on(t.sourceKey),
  ],
);

/** What an incident's reporters were told, in order: its opening, each update, its resolution. */
export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    kind: text('kind', { enum: INCIDENT_UPDATE_KINDS }).notNull(),
    message: text('message', { mode: 'json' }).notNull().$type<BothLanguages<string>>(),
    staffId: integer('staff_id').references(() => staff.id),
    at: time('at').notNull(),
  },
  (t) => [index('incident_updates_incident').on(t.incidentId, t.id), uniqueIndex('incident_updates_once').on(t.incidentId, t.kind).where(sql`kind <> 'update'`)],
);

/**
 * Each reporter told each message once: a row per message and request, written
 * in the transaction that queues the message; a retry, a restart or a second
 * instance finds the row and sends nothing.
 */
export const incidentNotices = sqliteTable(
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

/** An alert as the monitoring system says it is: still firing, or resolved. */
export const ALERT_STATUSES = ['firing', 'resolved'] as const;

/**
 * A monitoring system's alert (Prometheus Alertmanager's webhook, POST
 * /api/alerts): one row per occurrence, its fingerprint and when it began,
 * and what it raised: a request on its charter line (filed as the monitoring
 * "person"), or an incident of its service in its area. At most one row of a
 * fingerprint is firing, so a repeated notification, or the same alert from a
 * second Alertmanager, raises nothing new.
 */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fingerprint: text('fingerprint').notNull(),
    /** When the alert says the fault began: a resolved occurrence notified again is known by it. */
    startsAt: time('starts_at').notNull(),
    /** Its `alertname` label, and `severity` when it has one. */
    name: text('name').notNull(),
    severity: text('severity'),
    /** The Alertmanager receiver that sent it. */
    receiver: text('receiver').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    service: text('service').notNull(),
    /** The place key of an alert that named an area (it raised an incident). */
    area: text('area'),
    requestId: integer('request_id').references(() => requests.id),
    incidentId: integer('incident_id').references(() => incidents.id),
    /** Whether this alert opened (or confirmed) the incident, and so resolves it; not one staff had open already. */
    ownsIncident: integer('owns_incident', { mode: 'boolean' }).notNull().default(false),
    createdAt: time('created_at').notNull(),
    resolvedAt: time('resolved_at'),
  },
  (t) => [
    uniqueIndex('alerts_firing').on(t.fingerprint).where(sql`status = 'firing'`),
    index('alerts_occurrence').on(t.fingerprint, t.startsAt),
    index('alerts_firing_service').on(t.service).where(sql`status = 'firing'`),
  ],
);

/**
 * People's reports of a service joined to the request a firing alert raised
 * on it (a report in an area joins the alert's incident instead): each
 * reporter hears that the fault is known, and when it is mended. A report
 * joins one alert at most.
 */
export const alertReports = sqliteTable(
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

export const ANNOUNCEMENT_STATUSES = ['published', 'cancelled'] as const;
/** What an area's subscribers hear of a planned outage: the notice before it starts, that it is over, that it was called off. */
export const ANNOUNCEMENT_NOTICE_KINDS = ['before', 'ended', 'cancelled'] as const;

/**
 * A planned outage announced to an area ("TAARIFA YA KATIZO LA UMEME"): the
 * local day and hours as staff gave them, the instants they make, and the
 * reason in both languages. Its subscribers are told by the leader's sender
 * (bot/announcements/send.ts), batch by batch.
 */
export const announcements = sqliteTable(
  'announcements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A place key; subscribers of an area that overlaps it are told. */
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    /** The local day (YYYY-MM-DD) and hours (HH:MM) as published. */
    day: text('day').notNull(),
    fromTime: text('from_time').notNull(),
    toTime: text('to_time').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    /** When subscribers are first told: at publication, or 24 hours before it starts. */
    tellAt: time('tell_at').notNull(),
    reason: text('reason', { mode: 'json' }).notNull().$type<BothLanguages<string>>(),
    status: text('status', { enum: ANNOUNCEMENT_STATUSES }).notNull(),
    createdBy: integer('created_by').references(() => staff.id),
    cancelledBy: integer('cancelled_by').references(() => staff.id),
    createdAt: time('created_at').notNull(),
    cancelledAt: time('cancelled_at'),
    updatedAt: time('updated_at').notNull(),
    /** When each kind of notice had reached every subscriber: the sender looks no more. */
    beforeDoneAt: time('before_done_at'),
    endedDoneAt: time('ended_done_at'),
    cancelDoneAt: time('cancel_done_at'),
    /** Per channel, when the next batch's first message may go (ms): the batches of one notice keep one pace. */
    pacedUntil: text('paced_until', { mode: 'json' }).$type<Record<string, number>>(),
    /** Per kind of notice, the last conversation its batches reached (they go in conversation order). */
    cursors: text('cursors', { mode: 'json' }).$type<Partial<Record<(typeof ANNOUNCEMENT_NOTICE_KINDS)[number], number>>>(),
  },
  (t) => [index('announcements_ends').on(t.status, t.endsAt)],
);

/** A chat that asked to hear of planned outages in an area (any channel; a USSD user's SMS chat). */
export const announcementSubscriptions = sqliteTable(
  'announcement_subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id),
    area: text('area').notNull(),
    areaLabel: text('area_label').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('announcement_subscriptions_chat_area').on(t.conversationId, t.area), index('announcement_subscriptions_area').on(t.area)],
);

/**
 * Each chat told each kind of notice of an announcement once: a row written in
 * the transaction that queues the message; a retry, a restart or a second
 * instance finds it and sends nothing.
 */
export const announcementNotices = sqliteTable(
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
