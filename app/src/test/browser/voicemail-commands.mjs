// Driver commands for the softphone page's voicemail list (VoicemailBrowserIT), mixed into softphone-driver.mjs's
// command table.

/** @param ctx.page () => the Playwright page */
export function voicemailCommands({ page }) {
  const byTestId = (id) => page().locator(`[data-testid="${id}"]`);
  const voicemailState = () => page().evaluate(() => window.softphone?.state().voicemail ?? null);

  async function waitForVoicemail(description, predicate, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    while (Date.now() < deadline) {
      last = await voicemailState().catch(() => null);
      if (last && predicate(last)) return last;
      await page().waitForTimeout(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; voicemail: ${JSON.stringify(last)}`);
  }

  const rows = () => byTestId('voicemail-row').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.messageId,
    fresh: tr.classList.contains('fresh'),
    text: tr.innerText,
  })));

  return {
    /** Waits (without reloading the page: the server's push must bring it) for at least {@code count} messages. */
    async awaitVoicemail({ count = 1, timeoutMs = 15_000 }) {
      const state = await waitForVoicemail(`${count} voicemail message(s)`, (s) => s.messages >= count, timeoutMs);
      return { state, rows: await rows(), newBadge: await byTestId('voicemail-new').innerText() };
    },

    /**
     * Plays a message in the page: clicks Play, waits until its audio element has played {@code seconds}, and
     * measures the tone in the audio it plays (decoded from the element's source): the level at {@code frequency}
     * against one well off it.
     */
    async playVoicemail({ index = 0, frequency, seconds = 1.5, timeoutMs = 15_000 }) {
      await byTestId('voicemail-play').nth(index).click();
      const audio = byTestId('voicemail-audio');
      await audio.waitFor({ state: 'attached', timeout: timeoutMs });
      await page().waitForFunction((s) => {
        const element = document.querySelector('[data-testid="voicemail-audio"]');
        return element && element.currentTime >= s;
      }, seconds, { timeout: timeoutMs });
      const measured = await page().evaluate(async (hz) => {
        const element = document.querySelector('[data-testid="voicemail-audio"]');
        const bytes = await (await fetch(element.src)).arrayBuffer();
        const ctx = new AudioContext();
        const decoded = await ctx.decodeAudioData(bytes);
        const samples = decoded.getChannelData(0);
        const level = (f) => {
          // Goertzel over the whole message: the power of one frequency.
          const k = 2 * Math.cos(2 * Math.PI * f / decoded.sampleRate);
          let s1 = 0;
          let s2 = 0;
          for (let i = 0; i < samples.length; i++) {
            const s0 = samples[i] + k * s1 - s2;
            s2 = s1;
            s1 = s0;
          }
          return s1 * s1 + s2 * s2 - k * s1 * s2;
        };
        return {
          seconds: decoded.duration,
          toneLevel: level(hz),
          offLevel: level(hz * 1.37),
          currentTime: element.currentTime,
          paused: element.paused,
        };
      }, frequency);
      return measured;
    },

    /** Waits until the list shows no new message (the page told the server it was heard; the push came back). */
    async awaitVoicemailHeard({ timeoutMs = 15_000 }) {
      const state = await waitForVoicemail('every message heard', (s) => s.fresh === 0 && s.messages > 0, timeoutMs);
      return { state, rows: await rows() };
    },

    async deleteVoicemail({ index = 0, timeoutMs = 15_000 }) {
      const before = (await voicemailState()).messages;
      await byTestId('voicemail-delete').nth(index).click();
      return waitForVoicemail('the message gone', (s) => s.messages === before - 1, timeoutMs);
    },
  };
}
