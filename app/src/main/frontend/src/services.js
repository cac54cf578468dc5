// The page's long-lived connections: the REST client, the ringer and the SIP phone once registered. Panels reach
// them here rather than through each other.
import { Api } from './api.js';
import { Ringer } from './ringer.js';

let sessionExpired = () => {};

/** What to do when the server says the token has expired (the session module decides). */
export function onSessionExpired(handler) {
  sessionExpired = handler;
}

export const api = new Api(() => sessionExpired());
export const ringer = new Ringer();

/** The SIP phone (phone.js) while signed in as an agent, else null. */
export const phones = { current: null };
