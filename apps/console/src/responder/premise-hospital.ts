/**
 * On the responder page (issue 26): the premise and hazard notes the city keeps at the incident's
 * address (`GET /api/incidents/:id/premise-notes`, hazards first, in red), above the task; and, once
 * on scene or transporting, the hospital choice (`GET /api/hospitals?incidentId=`, nearest first;
 * `POST /api/assignments/:id/hospital`), with the hospital chosen so far (by the crew or dispatch).
 */
import { request } from '../api';
import { sectionBesideActions } from './section';
import { bdi, esc } from '../format';
import { t } from '../i18n';
import type { HospitalChoice, HospitalView, PremiseNoteView } from '@cad/domain/unit-messages';
import { LatestRead } from '../state/live-read';

/** The task shown: its incident, its assignment and its status as the crew last set it. */
export interface PremiseTask {
  incidentId: string;
  assignmentId: string;
  status: string;
  capability: string;
  /** Whether the unit transports patients (`transportsPatients`): only such a crew is offered the hospital choice. */
  transports: boolean;
}

const state: { incidentId: string | null; notes: PremiseNoteView[]; hospitals: HospitalView[] | undefined; chosen: HospitalChoice | null; task: PremiseTask | null } = {
  incidentId: null,
  notes: [],
  hospitals: undefined,
  chosen: null,
  task: null,
};
let say: (text: string) => void = () => undefined;

/** The section's element, made once before the status buttons (`#r-actions`). */
function host(): HTMLElement {
  return sectionBesideActions('r-premise', 'r-premise', 'beforebegin');
}

/** The notes' HTML: hazards first, each marked by its kind ('' when none). */
export function crewNotesHtml(notes: readonly PremiseNoteView[]): string {
  if (!notes.length) return '';
  const sorted = [...notes].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'hazard' ? -1 : 1));
  return `<h3>${esc(t('premise.title'))}</h3><ul>${sorted
    .map((n) => `<li class="premise-${esc(n.kind)}"><b>${esc(t(`premise.kind.${n.kind}`))}</b> ${bdi(n.text)}${n.address ? ` <span class="muted">(${bdi(n.address)})</span>` : ''}</li>`)
    .join('')}</ul>`;
}

/** Whether the task's crew is offered the hospital choice now: a unit that transports, on scene or later. */
function hospitalDue(task: PremiseTask | null, statuses: readonly string[] = ['on_scene', 'transporting', 'at_hospital']): task is PremiseTask {
  return !!task && task.transports && statuses.includes(task.status);
}

/**
 * The hospital part's HTML for a task on scene or transporting of a unit that transports patients
 * ('' otherwise, e.g. an engine on scene, or before the list came).
 */
export function crewHospitalHtml(task: PremiseTask | null, hospitals: readonly HospitalView[] | undefined, chosen: HospitalChoice | null): string {
  if (!hospitalDue(task) || hospitals === undefined) return '';
  const current = chosen ? `<b class="r-hospital-chosen">${bdi(chosen.hospital.name)}</b>` : `<span class="muted">${esc(t('hospital.none'))}</span>`;
  if (!hospitals.length) return `<h3>${esc(t('hospital.title'))}</h3><p class="muted">${esc(t('hospital.noneListed'))}</p>`;
  const pick =
    task.status === 'at_hospital'
      ? ''
      : `<div class="r-hospital-pick"><select id="r-hospital-select" aria-label="${esc(t('hospital.title'))}">${hospitals
          .map((h) => `<option value="${esc(h.name)}"${chosen?.hospital.name === h.name ? ' selected' : ''}>${esc(h.name)}${h.distanceM !== undefined ? ` (${(h.distanceM / 1000).toFixed(1)} km)` : ''}</option>`)
          .join('')}</select> <button type="button" class="status-btn" data-choose-hospital="1">${esc(t('hospital.choose'))}</button></div>`;
  return `<h3>${esc(t('hospital.title'))}</h3><p>${current}</p>${pick}`;
}

function draw(): void {
  const el = host();
  const notes = crewNotesHtml(state.notes);
  const hospital = crewHospitalHtml(state.task, state.hospitals, state.chosen);
  el.innerHTML = `${notes ? `<div class="r-notes">${notes}</div>` : ''}${hospital ? `<div class="r-hospital">${hospital}</div>` : ''}`;
  el.hidden = !notes && !hospital;
}

/** Shows the notes and hospital choice of the task (none for null); loads them when the incident changes. */
export function showPremiseAndHospital(task: PremiseTask | null): void {
  state.task = task;
  const incidentId = task?.incidentId ?? null;
  if (incidentId !== state.incidentId) {
    state.incidentId = incidentId;
    state.notes = [];
    state.hospitals = undefined;
    state.chosen = null;
    if (incidentId) void load(incidentId);
  } else if (hospitalDue(task, ['on_scene', 'transporting']) && state.hospitals === undefined) void load(task.incidentId);
  draw();
}

/** Only the latest load lands. */
const reads = new LatestRead();
/** Counts the crew's hospital choices: a load started before one keeps it (it may predate the choice). */
let choices = 0;

async function load(incidentId: string): Promise<void> {
  const ticket = reads.start();
  const choicesBefore = choices;
  const id = encodeURIComponent(incidentId);
  const [notes, list, chosen] = await Promise.all([
    request<PremiseNoteView[]>('GET', `/api/incidents/${id}/premise-notes`).catch(() => []),
    request<{ hospitals: HospitalView[] }>('GET', `/api/hospitals?incidentId=${id}`).catch(() => null),
    request<HospitalChoice[]>('GET', `/api/incidents/${id}/hospitals`).catch(() => []),
  ]);
  if (state.incidentId !== incidentId || !reads.current(ticket)) return;
  state.notes = notes;
  state.hospitals = list?.hospitals;
  if (choices === choicesBefore) state.chosen = chosen.find((c) => c.assignmentId === state.task?.assignmentId) ?? null;
  draw();
}

/** Handles the Choose button; `message` says what the server refused. */
export function setUpPremiseAndHospital(message: (text: string) => void): void {
  say = message;
  document.addEventListener('click', (e) => {
    if (!(e.target as HTMLElement).closest('button[data-choose-hospital]') || !state.task) return;
    const name = document.querySelector<HTMLSelectElement>('#r-hospital-select')?.value;
    if (!name) return;
    const task = state.task;
    request<HospitalChoice>('POST', `/api/assignments/${encodeURIComponent(task.assignmentId)}/hospital`, { hospital: name })
      .then((c) => {
        // A load in flight may predate this choice: it keeps it.
        choices++;
        state.chosen = c;
        say(t('hospital.chosen', { unit: c.unitId, hospital: c.hospital.name }));
        draw();
      })
      .catch((err: Error) => say(t('responder.notAccepted', { error: err.message })));
  });
}
