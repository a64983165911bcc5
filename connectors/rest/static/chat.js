/* Ventanilla web chat: speaks Rasa's REST channel shape to our own server; no framework, no CDN. */
(() => {
  'use strict';
  const WEBHOOK = '/webhooks/rest/webhook';
  const UPLOAD = '/webchat/upload';
  const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
  const TIMEOUT_MS = 30000;
  const HISTORY_KEY = 'ventanilla.chat.v1';
  const SENDER_KEY = 'ventanilla.sender';

  const STRINGS = window.VENTANILLA_STRINGS;  // from strings.js, loaded first
  const lang = (navigator.language || 'es').toLowerCase().startsWith('en') ? 'en' : 'es';
  const T = STRINGS[lang];

  const $ = (id) => document.getElementById(id);
  const log = $('log'), scroller = $('scroller'), typing = $('typing'), announcer = $('announcer');
  const form = $('composer'), input = $('text'), sendBtn = $('send-btn');
  const locBtn = $('loc-btn'), photoBtn = $('photo-btn'), photoInput = $('photo-input');

  class ChatError extends Error {
    constructor(msg, retryable, code) { super(msg); this.retryable = retryable; this.code = code; }
  }

  // ---- ids and storage (storage can be disabled; the chat still works without it) ----
  const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, '0')).join('');
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts
    const h = hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-` +
      `${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  function stored(store, key, fallback) {
    try { const v = store.getItem(key); return v === null ? fallback : JSON.parse(v); } catch { return fallback; }
  }
  function keep(store, key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch { /* private mode or full: keep in memory */ }
  }
  // The id names this browser's chat; the server binds it to a secret kept in an HttpOnly cookie, which
  // this script never sees. If the cookie is gone (cleared, another browser profile), the id is refused
  // and the page starts a new chat.
  let sender = stored(localStorage, SENDER_KEY, null);
  const newSender = () => { sender = 'web-' + hex(10); keep(localStorage, SENDER_KEY, sender); };
  if (typeof sender !== 'string' || !/^web-[0-9a-f]{20}$/.test(sender)) newSender();
  const history = stored(sessionStorage, HISTORY_KEY, []);
  const save = () => keep(sessionStorage, HISTORY_KEY, history.slice(-200));
  const nodes = new Map();     // entry id -> <li>
  const files = new Map();     // entry id -> File not yet uploaded (cannot survive a reload)

  // ---- rendering: every text goes through textContent, never innerHTML ----
  function el(tag, cls, text) {
    const node = Object.assign(document.createElement(tag), cls ? { className: cls } : {});
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function safeUrl(url) {
    if (typeof url !== 'string' || !url) return null;
    try {
      const u = new URL(url, location.href);
      return ['http:', 'https:', 'blob:'].includes(u.protocol) ? u.href : null;
    } catch { return null; }
  }
  function image(url, alt) {
    const img = Object.assign(el('img'), { src: url, alt, loading: 'lazy' });
    img.addEventListener('load', () => scrollDown());
    img.addEventListener('error', () => img.replaceWith(el('span', null, `📷 ${alt}`)));
    return img;
  }
  // Case codes (K7M-4QP) stay on one line and stand out, so they are easy to read back and type.
  const CODE = /\b([A-Z0-9]{3,4}-[A-Z0-9]{3,4})\b/;
  function paragraph(text) {
    const p = el('p');
    text.split(CODE).forEach((part, i) => p.append(i % 2 ? el('span', 'code', part) : part));
    return p;
  }
  function render(entry) {
    const li = el('li', `msg ${entry.who}${entry.state ? ' ' + entry.state : ''}`);
    const bubble = el('div', entry.text ? 'bubble' : 'bubble bare');
    bubble.append(el('span', 'sr-only', entry.who === 'me' ? T.you : T.bot));
    const thumb = !entry.voice && safeUrl(entry.preview || entry.thumb), img = safeUrl(entry.image);
    if (thumb) bubble.append(image(thumb, T.photoAlt));
    if (img) bubble.append(image(img, T.botImageAlt));
    const voice = entry.voice && safeUrl(entry.preview || (entry.upload && entry.upload.url));
    if (voice) bubble.append(Object.assign(el('audio'), { controls: true, preload: 'metadata', src: voice }));
    // The bot's spoken answer to a voice note (issue 19): played here, its words are in the text before it.
    const spoken = entry.who === 'bot' && safeUrl(entry.audio);
    if (spoken) {
      const player = Object.assign(el('audio'), { controls: true, preload: 'metadata', src: spoken });
      player.setAttribute('aria-label', T.spokenAnswer);
      bubble.append(player);
    }
    if (entry.text) bubble.append(paragraph(entry.text));
    li.append(bubble);
    if (['pending', 'failed', 'lost'].includes(entry.state)) li.append(statusLine(entry));
    if (entry.buttons && entry.buttons.length) li.append(chips(entry));
    const old = nodes.get(entry.id);
    if (old) old.replaceWith(li); else log.append(li);
    nodes.set(entry.id, li);
  }
  function statusLine(entry) {
    const line = el('p', 'status');
    const uploading = entry.voice ? T.uploadingVoice : T.uploading;
    if (entry.state === 'pending') line.textContent = entry.upload || !files.has(entry.id) ? T.sending : uploading;
    if (entry.state === 'lost') line.textContent = entry.voice ? T.voiceLost : T.lost;
    if (entry.state === 'failed') {
      line.append(el('span', null, entry.error || T.netError));
      const retry = Object.assign(el('button', 'retry', T.retry), { type: 'button' });
      retry.addEventListener('click', () => { enqueue(entry); input.focus(); });
      line.append(retry);
    }
    return line;
  }
  function chips(entry) {
    const group = el('div', 'chips');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', T.options);
    entry.buttons.forEach((b, i) => {
      const chip = el('button', 'chip' + (entry.chosen === i ? ' chosen' : ''), b.title || b.payload);
      Object.assign(chip, { type: 'button', disabled: Boolean(entry.used) });
      chip.addEventListener('click', () => {
        entry.chosen = i;
        if (b.location) send('', T.locationSent, { location: b.location });
        else send(String(b.payload ?? b.title), b.title);
      });
      group.append(chip);
    });
    return group;
  }
  const scrollDown = () => { scroller.scrollTop = scroller.scrollHeight; };
  function announce(text) {
    const p = el('p', null, text);
    announcer.append(p);
    setTimeout(() => p.remove(), 10000);
  }
  function add(entry, spoken) {
    entry.id = entry.id || uuid();
    history.push(entry);
    render(entry);
    save();
    scrollDown();
    if (spoken && entry.text) announce(entry.text);
    return entry;
  }
  const note = (text) => add({ who: 'note', text }, true);

  // Any new message answers the question on screen: older choices stop being tappable.
  function retireChips() {
    for (const e of history) if (e.buttons && !e.used) { e.used = true; render(e); }
  }

  // ---- talking to the server ----
  async function request(url, init, timeoutMs = TIMEOUT_MS) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    let res, body = null;
    try {
      res = await fetch(url, { ...init, signal: ctl.signal, credentials: 'same-origin' });
      try { body = await res.json(); } catch { body = null; }
    } catch {
      throw new ChatError(T.netError, true);
    } finally { clearTimeout(timer); }
    if (res.ok) return body;
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    const told = body && typeof body.message === 'string' && body.message;
    throw new ChatError(told || (retryable ? T.serverError : T.rejected), retryable, body && body.error);
  }
  async function deliver(entry) {
    try {
      return await deliverAs(entry);
    } catch (err) {
      if (!(err instanceof ChatError) || err.code !== 'not_your_chat') throw err;
      newSender();  // this browser lost the chat's secret: go on in a new chat, and say so
      note(T.newChat);
      if (entry.upload) { delete entry.upload; delete entry.meta.attachments; }  // the photo was the old chat's
      return deliverAs(entry);
    }
  }
  async function deliverAs(entry) {
    const file = files.get(entry.id);
    if (file && !entry.upload) {
      const body = new FormData();
      body.append(entry.voice ? 'voice' : 'photo', file, file.name || 'photo.jpg');
      const url = `${UPLOAD}?${new URLSearchParams({ sender })}`;
      const up = await request(url, { method: 'POST', body }, 4 * TIMEOUT_MS);
      if (!up || typeof up.url !== 'string') throw new ChatError(T.serverError, true);
      entry.upload = { url: up.url, content_type: up.content_type || file.type };
      if (!entry.voice) entry.thumb = up.url;
      entry.meta.attachments = [entry.upload];
      if (up.location && Number.isFinite(up.location.latitude)) entry.place = up.location;
      save();
    }
    const metadata = { message_id: entry.id, ...entry.meta };
    const replies = await request(WEBHOOK, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender, message: entry.message, metadata }),
    });
    files.delete(entry.id);
    return Array.isArray(replies) ? replies : [];
  }
  // A photo that knows where it was taken: the place is offered, never sent without the citizen's tap.
  function offerPlace(entry) {
    if (!entry.place) return;
    const place = entry.place;
    delete entry.place;
    add({ who: 'note', text: T.photoPlace, buttons: [{ title: T.usePhotoPlace, location: place }] }, true);
  }

  // Messages leave one at a time, in the order the citizen wrote them.
  let queue = Promise.resolve(), waiting = 0;
  function enqueue(entry) {
    entry.state = 'pending'; entry.error = undefined;
    render(entry); save();
    waiting += 1; typing.hidden = false; scrollDown();
    queue = queue.then(async () => {
      try {
        const replies = await deliver(entry);
        entry.state = undefined;
        render(entry);
        const used = waiting > 1;  // the citizen already wrote again: these choices come too late
        for (const r of replies) {
          if (!r || (!r.text && !r.image && !r.buttons)) continue;
          const buttons = Array.isArray(r.buttons) ? r.buttons.filter((b) => b && (b.title || b.payload)) : [];
          add({ who: 'bot', text: typeof r.text === 'string' ? r.text : '', image: r.image, buttons, used }, true);
        }
        offerPlace(entry);
        // The citizen erased their data: this browser forgets the chat too (what is on screen stays until
        // the page closes), and the next message starts a new citizen.
        if (replies.some((r) => r && r.custom && r.custom.erased === true)) forgetHere();
      } catch (err) {
        const retryable = !(err instanceof ChatError) || err.retryable;
        entry.state = retryable ? 'failed' : 'rejected';
        entry.error = retryable ? err.message : undefined;
        render(entry);
        if (retryable) announce(err.message); else note(err.message);
      } finally {
        save();
        waiting -= 1; typing.hidden = waiting === 0; scrollDown();
      }
    });
  }
  function send(message, shown, meta = {}, extra = {}) {
    retireChips();
    const entry = add({ id: uuid(), who: 'me', text: shown ?? message, message, meta, ...extra });
    if (extra.file) { files.set(entry.id, extra.file); delete entry.file; }
    enqueue(entry);
    return entry;
  }

  // ---- composer ----
  function fit() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 4, 136) + 'px';
    sendBtn.disabled = input.value.trim() === '';
  }
  input.addEventListener('input', fit);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = ''; fit();
    send(text);
    input.focus();
  });

  locBtn.addEventListener('click', () => {
    if (!navigator.geolocation) { note(T.noGeo); return; }
    locBtn.setAttribute('aria-busy', 'true'); locBtn.disabled = true;
    announce(T.locating);
    const done = () => { locBtn.removeAttribute('aria-busy'); locBtn.disabled = false; };
    navigator.geolocation.getCurrentPosition((pos) => {
      done();
      const { latitude, longitude } = pos.coords;
      send('', T.locationSent, { location: { latitude, longitude } });
    }, () => { done(); note(T.geoFailed); }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  photoBtn.addEventListener('click', () => photoInput.click());
  photoInput.addEventListener('change', () => {
    const file = photoInput.files && photoInput.files[0];
    photoInput.value = '';  // choosing the same photo again must fire `change` again
    if (!file) return;
    if (file.type && !file.type.startsWith('image/')) { note(T.notImage); return; }
    if (file.size > MAX_PHOTO_BYTES) {
      note(T.tooBig.replace('{mb}', (file.size / 1048576).toFixed(1).replace('.', lang === 'es' ? ',' : '.')));
      return;
    }
    const entry = send('', '', {}, { file, photo: true });
    entry.preview = URL.createObjectURL(file);  // shown at once; the server URL replaces it after upload
    render(entry);
  });

  // ---- start: translate, restore the conversation, keep the composer above the keyboard ----
  document.documentElement.lang = lang;
  document.title = T.title;
  const each = (attr, apply) => document.querySelectorAll(`[${attr}]`)
    .forEach((n) => apply(n, T[n.getAttribute(attr)]));
  each('data-i18n', (n, text) => { n.textContent = text; });
  each('data-i18n-label', (n, text) => n.setAttribute('aria-label', text));
  each('data-i18n-placeholder', (n, text) => { n.placeholder = text; });

  if (history.length === 0) {
    const buttons = T.quick.map(([title, payload]) => ({ title, payload }));
    history.push({ id: uuid(), who: 'bot', text: T.welcome, buttons });
    save();
  }
  for (const entry of history) {
    delete entry.preview;
    // The page went away mid-send: offer a retry (same message_id); a photo not yet uploaded is gone.
    if (entry.state === 'pending') entry.state = 'failed';
    if (entry.state === 'failed' && (entry.photo || entry.voice) && !entry.upload) entry.state = 'lost';
    render(entry);
  }
  save();
  if (window.visualViewport) {
    const app = $('app');
    const resize = () => {
      if (window.visualViewport.scale > 1.01) return;  // pinch-zoom, not the keyboard
      app.style.height = `${window.visualViewport.height}px`;
      window.scrollTo(0, 0);
      scrollDown();
    };
    window.visualViewport.addEventListener('resize', resize);
    resize();
  }
  fit();
  scrollDown();
  // voice.js records notes and hands them over here, to leave like a photo does.
  window.VENTANILLA_CHAT = { T, note, announce, form, input, send, render };
  if (window.matchMedia('(pointer: fine)').matches) input.focus();  // no surprise keyboard on phones

  // ---- messages that come later: a person from the city's team, or news about a case ----
  const LATER = '/webhooks/rest/messages', CURSOR_KEY = 'ventanilla.cursor';
  let cursor = stored(sessionStorage, CURSOR_KEY, null);
  function forgetHere() {
    history.length = 0;
    cursor = null;
    try { sessionStorage.removeItem(CURSOR_KEY); } catch (e) { /* storage off: nothing kept anyway */ }
    newSender();
  }
  async function poll() {
    try {
      const query = new URLSearchParams({ sender });
      if (Number.isInteger(cursor)) query.set('after', String(cursor));
      const body = await request(`${LATER}?${query}`, { method: 'GET' }, 10000);
      for (const m of (body && Array.isArray(body.messages)) ? body.messages : []) {
        const audio = typeof m.audio === 'string' ? m.audio : undefined;
        if (typeof m.text !== 'string' || (!m.text && !audio)) continue;
        // A question written later (a person's rating, a follow-up's Sí / No / No sé) comes with its choices.
        const buttons = Array.isArray(m.buttons) ? m.buttons.filter((b) => b && b.title && b.payload) : [];
        add({ who: 'bot', text: m.text, buttons, audio }, true);
      }
      if (body && Number.isInteger(body.cursor)) { cursor = body.cursor; keep(sessionStorage, CURSOR_KEY, cursor); }
    } catch { /* offline or server busy: the next poll asks again with the same cursor */ }
    setTimeout(poll, document.hidden ? 30000 : 5000);
  }
  poll();
})();
