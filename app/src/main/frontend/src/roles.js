// Who sees what, from /api/me alone: the one place both pages decide it, so a control a user cannot use is never
// shown. Permissions come expanded from the server (calls:2 also lists calls:1).

export const can = (me, permission) => Boolean(me?.permissions?.includes(permission));

/** Managers and administrators work in the console; everyone else on the softphone page. */
export const isConsoleUser = (me) => me?.role === 'manager' || me?.role === 'admin';

/** Only an agent has a phone, an agent state and the agent event stream. */
export const hasPhone = (me) => Boolean(me?.agentId);

/** The dialpad places calls: calls:2 and a phone to ring first. */
export const canDial = (me) => hasPhone(me) && can(me, 'calls:2');

/** Where a signed-in user belongs. A console user with a phone may still open the softphone on purpose (#phone). */
export function landingPath(me, hash = '') {
  if (isConsoleUser(me) && !(hasPhone(me) && hash === '#phone')) return '/console/';
  return '/softphone/';
}
