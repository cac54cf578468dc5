// People: the team's agents with their live state (from the wallboard's pushed frame), and for administrators the
// users (create an agent with a browser or desk phone, reset a password, disable) and the teams.
import { AGENT_STATE_LABELS, duration } from '../format.js';
import { can } from '../roles.js';
import { $, el, say, table } from './ui.js';

const enc = encodeURIComponent;

export class PeoplePage {
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.root = $('page-people');
    this.live = el('div', {});
  }

  async show() {
    const admin = can(this.view.me, 'admin:2');
    this.root.replaceChildren(el('div', { class: 'page-head' }, el('h1', {}, 'People')),
      el('section', { class: 'card' }, el('h2', {}, 'Agents now'), this.live),
      ...(admin ? [el('div', { id: 'admin-area', class: 'stack' })] : []));
    this.refresh();
    if (admin) await this.renderAdmin();
  }

  /** Called on every wallboard frame while the page is open: the states are the pushed ones. */
  refresh() {
    const agents = this.view.board?.agents ?? [];
    const at = this.view.board ? Date.parse(this.view.board.at) + (Date.now() - this.view.receivedAt) : Date.now();
    this.live.replaceChildren(table([
      { label: 'Ext.', value: (a) => a.extension },
      { label: 'Agent', value: (a) => a.name },
      { label: 'State', value: (a) => el('span', { class: 'state', dataset: { state: a.state } }, AGENT_STATE_LABELS[a.state] ?? a.state) },
      { label: 'In state', value: (a) => duration((at - Date.parse(a.since)) / 1000) },
      { label: 'Calls today', value: (a) => String(a.callsToday), num: true },
    ], agents, { testid: 'people-agents', rowTestid: (a) => `person-${a.extension}`, empty: 'No agents in this team.' }));
  }

  async renderAdmin() {
    const area = $('admin-area');
    const [users, teams] = await Promise.all([this.api.request('GET', '/api/admin/users'), this.api.request('GET', '/api/admin/teams')]);
    const teamName = new Map(teams.map((t) => [t.id, t.name]));
    const message = el('div', { dataset: { testid: 'users-message' } });
    const reload = () => this.renderAdmin();
    const patch = async (user, changes, done) => {
      try {
        await this.api.request('PATCH', `/api/admin/users/${enc(user.id)}`, changes);
        say(message, done, 'ok');
        setTimeout(reload, 800);
      } catch (e) {
        say(message, e.message);
      }
    };
    const resetPassword = (user) => {
      const password = prompt(`New password for ${user.username} (at least 12 characters)`);
      if (password) patch(user, { password }, `Password of ${user.username} changed.`);
    };
    area.replaceChildren(
      el('section', { class: 'card' }, el('h2', {}, 'Users'), message, table([
        { label: 'User', value: (u) => u.username },
        { label: 'Name', value: (u) => u.displayName },
        { label: 'Role', value: (u) => u.role },
        { label: 'Team', value: (u) => teamName.get(u.teamId) ?? '' },
        { label: 'Phone', value: (u) => (u.agent ? `${u.agent.extension} (${u.agent.phone === 'sip' ? 'desk phone' : 'browser'})` : '') },
        { label: 'Enabled', value: (u) => (u.enabled ? 'yes' : el('strong', { class: 'warn' }, 'disabled')) },
        { label: '', value: (u) => el('span', { class: 'row-actions' },
          el('button', { class: 'link', type: 'button', onclick: () => resetPassword(u) }, 'Reset password'),
          el('button', { class: 'link', type: 'button', dataset: { testid: `toggle-${u.username}` },
            onclick: () => patch(u, { enabled: !u.enabled }, `${u.username} ${u.enabled ? 'disabled' : 'enabled'}.`) },
          u.enabled ? 'Disable' : 'Enable')) },
      ], users, { testid: 'users', rowTestid: (u) => `user-${u.username}` })),
      el('div', { class: 'grid-2' }, this.newUserCard(teams, reload), this.teamsCard(teams, reload)));
  }

  newUserCard(teams, reload) {
    const form = el('form', { class: 'form' },
      el('div', { class: 'fields' },
        field('Username', el('input', { name: 'username', required: true, pattern: '[a-z0-9][a-z0-9._-]{1,63}' })),
        field('Name', el('input', { name: 'displayName', required: true })),
        field('Role', el('select', { name: 'role' }, [['agent', 'Agent'], ['manager', 'Manager'], ['admin', 'Administrator']].map(([v, l]) => new Option(l, v)))),
        field('Team', el('select', { name: 'teamId' }, new Option('—', ''), teams.map((t) => new Option(t.name, t.id)))),
        field('Password (12+ characters)', el('input', { name: 'password', type: 'password', required: true, minlength: '12' })),
        field('Phone', el('select', { name: 'phone' }, [['', 'None'], ['webrtc', 'Browser (WebRTC)'], ['sip', 'Desk phone (SIP)']].map(([v, l]) => new Option(l, v)))),
        field('Extension', el('input', { name: 'extension', pattern: '[0-9]{3,6}' }))),
      el('div', { class: 'form-actions' }, el('button', { class: 'primary', type: 'submit' }, 'Create user')),
      el('div', { class: 'form-message' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = Object.fromEntries(new FormData(form));
      const body = { username: f.username, displayName: f.displayName, role: f.role, teamId: f.teamId || null, password: f.password };
      if (f.phone) body.agent = { extension: f.extension, phone: f.phone };
      try {
        const user = await this.api.request('POST', '/api/admin/users', body);
        say(form.querySelector('.form-message'), user.agent?.sipPassword
          ? `Created. SIP password of extension ${user.agent.extension} (shown once): ${user.agent.sipPassword}` : 'Created.', 'ok');
        setTimeout(reload, user.agent?.sipPassword ? 15_000 : 800);
      } catch (error) {
        say(form.querySelector('.form-message'), error.message);
      }
    });
    return el('section', { class: 'card' }, el('h2', {}, 'New user'), form);
  }

  teamsCard(teams, reload) {
    const form = el('form', { class: 'switch-row' },
      el('input', { name: 'name', placeholder: 'Team name', required: true }),
      el('input', { name: 'callerIdNumber', placeholder: 'Caller ID (+1…)', required: true }),
      el('button', { class: 'primary', type: 'submit' }, 'Create team'));
    const message = el('div', {});
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await this.api.request('POST', '/api/admin/teams', Object.fromEntries(new FormData(form)));
        reload();
      } catch (error) {
        say(message, error.message);
      }
    });
    return el('section', { class: 'card' }, el('h2', {}, 'Teams'), table([
      { label: 'Team', value: (t) => t.name },
      { label: 'Caller ID', value: (t) => t.callerIdNumber },
      { label: 'Numbers', value: (t) => t.numbers.join(', ') },
      { label: 'Recorded', value: (t) => (t.recordCalls ? 'yes' : 'no') },
    ], teams, { testid: 'teams' }), form, message);
  }
}

const field = (label, input) => el('label', { class: 'field' }, el('span', {}, label), input);
