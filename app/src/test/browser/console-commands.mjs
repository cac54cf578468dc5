// Driver commands for the console and for where each role lands after signing in (ConsoleBrowserIT). Kept apart
// from softphone-driver.mjs, which mixes them into its command table.

/**
 * @param ctx.page      () => the Playwright page
 * @param ctx.startUrl  the site root, which redirects to the sign-in form
 * @param ctx.analyseRemoteAudio ({ms, frequencies}) => the spectrum of what the page's remote-audio element plays
 */
export function consoleCommands({ page, startUrl, analyseRemoteAudio }) {
  const byTestId = (id) => page().locator(`[data-testid="${id}"]`);
  const consoleState = () => page().evaluate(() => window.consolePage?.state() ?? null);
  const visible = async (ids) => Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await byTestId(id).first().isVisible()])));

  async function waitForConsole(description, predicate, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    while (Date.now() < deadline) {
      last = await consoleState().catch(() => null);
      if (last && predicate(last)) return last;
      await page().waitForTimeout(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; console: ${JSON.stringify(last)}`);
  }

  return {
    /** Signs in on the common form and reports where the user landed and which controls they can see. */
    async signIn({ username, password, timeoutMs = 20_000 }) {
      await page().goto(startUrl);
      await page().waitForURL(/\/softphone\//);
      await byTestId('login-username').fill(username);
      await byTestId('login-password').fill(password);
      await byTestId('login-submit').click();
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const path = new URL(page().url()).pathname;
        if (path.startsWith('/console/') && await byTestId('console-view').isVisible()) {
          await byTestId('live').and(page().locator('[data-state="live"]')).waitFor({ timeout: timeoutMs });
          return { path, page: 'console', visible: await visible(['console-view', 'tiles', 'agent-rows', 'dial-panel', 'team-select']) };
        }
        if (path.startsWith('/softphone/') && await byTestId('app-view').isVisible()) {
          // Let the page settle its panels (history, state) before looking at what it shows.
          await page().waitForTimeout(1000);
          return {
            path,
            page: 'softphone',
            visible: await visible(['app-view', 'dial-panel', 'dialpad', 'agent-state', 'state-available',
              'state-break', 'registration-state', 'events-offline', 'history-refresh', 'console-view']),
          };
        }
        await page().waitForTimeout(100);
      }
      throw new Error(`${username} landed nowhere within ${timeoutMs} ms; at ${page().url()}`);
    },

    consoleState: () => consoleState(),

    /** The console's own phone (a manager with a phone) registered. */
    awaitConsolePhone: ({ timeoutMs = 20_000 }) => waitForConsole('the console phone to register',
      (s) => s.supervision?.registration === 'registered', timeoutMs),

    /** Clicks Listen on the agent's row, then waits until the supervisor's phone is in the call. */
    async monitor({ extension, timeoutMs = 15_000 }) {
      await byTestId(`agent-${extension}`).locator('[data-testid="monitor"]').click();
      return waitForConsole(`listening to ${extension}`,
        (s) => s.supervision?.error == null && s.supervision?.session?.connected && s.supervision.session.mode === 'listen',
        timeoutMs);
    },

    /** Clicks a mode button of the supervision bar and waits until the server took it. */
    async superviseMode({ mode, timeoutMs = 15_000 }) {
      await byTestId(`supervise-${mode}`).click();
      const state = await waitForConsole(`supervising in ${mode}`, (s) => {
        if (s.supervision?.error) throw new Error(`supervision refused: ${s.supervision.error}`);
        return s.supervision?.session?.mode === mode;
      }, timeoutMs);
      return { state, pressed: await byTestId(`supervise-${mode}`).getAttribute('aria-pressed') };
    },

    consoleAudio: ({ ms = 2000, frequencies = [] }) => analyseRemoteAudio({ ms, frequencies }),

    /** Waits until the wallboard shows the agent in the state (and, for ON_CALL, with a call); when it first did. */
    async awaitWallboardAgent({ extension, state, timeoutMs = 15_000 }) {
      const board = await waitForConsole(`agent ${extension} ${state} on the wallboard`, (s) => {
        const agent = s.board?.agents.find((a) => a.extension === extension);
        return agent?.state === state && (state !== 'ON_CALL' || agent.call);
      }, timeoutMs);
      const seenAt = Date.now();
      const row = byTestId(`agent-${extension}`);
      return {
        seenAt,
        agent: board.board.agents.find((a) => a.extension === extension),
        team: board.board.team,
        campaigns: board.board.campaigns,
        shown: {
          state: await row.locator('[data-testid="agent-state"]').innerText(),
          call: await row.locator('[data-testid="agent-call"]').innerText(),
        },
      };
    },
  };
}
