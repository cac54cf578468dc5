// The supervisor and manager console: the team's wallboard, pushed by the server over a WebSocket on every change.
// Sign-in is the softphone page's (same origin, same token in this tab); it sends managers here and this page sends
// anyone else back there.
import { ApiError, Api } from '../api.js';
import { AgentEvents } from '../agent-events.js';
import { hasPhone, isConsoleUser } from '../roles.js';
import { bindSupervision, renderSupervision, Supervisor } from './supervise.js';
import { renderWallboard, tick } from './wallboard.js';
import { Router } from './router.js';

const view = { me: null, teams: [], teamId: null, board: null, connected: false, supervisor: null };
const api = new Api(() => toLogin());
let events = null;

const $ = (id) => document.getElementById(id);

function toLogin() {
  api.forget();
  location.replace('/softphone/');
}

async function start() {
  if (!api.signedIn) return toLogin();
  try {
    view.me = await api.me();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return toLogin();
    throw e;
  }
  if (!isConsoleUser(view.me)) {
    location.replace('/softphone/');
    return;
  }
  $('user-name').textContent = view.me.displayName || view.me.username;
  $('user-role').textContent = view.me.role === 'admin' ? 'Administrator' : 'Manager';
  $('open-softphone').hidden = !hasPhone(view.me);
  view.teams = await api.request('GET', '/api/console/teams');
  const pick = $('team-select');
  pick.replaceChildren(...view.teams.map((t) => new Option(t.name, t.id)));
  $('team-pick').hidden = view.teams.length < 2;
  view.teamId = view.me.teamId ?? view.teams[0]?.id ?? null;
  pick.value = view.teamId ?? '';
  $('console-view').hidden = false;
  // A manager with a phone of their own can monitor calls from this page; nobody else gets the controls.
  if (hasPhone(view.me)) {
    view.supervisor = new Supervisor(api, render);
    view.onMonitor = (agent) => view.supervisor.watch(agent, 'listen');
    bindSupervision(view.supervisor);
    view.supervisor.start().catch((e) => console.error('console phone failed', e));
  }
  view.router = new Router(api, view);
  render();
  watch();
  setInterval(() => tick(view), 1000);
}

/** (Re)connects the wallboard socket for the chosen team; its first frame is the whole board. */
function watch() {
  events?.stop();
  view.board = null;
  if (!view.teamId) return;
  events = new AgentEvents({
    url: () => api.webSocketUrl('/api/console/events', { teamId: view.teamId }),
    onMessage: (message) => {
      if (message.type !== 'wallboard' || message.teamId !== view.teamId) return;
      view.board = message;
      view.receivedAt = Date.now();
      render();
    },
    onConnectionChange: (connected) => {
      view.connected = connected;
      render();
    },
    onRefused: () => api.me().catch(() => {}),
  });
  events.start();
}

function render() {
  renderWallboard(view);
  renderSupervision(view.supervisor, view.board);
  view.router?.boardChanged();
}

$('team-select').addEventListener('change', (e) => {
  view.teamId = e.target.value;
  watch();
  view.router?.teamChanged();
});
$('logout').addEventListener('click', () => {
  events?.stop();
  view.supervisor?.stop();
  // Revoked on the server before the page leaves (leaving would cancel the request).
  api.logout().finally(toLogin);
});

// Read-only view for tests and for support staff in the browser console.
window.consolePage = Object.freeze({
  state: () => JSON.parse(JSON.stringify({
    page: 'console',
    signedIn: Boolean(view.me),
    user: view.me && { username: view.me.username, role: view.me.role },
    teamId: view.teamId,
    connected: view.connected,
    board: view.board,
    shown: view.router?.current ?? null,
    supervision: view.supervisor?.snapshot() ?? null,
  })),
});

start().catch((e) => console.error('console start failed', e));
