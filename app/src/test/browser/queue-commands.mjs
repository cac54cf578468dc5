// Driver commands for queues (QueueAdminBrowserIT): the console's Queues page (create a queue, add a member) and the
// agent page's "My queues" (log in or out of one). Each waits for what the page shows, never for a fixed time.

export function queueCommands({ page }) {
  const byTestId = (id) => page().locator(`[data-testid="${id}"]`);

  const listed = () => byTestId('queues-list').locator('tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [...tr.children].map((td) => td.textContent)));

  return {
    /** Console: opens Queues, fills the new-queue form and saves it; answers the list as then shown. */
    async createQueue({ name, strategy = 'longest_idle', maxWaitSeconds = 300, callback = false, timeoutMs = 15_000 }) {
      await page().evaluate(() => { location.hash = '#queues'; });
      await byTestId('queue-new').click();
      await byTestId('queue-form').waitFor({ timeout: timeoutMs });
      await byTestId('queue-name').fill(name);
      await byTestId('queue-strategy').selectOption(strategy);
      await byTestId('queue-maxWaitSeconds').fill(String(maxWaitSeconds));
      await byTestId('queue-callbackEnabled').setChecked(callback);
      await byTestId('queue-save').click();
      await byTestId(`queue-row-${name}`).waitFor({ timeout: timeoutMs });
      await byTestId('queue-members').or(byTestId('queue-members-empty')).waitFor({ timeout: timeoutMs });
      return { rows: await listed() };
    },

    /** Console: with the queue open, adds the agent (by extension) at a level; answers the members shown. */
    async addQueueMember({ extension, level = 1, timeoutMs = 15_000 }) {
      const option = await byTestId('member-agent').locator('option').evaluateAll((options, ext) =>
        options.find((o) => o.textContent.startsWith(`${ext} `))?.value, extension);
      if (!option) throw new Error(`agent ${extension} is not offered as a member`);
      await byTestId('member-agent').selectOption(option);
      await byTestId('member-level').fill(String(level));
      await byTestId('member-add').click();
      await byTestId(`member-${extension}`).waitFor({ timeout: timeoutMs });
      const members = await byTestId('queue-members').locator('tbody tr').evaluateAll((rows) =>
        rows.map((tr) => ({ extension: tr.children[0].textContent, level: tr.children[2].querySelector('input').value })));
      return { members, rows: await listed() };
    },

    /** Agent page: waits for the queue in "My queues" and answers each queue's login. */
    async myQueues({ name, timeoutMs = 15_000 }) {
      await page().locator(`[data-testid="my-queue"][data-queue="${name}"]`).waitFor({ timeout: timeoutMs });
      return page().evaluate(() => window.softphone.state().queues);
    },

    /** Agent page: clicks the queue's Log in / Log out and waits for the page to show the new login. */
    async toggleQueue({ name, timeoutMs = 15_000 }) {
      const item = page().locator(`[data-testid="my-queue"][data-queue="${name}"]`);
      const before = await item.getAttribute('data-logged-in');
      await item.locator('[data-testid="my-queue-toggle"]').click();
      await page().locator(`[data-testid="my-queue"][data-queue="${name}"][data-logged-in="${before === 'true' ? 'false' : 'true'}"]`)
        .waitFor({ timeout: timeoutMs });
      return page().evaluate(() => window.softphone.state().queues);
    },
  };
}
