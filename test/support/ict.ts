import { loadCharter } from '../../bot/charter/charter.ts';
import { CONVERSATION_INTENTS } from '../../intents/ids.ts';

// The shipped ICT bundle's intents, for tests written against it (the code
// itself knows services only from the bundle in use).

/** The ICT charter's services (shared/intents.md), in line order. */
export const ICT_SERVICES: readonly string[] = loadCharter().services;

/** Every intent of the ICT bundle: its services and the conversation's own. */
export const ICT_INTENTS: readonly string[] = [...ICT_SERVICES, ...CONVERSATION_INTENTS];
