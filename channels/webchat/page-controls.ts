// The chat page script's second half (page-script.ts has the first, and
// joins the two inside one function, so they share names): the box with its
// limit, counter and long pastes; a failed message put back in the box; the
// language switch; "start again". Nothing is lost: a message leaves the box
// when it is sent and comes back if the server did not take it.

export const PAGE_CONTROLS = `
  // Long text: the box holds at most MAX characters; a longer paste is cut at a space, and the rest waits to be sent next.
  let rest = '';
  function cut(text) {
    if (text.length <= MAX) return [text, ''];
    const head = text.slice(0, MAX + 1);
    const space = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\\n'));
    let at = space > MAX * 0.8 ? space : MAX;
    if (at === MAX && /[\\uD800-\\uDBFF]/.test(text[at - 1])) at -= 1;
    return [text.slice(0, at).replace(/\\s+$/, ''), text.slice(at).replace(/^\\s+/, '')];
  }
  function resize() {
    box.style.height = 'auto';
    box.style.height = Math.min(box.scrollHeight + 4, 160) + 'px';
  }
  let announce;
  function updateCounter() {
    const left = MAX - box.value.length;
    counter.hidden = left > NEAR;
    const text = left <= 0 ? w('at_limit') : left === 1 ? w('left_one') : w('left', { n: left });
    counter.textContent = text;
    counter.classList.toggle('full', left <= 0);
    clearTimeout(announce);
    if (left <= NEAR) announce = setTimeout(() => say(text), 900);
  }
  box.addEventListener('paste', (e) => {
    const pasted = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    const whole = box.value.slice(0, box.selectionStart) + pasted + box.value.slice(box.selectionEnd);
    if (whole.length <= MAX) return;
    e.preventDefault();
    const [part, more] = cut(whole);
    box.value = part;
    rest = more + (rest ? '\\n' + rest : '');
    note(w('split', { total: whole.length }));
    resize();
    updateCounter();
  });
  box.addEventListener('input', () => { resize(); updateCounter(); });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  /** Puts text back in the box after a failure, before whatever was typed meanwhile. */
  function restore(text) {
    box.value = box.value.trim() ? text + '\\n' + box.value : text;
    resize();
    updateCounter();
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = box.value;
    if (!text.trim()) return;
    box.value = '';
    resize();
    updateCounter();
    if (!(await send(text))) return restore(text);
    if (rest && !box.value) {
      const [part, more] = cut(rest);
      box.value = part;
      rest = more;
      resize();
      updateCounter();
      note(w('next_part'));
    }
  });
  async function choose(label) {
    if (!(await send(label)) && !box.value.trim()) restore(label);
  }

  // The language switch: the page's words change at once, and the bot is told in words it understands.
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      if (b.dataset.lang === lang || !WORDS[b.dataset.lang]) return;
      lang = b.dataset.lang;
      kept.set(LANG_KEY, lang);
      applyWords();
      send(w('switch_to'));
    });
  }

  // Start again: after a yes, a new session and an empty screen (the requests filed stay with the staff).
  async function startAgain() {
    forget();
    seen.clear();
    log.replaceChildren();
    rest = '';
    showIntro();
    try { await openSession(); } catch {}
    box.focus();
  }
  $('again').addEventListener('click', () => {
    if (typeof dialog.showModal !== 'function') { if (confirm(w('again_title'))) startAgain(); return; }
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => { if (dialog.returnValue === 'yes') startAgain(); });

  let intro = null;
  function showIntro() {
    intro = document.createElement('div');
    intro.className = 'msg out';
    intro.textContent = w('intro');
    log.appendChild(intro);
  }
  showIntro();
  applyWords();
  poll();
  setInterval(poll, 3000);
`;
