// The chat page's one script: a constant (its hash goes in the page's
// Content-Security-Policy), reading what varies from the page's JSON data
// block #config: the words in both languages, the message limit, the shape of
// a request reference. Every text is set with textContent, never as markup.
// This part talks to the server and shows the conversation; page-controls.ts
// has the box, the language switch and "start again".

import { PAGE_CONTROLS } from './page-controls.ts';

/** Sending, polling and showing: the script's first half (inside one function with the second, which shares its names). */
const CONVERSATION = `
  const CONFIG = JSON.parse(document.getElementById('config').textContent);
  const WORDS = CONFIG.words;
  const MAX = CONFIG.max;
  const NEAR = Math.min(500, Math.floor(MAX / 5));
  const REF = new RegExp('\\\\b' + CONFIG.reference + '\\\\b', 'g');
  const KEY = 'huduma-session';
  const LANG_KEY = 'huduma-lang';
  const kept = {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); } catch {} },
    drop: (k) => { try { localStorage.removeItem(k); } catch {} },
  };
  let lang = WORDS[kept.get(LANG_KEY)] ? kept.get(LANG_KEY) : CONFIG.lang;
  const w = (key, params) => {
    let s = WORDS[lang][key] || '';
    for (const [k, v] of Object.entries(params || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  };
  const $ = (id) => document.getElementById(id);
  const log = $('log'), box = $('text'), form = $('send'), counter = $('counter'), status = $('status'), dialog = $('again-dialog');

  /** The page's own words in the chosen language (the conversation itself stays as it was said). */
  function applyWords() {
    document.documentElement.lang = lang;
    document.title = w('title');
    for (const el of document.querySelectorAll('[data-w]')) el.textContent = w(el.dataset.w);
    for (const el of document.querySelectorAll('[data-w-label]')) el.setAttribute('aria-label', w(el.dataset.wLabel));
    for (const el of document.querySelectorAll('[data-w-placeholder]')) el.placeholder = w(el.dataset.wPlaceholder);
    for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    // The privacy notice in the chosen language first, then the other.
    const notice = document.querySelector('#privacy p[lang="' + lang + '"]');
    if (notice) document.querySelector('#privacy summary').after(notice);
    if (intro) intro.textContent = w('intro');
    updateCounter();
  }

  /** Tells a screen reader, politely, without moving anything on the screen. */
  function say(text) {
    status.textContent = '';
    setTimeout(() => { status.textContent = text; }, 50);
  }

  // The server issues the session; an id it no longer knows (expired, erased, or from before) is replaced by a new one.
  let session = kept.get(KEY);
  let cursor = '0';
  const seen = new Set();
  function forget() { session = null; kept.drop(KEY); }
  /** A new session: true, or false after saying why not (the network failing throws). */
  async function openSession() {
    const r = await fetch('/webchat/sessions', { method: 'POST' });
    if (!r.ok) { await refused(r); return false; }
    session = (await r.json()).sessionId;
    kept.set(KEY, session);
    cursor = '0';
    return true;
  }

  /** The server's reason for refusing, in the person's language (its code picks the sentence). */
  async function refused(r) {
    let code = '';
    try { code = (await r.json()).code || ''; } catch {}
    if (r.status === 413) code = 'too_long';
    if (r.status === 429) return note(w('too_many'));
    if (r.status >= 500) return note(w('unavailable'));
    note(WORDS[lang]['error.' + code] ? w('error.' + code) : w('error.other'));
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function note(text) {
    const div = document.createElement('div');
    div.className = 'msg out note';
    div.textContent = text;
    log.appendChild(div);
    scrollDown();
  }

  /** A request reference set apart in the text (a <mark>), and a button under the text that copies it. */
  function copyButton(ref, code) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = w('copy', { reference: ref });
    b.addEventListener('click', () => copy(ref, code, b));
    return b;
  }
  async function copy(ref, code, b) {
    let done = false;
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(ref); done = true; }
    } catch {}
    if (!done) {
      // No clipboard API (a page served over plain http): the reference is selected, ready to copy.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { done = document.execCommand('copy'); } catch {}
    }
    b.textContent = done ? w('copied', { reference: ref }) : w('selected', { reference: ref });
    say(b.textContent);
    setTimeout(() => { b.textContent = w('copy', { reference: ref }); }, 3000);
  }

  function withReferences(parent, text) {
    let at = 0;
    const copies = document.createElement('div');
    copies.className = 'refs';
    const done = new Set();
    for (const m of text.matchAll(REF)) {
      parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      const mark = document.createElement('mark');
      mark.className = 'ref';
      const code = document.createElement('code');
      code.textContent = m[0];
      mark.appendChild(code);
      parent.appendChild(mark);
      if (!done.has(m[0])) copies.appendChild(copyButton(m[0], code));
      done.add(m[0]);
      at = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
    if (done.size > 0) parent.appendChild(copies);
  }

  function show(direction, text, options, id, from) {
    if (id && seen.has(id)) return;
    if (id) seen.add(id);
    const div = document.createElement('div');
    const officer = direction === 'out' && from && from.kind === 'officer';
    div.className = 'msg ' + direction + (officer ? ' officer' : '');
    if (officer) {
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = w('officer', { name: from.name });
      div.appendChild(who);
    }
    if (direction === 'out') withReferences(div, text);
    else div.textContent = text;
    if (options && options.length) {
      const row = document.createElement('div');
      row.className = 'options';
      options.forEach((o, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        // Labels that start with their own number ("1 — Hafifu sana") are not numbered again.
        b.textContent = /^\\s*\\d/.test(o.label) ? o.label : i + 1 + '. ' + o.label;
        b.addEventListener('click', () => choose(o.label));
        row.appendChild(b);
      });
      div.appendChild(row);
    }
    log.appendChild(div);
    scrollDown();
  }

  /** Shows what is new in the transcript; false when the session was gone (and a new one opened). */
  async function poll() {
    const id = session;
    if (!id) return true;
    let r;
    try { r = await fetch('/webchat/sessions/' + id + '/messages?after=' + cursor); } catch { return true; }
    if (id !== session) return true;
    if (r.status === 404 || r.status === 410) {
      if (r.status === 410) note(w('session_expired'));
      forget();
      try { await openSession(); } catch {}
      return false;
    }
    if (!r.ok) return true;
    let data;
    try { data = await r.json(); } catch { return true; }
    if (id !== session) return true;
    for (const m of data.messages) show(m.direction, m.text, m.options, m.id, m.from);
    cursor = data.cursor;
    return true;
  }

  /** Sends one message: true once the server has taken it; false after saying why not. */
  async function send(text, again) {
    if (!text.trim()) return true;
    let r;
    try {
      if (!session && !(await openSession())) return false;
      r = await fetch('/webchat/sessions/' + session + '/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    } catch {
      note(w('offline'));
      return false;
    }
    if ((r.status === 404 || r.status === 410) && !again) {
      note(r.status === 410 ? w('session_expired') : w('new_session'));
      forget();
      return send(text, true);
    }
    if (!r.ok) { await refused(r); return false; }
    let replies = [];
    try { replies = (await r.json()).replies || []; } catch {}
    // The session can end with this very message (the person's data erased): its transcript is gone, so the answer is shown as it came.
    if (!(await poll())) {
      show('in', text);
      for (const m of replies) show('out', m.text, m.options);
    }
    return true;
  }

`;

export const CHAT_SCRIPT = `'use strict';
(() => {${CONVERSATION}${PAGE_CONTROLS}})();
`;
