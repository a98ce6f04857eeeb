/**
 * Past incidents from the console: a **History** dialog searches closed and cancelled incidents
 * (`GET /api/incident-history`: call number, address text, type, date range; a page at a time), shows
 * one with its timeline, and reopens it (`POST /api/incidents/:id/reopen`). A reopened incident is held
 * by the server until the dispatcher confirms "Dispatch units?" on its card
 * (`POST /api/incidents/:id/confirm-dispatch`): nothing is sent before.
 */
import type { HistoryItem, HistoryPage } from '@cad/domain/incident-history';
import { fetchIncident, fetchTimeline, reopenIncident, request } from './api';
import { bdi, esc, hms, label, typeLabel } from './format';
import { num, onLocaleChange, t } from './i18n';
import { describeEvent } from './panel/detail';
import { timelineEvents } from './panel/timeline';
import type { Incident, Unit } from './types';
import './history.css';
import { LatestRead } from './state/live-read';

/** What the dialog needs from the console. */
export interface HistoryHooks {
  toast(text: string, error?: boolean): void;
  /**
   * Shows an open incident in the console (puts it in the store and selects it); `mark` is the store's
   * mark of it (`markOf`) taken before the request that answered `inc` was sent.
   */
  show(inc: Incident, mark: number): void;
  /** The store's mark of an incident (`Store.markOf`). */
  markOf(id: string): number;
  units(): Map<string, Unit>;
  /** The viewer may only read (an observer): no Reopen button. */
  readOnly(): boolean;
}

const PAGE = 20;

/** Adds the History button to the toolbar and wires the dialog and the card's dispatch confirmation. */
export function setUpHistory(toolbar: HTMLElement, detailEl: HTMLElement, hooks: HistoryHooks): void {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'history-btn';
  toolbar.insertBefore(button, toolbar.querySelector('#help-btn'));
  const dialog = document.createElement('dialog');
  dialog.id = 'history-dialog';
  dialog.className = 'dlg';
  dialog.setAttribute('aria-labelledby', 'history-title');
  document.body.append(dialog);
  let results: HistoryItem[] = [];
  let total = 0;
  let query = '';

  const labels = () => {
    button.textContent = t('history.open');
    button.title = t('history.openTitle');
  };
  labels();
  onLocaleChange(labels);

  const field = (name: string, key: string, type = 'text') =>
    `<label>${esc(t(key))} <input name="${name}" type="${type}" autocomplete="off" maxlength="200" /></label>`;
  const renderForm = () => {
    dialog.innerHTML = `<form class="history-form" method="dialog">
  <h3 id="history-title">${esc(t('history.title'))}</h3>
  <div class="history-fields">${field('callNumber', 'history.callNumber')}${field('address', 'history.address')}${field('type', 'history.type')}${field('from', 'history.from', 'date')}${field('to', 'history.to', 'date')}</div>
  <div class="history-actions"><button type="submit" class="primary" value="search">${esc(t('history.search'))}</button> <button type="button" data-cmd="history-close">${esc(t('common.close'))}</button></div>
</form>
<p class="history-count muted" aria-live="polite"></p>
<ol class="history-results"></ol>
<button type="button" class="history-more" data-cmd="history-more" hidden>${esc(t('history.more'))}</button>
<section class="history-incident" hidden></section>`;
  };

  const renderResults = () => {
    dialog.querySelector('.history-count')!.textContent = results.length ? t('history.count', { count: total }) : t('history.none');
    dialog.querySelector('.history-results')!.innerHTML = results
      .map(
        (r) =>
          `<li><button type="button" class="history-item" data-cmd="history-show" data-incident-id="${esc(r.id)}">${bdi(r.callNumber ?? '—')} · ${esc(
            new Date(r.receivedAt).toLocaleDateString(),
          )} ${esc(hms(Date.parse(r.receivedAt)))} · P${num(r.priority)} ${bdi(typeLabel(r.type))} · ${bdi(r.address ?? '')}${
            r.street || r.district ? ` · ${[r.street, r.district].filter(Boolean).map(bdi).join(' · ')}` : ''
          } · <span class="history-status">${esc(label(r.status))}</span></button></li>`,
      )
      .join('');
    (dialog.querySelector('.history-more') as HTMLElement).hidden = results.length >= total;
  };

  /** Only the latest search and the latest incident shown land (answers can come back out of order). */
  const searches = new LatestRead();
  const shows = new LatestRead();
  const search = async (offset: number) => {
    const ticket = searches.start();
    try {
      const page = await request<HistoryPage>('GET', `/api/incident-history?${query}&limit=${PAGE}&offset=${offset}`);
      // A later search (the dispatcher typed on) holds the results wanted.
      if (!searches.current(ticket)) return;
      results = offset ? [...results, ...page.items] : page.items;
      total = page.total;
      renderResults();
    } catch (err) {
      hooks.toast(t('history.failed', { error: (err as Error).message }), true);
    }
  };

  const showOne = async (id: string) => {
    const item = results.find((r) => r.id === id);
    const section = dialog.querySelector<HTMLElement>('.history-incident')!;
    if (!item) return;
    section.hidden = false;
    section.innerHTML = `<h4>${bdi(item.callNumber ?? '')} · ${bdi(typeLabel(item.type))}</h4><p>${bdi(item.address ?? '')} · ${esc(label(item.status))}${
      item.disposition ? ` · ${bdi(item.disposition)}` : ''
    }</p>${
      hooks.readOnly() ? '' : `<button type="button" class="primary" data-cmd="history-reopen" data-incident-id="${esc(id)}" title="${esc(t('history.reopenTitle'))}">${esc(t('reopen.reopen'))}</button>`
    }<ol class="timeline"><li class="muted">${esc(t('common.loading'))}</li></ol>`;
    const ticket = shows.start();
    try {
      const events = await fetchTimeline(id);
      // Another incident shown since: its timeline is the one wanted.
      if (!shows.current(ticket)) return;
      section.querySelector('.timeline')!.innerHTML = timelineEvents(events)
        .map((ev) => `<li data-seq="${ev.seq}"><span class="t">${esc(hms(Date.parse(ev.at)))}</span> ${describeEvent(ev, hooks.units())}</li>`)
        .join('');
    } catch (err) {
      hooks.toast((err as Error).message, true);
    }
  };

  const reopen = async (id: string) => {
    const item = results.find((r) => r.id === id);
    try {
      await reopenIncident(id);
      hooks.toast(t('history.reopened', { call: item?.callNumber ?? '' }));
      dialog.close();
      const mark = hooks.markOf(id);
      hooks.show(await fetchIncident(id), mark);
    } catch (err) {
      hooks.toast((err as Error).message, true);
    }
  };

  button.addEventListener('click', () => {
    renderForm();
    results = [];
    dialog.showModal();
    dialog.querySelector<HTMLInputElement>('input[name="callNumber"]')?.focus();
  });
  dialog.addEventListener('submit', (e) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    query = new URLSearchParams([...form].filter(([, v]) => String(v).trim()).map(([k, v]) => [k, String(v).trim()])).toString();
    dialog.querySelector<HTMLElement>('.history-incident')!.hidden = true;
    void search(0);
  });
  dialog.addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-cmd]');
    const id = btn?.dataset.incidentId;
    const cmd = btn?.dataset.cmd ?? '';
    if (cmd === 'history-close') dialog.close();
    else if (cmd === 'history-more') void search(results.length);
    else if (cmd === 'history-show' && id) void showOne(id);
    else if (cmd === 'history-reopen' && id) void reopen(id);
  });
  detailEl.addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-cmd="confirm-dispatch"]');
    const id = detailEl.dataset.incidentId;
    if (!btn || !id) return;
    (btn as HTMLButtonElement).disabled = true;
    const mark = hooks.markOf(id);
    request<Incident>('POST', `/api/incidents/${encodeURIComponent(id)}/confirm-dispatch`)
      .then((inc) => {
        hooks.toast(t('reopen.confirmed'));
        hooks.show(inc, mark);
      })
      .catch((err) => {
        (btn as HTMLButtonElement).disabled = false;
        hooks.toast((err as Error).message, true);
      });
  });
}
