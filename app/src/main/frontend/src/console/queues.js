// Queues: the team's queues with their live figures (from the pushed wallboard frame), a form for every setting of
// one queue (built from one list of fields, so a new setting is one entry) and its members with their skill levels.
import { $, el, say, table } from './ui.js';

const enc = encodeURIComponent;
const STRATEGIES = [['longest_idle', 'Longest idle'], ['round_robin', 'Round robin'], ['fewest_calls', 'Fewest calls'],
  ['ring_all', 'Ring all'], ['linear', 'Linear (extension order)']];
const EXIT_KINDS = [['announcement', 'Announcement, then hang up'], ['number', 'Number'], ['agent', 'Agent (extension)'],
  ['voicemail', 'Voicemail box (id)'], ['queue', 'Another queue (id)']];
const NOBODY = { kind: 'announcement', target: 'sound:vm-nobodyavail' };
const DEFAULTS = { name: '', strategy: 'longest_idle', ringTimeoutSeconds: 15, maxWaitSeconds: 600, overflow: NOBODY,
  maxLength: 0, whenFull: NOBODY, noAgent: 'wait', whenNoAgent: NOBODY, wrapUpSeconds: null, serviceLevelSeconds: 20,
  announceEverySeconds: 30, mohClass: 'default', priority: 0, callbackEnabled: false };
/** The form's fields: [key, label, kind, extra]. */
const FIELDS = [
  ['name', 'Name', 'text'],
  ['strategy', 'Strategy', 'select', STRATEGIES],
  ['ringTimeoutSeconds', 'Ring each agent (s)', 'number', { min: 5, max: 120 }],
  ['maxWaitSeconds', 'Max wait (s)', 'number', { min: 10, max: 7200 }],
  ['overflow', 'After max wait', 'exit'],
  ['maxLength', 'Max callers waiting (0: no limit)', 'number', { min: 0, max: 1000 }],
  ['whenFull', 'When full', 'exit'],
  ['noAgent', 'Nobody logged in', 'select', [['wait', 'Callers wait'], ['overflow', 'Send callers on']]],
  ['whenNoAgent', 'Where to, with nobody logged in', 'exit'],
  ['wrapUpSeconds', 'Wrap-up (s, empty: the team\'s)', 'number', { min: 0, max: 3600 }],
  ['serviceLevelSeconds', 'Service level threshold (s)', 'number', { min: 1, max: 3600 }],
  ['announceEverySeconds', 'Announce position every (s, 0: never)', 'number', { min: 0, max: 3600 }],
  ['mohClass', 'Music on hold class', 'text'],
  ['priority', 'Priority (0-9)', 'number', { min: 0, max: 9 }],
  ['callbackEnabled', 'Callers may press 1 for a callback', 'checkbox'],
];

export class QueuesPage {
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.root = $('page-queues');
    this.list = el('div', {});
    this.queues = [];
  }

  async show(id) {
    const message = el('div', { dataset: { testid: 'queues-message' } });
    this.message = message;
    this.root.replaceChildren(el('div', { class: 'page-head' }, el('h1', {}, 'Queues'),
      el('button', { class: 'primary', type: 'button', dataset: { testid: 'queue-new' }, onclick: () => this.edit(null) }, 'New queue')),
    message, el('section', { class: 'card' }, this.list), el('div', { id: 'queue-editor', class: 'stack' }));
    await this.load();
    if (id) this.edit(this.queues.find((q) => q.id === id) ?? null);
  }

  async load() {
    try {
      const all = await this.api.request('GET', '/api/queues');
      this.queues = all.filter((q) => q.teamId === this.view.teamId);
      this.refresh();
    } catch (e) {
      say(this.message, e.message);
    }
  }

  /** Called on every wallboard frame while the page is open: the live figures are the pushed ones. */
  refresh() {
    const live = new Map((this.view.board?.queues ?? []).map((q) => [q.queueId, q]));
    this.list.replaceChildren(table([
      { label: 'Queue', value: (q) => el('a', { href: `#queues/${enc(q.id)}`, dataset: { testid: 'queue-open' } }, q.name) },
      { label: 'Strategy', value: (q) => STRATEGIES.find(([v]) => v === q.strategy)?.[1] ?? q.strategy },
      { label: 'Members', value: (q) => String(q.members.length || 'whole team'), num: true },
      { label: 'Waiting', value: (q) => String(live.get(q.id)?.waiting ?? '–'), num: true },
      { label: 'Answered today', value: (q) => String(live.get(q.id)?.answered ?? '–'), num: true },
      { label: 'Callback', value: (q) => (q.callbackEnabled ? 'on' : 'off') },
    ], this.queues, { testid: 'queues-list', rowTestid: (q) => `queue-row-${q.name}`, empty: 'No queues yet.' }));
  }

  edit(queue) {
    const editor = $('queue-editor');
    const values = { ...DEFAULTS, ...(queue ?? {}) };
    const inputs = {};
    const rows = FIELDS.map(([key, label, kind, extra]) => {
      let input;
      if (kind === 'select') {
        input = el('select', {}, extra.map(([v, text]) => new Option(text, v)));
        input.value = values[key];
      } else if (kind === 'checkbox') {
        input = el('input', { type: 'checkbox', checked: Boolean(values[key]) });
      } else if (kind === 'exit') {
        const kindSelect = el('select', { dataset: { testid: `queue-${key}-kind` } }, EXIT_KINDS.map(([v, text]) => new Option(text, v)));
        kindSelect.value = values[key]?.kind ?? 'announcement';
        const target = el('input', { type: 'text', value: values[key]?.target ?? '', dataset: { testid: `queue-${key}-target` } });
        input = el('span', { class: 'switch-row' }, kindSelect, target);
        input.read = () => ({ kind: kindSelect.value, target: target.value.trim() });
      } else {
        input = el('input', { type: kind, value: values[key] ?? '', ...(extra ?? {}) });
      }
      input.dataset.testid = `queue-${key}`;
      inputs[key] = input;
      return el('label', { class: 'field' }, el('span', {}, label), input);
    });
    const save = el('button', { class: 'primary', type: 'submit', dataset: { testid: 'queue-save' } }, queue ? 'Save' : 'Create');
    const form = el('form', { class: 'card stack', dataset: { testid: 'queue-form' } },
      el('h2', {}, queue ? `Queue ${queue.name}` : 'New queue'), el('div', { class: 'fields' }, ...rows), el('div', {}, save));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { teamId: this.view.teamId };
      for (const [key, , kind] of FIELDS) {
        const input = inputs[key];
        if (kind === 'exit') body[key] = input.read();
        else if (kind === 'checkbox') body[key] = input.checked;
        else if (kind === 'number') body[key] = input.value === '' ? null : Number(input.value);
        else body[key] = input.value;
      }
      try {
        const saved = await this.api.request(queue ? 'PUT' : 'POST', queue ? `/api/queues/${enc(queue.id)}` : '/api/queues', body);
        say(this.message, `Queue ${saved.name} saved.`, 'ok');
        await this.load();
        this.edit(saved);
      } catch (error) {
        say(this.message, error.message);
      }
    });
    editor.replaceChildren(form, queue ? this.membersCard(queue) : '',
      queue ? el('div', {}, el('button', { type: 'button', class: 'danger', dataset: { testid: 'queue-delete' },
        onclick: () => this.remove(queue) }, 'Delete queue')) : '');
  }

  membersCard(queue) {
    const memberIds = new Set(queue.members.map((m) => m.agentId));
    const candidates = (this.view.board?.agents ?? []).filter((a) => !memberIds.has(a.agentId));
    const pick = el('select', { dataset: { testid: 'member-agent' } },
      candidates.map((a) => new Option(`${a.extension} ${a.name}`, a.agentId)));
    const level = el('input', { type: 'number', min: 1, max: 9, value: 1, dataset: { testid: 'member-level' } });
    const put = async (agentId, changes) => {
      try {
        queue.members = await this.api.request('PUT', `/api/queues/${enc(queue.id)}/members/${enc(agentId)}`, changes);
        await this.load();
        this.edit(queue);
      } catch (e) {
        say(this.message, e.message);
      }
    };
    const add = el('form', { class: 'switch-row' }, pick, level,
      el('button', { type: 'submit', class: 'primary', dataset: { testid: 'member-add' } }, 'Add member'));
    add.addEventListener('submit', (e) => {
      e.preventDefault();
      if (pick.value) put(pick.value, { level: Number(level.value) });
    });
    const levelOf = (m) => {
      const input = el('input', { type: 'number', min: 1, max: 9, value: m.level, class: 'narrow', dataset: { testid: 'member-level-edit' } });
      input.addEventListener('change', () => put(m.agentId, { level: Number(input.value) }));
      return input;
    };
    return el('section', { class: 'card' }, el('h2', {}, 'Members'),
      el('p', { class: 'muted' }, 'Level 1 is offered first. A queue without members is served by the whole team.'),
      table([
        { label: 'Ext.', value: (m) => m.extension },
        { label: 'Agent', value: (m) => m.displayName },
        { label: 'Level', value: levelOf },
        { label: 'Logged in', value: (m) => (m.loggedIn ? 'yes' : 'no') },
        { label: '', value: (m) => el('button', { class: 'link', type: 'button', dataset: { testid: 'member-remove' },
          onclick: () => this.removeMember(queue, m) }, 'Remove') },
      ], queue.members, { testid: 'queue-members', rowTestid: (m) => `member-${m.extension}`, empty: 'No members: the whole team serves it.' }),
      candidates.length ? add : el('p', { class: 'muted' }, 'Every agent of the team is a member.'));
  }

  async removeMember(queue, member) {
    try {
      await this.api.request('DELETE', `/api/queues/${enc(queue.id)}/members/${enc(member.agentId)}`);
      await this.load();
      this.edit(this.queues.find((q) => q.id === queue.id) ?? null);
    } catch (e) {
      say(this.message, e.message);
    }
  }

  async remove(queue) {
    if (!confirm(`Delete queue ${queue.name}?`)) return;
    try {
      await this.api.request('DELETE', `/api/queues/${enc(queue.id)}`);
      say(this.message, `Queue ${queue.name} deleted.`, 'ok');
      $('queue-editor').replaceChildren();
      await this.load();
    } catch (e) {
      say(this.message, e.message);
    }
  }
}
