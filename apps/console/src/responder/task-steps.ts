/**
 * The responder's status buttons (issue 26 part 6): the task's steps strictly in order (Acknowledge →
 * En route → On scene → (Transporting → At hospital) → Available), only the next one enabled;
 * Available only from on scene or at hospital; before on scene, **Cancel** instead, which asks why
 * (a reason from the domain's list, sent with the `cleared` report and recorded on the task).
 * The server refuses any other order too (`409` naming the rule).
 */
import { nextAssignmentStatus, TASK_CANCEL_REASONS, type AssignmentStatus, type TaskCancelReason } from '@cad/domain/status';
import { esc } from '../format';
import { t } from '../i18n';

/** What the server offers: `acknowledged` and `transporting` are missing on older servers. */
export interface StepFeatures {
  acknowledged: boolean;
  transporting: boolean;
}

/** Statuses from which the crew may cancel its task (clear it before on scene, with a reason). */
const CANCELLABLE: readonly string[] = ['dispatched', 'acknowledged', 'en_route'];

/** Whether the crew may cancel the task now (before on scene). */
export function mayCancel(status: string): boolean {
  return CANCELLABLE.includes(status);
}

/**
 * Whether the task may go from `from` to `to` with one tap, as the server will judge it: one step in
 * order; `cleared` (Available) only from on scene or at hospital (before that it is a cancel). An older
 * server without acknowledgement takes en route straight from dispatched.
 */
export function stepAllowed(from: string, to: string, f: StepFeatures): boolean {
  const effective = !f.acknowledged && from === 'dispatched' ? 'acknowledged' : from;
  try {
    nextAssignmentStatus(effective as AssignmentStatus, to as AssignmentStatus);
    return true;
  } catch {
    return false;
  }
}

const STEPS: ReadonlyArray<{ status: AssignmentStatus; cls: string }> = [
  { status: 'acknowledged', cls: 'ack' },
  { status: 'en_route', cls: 'en_route' },
  { status: 'on_scene', cls: 'on_scene' },
  { status: 'transporting', cls: 'transporting' },
  { status: 'at_hospital', cls: 'at_hospital' },
  { status: 'cleared', cls: 'available' },
];
const ORDER: readonly string[] = ['dispatched', ...STEPS.map((s) => s.status)];

/**
 * The buttons' HTML for a task whose status (as the crew last set it) is `status`: every step of the
 * flow the server offers, done ones dimmed, only the next step(s) enabled; Acknowledge (big) only while
 * the task waits for it; At hospital once transporting; and Cancel before on scene.
 */
export function stepButtonsHtml(status: string, f: StepFeatures): string {
  const current = ORDER.indexOf(status);
  const shown = STEPS.filter((s) => {
    if (s.status === 'acknowledged') return f.acknowledged && current < ORDER.indexOf('acknowledged');
    if (s.status === 'transporting') return f.transporting;
    if (s.status === 'at_hospital') return f.transporting && current >= ORDER.indexOf('transporting');
    return true;
  });
  const buttons = shown.map((s) => {
    const done = ORDER.indexOf(s.status) <= current;
    const enabled = !done && stepAllowed(status, s.status, f);
    const big = s.status === 'acknowledged' ? ' big' : '';
    return `<button type="button" class="status-btn ${s.cls}${big}${done ? ' done' : ''}" data-status="${s.status}" ${enabled ? '' : 'disabled'}>${esc(t(`responder.button.${s.status}`))}</button>`;
  });
  if (mayCancel(status)) buttons.push(`<button type="button" class="status-btn cancel" data-cancel-task="1">${esc(t('responder.button.cancel'))}</button>`);
  return buttons.join('');
}

/** The reason list shown after Cancel: one big button per reason, and Back. */
export function cancelChoiceHtml(): string {
  return `<div class="r-cancel" role="group" aria-label="${esc(t('responder.cancel.title'))}"><p class="r-cancel-title">${esc(t('responder.cancel.title'))}</p>${TASK_CANCEL_REASONS.map(
    (r) => `<button type="button" class="status-btn cancel-reason" data-cancel-reason="${r}">${esc(t(`responder.cancel.reason.${r}`))}</button>`,
  ).join('')}<button type="button" class="status-btn" data-cancel-back="1">${esc(t('responder.cancel.back'))}</button></div>`;
}

/** The reason a tapped button names, or null when it is not one of the list. */
export function reasonOf(value: string | undefined): TaskCancelReason | null {
  return (TASK_CANCEL_REASONS as readonly string[]).includes(value ?? '') ? (value as TaskCancelReason) : null;
}
