// What the server pushes over the agent WebSocket: the agent's state, progress of their calls, voicemail changes,
// what they are offered to dial.
import { loadCallbacks } from './callbacks.js';
import { applyServerCall, ensureMidCall } from './calls.js';
import { showOffer } from './offer.js';
import { notify, state } from './store.js';
import { loadVoicemail } from './voicemail.js';
import { openWrapUp } from './wrapup.js';

export function onServerEvent(message) {
  if (message.type === 'state') {
    state.agent = message;
    if (message.callId && state.call && !state.call.callId) state.call.callId = message.callId;
    // After a reload in WRAP_UP the page knows no call: offer the disposition for the server's call.
    if (message.state === 'WRAP_UP' && message.callId && !state.call && !state.wrapUp) {
      const known = state.serverCalls.get(message.callId);
      openWrapUp({ callId: message.callId, number: known?.number ?? '', leadId: known?.leadId ?? null });
    }
  } else if (message.type === 'offer') {
    showOffer(message.offer);
    loadCallbacks();
  } else if (message.type === 'voicemail') {
    loadVoicemail();
  } else if (message.type === 'call') {
    state.serverCalls.set(message.callId, message);
    const call = state.call;
    // An inbound call rings the phone before (or after) its frame arrives: the one call in progress is this one.
    if (call && (call.callId === message.callId || (!call.callId && message.state !== 'ENDED'))) {
      applyServerCall(call, message);
      // Every change the screen shows is pushed (parties, recording, transfer): read the call's present again.
      if (ensureMidCall() === 'existing') state.midCall.refresh();
    }
    if (state.wrapUp && state.wrapUp.callId === message.callId && message.number) {
      state.wrapUp.number = message.number;
      state.wrapUp.leadId ??= message.leadId;
    }
  }
  notify();
}
