// The call in progress as the page knows it: the SIP call from phone.js, enriched with the server's "call" frames,
// and the mid-call follower (parties, transfer, recording) once it is answered here.
import { MidCall } from './midcall.js';
import { api } from './services.js';
import { notify, state } from './store.js';

export function applyServerCall(call, frame) {
  call.callId = frame.callId;
  call.serverState = frame.state;
  if (frame.number) call.number = frame.number;
  if (frame.leadId) call.leadId = frame.leadId;
  if (frame.direction) call.direction = frame.direction;
  // A queue's caller: the page shows the queue, how long they waited and the keys they pressed on the way in.
  if (frame.queue) call.queue = { name: frame.queue, since: Date.parse(frame.queuedAt) };
  if (frame.menuPath?.length) call.menuPath = frame.menuPath;
  if (frame.state === 'TALKING' && !call.talkingSince) call.talkingSince = Date.now();
}

export function adoptCall(call) {
  state.call = call;
  const pending = state.pendingDial;
  if (call.autoAnswer && pending && pending.callId === call.callId) {
    // The INVITE shows Asterisk's caller ID; the agent wants to see whom they dialled.
    call.number = pending.number;
    call.leadId = pending.leadId;
    state.pendingDial = null;
  }
  const frame = call.callId ? state.serverCalls.get(call.callId) : latestUnansweredServerCall();
  if (frame) applyServerCall(call, frame);
}

/** An inbound call's frame can arrive before its INVITE: the newest call still being routed or ringing. */
function latestUnansweredServerCall() {
  let latest = null;
  for (const frame of state.serverCalls.values()) {
    if (frame.direction !== 'outbound' && ['ROUTING', 'RINGING'].includes(frame.state)) latest = frame;
  }
  return latest;
}

/** Starts following the call's legs and recording once it is answered here and its server id is known. */
export function ensureMidCall() {
  const call = state.call;
  const callId = call?.callId;
  if (!callId || call.status !== 'talking') return null;
  if (state.midCall?.callId === callId) return 'existing';
  stopMidCall();
  state.midCall = new MidCall(api, callId, notify);
  state.midCall.start();
  return 'new';
}

export function stopMidCall() {
  state.midCall?.stop();
  state.midCall = null;
}
