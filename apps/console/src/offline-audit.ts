/**
 * The audit of calls taken offline: after CAD is back, the dispatcher sees every call typed on this
 * console while it was down and what became of it: placed as its own incident, linked as another
 * report of an incident, offered as a possible duplicate of one (never doubled silently), refused by
 * CAD with its reason, or still being placed. The list is the outbox's synced list (see
 * call-outbox.ts); each accepted call's fate is read from `GET /api/calls/:id`.
 */
import { fetchIncident, getCall } from './api';
import type { CallOutbox, SyncedCall } from './call-outbox';
import { hms } from './format';
import { onLocaleChange, t } from './i18n';

/** What became of one call taken offline. `incident` and `duplicateOf` are incident call numbers (or ids when unnumbered). */
export type CallFate =
  | { kind: 'placed'; incident: string }
  | { kind: 'linked'; incident: string }
  | { kind: 'offered'; incident: string; duplicateOf: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'pending' };

/** The call as `GET /api/calls/:id` answers it, as far as the audit reads it. */
export interface CallPlacement {
  incidentId: string | null;
  linked: boolean;
  suggestedIncidentId: string | null;
}

/**
 * Decides a synced call's fate from what CAD answered when it was sent and where intake placed it.
 * @param entry the synced call (its refusal, or its call id)
 * @param placement the call as CAD has it now, or null when not read (yet)
 * @param numberOf an incident's call number by its id (its id when it has none)
 */
export function callFate(entry: SyncedCall, placement: CallPlacement | null, numberOf: (incidentId: string) => string): CallFate {
  if (entry.error !== undefined) return { kind: 'refused', reason: entry.error };
  if (!entry.callId || !placement?.incidentId) return { kind: 'pending' };
  const incident = numberOf(placement.incidentId);
  if (placement.linked) return { kind: 'linked', incident };
  if (placement.suggestedIncidentId) return { kind: 'offered', incident, duplicateOf: numberOf(placement.suggestedIncidentId) };
  return { kind: 'placed', incident };
}

/** A fate in words, in the console's language. */
export function fateText(fate: CallFate): string {
  switch (fate.kind) {
    case 'placed':
      return t('offline.audit.placed', { incident: fate.incident });
    case 'linked':
      return t('offline.audit.linked', { incident: fate.incident });
    case 'offered':
      return t('offline.audit.offered', { incident: fate.incident, duplicateOf: fate.duplicateOf });
    case 'refused':
      return t('offline.audit.refused', { reason: fate.reason });
    case 'pending':
      return t('offline.audit.pending');
  }
}

/** Times in the city's zone, to the second (the time a call was taken is what the record keeps). */
const time = (iso: string) => hms(Date.parse(iso));

/**
 * Wires the audit: the toolbar button `#offline-audit-btn` (shown once a call taken offline was synced,
 * with their count) opens `#offline-audit-dialog`, whose table `#offline-audit-rows` lists each synced
 * call (time taken, time entered, type, address, its call number, its fate), read afresh on opening.
 * @param esc escapes text for HTML
 * @returns `refresh()`, to call after each flush (updates the button, and the list when open)
 */
export function setUpOfflineAudit(outbox: CallOutbox, esc: (s: string) => string): { refresh(): void } {
  const btn = document.getElementById('offline-audit-btn') as HTMLButtonElement;
  const dlg = document.getElementById('offline-audit-dialog') as HTMLDialogElement;
  const rows = document.getElementById('offline-audit-rows') as HTMLElement;
  const numbers = new Map<string, string>();
  const numberOf = (id: string) => numbers.get(id) ?? id;
  let fates = new Map<string, CallFate>();
  const render = () => {
    const list = outbox.synced();
    btn.hidden = list.length === 0;
    btn.querySelector('span')!.textContent = t('offline.audit.button', { count: list.length });
    rows.innerHTML = list
      .map((e) => {
        const fate = fates.get(e.call.outboxId) ?? callFate(e, null, numberOf);
        return `<tr data-call-number="${esc(e.call.callNumber)}" data-fate="${fate.kind}"><td>${esc(time(e.call.receivedAt))}</td><td>${esc(time(e.sentAt))}</td><td>${esc(e.call.type)}</td><td>${esc(e.call.address ?? '')}</td><td>${esc(e.call.callNumber)}</td><td class="fate">${esc(fateText(fate))}</td></tr>`;
      })
      .join('');
  };
  const load = async () => {
    const next = new Map<string, CallFate>();
    for (const e of outbox.synced()) {
      const placement = e.callId ? await getCall(e.callId).catch(() => null) : null;
      for (const id of [placement?.incidentId, placement?.suggestedIncidentId]) {
        if (id && !numbers.has(id)) {
          const inc = await fetchIncident(id).catch(() => null);
          if (inc?.callNumber) numbers.set(id, inc.callNumber);
        }
      }
      next.set(e.call.outboxId, callFate(e, placement, numberOf));
    }
    fates = next;
    render();
  };
  btn.addEventListener('click', () => {
    render();
    if (!dlg.open) dlg.showModal();
    void load();
  });
  document.getElementById('offline-audit-close')!.addEventListener('click', () => dlg.close());
  onLocaleChange(render);
  render();
  return {
    refresh() {
      render();
      if (dlg.open) void load();
    },
  };
}
