// The intent ids are a contract (shared/intents.md): tests, flows and other
// programs rely on them. The conversation intents are the engine's own and the
// same for every institution; the service intents are whatever the charter
// bundle in use serves (its charter lines, forms and training data), so no
// service id is written in code.
export const CONVERSATION_INTENTS = ['greeting', 'goodbye', 'help', 'check_status', 'list_services', 'cost_inquiry', 'human_handoff', 'cancel', 'complaint', 'out_of_scope'] as const;

export type ConversationIntent = (typeof CONVERSATION_INTENTS)[number];
/** A service of the charter bundle in use (power_outage, network_email_fault...). */
export type ServiceIntent = string;
export type IntentId = ConversationIntent | ServiceIntent;

export const FALLBACK_INTENT: IntentId = 'out_of_scope';

/** How an intent id is written: small letters and _, as a training file's name. */
export const INTENT_ID_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

const conversational: ReadonlySet<string> = new Set(CONVERSATION_INTENTS);
export const isConversationIntent = (id: string): id is ConversationIntent => conversational.has(id);

/** Every intent the understanding yields is either the engine's own or one of the bundle's services. */
export function isServiceIntent(id: IntentId): id is ServiceIntent {
  return !conversational.has(id);
}
