import { conversationSuite } from './support/conversations.ts';

// The ICT charter bundle's conversations (test/conversations/ict/).
conversationSuite('ict');
