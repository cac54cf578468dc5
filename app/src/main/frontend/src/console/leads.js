// A campaign's leads: filtered by status, paged, and one lead's attempts with every event of each.
import { el, stamp, table } from './ui.js';

const STATUSES = [['', 'All'], ['NEW', 'New'], ['DIALING', 'Dialling'], ['RETRY', 'Retry later'], ['DONE', 'Done']];
const PAGE = 50;
const enc = encodeURIComponent;

export async function renderLeads(api, campaign, area, status = '', offset = 0) {
  const query = new URLSearchParams({ limit: String(PAGE + 1), offset: String(offset) });
  if (status) query.set('status', status);
  let leads;
  try {
    leads = await api.request('GET', `/api/campaigns/${enc(campaign.id)}/leads?${query}`);
  } catch (e) {
    area.replaceChildren(el('div', { class: 'message error' }, e.message));
    return;
  }
  const filter = el('select', { dataset: { testid: 'leads-status' } }, STATUSES.map(([v, label]) => new Option(label, v)));
  filter.value = status;
  filter.addEventListener('change', () => renderLeads(api, campaign, area, filter.value, 0));
  const detail = el('div', { class: 'lead-detail', dataset: { testid: 'lead-detail' } });
  const more = leads.length > PAGE;
  area.replaceChildren(
    el('div', { class: 'switch-row' }, el('label', {}, 'Status ', filter),
      offset > 0 ? el('button', { type: 'button', onclick: () => renderLeads(api, campaign, area, status, Math.max(0, offset - PAGE)) }, '← Previous') : null,
      more ? el('button', { type: 'button', onclick: () => renderLeads(api, campaign, area, status, offset + PAGE) }, 'Next →') : null),
    table([
      { label: 'Number', value: (l) => el('a', { href: 'javascript:void 0', onclick: () => showLead(api, campaign, l.id, detail) }, l.e164) },
      { label: 'Name', value: (l) => l.name ?? '' },
      { label: 'Status', value: (l) => el('span', { class: 'badge', dataset: { status: l.status } }, l.status) },
      { label: 'Attempts', value: (l) => String(l.attempts), num: true },
      { label: 'Last outcome', value: (l) => l.lastOutcome ?? '' },
      { label: 'Last attempt', value: (l) => stamp(l.lastAttemptAt) },
      { label: 'Next attempt', value: (l) => stamp(l.nextAttemptAt) },
    ], leads.slice(0, PAGE), { testid: 'leads', rowTestid: (l) => `lead-${l.e164}`, empty: status ? 'No leads with this status.' : 'No leads yet: import a CSV.' }),
    detail);
}

async function showLead(api, campaign, leadId, area) {
  const { lead, attempts } = await api.request('GET', `/api/campaigns/${enc(campaign.id)}/leads/${enc(leadId)}`);
  area.replaceChildren(el('h3', {}, `${lead.e164}${lead.name ? ` — ${lead.name}` : ''}: ${attempts.length} attempt(s)`),
    ...attempts.map(({ attempt, events }) => el('div', { class: 'attempt' },
      el('p', {}, el('strong', {}, stamp(attempt.createdAt)), ` ${attempt.state} · ${attempt.outcome ?? 'open'}`,
        attempt.amdResult ? ` · detection: ${attempt.amdResult}` : ''),
      table([
        { label: 'At', value: (e) => stamp(e.at) },
        { label: 'From', value: (e) => e.from ?? '' },
        { label: 'To', value: (e) => e.to },
        { label: 'Event', value: (e) => e.event },
        { label: 'Detail', value: (e) => e.detail ?? '' },
      ], events, { testid: 'attempt-events' }))));
}
