// Small DOM helpers shared by the console's pages: elements from data, tables, messages, and downloads that carry
// the Bearer token (a plain link cannot).
import { ApiError } from '../api.js';

export const $ = (id) => document.getElementById(id);

/** el('button', {class: 'x', onclick: f, dataset: {testid: 'y'}}, 'text', child, ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A table from column definitions {label, value: row => text|Node, num?: true}. */
export function table(columns, rows, { testid, rowTestid, empty = 'Nothing here yet.' } = {}) {
  if (!rows.length) return el('p', { class: 'muted', dataset: { testid: `${testid}-empty` } }, empty);
  return el('table', { dataset: { testid } },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : null }, c.label)))),
    el('tbody', {}, rows.map((row) => el('tr', { dataset: rowTestid ? { testid: rowTestid(row) } : {} },
      columns.map((c) => {
        const value = c.value(row);
        return el('td', { class: c.num ? 'num' : null }, value == null ? '' : value);
      })))));
}

/** Shows an API error (problem+json detail) or a success message in a message area. */
export function say(area, message, kind = 'error') {
  area.replaceChildren(message ? el('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status',
    dataset: { testid: `message-${kind}` } }, message) : '');
}

export const pct = (x, digits = 1) => (x == null ? '–' : `${(x * 100).toFixed(digits)} %`);
export const num = (x, digits = 0) => (x == null ? '–' : Number(x).toFixed(digits));
export const seconds = (x) => (x == null ? '–' : `${Math.round(x)} s`);
/** Hours and minutes ("7:05 h"), so a short shift does not read as 0.0 h. */
export const hours = (s) => {
  if (s == null) return '–';
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')} h`;
};
export const localDate = (d = new Date()) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
export const stamp = (iso) => (iso ? new Date(iso).toLocaleString() : '');

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(api, path, filename) {
  const response = await api.fetch('GET', path, undefined, {});
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Sends a raw body (CSV, WAV) with the token; answers the parsed JSON, throws ApiError like Api.request. */
export async function upload(api, method, path, body, contentType) {
  const headers = { Accept: 'application/json, application/problem+json', 'Content-Type': contentType };
  if (api.token) headers.Authorization = `Bearer ${api.token}`;
  const response = await fetch(path, { method, headers, body });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, parsed ?? {});
  }
  return parsed;
}
