// Driver commands for the console's management pages (ConsoleManagementBrowserIT): campaigns, lead import, reports
// and a screenshot of any page. Each waits for what the page shows, never for a fixed time.

export function consoleManagementCommands({ page }) {
  const byTestId = (id) => page().locator(`[data-testid="${id}"]`);

  async function open(hash, readyTestId, timeoutMs) {
    await page().evaluate((h) => { location.hash = h; }, hash);
    await byTestId(readyTestId).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async function openCampaign(name, timeoutMs) {
    await open('#campaigns', 'campaign-list', timeoutMs);
    await byTestId(`campaign-row-${name}`).locator('[data-testid="campaign-link"]').click();
    await byTestId('switch-card').waitFor({ timeout: timeoutMs });
  }

  /** Painted pixels of a canvas: a chart that drew nothing has none. */
  const painted = (testid) => page().evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`);
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
    return count;
  }, testid);

  return {
    /** Opens the campaign, types the reason, switches it off; answers what the page then shows. */
    async switchCampaignOff({ name, reason, timeoutMs = 15_000 }) {
      await openCampaign(name, timeoutMs);
      await byTestId('switch-reason').fill(reason);
      await byTestId('switch-off').click();
      await byTestId('switch-on').waitFor({ timeout: timeoutMs });
      return {
        status: await byTestId('switch-card').locator('[data-testid="campaign-status"]').getAttribute('data-status'),
        why: await byTestId('switch-why').innerText(),
      };
    },

    /** Chooses a CSV file in the campaign's import and answers the validation report the page shows. */
    async importLeadsCsv({ name, csv, timeoutMs = 15_000 }) {
      await openCampaign(name, timeoutMs);
      await byTestId('leads-file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await byTestId('leads-import').click();
      await byTestId('import-summary').waitFor({ timeout: timeoutMs });
      const rejected = await byTestId('import-rejected').locator('tbody tr').evaluateAll((rows) =>
        rows.map((tr) => [...tr.children].map((td) => td.textContent)));
      await byTestId('leads').first().waitFor({ timeout: timeoutMs });
      return {
        summary: await byTestId('import-summary').innerText(),
        rejected: rejected.map(([line, value, reason]) => ({ line: Number(line), value, reason })),
        leadRows: await byTestId('leads').locator('tbody tr').count(),
      };
    },

    /** The reports page for a day: the figures shown and how much each chart painted. */
    async showReports({ from, to = from, interval = 'hour', timeoutMs = 15_000 }) {
      await open('#reports', 'report-run', timeoutMs);
      await byTestId('report-from').fill(from);
      await byTestId('report-to').fill(to);
      await byTestId('report-interval').selectOption(interval);
      await byTestId('report-run').click();
      // The default range's report is already on the page: wait for the answer to this range, not that one.
      await page().locator(`[data-testid="reports-body"][data-shown="${from}/${to}/${interval}"]`).waitFor({ timeout: timeoutMs });
      await byTestId('intervals-chart').waitFor({ timeout: timeoutMs });
      await page().waitForFunction(() => [...document.querySelectorAll('#page-reports canvas')].every((c) => c.width > 0),
        null, { timeout: timeoutMs });
      const text = async (id) => byTestId(id).innerText();
      return {
        offered: await text('r-offered'),
        answered: await text('r-answered'),
        serviceLevel: await text('r-sl'),
        charts: {
          intervals: await painted('intervals-chart'),
          agents: await painted('agents-chart'),
          campaigns: await painted('campaigns-chart'),
        },
      };
    },

    /**
     * Opens the campaign's settings, sets fields by key (cf-<key>: a select's value or an input's text; '' empties),
     * saves, and answers the page's message; the settings are left open for a screenshot.
     */
    async saveCampaignSettings({ name, values, timeoutMs = 15_000 }) {
      await openCampaign(name, timeoutMs);
      await page().locator('details:has([data-testid="campaign-form"]) > summary').click();
      for (const [key, value] of Object.entries(values)) {
        const input = byTestId(`cf-${key}`);
        if (await input.evaluate((e) => e.tagName === 'SELECT')) await input.selectOption(String(value));
        else await input.fill(String(value));
      }
      await byTestId('campaign-save').click();
      const message = page().locator('[data-testid="campaign-form"] .message');
      await message.waitFor({ timeout: timeoutMs });
      return { message: await message.innerText(), ok: await message.evaluate((e) => e.classList.contains('ok')) };
    },

    /** Ticks the statuses in the campaign's Recycle card and recycles; answers the page's message. */
    async recycleCampaign({ name, statuses, timeoutMs = 15_000 }) {
      await openCampaign(name, timeoutMs);
      for (const status of statuses) await byTestId(`recycle-${status}`).check();
      await byTestId('recycle').click();
      const message = byTestId('recycle-message').locator('.message');
      await message.waitFor({ timeout: timeoutMs });
      return { message: await message.innerText(), ok: await message.evaluate((e) => e.classList.contains('ok')) };
    },

    /** Saves a full-page screenshot of what is shown now. */
    async screenshotNow({ name, dir }) {
      const path = `${dir}/${name}.png`;
      await page().screenshot({ path, fullPage: true });
      return { path };
    },

    /** Signs out of the console and waits for the sign-in form, so another user can sign in on this browser. */
    async signOut({ timeoutMs = 15_000 }) {
      await byTestId('logout').click();
      await byTestId('login-username').waitFor({ timeout: timeoutMs });
      return { path: new URL(page().url()).pathname };
    },

    /** Shows a console page by its hash, waits for an element of it, and saves a full-page screenshot. */
    async screenshotPage({ hash, ready, name, dir }) {
      await open(hash, ready, 15_000);
      // Charts draw in a microtask after their card: let the page paint once more.
      await page().evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const path = `${dir}/${name}.png`;
      await page().screenshot({ path, fullPage: true });
      return { path };
    },
  };
}
