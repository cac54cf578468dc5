// The preview card: what the server offers this agent to dial (a PREVIEW campaign's next lead, or their own
// callback whose time has come), pushed over the agent socket while the server holds the agent for it (no queue or
// inbound call reaches them meanwhile). Dial places the call with the lead's id, as Redial does, and that call takes
// the hold over; Skip (previews only) gives the lead back to the list with the agent's reason.
import { $ } from './dom.js';
import { dial } from './dialpad.js';
import { when } from './format.js';
import { showProblem } from './notice.js';
import { api } from './services.js';
import { notify, state } from './store.js';

let current = null;

/** The pushed offer, or null when it ended (dialled, skipped, timed out). */
export function showOffer(offer) {
  current = offer ?? null;
  state.offerId = current?.id ?? null;
  render();
  notify();
}

/** What stands now: read when the page opens and after the socket was down (frames sent meanwhile are lost). */
export async function loadOffer() {
  if (!state.me?.agentId) return;
  try {
    showOffer(await api.myOffer());
  } catch (e) {
    // The card comes back with the next push.
  }
}

/** Settles the offer on the server (a callback done, a preview checked by the calling-hours and do-not-call guard), then places the call. */
export async function dialOffer(kind, id, number, leadId) {
  if (kind === 'PREVIEW') await api.dialPreview(id);
  else await api.dialCallback(id);
  await dial(number, leadId);
}

function render() {
  const panel = $('offer-panel');
  panel.hidden = !current;
  if (!current) return;
  const o = current;
  panel.dataset.kind = o.kind;
  $('offer-title').textContent = o.kind === 'CALLBACK' ? 'Your callback is due' : `Preview · ${o.campaignName}`;
  $('offer-name').textContent = o.leadName || o.number;
  $('offer-number').textContent = o.number;
  $('offer-details').textContent = [o.externalId && `ref. ${o.externalId}`, o.zone].filter(Boolean).join(' · ');
  const fields = $('offer-fields');
  fields.replaceChildren();
  for (const [name, value] of Object.entries(o.fields ?? {})) {
    const label = document.createElement('dt');
    label.textContent = name.replaceAll('_', ' ');
    const text = document.createElement('dd');
    text.dataset.testid = `offer-field-${name}`;
    text.textContent = value;
    fields.append(label, text);
  }
  fields.hidden = fields.children.length === 0;
  const attempts = $('offer-attempts');
  attempts.replaceChildren();
  for (const a of o.previousAttempts) {
    const item = document.createElement('li');
    item.dataset.testid = 'offer-attempt';
    item.textContent = `${when(a.at)} · ${a.outcome ?? 'not dialled'}${a.detail ? ` (${a.detail})` : ''}`;
    attempts.append(item);
  }
  if (o.previousAttempts.length === 0) {
    const item = document.createElement('li');
    item.className = 'muted';
    item.textContent = 'First call';
    attempts.append(item);
  }
  $('offer-expiry').textContent = `Held for you until ${when(o.expiresAt)}, then the lead goes back.`;
  $('offer-skip').hidden = $('offer-skip-reason').hidden = o.kind !== 'PREVIEW';
  $('offer-dial').disabled = $('offer-skip').disabled = false;
}

async function act(work) {
  const offer = current;
  if (!offer) return;
  $('offer-dial').disabled = $('offer-skip').disabled = true;
  try {
    await work(offer);
  } catch (e) {
    showProblem(e);
    loadOffer();
  }
}

export function bindOffer() {
  $('offer-dial').addEventListener('click', () => act((o) => dialOffer(o.kind, o.id, o.number, o.leadId)));
  $('offer-skip').addEventListener('click', () => act(async (o) => {
    await api.skipPreview(o.id, $('offer-skip-reason').value.trim());
    $('offer-skip-reason').value = '';
  }));
  loadOffer();
}
