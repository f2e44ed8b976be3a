import type { TestServer } from './app.ts';
import { messagesPath } from './sessions.ts';

export interface Reply {
  readonly text: string;
  readonly options?: readonly { id: string; label: string }[];
}

/** Says something in the web chat as `session`, returns the replies. */
export async function say(server: TestServer, session: string, text: string): Promise<Reply[]> {
  const res = await server.app.http.request(await messagesPath(server, session), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (res.status !== 200) throw new Error(`web chat answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { replies: Reply[] }).replies;
}

/** Files a network fault ("within 1 working day") over the web chat; returns its reference. */
export async function fileNetworkFault(server: TestServer, session: string): Promise<string> {
  await say(server, session, 'the internet in our office has been down since morning');
  await say(server, session, 'Registry, block B');
  await say(server, session, 'my number is +255 713 000 111');
  const done = await say(server, session, 'yes');
  const reference = /ICT-\d{4}-\d{6}/.exec(done.map((r) => r.text).join(' '))?.[0];
  if (!reference) throw new Error(`no reference in: ${done.map((r) => r.text).join(' | ')}`);
  return reference;
}

/** The whole web chat transcript of a session. */
export async function transcript(server: TestServer, session: string): Promise<{ direction: string; text: string }[]> {
  const res = await server.app.http.request(await messagesPath(server, session));
  return ((await res.json()) as { messages: { direction: string; text: string }[] }).messages;
}
