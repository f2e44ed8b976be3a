import { translator, type Locale, type Translate } from '../../locales/index.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The privacy notice (PDPA 2022) in each language, as bot/engine/notice.ts words it. */
export type Notices = Readonly<Record<Locale, string>>;

/**
 * The privacy line under the title, in both languages (the page's first); opened, it shows the whole notice in
 * each. A native <details>: it works without the script, and a screen reader announces it as something to open.
 */
function privacyLine(lang: Locale, notices: Notices): string {
  const order: readonly Locale[] = lang === 'en' ? ['en', 'sw'] : ['sw', 'en'];
  const label = order.map((l) => escapeHtml(translator(l)('webchat.privacy'))).join(' · ');
  const texts = order.map((l) => `<p lang="${l}">${escapeHtml(notices[l])}</p>`).join('');
  return `<details id="privacy"><summary>${label}</summary>${texts}</details>`;
}

/** The phone-friendly chat page: plain HTML and a little script, no build step. Every text is set with textContent. */
export function chatPage(t: Translate, lang: Locale, notices: Notices): string {
  const words = { intro: t('webchat.intro'), offline: t('webchat.offline'), expired: t('webchat.session_expired'), tooMany: t('webchat.too_many') };
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('webchat.title'))}</title>
<style>
  :root { font-family: system-ui, sans-serif; color-scheme: light; }
  body { margin: 0; background: #eef2ee; display: flex; flex-direction: column; height: 100dvh; }
  header { background: #0b6e4f; color: #fff; padding: 12px 16px; font-weight: 600; }
  #privacy { background: #f7faf7; border-bottom: 1px solid #d5e3d5; padding: 6px 16px; font-size: 0.85rem; max-height: 40dvh; overflow-y: auto; }
  #privacy summary { cursor: pointer; color: #0b6e4f; }
  #privacy p { margin: 6px 0; line-height: 1.35; }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .msg { max-width: 85%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; line-height: 1.35; }
  .in { align-self: flex-end; background: #d9fdd3; }
  .out { align-self: flex-start; background: #fff; }
  .options { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
  .options button { border: 1px solid #0b6e4f; background: #fff; color: #0b6e4f; border-radius: 16px; padding: 6px 12px; font-size: 0.95rem; }
  form { display: flex; gap: 8px; padding: 10px; background: #fff; }
  input { flex: 1; padding: 10px; font-size: 1rem; border: 1px solid #bbb; border-radius: 20px; }
  form button { background: #0b6e4f; color: #fff; border: 0; border-radius: 20px; padding: 0 18px; font-size: 1rem; }
</style>
</head>
<body>
<header>${escapeHtml(t('webchat.title'))}</header>
${privacyLine(lang, notices)}
<main id="log" aria-live="polite"></main>
<form id="send"><input id="text" autocomplete="off" placeholder="${escapeHtml(t('webchat.placeholder'))}" aria-label="${escapeHtml(t('webchat.placeholder'))}"><button type="submit">${escapeHtml(t('webchat.send'))}</button></form>
<script>
const WORDS = ${scriptJson(words)};
const log = document.getElementById('log');
// The server issues the session; an id it no longer knows (expired, or from before) is replaced by a new one.
const KEY = 'huduma-session';
let session = localStorage.getItem(KEY);
const base = () => '/webchat/sessions/' + session + '/messages';
async function openSession() {
  const r = await fetch('/webchat/sessions', { method: 'POST' });
  if (r.status === 429) { show('out', WORDS.tooMany); return false; }
  if (!r.ok) throw new Error(String(r.status));
  session = (await r.json()).sessionId;
  localStorage.setItem(KEY, session);
  cursor = '0';
  return true;
}
/** After a 404 or 410: a new session, saying so when the old one had expired. */
async function replaced(r) {
  if (r.status !== 404 && r.status !== 410) return false;
  if (r.status === 410) show('out', WORDS.expired);
  session = null;
  localStorage.removeItem(KEY);
  return openSession();
}
let cursor = '0';
const seen = new Set();
function show(direction, text, options, id) {
  if (id && seen.has(id)) return;
  if (id) seen.add(id);
  const div = document.createElement('div');
  div.className = 'msg ' + direction;
  div.textContent = text;
  if (options && options.length) {
    const row = document.createElement('div');
    row.className = 'options';
    options.forEach((o, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = (i + 1) + '. ' + o.label;
      b.addEventListener('click', () => send(o.label));
      row.appendChild(b);
    });
    div.appendChild(row);
  }
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
}
/** Shows what is new in the transcript; false when the session was gone (and a new one opened). */
async function poll() {
  if (!session) return true;
  try {
    const r = await fetch(base() + '?after=' + cursor);
    if (await replaced(r)) return false;
    if (!r.ok) return true;
    const data = await r.json();
    for (const m of data.messages) show(m.direction, m.text, m.options, m.id);
    cursor = data.cursor;
  } catch {}
  return true;
}
async function send(text, again) {
  if (!text.trim()) return;
  try {
    if (!session && !(await openSession())) return;
    const r = await fetch(base(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    if (r.status === 429) return show('out', WORDS.tooMany);
    if (!again && (await replaced(r))) return send(text, true);
    if (!r.ok) throw new Error(String(r.status));
    const answer = await r.json();
    // The session can end with this very message (the person's data erased): its transcript is gone, so the answer is shown as it came.
    if (!(await poll())) {
      show('in', text);
      for (const m of answer.replies) show('out', m.text, m.options);
    }
  } catch { show('out', WORDS.offline); }
}
document.getElementById('send').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('text');
  const text = input.value;
  input.value = '';
  send(text);
});
show('out', WORDS.intro);
poll();
setInterval(poll, 3000);
</script>
</body>
</html>`;
}
