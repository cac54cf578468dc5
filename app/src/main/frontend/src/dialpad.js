// The idle phone: number field, dialpad and Call. Dialling asks the server to call this phone first (auto-answered)
// and then the number, so the page never sends an INVITE itself.
import { adoptCall } from './calls.js';
import { $ } from './dom.js';
import { cleanPastedNumber } from './format.js';
import { clearNotice, showNotice, showProblem } from './notice.js';
import { api } from './services.js';
import { notify, state } from './store.js';

const KEYS = [['1', ''], ['2', 'ABC'], ['3', 'DEF'], ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'], ['*', ''], ['0', '+'], ['#', '']];
// Holding 0 types "+", as on mobile phones.
const LONG_PRESS_MS = 600;

/** Fills a keypad element with the twelve keys; onLongZero, if given, is what holding 0 does. */
export function buildKeypad(padId, onKey, onLongZero) {
  const pad = $(padId);
  for (const [key, letters] of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.testid = `${padId}-${key === '*' ? 'star' : key === '#' ? 'hash' : key}`;
    button.dataset.key = key;
    button.innerHTML = `${key}<small>${letters || '&nbsp;'}</small>`;
    if (onLongZero && key === '0') bindLongPress(button, onLongZero, () => onKey('0'));
    else button.addEventListener('click', () => onKey(key));
    pad.append(button);
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

export async function dial(number, leadId) {
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
    notify();
  }
}

export function renderDialpad() {
  const dialStatus = state.pendingDial ? `Calling your phone for ${state.pendingDial.number}…` : '';
  $('dial-call').textContent = dialStatus || 'Call';
}

export function bindDialpad() {
  buildKeypad('dialpad', typeDigit, () => typeDigit('+'));
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
}
