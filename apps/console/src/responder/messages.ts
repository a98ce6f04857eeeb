/**
 * Messages from dispatch on the responder page (issue 26): shown above the task, newest last; the
 * phone confirms delivery of each as soon as it has it (also after being offline: the list is read on
 * every reconnect), and the crew taps **Read** to send the read receipt.
 */
import { request } from '../api';
import { bdi, esc, hms } from '../format';
import { t } from '../i18n';
import type { UnitMessageView } from '@cad/domain/unit-messages';

let shown: UnitMessageView[] = [];
/** Counts the refreshes: only the latest one started is drawn (two may land out of order). */
let refreshes = 0;

/** Receipts only move forward: sent, delivered, read. */
const RANK = { sent: 0, delivered: 1, read: 2 } as const;

/** `list` as read, each message at the furthest receipt known here (a Read tapped while the list was being read stays read). */
function furthest(list: UnitMessageView[]): UnitMessageView[] {
  const here = new Map(shown.map((m) => [m.id, m]));
  return list.map((m) => {
    const h = here.get(m.id);
    return h && RANK[h.state] > RANK[m.state] ? h : m;
  });
}

/** The messages' HTML (unread first get a Read button; '' when there are none). */
export function messagesHtml(list: readonly UnitMessageView[]): string {
  if (!list.length) return '';
  const recent = list.slice(-5);
  return `<h3>${esc(t('unitMessages.fromDispatch'))}</h3>${recent
    .map(
      (m) => `<div class="r-msg" data-message-id="${esc(m.id)}" data-state="${esc(m.state)}"><span class="muted">${esc(hms(Date.parse(m.sentAt)))} · ${bdi(m.sentBy)}</span>
<div class="r-msg-text">${bdi(m.text)}</div>${m.state === 'read' ? `<span class="muted">${esc(t('unitMessages.state.read'))}</span>` : `<button type="button" class="status-btn" data-read-message="${esc(m.id)}">${esc(t('unitMessages.read'))}</button>`}</div>`,
    )
    .join('')}`;
}

/**
 * Reads the unit's messages, confirms delivery of those not yet delivered, and draws them into `el`
 * (hidden when there are none). Failures leave the last list shown (the next reconnect tries again).
 */
export async function refreshMessages(unitId: string, el: HTMLElement): Promise<void> {
  const mine = ++refreshes;
  try {
    const list = await request<UnitMessageView[]>('GET', `/api/units/${encodeURIComponent(unitId)}/messages`);
    for (const m of list) {
      if (m.state !== 'sent') continue;
      const r = await request<UnitMessageView>('POST', `/api/messages/${encodeURIComponent(m.id)}/delivered`);
      Object.assign(m, r);
    }
    // A later refresh started meanwhile holds a newer list (it draws it).
    if (mine !== refreshes) return;
    shown = furthest(list);
  } catch {
    // Offline or refused: keep what is shown.
  }
  draw(el);
}

function draw(el: HTMLElement): void {
  el.innerHTML = messagesHtml(shown);
  el.hidden = !shown.length;
}

/** Handles the Read buttons inside `el`. */
export function setUpMessages(el: HTMLElement): void {
  el.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-read-message]');
    if (!b) return;
    b.disabled = true;
    void request<UnitMessageView>('POST', `/api/messages/${encodeURIComponent(b.dataset.readMessage!)}/read`)
      .then((r) => {
        shown = shown.map((m) => (m.id === r.id && RANK[r.state] >= RANK[m.state] ? r : m));
        draw(el);
      })
      .catch(() => (b.disabled = false));
  });
}
