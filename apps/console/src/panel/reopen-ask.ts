/**
 * A reopened incident is held by the server until the dispatcher confirms its dispatch: its card asks
 * "Reopened. Dispatch units?" with a button (`data-cmd="confirm-dispatch"`, handled by the history
 * module, which sends `POST /api/incidents/:id/confirm-dispatch`).
 */
import { REOPENED_HOLD } from '@cad/domain/incident-history';
import { esc } from '../format';
import { t } from '../i18n';
import type { Incident } from '../types';

type Held = Pick<Incident, 'status' | 'lastError' | 'autoDispatch'>;

/** Whether an incident is a reopened one waiting for the dispatcher to confirm its dispatch. */
export function awaitsDispatchConfirmation(inc: Held): boolean {
  return inc.status === 'received' && inc.autoDispatch === false && inc.lastError === REOPENED_HOLD;
}

/** The card's "Reopened. Dispatch units?" line with its confirm button (empty for any other incident). */
export function dispatchConfirmHtml(inc: Held, readOnly: boolean): string {
  if (!awaitsDispatchConfirmation(inc)) return '';
  return `<div class="reopen-ask" role="alert"><b>${esc(t('reopen.ask'))}</b> <span class="muted">${esc(t('reopen.askWhy'))}</span>${
    readOnly ? '' : ` <button type="button" class="primary" data-cmd="confirm-dispatch">${esc(t('reopen.confirm'))}</button>`
  }</div>`;
}

