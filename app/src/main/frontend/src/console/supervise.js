// Live monitoring from the manager's own phone in the console: the server rings this page's JsSIP phone with the
// auto-answer header (the phone answers by itself), and the mode buttons switch listen / whisper / barge on that
// same phone call. Only for a manager who has a phone; nobody else sees these controls.
import { Phone } from '../phone.js';

const MODES = ['listen', 'whisper', 'barge'];
const $ = (id) => document.getElementById(id);

export class Supervisor {
  /** @param api the page's REST client; @param onChange called when the session or the phone changes */
  constructor(api, onChange) {
    this.api = api;
    this.onChange = onChange;
    this.phone = null;
    this.registration = 'unregistered';
    /** {callId, extension, name, mode} while supervising */
    this.session = null;
    this.error = null;
  }

  async start() {
    const credentials = await this.api.sipCredentials();
    this.phone = new Phone(credentials, $('remote-audio'), {
      onRegistration: (registration) => {
        this.registration = registration;
        // The phone is an agent's endpoint: on break, so no caller is offered to a manager watching the board.
        if (registration === 'registered') this.api.setAgentState('BREAK').catch(() => {});
        this.onChange();
      },
      onIncoming: () => {},
      // The phone may answer before the PUT that rang it has returned: whether it is in the call is the phone's.
      onCallUpdate: () => this.onChange(),
      onCallEnded: () => {
        this.session = null;
        this.onChange();
      },
    });
    this.phone.start();
  }

  stop() {
    this.phone?.stop();
  }

  /** Starts on an agent's call or switches mode; the server answers 409 with a reason when it cannot. */
  async watch(agent, mode) {
    this.error = null;
    try {
      await this.api.request('PUT', `/api/calls/${encodeURIComponent(agent.call.callId)}/supervision`, { mode });
      this.session = { callId: agent.call.callId, extension: agent.extension, name: agent.name, mode };
    } catch (e) {
      this.error = e.detail || e.message;
    }
    this.onChange();
  }

  async leave() {
    if (!this.session) return;
    try {
      await this.api.request('DELETE', `/api/calls/${encodeURIComponent(this.session.callId)}/supervision`);
    } catch (e) {
      // The call may have ended meanwhile: the phone call ends with it either way.
    }
    this.session = null;
    this.onChange();
  }

  /** The supervisor's phone is in the call: the server rang it and it answered. */
  get connected() {
    return Boolean(this.session) && this.phone?.call?.status === 'talking';
  }

  snapshot() {
    return {
      registration: this.registration,
      session: this.session && { ...this.session, connected: this.connected },
      error: this.error,
    };
  }
}

/** The bar above the board while supervising, and the phone's status. {callId, extension, name, mode} while supervising. */
export function renderSupervision(supervisor, board) {
  const bar = $('supervision-bar');
  $('console-phone').hidden = !supervisor;
  if (!supervisor) {
    bar.hidden = true;
    return;
  }
  const phone = $('console-phone');
  phone.dataset.state = supervisor.registration;
  phone.textContent = supervisor.registration === 'registered' ? 'Phone ready' : 'Phone offline';
  const s = supervisor.session;
  bar.hidden = !s && !supervisor.error;
  $('supervision-error').textContent = supervisor.error ?? '';
  $('supervision-error').hidden = !supervisor.error;
  $('supervision-what').textContent = s
    ? `${s.mode === 'listen' ? 'Listening to' : s.mode === 'whisper' ? 'Whispering to' : 'In the call of'} ${s.name} (${s.extension})`
      + (supervisor.connected ? '' : ' — connecting your phone…')
    : '';
  for (const mode of MODES) {
    const button = $(`supervise-${mode}`);
    button.hidden = !s;
    button.setAttribute('aria-pressed', String(s?.mode === mode));
  }
  $('supervise-leave').hidden = !s;
  // The call under supervision ended: the server ends the session, the phone call ends, the bar goes.
  if (s && board && !board.agents.some((a) => a.call?.callId === s.callId)) bar.dataset.stale = 'true';
}

export function bindSupervision(supervisor) {
  for (const mode of MODES) {
    $(`supervise-${mode}`).addEventListener('click', () => {
      const s = supervisor.session;
      if (s) supervisor.watch({ extension: s.extension, name: s.name, call: { callId: s.callId } }, mode);
    });
  }
  $('supervise-leave').addEventListener('click', () => supervisor.leave());
}
