// The campaign form, driven by one list of fields: each says where its value is read in a campaign as the server
// answers it and where it goes in the settings the server takes (PUT/POST /api/campaigns). A new setting of the
// dialler is one more entry here.
import { el } from './ui.js';

/** Outcomes the dialler may try again after, each with its wait; the first four may also cap the attempts. */
const OUTCOME_WAITS = [['NO_ANSWER', 'no answer'], ['BUSY', 'busy'], ['VOICEMAIL', 'a machine'],
  ['DISCONNECTED', 'a failed dial'], ['ABANDONED', 'an abandoned call'], ['CALLBACK', 'a callback without a time']];
const CAPPED = ['NO_ANSWER', 'BUSY', 'VOICEMAIL', 'DISCONNECTED'];
export const MODE_CODES = { CONSERVATIVE: '1.5', BALANCED: '2.0', AGGRESSIVE: '3.0', ADAPTIVE: 'ADAPTIVE', PREDICTIVE: 'PREDICTIVE',
  PROGRESSIVE: 'PROGRESSIVE', PREVIEW: 'PREVIEW' };

/** ISO-8601 durations ("PT1H30M") or seconds, as Jackson may write a java.time.Duration. */
export function durationSeconds(value) {
  if (value == null) return null;
  if (typeof value === 'number') return value;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value);
  if (!m) return null;
  return (Number(m[1] ?? 0) * 86400) + (Number(m[2] ?? 0) * 3600) + (Number(m[3] ?? 0) * 60) + Number(m[4] ?? 0);
}

const minutes = (s) => (s == null ? '' : String(Math.round(s / 60)));

export const FIELDS = [
  { group: 'Campaign', key: 'name', label: 'Name', type: 'text', required: true, from: (c) => c.name, to: 'name' },
  { group: 'Campaign', key: 'callerIdNumber', label: 'Caller ID (one of the team\'s numbers)', type: 'tel',
    from: (c) => c.callerIdNumber, to: 'callerIdNumber' },
  { group: 'Pacing', key: 'dialRatio', label: 'Dial ratio', type: 'select',
    options: [['1.5', '1.5 per agent'], ['2.0', '2.0 per agent'], ['3.0', '3.0 per agent'], ['ADAPTIVE', 'Adaptive (steered by the abandon rate)'],
      ['PREDICTIVE', 'Predictive (dials ahead of agents about to finish)'], ['PROGRESSIVE', 'Progressive (one per free agent, held: no abandons)'],
      ['PREVIEW', 'Preview (the agent sees the lead, then dials or skips it)']],
    from: (c) => MODE_CODES[c.dialMode] ?? 'ADAPTIVE', to: 'dialRatio' },
  { group: 'Pacing', key: 'targetAbandonRate', label: 'Target abandon rate (%, at most 3)', type: 'number', step: '0.1',
    min: '0.1', max: '3', from: (c) => (c.targetAbandonRate * 100).toFixed(1), to: 'targetAbandonRate', parse: (v) => Number(v) / 100 },
  { group: 'Pacing', key: 'amdErrorRate', label: 'Assumed detection error (% of people called machines)', type: 'number',
    step: '0.1', min: '0', max: '49', from: (c) => (c.compliance.amdErrorRate * 100).toFixed(1), to: 'amdErrorRate', parse: (v) => Number(v) / 100 },
  { group: 'Calling hours (the lead\'s local time, inside 08:00-21:00)', key: 'hoursStart', label: 'From', type: 'time',
    from: (c) => c.callingHours.start.slice(0, 5), to: 'callingHours.start' },
  { group: 'Calling hours (the lead\'s local time, inside 08:00-21:00)', key: 'hoursEnd', label: 'Until', type: 'time',
    from: (c) => c.callingHours.end.slice(0, 5), to: 'callingHours.end' },
  { group: 'Retry rules', key: 'maxAttempts', label: 'Attempts per lead at most', type: 'number', min: '1', max: '20',
    from: (c) => c.retry.maxAttempts, to: 'retry.maxAttempts', parse: Number },
  { group: 'Retry rules', key: 'minGap', label: 'Minutes between attempts at least', type: 'number', min: '0',
    from: (c) => minutes(durationSeconds(c.retry.minGap)), to: 'retry.minGapSeconds', parse: (v) => Number(v) * 60 },
  ...OUTCOME_WAITS.flatMap(([outcome, name]) => [{
    group: 'Retry rules', key: `retry-${outcome}`, label: `Retry after ${name} (minutes, empty: never)`,
    type: 'number', min: '0', optional: true,
    from: (c) => minutes(durationSeconds(c.retry.retryAfter?.[outcome])),
    to: `retry.retryAfterSeconds.${outcome}`, parse: (v) => Number(v) * 60,
  }, CAPPED.includes(outcome) ? {
    group: 'Retry rules', key: `max-${outcome}`, label: `Attempts at most while it ends in ${name} (empty: the lead's maximum)`,
    type: 'number', min: '1', max: '20', optional: true,
    from: (c) => c.retry.maxAttemptsAfter?.[outcome] ?? '',
    to: `retry.maxAttemptsByOutcome.${outcome}`, parse: Number,
  } : null].filter(Boolean)),
  { group: 'Answering machines', key: 'amdMode', label: 'Detection', type: 'select',
    options: [['premium', 'Premium'], ['detect', 'Detect'], ['detect_beep', 'Detect and beep'], ['detect_words', 'Detect words'], ['greeting_end', 'Greeting end']],
    from: (c) => c.amdMode, to: 'amdMode' },
  { group: 'Answering machines', key: 'voicemailPolicy', label: 'On a machine', type: 'select',
    options: [['hangup', 'Hang up'], ['leave_message', 'Leave a message after the greeting']],
    from: (c) => (c.voicemailPolicy ?? 'HANGUP').toLowerCase(), to: 'voicemail.policy' },
  { group: 'Answering machines', key: 'voicemailMessage', label: 'Message to leave', type: 'textarea', optional: true,
    from: (c) => c.voicemailMessage ?? '', to: 'voicemail.message' },
  { group: 'Safe-harbor message (played to a person no agent could take)', key: 'safeHarborMessage', label: 'Message',
    type: 'textarea', required: true, from: (c) => c.safeHarborMessage, to: 'safeHarborMessage' },
  { group: 'Safe-harbor message (played to a person no agent could take)', key: 'sellerName', label: 'Seller it names',
    type: 'text', from: (c) => c.compliance.safeHarbor?.sellerName ?? '', to: 'sellerName' },
  { group: 'Safe-harbor message (played to a person no agent could take)', key: 'callbackNumber', label: 'Call-back number it gives',
    type: 'tel', from: (c) => c.compliance.safeHarbor?.callbackNumber ?? '', to: 'callbackNumber' },
  { group: 'Safe-harbor message (played to a person no agent could take)', key: 'optOutDigit', label: 'Opt-out key',
    type: 'text', maxlength: '1', from: (c) => c.compliance.safeHarbor?.optOutDigit ?? '9', to: 'optOutDigit' },
];

function control(field, value) {
  const common = { id: `cf-${field.key}`, name: field.key, dataset: { testid: `cf-${field.key}` }, required: Boolean(field.required) };
  if (field.type === 'select') {
    const select = el('select', common, field.options.map(([v, label]) => new Option(label, v)));
    select.value = value ?? field.options[0][0];
    return select;
  }
  if (field.type === 'textarea') return el('textarea', { ...common, rows: 3 }, value ?? '');
  return el('input', { ...common, type: field.type, value: value ?? '', step: field.step, min: field.min, max: field.max,
    maxlength: field.maxlength });
}

/** The form's fields filled from a campaign (or empty for a new one), grouped under headings. */
export function campaignForm(campaign) {
  const groups = new Map();
  for (const field of FIELDS) {
    const value = campaign ? field.from(campaign) : field.initial;
    if (!groups.has(field.group)) groups.set(field.group, []);
    groups.get(field.group).push(el('label', { class: 'field' }, el('span', {}, field.label), control(field, value)));
  }
  return [...groups].map(([name, fields]) => el('fieldset', {}, el('legend', {}, name), el('div', { class: 'fields' }, fields)));
}

function put(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys.at(-1)] = value;
}

/** The per-outcome maps the server replaces whole when sent: sent with what the form does not show kept as it is. */
const OUTCOME_MAPS = [
  ['retry.retryAfterSeconds', (c) => Object.fromEntries(Object.entries(c?.retry?.retryAfter ?? {}).map(([k, v]) => [k, durationSeconds(v)]))],
  ['retry.maxAttemptsByOutcome', (c) => ({ ...(c?.retry?.maxAttemptsAfter ?? {}) })],
];

/**
 * The settings the server takes, from the form filled from {@code campaign} (null: a new one). Empty fields are left
 * out (the server keeps its value or default), except in the per-outcome maps, where empty means "none".
 */
export function settingsFrom(form, campaign = null) {
  const settings = {};
  for (const [path, kept] of OUTCOME_MAPS) if (campaign) put(settings, path, kept(campaign));
  for (const field of FIELDS) {
    const input = form.elements.namedItem(field.key);
    const raw = input.value.trim();
    const map = OUTCOME_MAPS.find(([path]) => field.to.startsWith(`${path}.`));
    if (raw === '') {
      // An emptied wait means "never retry after that outcome", an emptied maximum "the lead's": the map is sent whole.
      if (map) {
        put(settings, map[0], settings.retry?.[map[0].split('.')[1]] ?? {});
        delete settings.retry[map[0].split('.')[1]][field.to.split('.').at(-1)];
      }
      continue;
    }
    put(settings, field.to, field.parse ? field.parse(raw) : raw);
  }
  return settings;
}
