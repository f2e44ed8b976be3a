/** Tanzania's country code: a number written the local way (0712 345 678) is read as Tanzanian. */
const COUNTRY_CODE = '255';

/**
 * A phone number as gateways and people write it, in E.164 ("+255712345678"),
 * so that USSD, SMS and WhatsApp see one number the same way; undefined when
 * it is not a phone number.
 */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.trim().replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{7,14}$/.test(s)) return s;
  if (/^00[1-9]\d{7,14}$/.test(s)) return `+${s.slice(2)}`;
  if (/^0[1-9]\d{8}$/.test(s)) return `+${COUNTRY_CODE}${s.slice(1)}`;
  if (new RegExp(`^${COUNTRY_CODE}[1-9]\\d{8}$`).test(s)) return `+${s}`;
  return undefined;
}
