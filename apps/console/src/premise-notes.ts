/**
 * Premise and hazard notes on the incident card (issue 26): the notes the city keeps within a few
 * metres of the incident's point (`GET /api/incidents/:id/premise-notes`), hazards first and marked;
 * and the earlier incidents at that location (`GET /api/incidents/:id/history`).
 */
import { request } from './api';
import { bdi, dateTime, esc, label, typeLabel } from './format';
import { t } from './i18n';
import type { EarlierIncident, PremiseNoteView } from '@cad/domain/unit-messages';
import './premise-notes.css';

const state: { incidentId: string | null; notes: PremiseNoteView[] | undefined; history: EarlierIncident[] } = { incidentId: null, notes: undefined, history: [] };

/** Loads the notes at the incident's point (or clears them); `redraw` redraws the detail when they arrive. */
export function loadPremiseNotes(incidentId: string | null, redraw: () => void): void {
  state.incidentId = incidentId;
  state.notes = undefined;
  state.history = [];
  if (!incidentId) return;
  const id = encodeURIComponent(incidentId);
  void Promise.all([
    request<PremiseNoteView[]>('GET', `/api/incidents/${id}/premise-notes`).catch(() => []),
    request<EarlierIncident[]>('GET', `/api/incidents/${id}/history`).catch(() => []),
  ]).then(([notes, history]) => {
    if (state.incidentId !== incidentId) return;
    state.notes = notes;
    state.history = history;
    redraw();
  });
}

/** The notes' and earlier incidents' HTML for the incident shown ('' when none or not loaded). */
export function premiseNotesHtml(incidentId: string | undefined): string {
  if (!incidentId || incidentId !== state.incidentId) return '';
  return notesHtml() + historyHtml();
}

function historyHtml(): string {
  if (!state.history.length) return '';
  return `<section class="premise-notes incident-history" aria-label="${esc(t('premise.history'))}"><h4>${esc(t('premise.history'))}</h4><ul>${state.history
    .slice(0, 5)
    .map(
      (h) =>
        `<li data-incident-id="${esc(h.id)}"><span class="muted">${esc(dateTime(Date.parse(h.createdAt)))}</span> P${esc(h.priority)} ${bdi(typeLabel(h.type))} · ${esc(label(h.status))}${
          h.disposition ? ` · ${bdi(h.disposition)}` : ''
        }</li>`,
    )
    .join('')}</ul>${state.history.length > 5 ? `<p class="muted">${esc(t('premise.more', { count: state.history.length - 5 }))}</p>` : ''}</section>`;
}

function notesHtml(): string {
  if (!state.notes?.length) return '';
  return `<section class="premise-notes" aria-label="${esc(t('premise.title'))}"><h4>${esc(t('premise.title'))}</h4><ul>${state.notes
    .map(
      (n) =>
        `<li class="premise-${esc(n.kind)}" data-note-id="${esc(n.id)}"><b>${esc(t(`premise.kind.${n.kind}`))}</b> ${bdi(n.text)}${
          n.address ? ` <span class="muted">(${bdi(n.address)})</span>` : ''
        }${n.distanceM ? ` <span class="muted">${esc(t('premise.metres', { metres: n.distanceM }))}</span>` : ''}</li>`,
    )
    .join('')}</ul></section>`;
}
