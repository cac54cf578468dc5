// Driver commands for the softphone page's preview card (PreviewBrowserIT), mixed into softphone-driver.mjs's
// command table.

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * @param ctx.page         () => the Playwright page
 * @param ctx.waitForState the driver's poll of the page's state
 * @param ctx.noNotice     fails at once when the page shows an error notice
 */
export function previewCommands({ page, waitForState, noNotice }) {
  const byTestId = (id) => page().locator(`[data-testid="${id}"]`);

  return {
    /** The preview card once it shows this lead: its kind, text and previous attempts as shown. */
    async awaitOffer({ name, timeoutMs = DEFAULT_TIMEOUT_MS }) {
      const card = page().locator('[data-testid="offer-panel"]:visible', { hasText: name });
      await card.waitFor({ timeout: timeoutMs });
      return {
        kind: await card.getAttribute('data-kind'),
        text: await card.innerText(),
        attempts: await card.locator('[data-testid="offer-attempt"]').allInnerTexts(),
      };
    },

    /** Skip on the preview card, with the agent's reason; answers once the card shows someone else or nobody. */
    async skipOffer({ name, reason, timeoutMs = DEFAULT_TIMEOUT_MS }) {
      await byTestId('offer-skip-reason').fill(reason);
      await byTestId('offer-skip').click();
      await page().waitForFunction((n) => {
        const panel = document.querySelector('[data-testid="offer-panel"]');
        return panel.hidden || !panel.innerText.includes(n);
      }, name, { timeout: timeoutMs });
      return { skipped: name };
    },

    /** Dial on the preview card: the page places the call with the lead's id; answers once the call is talking. */
    async dialOffer({ timeoutMs = DEFAULT_TIMEOUT_MS }) {
      await byTestId('offer-dial').click();
      return waitForState('the preview call to be talking', (s) => noNotice(s).call?.status === 'talking', timeoutMs);
    },
  };
}
