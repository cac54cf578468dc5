// The top bar's status: the phone's registration (click to retry when it failed) and the agent's state as the
// server keeps it, with the two states an agent may choose.
import { $ } from './dom.js';
import { hasPhone } from './roles.js';
import { AGENT_STATE_LABELS, REGISTRATION_LABELS } from './format.js';
import { clearNotice, showProblem } from './notice.js';
import { api } from './services.js';
import { notify, state } from './store.js';

async function setAgentState(wanted) {
  try {
    state.agent = { ...state.agent, ...(await api.setAgentState(wanted)) };
    clearNotice();
  } catch (e) {
    showProblem(e);
  }
  notify();
}

export function renderAgentState() {
  const registration = $('registration');
  registration.dataset.state = state.registration;
  registration.textContent = REGISTRATION_LABELS[state.registration] ?? state.registration;
  registration.title = state.registrationCause ?? '';

  const agent = $('agent-state');
  agent.dataset.state = state.agent.state;
  // Held for an offer, the server reports ON_CALL under the offer's id: the agent is previewing, not talking.
  const previewing = state.agent.state === 'ON_CALL' && state.offerId && state.agent.callId === state.offerId;
  agent.textContent = previewing ? 'Previewing' : AGENT_STATE_LABELS[state.agent.state] ?? state.agent.state;
  agent.title = state.agent.reason ?? '';
  $('events-offline').hidden = state.eventsConnected || !hasPhone(state.me);
  const busy = ['ON_CALL', 'WRAP_UP'].includes(state.agent.state) || Boolean(state.call);
  $('state-available').disabled = busy || state.agent.state === 'AVAILABLE';
  $('state-break').disabled = busy || state.agent.state === 'BREAK';
}

/** @param restartPhone registers the phone afresh (after a failed registration or a lost connection) */
export function bindAgentState(restartPhone) {
  $('state-available').addEventListener('click', () => setAgentState('AVAILABLE'));
  $('state-break').addEventListener('click', () => setAgentState('BREAK'));
  $('registration').addEventListener('click', () => {
    if (['failed', 'disconnected'].includes(state.registration) && !state.call) restartPhone().catch(showProblem);
  });
}
