// The intent ids are a contract (shared/intents.md): tests, flows and other
// programs rely on them, so they live in one list that everything else reads.
export const SERVICE_INTENTS = [
  'network_email_fault',
  'security_incident',
  'new_ict_service',
  'password_complaint',
  'website_development',
  'mis_account',
  'mis_password_reset',
  'training',
  'user_support',
  'equipment_maintenance',
  'equipment_repair',
  'project_implementation',
] as const;

export const CONVERSATION_INTENTS = ['greeting', 'goodbye', 'help', 'check_status', 'list_services', 'cost_inquiry', 'human_handoff', 'cancel', 'complaint', 'out_of_scope'] as const;

export const INTENT_IDS = [...SERVICE_INTENTS, ...CONVERSATION_INTENTS] as const;

export type ServiceIntent = (typeof SERVICE_INTENTS)[number];
export type ConversationIntent = (typeof CONVERSATION_INTENTS)[number];
export type IntentId = (typeof INTENT_IDS)[number];

export const FALLBACK_INTENT: IntentId = 'out_of_scope';

const serviceSet: ReadonlySet<string> = new Set(SERVICE_INTENTS);
export function isServiceIntent(id: IntentId): id is ServiceIntent {
  return serviceSet.has(id);
}
