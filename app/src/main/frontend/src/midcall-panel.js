// Mid-call controls of the call in progress: pause the recording while card details are spoken, add a party
// (conference), transfer blind or attended. What each shows comes from MidCall (midcall.js); errors show the
// server's problem detail beside the control that caused them.
import { MAX_PARTIES } from './contract.js';
import { $, renderError, setPressed } from './dom.js';
import { PARTY_LABELS, RECORDING_LABELS, transferText } from './midcall.js';
import { state } from './store.js';

export function renderMidCall(call) {
  const mid = state.midCall;
  // Mid-call requests need the far end connected; the server refuses them while it still rings.
  const connected = Boolean(mid) && call.status === 'talking' && (!call.serverState || call.serverState === 'TALKING');
  const transfer = mid?.transfer ?? null;

  const recording = mid?.recording ?? 'unknown';
  const indicator = $('recording-indicator');
  indicator.dataset.state = recording;
  indicator.textContent = RECORDING_LABELS[recording] ?? '';
  indicator.hidden = !RECORDING_LABELS[recording];
  indicator.title = recording === 'paused' ? 'Card details are safe to speak: the recording holds silence'
    : recording === 'failed' ? 'Your team records calls, but this call could not be recorded (see the call\'s events)' : '';
  const toggle = $('recording-toggle');
  setPressed(toggle, recording === 'paused', 'Resume recording', 'Pause recording');
  toggle.disabled = !connected || mid.busy.recording || recording === 'off' || recording === 'failed';
  // Nothing to pause: the warning takes the whole line.
  toggle.hidden = recording === 'failed';
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

export function bindMidCall() {
  $('party-full').textContent = `Conference full: at most ${MAX_PARTIES} parties.`;
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
}
