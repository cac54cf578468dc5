// The agent softphone page: sign-in, SIP registration, agent state, dialling through the server, the call
// itself, wrap-up and history. Plain DOM; all state lives in this module and render() reflects it.
import { Api, ApiError } from './api.js';
import { AgentEvents } from './agent-events.js';
import { Phone } from './phone.js';
import { Ringer } from './ringer.js';
import { MidCall, PARTY_LABELS, RECORDING_LABELS, transferText } from './midcall.js';
import {
  AGENT_STATE_LABELS, DIRECTION_ICONS, DISPOSITIONS, REGISTRATION_LABELS,
  cleanPastedNumber, dispositionLabel, duration, problemTitle, when,
} from './format.js';

const $ = (id) => document.getElementById(id);
const KEYS = [['1', ''], ['2', 'ABC'], ['3', 'DEF'], ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'], ['*', ''], ['0', '+'], ['#', '']];
// Holding 0 types "+", as on mobile phones.
const LONG_PRESS_MS = 600;

const api = new Api(onSessionExpired);
const ringer = new Ringer();

const state = {
  me: null,
  registration: 'unregistered',
  registrationCause: null,
  agent: { state: 'UNKNOWN', since: null, callId: null, reason: null },
  eventsConnected: false,
  /** POST /api/calls accepted, the server is calling this phone (auto-answer) */
  pendingDial: null,
  /** the SIP call, enriched with what the server tells about it */
  call: null,
  /** conference, transfer and payment pause of the call in progress, once the server's call id is known */
  midCall: null,
  /** the call just ended, waiting for a disposition */
  wrapUp: null,
  /** number and lead of the last call, for Redial */
  last: null,
  /** latest "call" frame per call id */
  serverCalls: new Map(),
  history: { items: [], nextCursor: null, loading: false },
  notice: null,
};

let phone = null;
let events = null;
let timer = null;

// ---- sign-in -------------------------------------------------------------------------------------------------

async function boot() {
  buildKeypads();
  bindControls();
  exposeDebugHook();
  if (api.signedIn) {
    try {
      await startSession();
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.error(e);
    }
  }
  showLogin();
}

function showLogin(message) {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message ?? '';
  $('login-password').value = '';
  $('login-username').focus();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  const submit = event.submitter ?? $('login-form').querySelector('button');
  submit.disabled = true;
  $('login-error').hidden = true;
  try {
    await api.login($('login-username').value.trim(), $('login-password').value);
    // The login click is the user gesture browsers want before audio may play (ringer, remote audio).
    ringer.unlock();
    await startSession();
  } catch (e) {
    $('login-error').textContent = e instanceof ApiError && e.status === 401
      ? 'Wrong username or password.'
      : `Sign-in failed: ${e.message}`;
    $('login-error').hidden = false;
  } finally {
    submit.disabled = false;
  }
}

async function startSession() {
  state.me = await api.me();
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('user-name').textContent = state.me.displayName || state.me.username;
  $('user-extension').textContent = state.me.extension ? `ext. ${state.me.extension}` : '';
  events = new AgentEvents({
    url: () => api.agentEventsUrl(),
    onMessage: onServerEvent,
    onConnectionChange: (connected) => {
      state.eventsConnected = connected;
      // Frames sent while the socket was down are lost: read the call in progress afresh.
      if (connected) state.midCall?.refresh();
      render();
    },
    // A refused handshake may mean an expired token: /api/me answers 401 then, which signs out.
    onRefused: () => api.me().catch(() => {}),
  });
  events.start();
  render();
  loadHistory(true);
  // Agents have a softphone; managers and admins use the page for history only.
  if (state.me.agentId || state.me.extension) await startPhone();
}

async function startPhone() {
  phone?.stop();
  // Each request rotates the SIP password, so a stolen or stale one stops working at the next sign-in.
  const credentials = await api.sipCredentials();
  state.me.extension ??= credentials.extension;
  $('user-extension').textContent = `ext. ${credentials.extension}`;
  phone = new Phone(credentials, $('remote-audio'), {
    onRegistration: (registration, cause) => {
      state.registration = registration;
      state.registrationCause = cause ?? null;
      render();
    },
    onIncoming: onIncomingCall,
    onCallUpdate: onCallUpdate,
    onCallEnded: onCallEnded,
  });
  phone.start();
}

const EXPIRED = 'Your session has expired. Please sign in again.';
let signOutAfterCall = false;

function onSessionExpired() {
  // Never cut a customer off because the token ran out: the SIP registration does not depend on it.
  if (state.call) {
    signOutAfterCall = true;
    showNotice('Session expired', 'You will be asked to sign in again when this call ends.');
    return;
  }
  signOut(EXPIRED);
}

function signOut(message) {
  signOutAfterCall = false;
  ringer.stop();
  phone?.stop();
  phone = null;
  stopMidCall();
  events?.stop();
  events = null;
  api.forget();
  Object.assign(state, {
    me: null, registration: 'unregistered', pendingDial: null, call: null, wrapUp: null, last: null, notice: null,
    agent: { state: 'UNKNOWN', since: null, callId: null, reason: null },
  });
  state.serverCalls.clear();
  state.history = { items: [], nextCursor: null, loading: false };
  stopTimer();
  showLogin(message);
}

// ---- server events -------------------------------------------------------------------------------------------

function onServerEvent(message) {
  if (message.type === 'state') {
    state.agent = message;
    if (message.callId && state.call && !state.call.callId) state.call.callId = message.callId;
    // After a reload in WRAP_UP the page knows no call: offer the disposition for the server's call.
    if (message.state === 'WRAP_UP' && message.callId && !state.call && !state.wrapUp) {
      const known = state.serverCalls.get(message.callId);
      openWrapUp({ callId: message.callId, number: known?.number ?? '', leadId: known?.leadId ?? null });
    }
  } else if (message.type === 'call') {
    state.serverCalls.set(message.callId, message);
    const call = state.call;
    // An inbound call rings the phone before (or after) its frame arrives: the one call in progress is this one.
    if (call && (call.callId === message.callId || (!call.callId && message.state !== 'ENDED'))) {
      applyServerCall(call, message);
      // Every change the screen shows is pushed (parties, recording, transfer): read the call's present again.
      if (ensureMidCall() === 'existing') state.midCall.refresh();
    }
    if (state.wrapUp && state.wrapUp.callId === message.callId && message.number) {
      state.wrapUp.number = message.number;
      state.wrapUp.leadId ??= message.leadId;
    }
  }
  render();
}

function applyServerCall(call, frame) {
  call.callId = frame.callId;
  call.serverState = frame.state;
  if (frame.number) call.number = frame.number;
  if (frame.leadId) call.leadId = frame.leadId;
  if (frame.direction) call.direction = frame.direction;
  if (frame.state === 'TALKING' && !call.talkingSince) call.talkingSince = Date.now();
}

// ---- the call ------------------------------------------------------------------------------------------------

function onIncomingCall(call) {
  adoptCall(call);
  ringer.start();
  render();
}

function onCallUpdate(call) {
  if (state.call !== call) adoptCall(call);
  if (call.status !== 'ringing') ringer.stop();
  if (call.status === 'talking') startTimer();
  ensureMidCall();
  render();
}

/** Starts following the call's legs and recording once it is answered here and its server id is known. */
function ensureMidCall() {
  const call = state.call;
  const callId = call?.callId;
  if (!callId || call.status !== 'talking') return null;
  if (state.midCall?.callId === callId) return 'existing';
  stopMidCall();
  state.midCall = new MidCall(api, callId, render);
  state.midCall.start();
  return 'new';
}

function stopMidCall() {
  state.midCall?.stop();
  state.midCall = null;
}

function adoptCall(call) {
  state.call = call;
  const pending = state.pendingDial;
  if (call.autoAnswer && pending && pending.callId === call.callId) {
    // The INVITE shows Asterisk's caller ID; the agent wants to see whom they dialled.
    call.number = pending.number;
    call.leadId = pending.leadId;
    state.pendingDial = null;
  }
  const frame = call.callId ? state.serverCalls.get(call.callId) : latestUnansweredServerCall();
  if (frame) applyServerCall(call, frame);
}

/** An inbound call's frame can arrive before its INVITE: the newest call still being routed or ringing. */
function latestUnansweredServerCall() {
  let latest = null;
  for (const frame of state.serverCalls.values()) {
    if (frame.direction !== 'outbound' && ['ROUTING', 'RINGING'].includes(frame.state)) latest = frame;
  }
  return latest;
}

function onCallEnded(call, cause) {
  ringer.stop();
  stopTimer();
  stopMidCall();
  state.call = null;
  if (signOutAfterCall) {
    signOut(EXPIRED);
    return;
  }
  if (call.confirmedAt) {
    const talkedFrom = call.talkingSince ?? call.confirmedAt;
    openWrapUp({
      callId: call.callId ?? state.agent.callId,
      number: call.number,
      leadId: call.leadId ?? null,
      direction: call.direction,
      talkSeconds: call.talkingSince || call.direction !== 'outbound' ? (Date.now() - talkedFrom) / 1000 : 0,
    });
  } else if (call.direction === 'inbound' && cause !== 'rejected') {
    showNotice('Missed call', call.number);
  }
  render();
  // The server writes the call record when its last leg is gone, a moment after our BYE.
  setTimeout(() => loadHistory(true), 1000);
}

function openWrapUp(wrapUp) {
  state.wrapUp = { saving: false, saved: false, ...wrapUp };
  state.last = { number: wrapUp.number, leadId: wrapUp.leadId };
  $('wrapup-code').value = '';
  $('wrapup-note').value = '';
}

async function submitDisposition(event) {
  event?.preventDefault();
  const wrapUp = state.wrapUp;
  const code = $('wrapup-code').value;
  if (!wrapUp || !code) {
    showNotice('Choose a disposition', 'Pick how the call ended before saving.');
    return false;
  }
  if (!wrapUp.callId) {
    showNotice('Cannot save the disposition', 'The server has not told which call this was.');
    return false;
  }
  wrapUp.saving = true;
  render();
  try {
    await api.dispose(wrapUp.callId, code, $('wrapup-note').value.trim());
    state.wrapUp = null;
    clearNotice();
    loadHistory(true);
    return true;
  } catch (e) {
    wrapUp.saving = false;
    showProblem(e);
    return false;
  } finally {
    render();
  }
}

async function redial() {
  const last = state.last;
  if (!last?.number) return;
  // A chosen but unsaved disposition is saved first: the server keeps an agent in wrap-up until then.
  if (state.wrapUp && $('wrapup-code').value && !(await submitDisposition())) return;
  await dial(last.number, last.leadId);
}

async function dial(number, leadId) {
  number = number.trim();
  if (!number) {
    showNotice('Enter a number', 'Type, paste or dial the number to call.');
    return;
  }
  $('dial-call').disabled = true;
  clearNotice();
  try {
    const accepted = await api.dial(number, leadId || undefined);
    state.pendingDial = { callId: accepted.callId, number: accepted.number, leadId: leadId || null, at: Date.now() };
    state.last = { number: accepted.number, leadId: leadId || null };
    // The INVITE for this call may have arrived before the response: adopt it now.
    if (state.call?.autoAnswer && state.call.callId === accepted.callId) adoptCall(state.call);
    $('dial-number').value = '';
  } catch (e) {
    showProblem(e);
  } finally {
    $('dial-call').disabled = false;
    render();
  }
}

function startTimer() {
  if (!timer) timer = setInterval(renderTimer, 500);
}

function stopTimer() {
  clearInterval(timer);
  timer = null;
}

// ---- agent state and history ---------------------------------------------------------------------------------

async function setAgentState(wanted) {
  try {
    state.agent = { ...state.agent, ...(await api.setAgentState(wanted)) };
    clearNotice();
  } catch (e) {
    showProblem(e);
  }
  render();
}

async function loadHistory(fromStart) {
  if (!api.signedIn || state.history.loading) return;
  state.history.loading = true;
  try {
    const page = await api.history(fromStart ? null : state.history.nextCursor);
    state.history.items = fromStart ? page.items : state.history.items.concat(page.items);
    state.history.nextCursor = page.nextCursor ?? null;
  } catch (e) {
    if (e.status !== 401) showProblem(e);
  } finally {
    state.history.loading = false;
    renderHistory();
  }
}

async function downloadRecording(item) {
  try {
    await api.downloadRecording(item.recordingUrl, `call-${item.createdAt?.slice(0, 10) ?? ''}-${item.number ?? item.id}.wav`);
  } catch (e) {
    showProblem(e);
  }
}

// ---- notices -------------------------------------------------------------------------------------------------

function showProblem(error) {
  if (error instanceof ApiError) showNotice(problemTitle(error), error.detail);
  else showNotice('Something went wrong', error.message);
}

function showNotice(title, detail) {
  state.notice = { title, detail: detail ?? '' };
  render();
}

function clearNotice() {
  state.notice = null;
  render();
}

// ---- rendering -----------------------------------------------------------------------------------------------

function render() {
  if (!state.me) return;
  const registration = $('registration');
  registration.dataset.state = state.registration;
  registration.textContent = REGISTRATION_LABELS[state.registration] ?? state.registration;
  registration.title = state.registrationCause ?? '';

  const agent = $('agent-state');
  agent.dataset.state = state.agent.state;
  agent.textContent = AGENT_STATE_LABELS[state.agent.state] ?? state.agent.state;
  agent.title = state.agent.reason ?? '';
  $('events-offline').hidden = state.eventsConnected;
  const busy = ['ON_CALL', 'WRAP_UP'].includes(state.agent.state) || Boolean(state.call);
  $('state-available').disabled = busy || state.agent.state === 'AVAILABLE';
  $('state-break').disabled = busy || state.agent.state === 'BREAK';

  $('notice').hidden = !state.notice;
  $('notice-title').textContent = state.notice?.title ?? '';
  $('notice-detail').textContent = state.notice?.detail ?? '';

  const call = state.call;
  const ringing = call?.status === 'ringing';
  $('incoming-panel').hidden = !ringing;
  $('call-panel').hidden = !call || ringing;
  $('wrapup-panel').hidden = Boolean(call) || !state.wrapUp;
  $('dial-panel').hidden = Boolean(call) || Boolean(state.wrapUp);
  document.title = ringing ? `Incoming call ${call.number}` : call ? `On call ${call.number}` : 'Softphone';

  if (ringing) {
    $('incoming-number').textContent = call.number;
    $('incoming-name').textContent = call.name && call.name !== call.number ? call.name : '';
  }
  if (call && !ringing) {
    $('call-direction').textContent = call.direction === 'outbound' ? 'Outbound call' : 'Inbound call';
    $('call-number').textContent = call.number;
    $('call-status').textContent = callStatusText(call);
    $('call-panel').dataset.status = call.status;
    setPressed($('call-mute'), call.muted, 'Unmute', 'Mute');
    setPressed($('call-hold'), call.held, 'Resume', 'Hold');
    $('dtmf-sent').textContent = call.dtmfSent;
    renderTimer();
    renderMidCall(call);
  }
  if (state.wrapUp) {
    const w = state.wrapUp;
    $('wrapup-summary').textContent = [w.number, w.talkSeconds ? duration(w.talkSeconds) : ''].filter(Boolean).join(' · ');
    $('wrapup-submit').disabled = w.saving;
    $('wrapup-redial').disabled = w.saving || !state.last?.number;
  }
  const dialStatus = state.pendingDial ? `Calling your phone for ${state.pendingDial.number}…` : '';
  $('dial-call').textContent = dialStatus || 'Call';
}

function renderMidCall(call) {
  const mid = state.midCall;
  // Mid-call requests need the far end connected; the server refuses them while it still rings.
  const connected = Boolean(mid) && call.status === 'talking' && (!call.serverState || call.serverState === 'TALKING');
  const transfer = mid?.transfer ?? null;

  const recording = mid?.recording ?? 'unknown';
  const indicator = $('recording-indicator');
  indicator.dataset.state = recording;
  indicator.textContent = RECORDING_LABELS[recording] ?? '';
  indicator.hidden = !RECORDING_LABELS[recording];
  indicator.title = recording === 'paused' ? 'Card details are safe to speak: the recording holds silence' : '';
  const toggle = $('recording-toggle');
  setPressed(toggle, recording === 'paused', 'Resume recording', 'Pause recording');
  toggle.disabled = !connected || mid.busy.recording || recording === 'off';
  renderError('recording-error', mid?.errors.recording);

  $('party-form').hidden = Boolean(transfer);
  $('party-target').disabled = !connected;
  $('party-add').disabled = !connected || mid.busy.party || mid.full;
  $('party-full').hidden = !mid?.full || Boolean(transfer);
  $('party-list').replaceChildren(...(mid?.parties ?? []).map(partyItem));
  renderError('party-error', mid?.errors.party);

  const conference = (mid?.liveLegs ?? 0) > 2;
  $('transfer-form').hidden = Boolean(transfer);
  $('transfer-target').disabled = !connected;
  for (const id of ['transfer-blind', 'transfer-attended']) {
    const button = $(id);
    button.disabled = !connected || mid.busy.transfer || conference;
    button.dataset.hint ??= button.title;
    button.title = conference ? 'A conference cannot be transferred' : button.dataset.hint;
  }
  const status = $('transfer-status');
  status.hidden = !transfer;
  status.dataset.state = transfer?.state ?? '';
  status.dataset.mode = transfer?.mode ?? '';
  $('transfer-status-text').textContent = transfer ? transferText(transfer) : '';
  $('transfer-attended-actions').hidden = transfer?.mode !== 'attended';
  $('transfer-complete').disabled = !transfer || mid.busy.transfer || transfer.state !== 'consulting';
  $('transfer-cancel').disabled = !transfer || mid.busy.transfer || !['ringing', 'consulting'].includes(transfer.state);
  renderError('transfer-error', mid?.errors.transfer);
}

function partyItem(party) {
  const li = document.createElement('li');
  li.dataset.testid = 'party';
  li.dataset.state = party.state;
  li.dataset.legId = party.legId ?? '';
  const who = document.createElement('span');
  who.className = 'party-target';
  who.dataset.testid = 'party-target-label';
  who.textContent = party.number && party.number !== party.target ? `${party.target} (${party.number})` : party.target;
  const what = document.createElement('span');
  what.className = 'party-state';
  what.dataset.testid = 'party-state';
  what.textContent = [PARTY_LABELS[party.state] ?? party.state, party.detail].filter(Boolean).join(': ');
  li.append(who, what);
  return li;
}

function renderError(id, error) {
  const element = $(id);
  element.hidden = !error;
  element.textContent = error ? [error.title, error.detail].filter(Boolean).join(': ') : '';
  element.dataset.type = error?.type ?? '';
}

function callStatusText(call) {
  if (call.held) return 'On hold';
  const transfer = state.midCall?.transfer;
  if (transfer?.mode === 'attended' && transfer.state === 'consulting') return 'Consulting';
  if (call.status === 'connecting') return 'Connecting…';
  switch (call.serverState) {
    case 'ROUTING': return 'Dialling…';
    case 'RINGING': return 'Ringing…';
    case 'ENDING': return 'Ending…';
    default: return 'Connected';
  }
}

function renderTimer() {
  const call = state.call;
  if (!call) return;
  // Talk time: from the far end answering (server) when known, else from our own answer.
  const from = call.talkingSince ?? (call.direction === 'outbound' && call.serverState ? null : call.confirmedAt);
  $('call-timer').textContent = from ? duration((Date.now() - from) / 1000) : '';
}

function setPressed(button, pressed, onLabel, offLabel) {
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = pressed ? onLabel : offLabel;
}

function renderHistory() {
  const body = $('history-rows');
  body.replaceChildren(...state.history.items.map(historyRow));
  $('history-empty').hidden = state.history.items.length > 0;
  $('history-more').hidden = !state.history.nextCursor;
  $('history-more').disabled = state.history.loading;
}

function historyRow(item) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'history-row';
  tr.dataset.callId = item.id;
  const cells = [
    ['dir', DIRECTION_ICONS[item.direction] ?? '', item.direction],
    ['number', item.number ?? ''],
    ['lead', item.leadId ?? ''],
    ['when', when(item.createdAt)],
    ['duration', item.answeredAt ? duration(item.durationSeconds) : 'not answered'],
    ['disposition', dispositionLabel(item.disposition)],
  ];
  for (const [name, text, title] of cells) {
    const td = document.createElement('td');
    td.className = name;
    td.dataset.testid = `history-${name}`;
    td.textContent = text;
    if (title) td.title = title;
    tr.append(td);
  }
  const recording = document.createElement('td');
  if (item.recordingUrl) {
    const button = document.createElement('button');
    button.className = 'link';
    button.dataset.testid = 'history-recording';
    button.textContent = 'Recording';
    button.addEventListener('click', () => downloadRecording(item));
    recording.append(button);
  }
  tr.append(recording);
  return tr;
}

// ---- controls ------------------------------------------------------------------------------------------------

function buildKeypads() {
  for (const [padId, onKey] of [['dialpad', typeDigit], ['dtmf-pad', (key) => phone?.sendDtmf(key)]]) {
    const pad = $(padId);
    for (const [key, letters] of KEYS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.testid = `${padId}-${key === '*' ? 'star' : key === '#' ? 'hash' : key}`;
      button.dataset.key = key;
      button.innerHTML = `${key}<small>${letters || '&nbsp;'}</small>`;
      if (padId === 'dialpad' && key === '0') bindLongPress(button, () => typeDigit('+'), () => typeDigit('0'));
      else button.addEventListener('click', () => onKey(key));
      pad.append(button);
    }
  }
}

function bindLongPress(button, onLong, onShort) {
  let pressTimer = null;
  let fired = false;
  button.addEventListener('pointerdown', () => {
    fired = false;
    pressTimer = setTimeout(() => { fired = true; onLong(); }, LONG_PRESS_MS);
  });
  const cancel = () => clearTimeout(pressTimer);
  button.addEventListener('pointerup', cancel);
  button.addEventListener('pointerleave', cancel);
  button.addEventListener('click', () => { if (!fired) onShort(); });
}

function typeDigit(key) {
  const input = $('dial-number');
  input.value += key;
  input.focus();
}

function bindControls() {
  $('login-form').addEventListener('submit', onLoginSubmit);
  // After a reload the sign-in click is gone: the first click anywhere lets the ringer play.
  document.addEventListener('pointerdown', () => ringer.unlock(), { once: true });
  $('logout').addEventListener('click', () => {
    if (state.call && !confirm('Hang up and sign out?')) return;
    signOut();
  });
  $('state-available').addEventListener('click', () => setAgentState('AVAILABLE'));
  $('state-break').addEventListener('click', () => setAgentState('BREAK'));
  $('notice-close').addEventListener('click', clearNotice);
  $('registration').addEventListener('click', () => {
    if (['failed', 'disconnected'].includes(state.registration) && !state.call) startPhone().catch(showProblem);
  });

  const number = $('dial-number');
  number.addEventListener('paste', (event) => {
    event.preventDefault();
    const text = cleanPastedNumber(event.clipboardData.getData('text'));
    number.setRangeText(text, number.selectionStart, number.selectionEnd, 'end');
  });
  $('dial-form').addEventListener('submit', (event) => {
    event.preventDefault();
    dial(number.value, $('dial-lead').value.trim());
  });
  $('dial-backspace').addEventListener('click', () => {
    number.value = number.value.slice(0, -1);
    number.focus();
  });
  $('dial-call').addEventListener('click', () => dial(number.value, $('dial-lead').value.trim()));

  $('incoming-answer').addEventListener('click', () => { ringer.stop(); phone?.answer(); });
  $('incoming-reject').addEventListener('click', () => { ringer.stop(); phone?.reject(); });
  $('call-mute').addEventListener('click', () => phone?.toggleMute());
  $('call-hold').addEventListener('click', () => phone?.toggleHold());
  $('call-keypad-toggle').addEventListener('click', (event) => {
    const pad = $('dtmf-pad');
    pad.hidden = !pad.hidden;
    event.currentTarget.setAttribute('aria-pressed', String(!pad.hidden));
  });
  $('call-hangup').addEventListener('click', () => phone?.hangup());

  $('recording-toggle').addEventListener('click', () => {
    const mid = state.midCall;
    mid?.setRecordingPaused(mid.recording !== 'paused');
  });
  $('party-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (state.midCall && await state.midCall.addParty($('party-target').value)) $('party-target').value = '';
  });
  const startTransfer = async (mode) => {
    if (state.midCall && await state.midCall.startTransfer($('transfer-target').value, mode)) $('transfer-target').value = '';
  };
  $('transfer-form').addEventListener('submit', (event) => {
    // Enter in the target field: the safe choice, talking to the target first.
    event.preventDefault();
    startTransfer('attended');
  });
  $('transfer-blind').addEventListener('click', () => startTransfer('blind'));
  $('transfer-attended').addEventListener('click', () => startTransfer('attended'));
  $('transfer-complete').addEventListener('click', () => state.midCall?.completeTransfer());
  $('transfer-cancel').addEventListener('click', () => state.midCall?.cancelTransfer());

  const codes = $('wrapup-code');
  for (const [code, label] of DISPOSITIONS) codes.add(new Option(label, code));
  $('wrapup-panel').addEventListener('submit', submitDisposition);
  $('wrapup-redial').addEventListener('click', redial);

  $('history-refresh').addEventListener('click', () => loadHistory(true));
  $('history-more').addEventListener('click', () => loadHistory(false));

  window.addEventListener('beforeunload', (event) => {
    if (state.call) {
      event.preventDefault();
      return;
    }
    // Unregister now rather than leave the server ringing a closed tab until the registration expires.
    phone?.stop();
  });
}

// Read-only view for tests and for support staff in the browser console.
function exposeDebugHook() {
  window.softphone = Object.freeze({
    state: () => JSON.parse(JSON.stringify({
      signedIn: Boolean(state.me),
      user: state.me && { username: state.me.username, extension: state.me.extension },
      registration: state.registration,
      agentState: state.agent.state,
      agentCallId: state.agent.callId ?? null,
      eventsConnected: state.eventsConnected,
      pendingDial: state.pendingDial,
      call: state.call,
      midCall: state.midCall?.snapshot() ?? null,
      wrapUp: state.wrapUp,
      last: state.last,
      notice: state.notice,
      historyCount: state.history.items.length,
    })),
    stats: () => (phone ? phone.stats() : Promise.resolve(null)),
  });
}

boot();
