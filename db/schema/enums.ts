// The value lists of the enum columns and the shapes of JSON columns, written
// once for both dialects: db/postgres/schema/ imports them from here.

/** Both languages' versions of a list (an article's example questions, its steps). */
export type BothLanguages<T> = { sw: T; en: T };

export const REQUEST_STATUSES = ['received', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'cancelled'] as const;
export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;

/** The outcomes of an answer from the knowledge base: shown (no word since), helped ("Ndiyo"), or a request was opened after all. */
export const KB_OUTCOMES = ['shown', 'helped', 'request'] as const;

export const INCIDENT_STATUSES = ['proposed', 'open', 'resolved', 'dismissed'] as const;
/** Who raised it: an officer, Huduma's proposal from many reports at once, or a monitoring alert. */
export const INCIDENT_SOURCES = ['staff', 'proposal', 'alert'] as const;
/** What reporters are told: the opening message, an update, the resolution. */
export const INCIDENT_UPDATE_KINDS = ['opened', 'update', 'resolved'] as const;

/** An alert as the monitoring system says it is: still firing, or resolved. */
export const ALERT_STATUSES = ['firing', 'resolved'] as const;

export const ANNOUNCEMENT_STATUSES = ['published', 'cancelled'] as const;
/** What an area's subscribers hear of a planned outage: the notice before it starts, that it is over, that it was called off. */
export const ANNOUNCEMENT_NOTICE_KINDS = ['before', 'ended', 'cancelled'] as const;
