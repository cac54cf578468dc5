// The notice bar under the top bar: the last problem or hint, until dismissed or replaced.
import { ApiError } from './api.js';
import { problemTitle } from './format.js';
import { $ } from './dom.js';
import { notify, state } from './store.js';

export function showProblem(error) {
  if (error instanceof ApiError) showNotice(problemTitle(error), error.detail);
  else showNotice('Something went wrong', error.message);
}

export function showNotice(title, detail) {
  state.notice = { title, detail: detail ?? '' };
  notify();
}

export function clearNotice() {
  state.notice = null;
  notify();
}

export function renderNotice() {
  $('notice').hidden = !state.notice;
  $('notice-title').textContent = state.notice?.title ?? '';
  $('notice-detail').textContent = state.notice?.detail ?? '';
}

export function bindNotice() {
  $('notice-close').addEventListener('click', clearNotice);
}
