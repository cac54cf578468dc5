// The agent's queues: the queues they are a member of, with their skill level, and a Log in / Log out button each.
// Only queues the agent is logged into offer them callers (and only while they are Available).
import { $ } from './dom.js';
import { showProblem } from './notice.js';
import { api } from './services.js';

const view = { queues: [] };

export async function loadMyQueues() {
  if (!api.signedIn) return;
  try {
    view.queues = await api.request('GET', '/api/me/queues');
  } catch (e) {
    // Not an agent (409) or signed out: no queues to show.
    view.queues = [];
  }
  render();
}

/** What tests and support staff read from window.softphone. */
export function myQueuesSnapshot() {
  return view.queues.map((q) => ({ name: q.queueName, loggedIn: q.loggedIn }));
}

function render() {
  $('queues-panel').hidden = view.queues.length === 0;
  $('queues-list').replaceChildren(...view.queues.map((q) => {
    const item = document.createElement('li');
    item.dataset.testid = 'my-queue';
    item.dataset.queue = q.queueName;
    item.dataset.loggedIn = String(q.loggedIn);
    const name = document.createElement('strong');
    name.textContent = q.queueName;
    const what = document.createElement('span');
    what.className = 'muted';
    what.textContent = ` level ${q.level} · ${q.loggedIn ? 'logged in' : 'logged out'}`;
    const button = document.createElement('button');
    button.className = q.loggedIn ? '' : 'primary';
    button.dataset.testid = 'my-queue-toggle';
    button.textContent = q.loggedIn ? 'Log out' : 'Log in';
    button.addEventListener('click', () => toggle(q, button));
    item.append(name, what, ' ', button);
    return item;
  }));
}

async function toggle(queue, button) {
  button.disabled = true;
  try {
    const changed = await api.request('PUT', `/api/me/queues/${encodeURIComponent(queue.queueId)}`, { loggedIn: !queue.loggedIn });
    view.queues = view.queues.map((q) => (q.queueId === changed.queueId ? changed : q));
    render();
  } catch (e) {
    showProblem(e);
    button.disabled = false;
  }
}
