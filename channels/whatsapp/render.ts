import type { OutboundMessage } from '../../bot/engine/types.ts';
import type { Translate } from '../../locales/index.ts';

/**
 * A reply as WhatsApp text. Choices become a numbered list and a line asking
 * for the number: buttons and lists are unreliable from a linked device (many
 * phones never show them), and the engine understands a number or the words.
 */
export function renderText(message: OutboundMessage, t: Translate): string {
  const options = message.options ?? [];
  if (options.length === 0) return message.text;
  const list = options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
  return `${message.text}\n\n${list}\n\n${t('whatsapp.reply_with_number')}`;
}
