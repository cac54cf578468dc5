// The agent softphone page: sign-in, SIP registration, agent state, dialling through the server, the call
// itself, wrap-up and history. Plain DOM: one state (store.js) that every panel renders from, a module per panel.
import { bindAgentState, renderAgentState } from './agent-state.js';
import { bindCallPanels, renderCallPanels } from './call-panel.js';
import { bindCallbacks } from './callbacks.js';
import { bindDialpad, renderDialpad } from './dialpad.js';
import { bindHistory } from './history.js';
import { bindMidCall } from './midcall-panel.js';
import { bindNotice, renderNotice } from './notice.js';
import { bindOffer } from './offer.js';
import { phones } from './services.js';
import { bindSession, resumeOrShowLogin, startPhone } from './session.js';
import { state, subscribe } from './store.js';
import { bindVoicemail, voicemailSnapshot } from './voicemail.js';
import { bindWrapUp, renderWrapUp } from './wrapup.js';
import { myQueuesSnapshot } from './my-queues.js';

// Top of the page to the bottom; the history renders itself when a page of it arrives.
subscribe(renderAgentState);
subscribe(renderNotice);
subscribe(renderCallPanels);
subscribe(renderWrapUp);
subscribe(renderDialpad);

bindSession();
bindAgentState(startPhone);
bindNotice();
bindDialpad();
bindCallPanels();
bindMidCall();
bindWrapUp();
bindHistory();
bindVoicemail();
bindCallbacks();
bindOffer();
exposeDebugHook();
resumeOrShowLogin();

// Read-only view for tests and for support staff in the browser console.
function exposeDebugHook() {
  window.softphone = Object.freeze({
    state: () => JSON.parse(JSON.stringify({
      signedIn: Boolean(state.me),
      user: state.me && { username: state.me.username, extension: state.me.extension },
      registration: state.registration,
      agentState: state.agent.state,
      agentCallId: state.agent.callId ?? null,
      eventsConnected: state.eventsConnected,
      pendingDial: state.pendingDial,
      call: state.call,
      midCall: state.midCall?.snapshot() ?? null,
      wrapUp: state.wrapUp,
      last: state.last,
      notice: state.notice,
      historyCount: state.history.items.length,
      voicemail: voicemailSnapshot(),
      queues: myQueuesSnapshot(),
    })),
    stats: () => (phones.current ? phones.current.stats() : Promise.resolve(null)),
  });
}
