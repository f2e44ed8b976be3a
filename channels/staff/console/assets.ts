// The console's one script and one style sheet, served from /staff/console.js
// and /staff/console.css so the Content-Security-Policy needs no 'unsafe-inline'.
// Every text from the server is set with textContent, never innerHTML.

export const CONSOLE_JS = `'use strict';
(() => {
  const body = document.body;
  let words = {};
  try { words = JSON.parse(body.dataset.words || '{}'); } catch {}
  // The server's clock, not the browser's, says how late a request is.
  const skew = (Date.parse(body.dataset.now || '') || Date.now()) - Date.now();
  const now = () => Date.now() + skew;
  const fill = (s, k, v) => String(s || '').split('{' + k + '}').join(String(v));

  function span(ms) {
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    const parts = [];
    if (d > 0) parts.push(fill(words.days, 'n', d));
    if (d > 0 || h > 0) parts.push(fill(words.hours, 'n', h));
    parts.push(fill(words.minutes, 'n', m));
    if (d === 0 && h === 0) parts.push(fill(words.seconds, 'n', sec));
    return parts.join(' ');
  }

  function tick() {
    for (const el of document.querySelectorAll('[data-due]')) {
      const left = Date.parse(el.dataset.due) - now();
      el.textContent = left >= 0 ? fill(words.left, 'span', span(left)) : fill(words.late, 'span', span(-left));
      const row = el.closest('tr');
      if (row && left < 0) row.classList.add('breached');
    }
  }
  if (document.querySelector('[data-due]')) { tick(); setInterval(tick, 1000); }

  // A canned reply chosen above a reply box goes into the box (already in the person's language), to send or adapt.
  for (const pick of document.querySelectorAll('select[data-canned-for]')) {
    pick.addEventListener('change', () => {
      const box = document.getElementById(pick.dataset.cannedFor);
      const chosen = pick.selectedOptions[0];
      if (!box || !chosen || !chosen.value) return;
      box.value = chosen.dataset.text || '';
      box.focus();
    });
  }

  const list = document.getElementById('transcript');
  if (!list || !list.dataset.poll) return;
  const status = document.getElementById('live-status');
  const say = (text) => { if (status) status.textContent = text; };
  let cursor = list.dataset.cursor || '0';
  const seen = new Set(Array.from(list.querySelectorAll('[data-id]')).map((li) => li.dataset.id));

  function add(m) {
    const id = String(m.id);
    if (seen.has(id)) return;
    seen.add(id);
    const empty = list.querySelector('.empty');
    if (empty) empty.remove();
    const li = document.createElement('li');
    li.className = 'msg ' + (m.direction === 'in' ? 'in' : 'out') + (m.author ? ' staff' : '');
    li.dataset.id = id;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = String(m.who || '');
    const time = document.createElement('time');
    time.textContent = String(m.shown || '');
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = String(m.text);
    li.append(who, ' ', time, text);
    list.appendChild(li);
    li.scrollIntoView({ block: 'nearest' });
  }

  let busy = false;
  async function poll() {
    if (busy) return;
    busy = true;
    try {
      const r = await fetch(list.dataset.poll + '?after=' + encodeURIComponent(cursor), { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (r.status === 401) { location.assign('/staff/login'); return; }
      if (!r.ok) throw new Error(String(r.status));
      const data = await r.json();
      for (const m of data.messages) add(m);
      cursor = String(data.cursor);
      if (status && status.textContent === words.offline) say('');
    } catch { say(words.offline); } finally { busy = false; }
  }
  setInterval(poll, 2000);

  const form = document.getElementById('reply');
  if (!form) return;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = form.querySelector('textarea');
    say(words.sending);
    try {
      const r = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const data = await r.json().catch(() => ({}));
      if (!r.ok) { say(String(data.error || r.status)); return; }
      if (box) box.value = '';
      say('');
      await poll();
    } catch { say(words.offline); }
  });
})();
`;

export const CONSOLE_CSS = `:root { font-family: system-ui, sans-serif; color-scheme: light; color: #1b1b1b; }
body { margin: 0; background: #f4f6f4; }
header { background: #0b6e4f; color: #fff; padding: 10px 16px; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
header nav { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; flex: 1; }
header a, header button.link { color: #fff; }
header .who { margin-left: auto; opacity: 0.85; }
main { padding: 16px; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: 8px 0 16px; }
h2 { font-size: 1.1rem; margin-top: 24px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #dde3dd; vertical-align: top; }
th { background: #e7eee7; font-weight: 600; }
tr.paused { color: #6b6b00; }
tr.breached { color: #c0141e; background: #fdecec; font-weight: 600; }
tr.breached a { color: inherit; }
.flash { padding: 8px 12px; border-radius: 6px; }
.flash.ok { background: #dff3e4; }
.flash.error, .problem { background: #fde2e1; color: #8a1010; padding: 8px 12px; border-radius: 6px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 12px; }
form.inline { display: inline; margin: 0; }
button.link { background: none; border: 0; padding: 0; font: inherit; text-decoration: underline; cursor: pointer; }
label { display: block; font-size: 0.9rem; }
select, input, textarea, button { font: inherit; }
textarea { width: 100%; max-width: 640px; min-height: 4em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 10px; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; }
ol.transcript { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 6px; max-width: 820px; }
.msg { padding: 6px 10px; border-radius: 8px; background: #fff; max-width: 85%; }
.msg.in { align-self: flex-start; background: #fff; border: 1px solid #ccd; }
.msg.out { align-self: flex-end; background: #e3f1e8; }
.msg.staff { background: #d6e8ff; }
.msg .who { font-weight: 600; font-size: 0.85rem; }
.msg time { font-size: 0.8rem; color: #555; }
.msg .text { white-space: pre-wrap; overflow-wrap: anywhere; }
#live-status { min-height: 1.2em; color: #8a1010; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #1b1b1b; }
svg.chart rect.bar { fill: #e4e8e4; }
svg.chart rect.seg.on-time { fill: #0b6e4f; }
svg.chart rect.seg.late { fill: #c0141e; }
svg.chart rect.seg.open { fill: #8fa3b8; }
.hint { color: #555; font-size: 0.9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
td.summary { max-width: 22em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.requester .phone { color: #555; font-size: 0.9rem; }
ol.notes, ul.canned-list { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 8px; max-width: 820px; }
li.note { background: #fff8d6; border: 1px solid #e8d98a; padding: 6px 10px; border-radius: 6px; }
li.note .who { font-weight: 600; font-size: 0.85rem; }
li.note .text { white-space: pre-wrap; overflow-wrap: anywhere; }
li.canned { background: #fff; padding: 8px 12px; border-radius: 6px; }
li.canned input[type=text] { width: 100%; max-width: 640px; }
button.danger { color: #8a1010; }
`;
