import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { StaffDesk } from '../../../bot/staff/desk.ts';
import { sameSecret } from '../../../bot/secrets.ts';
import type { StaffRow } from '../../../db/queries/staff.ts';
import { REQUEST_STATUSES } from '../../../db/schema.ts';
import { readForm } from '../../http.ts';

export const SESSION_COOKIE = 'huduma_staff';
const FLASH_COOKIE = 'huduma_staff_flash';
const SESSION_SECONDS = 12 * 3600;

export type ConsoleEnv = { Variables: { staff: StaffRow; csrf: string; sessionId: string; flash: FlashNote | undefined } };

/** Session ids are our own newSecret(): 43 URL-safe characters; anything else is not looked up. */
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/);

/** Pages anyone may load: the sign-in form and the two static files it uses. */
const PUBLIC = new Set(['/staff/login', '/staff/console.js', '/staff/console.css']);

/** What the proxy in front says, or the socket: https sets Secure on our cookies. */
function scheme(c: Context): string {
  const forwarded = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || forwarded === 'http' ? forwarded : new URL(c.req.url).protocol.replace(':', '');
}

const cookieBase = (c: Context) => ({ path: '/staff', httpOnly: true, sameSite: 'Strict' as const, secure: scheme(c) === 'https' });

export function startSession(c: Context, id: string): void {
  setCookie(c, SESSION_COOKIE, id, { ...cookieBase(c), maxAge: SESSION_SECONDS });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, cookieBase(c));
}

/** The session id the browser sent, when it has the shape of one (anything else is never looked up). */
export const sessionCookie = (c: Context): string | undefined => {
  const id = sessionId.safeParse(getCookie(c, SESSION_COOKIE));
  return id.success ? id.data : undefined;
};

/**
 * What the next page says after a redirect: which message and its few values,
 * never free text, so a cookie planted by someone else can only pick one of
 * our own sentences.
 */
const flashNote = z.discriminatedUnion('key', [
  z.object({ key: z.literal('changed'), reference: z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/), status: z.enum(REQUEST_STATUSES), notified: z.boolean() }).strict(),
  z.object({ key: z.literal('refused'), from: z.enum(REQUEST_STATUSES), to: z.enum(REQUEST_STATUSES) }).strict(),
  z.object({ key: z.literal('sent') }).strict(),
  z.object({ key: z.literal('ended'), id: z.number().int().positive() }).strict(),
  z.object({ key: z.literal('noted') }).strict(),
  z.object({ key: z.literal('clock'), reference: z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/), notified: z.boolean() }).strict(),
  z.object({ key: z.literal('clock_refused'), why: z.enum(['no_waiting_clock', 'wrong_event', 'needs_date', 'date_not_future', 'already_started', 'not_open']) }).strict(),
  z.object({ key: z.literal('assigned'), reference: z.string().regex(/^[A-Z]{2,6}-\d{4}-\d{6}$/), to: z.enum(['me', 'other', 'none']), changed: z.boolean(), outside: z.boolean() }).strict(),
  z.object({ key: z.literal('staff_changed'), what: z.enum(['saved', 'revoked']), id: z.number().int().positive() }).strict(),
  z.object({ key: z.literal('assign_refused'), why: z.enum(['owned_by_other', 'other_team', 'target_outside_team', 'no_staff']) }).strict(),
  z.object({ key: z.literal('canned'), what: z.enum(['created', 'updated', 'deleted']) }).strict(),
  z.object({ key: z.literal('article'), what: z.enum(['created', 'updated', 'retired', 'restored']) }).strict(),
  z.object({ key: z.literal('incident'), what: z.enum(['opened', 'confirmed', 'updated', 'resolved', 'dismissed']), told: z.number().int().min(0) }).strict(),
  z.object({ key: z.literal('announcement'), what: z.enum(['published', 'cancelled']), count: z.number().int().min(0) }).strict(),
]);
export type FlashNote = z.infer<typeof flashNote>;

/** Kept for a minute in a cookie only this console reads. */
export function setFlash(c: Context, note: FlashNote): void {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(note)).toString('base64url'), { ...cookieBase(c), maxAge: 60 });
}

function takeFlash(c: Context): FlashNote | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (raw === undefined) return undefined;
  deleteCookie(c, FLASH_COOKIE, cookieBase(c));
  try {
    const parsed = flashNote.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Console pages are never framed, cached or sniffed, and run only our own script and style. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
};

/** Endpoints a script polls get JSON, never a redirect to a page. */
export const wantsJson = (c: Context) => c.req.path.endsWith('/messages') || (c.req.header('Accept') ?? '').startsWith('application/json');

/**
 * The signed-in staff member for every page but the public ones; no valid
 * session → the sign-in page (or 401 JSON for scripts).
 */
export function requireSession(desk: StaffDesk, refusedText: () => string): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (PUBLIC.has(c.req.path)) return next();
    const id = sessionCookie(c);
    const session = id ? await desk.session(id) : undefined;
    if (!id || !session) {
      if (getCookie(c, SESSION_COOKIE) !== undefined) endSession(c);
      if (wantsJson(c)) return c.json({ error: refusedText() }, 401);
      return c.redirect('/staff/login', 303);
    }
    c.set('staff', session.staff);
    c.set('csrf', session.csrf);
    c.set('sessionId', id);
    c.set('flash', c.req.method === 'GET' && !wantsJson(c) ? takeFlash(c) : undefined);
    await next();
  };
}

/** Whether a POST comes from our own pages: no Origin header (old browsers, curl), or exactly ours. */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('Origin');
  return origin === undefined || ownOrigin(c, origin);
}

/** Whether `origin` is this console's own (as the proxy in front names it, or the socket). */
function ownOrigin(c: Context, origin: string): boolean {
  const host = c.req.header('X-Forwarded-Host')?.split(',')[0]?.trim() ?? c.req.header('Host') ?? new URL(c.req.url).host;
  return origin === `${scheme(c)}://${host}` || origin === new URL(c.req.url).origin;
}

/**
 * Every console POST: from our own origin, and (once signed in) carrying the
 * session's form token in `_csrf`, compared in constant time.
 */
export function checkPost(refuse: (c: Context, why: 'origin' | 'csrf') => Response | Promise<Response>): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (!sameOrigin(c)) return refuse(c, 'origin');
    if (c.req.path === '/staff/login') return next();
    const expected = c.get('csrf');
    const form = await readForm(c);
    const given = form._csrf;
    if (!expected || typeof given !== 'string' || !sameSecret(given, expected)) return refuse(c, 'csrf');
    await next();
  };
}
