// Recent calls: the agent's (or the team's, for managers) history, newest first, with recordings to download.
import { $ } from './dom.js';
import { DIRECTION_ICONS, dispositionLabel, duration, when } from './format.js';
import { showProblem } from './notice.js';
import { api } from './services.js';
import { state } from './store.js';

export async function loadHistory(fromStart) {
  if (!api.signedIn || state.history.loading) return;
  state.history.loading = true;
  try {
    const page = await api.history(fromStart ? null : state.history.nextCursor);
    state.history.items = fromStart ? page.items : state.history.items.concat(page.items);
    state.history.nextCursor = page.nextCursor ?? null;
  } catch (e) {
    if (e.status !== 401) showProblem(e);
  } finally {
    state.history.loading = false;
    renderHistory();
  }
}

async function downloadRecording(item) {
  try {
    await api.downloadRecording(item.recordingUrl, `call-${item.createdAt?.slice(0, 10) ?? ''}-${item.number ?? item.id}.wav`);
  } catch (e) {
    showProblem(e);
  }
}

// Rendered when a page of history arrives, not on every change of the call: the rows keep their buttons meanwhile.
function renderHistory() {
  const body = $('history-rows');
  body.replaceChildren(...state.history.items.map(historyRow));
  $('history-empty').hidden = state.history.items.length > 0;
  $('history-more').hidden = !state.history.nextCursor;
  $('history-more').disabled = state.history.loading;
}

function historyRow(item) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'history-row';
  tr.dataset.callId = item.id;
  const cells = [
    ['dir', DIRECTION_ICONS[item.direction] ?? '', item.direction],
    ['number', item.number ?? ''],
    ['lead', item.leadId ?? ''],
    ['when', when(item.createdAt)],
    ['duration', item.answeredAt ? duration(item.durationSeconds) : 'not answered'],
    ['disposition', dispositionLabel(item.disposition)],
  ];
  for (const [name, text, title] of cells) {
    const td = document.createElement('td');
    td.className = name;
    td.dataset.testid = `history-${name}`;
    td.textContent = text;
    if (title) td.title = title;
    tr.append(td);
  }
  const recording = document.createElement('td');
  if (item.recordingFailed) {
    // The team records calls and this one's recording failed: marked, never silent (a partial file may exist).
    const mark = document.createElement('span');
    mark.className = 'history-unrecorded';
    mark.dataset.testid = 'history-recording-failed';
    mark.textContent = '⚠ Not recorded';
    mark.title = 'The recording failed to start or broke off';
    recording.append(mark, ' ');
  }
  if (item.recordingUrl) {
    const button = document.createElement('button');
    button.className = 'link';
    button.dataset.testid = 'history-recording';
    button.textContent = 'Recording';
    button.addEventListener('click', () => downloadRecording(item));
    recording.append(button);
  }
  tr.append(recording);
  return tr;
}

export function bindHistory() {
  $('history-refresh').addEventListener('click', () => loadHistory(true));
  $('history-more').addEventListener('click', () => loadHistory(false));
}
