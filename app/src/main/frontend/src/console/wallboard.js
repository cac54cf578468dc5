// Renders the wallboard frame the server pushed. Durations are counted here from the frame's instants, measured
// against the server's clock at the time of the frame (board.at), so a browser clock that is off does not show.
import { ArcElement, Chart, DoughnutController, Legend, Tooltip } from 'chart.js';
import { AGENT_STATE_LABELS, DIRECTION_ICONS, duration } from '../format.js';

Chart.register(DoughnutController, ArcElement, Legend, Tooltip);

const $ = (id) => document.getElementById(id);
const STATES = ['AVAILABLE', 'ON_CALL', 'WRAP_UP', 'BREAK', 'OFFLINE'];
const STATE_COLOURS = { AVAILABLE: '#1f9d55', ON_CALL: '#2f5fd0', WRAP_UP: '#d69e2e', BREAK: '#d64545', OFFLINE: '#c5cad3' };
let chart = null;

/** Seconds since an instant of the frame, on the server's clock now. */
function since(view, iso) {
  if (!iso || !view.board) return null;
  const serverNow = Date.parse(view.board.at) + (Date.now() - view.receivedAt);
  return (serverNow - Date.parse(iso)) / 1000;
}

const figure = (n) => (n == null ? '–' : String(n));
const aht = (seconds) => (seconds == null ? '–' : duration(seconds));

export function renderWallboard(view) {
  const live = $('live');
  live.dataset.state = view.connected ? 'live' : 'offline';
  live.textContent = view.connected ? 'Live' : 'Reconnecting…';
  const board = view.board;
  if (!board) return;
  $('team-name').textContent = board.teamName;
  const t = board.team;
  $('t-loggedin').textContent = `${t.loggedIn}/${t.agents}`;
  $('t-available').textContent = figure(t.available);
  $('t-oncall').textContent = figure(t.onCall);
  $('t-wrapup').textContent = figure(t.wrapUp);
  $('t-break').textContent = figure(t.onBreak);
  $('t-inprogress').textContent = figure(t.callsInProgress);
  $('t-answered').textContent = figure(t.answeredToday);
  $('t-abandoned').textContent = figure(t.abandonedToday);
  $('t-aht').textContent = aht(t.ahtSeconds);
  renderQueues(view);
  renderAgents(view);
  renderCampaigns(board.campaigns);
  renderChart(board.agents);
}

function renderAgents(view) {
  const rows = view.board.agents.map((a) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = `agent-${a.extension}`;
    tr.dataset.state = a.state;
    tr.dataset.callId = a.call?.callId ?? '';
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      return td;
    };
    const badge = document.createElement('span');
    badge.className = 'state';
    badge.dataset.state = a.state;
    badge.dataset.testid = 'agent-state';
    badge.textContent = AGENT_STATE_LABELS[a.state] ?? a.state;
    if (a.reason) badge.title = a.reason;
    const stateCell = cell('');
    stateCell.append(badge);
    const call = a.call;
    const party = call ? `${DIRECTION_ICONS[call.direction] ?? ''} ${call.party ?? ''}`.trim() : '';
    tr.append(cell(a.extension), cell(a.name), stateCell, cell('', 'timer in-state'), cell(party, 'party'),
      cell('', 'timer call-duration'), cell(String(a.callsToday), 'num'), cell(aht(a.ahtSeconds), 'num'));
    tr.querySelector('.party').dataset.testid = 'agent-call';
    if (call?.recordingFailed) {
      // The team records calls and this one is not being recorded: the supervisor sees it on the board.
      const unrecorded = document.createElement('span');
      unrecorded.className = 'unrecorded';
      unrecorded.dataset.testid = 'agent-call-unrecorded';
      unrecorded.textContent = '⚠ NOT recorded';
      unrecorded.title = 'The recording of this call failed to start or broke off';
      tr.querySelector('.party').append(' ', unrecorded);
    }
    const actions = cell('');
    // Monitoring needs the manager's own phone (view.onMonitor) and a conversation to join.
    if (view.onMonitor && call?.state === 'TALKING') {
      const monitor = document.createElement('button');
      monitor.className = 'monitor';
      monitor.textContent = 'Listen';
      monitor.dataset.testid = 'monitor';
      monitor.addEventListener('click', () => view.onMonitor(a));
      actions.append(monitor);
    }
    tr.append(actions);
    return tr;
  });
  $('agent-rows').replaceChildren(...rows);
  $('agents-empty').hidden = rows.length > 0;
  tick(view);
}

const percent = (ratio) => (ratio == null ? '–' : `${Math.round(ratio * 100)}%`);

/** A tile of a queue's row: its figure, what it is, and an optional small note under it. */
function queueTile(testid, value, label, note) {
  const div = document.createElement('div');
  div.className = 'tile';
  div.dataset.testid = testid;
  div.innerHTML = '<span class="n"></span><span class="what"></span>';
  div.querySelector('.n').textContent = value;
  div.querySelector('.what').textContent = label;
  if (note) {
    const small = document.createElement('small');
    small.textContent = note;
    div.append(small);
  }
  return div;
}

function renderQueues(view) {
  const rows = (view.board.queues ?? []).map((q) => {
    const row = document.createElement('div');
    row.className = 'queue';
    row.dataset.testid = `queue-${q.queueId}`;
    const name = document.createElement('h3');
    name.textContent = q.name;
    const waiting = queueTile('q-waiting', figure(q.waiting), 'callers waiting');
    waiting.classList.add('waiting');
    waiting.dataset.busy = String(q.waiting > 0);
    const longest = queueTile('q-longest', '', 'longest wait now');
    longest.classList.add('longest');
    const level = queueTile('q-service-level', percent(q.serviceLevel), `answered within ${q.serviceLevelSeconds} s`,
      `${q.answeredWithin} of ${q.offered - q.shortAbandons} today`);
    const abandons = queueTile('q-abandon-rate', percent(q.abandonRate), 'abandoned today',
      `${q.abandoned} abandoned · ${q.shortAbandons} short (under 5 s)`);
    const asa = queueTile('q-asa', aht(q.asaSeconds), 'average speed of answer', `${q.answered} answered`);
    row.append(name, waiting, longest, level, abandons, asa);
    return row;
  });
  $('queue-rows').replaceChildren(...rows);
}

/** Once a second: time in state, call durations and queues' longest waits move on without a frame from the server. */
export function tick(view) {
  if (!view.board) return;
  for (const q of view.board.queues ?? []) {
    const tile = document.querySelector(`[data-testid="queue-${q.queueId}"] .longest`);
    if (!tile) continue;
    const waited = q.longestWaitingSince ? since(view, q.longestWaitingSince) : null;
    tile.querySelector('.n').textContent = waited == null ? '–' : duration(waited);
    tile.classList.toggle('late', waited != null && waited > q.serviceLevelSeconds);
  }
  const byExtension = new Map(view.board.agents.map((a) => [a.extension, a]));
  for (const tr of $('agent-rows').children) {
    const a = byExtension.get(tr.dataset.testid.slice('agent-'.length));
    if (!a) continue;
    tr.querySelector('.in-state').textContent = duration(since(view, a.since));
    const from = a.call?.answeredAt ?? a.call?.startedAt;
    tr.querySelector('.call-duration').textContent = from ? duration(since(view, from)) : '';
  }
}

function renderCampaigns(campaigns) {
  const items = campaigns.map((c) => {
    const li = document.createElement('li');
    li.dataset.testid = `campaign-${c.id}`;
    const status = !c.enabled ? 'off' : c.paused ? 'paused' : 'dialling';
    const label = { off: 'Switched off', paused: 'Paused', dialling: `Dialling ×${c.ratio.toFixed(2)}` }[status];
    const why = status === 'off' ? c.enabledReason : status === 'paused' ? c.pausedReason : `${c.dialMode === 'ADAPTIVE' ? 'adaptive' : 'fixed'} ratio`;
    li.innerHTML = '<span class="status"></span><span class="name"></span><span class="why"></span>';
    li.querySelector('.status').textContent = label;
    li.querySelector('.status').dataset.status = status;
    li.querySelector('.name').textContent = c.name;
    li.querySelector('.why').textContent = why ?? '';
    return li;
  });
  $('campaign-rows').replaceChildren(...items);
  $('campaigns-empty').hidden = items.length > 0;
}

function renderChart(agents) {
  const counts = STATES.map((s) => agents.filter((a) => a.state === s).length);
  if (!chart) {
    chart = new Chart($('state-chart'), {
      type: 'doughnut',
      data: {
        labels: STATES.map((s) => AGENT_STATE_LABELS[s]),
        datasets: [{ data: counts, backgroundColor: STATES.map((s) => STATE_COLOURS[s]), borderWidth: 1 }],
      },
      // A wallboard changes many times a minute: no animation to sit through on each push.
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
    });
    return;
  }
  chart.data.datasets[0].data = counts;
  chart.update('none');
}
