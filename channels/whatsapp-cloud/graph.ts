import { z } from 'zod';
import { outcomeOfError, outcomeOfException, type GraphError, type GraphOutcome } from './errors.ts';
import type { GraphMessage } from './render.ts';

export interface GraphSettings {
  /** e.g. https://graph.facebook.com/v21.0 (WHATSAPP_CLOUD_API_ROOT); a local stand-in in tests. */
  readonly apiRoot: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** A send that takes longer is abandoned and retried. */
  readonly timeoutMs?: number;
}

/** Sent (with Meta's id for the message, wamid…), or why not. */
export type PostOutcome = { readonly status: 'sent'; readonly wamid?: string } | Exclude<GraphOutcome, { readonly status: 'sent' }>;

const accepted = z.looseObject({ messages: z.array(z.looseObject({ id: z.string() })).optional() });
const failure = z.looseObject({
  error: z.looseObject({ code: z.number().optional(), error_subcode: z.number().optional(), message: z.string().optional(), type: z.string().optional() }),
});

async function jsonOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    // A proxy's HTML error page, or nothing: the status code alone decides.
    return undefined;
  }
}

/** POST {apiRoot}/{phoneNumberId}/messages; Meta's answer, translated. */
export async function postMessage(settings: GraphSettings, body: GraphMessage): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(`${settings.apiRoot.replace(/\/+$/, '')}/${encodeURIComponent(settings.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs ?? 15_000),
    });
  } catch (e) {
    return outcomeOfException(e);
  }
  const json = await jsonOf(response);
  if (response.ok) return { status: 'sent', wamid: accepted.safeParse(json).data?.messages?.[0]?.id };
  const error: GraphError | undefined = failure.safeParse(json).data?.error;
  return outcomeOfError(response.status, error, response.headers.get('retry-after'));
}
