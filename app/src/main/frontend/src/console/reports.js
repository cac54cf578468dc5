// Reports over days in the viewer's time zone: the team's (or queue's) intervals, its agents and its campaigns,
// each as charts and a table with a CSV download, and the call detail export.
import { AGENT_STATE_LABELS } from '../format.js';
import { seriesChart } from './charts.js';
import { $, download, el, hours, localDate, num, pct, say, seconds, table } from './ui.js';

const STATES = ['AVAILABLE', 'ON_CALL', 'WRAP_UP', 'BREAK'];

export class ReportsPage {
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.root = $('page-reports');
    this.zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.query = { from: localDate(), to: localDate(), interval: 'hour' };
  }

  params(extra = {}) {
    return new URLSearchParams({ teamId: this.view.teamId ?? '', from: this.query.from, to: this.query.to, zone: this.zone, ...extra });
  }

  async show() {
    const from = el('input', { type: 'date', value: this.query.from, dataset: { testid: 'report-from' } });
    const to = el('input', { type: 'date', value: this.query.to, dataset: { testid: 'report-to' } });
    const interval = el('select', { dataset: { testid: 'report-interval' } },
      [['15m', '15 minutes'], ['hour', 'Hour'], ['day', 'Day']].map(([v, l]) => new Option(l, v)));
    interval.value = this.query.interval;
    const controls = el('form', { class: 'switch-row report-controls' },
      el('label', {}, 'From ', from), el('label', {}, 'To ', to), el('label', {}, 'Interval ', interval),
      el('span', { class: 'muted' }, `Times in ${this.zone}`),
      el('button', { class: 'primary', type: 'submit', dataset: { testid: 'report-run' } }, 'Show'),
      el('button', { type: 'button', dataset: { testid: 'export-calls' },
        onclick: () => download(this.api, `/api/reports/calls.csv?${this.params()}`, `calls-${this.query.from}-${this.query.to}.csv`) },
      'Export every call (CSV)'));
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      this.query = { from: from.value, to: to.value || from.value, interval: interval.value };
      this.load();
    });
    this.message = el('div', {});
    this.body = el('div', { class: 'stack', dataset: { testid: 'reports-body' } });
    this.root.replaceChildren(el('div', { class: 'page-head' }, el('h1', {}, 'Reports')), controls, this.message, this.body);
    await this.load();
  }

  async load() {
    say(this.message, null);
    // A slower answer to an earlier query (the default range's, loaded when the page opened) must not replace this one.
    const asked = (this.asked = (this.asked ?? 0) + 1);
    const query = { ...this.query };
    try {
      const [intervals, agents, campaigns] = await Promise.all([
        this.api.request('GET', `/api/reports/intervals?${this.params({ interval: this.query.interval })}`),
        this.api.request('GET', `/api/reports/agents?${this.params()}`),
        this.api.request('GET', `/api/reports/campaigns?${this.params()}`),
      ]);
      if (asked !== this.asked) return;
      this.body.replaceChildren(this.intervalsCard(intervals), this.agentsCard(agents), this.campaignsCard(campaigns));
      this.rendered = { intervals, agents, campaigns };
      // Which query the figures answer, so a reader (or a test) that asked for a range can tell its answer from the last one.
      this.body.dataset.shown = `${query.from}/${query.to}/${query.interval}`;
    } catch (e) {
      if (asked === this.asked) say(this.message, e.message);
    }
  }

  card(title, csv, filename, ...content) {
    return el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', {}, title),
      el('button', { class: 'link', type: 'button', onclick: () => download(this.api, `${csv}?${this.params({ interval: this.query.interval })}`, filename) }, 'CSV')),
    ...content);
  }

  intervalsCard(r) {
    const label = (row) => (this.query.interval === 'day' ? row.start.slice(0, 10) : row.start.slice(this.query.from === this.query.to ? 11 : 5, 16).replace('T', ' '));
    const canvas = el('canvas', { dataset: { testid: 'intervals-chart' }, 'aria-label': 'Calls per interval' });
    queueMicrotask(() => seriesChart(canvas, r.rows.map(label), [
      { label: 'Answered', values: r.rows.map((x) => x.answered) },
      { label: 'Abandoned', values: r.rows.map((x) => x.abandoned) },
      { label: 'Short abandons', values: r.rows.map((x) => x.shortAbandoned) },
      { label: 'Service level %', values: r.rows.map((x) => (x.serviceLevel == null ? null : Math.round(x.serviceLevel * 100))), type: 'line', axis: 'y2' },
    ], { stacked: true, y2Label: 'service level %' }));
    const t = r.total;
    return this.card(`${r.source === 'queue' ? 'Queue' : 'Team'} ${r.teamName} by ${r.interval === 'quarter' ? '15 minutes' : r.interval}`,
      '/api/reports/intervals.csv', `intervals-${this.query.from}.csv`,
      el('div', { class: 'tiles' }, [
        ['Offered', t.offered, 'r-offered'], ['Answered', t.answered, 'r-answered'], ['Abandoned', t.abandoned, 'r-abandoned'],
        ['Short abandons (<5 s)', t.shortAbandoned, 'r-short'], [`Service level (${r.serviceLevelSeconds} s)`, pct(t.serviceLevel), 'r-sl'],
        ['ASA', seconds(t.asaSeconds), 'r-asa'], ['AHT', seconds(t.ahtSeconds), 'r-aht'], ['Longest wait', seconds(t.longestWaitSeconds), 'r-longest'],
      ].map(([name, value, id]) => el('div', { class: 'tile' }, el('span', { class: 'n', dataset: { testid: id } }, String(value)), el('span', {}, name)))),
      el('div', { class: 'chart' }, canvas),
      el('details', {}, el('summary', {}, 'Table'), table([
        { label: 'From', value: label },
        { label: 'Offered', value: (x) => String(x.offered), num: true },
        { label: 'Answered', value: (x) => String(x.answered), num: true },
        { label: 'Abandoned', value: (x) => String(x.abandoned), num: true },
        { label: 'Short', value: (x) => String(x.shortAbandoned), num: true },
        { label: 'Service level', value: (x) => pct(x.serviceLevel), num: true },
        { label: 'Abandon rate', value: (x) => pct(x.abandonRate), num: true },
        { label: 'ASA', value: (x) => seconds(x.asaSeconds), num: true },
        { label: 'AHT', value: (x) => seconds(x.ahtSeconds), num: true },
        { label: 'Longest wait', value: (x) => seconds(x.longestWaitSeconds), num: true },
      ], r.rows, { testid: 'intervals-table', empty: 'No calls in this range.' })));
  }

  agentsCard(r) {
    const canvas = el('canvas', { dataset: { testid: 'agents-chart' }, 'aria-label': 'Time by state per agent' });
    queueMicrotask(() => seriesChart(canvas, r.agents.map((a) => a.name),
      STATES.map((s) => ({ label: AGENT_STATE_LABELS[s], values: r.agents.map((a) => +((a.secondsByState[s] ?? 0) / 3600).toFixed(2)) })),
      { stacked: true }));
    return this.card('Agents (hours by state)', '/api/reports/agents.csv', `agents-${this.query.from}.csv`,
      el('div', { class: 'chart' }, canvas),
      table([
        { label: 'Agent', value: (a) => `${a.extension} ${a.name}` },
        { label: 'Logged in', value: (a) => hours(a.loggedInSeconds), num: true },
        ...STATES.map((s) => ({ label: AGENT_STATE_LABELS[s], value: (a) => hours(a.secondsByState[s] ?? 0), num: true })),
        { label: 'Calls', value: (a) => String(a.calls), num: true },
        { label: 'AHT', value: (a) => seconds(a.ahtSeconds), num: true },
        { label: 'Wrap-up/call', value: (a) => seconds(a.avgWrapUpSeconds), num: true },
        { label: 'Dispositions', value: (a) => Object.entries(a.dispositions).map(([k, v]) => `${k} ${v}`).join(', ') },
      ], r.agents, { testid: 'agents-table', rowTestid: (a) => `report-agent-${a.extension}` }));
  }

  campaignsCard(r) {
    const canvas = el('canvas', { dataset: { testid: 'campaigns-chart' }, 'aria-label': 'Campaign outcomes' });
    queueMicrotask(() => seriesChart(canvas, r.campaigns.map((c) => c.name), [
      { label: 'Dials', values: r.campaigns.map((c) => c.dials) },
      { label: 'People', values: r.campaigns.map((c) => c.humans) },
      { label: 'Machines', values: r.campaigns.map((c) => c.machines) },
      { label: 'Abandoned', values: r.campaigns.map((c) => c.abandons) },
      { label: 'Connected', values: r.campaigns.map((c) => c.connects) },
    ]));
    return this.card(`Campaigns (${hours(r.agentHours * 3600)} agent time)`, '/api/reports/campaigns.csv', `campaigns-${this.query.from}.csv`,
      r.campaigns.length ? el('div', { class: 'chart' }, canvas) : null,
      table([
        { label: 'Campaign', value: (c) => c.name },
        { label: 'Dials', value: (c) => String(c.dials), num: true },
        { label: 'People', value: (c) => String(c.humans), num: true },
        { label: 'Machines', value: (c) => String(c.machines), num: true },
        { label: 'Abandoned', value: (c) => String(c.abandons), num: true },
        { label: 'Abandon rate', value: (c) => pct(c.abandonRate), num: true },
        { label: '30 days', value: (c) => el('span', { class: c.rolling30AbandonRate > 0.03 ? 'warn' : '' }, pct(c.rolling30AbandonRate)), num: true },
        { label: 'Connects/agent-hour', value: (c) => num(c.connectsPerAgentHour, 2), num: true },
      ], r.campaigns, { testid: 'campaigns-table', empty: 'No campaigns.' }));
  }
}
