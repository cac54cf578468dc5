// The few DOM helpers every panel uses.

export const $ = (id) => document.getElementById(id);

export function setPressed(button, pressed, onLabel, offLabel) {
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = pressed ? onLabel : offLabel;
}

/** Shows a problem ({title, detail, type}) in the element, or hides it. */
export function renderError(id, error) {
  const element = $(id);
  element.hidden = !error;
  element.textContent = error ? [error.title, error.detail].filter(Boolean).join(': ') : '';
  element.dataset.type = error?.type ?? '';
}
