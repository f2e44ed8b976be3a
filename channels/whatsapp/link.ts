import QRCode from 'qrcode';

// What the operator linking the number reads in the terminal (operators' text, not citizens': English).

/** The QR code as terminal art, with how to scan it. */
export async function qrText(qr: string): Promise<string> {
  const art = await QRCode.toString(qr, { type: 'terminal', small: true });
  return `${art}\nLink Huduma to WhatsApp: on the phone of Huduma's number, open WhatsApp → Settings → Linked devices → Link a device, and scan this QR code. A new code appears every few seconds until one is scanned.`;
}

/** "ABCD1234" as WhatsApp shows it, "ABCD-1234", with where to type it. */
export function pairingText(code: string): string {
  const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
  return `Link Huduma to WhatsApp with this pairing code: ${shown}\nOn the phone of Huduma's number, open WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, and enter the code.`;
}

export const RELINK_INSTRUCTIONS =
  'WhatsApp logged Huduma out (the device was removed under Linked devices, or the number was logged out). ' +
  'The stored link has been deleted and Huduma will not reconnect by itself. To link again: restart Huduma, ' +
  'then scan the new QR code it prints (or, with WHATSAPP_PAIRING_NUMBER set, enter the new pairing code) ' +
  'in WhatsApp → Settings → Linked devices → Link a device.';
