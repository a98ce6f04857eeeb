/**
 * Move-ups carried out under MOVE_UP_MODE=apply (issue 19 part 5), in the coverage box: each open move
 * of the live world with the unit's call sign, the stations' names, who has agreed so far, and the
 * post's buttons: Confirm / Refuse (a dispatcher), Consent (the owning district's post). The server
 * decides who may (a wrong post gets 403, shown as a toast). Reloaded with the coverage report and on
 * `moveup.*` events. Under `recommend` the list is empty and nothing is shown.
 */
import type { MoveUpView } from '@cad/domain/move-up-view';
import { request } from '../api';
import { currentUser } from '../auth';
import { bdi, esc } from '../format';
import { t, tHtml } from '../i18n';
import { LatestRead } from '../state/live-read';

/** The open moves' HTML ('' when there are none); `canAct` false hides the buttons (observers). */
export function moveUpsHtml(list: readonly MoveUpView[], canAct: boolean): string {
  if (!list.length) return '';
  const rows = list.map((m) => {
    const waiting = [
      m.dispatcher ? null : t('moveUps.party.dispatcher'),
      m.districtConsented ? null : t('moveUps.party.district'),
      m.crewAcknowledged ? null : t('moveUps.party.crew'),
    ].filter((x): x is string => x !== null);
    const state = m.status === 'moving' ? t('moveUps.moving') : t('moveUps.waitingFor', { who: waiting.join(t('moveUps.separator')) });
    const from = m.fromStationName ? tHtml('moveUps.from', { from: bdi(m.fromStationName) }) : '';
    const buttons =
      canAct && m.status === 'proposed'
        ? `${m.dispatcher ? '' : `<button type="button" data-moveup-action="confirm" data-moveup-id="${esc(m.id)}">${esc(t('moveUps.confirm'))}</button>`}${
            m.districtConsented ? '' : `<button type="button" data-moveup-action="consent" data-moveup-id="${esc(m.id)}">${esc(t('moveUps.consent'))}</button>`
          }<button type="button" data-moveup-action="refuse" data-moveup-id="${esc(m.id)}">${esc(t('moveUps.refuse'))}</button>`
        : '';
    return `<li data-moveup="${esc(m.id)}">${tHtml('moveUps.line', { unit: `<b>${bdi(m.callsign)}</b>`, to: bdi(m.toStationName) })} ${from}<br><span class="muted">${esc(state)}</span> ${buttons}</li>`;
  });
  return `<b>${esc(t('moveUps.title'))}</b><ul>${rows.join('')}</ul>`;
}

/** Handle of the move-ups list. */
export interface MoveUpsList {
  reload(): Promise<void>;
}

/**
 * Draws the open move-ups into `el` and handles its buttons.
 * @param toast shows the outcome of a button, or the server's refusal
 */
export function createMoveUpsList(el: HTMLElement, toast: (text: string, error?: boolean) => void = () => undefined): MoveUpsList {
  let list: MoveUpView[] = [];
  // Only the latest read lands: an older one may predate a move confirmed or refused here.
  const reads = new LatestRead();
  const draw = () => {
    el.innerHTML = moveUpsHtml(list, currentUser()?.role !== 'observer');
    el.hidden = !list.length;
  };
  const reload = async () => {
    const ticket = reads.start();
    try {
      const read = await request<MoveUpView[]>('GET', '/api/move-ups');
      if (!reads.current(ticket)) return;
      list = read;
    } catch {
      // An older server has no move-ups, or the request failed: keep what is shown.
    }
    draw();
  };
  el.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-moveup-action]');
    if (!b) return;
    const action = b.dataset.moveupAction as 'confirm' | 'consent' | 'refuse';
    let body: unknown;
    if (action === 'refuse') {
      const reason = window.prompt(t('moveUps.refusePrompt'));
      if (!reason || !reason.trim()) return;
      body = { reason: reason.trim() };
    }
    b.disabled = true;
    void request<MoveUpView>('POST', `/api/move-ups/${encodeURIComponent(b.dataset.moveupId!)}/${action}`, body)
      .then((m) => {
        toast(t(`moveUps.done.${action}`, { unit: m.callsign }));
        return reload();
      })
      .catch((err: Error) => {
        b.disabled = false;
        toast(t('moveUps.failed', { error: err.message }), true);
      });
  });
  return { reload };
}
