import { conversationSuite } from './support/conversations.ts';

// The electricity utility's conversations (test/conversations/utility/), with CHARTER=utility.
conversationSuite('utility');
