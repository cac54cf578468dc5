import { DISPOSITIONS } from './contract.js';

const DISPOSITION_LABELS = new Map(DISPOSITIONS);

export function dispositionLabel(code) {
  return code ? DISPOSITION_LABELS.get(code) ?? code : '';
}

export const AGENT_STATE_LABELS = {
  OFFLINE: 'Offline',
  AVAILABLE: 'Available',
  ON_CALL: 'On a call',
  WRAP_UP: 'Wrap-up',
  BREAK: 'On break',
  UNKNOWN: 'State unknown',
};

export const REGISTRATION_LABELS = {
  connecting: 'Phone connecting…',
  registered: 'Phone ready',
  unregistered: 'Phone offline',
  disconnected: 'Phone disconnected',
  failed: 'Phone registration failed',
};

export const DIRECTION_ICONS = { outbound: '↗', inbound: '↙', internal: '↔' };

export function duration(seconds) {
  if (seconds == null || Number.isNaN(seconds)) return '';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const sameDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const otherDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return (date.toDateString() === new Date().toDateString() ? sameDay : otherDay).format(date);
}

/** What an agent pastes is often "tel:+1 (555) 765-4321" or has stray spaces; the server normalises the rest. */
export function cleanPastedNumber(text) {
  return text.trim().replace(/^tel:/i, '').replace(/[^0-9+*#()\-. ]/g, '').trim();
}

/** Friendly headline for the contract's problem types; the server's detail is shown beside it. */
export function problemTitle(error) {
  switch (error.slug) {
    case 'invalid-number': return 'Invalid number';
    case 'country-not-allowed': return 'Country not allowed';
    case 'do-not-call': return 'Number is on the do-not-call list';
    case 'agent-not-ready': return 'You are not ready to call';
    case 'conference-full': return 'Conference is full';
    case 'target-busy': return 'Target not available';
    case 'no-agent-available': return 'Nobody available';
    case 'transfer-in-progress': return 'A transfer is in progress';
    case 'conference': return 'Cannot transfer a conference';
    case 'not-talking': return 'The call is not connected';
    case 'not-recording': return 'The call is not being recorded';
    case 'no-consultation': return 'No transfer to finish';
    case 'not-transferring': return 'Not your transfer';
    case 'not-a-party': return 'You are not in this call';
    case 'not-live': return 'The call has ended';
    case 'rate-limited':
      return error.retryAfterSeconds ? `Too many calls: retry in ${error.retryAfterSeconds} s` : 'Too many calls';
    default:
      if (error.status === 403) return 'Not allowed';
      return error.title || 'Request failed';
  }
}
