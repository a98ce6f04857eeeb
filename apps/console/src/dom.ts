/** The console page's elements by id, and its one status line (load progress, toasts). */

/** The element with `id` (the console's HTML has every id the code asks for). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Shows `text` in the status line under the toolbar (hidden when empty). */
export function showStatus(text: string): void {
  const statusEl = $('load-status');
  statusEl.textContent = text;
  statusEl.hidden = !text;
}

/** Shows `text` in the status line for 5 seconds (red when `error`). */
export function toast(text: string, error = false): void {
  showStatus(text);
  const statusEl = $('load-status');
  statusEl.classList.toggle('error', error);
  window.setTimeout(() => {
    if (statusEl.textContent === text) showStatus('');
  }, 5000);
}

/** The signature of `toast`, handed to the modules that report to the dispatcher. */
export type Toast = (text: string, error?: boolean) => void;
