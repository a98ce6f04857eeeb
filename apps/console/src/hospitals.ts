/**
 * Hospital choice on the incident card (issue 26): for each unit on scene or transporting, the
 * city profile's hospitals (nearest first) and the one chosen (`assignment.hospital` events). A city
 * whose profile lists none says so.
 */
import { request } from './api';
import { bdi, esc } from './format';
import { t } from './i18n';
import { LiveRead } from './state/live-read';
import type { CadEvent, Incident } from './types';
import type { HospitalChoice, HospitalView } from '@cad/domain/unit-messages';
import { transportsPatients } from '@cad/domain/units';

const state: { incidentId: string | null; hospitals: HospitalView[] | undefined; chosen: Map<string, HospitalChoice> } = { incidentId: null, hospitals: undefined, chosen: new Map() };
/** The card's read over REST: a choice made live while it is in flight is applied after it. */
const reads = new LiveRead<HospitalChoice>();
let redraw: () => void = () => undefined;
let say: (text: string, error?: boolean) => void = () => undefined;

/** Handles the card's choose buttons inside the detail. */
export function setUpHospitals(detailEl: HTMLElement, rerender: () => void, toast: (text: string, error?: boolean) => void): void {
  redraw = rerender;
  say = toast;
  detailEl.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-choose-hospital]');
    if (!b) return;
    const select = detailEl.querySelector<HTMLSelectElement>(`select[data-hospital-for="${b.dataset.chooseHospital}"]`);
    if (select?.value) void choose(b.dataset.chooseHospital!, select.value);
  });
}

/** Loads the hospitals (nearest to the incident first) and the choices made (or clears them). */
export function loadHospitals(incidentId: string | null): void {
  state.incidentId = incidentId;
  state.hospitals = undefined;
  state.chosen = new Map();
  reads.cancel();
  if (!incidentId) return;
  const id = encodeURIComponent(incidentId);
  void reads
    .run(
      () => Promise.all([request<{ hospitals: HospitalView[] }>('GET', `/api/hospitals?incidentId=${id}`), request<HospitalChoice[]>('GET', `/api/incidents/${id}/hospitals`)]),
      ([list, chosen]) => {
        state.hospitals = list.hospitals;
        state.chosen = new Map(chosen.map((c) => [c.assignmentId, c]));
      },
      // A choice changed live while the read was in flight is newer than what it answered.
      (live) => live.forEach((c) => state.chosen.set(c.assignmentId, c)),
    )
    .then((r) => r === 'adopted' && redraw())
    .catch(() => undefined);
}

/** Takes a live `assignment.hospital` of the incident shown; true when the card changed. */
export function noteHospitalEvent(ev: CadEvent): boolean {
  if (ev.type !== 'assignment.hospital' || ev.incidentId !== state.incidentId) return false;
  const c = ev.payload;
  reads.note(c);
  state.chosen.set(c.assignmentId, c);
  return true;
}

async function choose(assignmentId: string, hospital: string): Promise<void> {
  try {
    const c = await request<HospitalChoice>('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/hospital`, { hospital });
    state.chosen.set(c.assignmentId, c);
    say(t('hospital.chosen', { unit: c.unitId, hospital: c.hospital.name }));
    redraw();
  } catch (err) {
    say((err as Error).message, true);
  }
}

/**
 * The card's HTML for the incident shown: '' until a unit that transports patients (an ambulance, by its
 * type, or a task for ambulance or ALS when its type is not known) is on scene or transporting; a unit
 * whose hospital was already chosen stays listed. An engine or a truck is never offered a hospital (as on
 * the crew's phone).
 * @param unitTypeOf a unit's type (`MEDIC`, `ENGINE`…) by its id, when the console knows the unit
 */
export function hospitalsHtml(incident: Incident | undefined, writable: boolean, unitTypeOf: (unitId: string) => string | undefined = () => undefined): string {
  if (!incident || incident.id !== state.incidentId || state.hospitals === undefined) return '';
  const tasks = incident.assignments.filter(
    (a) => ((a.status === 'on_scene' || a.status === 'transporting') && transportsPatients(unitTypeOf(a.unitId), a.capability)) || state.chosen.has(a.id),
  );
  if (!tasks.length) return '';
  const rows = tasks.map((a) => {
    const c = state.chosen.get(a.id);
    const chosen = c ? `<b class="hospital-chosen">${bdi(c.hospital.name)}</b>` : `<span class="muted">${esc(t('hospital.none'))}</span>`;
    const pick =
      writable && state.hospitals!.length && (a.status === 'on_scene' || a.status === 'transporting')
        ? ` <select data-hospital-for="${esc(a.id)}" aria-label="${esc(t('hospital.title'))}">${state
            .hospitals!.map((h) => `<option value="${esc(h.name)}"${c?.hospital.name === h.name ? ' selected' : ''}>${esc(h.name)}${h.distanceM !== undefined ? ` (${(h.distanceM / 1000).toFixed(1)} km)` : ''}</option>`)
            .join('')}</select> <button type="button" class="small" data-choose-hospital="${esc(a.id)}">${esc(t('hospital.choose'))}</button>`
        : '';
    return `<li data-assignment-id="${esc(a.id)}"><b>${bdi(a.unitId)}</b> → ${chosen}${pick}</li>`;
  });
  const empty = state.hospitals.length ? '' : `<p class="muted hospital-empty">${esc(t('hospital.noneListed'))}</p>`;
  return `<section class="call-record hospitals" aria-label="${esc(t('hospital.title'))}"><h4>${esc(t('hospital.title'))}</h4>${empty}<ul class="cr-questions">${rows.join('')}</ul></section>`;
}
