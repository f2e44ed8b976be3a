import { expect } from 'vitest';

// A feature phone on a USSD menu, as Africa's Talking posts it: every answer
// of the session so far each time; every screen must be a valid USSD screen.

interface UssdApp {
  request(path: string, init: { method: string; body: URLSearchParams }): Response | Promise<Response>;
}

export function ussdPhone(ussd: () => UssdApp, defaultPhone = '+255712345678') {
  async function dial(sessionId: string, text: string, phoneNumber = defaultPhone): Promise<string> {
    const body = new URLSearchParams({ sessionId, serviceCode: '*152*00#', phoneNumber, networkCode: '64002', text });
    const res = await ussd().request('/ussd', { method: 'POST', body });
    const screen = await res.text();
    expect(res.status, screen).toBe(200);
    expect(screen).toMatch(/^(CON|END) /);
    expect(screen.length, screen).toBeLessThanOrEqual(182);
    return screen;
  }
  /** A whole session; every screen shown. */
  async function session(sessionId: string, answers: readonly string[], phone?: string): Promise<string[]> {
    const screens = [await dial(sessionId, '', phone)];
    for (let i = 1; i <= answers.length; i++) screens.push(await dial(sessionId, answers.slice(0, i).join('*'), phone));
    return screens;
  }
  return { dial, session };
}
