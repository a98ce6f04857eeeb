/**
 * The console's situation view (issue 24): the situation report of the user's jurisdiction (opened as
 * a printable page with charts, fetched with the sign-in token) and the queue of residents' reports
 * waiting for a call taker, each accepted as a call or dismissed with a reason. The queue is polled
 * while the dialog is open (every 15 s): residents' reports are not events of the dispatch log.
 */
import { ApiError, request } from './api';
import { bdi, cityTime, esc } from './format';
import { onLocaleChange, t, tHtml } from './i18n';
import { openAuthorisedPage, toolbarDialog } from './open-page';

/** A resident's report as the API lists it (`GET /api/public-reports`). */
interface ResidentReport {
  id: string;
  kind: 'emergency' | 'hazard';
  callType: string;
  description: string;
  lat: number;
  lon: number;
  contact: string | null;
  language: string;
  suggestedIncidentId: string | null;
  receivedAt: string;
}

/** Opens the situation report of the user's jurisdiction (printable, with charts) in a new tab. */
export function openSituationReport(): Promise<void> {
  return openAuthorisedPage('/api/sitrep/html');
}

/** Adds the Situation button and dialog (created here) to the toolbar. */
export function setUpSituation(toast: (text: string, error?: boolean) => void): void {
  const { btn, dlg } = toolbarDialog('situation', 'situation', `<form method="dialog" class="situation-form">
    <h3 data-i18n="situation.title"></h3>
    <p><button id="situation-report" type="button" data-i18n="situation.openReport"></button></p>
    <h4 data-i18n="situation.residentsTitle"></h4>
    <ul id="resident-reports" class="resident-reports"></ul>
    <div class="row"><button value="close" data-i18n="common.close"></button></div>
  </form>`);
  const list = dlg.querySelector<HTMLElement>('#resident-reports')!;
  let timer: number | null = null;
  let shown: ResidentReport[] | null = null;

  const draw = () => {
    if (!shown) return;
    list.innerHTML = shown.length
      ? shown
          .map(
            (r) => `<li class="resident-report" data-report-id="${esc(r.id)}">
        <b>${esc(t(r.kind === 'emergency' ? 'situation.emergency' : 'situation.hazard'))}</b> ${bdi(r.callType)} · ${esc(cityTime(Date.parse(r.receivedAt)) ?? '')}
        <div>${bdi(r.description)}</div>
        ${r.contact ? `<div>${tHtml('situation.contact', { contact: bdi(r.contact) })}</div>` : ''}
        ${r.suggestedIncidentId ? `<div class="muted">${esc(t('situation.suggested'))}</div>` : ''}
        <div class="row"><button type="button" data-accept="${esc(r.id)}">${esc(t('situation.accept'))}</button>${
          r.suggestedIncidentId ? `<button type="button" data-link="${esc(r.id)}" data-incident="${esc(r.suggestedIncidentId)}">${esc(t('situation.link'))}</button>` : ''
        }<button type="button" data-dismiss="${esc(r.id)}">${esc(t('situation.dismiss'))}</button></div>
      </li>`,
          )
          .join('')
      : `<li class="muted">${esc(t('situation.noneWaiting'))}</li>`;
  };
  const load = async () => {
    try {
      shown = await request<ResidentReport[]>('GET', '/api/public-reports');
      draw();
    } catch (e) {
      list.innerHTML = `<li class="muted">${esc((e as Error).message)}</li>`;
    }
  };
  onLocaleChange(draw);
  btn.addEventListener('click', () => {
    dlg.showModal();
    void load();
    timer ??= window.setInterval(() => void load(), 15_000);
  });
  dlg.addEventListener('close', () => {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  });
  dlg.querySelector('#situation-report')!.addEventListener('click', () => void openSituationReport());
  list.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!b) return;
    const act = async (path: string, body: unknown, done: string) => {
      b.disabled = true;
      try {
        await request('POST', path, body);
        toast(t(done));
      } catch (err) {
        toast(err instanceof ApiError ? err.message : String(err), true);
      }
      await load();
    };
    if (b.dataset.accept) void act(`/api/public-reports/${b.dataset.accept}/accept`, {}, 'situation.accepted');
    else if (b.dataset.link) void act(`/api/public-reports/${b.dataset.link}/link`, { incidentId: b.dataset.incident }, 'situation.linked');
    else if (b.dataset.dismiss) {
      const reason = window.prompt(t('situation.dismissReason'));
      if (reason?.trim()) void act(`/api/public-reports/${b.dataset.dismiss}/dismiss`, { reason }, 'situation.dismissed');
    }
  });
}
