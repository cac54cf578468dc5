// Voicemail: the messages of the boxes the agent hears (their own and their team's), newest first, played in the
// page. The server pushes a "voicemail" frame when a message arrives, is heard or is deleted; the list reloads then.
import { $ } from './dom.js';
import { duration, when } from './format.js';
import { showProblem } from './notice.js';
import { api } from './services.js';

const view = { boxes: [], messages: [], loading: false, playing: null, playingId: null };

export async function loadVoicemail() {
  if (!api.signedIn || view.loading) return;
  view.loading = true;
  try {
    view.boxes = await api.voicemailBoxes();
    const lists = await Promise.all(view.boxes.map((box) => api.voicemailMessages(box.id)
      .then((messages) => messages.map((message) => ({ ...message, boxName: box.name })))));
    view.messages = lists.flat().sort((a, b) => (a.at < b.at ? 1 : -1));
  } catch (e) {
    if (e.status !== 401) showProblem(e);
  } finally {
    view.loading = false;
    renderVoicemail();
  }
}

/** What tests and support staff read from window.softphone. */
export function voicemailSnapshot() {
  return { boxes: view.boxes.length, messages: view.messages.length, fresh: view.messages.filter((m) => !m.heard).length };
}

function renderVoicemail() {
  $('voicemail-section').hidden = view.boxes.length === 0;
  $('voicemail-rows').replaceChildren(...view.messages.map(messageRow));
  // A list reloaded while a message plays (it was just marked heard) keeps its player, still playing.
  const row = view.playing && document.querySelector(`[data-testid="voicemail-row"][data-message-id="${view.playingId}"]`);
  if (row) row.querySelector('td.actions').append(view.playing);
  $('voicemail-empty').hidden = view.messages.length > 0;
  const fresh = view.messages.filter((m) => !m.heard).length;
  $('voicemail-new').textContent = fresh ? `${fresh} new` : '';
}

function messageRow(message) {
  const tr = document.createElement('tr');
  tr.dataset.testid = 'voicemail-row';
  tr.dataset.messageId = message.id;
  tr.classList.toggle('fresh', !message.heard);
  const cells = [
    ['box', message.boxName],
    ['from', message.from],
    ['when', when(message.at)],
    ['duration', duration(Math.round((message.durationMillis ?? 0) / 1000))],
  ];
  for (const [name, text] of cells) {
    const td = document.createElement('td');
    td.className = name;
    td.dataset.testid = `voicemail-${name}`;
    td.textContent = text;
    tr.append(td);
  }
  const actions = document.createElement('td');
  actions.className = 'actions';
  const play = document.createElement('button');
  play.className = 'link';
  play.dataset.testid = 'voicemail-play';
  play.textContent = 'Play';
  play.addEventListener('click', () => playMessage(message, actions));
  const remove = document.createElement('button');
  remove.className = 'link';
  remove.dataset.testid = 'voicemail-delete';
  remove.textContent = 'Delete';
  remove.addEventListener('click', () => deleteMessage(message));
  actions.append(play, remove);
  tr.append(actions);
  return tr;
}

/** The audio needs the Bearer header, which an audio element cannot send: fetch it and play the blob. */
async function playMessage(message, cell) {
  try {
    const blob = await api.voicemailAudio(message.audioUrl);
    view.playing?.pause();
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.dataset.testid = 'voicemail-audio';
    audio.src = URL.createObjectURL(blob);
    audio.addEventListener('ended', () => URL.revokeObjectURL(audio.src), { once: true });
    cell.querySelector('audio')?.remove();
    cell.append(audio);
    view.playing = audio;
    view.playingId = message.id;
    await audio.play();
    if (!message.heard) await api.voicemailHeard(message.id);
  } catch (e) {
    showProblem(e);
  }
}

async function deleteMessage(message) {
  try {
    await api.deleteVoicemail(message.id);
    await loadVoicemail();
  } catch (e) {
    showProblem(e);
  }
}

export function bindVoicemail() {
  $('voicemail-refresh').addEventListener('click', () => loadVoicemail());
}
