// What an agent does with a call in progress: add a party (conference), transfer it (blind or attended) and pause
// the recording while card details are spoken (PCI DSS). The server pushes only changes of the call's state over
// the agent WebSocket, not of its legs, so while a party or a transfer target is on its way this polls
// GET /api/calls/{id}; the legs there say who rings, who answered and who left.
import { ApiError } from './api.js';
import { problemTitle } from './format.js';

const PENDING_POLL_MS = 1000;
// Someone may leave a conference at any time; a slower poll keeps the list of parties honest without a push.
const CONFERENCE_POLL_MS = 3000;
export const MAX_PARTIES = 3;

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
    // Bumped by every answer to one of our own requests: a poll that started before it must not undo it.
    this.localVersion = 0;
    this.timer = null;
    this.polling = false;
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

  /** Re-reads the call now (e.g. on a pushed frame), then goes on polling as long as something is pending. */
  async refresh() {
    if (this.stopped) return;
    if (this.polling) {
      // The answer on its way may predate what prompted this: read once more after it.
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = true;
    const version = this.localVersion;
    try {
      const call = await this.api.call(this.callId);
      if (!this.stopped) this.apply(call, version === this.localVersion);
    } catch (e) {
      // A poll that fails is retried by the next one; the agent's own actions report their errors.
      if (!(e instanceof ApiError) || e.status !== 401) console.warn('call refresh failed', e);
    } finally {
      this.polling = false;
      this.schedule(this.again ? 0 : undefined);
      this.again = false;
    }
  }

  schedule(delay) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = delay ?? (this.pending ? PENDING_POLL_MS
      : this.parties.some((p) => p.state === 'joined') ? CONFERENCE_POLL_MS : null);
    if (wait != null) this.timer = setTimeout(() => this.refresh(), wait);
  }

  apply(call, current) {
    const legs = call.legs ?? [];
    const events = call.events ?? [];
    this.liveLegs = legs.filter((leg) => !leg.endedAt && leg.role !== 'transfer_target').length;
    this.applyParties(legs, events);
    if (current) {
      this.applyTransfer(legs);
      this.recording = recordingState(events, call.state);
    }
    this.changed();
  }

  applyParties(legs, events) {
    const joins = events.filter((e) => e.event === 'participant joined');
    for (const leg of legs.filter((l) => l.role === 'participant')) {
      let party = this.parties.find((p) => p.legId === leg.channelId);
      if (!party) {
        // Added by another party of the call, or before a reload of this page.
        party = { legId: leg.channelId, target: leg.number ?? '', number: leg.number, state: 'ringing', detail: '' };
        this.parties.push(party);
      }
      party.number = leg.number ?? party.number;
      if (leg.endedAt) {
        party.state = leg.answeredAt ? 'left' : 'failed';
        party.detail = leg.answeredAt ? '' : (leg.hangupCauseText || leg.leaveReason || '');
      } else if (!leg.answeredAt) {
        party.state = 'ringing';
      } else {
        // Answered first hears the recording announcement alone (consent), then joins the others.
        const joined = joins.some((e) => e.detail === leg.endpoint && e.occurredAt >= leg.answeredAt);
        party.state = joined ? 'joined' : 'joining';
      }
    }
  }

  applyTransfer(legs) {
    const transfer = this.transfer;
    if (!transfer?.legId) return;
    const leg = legs.find((l) => l.channelId === transfer.legId);
    if (!leg) return;
    if (leg.endedAt) {
      if (transfer.state !== 'cancelling' && transfer.state !== 'completing' && transfer.mode === 'attended') {
        const why = leg.answeredAt ? 'hung up' : `was not reached${leg.hangupCauseText ? ` (${leg.hangupCauseText})` : ''}`;
        this.fail('transfer', 'Transfer did not happen', `${transfer.target} ${why}. You are back with the caller.`);
      }
      this.transfer = null;
    } else if (transfer.state === 'ringing' && leg.answeredAt) {
      transfer.state = 'consulting';
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

/** The recording's state from the call's event log: the last of started / paused / resumed wins. */
function recordingState(events, callState) {
  let state = null;
  for (const e of events) {
    if (e.event === 'recording started' || e.event === 'recording resumed') state = 'on';
    else if (e.event === 'recording paused') state = 'paused';
    else if (e.event === 'recording failed to start') state = 'off';
  }
  // The recording starts when two parties talk: before that nothing is known yet.
  return state ?? (callState === 'TALKING' ? 'off' : 'unknown');
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
  unknown: '',
};
