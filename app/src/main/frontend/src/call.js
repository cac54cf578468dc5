// The phone's call events: a call ringing here, answered, held, ended. An ended call that was answered opens the
// wrap-up; one missed says so.
import { adoptCall, ensureMidCall, stopMidCall } from './calls.js';
import { startTimer, stopTimer } from './call-panel.js';
import { loadHistory } from './history.js';
import { showNotice } from './notice.js';
import { ringer } from './services.js';
import { notify, state } from './store.js';
import { openWrapUp } from './wrapup.js';

export function onIncomingCall(call) {
  adoptCall(call);
  ringer.start();
  notify();
}

export function onCallUpdate(call) {
  if (state.call !== call) adoptCall(call);
  if (call.status !== 'ringing') ringer.stop();
  if (call.status === 'talking') startTimer();
  ensureMidCall();
  notify();
}

/** Forgets the call in progress: no more ringing, timer or mid-call reads. */
export function dropCall() {
  ringer.stop();
  stopTimer();
  stopMidCall();
  state.call = null;
}

export function onCallEnded(call, cause) {
  dropCall();
  if (call.confirmedAt) {
    const talkedFrom = call.talkingSince ?? call.confirmedAt;
    openWrapUp({
      callId: call.callId ?? state.agent.callId,
      number: call.number,
      leadId: call.leadId ?? null,
      direction: call.direction,
      talkSeconds: call.talkingSince || call.direction !== 'outbound' ? (Date.now() - talkedFrom) / 1000 : 0,
    });
  } else if (call.direction === 'inbound' && cause !== 'rejected') {
    showNotice('Missed call', call.number);
  }
  notify();
  // The server writes the call record when its last leg is gone, a moment after our BYE.
  setTimeout(() => loadHistory(true), 1000);
}
