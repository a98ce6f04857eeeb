/**
 * Premise and hazard notes on the incident card (issue 26): the notes the city keeps within a few
 * metres of the incident's point (`GET /api/incidents/:id/premise-notes`), hazards first and marked.
 */
import { request } from './api';
import { bdi, esc } from './format';
import { t } from './i18n';
import type { PremiseNoteView } from '../../../libs/domain/src/unit-messages';
import './premise-notes.css';

const state: { incidentId: string | null; notes: PremiseNoteView[] | undefined } = { incidentId: null, notes: undefined };

/** Loads the notes at the incident's point (or clears them); `redraw` redraws the detail when they arrive. */
export function loadPremiseNotes(incidentId: string | null, redraw: () => void): void {
  state.incidentId = incidentId;
  state.notes = undefined;
  if (!incidentId) return;
  void request<PremiseNoteView[]>('GET', `/api/incidents/${encodeURIComponent(incidentId)}/premise-notes`)
    .catch(() => [])
    .then((notes) => {
      if (state.incidentId !== incidentId) return;
      state.notes = notes;
      redraw();
    });
}

/** The notes' HTML for the incident shown ('' when none or not loaded). */
export function premiseNotesHtml(incidentId: string | undefined): string {
  if (!incidentId || incidentId !== state.incidentId || !state.notes?.length) return '';
  return `<section class="premise-notes" aria-label="${esc(t('premise.title'))}"><h4>${esc(t('premise.title'))}</h4><ul>${state.notes
    .map(
      (n) =>
        `<li class="premise-${esc(n.kind)}" data-note-id="${esc(n.id)}"><b>${esc(t(`premise.kind.${n.kind}`))}</b> ${bdi(n.text)}${
          n.address ? ` <span class="muted">(${bdi(n.address)})</span>` : ''
        }${n.distanceM ? ` <span class="muted">${esc(t('premise.metres', { metres: n.distanceM }))}</span>` : ''}</li>`,
    )
    .join('')}</ul></section>`;
}
