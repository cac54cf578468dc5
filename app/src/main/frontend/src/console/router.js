// The console's pages by the address's hash (#wallboard, #campaigns/<id>, #dnc, #people, #queues/<id>, #reports, #api): one page
// shown at a time, tabs a user cannot use are not shown.
import { can } from '../roles.js';
import { ApiDocsPage } from './apidocs.js';
import { CampaignsPage } from './campaigns.js';
import { DncPage } from './dnc.js';
import { PeoplePage } from './people.js';
import { QueuesPage } from './queues.js';
import { ReportsPage } from './reports.js';

export class Router {
  constructor(api, view) {
    this.view = view;
    this.pages = {
      campaigns: new CampaignsPage(api, view),
      dnc: new DncPage(api, view),
      people: new PeoplePage(api, view),
      queues: new QueuesPage(api, view),
      reports: new ReportsPage(api, view),
      api: new ApiDocsPage(api),
    };
    this.current = null;
    for (const tab of document.querySelectorAll('#tabs a')) {
      tab.hidden = Boolean(tab.dataset.needs) && !can(view.me, tab.dataset.needs);
    }
    window.addEventListener('hashchange', () => this.route());
    this.route();
  }

  route() {
    const [name, arg] = location.hash.replace(/^#/, '').split('/');
    const tab = document.querySelector(`#tabs a[data-page="${name}"]`);
    const page = tab && !tab.hidden ? name : 'wallboard';
    this.current = page;
    for (const section of document.querySelectorAll('main.page')) section.hidden = section.dataset.page !== page;
    for (const a of document.querySelectorAll('#tabs a')) a.setAttribute('aria-current', a.dataset.page === page ? 'page' : 'false');
    this.pages[page]?.show(arg ? decodeURIComponent(arg) : undefined)
      ?.catch?.((e) => console.error(`page ${page} failed`, e));
  }

  /** A new wallboard frame: pages showing live state redraw it. */
  boardChanged() {
    if (this.current === 'people') this.pages.people.refresh();
    if (this.current === 'queues') this.pages.queues.refresh();
  }

  teamChanged() {
    if (['reports', 'people', 'queues'].includes(this.current)) this.route();
  }
}
