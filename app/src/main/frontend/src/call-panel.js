// The phone card while a call exists: the incoming call (Answer / Reject) or the call in progress (status, timer,
// mute, hold, keypad, hang up). Which of the card's panels shows is decided here too, as it follows the call.
import { canDial } from './roles.js';
import { buildKeypad } from './dialpad.js';
import { $, setPressed } from './dom.js';
import { duration } from './format.js';
import { renderMidCall } from './midcall-panel.js';
import { phones, ringer } from './services.js';
import { state } from './store.js';

let timer = null;

export function startTimer() {
  if (!timer) timer = setInterval(renderTimer, 500);
}

export function stopTimer() {
  clearInterval(timer);
  timer = null;
}

function renderTimer() {
  const call = state.call;
  if (!call) return;
  // Talk time: from the far end answering (server) when known, else from our own answer.
  const from = call.talkingSince ?? (call.direction === 'outbound' && call.serverState ? null : call.confirmedAt);
  $('call-timer').textContent = from ? duration((Date.now() - from) / 1000) : '';
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

export function renderCallPanels() {
  const call = state.call;
  const ringing = call?.status === 'ringing';
  $('incoming-panel').hidden = !ringing;
  $('call-panel').hidden = !call || ringing;
  $('wrapup-panel').hidden = Boolean(call) || !state.wrapUp;
  $('dial-panel').hidden = Boolean(call) || Boolean(state.wrapUp) || !canDial(state.me);
  document.title = ringing ? `Incoming call ${call.number}` : call ? `On call ${call.number}` : 'Softphone';

  if (ringing) {
    $('incoming-number').textContent = call.number;
    $('incoming-name').textContent = call.name && call.name !== call.number ? call.name : '';
    const queue = $('incoming-queue');
    queue.hidden = !call.queue;
    if (call.queue) {
      const waited = Math.max(0, Math.round((Date.now() - call.queue.since) / 1000));
      queue.textContent = `Queue ${call.queue.name} · waited ${duration(waited)}`;
    }
    $('incoming-path').hidden = !call.menuPath;
    $('incoming-path').textContent = call.menuPath ? `Menu ${call.menuPath.join(' › ')}` : '';
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
}

export function bindCallPanels() {
  buildKeypad('dtmf-pad', (key) => phones.current?.sendDtmf(key));
  $('incoming-answer').addEventListener('click', () => { ringer.stop(); phones.current?.answer(); });
  $('incoming-reject').addEventListener('click', () => { ringer.stop(); phones.current?.reject(); });
  $('call-mute').addEventListener('click', () => phones.current?.toggleMute());
  $('call-hold').addEventListener('click', () => phones.current?.toggleHold());
  $('call-keypad-toggle').addEventListener('click', (event) => {
    const pad = $('dtmf-pad');
    pad.hidden = !pad.hidden;
    event.currentTarget.setAttribute('aria-pressed', String(!pad.hidden));
  });
  $('call-hangup').addEventListener('click', () => phones.current?.hangup());
}
