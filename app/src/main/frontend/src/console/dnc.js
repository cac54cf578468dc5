// The do-not-call list: search by digits, add, remove, and a registry import with its report.
import { can } from '../roles.js';
import { $, el, say, stamp, table, upload } from './ui.js';

const enc = encodeURIComponent;

export class DncPage {
  constructor(api, view) {
    this.api = api;
    this.view = view;
    this.root = $('page-dnc');
  }

  async show() {
    const edit = can(this.view.me, 'dnc:2');
    const search = el('input', { type: 'search', placeholder: 'Search by digits, e.g. 212555', dataset: { testid: 'dnc-search' } });
    const results = el('div', {});
    const message = el('div', { dataset: { testid: 'dnc-message' } });
    const load = async (after = null) => {
      const query = new URLSearchParams({ limit: '50' });
      if (search.value.trim()) query.set('q', search.value.trim());
      if (after) query.set('after', after);
      try {
        const page = await this.api.request('GET', `/api/dnc?${query}`);
        results.replaceChildren(table([
          { label: 'Number', value: (x) => x.e164 },
          { label: 'Source', value: (x) => x.source },
          { label: 'Reason', value: (x) => x.reason ?? '' },
          { label: 'Since', value: (x) => stamp(x.createdAt) },
          { label: '', value: (x) => (edit ? el('button', { class: 'link', type: 'button', dataset: { testid: 'dnc-remove' },
            onclick: () => this.remove(x.e164, message, load) }, 'Remove') : '') },
        ], page.items, { testid: 'dnc-list', rowTestid: (x) => `dnc-${x.e164}`, empty: 'No numbers found.' }),
        page.nextAfter ? el('button', { type: 'button', onclick: () => load(page.nextAfter) }, 'Next →') : '');
      } catch (e) {
        say(message, e.message);
      }
    };
    search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => load(), 250);
    });
    const number = el('input', { type: 'tel', placeholder: 'Number', required: true, dataset: { testid: 'dnc-number' } });
    const reason = el('input', { type: 'text', placeholder: 'Reason (optional)', dataset: { testid: 'dnc-reason' } });
    const addForm = el('form', { class: 'switch-row' }, number, reason, el('button', { class: 'primary', type: 'submit', dataset: { testid: 'dnc-add' } }, 'Add'));
    addForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const entry = await this.api.request('POST', '/api/dnc', { number: number.value, reason: reason.value || null });
        say(message, `${entry.e164} is on the list.`, 'ok');
        number.value = '';
        reason.value = '';
        load();
      } catch (error) {
        say(message, error.message);
      }
    });
    const file = el('input', { type: 'file', accept: '.csv,.txt,text/csv,text/plain', dataset: { testid: 'dnc-file' } });
    const report = el('div', { dataset: { testid: 'dnc-import-report' } });
    const importIt = async () => {
      if (!file.files[0]) return say(report, 'Choose the registry file (one number per line, or CSV with a number column).');
      try {
        const r = await upload(this.api, 'POST', '/api/dnc/import?source=registry', await file.files[0].text(), 'text/csv');
        report.replaceChildren(el('div', { class: `message ${r.rejected ? 'warning' : 'ok'}` },
          el('p', { dataset: { testid: 'dnc-import-summary' } }, `${r.added} added, ${r.duplicates} already listed, ${r.rejected} rejected.`),
          r.rejectedLines.length ? table([
            { label: 'Line', value: (x) => String(x.line), num: true },
            { label: 'Value', value: (x) => x.value },
            { label: 'Why', value: (x) => x.reason },
          ], r.rejectedLines, { testid: 'dnc-rejected' }) : null,
          r.rejectedLinesTruncated ? el('p', { class: 'muted' }, 'Only the first rejected lines are shown.') : null));
        load();
      } catch (error) {
        say(report, error.message);
      }
    };
    this.root.replaceChildren(
      el('div', { class: 'page-head' }, el('h1', {}, 'Do-not-call list')),
      el('div', { class: 'grid-2' },
        el('section', { class: 'card' }, el('h2', {}, 'Search'), search, message, results),
        edit ? el('div', { class: 'stack' },
          el('section', { class: 'card' }, el('h2', {}, 'Add a number'), addForm),
          el('section', { class: 'card' }, el('h2', {}, 'Registry import'),
            el('p', { class: 'muted' }, 'A national registry extract or any list: valid numbers are added, the others reported by line.'),
            el('div', { class: 'switch-row' }, file, el('button', { type: 'button', dataset: { testid: 'dnc-import' }, onclick: importIt }, 'Import')),
            report)) : null));
    load();
  }

  async remove(e164, message, reload) {
    try {
      await this.api.request('DELETE', `/api/dnc/${enc(e164)}`);
      say(message, `${e164} removed.`, 'ok');
      reload();
    } catch (error) {
      say(message, error.message);
    }
  }
}
