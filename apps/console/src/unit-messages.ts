/**
 * Messages to crews on the incident card (issue 26): a dispatcher writes to one of the incident's
 * units' phones; each message shows its read receipt (sent, delivered, read), live through
 * `unit.message` and `unit.message_receipt` events.
 */
import { request } from './api';
import { bdi, esc, hms } from './format';
import { t } from './i18n';
import type { CadEvent, Incident } from './types';
import type { UnitMessageView } from '@cad/domain/unit-messages';
import { LiveRead } from './state/live-read';
import './unit-messages.css';

const state: { incidentId: string | null; messages: UnitMessageView[] | undefined } = { incidentId: null, messages: undefined };
/** The card's read over REST: a receipt that arrives while it is in flight is applied after it. */
const reads = new LiveRead<UnitMessageView>();
let draft: { incidentId: string; text: string; unitId: string; focused: boolean } | null = null;
let redraw: () => void = () => undefined;
let say: (text: string, error?: boolean) => void = () => undefined;

/** Handles the card's send form inside the detail; `rerender` redraws the detail. */
export function setUpUnitMessages(detailEl: HTMLElement, rerender: () => void, toast: (text: string, error?: boolean) => void): void {
  redraw = rerender;
  say = toast;
  detailEl.addEventListener('submit', (e) => {
    const form = (e.target as HTMLElement).closest<HTMLFormElement>('.um-form');
    if (!form || !state.incidentId) return;
    e.preventDefault();
    void send(state.incidentId, form);
  });
}

/** Loads the messages sent about `incident` to its units (or clears the card for none). */
export function loadUnitMessages(incident: Incident | undefined): void {
  state.incidentId = incident?.id ?? null;
  state.messages = undefined;
  reads.cancel();
  if (!incident) return;
  const units = [...new Set(incident.assignments.map((a) => a.unitId))];
  void reads
    .run(
      () => Promise.all(units.map((u) => request<UnitMessageView[]>('GET', `/api/units/${encodeURIComponent(u)}/messages`).catch(() => []))),
      (lists) => (state.messages = lists.flat().filter((m) => m.incidentId === incident.id).sort((a, b) => a.sentAt.localeCompare(b.sentAt))),
      (live) => live.forEach(upsert),
    )
    .then((r) => r === 'adopted' && redraw());
}

/** Takes a live message or receipt of the incident shown; true when the card changed. */
export function noteUnitMessageEvent(ev: CadEvent): boolean {
  if (ev.type !== 'unit.message' && ev.type !== 'unit.message_receipt') return false;
  const m = ev.payload;
  if (m.incidentId !== state.incidentId) return false;
  reads.note(m);
  if (!state.messages) return false;
  upsert(m);
  return true;
}

function upsert(m: UnitMessageView): void {
  if (!state.messages) return;
  const i = state.messages.findIndex((x) => x.id === m.id);
  // A receipt never goes back (an event replayed late after a newer one).
  const rank = { sent: 0, delivered: 1, read: 2 } as const;
  if (i < 0) state.messages.push(m);
  else if (rank[m.state] >= rank[state.messages[i].state]) state.messages[i] = m;
}

async function send(incidentId: string, form: HTMLFormElement): Promise<void> {
  const input = form.querySelector<HTMLInputElement>('input[name="text"]')!;
  const unitId = form.querySelector<HTMLSelectElement>('select[name="unitId"]')!.value;
  const text = input.value.trim();
  if (!text || !unitId) return;
  try {
    const m = await request<UnitMessageView>('POST', `/api/units/${encodeURIComponent(unitId)}/messages`, { text, incidentId });
    input.value = '';
    draft = null;
    // The card may show another incident by now (selected while the message was being sent).
    if (state.incidentId === incidentId) {
      reads.note(m);
      upsert(m);
    }
    redraw();
  } catch (err) {
    say((err as Error).message, true);
  }
}

/** Keeps what is typed in the card across a redraw of the detail (call before redrawing it). */
export function keepUnitMessageTyping(detailEl: HTMLElement): void {
  const input = detailEl.querySelector<HTMLInputElement>('.um-form input[name="text"]');
  const unit = detailEl.querySelector<HTMLSelectElement>('.um-form select[name="unitId"]');
  if (input && state.incidentId) draft = { incidentId: state.incidentId, text: input.value, unitId: unit?.value ?? '', focused: document.activeElement === input };
}

/**
 * Draws the card into the detail of `incident`, before its command buttons; `writable` is false for an
 * observer. An exercise incident gets no send form, only a note that drill crews are simulated.
 */
export function renderUnitMessages(detailEl: HTMLElement, incident: Incident | undefined, writable: boolean): void {
  if (!incident || incident.id !== state.incidentId) return;
  const list =
    state.messages === undefined
      ? `<p class="muted">${esc(t('common.loading'))}</p>`
      : state.messages.length
        ? `<ol class="cr-narrative um-list">${state.messages
            .map(
              (m) =>
                `<li data-message-id="${esc(m.id)}" data-state="${esc(m.state)}"><span class="t">${esc(hms(Date.parse(m.sentAt)))}</span> <b>${bdi(m.unitId)}</b> <span class="cr-text">${bdi(m.text)}</span> <span class="um-state um-${esc(m.state)}">${esc(
                  t(`unitMessages.state.${m.state}`),
                )}${m.readAt ? ` ${esc(hms(Date.parse(m.readAt)))}` : m.deliveredAt ? ` ${esc(hms(Date.parse(m.deliveredAt)))}` : ''}</span></li>`,
            )
            .join('')}</ol>`
        : `<p class="muted">${esc(t('unitMessages.none'))}</p>`;
  const units = [...new Set(incident.assignments.filter((a) => a.status !== 'cleared').map((a) => a.unitId))];
  // A drill's crews are simulated: the API refuses a message about an exercise incident (it would reach a live phone).
  const form = incident.exercise
    ? `<p class="muted um-drill">${esc(t('unitMessages.drill'))}</p>`
    : writable && units.length
      ? `<form class="um-form"><select name="unitId" aria-label="${esc(t('unitMessages.to'))}">${units
          .map((u) => `<option value="${esc(u)}"${draft?.unitId === u ? ' selected' : ''}>${esc(u)}</option>`)
          .join('')}</select><input name="text" maxlength="500" autocomplete="off" placeholder="${esc(t('unitMessages.placeholder'))}" aria-label="${esc(
          t('unitMessages.placeholder'),
        )}" /><button type="submit" class="small">${esc(t('unitMessages.send'))}</button></form>`
      : '';
  const html = `<section class="call-record unit-messages" aria-label="${esc(t('unitMessages.title'))}"><h4>${esc(t('unitMessages.title'))}</h4>${list}${form}</section>`;
  const anchor = detailEl.querySelector('.detail-actions');
  if (anchor) anchor.insertAdjacentHTML('beforebegin', html);
  else detailEl.insertAdjacentHTML('beforeend', html);
  const input = detailEl.querySelector<HTMLInputElement>('.um-form input[name="text"]');
  if (input && draft && draft.incidentId === incident.id) {
    input.value = draft.text;
    if (draft.focused) input.focus();
  }
}
