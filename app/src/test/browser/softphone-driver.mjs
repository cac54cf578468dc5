// Drives the softphone page in headless Chromium for SoftphoneBrowserIT, one command per line.
//
// stdin:  {"id":1,"cmd":"login","username":"alice","password":"..."}      (one JSON object per line)
// stdout: {"id":1,"ok":true,"result":{...}}  or  {"id":1,"ok":false,"error":"...","state":{...}}
//         and first of all {"event":"ready"} once the browser runs.
// stderr: the page's console and errors, for the test log.
//
// Environment: SOFTPHONE_URL (the app's root, https://127.0.0.1:<port>/, which redirects to the page), FAKE_AUDIO_WAV (what the fake microphone
// plays), ARTIFACTS_DIR (screenshots of failures), CHROMIUM (default /usr/bin/chromium), TRUST_SPKI (base64
// SHA-256 of the development CA's public key: the one extra authority the browser accepts).
// The Java side owns the timing of the far end (carrier phone); every command here has its own deadline, and
// the process exits when stdin closes or nothing arrives for IDLE_EXIT_MS, so nothing outlives a broken test.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { consoleCommands } from './console-commands.mjs';
import { voicemailCommands } from './voicemail-commands.mjs';
import { previewCommands } from './preview-commands.mjs';
import { consoleManagementCommands } from './console-management-commands.mjs';
import { queueCommands } from './queue-commands.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// playwright-core is a devDependency of the page's package: resolve it from there, not from this folder.
const frontendDir = resolve(process.env.FRONTEND_DIR ?? join(here, '../../main/frontend'));
const { chromium } = createRequire(join(frontendDir, 'package.json'))('playwright-core');

const SOFTPHONE_URL = required('SOFTPHONE_URL');
const FAKE_AUDIO_WAV = required('FAKE_AUDIO_WAV');
const ARTIFACTS_DIR = process.env.ARTIFACTS_DIR ?? tmpdir();
const DEFAULT_TIMEOUT_MS = 15_000;
const IDLE_EXIT_MS = 5 * 60_000;

const userDataDir = mkdtempSync(join(tmpdir(), 'softphone-chromium-'));
let context;
let page;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`softphone-driver: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

function log(...args) {
  console.error('[driver]', ...args);
}

async function launch() {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      // Microphone without a device or a permission prompt, fed from the test's WAV file (looped).
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${FAKE_AUDIO_WAV}`,
      // Host candidates as real addresses: Asterisk cannot resolve Chrome's mDNS .local names.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required',
      // This machine has no route out: keep Chromium from trying (and logging refusals) at every start.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      // HTTPS and WSS with the test run's development CA (scripts/dev-certs.sh): its key is accepted as an
      // authority, nothing else is (no blanket --ignore-certificate-errors).
      ...(process.env.TRUST_SPKI ? [`--ignore-certificate-errors-spki-list=${process.env.TRUST_SPKI}`] : []),
    ],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error}`));
  page.on('requestfailed', (request) => console.error(`[page request failed] ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
}

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
const softphoneState = () => page.evaluate(() => window.softphone?.state() ?? null);

/** Polls the page's state until predicate(state) holds; fails with the last state seen. */
async function waitForState(description, predicate, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    last = await softphoneState();
    if (last && predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; state: ${JSON.stringify(last)}`);
}

/** Fails at once when the page shows an error notice, rather than waiting for the deadline. */
function noNotice(state) {
  if (state.notice) throw new Error(`page shows a notice: ${state.notice.title}: ${state.notice.detail}`);
  return state;
}

async function typeOnDialpad(number) {
  await byTestId('dial-number').fill('');
  for (const ch of number) {
    if (ch === '+') {
      // "+" is a long press on 0, as on mobile phones.
      await byTestId('dialpad-0').hover();
      await page.mouse.down();
      await page.waitForTimeout(800);
      await page.mouse.up();
    } else if (/[0-9*#]/.test(ch)) {
      await byTestId(`dialpad-${ch === '*' ? 'star' : ch === '#' ? 'hash' : ch}`).click();
    }
  }
  const typed = await byTestId('dial-number').inputValue();
  if (typed !== number) throw new Error(`dialpad typed "${typed}" instead of "${number}"`);
}

/** The remote stream's spectrum through WebAudio: the peak frequency and the level at the given ones. */
function analyseRemoteAudio({ ms, frequencies }) {
  return page.evaluate(async ({ ms, frequencies }) => {
    const stream = document.querySelector('[data-testid="remote-audio"]').srcObject;
    // No track while on hold (the far end then sends nothing, and the browser removes the track from the stream).
    if (!stream?.getAudioTracks().length) return { error: 'no remote audio track on the audio element' };
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const frame = new Float32Array(analyser.frequencyBinCount);
    const power = new Float64Array(frame.length);
    let frames = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      analyser.getFloatFrequencyData(frame);
      for (let i = 0; i < frame.length; i++) power[i] += Number.isFinite(frame[i]) ? 10 ** (frame[i] / 10) : 0;
      frames++;
    }
    const hzPerBin = ctx.sampleRate / analyser.fftSize;
    await ctx.close();
    const db = (p) => (p > 0 ? 10 * Math.log10(p / frames) : -200);
    // Telephone band: the carrier's audio went through 8 kHz G.711 on its way here.
    const lo = Math.round(100 / hzPerBin);
    const hi = Math.round(3800 / hzPerBin);
    let peak = lo;
    for (let i = lo; i <= hi; i++) if (power[i] > power[peak]) peak = i;
    const band = Array.from(power.slice(lo, hi + 1)).sort((a, b) => a - b);
    const levels = {};
    for (const hz of frequencies) {
      const centre = Math.round(hz / hzPerBin);
      let max = 0;
      for (let i = centre - 3; i <= centre + 3; i++) max = Math.max(max, power[i]);
      levels[hz] = Math.round(db(max) * 10) / 10;
    }
    return {
      frames,
      sampleRate: ctx.sampleRate,
      peakHz: Math.round(peak * hzPerBin),
      peakDb: Math.round(db(power[peak]) * 10) / 10,
      medianDb: Math.round(db(band[band.length >> 1]) * 10) / 10,
      levels,
    };
  }, { ms, frequencies });
}

async function partyRow(row) {
  return {
    legId: await row.getAttribute('data-leg-id'),
    state: await row.getAttribute('data-state'),
    text: await row.innerText(),
  };
}

async function historyRows() {
  return byTestId('history-row').evaluateAll((rows) => rows.map((row) => {
    const cell = (name) => row.querySelector(`[data-testid="history-${name}"]`)?.textContent ?? null;
    return {
      callId: row.dataset.callId,
      direction: row.querySelector('[data-testid="history-dir"]')?.title ?? null,
      number: cell('number'),
      lead: cell('lead'),
      duration: cell('duration'),
      disposition: cell('disposition'),
      recording: Boolean(row.querySelector('[data-testid="history-recording"]')),
      unrecorded: row.querySelector('[data-testid="history-recording-failed"]')?.textContent ?? null,
    };
  }));
}

const commands = {
  async login({ username, password, timeoutMs = 20_000 }) {
    await page.goto(SOFTPHONE_URL);
    // The root redirects (meta refresh) to the page, as when an agent types the server's address.
    await page.waitForURL(/\/softphone\//);
    await byTestId('login-username').fill(username);
    await byTestId('login-password').fill(password);
    await byTestId('login-submit').click();
    return waitForState('SIP registration and the agent event stream',
      (s) => s.registration === 'registered' && s.eventsConnected && s.agentState !== 'UNKNOWN', timeoutMs);
  },

  state: () => softphoneState(),

  async setAgentState({ state, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    // Right after sign-in the server may still see the phone as offline and then, once it is reachable, restore
    // the agent's last choice by itself: the button turns disabled under the click. Click only while it is
    // enabled and the state still differs.
    const button = byTestId(state === 'BREAK' ? 'state-break' : 'state-available');
    const deadline = Date.now() + timeoutMs;
    let clicked = false;
    while (Date.now() < deadline) {
      const current = noNotice(await softphoneState());
      if (current.agentState === state) return current;
      if (!clicked && await button.isEnabled()) {
        await button.click({ timeout: 1000 }).then(() => { clicked = true; }, () => {});
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`agent state never became ${state}; state: ${JSON.stringify(await softphoneState())}`);
  },

  async dial({ number, leadId, timeoutMs }) {
    await typeOnDialpad(number);
    if (leadId) await byTestId('dial-lead').fill(leadId);
    await byTestId('dial-call').click();
    // The server answers 202 and then calls this phone with the auto-answer header.
    return waitForState('the server calling back (auto-answer)', (s) => noNotice(s).call?.autoAnswer, timeoutMs);
  },

  /** Tries a number the server must refuse; returns the notice the agent sees. */
  async dialExpectingRefusal({ number, timeoutMs }) {
    await byTestId('dial-number').fill(number);
    await byTestId('dial-call').click();
    const state = await waitForState('an error notice', (s) => s.notice, timeoutMs);
    await byTestId('notice-title').waitFor();
    return { notice: state.notice, shown: await byTestId('notice').innerText() };
  },

  awaitTalking: ({ timeoutMs }) => waitForState('the call to be talking',
    (s) => s.call?.status === 'talking', timeoutMs),

  async awaitIncoming({ timeoutMs = DEFAULT_TIMEOUT_MS }) {
    await byTestId('incoming-call').waitFor({ state: 'visible', timeout: timeoutMs });
    return { number: await byTestId('incoming-number').innerText(), state: await softphoneState() };
  },

  /** The ringing call's queue line and menu path as the page shows them, once the server's frame named the queue. */
  async awaitQueueDetails({ timeoutMs = DEFAULT_TIMEOUT_MS }) {
    await byTestId('incoming-queue').waitFor({ state: 'visible', timeout: timeoutMs });
    const path = byTestId('incoming-path');
    return {
      queue: await byTestId('incoming-queue').innerText(),
      path: (await path.isVisible()) ? await path.innerText() : null,
      state: await softphoneState(),
    };
  },

  async answer({ timeoutMs }) {
    await byTestId('incoming-answer').click();
    return waitForState('the answered call to be talking', (s) => s.call?.status === 'talking', timeoutMs);
  },

  /** RTP counters before and after `ms` of the call, and the remote audio's spectrum over that time. */
  async measureAudio({ ms = 2000, frequencies = [] }) {
    const before = await page.evaluate(() => window.softphone.stats());
    const tone = await analyseRemoteAudio({ ms, frequencies });
    const after = await page.evaluate(() => window.softphone.stats());
    return { before, after, tone };
  },

  async toggle({ control, timeoutMs }) {
    const key = { mute: 'muted', hold: 'held' }[control];
    const was = (await softphoneState()).call?.[key];
    await byTestId(`call-${control}`).click();
    return waitForState(`${control} to turn ${was ? 'off' : 'on'}`, (s) => s.call && s.call[key] === !was, timeoutMs);
  },

  async dtmf({ digits }) {
    if (await byTestId('dtmf-pad').isHidden()) await byTestId('call-keypad-toggle').click();
    for (const ch of digits) await byTestId(`dtmf-pad-${ch === '*' ? 'star' : ch === '#' ? 'hash' : ch}`).click();
    return softphoneState();
  },

  async hangup({ timeoutMs }) {
    await byTestId('call-hangup').click();
    return waitForState('the wrap-up panel after hanging up', (s) => !s.call && s.wrapUp, timeoutMs);
  },

  awaitEnded: ({ timeoutMs }) => waitForState('the call to end with wrap-up', (s) => !s.call && s.wrapUp, timeoutMs),

  async dispose({ code, note, timeoutMs }) {
    await byTestId('wrapup-panel').waitFor();
    await byTestId('wrapup-code').selectOption(code);
    if (note) await byTestId('wrapup-note').fill(note);
    await byTestId('wrapup-submit').click();
    return waitForState('the disposition to be saved', (s) => !noNotice(s).wrapUp, timeoutMs);
  },

  /** Wrap-up with a scheduled callback: CALLBACK, the person's local time and who calls back. */
  async scheduleCallback({ at, owner = 'AGENT', timeoutMs }) {
    await byTestId('wrapup-panel').waitFor();
    await byTestId('wrapup-code').selectOption('CALLBACK');
    await byTestId('wrapup-callback').waitFor();
    await byTestId('wrapup-callback-at').fill(at);
    await byTestId('wrapup-callback-owner').selectOption(owner);
    await byTestId('wrapup-submit').click();
    return waitForState('the callback and the disposition to be saved', (s) => !noNotice(s).wrapUp, timeoutMs);
  },

  /** The callbacks panel once one for this name is due (offered as a preview); its text. */
  async awaitCallbackPreview({ name, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    const item = page.locator('[data-testid="callback"][data-due="true"]', { hasText: name });
    await item.waitFor({ timeout: timeoutMs });
    return { text: await item.innerText(), status: await item.getAttribute('data-status') };
  },

  /** Dial on the due callback: the page places the call with the lead's id; answers once the call is talking. */
  async dialCallback({ name, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    await page.locator('[data-testid="callback"][data-due="true"]', { hasText: name })
      .getByTestId('callback-dial').click();
    return waitForState('the callback call to be talking', (s) => s.call?.status === 'talking', timeoutMs);
  },

  /** The history panel's rows once the given call shows there with a disposition (if one is expected). */
  async history({ callId, disposition, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    const deadline = Date.now() + timeoutMs;
    let rows = [];
    while (Date.now() < deadline) {
      rows = await historyRows();
      const row = rows.find((r) => r.callId === callId);
      if (row && (!disposition || row.disposition === disposition)) return { rows };
      await byTestId('history-refresh').click();
      await page.waitForTimeout(500);
    }
    throw new Error(`call ${callId} not in the history panel (disposition ${disposition}): ${JSON.stringify(rows)}`);
  },

  /**
   * Add party: types the target and clicks Add; done once the page lists the new party as ringing (or further).
   * Fails with the page's inline error if the server refused.
   */
  async addParty({ target, timeoutMs }) {
    const before = await byTestId('party').count();
    await byTestId('party-target').fill(target);
    await byTestId('party-add').click();
    const deadline = Date.now() + (timeoutMs ?? DEFAULT_TIMEOUT_MS);
    while (Date.now() < deadline) {
      if (await byTestId('party-error').isVisible()) {
        throw new Error(`adding ${target} refused: ${await byTestId('party-error').innerText()}`);
      }
      const parties = byTestId('party');
      if (await parties.count() > before) {
        const added = parties.nth(before);
        if (['ringing', 'joining', 'joined'].includes(await added.getAttribute('data-state'))) {
          return { party: await partyRow(added), state: await softphoneState() };
        }
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`the page never listed ${target} as ringing`);
  },

  /** Waits until the page lists a party in the given state (ringing, joining, joined, failed, left). */
  async awaitParty({ state, timeoutMs }) {
    const row = page.locator(`[data-testid="party"][data-state="${state}"]`).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    return {
      party: await partyRow(row),
      parties: await byTestId('party').evaluateAll((rows) => rows.map((r) => r.dataset.state)),
      full: await byTestId('party-full').isVisible(),
      addDisabled: await byTestId('party-add').isDisabled(),
    };
  },

  /** Tries a target the server must refuse; returns the inline error the agent sees. */
  async addPartyExpectingRefusal({ target, timeoutMs }) {
    await byTestId('party-target').fill(target);
    await byTestId('party-add').click();
    const error = byTestId('party-error');
    await error.waitFor({ state: 'visible', timeout: timeoutMs });
    return { shown: await error.innerText(), type: await error.getAttribute('data-type'), parties: await byTestId('party').count() };
  },

  /** Waits until the recording indicator shows the state (on, paused, off, failed); what it says then. */
  async awaitRecordingIndicator({ state, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    await page.locator(`[data-testid="recording-indicator"][data-state="${state}"]`)
      .waitFor({ state: 'visible', timeout: timeoutMs });
    return {
      indicator: await byTestId('recording-indicator').innerText(),
      title: await byTestId('recording-indicator').getAttribute('title'),
      toggleDisabled: await byTestId('recording-toggle').isDisabled(),
      toggleVisible: await byTestId('recording-toggle').isVisible(),
    };
  },

  /** Clicks Pause or Resume recording (whichever the wanted state needs) and waits for the indicator to show it. */
  async recording({ paused, timeoutMs }) {
    const indicator = byTestId('recording-indicator');
    // The recording starts once the far end answers; the page learns it from the call record.
    await page.locator('[data-testid="recording-indicator"]:is([data-state="on"], [data-state="paused"])')
      .waitFor({ state: 'visible', timeout: timeoutMs });
    const want = paused ? 'paused' : 'on';
    if (await indicator.getAttribute('data-state') !== want) await byTestId('recording-toggle').click();
    await page.locator(`[data-testid="recording-indicator"][data-state="${want}"]`).waitFor({ state: 'visible', timeout: timeoutMs });
    if (await byTestId('recording-error').isVisible()) {
      throw new Error(`recording ${want}: ${await byTestId('recording-error').innerText()}`);
    }
    return {
      indicator: await indicator.innerText(),
      toggle: await byTestId('recording-toggle').innerText(),
      pressed: await byTestId('recording-toggle').getAttribute('aria-pressed'),
    };
  },

  /**
   * Transfer: types the target and clicks Blind or Attended. Blind is done when the page has left the call (the
   * server hangs up the agent's leg); attended once the page shows the target ringing. Fails with the page's inline
   * error if the server refused.
   */
  async transfer({ target, mode, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    await byTestId('transfer-target').fill(target);
    await byTestId(mode === 'blind' ? 'transfer-blind' : 'transfer-attended').click();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await byTestId('transfer-error').isVisible()) {
        throw new Error(`${mode} transfer to ${target} refused: ${await byTestId('transfer-error').innerText()}`);
      }
      const s = await softphoneState();
      if (mode === 'blind' && !s.call && s.wrapUp) return s;
      const status = byTestId('transfer-status');
      if (mode !== 'blind' && await status.isVisible() && ['ringing', 'consulting'].includes(await status.getAttribute('data-state'))) {
        return { status: await status.getAttribute('data-state'), text: await byTestId('transfer-status-text').innerText(), state: s };
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`${mode} transfer to ${target} did not get going; state: ${JSON.stringify(await softphoneState())}`);
  },

  /** Tries a transfer the server must refuse; returns the inline error the agent sees. */
  async transferExpectingRefusal({ target, mode, timeoutMs }) {
    await byTestId('transfer-target').fill(target);
    await byTestId(mode === 'blind' ? 'transfer-blind' : 'transfer-attended').click();
    const error = byTestId('transfer-error');
    await error.waitFor({ state: 'visible', timeout: timeoutMs });
    return { shown: await error.innerText(), type: await error.getAttribute('data-type'), state: await softphoneState() };
  },

  /** Waits until the transfer panel shows the given state (ringing, consulting); returns what it says. */
  async awaitTransfer({ state, timeoutMs }) {
    await page.locator(`[data-testid="transfer-status"][data-state="${state}"]`).waitFor({ state: 'visible', timeout: timeoutMs });
    return {
      text: await byTestId('transfer-status-text').innerText(),
      completeEnabled: await byTestId('transfer-complete').isEnabled(),
      cancelEnabled: await byTestId('transfer-cancel').isEnabled(),
      callStatus: await byTestId('call-status').innerText(),
    };
  },

  async completeTransfer({ timeoutMs }) {
    await byTestId('transfer-complete').click();
    // The server hangs up the agent's leg once the target has the caller.
    return waitForState('the page to leave the call after completing the transfer', (s) => !s.call && s.wrapUp, timeoutMs);
  },

  async cancelTransfer({ timeoutMs }) {
    await byTestId('transfer-cancel').click();
    await byTestId('transfer-status').waitFor({ state: 'hidden', timeout: timeoutMs });
    await byTestId('transfer-form').waitFor({ state: 'visible', timeout: timeoutMs });
    if (await byTestId('transfer-error').isVisible()) {
      throw new Error(`cancel: ${await byTestId('transfer-error').innerText()}`);
    }
    return softphoneState();
  },

  async screenshot({ name }) {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return { path };
  },
};

Object.assign(commands, consoleCommands({ page: () => page, startUrl: SOFTPHONE_URL, analyseRemoteAudio }));
Object.assign(commands, voicemailCommands({ page: () => page }));
Object.assign(commands, previewCommands({ page: () => page, waitForState, noNotice }));
Object.assign(commands, consoleManagementCommands({ page: () => page }));
Object.assign(commands, queueCommands({ page: () => page }));

async function run(request) {
  const handler = commands[request.cmd];
  if (!handler) return { id: request.id, ok: false, error: `unknown command ${request.cmd}` };
  try {
    return { id: request.id, ok: true, result: (await handler(request)) ?? null };
  } catch (error) {
    log(`${request.cmd} failed:`, error.stack ?? error);
    let state = null;
    try {
      state = await softphoneState();
      await commands.screenshot({ name: `failed-${request.id}-${request.cmd}` });
    } catch { /* the page may be gone */ }
    return { id: request.id, ok: false, error: String(error.message ?? error), state };
  }
}

let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  try {
    await context?.close();
  } catch (e) {
    log('closing the browser failed:', e.message);
  }
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGTERM', () => shutdown(143));
process.on('SIGINT', () => shutdown(130));

try {
  await launch();
} catch (error) {
  console.log(JSON.stringify({ event: 'failed', error: String(error.message ?? error) }));
  await shutdown(1);
}
console.log(JSON.stringify({ event: 'ready' }));

let idleTimer = setTimeout(() => { log('no command for too long, exiting'); shutdown(3); }, IDLE_EXIT_MS);
// One command at a time, in order: the test's steps are sequential.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => { log('no command for too long, exiting'); shutdown(3); }, IDLE_EXIT_MS);
  queue = queue.then(async () => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      console.log(JSON.stringify({ ok: false, error: `not JSON: ${line}` }));
      return;
    }
    if (request.cmd === 'quit') {
      console.log(JSON.stringify({ id: request.id, ok: true, result: null }));
      await shutdown(0);
    }
    console.log(JSON.stringify(await run(request)));
  });
});
lines.on('close', () => queue.then(() => shutdown(0)));
