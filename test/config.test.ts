import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../bot/config.ts';

describe('configuration from the environment', () => {
  it('runs with no settings at all, on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      DATABASE_PATH: './data/huduma.db',
      DEFAULT_LOCALE: 'sw',
      TIMEZONE: 'Africa/Dar_es_Salaam',
      REFERENCE_PREFIX: 'ICT',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      WHATSAPP_ENABLED: false,
    });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', TELEGRAM_BOT_TOKEN: '' });
    expect(config.PORT).toBe(3000);
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names every wrong setting and why', () => {
    const bad = () => loadConfig({ PORT: 'eighty', TIMEZONE: 'Mars/Olympus', DEFAULT_LOCALE: 'fr' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const message = (e as ConfigError).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/TIMEZONE: is not an IANA time zone/);
      expect(message).toMatch(/DEFAULT_LOCALE/);
    }
  });
});
