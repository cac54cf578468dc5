// After a call: the disposition (how it ended, with a note) and Redial. The server keeps the agent in wrap-up
// until the disposition is saved.
import { $ } from './dom.js';
import { SELECTABLE_DISPOSITIONS } from './contract.js';
import { dial } from './dialpad.js';
import { duration } from './format.js';
import { loadCallbacks } from './callbacks.js';
import { loadHistory } from './history.js';
import { clearNotice, showNotice, showProblem } from './notice.js';
import { api } from './services.js';
import { notify, state } from './store.js';

export function openWrapUp(wrapUp) {
  state.wrapUp = { saving: false, saved: false, ...wrapUp };
  state.last = { number: wrapUp.number, leadId: wrapUp.leadId };
  $('wrapup-code').value = '';
  $('wrapup-note').value = '';
  $('wrapup-callback-at').value = '';
  $('wrapup-callback-owner').value = 'AGENT';
}

/** A CALLBACK of a dialled person carries a time and an owner; the server checks it against calling hours. */
function wantsCallbackTime() {
  return $('wrapup-code').value === 'CALLBACK' && Boolean(state.wrapUp?.leadId);
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
  if (wantsCallbackTime() && !$('wrapup-callback-at').value) {
    showNotice('Choose when to call back', "Give the time the person asked for, on their clock.");
    return false;
  }
  wrapUp.saving = true;
  notify();
  try {
    // The callback first: a time the server refuses (outside calling hours) leaves the wrap-up open to fix it.
    if (wantsCallbackTime()) {
      await api.scheduleCallback(wrapUp.callId, $('wrapup-callback-at').value, $('wrapup-callback-owner').value);
      loadCallbacks();
    }
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
    notify();
  }
}

async function redial() {
  const last = state.last;
  if (!last?.number) return;
  // A chosen but unsaved disposition is saved first: the server keeps an agent in wrap-up until then.
  if (state.wrapUp && $('wrapup-code').value && !(await submitDisposition())) return;
  await dial(last.number, last.leadId);
}

export function renderWrapUp() {
  if (!state.wrapUp) return;
  const w = state.wrapUp;
  $('wrapup-summary').textContent = [w.number, w.talkSeconds ? duration(w.talkSeconds) : ''].filter(Boolean).join(' · ');
  $('wrapup-submit').disabled = w.saving;
  $('wrapup-redial').disabled = w.saving || !state.last?.number;
  $('wrapup-callback').hidden = !wantsCallbackTime();
}

export function bindWrapUp() {
  const codes = $('wrapup-code');
  for (const [code, label] of SELECTABLE_DISPOSITIONS) codes.add(new Option(label, code));
  $('wrapup-panel').addEventListener('submit', submitDisposition);
  $('wrapup-redial').addEventListener('click', redial);
  codes.addEventListener('change', notify);
}
