import type { TestServer } from './app.ts';

// The server issues web chat sessions (POST /webchat/sessions). Tests name the people they play
// ("flood-person-1"); these helpers open a session for each name on first use and remember it, per database.

const issued = new Map<string, string>();

type Target = TestServer | string;
const keyOf = (target: Target, name: string) => (typeof target === 'string' ? `url:${name}` : `${JSON.stringify(target.databaseEnv)}|${name}`);

/** POST /webchat/sessions on a server (in-process or over the socket); the new id. */
export async function openSession(target: Target): Promise<string> {
  const res = typeof target === 'string' ? await fetch(`${target}/webchat/sessions`, { method: 'POST' }) : await target.app.http.request('/webchat/sessions', { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /webchat/sessions answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { sessionId: string }).sessionId;
}

/** The session id that stands for `name` on this server's database, opened on first use. */
export async function sessionOf(target: Target, name: string): Promise<string> {
  const key = keyOf(target, name);
  const known = issued.get(key);
  if (known) return known;
  const id = await openSession(target);
  issued.set(key, id);
  return id;
}

/** Forgets the sessions opened over sockets (a test about to start servers on a new database). */
export const forgetSocketSessions = () => {
  for (const key of issued.keys()) if (key.startsWith('url:')) issued.delete(key);
};

/** Forgets a name's session (a spawned server on another database does not know it). */
export const forgetSession = (target: Target, name: string) => issued.delete(keyOf(target, name));

/** `/webchat/sessions/<id>/messages` for the person named `name`. */
export const messagesPath = async (target: Target, name: string) => `/webchat/sessions/${await sessionOf(target, name)}/messages`;
