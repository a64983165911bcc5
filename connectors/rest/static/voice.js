/* Ventanilla web chat: a voice note recorded in the browser, handed to chat.js to leave like a photo. */
(() => {
  'use strict';
  const chat = window.VENTANILLA_CHAT;  // from chat.js, loaded first
  // The server says how long a note may be; 0 means it takes none (voice off, or no transcriber).
  const MAX_SECONDS = Number(document.body.dataset.voiceSeconds) || 0;
  const canRecord = MAX_SECONDS > 0 && typeof window.MediaRecorder === 'function' &&
    Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  document.body.dataset.microphone = chat && canRecord ? 'offered' : 'none';
  if (!chat || !canRecord) return;  // the button stays hidden: the chat works as before
  const $ = (id) => document.getElementById(id);
  const micBtn = $('mic-btn'), bar = $('recorder'), time = $('rec-time'), state = $('rec-state');
  const sendBtn = $('rec-send'), cancelBtn = $('rec-cancel');
  const row = chat.form.querySelector('.row'), tools = chat.form.querySelector('.tools');
  const T = chat.T;
  micBtn.hidden = false;

  // What the server takes, in the order a browser is asked: Chromium and Firefox make WebM or Ogg with
  // Opus, Safari makes MP4. About 32 kbit/s keeps a two-minute note near half a megabyte.
  const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm', 'audio/ogg'];
  const EXTENSIONS = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a' };
  const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  let current = null;  // the note being recorded, or recorded and not yet sent or deleted

  function show(recording) {
    bar.hidden = !recording;
    row.hidden = recording;
    tools.hidden = recording;
  }
  function close(focus) {
    show(false);
    current = null;
    (focus || micBtn).focus();
  }
  function tick(note) {
    const seconds = Math.min((Date.now() - note.started) / 1000, MAX_SECONDS);
    time.textContent = `${clock(seconds)} / ${clock(MAX_SECONDS)}`;
    if (seconds >= MAX_SECONDS && note.media.state === 'recording') {
      note.media.stop();  // the longest note the city takes: kept, waiting for send or delete
      state.textContent = T.recordingFull;
      chat.announce(T.recordingFull);
    }
  }

  async function start() {
    if (current) return;
    micBtn.disabled = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      const denied = err && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
      chat.note(denied ? T.micDenied : T.micFailed);
      return;
    } finally {
      micBtn.disabled = false;
    }
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t));
    let media;
    try {
      media = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: 32000 });
    } catch {
      stream.getTracks().forEach((t) => t.stop());
      chat.note(T.micFailed);
      return;
    }
    const note = { media, chunks: [], started: Date.now(), blob: null, then: null };
    current = note;
    media.addEventListener('dataavailable', (e) => { if (e.data && e.data.size) note.chunks.push(e.data); });
    media.addEventListener('stop', () => {
      clearInterval(note.timer);
      stream.getTracks().forEach((t) => t.stop());  // the browser's "recording" light goes off at once
      note.blob = new Blob(note.chunks, { type: media.mimeType || (note.chunks[0] && note.chunks[0].type) || '' });
      if (note.then) note.then();
    });
    media.start(1000);
    state.textContent = T.recording;
    tick(note);
    note.timer = setInterval(() => tick(note), 250);
    show(true);
    sendBtn.focus();
    chat.announce(T.recordingStarted);
  }

  function deliver(note) {
    close(chat.input);
    if (!note.blob || !note.blob.size) { chat.note(T.micFailed); return; }
    const type = note.blob.type.split(';')[0].trim().toLowerCase();
    const file = new File([note.blob], `nota.${EXTENSIONS[type] || 'webm'}`, { type: note.blob.type });
    const entry = chat.send('', T.voiceSent, {}, { file, voice: true });
    entry.preview = URL.createObjectURL(file);  // played back at once; the server's URL after upload
    chat.render(entry);
  }
  function finish() {
    const note = current;
    if (!note) return;
    if (note.blob) { deliver(note); return; }
    note.then = () => deliver(note);
    if (note.media.state !== 'inactive') note.media.stop();  // a second tap only waits for the first
  }
  function cancel() {
    const note = current;
    if (!note) return;
    note.then = null;
    if (note.media.state !== 'inactive') note.media.stop();
    close();
    chat.announce(T.voiceCancelled);
  }

  micBtn.addEventListener('click', start);
  sendBtn.addEventListener('click', finish);
  cancelBtn.addEventListener('click', cancel);
  bar.addEventListener('keydown', (e) => { if (e.key === 'Escape') cancel(); });
  // Leaving the page mid-note: the microphone is let go, nothing is sent.
  window.addEventListener('pagehide', cancel);
})();
