// The page's one state, shared by the panels. Whoever changes it calls notify(); every panel subscribed renders
// its part from it. Nothing renders before sign-in.

export const state = {
  me: null,
  registration: 'unregistered',
  registrationCause: null,
  agent: { state: 'UNKNOWN', since: null, callId: null, reason: null },
  eventsConnected: false,
  /** POST /api/calls accepted, the server is calling this phone (auto-answer) */
  pendingDial: null,
  /** the SIP call, enriched with what the server tells about it */
  call: null,
  /** conference, transfer and payment pause of the call in progress, once the server's call id is known */
  midCall: null,
  /** the call just ended, waiting for a disposition */
  wrapUp: null,
  /** number and lead of the last call, for Redial */
  last: null,
  /** latest "call" frame per call id */
  serverCalls: new Map(),
  history: { items: [], nextCursor: null, loading: false },
  notice: null,
  /** the offer (preview or due callback) the server holds this agent for, shown as the preview card */
  offerId: null,
};

const listeners = [];

/** Renders in the order of subscription, which is the order of the page from top to bottom. */
export function subscribe(listener) {
  listeners.push(listener);
}

export function notify() {
  if (!state.me) return;
  for (const listener of listeners) listener(state);
}

/** Back to a signed-out page. */
export function resetState() {
  Object.assign(state, {
    me: null, registration: 'unregistered', pendingDial: null, call: null, wrapUp: null, last: null, notice: null, offerId: null,
    agent: { state: 'UNKNOWN', since: null, callId: null, reason: null },
  });
  state.serverCalls.clear();
  state.history = { items: [], nextCursor: null, loading: false };
}
