// What an agent does with a call in progress: add a party (conference), transfer it (blind or attended) and pause
// the recording while card details are spoken (PCI DSS). The server pushes a "call" frame over the agent WebSocket
// on every change the screen shows (a party ringing, answering, joining or leaving, pause and resume, a transfer
// moving on); each frame makes this re-read GET /api/calls/{id}, whose present says it all: recordingState,
// transfer, and per leg answeredAt / joinedAt / endedAt / leaveReason. The event log is history and not read here.
import { ApiError } from './api.js';
import { MAX_PARTIES } from './contract.js';
import { problemTitle } from './format.js';

// Frames drive the page; this slow re-read only covers one missed while the WebSocket reconnects, and runs only
// while something is on its way (a party ringing or joining, a transfer).
const SAFETY_REFRESH_MS = 5000;

const PENDING_PARTY = new Set(['dialling', 'ringing', 'joining']);
const PENDING_TRANSFER = new Set(['starting', 'ringing', 'consulting', 'completing', 'cancelling', 'transferring']);

export class MidCall {
  /**
   * @param api the REST client
   * @param callId the server's call id
   * @param onChange called whenever what the page shows may have changed
   */
  constructor(api, callId, onChange) {
    this.api = api;
    this.callId = callId;
    this.onChange = onChange;
    /** {legId, target, number, state: dialling|ringing|joining|joined|failed|left, detail} */
    this.parties = [];
    /** {mode, target, legId, state: starting|ringing|consulting|completing|cancelling|transferring} or null */
    this.transfer = null;
    /** unknown until the call record says; on, paused, or off (the team does not record) */
    this.recording = 'unknown';
    /** live legs of the call, ours included: a full conference disables Add party */
    this.liveLegs = 0;
    this.busy = { party: false, transfer: false, recording: false };
    this.errors = { party: null, transfer: null, recording: null };
    // Bumped by every answer to one of our own requests: a read that started before it must not undo it.
    this.localVersion = 0;
    this.timer = null;
    this.reading = false;
    this.again = false;
    this.stopped = false;
  }

  start() {
    this.refresh();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  get pending() {
    return this.parties.some((p) => PENDING_PARTY.has(p.state)) || Boolean(this.transfer);
  }

  get full() {
    return this.liveLegs + this.parties.filter((p) => p.state === 'dialling').length >= MAX_PARTIES;
  }

  // ---- commands ------------------------------------------------------------------------------------------------

  async addParty(target) {
    target = target.trim();
    if (!target) {
      this.fail('party', 'Enter a number', 'Type an extension, team:<name> or a phone number to add.');
      return false;
    }
    const party = { legId: null, target, number: null, state: 'dialling', detail: '' };
    this.parties.push(party);
    this.busy.party = true;
    this.errors.party = null;
    this.changed();
    try {
      const started = await this.api.addParticipant(this.callId, target);
      this.localVersion++;
      party.legId = started.legId;
      party.number = started.target;
      party.state = 'ringing';
      return true;
    } catch (e) {
      this.parties.splice(this.parties.indexOf(party), 1);
      this.fail('party', e);
      return false;
    } finally {
      this.busy.party = false;
      this.changed();
      this.schedule(0);
    }
  }

  async startTransfer(target, mode) {
    target = target.trim();
    if (!target) {
      this.fail('transfer', 'Enter a target', 'Type an extension, team:<name> or a phone number to transfer to.');
      return false;
    }
    this.transfer = { mode, target, legId: null, state: 'starting' };
    this.busy.transfer = true;
    this.errors.transfer = null;
    this.changed();
    try {
      const started = await this.api.transfer(this.callId, target, mode);
      this.localVersion++;
      if (this.transfer) {
        this.transfer.legId = started.legId;
        this.transfer.target = started.target ?? target;
        // Blind: the server hangs up our leg now, which ends the call in this page.
        this.transfer.state = mode === 'blind' ? 'transferring' : 'ringing';
      }
      return true;
    } catch (e) {
      this.transfer = null;
      this.fail('transfer', e);
      return false;
    } finally {
      this.busy.transfer = false;
      this.changed();
      this.schedule(0);
    }
  }

  async completeTransfer() {
    return this.finishTransfer('completing', () => this.api.completeTransfer(this.callId));
  }

  async cancelTransfer() {
    const done = await this.finishTransfer('cancelling', () => this.api.cancelTransfer(this.callId));
    if (done) this.transfer = null;
    this.changed();
    return done;
  }

  async finishTransfer(state, request) {
    const transfer = this.transfer;
    if (!transfer) return false;
    const before = transfer.state;
    transfer.state = state;
    this.busy.transfer = true;
    this.errors.transfer = null;
    this.changed();
    try {
      await request();
      this.localVersion++;
      return true;
    } catch (e) {
      if (this.transfer === transfer) transfer.state = before;
      this.fail('transfer', e);
      return false;
    } finally {
      this.busy.transfer = false;
      this.changed();
      this.schedule(0);
    }
  }

  async setRecordingPaused(paused) {
    this.busy.recording = true;
    this.errors.recording = null;
    this.changed();
    try {
      const answer = await this.api.pauseRecording(this.callId, paused);
      this.localVersion++;
      this.recording = answer?.paused ? 'paused' : 'on';
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.slug === 'not-recording') this.recording = 'off';
      this.fail('recording', e);
      return false;
    } finally {
      this.busy.recording = false;
      this.changed();
    }
  }

  fail(area, errorOrTitle, detail) {
    if (errorOrTitle instanceof ApiError) {
      this.errors[area] = { title: problemTitle(errorOrTitle), detail: errorOrTitle.detail, type: errorOrTitle.slug };
    } else if (errorOrTitle instanceof Error) {
      this.errors[area] = { title: 'Something went wrong', detail: errorOrTitle.message, type: '' };
    } else {
      this.errors[area] = { title: errorOrTitle, detail: detail ?? '', type: '' };
    }
    this.changed();
  }

  dismissError(area) {
    this.errors[area] = null;
    this.changed();
  }

  // ---- the server's view ---------------------------------------------------------------------------------------

  /** Re-reads the call now (on a pushed frame, a reconnect, our own request), then keeps a slow safety re-read
   * going while something is pending. */
  async refresh() {
    if (this.stopped) return;
    if (this.reading) {
      // The answer on its way may predate what prompted this: read once more after it.
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.reading = true;
    const version = this.localVersion;
    try {
      const call = await this.api.call(this.callId);
      if (!this.stopped) this.apply(call, version === this.localVersion);
    } catch (e) {
      // A read that fails is retried by the next frame or the safety re-read; the agent's own actions report theirs.
      if (!(e instanceof ApiError) || e.status !== 401) console.warn('call refresh failed', e);
    } finally {
      this.reading = false;
      this.schedule(this.again ? 0 : undefined);
      this.again = false;
    }
  }

  schedule(delay) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = delay ?? (this.pending ? SAFETY_REFRESH_MS : null);
    if (wait != null) this.timer = setTimeout(() => this.refresh(), wait);
  }

  apply(call, current) {
    const legs = call.legs ?? [];
    this.liveLegs = legs.filter((leg) => !leg.endedAt && leg.role !== 'transfer_target').length;
    this.applyParties(legs);
    if (current) {
      this.applyTransfer(call.transfer ?? null, legs);
      this.recording = recordingOf(call);
    }
    this.changed();
  }

  applyParties(legs) {
    // While our own Add party request is on its way its leg may already show: wait for the answer to bind it.
    const adding = this.parties.some((p) => p.state === 'dialling' && !p.legId);
    for (const leg of legs.filter((l) => l.role === 'participant')) {
      let party = this.parties.find((p) => p.legId === leg.channelId);
      if (!party) {
        if (adding) continue;
        // Added by another party of the call, or before a reload of this page.
        party = { legId: leg.channelId, target: leg.number ?? '', number: leg.number, state: 'ringing', detail: '' };
        this.parties.push(party);
      }
      party.number = leg.number ?? party.number;
      Object.assign(party, partyState(leg));
    }
  }

  /** Follows our own transfer from the server's: consulting once the target answers, gone when it is over. */
  applyTransfer(server, legs) {
    const transfer = this.transfer;
    // Before our request is answered the server may still show the previous transfer.
    if (!transfer?.legId || !server) return;
    switch (server.state) {
      case 'consulting':
        if (transfer.state === 'ringing') transfer.state = 'consulting';
        break;
      case 'cancelled':
      case 'failed': {
        // Not of our doing (we are neither cancelling nor completing): the target hung up or was not reached.
        if (transfer.state !== 'cancelling' && transfer.state !== 'completing' && transfer.mode === 'attended') {
          const leg = legs.find((l) => l.channelId === transfer.legId);
          const answered = leg ? Boolean(leg.answeredAt) : server.state === 'cancelled';
          const cause = leg?.hangupCauseText;
          const why = answered ? 'hung up' : `was not reached${cause ? ` (${cause})` : ''}`;
          this.fail('transfer', 'Transfer did not happen', `${transfer.target} ${why}. You are back with the caller.`);
        }
        this.transfer = null;
        break;
      }
      default:
        // dialling: still ringing the target; completed: the server is hanging up our leg, the call ends here.
        break;
    }
  }

  changed() {
    if (!this.stopped) this.onChange();
  }

  snapshot() {
    return {
      callId: this.callId,
      parties: this.parties.map((p) => ({ ...p })),
      transfer: this.transfer && { ...this.transfer },
      recording: this.recording,
      liveLegs: this.liveLegs,
      full: this.full,
      busy: { ...this.busy },
      errors: { ...this.errors },
    };
  }
}

/**
 * The recording's state from the call's present: recording, paused, or null (not recorded, or over); failed when
 * the team records calls and this call's recording did not start or broke off: the agent must know, not guess.
 */
function recordingOf(call) {
  switch (call.recordingState) {
    case 'recording': return 'on';
    case 'paused': return 'paused';
    case undefined: case null: if (call.recordingFailed) return 'failed';
    // falls through
    // The recording starts when two parties talk: before that nothing is known yet.
    default: return call.state === 'TALKING' ? 'off' : 'unknown';
  }
}

/** A participant's leg as the page shows it: ringing, answered and hearing the recording notice, in the call, gone. */
function partyState(leg) {
  if (leg.endedAt) {
    // Reached (answered) and gone is "left"; never reached is "failed", with the carrier's reason or ours.
    return leg.answeredAt
      ? { state: 'left', detail: '' }
      : { state: 'failed', detail: leg.hangupCauseText || leg.leaveReason || '' };
  }
  if (!leg.answeredAt) return { state: 'ringing', detail: '' };
  // Answered first hears the recording announcement alone (consent), then joins the others.
  return { state: leg.joinedAt ? 'joined' : 'joining', detail: '' };
}

export const PARTY_LABELS = {
  dialling: 'Dialling…',
  ringing: 'Ringing…',
  joining: 'Answered, hearing the recording notice…',
  joined: 'In the call',
  failed: 'Not reached',
  left: 'Left the call',
};

export function transferText({ mode, state, target }) {
  const onHold = mode === 'attended' ? ' (the caller is on hold)' : '';
  switch (state) {
    case 'starting': return `Starting ${mode} transfer to ${target}…`;
    case 'transferring': return `Transferring the caller to ${target}…`;
    case 'ringing': return `Ringing ${target}…${onHold}`;
    case 'consulting': return `Talking to ${target}${onHold}. Complete to hand the caller over.`;
    case 'completing': return `Handing the caller over to ${target}…`;
    case 'cancelling': return `Cancelling, back to the caller…`;
    default: return `${state} ${target}`;
  }
}

export const RECORDING_LABELS = {
  on: '● Recording',
  paused: '⏸ Recording paused',
  off: 'Not recorded',
  failed: '⚠ NOT recorded: the recording failed',
  unknown: '',
};
