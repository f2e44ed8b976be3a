import { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

// Under @hono/node-server, touching `c.req.raw.body` (as hono's bodyLimit and
// c.req.json() do) builds a web Request with a web stream and an AbortSignal
// from Node's request: the largest cost of a POST after the turn itself. The
// hot routes read Node's request directly instead, when Node's parser already
// bounds the body by its Content-Length; everything else takes the web path.

/** Node's own request, when @hono/node-server serves it (not under app.request() in tests). */
function incomingOf(c: Context): IncomingMessage | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  return env.incoming instanceof IncomingMessage ? env.incoming : undefined;
}

/** The body's length as Node's parser enforces it: undefined for a chunked body (counted as it streams). */
function declaredLength(incoming: IncomingMessage): number | undefined {
  if (incoming.headers['transfer-encoding'] !== undefined) return undefined;
  const length = Number(incoming.headers['content-length'] ?? 0);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Node's request when its body can be read from Node's stream: declared length, not read yet. */
function directBody(c: Context): IncomingMessage | undefined {
  const incoming = incomingOf(c);
  return incoming && declaredLength(incoming) !== undefined && !incoming.readableDidRead ? incoming : undefined;
}

/**
 * hono's bodyLimit, without building a web Request when the declared
 * Content-Length already says the size; a chunked body is counted by hono's.
 */
export function limitBody(options: { readonly maxSize: number; readonly onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const counting = bodyLimit(options);
  return async (c, next) => {
    const incoming = incomingOf(c);
    const length = incoming && declaredLength(incoming);
    if (length === undefined) return counting(c, next);
    if (length > options.maxSize) return options.onError(c);
    await next();
  };
}

// The one body reader: every route reads its body through these (text, JSON,
// raw bytes for a signature, form fields), so each gets the same fast path
// and the same limits.

function readIncoming(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}

/** A request body's bytes as they came, e.g. for a signature over them. */
export async function readBytes(c: Context): Promise<Buffer> {
  const incoming = directBody(c);
  return incoming ? readIncoming(incoming) : Buffer.from(await c.req.arrayBuffer());
}

/** A request body as text (invalid UTF-8 becomes U+FFFD, a leading byte-order mark is dropped, as fetch's text() does). */
export async function readText(c: Context): Promise<string> {
  const text = (await readBytes(c)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export type Json = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Text read as JSON: its value, or that it was not JSON (the route says what it expected). */
export function parseJson(text: string): Json {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A request body read as JSON. */
export async function readJson(c: Context): Promise<Json> {
  return parseJson(await readText(c));
}

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

/** A posted form's text fields; a body that is not a form, or not a well-formed one, reads as empty (the route's schema says what is missing). Files are left out: no form of Huduma takes one. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  if (!FORM_TYPE.test(headerOf(c, 'Content-Type') ?? '')) return {};
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** A request header, read from Node's request when there is one (no web Headers object built). */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The client's address: the socket's peer, or behind a proxy that sets
 * X-Forwarded-For (TRUST_PROXY), the address that proxy saw — the last one in
 * the header, since the client may write anything before it.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = headerOf(c, 'X-Forwarded-For')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return incomingOf(c)?.socket.remoteAddress ?? 'unknown';
}
