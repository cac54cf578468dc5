// The agent's scheduled callbacks: set in wrap-up, listed here; one whose time has come is pushed as the preview
// card (offer.js) while the agent is held for it, and can be dialled from this list as long as it is due.
import { $ } from './dom.js';
import { showProblem } from './notice.js';
import { dialOffer } from './offer.js';
import { api } from './services.js';
import { state } from './store.js';

/** Offers are pushed (and reload this list); this slow look only catches a callback turning missed. */
const REFRESH_MS = 60_000;
let timer = null;

export async function loadCallbacks() {
  if (!state.me?.agentId) return;
  try {
    render(await api.myCallbacks());
  } catch (e) {
    // The list is a convenience: a failed poll waits for the next.
  }
}

function render(callbacks) {
  const list = $('callbacks-list');
  list.replaceChildren();
  $('callbacks-panel').hidden = callbacks.length === 0;
  for (const c of callbacks) {
    const item = document.createElement('li');
    item.dataset.testid = 'callback';
    item.dataset.status = c.status;
    item.dataset.due = String(c.due);
    item.className = c.due ? 'due' : c.status === 'MISSED' ? 'missed' : '';
    const who = document.createElement('strong');
    who.textContent = c.leadName || c.number;
    const what = document.createElement('span');
    what.className = 'muted';
    what.textContent = ` ${c.number} · ${c.localTime.replace('T', ' ')} (${c.zone}) · ${c.previousAttempts} attempt(s)`
      + (c.lastOutcome ? `, last ${c.lastOutcome}` : '') + (c.status === 'MISSED' ? ' · missed' : '');
    item.append(who, what);
    if (c.due) {
      const button = document.createElement('button');
      button.className = 'primary';
      button.dataset.testid = 'callback-dial';
      button.textContent = 'Dial';
      button.addEventListener('click', () => dialCallback(c, button));
      item.append(' ', button);
    }
    list.append(item);
  }
}

async function dialCallback(callback, button) {
  button.disabled = true;
  try {
    await dialOffer('CALLBACK', callback.id, callback.number, callback.leadId);
  } catch (e) {
    showProblem(e);
  } finally {
    loadCallbacks();
  }
}

export function bindCallbacks() {
  if (timer) return;
  timer = setInterval(loadCallbacks, REFRESH_MS);
  loadCallbacks();
}
