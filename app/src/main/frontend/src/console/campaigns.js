// Campaigns: the list, one campaign's switch (with the server's warnings to confirm), its figures with charts, its
// settings (campaign-form.js), the safe-harbor recording, lead import with its validation report, and the leads.
import { ApiError } from '../api.js';
import { MODE_CODES, campaignForm, settingsFrom } from './campaign-form.js';
import { renderLeads } from './leads.js';
import { barChart } from './charts.js';
import { $, download, el, pct, say, seconds, stamp, table, upload } from './ui.js';

const LIMIT = 0.03;
/** What recycling takes (the server refuses sales, refusals and wrong numbers: they are never dialled again). */
const RECYCLABLE = [['NO_ANSWER', 'No answer'], ['BUSY', 'Busy'], ['VOICEMAIL', 'Machine'], ['DISCONNECTED', 'Failed dial'],
  ['ABANDONED', 'Abandoned'], ['NOT_INTERESTED', 'Not interested'], ['ANSWERED', 'Answered']];
const enc = encodeURIComponent;

function status(c) {
  if (!c.enabled) return { key: 'off', label: 'Switched off', why: c.enabledReason };
  if (c.paused) return { key: 'paused', label: 'Paused by the system', why: c.pausedReason };
  return { key: 'dialling', label: 'Dialling', why: c.compliance?.pacingNote ?? c.enabledReason };
}

const badge = (c) => {
  const s = status(c);
  return el('span', { class: 'badge', dataset: { status: s.key, testid: 'campaign-status' } }, s.label);
};

export class CampaignsPage {
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.root = $('page-campaigns');
  }

  async show(id) {
    this.root.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      if (id === 'new') this.renderNew();
      else if (id) await this.renderOne(id);
      else await this.renderList();
    } catch (e) {
      this.root.replaceChildren(el('div', { class: 'message error', role: 'alert' }, e.message));
    }
  }

  async renderList() {
    const campaigns = await this.api.request('GET', '/api/campaigns');
    const ratio = (c) => (MODE_CODES[c.dialMode] ?? c.dialMode).toLowerCase();
    this.root.replaceChildren(
      el('div', { class: 'page-head' }, el('h1', {}, 'Campaigns'),
        el('a', { class: 'button primary', href: '#campaigns/new', dataset: { testid: 'campaign-new' } }, 'New campaign')),
      el('section', { class: 'card' }, table([
        { label: 'Campaign', value: (c) => el('a', { href: `#campaigns/${c.id}`, dataset: { testid: 'campaign-link' } }, c.name) },
        { label: 'Status', value: badge },
        { label: 'Why', value: (c) => status(c).why ?? '' },
        { label: 'Ratio', value: (c) => `${ratio(c)} (now ×${c.adaptiveRatio.toFixed(2)})` },
        { label: 'Caller ID', value: (c) => c.callerIdNumber },
        { label: 'Hours', value: (c) => `${c.callingHours.start.slice(0, 5)}–${c.callingHours.end.slice(0, 5)}` },
      ], campaigns, { testid: 'campaign-list', rowTestid: (c) => `campaign-row-${c.name}`, empty: 'No campaigns yet.' })));
  }

  renderNew() {
    const form = settingsForm(null, 'Create campaign', async (settings) => {
      const created = await this.api.request('POST', '/api/campaigns', settings);
      location.hash = `#campaigns/${created.campaign.id}`;
    });
    form.classList.add('card');
    this.root.replaceChildren(el('div', { class: 'page-head' }, el('a', { href: '#campaigns' }, '← Campaigns'),
      el('h1', {}, 'New campaign')), form);
  }

  async renderOne(id) {
    const [view, stats, compliance] = await Promise.all([
      this.api.request('GET', `/api/campaigns/${enc(id)}`),
      this.api.request('GET', `/api/campaigns/${enc(id)}/stats`),
      this.api.request('GET', `/api/campaigns/${enc(id)}/compliance`),
    ]);
    const c = view.campaign;
    this.root.replaceChildren(
      el('div', { class: 'page-head' }, el('a', { href: '#campaigns' }, '← Campaigns'),
        el('h1', { dataset: { testid: 'campaign-name' } }, c.name), badge(c)),
      el('div', { class: 'grid-2' }, this.switchCard(view), this.statsCard(c, stats, compliance)),
      this.leadsCard(c),
      this.recycleCard(c),
      this.settingsCard(c),
      this.audioCard(c),
      this.changesCard(view.changes));
    renderLeads(this.api, c, $('leads-area'));
  }

  /** The manager's switch with a reason; the server's warnings (simulated risk) are confirmed explicitly. */
  switchCard(view) {
    const c = view.campaign;
    const s = status(c);
    const reason = el('input', { type: 'text', placeholder: 'Reason (kept in the change log)', dataset: { testid: 'switch-reason' } });
    const message = el('div', { class: 'form-message', dataset: { testid: 'switch-message' } });
    const send = async (enabled, confirm = false) => {
      try {
        await this.api.request('PUT', `/api/campaigns/${enc(c.id)}/enabled`, { enabled, reason: reason.value.trim() || null, confirm });
        await this.show(c.id);
      } catch (error) {
        if (error instanceof ApiError && error.slug === 'simulated-abandon-risk') {
          message.replaceChildren(el('div', { class: 'message warning', role: 'alert', dataset: { testid: 'switch-warning' } },
            el('p', {}, error.detail),
            el('button', { class: 'danger', type: 'button', dataset: { testid: 'switch-confirm' }, onclick: () => send(true, true) },
              'Switch on anyway')));
          return;
        }
        say(message, error.message);
      }
    };
    return el('section', { class: 'card', dataset: { testid: 'switch-card' } },
      el('h2', {}, 'Dialling'),
      el('p', { class: 'state-line' }, badge(c), ' ', el('span', { class: 'muted', dataset: { testid: 'switch-why' } }, s.why ?? '')),
      c.enabled && c.paused ? el('p', { class: 'muted' }, 'Switched on; the system holds it: ', el('strong', {}, c.pausedReason)) : null,
      el('p', {}, `Ratio in force ×${view.currentRatio.toFixed(2)}`,
        c.compliance?.pacingNote ? el('span', { class: 'muted' }, ` — ${c.compliance.pacingNote}`) : null),
      el('div', { class: 'switch-row' }, reason,
        c.enabled
          ? el('button', { class: 'danger', type: 'button', dataset: { testid: 'switch-off' }, onclick: () => send(false) }, 'Switch off')
          : el('button', { class: 'primary', type: 'button', dataset: { testid: 'switch-on' }, onclick: () => send(true) }, 'Switch on')),
      message);
  }

  statsCard(c, stats, compliance) {
    const rate = compliance.rolling?.rate;
    const over = rate != null && rate > LIMIT;
    const canvas = el('canvas', { dataset: { testid: 'campaign-chart' }, 'aria-label': 'Attempts in 30 days' });
    const card = el('section', { class: 'card', dataset: { testid: 'stats-card' } },
      el('h2', {}, 'Last 30 days'),
      el('div', { class: `gauge ${over ? 'over' : ''}`, dataset: { testid: 'abandon-gauge' } },
        el('div', { class: 'gauge-fill', style: `width:${Math.min(100, ((rate ?? 0) / (LIMIT * 2)) * 100)}%` }),
        el('div', { class: 'gauge-limit', title: '3 % limit' })),
      el('p', { class: over ? 'warn' : 'muted' },
        rate == null
          ? `Abandon rate (rolling 30 days): no person answered yet — limit 3 %, target ${pct(c.targetAbandonRate)}`
          : `Abandon rate (rolling 30 days): ${pct(rate)} of ${compliance.rolling.answeredByPerson} people — limit 3 %, target ${pct(c.targetAbandonRate)}`,
        over ? el('strong', {}, ' Over the limit!') : null),
      el('div', { class: 'chart small' }, canvas),
      el('p', { class: 'muted' }, `Agent utilisation ${pct(stats.agentUtilisation)} · time to connect ${seconds(stats.avgSecondsToConnect)}`),
      el('button', { class: 'link', type: 'button', onclick: () => download(this.api, `/api/campaigns/${enc(c.id)}/compliance.csv`, `abandon-rate-${c.id}.csv`) },
        'Download the compliance report (CSV)'));
    queueMicrotask(() => barChart(canvas, ['Dials', 'Answered', 'People', 'Machines', 'Abandoned', 'Connected'],
      [stats.dials, stats.answers, stats.humans, stats.machines, stats.abandons, stats.connected]));
    return card;
  }

  leadsCard(c) {
    const file = el('input', { type: 'file', accept: '.csv,text/csv', dataset: { testid: 'leads-file' } });
    const report = el('div', { dataset: { testid: 'import-report' } });
    const send = async () => {
      if (!file.files[0]) return say(report, 'Choose a CSV file first (columns: phone, name, external_id, timezone).');
      try {
        const result = await upload(this.api, 'POST', `/api/campaigns/${enc(c.id)}/leads`, await file.files[0].text(), 'text/csv');
        report.replaceChildren(importReport(result));
        renderLeads(this.api, c, $('leads-area'));
      } catch (error) {
        say(report, error.message);
      }
    };
    return el('section', { class: 'card' }, el('h2', {}, 'Leads'),
      el('div', { class: 'switch-row' }, file, el('button', { type: 'button', dataset: { testid: 'leads-import' }, onclick: send }, 'Import CSV')),
      report, el('div', { id: 'leads-area' }));
  }

  /** Puts closed leads of the chosen statuses back in the dial list (POST /api/campaigns/{id}/recycle). */
  recycleCard(c) {
    const boxes = RECYCLABLE.map(([code, label]) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: code, dataset: { testid: `recycle-${code}` } }), ` ${label}`));
    const message = el('div', { dataset: { testid: 'recycle-message' } });
    const send = async () => {
      const statuses = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      if (!statuses.length) return say(message, 'Choose at least one status to recycle.');
      try {
        const result = await this.api.request('POST', `/api/campaigns/${enc(c.id)}/recycle`, { statuses });
        say(message, `${result.recycled} lead(s) back in the dial list (${result.statuses.join(', ')}).`, 'ok');
        renderLeads(this.api, c, $('leads-area'));
      } catch (error) {
        say(message, error.message);
      }
    };
    return el('section', { class: 'card', dataset: { testid: 'recycle-card' } }, el('h2', {}, 'Recycle the list'),
      el('p', { class: 'muted' }, 'Closed leads whose last outcome is one of these go back in the dial list.'),
      el('div', { class: 'checks' }, boxes),
      el('div', { class: 'form-actions' }, el('button', { type: 'button', dataset: { testid: 'recycle' }, onclick: send }, 'Recycle')),
      message);
  }

  settingsCard(c) {
    const form = settingsForm(c, 'Save settings', async (settings, message) => {
      await this.api.request('PUT', `/api/campaigns/${enc(c.id)}`, settings);
      say(message, 'Saved.', 'ok');
    });
    return el('details', { class: 'card' }, el('summary', {}, el('h2', {}, 'Settings')), form);
  }

  audioCard(c) {
    const file = el('input', { type: 'file', accept: 'audio/wav,.wav', dataset: { testid: 'audio-file' } });
    const message = el('div', {});
    const at = c.compliance?.safeHarbor?.audioAt;
    const send = async () => {
      if (!file.files[0]) return say(message, 'Choose a WAV file (16-bit PCM, mono, 8 kHz, 3-60 s).');
      try {
        await upload(this.api, 'PUT', `/api/campaigns/${enc(c.id)}/safe-harbor-audio`, await file.files[0].arrayBuffer(), 'audio/wav');
        await this.show(c.id);
      } catch (error) {
        say(message, error.message);
      }
    };
    return el('section', { class: 'card' }, el('h2', {}, 'Safe-harbor recording'),
      el('p', { class: at ? 'muted' : 'warn' }, at ? `Uploaded ${stamp(at)}.` : 'Not uploaded: the campaign cannot be switched on without it.'),
      el('div', { class: 'switch-row' }, file, el('button', { type: 'button', onclick: send }, 'Upload')), message);
  }

  changesCard(changes) {
    return el('details', { class: 'card' }, el('summary', {}, el('h2', {}, 'Change log')),
      table([
        { label: 'When', value: (x) => stamp(x.at) },
        { label: 'Switch', value: (x) => x.switchName },
        { label: 'To', value: (x) => (x.value ? 'on' : 'off') },
        { label: 'Reason', value: (x) => x.reason },
      ], [...changes].reverse(), { testid: 'change-log', empty: 'No changes yet.' }));
  }
}

/** The campaign form (new when campaign is null); save(settings, messageArea) sends it, its refusal is shown. */
function settingsForm(campaign, label, save) {
  const message = el('div', { class: 'form-message' });
  const form = el('form', { class: 'form', dataset: { testid: 'campaign-form' } }, campaignForm(campaign),
    el('div', { class: 'form-actions' }, el('button', { class: 'primary', type: 'submit', dataset: { testid: 'campaign-save' } }, label)),
    message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await save(settingsFrom(form, campaign), message);
    } catch (error) {
      say(message, error.message);
    }
  });
  return form;
}

/** The validation report of a lead import: counts, then every rejected row with its line number. */
export function importReport(r) {
  return el('div', { class: `message ${r.rejectedCount ? 'warning' : 'ok'}` },
    el('p', { dataset: { testid: 'import-summary' } },
      `${r.rows} rows: ${r.created} new leads, ${r.merged} merged, ${r.rejectedCount} rejected.`),
    r.rejected.length ? table([
      { label: 'Line', value: (x) => String(x.line), num: true },
      { label: 'Value', value: (x) => x.value },
      { label: 'Why', value: (x) => x.reason },
    ], r.rejected, { testid: 'import-rejected', rowTestid: (x) => `rejected-line-${x.line}` }) : null);
}
