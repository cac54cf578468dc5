// Sign-in and sign-out, and what a session holds open: the agent event socket and, for agents, the SIP phone.
// An expired token never cuts a customer off: the page signs out once the call is over.
import { ApiError } from './api.js';
import { AgentEvents } from './agent-events.js';
import { dropCall, onCallEnded, onCallUpdate, onIncomingCall } from './call.js';
import { stopMidCall } from './calls.js';
import { stopTimer } from './call-panel.js';
import { $ } from './dom.js';
import { loadHistory } from './history.js';
import { loadVoicemail } from './voicemail.js';
import { loadMyQueues } from './my-queues.js';
import { showNotice } from './notice.js';
import { Phone } from './phone.js';
import { loadOffer } from './offer.js';
import { onServerEvent } from './server-events.js';
import { api, onSessionExpired, phones, ringer } from './services.js';
import { hasPhone, landingPath } from './roles.js';
import { notify, resetState, state } from './store.js';

const EXPIRED = 'Your session has expired. Please sign in again.';
let events = null;
let signOutAfterCall = false;

/** Resumes a stored session if the server still accepts it, else shows the sign-in form. */
export async function resumeOrShowLogin() {
  onSessionExpired(sessionExpired);
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
  const me = await api.me();
  // Managers and administrators land on the console (same login, same token in this tab).
  const landing = landingPath(me, location.hash);
  if (landing !== '/softphone/') {
    location.replace(landing);
    return;
  }
  state.me = me;
  showOnlyUsableControls(me);
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('user-name').textContent = state.me.displayName || state.me.username;
  $('user-extension').textContent = state.me.extension ? `ext. ${state.me.extension}` : '';
  // Only agents have a state and an event stream; anyone else would see "Reconnecting…" for ever.
  if (hasPhone(state.me)) startAgentEvents();
  notify();
  loadHistory(true);
  loadVoicemail();
  if (state.me.agentId) loadMyQueues();
  if (hasPhone(state.me)) await startPhone();
}

/** A user with only history (calls:1) gets history and recordings: no dialpad, no state, no phone status. */
function showOnlyUsableControls(me) {
  const phone = hasPhone(me);
  for (const id of ['registration', 'agent-state', 'state-available', 'state-break']) $(id).hidden = !phone;
  document.querySelector('section.phone').hidden = !phone;
}

function startAgentEvents() {
  events = new AgentEvents({
    url: () => api.agentEventsUrl(),
    onMessage: onServerEvent,
    onConnectionChange: (connected) => {
      state.eventsConnected = connected;
      // Frames sent while the socket was down are lost: read the call in progress afresh.
      if (connected) state.midCall?.refresh();
      if (connected) loadOffer();
      notify();
    },
    // A refused handshake may mean an expired token: /api/me answers 401 then, which signs out.
    onRefused: () => api.me().catch(() => {}),
  });
  events.start();
}

export async function startPhone() {
  phones.current?.stop();
  // Each request rotates the SIP password, so a stolen or stale one stops working at the next sign-in.
  const credentials = await api.sipCredentials();
  state.me.extension ??= credentials.extension;
  $('user-extension').textContent = `ext. ${credentials.extension}`;
  phones.current = new Phone(credentials, $('remote-audio'), {
    onRegistration: (registration, cause) => {
      state.registration = registration;
      state.registrationCause = cause ?? null;
      notify();
    },
    onIncoming: onIncomingCall,
    onCallUpdate: onCallUpdate,
    onCallEnded: (call, cause) => {
      if (!signOutAfterCall) {
        onCallEnded(call, cause);
        return;
      }
      dropCall();
      signOut(EXPIRED);
    },
  });
  phones.current.start();
}

function sessionExpired() {
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
  phones.current?.stop();
  phones.current = null;
  stopMidCall();
  events?.stop();
  events = null;
  api.forget();
  resetState();
  stopTimer();
  showLogin(message);
}

export function bindSession() {
  $('login-form').addEventListener('submit', onLoginSubmit);
  // After a reload the sign-in click is gone: the first click anywhere lets the ringer play.
  document.addEventListener('pointerdown', () => ringer.unlock(), { once: true });
  $('logout').addEventListener('click', () => {
    if (state.call && !confirm('Hang up and sign out?')) return;
    // Revoked on the server first, so the token is worthless even if it was copied.
    api.logout();
    signOut();
  });
  window.addEventListener('beforeunload', (event) => {
    if (state.call) {
      event.preventDefault();
      return;
    }
    // Unregister now rather than leave the server ringing a closed tab until the registration expires.
    phones.current?.stop();
  });
}
