/**
 * A move-up on the responder page (issue 19 part 5): when dispatch proposes moving this unit to another
 * station (MOVE_UP_MODE=apply), the crew sees where to, and taps **Acknowledge move-up** (the move starts
 * once the dispatcher and the district have agreed too) or **Cannot go** (refused, with the reason);
 * once it has started, **At the new station** reports arrival. Read on every reconnect and on the
 * unit's `moveup.*` events.
 */
import type { MoveUpView } from '@cad/domain/move-up-view';
import { request } from '../api';
import { bdi, esc } from '../format';
import { t, tHtml } from '../i18n';
import { LatestRead } from '../state/live-read';

let shown: MoveUpView | null = null;
/** Only the latest read of the unit's move lands (an older one may predate the crew's step). */
const reads = new LatestRead();

/** The move's HTML with the crew's buttons ('' when the unit has no open move). */
export function moveUpHtml(m: MoveUpView | null): string {
  if (!m) return '';
  const to = bdi(m.toStationName);
  if (m.status === 'moving') {
    return `<h3>${tHtml('moveUps.task', { to })}</h3><p>${tHtml('moveUps.taskMoving', { to })}</p><button type="button" class="status-btn" data-moveup-crew="arrived">${esc(t('moveUps.arrived'))}</button>`;
  }
  const from = m.fromStationName ? `<p>${tHtml('moveUps.taskFrom', { to, from: bdi(m.fromStationName) })}</p>` : '';
  const ack = m.crewAcknowledged ? '' : `<button type="button" class="status-btn" data-moveup-crew="acknowledge">${esc(t('moveUps.acknowledge'))}</button>`;
  return `<h3>${tHtml('moveUps.task', { to })}</h3>${from}${ack}<button type="button" class="status-btn" data-moveup-crew="refuse">${esc(t('moveUps.cannotGo'))}</button>`;
}

function draw(el: HTMLElement): void {
  el.innerHTML = moveUpHtml(shown);
  el.hidden = !shown;
}

/** Reads the unit's open move (its phone sees only its own) and draws it into `el`; a failure keeps what is shown. */
export async function refreshMoveUp(el: HTMLElement): Promise<void> {
  try {
    const ticket = reads.start();
    const list = await request<MoveUpView[]>('GET', '/api/move-ups');
    if (!reads.current(ticket)) return;
    shown = list[0] ?? null;
  } catch {
    // Offline, or an older server without move-ups: keep what is shown.
  }
  draw(el);
}

/** Handles the crew's buttons inside `el`. */
export function setUpMoveUp(el: HTMLElement): void {
  el.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-moveup-crew]');
    if (!b || !shown) return;
    const action = b.dataset.moveupCrew as 'acknowledge' | 'arrived' | 'refuse';
    let body: unknown;
    if (action === 'refuse') {
      const reason = window.prompt(t('moveUps.cannotGoPrompt'));
      if (!reason || !reason.trim()) return;
      body = { reason: reason.trim() };
    }
    b.disabled = true;
    void request<MoveUpView>('POST', `/api/move-ups/${encodeURIComponent(shown.id)}/${action}`, body)
      .then((m) => {
        // A read in flight may predate this step.
        reads.invalidate();
        shown = m.status === 'proposed' || m.status === 'moving' ? m : null;
        draw(el);
      })
      .catch(() => (b.disabled = false));
  });
}
